#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
#
# The DPDK LTS matrix beyond this machine's 22.11 (issue 13 item 3): builds
# librte_sva against Debian 13's DPDK 24.11 in a debootstrap'ed trixie root
# (lab/root.sh, cached outside the clone) and there
#   1. builds it (release, warnings are errors: gcc 14);
#   2. runs the meson suite 'sva' (its dmadev_autotest is 24.11's dpdk-test);
#   3. checks the install (usertools/sva-install-check.sh: plugin dir
#      pmds-<ABI> of 24.11, pkg-config, an example without -d);
#   4. runs 24.11's dpdk-test-dma-perf with usertools/sva-dma-perf.ini on
#      dma_sva over sva_sim beside dma_skeleton, from the installed files,
#      and checks a nonzero result row for every size and kick_batch
#      (usertools/sva-dma-perf-check.py);
#   5. runs 24.11's dmadev_autotest on two dma_sva adapters over one sva_sim
#      from the installed files (drivers/dma/sva/run-dmadev-autotest.sh).
# Idempotent: the root, its packages and the driver SDK headers are cached
# in the root; the build directory is reused.
#
#   usertools/sva-dpdk-matrix.sh [--suite SUITE] [BUILD_DIR]
#
# SUITE: the Debian release of the root, trixie (default: DPDK 24.11) or
# sid (25.11 today); BUILD_DIR defaults to build-dpdk2411 for trixie and
# build-dpdk-SUITE otherwise.
#
# Environment: SVA_ROOT_CACHE (lab/root.sh); SVA_DPDK_SRC, a DPDK source
# tree or git repository (tags vYY.MM.*) to take the driver SDK headers
# from when the Debian source package cannot be fetched. Logs under
# BUILD_DIR/matrix-logs. The last line is "dpdk YY.MM: N passed, N failed";
# exit status 1 if anything failed, 2 if the matrix could not be set up.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
suite=trixie
if [ "${1:-}" = --suite ]; then
	suite=${2:?--suite needs a Debian suite}
	shift 2
fi
case "$suite" in
trixie) bd=${1:-$top/build-dpdk2411} ;;
*) bd=${1:-$top/build-dpdk-$suite} ;;
esac
case "$bd" in /*) ;; *) bd=$top/$bd ;; esac
logs=$bd/matrix-logs
t0=$SECONDS
passed=0
failed=0
label="dpdk ($suite)"

say() { printf 'matrix: %s\n' "$*"; }
die() {
	printf 'matrix: error: %s\n' "$*" >&2
	echo "$label: $passed passed, $((failed + 1)) failed"
	exit 2
}
# Add "N passed, N failed" of a step's output line to the totals.
count() {
	local p f
	p=$(sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p' <<<"$1" | tail -n1)
	f=$(sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' <<<"$1" | tail -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}
inroot() { bash "$top/lab/root.sh" run "$suite" --bind "$top" --chdir "$top" -- "$@"; }

[ "$(id -u)" = 0 ] || die "needs root (lab/root.sh: debootstrap, chroot, mounts)"

# What usertools/sva-setup.sh installs on Debian 12, less doxygen (the
# 'docs' suite is not part of the matrix), and ccache: its cache stays in
# the root (/root/.cache/ccache there), so that a fresh clone (CI) compiles
# only what changed since the last run.
pkgs="build-essential meson ninja-build pkg-config libdpdk-dev dpdk dpdk-dev
      python3-pyelftools libnuma-dev dpkg-dev python3 libisal-dev ccache"
say "root: $suite with DPDK's packages (cached; lab/root.sh)"
# shellcheck disable=SC2086
bash "$top/lab/root.sh" install "$suite" $pkgs || die "cannot prepare the $suite root"
root=$(bash "$top/lab/root.sh" path "$suite") || die "no $suite root"
mkdir -p "$logs"

ver=$(chroot "$root" dpkg-query -W -f='${Version}' libdpdk-dev) || die "no libdpdk-dev in the root"
up=${ver%%-*}                     # 24.11.8
label="dpdk ${up%.*}"             # dpdk 24.11
say "$label: libdpdk-dev $ver, $(chroot "$root" gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /')"

# --- driver SDK headers -------------------------------------------------
# libdpdk-dev leaves out the headers drivers are built with; the list is
# usertools/sva-setup.sh's (one list), taken from the matching release.
eval "$(sed -n '/^headers=(/,/^)/p' "$top/usertools/sva-setup.sh")"
[ "${#headers[@]}" -gt 0 ] || die "no header list in usertools/sva-setup.sh"
sdk=/usr/local/share/sva-dpdk-sdk/$ver
sdk_ok() {
	local h
	for h in "${headers[@]}"; do [ -s "$root$sdk/$(basename "$h")" ] || return 1; done
}
if ! sdk_ok; then
	say "driver SDK headers for $ver: from the Debian source package"
	# deb-src lines mirroring the root's own deb lines, once.
	inroot sh -c 'set -e
		f=/etc/apt/sources.list.d/sva-deb-src.list
		[ -f "$f" ] || { sed -n "s/^deb /deb-src /p" /etc/apt/sources.list >"$f"; apt-get update -qq; }
		w=$(mktemp -d); cd "$w"
		apt-get source -qq --download-only "dpdk=$1" >/dev/null 2>&1 || { rm -rf "$w"; exit 1; }
		shift
		sdk=$1; shift
		tar -xf dpdk_*.orig.tar.* --wildcards $(for h; do printf "*/%s " "$h"; done)
		mkdir -p "$sdk"; for h; do cp */"$h" "$sdk/"; done
		rm -rf "$w"' sdk-fetch "$ver" "$sdk" "${headers[@]}" >"$logs/sdk.log" 2>&1 ||
		say "  the source package of $ver cannot be fetched here ($logs/sdk.log)"
fi
if ! sdk_ok && [ -n "${SVA_DPDK_SRC:-}" ]; then
	mkdir -p "$root$sdk"
	if git -C "$SVA_DPDK_SRC" rev-parse --git-dir >/dev/null 2>&1; then
		# The newest release tag of this LTS not newer than the package:
		# within an LTS the driver headers keep the ABI (24.11.0 ..
		# 24.11.6 are identical).
		tag=
		for t in $(git -C "$SVA_DPDK_SRC" tag -l "v${up%.*}" "v${up%.*}.*" |
			grep -E '^v[0-9]+\.[0-9]+(\.[0-9]+)?$' | sort -V); do
			[ "$(printf '%s\n' "$t" "v$up" | sort -V | tail -n1)" = "v$up" ] && tag=$t
		done
		[ -n "$tag" ] || die "SVA_DPDK_SRC=$SVA_DPDK_SRC has no tag v${up%.*}[.N] up to v$up"
		say "driver SDK headers for $ver: from $tag of $SVA_DPDK_SRC"
		for h in "${headers[@]}"; do
			git -C "$SVA_DPDK_SRC" show "$tag:$h" >"$root$sdk/$(basename "$h")" ||
				die "$h not in $tag of $SVA_DPDK_SRC"
		done
		echo "$tag" >"$root$sdk/.source"
	else
		say "driver SDK headers for $ver: from the tree $SVA_DPDK_SRC"
		for h in "${headers[@]}"; do
			cp "$SVA_DPDK_SRC/$h" "$root$sdk/" || die "$h not in $SVA_DPDK_SRC"
		done
		echo "$SVA_DPDK_SRC" >"$root$sdk/.source"
	fi
fi
# Without them nothing of ours builds against this DPDK. That is what the
# machine can reach (this workplace's mirror has served the binary packages
# of trixie but not its source package), not a fault of the tree: say so
# and exit 77 (skipped), which sva-run-tests.sh reports without failing.
if ! sdk_ok; then
	printf 'matrix: error: no DPDK %s driver SDK headers: the Debian source package could not be fetched (%s); set SVA_DPDK_SRC to a DPDK %s source tree or a DPDK git repository\n' \
		"$ver" "$logs/sdk.log" "$up" >&2
	echo "$label: not run (no driver SDK headers for $ver on this machine)"
	exit 77
fi

# --- 1. build -----------------------------------------------------------
# A build directory this script did not set up for this DPDK version and
# these options (another version's, or one made by hand) starts afresh.
opts="-Ddpdk_sdk_dir=$sdk -Dwerror=true"
stamp="$ver $opts CC=ccache"
if [ "$(cat "$bd/.sva-dpdk" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$bd"
	mkdir -p "$logs"
fi
say "build: $bd (release, -Dwerror=true)"
t=$SECONDS
# shellcheck disable=SC2086
if inroot sh -c 'd=$1; shift; [ -f "$d/build.ninja" ] || CC="ccache gcc" meson setup "$d" "$@" &&
	ninja -C "$d" -j2' build "$bd" $opts >"$logs/build.log" 2>&1; then
	echo "$stamp" >"$bd/.sva-dpdk"
	say "  built in $((SECONDS - t)) s"
	passed=$((passed + 1))
else
	grep -E 'error|warning' "$logs/build.log" | head -n 30
	tail -n 5 "$logs/build.log"
	say "  build FAILED ($logs/build.log)"
	echo "$label: $passed passed, $((failed + 1)) failed"
	exit 1
fi

# --- 2. suite sva -------------------------------------------------------
say "meson test --suite sva"
t=$SECONDS
inroot meson test -C "$bd" --no-rebuild --suite sva --print-errorlogs \
	>"$logs/test.log" 2>&1
ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$logs/test.log" | tail -n1)
xf=$(sed -n 's/^Expected Fail: *\([0-9]*\).*/\1/p' "$logs/test.log" | tail -n1)
bad=$(awk '/^(Fail|Unexpected Pass|Timeout): / { n += $NF } END { print n + 0 }' "$logs/test.log")
sk=$(sed -n 's/^Skipped: *\([0-9]*\).*/\1/p' "$logs/test.log" | tail -n1)
if [ -z "$ok" ]; then
	tail -n 20 "$logs/test.log"
	bad=$((bad + 1))
fi
grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT|UNEXPECTEDPASS) ' "$logs/test.log" | sed 's/^/  /' | sort -u
say "  suite sva: ${ok:-0} ok, ${xf:-0} expected fail, $bad failed, ${sk:-0} skipped in $((SECONDS - t)) s ($bd/meson-logs/testlog.txt)"
passed=$((passed + ${ok:-0} + ${xf:-0}))
failed=$((failed + bad))

# --- 3. install ---------------------------------------------------------
say "install check (usertools/sva-install-check.sh)"
out=$(inroot bash usertools/sva-install-check.sh "$bd" 2>&1)
echo "$out" >"$logs/install-check.log"
echo "$out" | grep -E 'EAL plugin directory|FAILED' | sed 's/^ */  /'
count "$(echo "$out" | grep -E '^install: ')"

# The installed files for the DPDK tools: staged under the build
# directory, loaded by the tools from a private copy in the root's /root
# (EAL refuses -d paths below a world-writable directory; the clone may be
# in /tmp).
stage=$bd/matrix-stage
rm -rf "$stage"
if ! inroot env DESTDIR="$stage" meson install -C "$bd" --no-rebuild --quiet \
	>"$logs/stage.log" 2>&1; then
	tail -n 10 "$logs/stage.log"
	die "meson install into $stage failed ($logs/stage.log)"
fi
eal_pmd=$(grep -a -o 'DPDK_PLUGIN_PATH=[^[:space:][:cntrl:]]*' \
	"$root"/usr/lib/*/librte_eal.so.* 2>/dev/null | head -n1 | cut -d= -f2)
pmd=$(find "$stage" -type d -name "$(basename "${eal_pmd:-pmds-none}")" | head -n1)
[ -n "$pmd" ] || die "no $(basename "${eal_pmd:-pmds-?}") directory in the staged install ($stage)"
libdir=$(dirname "$(dirname "$pmd")")
say "  staged: ${pmd#"$stage"} (EAL's plugin directory is $eal_pmd)"

# Run "$@" in the root with the staged libdir copied to a private directory
# of /root, $L there (on LD_LIBRARY_PATH), and $P its plugin directory.
with_stage() {
	inroot sh -c 'set -e
		L=$(mktemp -d /root/.sva-matrix.XXXXXX); trap "rm -rf $L" EXIT
		cp -a "$1/." "$L/"; P=$L/${2#"$1"/}
		shift 2; export L P LD_LIBRARY_PATH=$L
		"$@"' with-stage "$libdir" "$pmd" "$@"
}

# --- 4. dpdk-test-dma-perf ----------------------------------------------
say "dpdk-test-dma-perf: usertools/sva-dma-perf.ini on dma_sva (sva_sim) and dma_skeleton"
t=$SECONDS
rm -f "$logs/dma-perf.csv"
# The EAL arguments go into each case (eal_args=): 24.11 also takes them on
# the command line, 25.11's argument parser refuses them there.
# shellcheck disable=SC2016
with_stage sh -c 'eal="--no-huge -m 512 --no-pci --no-shconf -l 0,1 -d $P"
	eal="$eal --vdev=sva_sim0,engine_cpu=0 --vdev=dma_sva0,dev=sva_sim0"
	eal="$eal --vdev=dma_skeleton0,lcore=0"
	sed "/^\[case[0-9]*\]/a eal_args=$eal" "$1" >"$L/dma-perf.ini"
	timeout -k 10 600 dpdk-test-dma-perf --config "$L/dma-perf.ini" --result "$2" </dev/null' \
	perf "$top/usertools/sva-dma-perf.ini" "$logs/dma-perf.csv" >"$logs/dma-perf.log" 2>&1
out=$(inroot python3 usertools/sva-dma-perf-check.py usertools/sva-dma-perf.ini \
	"$logs/dma-perf.csv" 2>&1)
echo "$out" | tee "$logs/dma-perf-check.txt"
say "  in $((SECONDS - t)) s ($logs/dma-perf.csv, $logs/dma-perf.log)"
count "$(echo "$out" | grep -E '^dma-perf: ')"

# --- 5. dmadev_autotest from the installed files ------------------------
say "dmadev_autotest ($(basename "$eal_pmd")) on dma_sva0 and dma_sva1 over sva_sim0"
# LD_LIBRARY_PATH: the script copies what the libraries need from there.
out=$(inroot env LD_LIBRARY_PATH="$libdir" bash drivers/dma/sva/run-dmadev-autotest.sh \
	--sva-lib "$libdir/librte_sva.so" --sim-lib "$pmd/librte_sva_sim.so" \
	--dma-lib "$pmd/librte_dma_sva.so" --plain 2>&1)
echo "$out" >"$logs/dmadev-autotest.log"
echo "$out" | grep -E '^dmadev_autotest:|Test assert|failed$' | sed 's/^/  /'
count "$(echo "$out" | tail -n1)"

say "done in $((SECONDS - t0)) s; logs in $logs"
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
