#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run DPDK's dmadev conformance test (dmadev_autotest of dpdk-test) on a
# dma_sva device over the sva_sim software device, and say whether every
# test that applies ran and passed on it.
#
#   run-dmadev-autotest.sh [--sva-lib P] [--sim-lib P] [--dma-lib P]
#                          [--plain|--sanitized|--preload LIB[:LIB...]]
#
# --sanitized: the libraries are built with sanitizers dpdk-test cannot load:
# skip. --preload: preload these sanitizer runtimes into dpdk-test (ASan and
# UBSan builds with GCC); ASAN_OPTIONS defaults to detect_leaks=0 (the EAL
# keeps its memory until exit) and allow_user_segv_handler=1 (sva_sim
# handles the SIGSEGV of a device page fault).
#
# Library paths default to the build/ directory of this checkout;
# DPDK_TEST_BIN overrides /usr/bin/dpdk-test. The last line is
# "N passed, N failed, N skipped"; the exit status is 0 (passed), 1 (failed)
# or 77 (skipped, meson's code for it).
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
sva_lib=$top/build/lib/librte_sva/librte_sva.so
sim_lib=$top/build/drivers/librte_sva_sim.so
dma_lib=$top/build/drivers/librte_dma_sva.so
sanitized=0
preload=
while [ $# -gt 0 ]; do
	case "$1" in
	--sva-lib) sva_lib=$2; shift 2 ;;
	--sim-lib) sim_lib=$2; shift 2 ;;
	--dma-lib) dma_lib=$2; shift 2 ;;
	--sanitized) sanitized=1; shift ;;
	--plain) sanitized=0; shift ;;
	--preload) preload=$2; shift 2 ;;
	*) echo "usage: $0 [--sva-lib P] [--sim-lib P] [--dma-lib P] [--plain|--sanitized|--preload LIBS]" >&2
	   exit 2 ;;
	esac
done

skip() {
	echo "dmadev_autotest: SKIPPED: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
}
fail() {
	echo "dmadev_autotest: FAILED: $*"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

bin=${DPDK_TEST_BIN:-/usr/bin/dpdk-test}
[ -x "$bin" ] || skip "$bin not found (Debian package dpdk-dev)"
[ $sanitized -eq 0 ] || skip "sanitizer build: $bin is not instrumented and cannot load these libraries"
for l in "$sva_lib" "$sim_lib" "$dma_lib"; do
	[ -f "$l" ] || fail "$l not built"
done

log=$(mktemp)
# The EAL loads -d libraries only from directories no one else may write
# to, all the way up: a build directory under /tmp would be refused. Load
# copies from a private directory in $HOME instead (the libraries find
# each other by soname, once loaded).
libdir=$(mktemp -d -p "${HOME:-/root}" .sva-dmadev-XXXXXX)
trap 'rm -f "$log"; rm -rf "$libdir"' EXIT
chmod 700 "$libdir"
cp "$sva_lib" "$sim_lib" "$dma_lib" "$libdir/"
# And what they link to from this build (the sim's software IOMMU
# component, ...), under its soname, found through LD_LIBRARY_PATH: their
# build-tree RUNPATH does not reach it from the copies.
for l in "$sva_lib" "$sim_lib" "$dma_lib"; do
	ldd "$l" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }'
done | sort -u | while read -r soname path; do
	case "$path" in
	/usr/*|/lib/*|/lib64/*) ;;
	*) cp -L "$path" "$libdir/$soname" ;;
	esac
done
sva_lib=$libdir/$(basename "$sva_lib")
sim_lib=$libdir/$(basename "$sim_lib")
dma_lib=$libdir/$(basename "$dma_lib")
# silent=0: from 23.11 on, dmadev_autotest runs its API cases on every
# dmadev, and up to 25.11 those expect rte_dma_configure() to refuse
# enable_silent on every device (DPDK fixed the test after 25.11). dma_sva
# offers silent mode over sva_sim; the devarg withholds it for this run.
cmd=("$bin" --no-huge -m 1024 --no-pci --no-shconf -l 0,1
     -d "$sva_lib" -d "$sim_lib" -d "$dma_lib"
     --vdev=sva_sim0 --vdev=dma_sva0,dev=sva_sim0,silent=0
     --vdev=dma_sva1,dev=sva_sim0,queue=1,silent=0)
envs=(DPDK_TEST=dmadev_autotest "LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
if [ -n "$preload" ]; then
	envs+=("LD_PRELOAD=${preload//:/ }"
	       "ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allow_user_segv_handler=1}")
fi
echo "${envs[*]} ${cmd[*]}"
timeout 500 env "${envs[@]}" "${cmd[@]}" </dev/null 2>&1 |
	tr '\r' '\n' >"$log"
rc=${PIPESTATUS[0]}

# The progress lines ("Ops submitted: ...", one per iteration) are noise;
# keep the last of each run.
awk '/^Ops submitted:/ { last = $0; next }
     { if (last != "") { print last; last = "" } print }
     END { if (last != "") print last }' "$log"

if grep -q "world-writable and insecure" "$log"; then
	fail "EAL refuses -d libraries below a world-writable directory: move the build directory"
fi
[ $rc -eq 0 ] || fail "dpdk-test exited with status $rc"
grep -q '^Test OK' "$log" || fail "no \"Test OK\" line"
# Two adapters on one SVA device (issue 13): each is tested in turn.
for d in dma_sva0 dma_sva1; do
	id=$(sed -n "s/^### Test dmadev instance \([0-9]*\) \[$d\]\$/\1/p" "$log")
	[ -n "$id" ] || fail "$d was not tested (not probed?)"
	for t in "copy" "burst capacity" "error handling" "fill"; do
		grep -q "^DMA Dev $id: Running ${t// /[ _]} Tests" "$log" ||  # 24.11: burst_capacity
			fail "the $t tests did not run on $d"
	done
	if grep -q "^DMA Dev $id: .*skipping" "$log"; then
		fail "tests skipped on $d: $(grep "^DMA Dev $id: .*skipping" "$log")"
	fi
	echo "dmadev_autotest: $d (dmadev $id) passed copy, burst capacity, error handling and fill"
done
echo "1 passed, 0 failed, 0 skipped"
exit 0
