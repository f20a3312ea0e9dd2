#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
#
# sva-install-check.sh BUILD_DIR: installs BUILD_DIR into a staging root
# (DESTDIR) and checks the install as an application would meet it:
#  1. each driver library is in the directory the system's EAL loads
#     plugins from (the pmds-<ABI> name read out of librte_eal itself),
#     libdir has the symlinks to it, and its NEEDED entries resolve;
#  2. examples/copy built with `pkg-config librte_sva_sim` (the driver
#     linked in whole by the .pc file) finds sva_sim with no -d;
#  3. examples/copy built with `pkg-config librte_sva` only (no driver)
#     finds sva_sim when EAL loads the staged plugin directory (-d DIR),
#     as it loads the installed one by default.
# The staging root has no world-writable directory above it (under
# BUILD_DIR, or under $HOME when BUILD_DIR is in /tmp): EAL refuses a -d
# path with a world-writable directory anywhere above it.
# Prints "install: N passed, N failed"; exit status 1 on any failure.
set -u
build=${1:?usage: sva-install-check.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
pass=0
failed=0
ok() { echo "  ok: $*"; pass=$((pass + 1)); }
bad() { echo "  FAILED: $*"; failed=$((failed + 1)); }
finish() {
	rm -rf "$inst"
	echo "install: $pass passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

# True if a directory at or above $1 is writable by others.
ww_above() {
	local d=$1
	while [ -n "$d" ] && [ "$d" != / ]; do
		[ -n "$(find "$d" -maxdepth 0 -perm -o+w 2>/dev/null)" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}
# The staging root is under BUILD_DIR, unless BUILD_DIR itself lies under a
# world-writable directory (a clone in /tmp): then in a private directory
# of the user's home.
if ww_above "$build"; then
	home=${HOME:-/root}
	if ww_above "$home"; then
		bad "no staging directory free of world-writable parents ($build, $home)"
		inst=/nonexistent
		finish
	fi
	inst=$(mktemp -d "$home/.sva-install-check.XXXXXX")
	chmod 0755 "$inst"
else
	inst="$build/install-check"
	rm -rf "$inst"
	mkdir -m 0755 "$inst"
fi
if ! DESTDIR="$inst" meson install -C "$build" --quiet >"$build/install-check.log" 2>&1; then
	tail -n 20 "$build/install-check.log"
	bad "meson install"
	finish
fi

# Where the system's EAL loads plugins (its compiled-in RTE_EAL_PMD_PATH).
eal_libdir=$(pkg-config --variable=libdir libdpdk)
eal_pmd=$(grep -a -o 'DPDK_PLUGIN_PATH=[^[:space:][:cntrl:]]*' \
	"$eal_libdir"/librte_eal.so* 2>/dev/null | head -n1 | cut -d= -f2)
if [ -z "$eal_pmd" ]; then
	bad "no DPDK_PLUGIN_PATH in $eal_libdir/librte_eal.so"
	finish
fi
abi_dir=$(basename "$eal_pmd")
pc=$(find "$inst" -name librte_sva.pc | head -n1)
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
pmd="$libdir/dpdk/$abi_dir"
echo "  EAL plugin directory: $eal_pmd (staged: ${pmd#$inst})"

# 1. Every driver the build made, in the plugin directory.
drivers=$(cd "$build/drivers" &&
	ls librte_*.so 2>/dev/null | grep -v '^librte_common_' | sed 's/\.so$//')
for d in $drivers; do
	f="$pmd/$d.so"
	real=$(readlink -f "$f")
	if [ ! -f "$f" ] || [ "$(dirname "$real")" != "$pmd" ]; then
		bad "$d: not in ${pmd#$inst}"
		continue
	fi
	soname=$(readelf -d "$f" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
	if [ "$(readlink -f "$libdir/$d.so")" != "$real" ] ||
	   [ "$(readlink -f "$libdir/$soname")" != "$real" ]; then
		bad "$d: libdir lacks $d.so or $soname pointing into ${pmd#$inst}"
		continue
	fi
	missing=$(LD_LIBRARY_PATH="$libdir" ldd "$f" | grep 'not found')
	if [ -n "$missing" ]; then
		bad "$d: NEEDED not resolvable: $missing"
		continue
	fi
	ok "$d in ${pmd#$inst}, libdir symlink, NEEDED resolved"
done
case " $(echo $drivers) " in
*" librte_sva_sim "*) ;;
*) bad "librte_sva_sim not built"; finish ;;
esac

# Point the staged .pc files at the staging root.
sed -i "s|^prefix=\(.*\)|prefix=$inst\1|" "$pcdir"/librte_*.pc
# The example is built out of the source tree (several checkouts' runs
# may share it): its Makefile, with main.c found through VPATH.
mk="make -s -f $top/examples/copy/Makefile VPATH=$top/examples/copy"
eal_args=(--no-huge -m 256 --no-pci --no-shconf --log-level=lib.eal:error)

# 2. Linked with librte_sva_sim.pc, no -d.
ex="$inst/ex-sim"
mkdir "$ex"
if PKG_CONFIG_PATH="$pcdir" $mk -C "$ex" \
	LDFLAGS="-Wl,-rpath,$libdir" >/dev/null &&
   LD_LIBRARY_PATH="$libdir" "$ex/sva_copy" "${eal_args[@]}" \
	--vdev=sva_sim0 -- 65536 | grep -q verified; then
	ok "example linked with pkg-config librte_sva_sim: sva_sim found, copy verified"
else
	bad "example linked with pkg-config librte_sva_sim"
fi

# 3. Linked with librte_sva.pc only: the driver comes from the plugin dir.
ex="$inst/ex-plugin"
mkdir "$ex"
if PKG_CONFIG_PATH="$pcdir" $mk -C "$ex" SVA_PC=librte_sva \
	LDFLAGS="-Wl,-rpath,$libdir" >/dev/null &&
   ! readelf -d "$ex/sva_copy" | grep -q 'librte_sva_sim' &&
   LD_LIBRARY_PATH="$libdir" "$ex/sva_copy" "${eal_args[@]}" \
	-d "$pmd" --vdev=sva_sim0 -- 65536 | grep -q verified; then
	ok "example without a driver linked: sva_sim loaded from the plugin directory"
else
	bad "example without a driver linked, -d ${pmd#$inst}"
fi
finish
