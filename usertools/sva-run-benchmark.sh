#!/usr/bin/env bash
# Set up, build, and run dpdk-test-sva on the software device (sva_sim), with
# a CPU memcpy and a DPDK dma_skeleton baseline in the same process.
#   usertools/sva-run-benchmark.sh [dpdk-test-sva options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash usertools/sva-build.sh build
ncpu=$(nproc)
# Main lcore on CPU 0; the sim engine and the dma_skeleton worker on the
# second core (the sim picks the first CPU not used by the main lcore).
lcores="0,1"
[ "$ncpu" -ge 2 ] || lcores="0"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--op copy,fill,crc32c --size 64,4K,64K --duration 1)
exec ./build/app/test-sva/dpdk-test-sva --no-huge -m 1024 --no-pci --no-shconf \
	-l "$lcores" --log-level=lib.eal:error --log-level=pmd.dma.skeleton:error \
	--vdev=sva_sim0 --vdev=dma_skeleton0,lcore=${lcores##*,} -- "${args[@]}"
