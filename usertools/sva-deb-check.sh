#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
#
# sva-deb-check.sh [BUILD_DIR]: builds the Debian packages of this tree
# (debian/) and checks them as a Debian 12 user meets them:
#  1. dpkg-buildpackage -us -uc -b (nocheck: the suites run elsewhere)
#     on a copy of the tree, outside the checkout; lintian (pedantic) on
#     the result: no error or warning tag;
#  2. in the scratch bookworm root of lab/root.sh, apt-get install of the
#     .debs (their Depends resolved from Debian's archive), then there:
#     examples/copy built from the -dev package with pkg-config, linked
#     with librte_sva_sim.pc and with librte_sva.pc alone (the sim found
#     in the plugin directory); each installed header compiled on its
#     own; dpdk-test-sva briefly; Debian's own
#     dpdk-test running dmadev_autotest on two dma_sva adapters over one
#     sva_sim with no -d and no LD_PRELOAD (issue 13's done-when), and
#     with no SVA device (the plugins loaded once each, nothing broken);
#     DPDK's dpdk-pmdinfo.py and sva-pmdinfo.py finding the drivers; the
#     Python tools finding their modules;
#  3. our packages purged from the root again (its other packages stay,
#     cached for the next run).
# The package build is skipped when the copied tree, the SDK headers and
# the build tools are those of the last build (a hash kept beside the
# .debs). Work directory: $SVA_DEB_WORK (default /var/tmp/sva-deb),
# one subdirectory per checkout. Logs: BUILD_DIR/deb-check/ (BUILD_DIR
# defaults to build-deb). Needs root (apt, chroot).
# Prints "deb: N passed, N failed"; exit status 1 on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-deb}
mkdir -p "$build"
build=$(cd "$build" && pwd)
logs=$build/deb-check
rm -rf "$logs"
mkdir -p "$logs"
suite=bookworm
pass=0
failed=0
ok() { echo "  ok: $*"; pass=$((pass + 1)); tick "ok: $*"; }
bad() { echo "  FAILED: $*"; failed=$((failed + 1)); tick "FAILED: $*"; }
# Last lines of a log, indented, after a failure.
show() { tail -n "${2:-20}" "$1" | sed 's/^/    | /'; }
finish() {
	echo "deb: $pass passed, $failed failed (logs: $logs)"
	[ $failed -eq 0 ]
	exit
}
t_start=$SECONDS
# Progress with the elapsed time; tick: the same, into timing.txt only.
stamp() { echo "  [$((SECONDS - t_start)) s] $*"; tick "$*"; }
tick() { echo "[$((SECONDS - t_start)) s] $*" >>"$logs/timing.txt"; }

if [ "$(id -u)" != 0 ]; then
	bad "needs root (apt-get, the scratch root's chroot)"
	finish
fi
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# --- The work directory: root's own, as its .debs are installed as root.
work_base=${SVA_DEB_WORK:-/var/tmp/sva-deb}
install -d -m 0755 "$work_base"
if [ "$(stat -c %u "$work_base")" != 0 ] ||
   [ $(( 0$(stat -c %a "$work_base") & 022 )) -ne 0 ]; then
	bad "$work_base is not root's own or is group/world-writable"
	finish
fi
work=$work_base/$(basename "$top")-$(echo "$top" | sha1sum | cut -c1-8)
mkdir -p "$work"
chmod 0755 "$work"
# One run per checkout at a time: they share the copy and the .debs.
exec 7>"$work.lock"
flock -w 1800 7 || { bad "timed out waiting for $work.lock"; finish; }

# --- The DPDK driver SDK headers the build reads (usertools/sva-setup.sh).
sdk=$top/build-deps/dpdk-sdk
if [ "$(cat "$sdk/.version" 2>/dev/null)" != "$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null)" ]; then
	bash "$top/usertools/sva-setup.sh" >"$logs/setup.log" 2>&1 ||
		{ show "$logs/setup.log"; bad "usertools/sva-setup.sh"; finish; }
fi

# --- A copy of the tree: the files git tracks or would track (what a clone
# plus the working tree's edits holds; SVA_DEB_TREE=head: the last commit),
# and the SDK headers.
src=$work/src
rm -rf "$src"
mkdir -p "$src/build-deps"
if [ "${SVA_DEB_TREE:-worktree}" = head ]; then
	# The last commit only: for a checkout with others' edits in flight.
	git -C "$top" archive HEAD | tar -x -C "$src"
elif git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard |
		while IFS= read -r -d '' f; do
			case "$f" in */__pycache__/*) continue ;; esac
			[ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"
		done | tar -c --null -T - -f -) | tar -x -C "$src"
else
	(cd "$top" && tar -c --exclude='./build*' --exclude=./.git -f - .) |
		tar -x -C "$src"
fi
cp -r "$sdk" "$src/build-deps/"
if [ ! -f "$src/debian/control" ]; then
	bad "no debian/control in the copy of $top"
	finish
fi

# --- Packaging tools and build dependencies, from the system's own apt
# sources, only when something is missing.
if ! (cd "$src" && dpkg-checkbuilddeps) >"$logs/builddeps.log" 2>&1 ||
   ! command -v lintian >/dev/null; then
	stamp "installing build dependencies and lintian"
	# Once more after an update when the package lists are stale.
	host_deps() {
		apt_get install -y --no-install-recommends dpkg-dev lintian &&
		apt_get build-dep -y --no-install-recommends "$src"
	}
	{ host_deps || { apt_get update && host_deps; }; } >>"$logs/builddeps.log" 2>&1 ||
		{ show "$logs/builddeps.log"; bad "build dependencies (apt-get build-dep)"; finish; }
fi

# --- Build, unless the same inputs made the .debs there already.
key=$( { (cd "$src" && find . -type f -print0 | sort -z |
		xargs -0 sha256sum);
	 dpkg-query -W debhelper dh-python meson libdpdk-dev libisal-dev \
		libnuma-dev python3-pyelftools help2man gcc 2>/dev/null; } |
	sha256sum | cut -d' ' -f1)
debs=()
if [ "$(cat "$work/inputs.sha256" 2>/dev/null)" = "$key" ] &&
   ls "$work"/*.deb >/dev/null 2>&1; then
	stamp "package build: inputs unchanged since the last build, .debs reused"
	ok "dpkg-buildpackage (cached: $(basename "$work")/inputs.sha256)"
else
	rm -f "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work/inputs.sha256"
	stamp "dpkg-buildpackage -us -uc -b"
	if (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
		dpkg-buildpackage -us -uc -b) >"$logs/dpkg-buildpackage.log" 2>&1; then
		echo "$key" >"$work/inputs.sha256"
		ok "dpkg-buildpackage: $(cd "$work" && ls *.deb | grep -vc dbgsym) packages"
	else
		show "$logs/dpkg-buildpackage.log" 30
		bad "dpkg-buildpackage ($logs/dpkg-buildpackage.log)"
		finish
	fi
fi
for f in "$work"/*.deb; do
	case "$f" in *-dbgsym_*) ;; *) debs+=("./$(basename "$f")") ;; esac
done
cp "$work"/*.changes "$logs/" 2>/dev/null
for d in "${debs[@]}"; do
	{ echo "== $d"; dpkg-deb -f "$work/$d" Package Depends Recommends Suggests
	  dpkg-deb -c "$work/$d"; } >>"$logs/contents.txt"
done

# --- lintian of Debian 12 (this system), pedantic: no E: or W: tag
# (overrides, each with its reason, are in debian/*.lintian-overrides).
# Its verdict on the same .debs is kept beside them.
lkey="$key $(dpkg-query -W -f='${Version}' lintian)"
if [ "$(cat "$work/lintian.key" 2>/dev/null)" = "$lkey" ] && [ -f "$work/lintian.tags" ]; then
	stamp "lintian: .debs and lintian unchanged, its last verdict reused"
else
	stamp "lintian"
	rm -f "$work/lintian.key"
	lintian --pedantic -I --tag-display-limit 0 "$work"/librte-sva_*.changes \
		>"$logs/lintian.txt" 2>&1
	# 0: no error tag, 1: error tags; anything else: lintian itself failed.
	lrc=$?
	grep -v 'running with root privileges' "$logs/lintian.txt" >"$work/lintian.tags"
	if [ $lrc -le 1 ]; then
		echo "$lkey" >"$work/lintian.key"
	else
		show "$logs/lintian.txt"
		bad "lintian exited with status $lrc"
	fi
fi
cp "$work/lintian.tags" "$logs/lintian.tags"
nerr=$(grep -c '^[EW]: ' "$logs/lintian.tags")
ninfo=$(grep -c '^[IPX]: ' "$logs/lintian.tags")
if [ "$nerr" -eq 0 ]; then
	ok "lintian: no error or warning tags ($ninfo info/pedantic: lintian.tags)"
else
	grep '^[EW]: ' "$logs/lintian.tags" | sed 's/^/    | /'
	bad "lintian: $nerr error/warning tags"
fi

# --- The scratch root: one package check at a time (they install and
# purge the same packages).
root=$(bash "$top/lab/root.sh" path "$suite" 2>"$logs/root.log") ||
	{ show "$logs/root.log"; bad "lab/root.sh path $suite"; finish; }
exec 8>"$work_base/$suite.lock"
flock -w 1800 8 || { bad "timed out waiting for $work_base/$suite.lock"; finish; }
in_root() { bash "$top/lab/root.sh" run "$suite" --bind "$work" --chdir "$work" -- "$@"; }
pkgs=librte-sva0\ librte-sva-drivers0\ librte-sva-dev\ dpdk-sva-tools
purge() { in_root dpkg --purge $pkgs >>"$logs/purge.log" 2>&1; }
trap purge EXIT
purge
# What the checks need beside our packages: Debian's dpdk-test (dpdk-dev),
# dpdk-pmdinfo.py (dpdk; pyelftools, which it only recommends), a C
# toolchain for the example.
stamp "root: tools for the checks (cached after the first run)"
bash "$top/lab/root.sh" install "$suite" dpdk dpdk-dev python3-pyelftools \
	gcc libc6-dev make pkgconf >"$logs/root-tools.log" 2>&1 ||
	{ show "$logs/root-tools.log"; bad "root: dpdk dpdk-dev gcc make pkgconf"; finish; }

stamp "root: apt-get install ${debs[*]}"
if in_root apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
	"${debs[@]}" >"$logs/apt-install.log" 2>&1 ||
   { in_root apt-get update && in_root apt-get -o DPkg::Lock::Timeout=600 install -y \
	--no-install-recommends "${debs[@]}"; } >>"$logs/apt-install.log" 2>&1; then
	ok "apt-get install of ${#debs[@]} packages in the $suite root (Depends from Debian's archive)"
else
	show "$logs/apt-install.log"
	bad "apt-get install in the $suite root"
	finish
fi

# The plugin directory the root's EAL reads (its compiled-in path) holds
# the four drivers under a name EAL loads (*.so).
eal_pmd=$(grep -a -o 'DPDK_PLUGIN_PATH=[^[:space:][:cntrl:]]*' \
	"$root"/usr/lib/*/librte_eal.so.* 2>/dev/null | head -n1 | cut -d= -f2)
drivers="sva_sim sva_idxd sva_iommufd dma_sva"
missing=
for d in $drivers; do
	[ -e "$root$eal_pmd/librte_$d.so" ] || missing="$missing $d"
done
if [ -n "$eal_pmd" ] && [ -z "$missing" ]; then
	ok "drivers in EAL's plugin directory $eal_pmd"
else
	bad "plugin directory '${eal_pmd:-none found}' lacks:$missing"
fi

eal=(--no-huge -m 1024 --no-pci --no-shconf --log-level=lib.eal:error)

# examples/copy from the -dev package, built in the root as a user would.
ex_log=$logs/example.log
if in_root sh -c '
	set -e
	d=$(mktemp -d)
	cp -r /usr/share/doc/librte-sva-dev/examples/copy "$d/"
	cd "$d/copy"
	make
	./sva_copy "$@" --vdev=sva_sim0 -- 65536
	make clean
	# No driver linked: sva_sim comes from the plugin directory, no -d.
	make SVA_PC=librte_sva
	if readelf -d sva_copy 2>/dev/null | grep -q librte_sva_sim; then
		echo "librte_sva.pc linked the sim"; exit 1
	fi
	./sva_copy "$@" --vdev=sva_sim0 -- 65536
	rm -rf "$d"' sh "${eal[@]}" >"$ex_log" 2>&1 &&
   [ "$(grep -c 'data verified' "$ex_log")" = 2 ]; then
	ok "examples/copy from librte-sva-dev: built with pkg-config librte_sva_sim and librte_sva (plugin, no -d), copies verified"
else
	show "$ex_log"
	bad "examples/copy from the installed -dev package ($ex_log)"
fi

# Each installed header compiles on its own with the -dev package's flags
# (those that say "do not include directly" after rte_sva.h, which does).
hdr_log=$logs/headers.log
if in_root sh -c '
	n=0
	for h in /usr/include/librte_sva/*.h; do
		pre=
		grep -qi "do not include" "$h" && pre="#include <rte_sva.h>"
		printf "%s\n#include <%s>\n" "$pre" "${h##*/}" |
			cc -fsyntax-only -Wall -Werror $(pkg-config --cflags librte_sva) -x c - ||
			{ echo "${h##*/}: does not compile on its own"; n=$((n + 1)); }
		echo "${h##*/}"
	done
	[ $n -eq 0 ]' >"$hdr_log" 2>&1; then
	ok "$(grep -c '\.h$' "$hdr_log") installed headers compile on their own (pkg-config --cflags librte_sva)"
else
	show "$hdr_log"
	bad "installed headers ($hdr_log)"
fi

# The benchmark, briefly: two cases, each verified, in JSON.
bench_log=$logs/dpdk-test-sva.log
if in_root dpdk-test-sva "${eal[@]}" -l 0,1 --vdev=sva_sim0 \
	--vdev=dma_skeleton0,lcore=1 -- --op copy --size 64,4K --duration 0.2 \
	--quiet --json - --csv "$work/bench.csv" >"$bench_log" 2>&1 &&
   [ "$(grep -c '"verified":true' "$bench_log")" = 2 ]; then
	ok "dpdk-test-sva: copy 64 B and 4 KiB on sva_sim beside dma_skeleton, verified"
else
	show "$bench_log"
	bad "dpdk-test-sva from dpdk-sva-tools ($bench_log)"
fi

# Issue 13's done-when: Debian's dpdk-test, nothing but vdev arguments.
at_log=$logs/dmadev-autotest.log
in_root env DPDK_TEST=dmadev_autotest timeout 500 dpdk-test "${eal[@]}" -l 0,1 \
	--vdev=sva_sim0 --vdev=dma_sva0,dev=sva_sim0 \
	--vdev=dma_sva1,dev=sva_sim0,queue=1 </dev/null 2>&1 |
	tr '\r' '\n' | grep -v '^Ops submitted' >"$at_log"
at_rc=${PIPESTATUS[0]}
at_why=
[ "$at_rc" = 0 ] || at_why="exit status $at_rc"
grep -q '^Test OK' "$at_log" || at_why="$at_why; no \"Test OK\""
for d in dma_sva0 dma_sva1; do
	id=$(sed -n "s/^### Test dmadev instance \([0-9]*\) \[$d\]\$/\1/p" "$at_log")
	if [ -z "$id" ]; then
		at_why="$at_why; $d not tested (not probed?)"
		continue
	fi
	for t in "copy" "burst capacity" "error handling" "fill"; do
		grep -q "^DMA Dev $id: Running $t Tests" "$at_log" ||
			at_why="$at_why; $d: no $t tests"
	done
	! grep -q "^DMA Dev $id: .*skipping" "$at_log" ||
		at_why="$at_why; $d: tests skipped"
done
if [ -z "$at_why" ]; then
	ok "Debian's dpdk-test dmadev_autotest on dma_sva0 and dma_sva1 over one sva_sim, no -d, no LD_PRELOAD: copy, burst capacity, error handling, fill"
else
	show "$at_log"
	bad "dpdk-test dmadev_autotest:${at_why#;}"
fi

# With no SVA device asked for, a DPDK application still loads the four
# drivers (EAL opens every plugin, each once, by its .so name) and runs as
# before: they register and stay out of the way.
plain_log=$logs/dpdk-test-plain.log
in_root env DPDK_TEST=dmadev_autotest timeout 300 dpdk-test --no-huge -m 512 \
	--no-pci --no-shconf -l 0 --log-level=lib.eal:debug </dev/null 2>&1 |
	tr '\r' '\n' | grep -v '^Ops submitted' >"$plain_log"
plain_rc=${PIPESTATUS[0]}
missing=
for d in $drivers; do
	[ "$(grep -c "^EAL: open shared lib $eal_pmd/librte_$d\.so" "$plain_log")" = 1 ] ||
		missing="$missing $d"
done
if [ "$plain_rc" = 0 ] && grep -q '^Test OK' "$plain_log" && [ -z "$missing" ]; then
	ok "dpdk-test without SVA devices: EAL opens each driver once from $eal_pmd, dmadev_autotest on dma_skeleton passes"
else
	show "$plain_log"
	bad "dpdk-test without SVA devices (exit $plain_rc; not opened once:${missing:- none})"
fi

# The drivers as DPDK's and our pmdinfo tools see the installed files.
names='import json, sys; print(" ".join(sorted({d["name"] for d in json.load(sys.stdin)})))'
pmd_log=$logs/pmdinfo.log
dpdk_names=$(in_root sh -c 'dpdk-pmdinfo.py -p /usr/bin/dpdk-test | python3 -c "$1"' sh "$names" 2>>"$pmd_log")
ours=$(in_root sh -c 'sva-pmdinfo.py --json "$1" | python3 -c "$2"' sh "$eal_pmd" "$names" 2>>"$pmd_log")
echo "dpdk-pmdinfo.py -p dpdk-test: $dpdk_names" >>"$pmd_log"
echo "sva-pmdinfo.py $eal_pmd: $ours" >>"$pmd_log"
for tool in dpdk ours; do
	list=$dpdk_names
	[ $tool = ours ] && list=$ours
	missing=
	for d in $drivers; do
		case " $list " in *" $d "*) ;; *) missing="$missing $d" ;; esac
	done
	label="DPDK's dpdk-pmdinfo.py -p /usr/bin/dpdk-test (plugin directory)"
	[ $tool = ours ] && label="sva-pmdinfo.py $eal_pmd"
	if [ -z "$missing" ]; then
		ok "$label: $drivers"
	else
		show "$pmd_log"
		bad "$label lacks:$missing"
	fi
done

# The Python tools find their code where the package put it.
tools_log=$logs/tools.log
if in_root sh -c '
	set -e
	dpdk-sva-bind.py --help
	d=$(mktemp -d)
	sva-plot.py --backend builtin -o "$d" bench.csv
	ls "$d"/*.png
	rm -rf "$d"' >"$tools_log" 2>&1; then
	ok "dpdk-sva-bind.py (sva_bind from /usr/share/librte_sva) and sva-plot.py (charts of the benchmark's CSV)"
else
	show "$tools_log"
	bad "the Python tools of dpdk-sva-tools ($tools_log)"
fi
stamp "checks done"
finish
