#!/usr/bin/env bash
# Set up, build and run every test: the meson test suites on a release
# build, again on an ASan+UBSan build, and under TSan the suites in which
# no device access takes a signal.
#   usertools/sva-run-tests.sh [--quick]   (--quick: release build only)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
quick=0
[ "${1:-}" = "--quick" ] && quick=1

fail=0
ran=(build)
step() { printf '\n=== %s\n' "$*"; }

step "release build and tests"
bash usertools/sva-build.sh build
meson test -C build --print-errorlogs --suite sva || fail=1

# --- API reference (begin) ---
# The doxygen build of the installed headers; any warning fails it. Its own
# log name, so the release log the summary reads stays whole.
step "API reference: doxygen, warnings are errors"
meson test -C build --print-errorlogs --suite docs --logbase docs || fail=1
# --- API reference (end) ---

step "install, then build and run an example against it with pkg-config"
inst=$(mktemp -d)
ex_ok=1
DESTDIR="$inst" meson install -C build --quiet >/dev/null || ex_ok=0
pc=$(find "$inst" -name librte_sva.pc | head -n1)
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
# Point the staged .pc file at the staging directory. The example's rpath
# (a RUNPATH) covers only its own direct dependencies: the drivers' own
# (librte_common_sw_iommu) are found as an installed system finds them,
# through the loader's path, here LD_LIBRARY_PATH.
sed -i "s|^prefix=\(.*\)|prefix=$inst\1|" "$pc"
if [ $ex_ok -eq 1 ] && PKG_CONFIG_PATH="$pcdir" make -s -C examples/copy \
	LDFLAGS="-L$libdir -Wl,-rpath,$libdir" >/dev/null &&
   LD_LIBRARY_PATH="$libdir" ./examples/copy/sva_copy --no-huge -m 256 --no-pci --no-shconf \
	--log-level=lib.eal:error --vdev=sva_sim0 -- 65536 | grep -q verified; then
	echo "installed library: example built with pkg-config and verified"
	echo "example: 1 passed, 0 failed"
else
	echo "installed library: example FAILED"
	echo "example: 0 passed, 1 failed"
	fail=1
fi
make -s -C examples/copy clean
rm -rf "$inst"

if [ $quick -eq 0 ]; then
	step "ASan+UBSan build and tests"
	bash usertools/sva-build.sh build-asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized
	# DPDK's EAL keeps its allocations until exit: leak checking is off.
	# The sim device installs its own SIGSEGV handler (device faults).
	ASAN_OPTIONS=detect_leaks=0:allow_user_segv_handler=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C build-asan --print-errorlogs --suite sva || fail=1

	ran+=(build-asan build-tsan)
	step "TSan build: every suite without device-fault signals"
	bash usertools/sva-build.sh build-tsan -Db_sanitize=thread \
		-Db_lundef=false -Dbuildtype=debugoptimized
	TSAN_OPTIONS="halt_on_error=1:report_signal_unsafe=0:suppressions=$top/config/tsan.supp" \
		meson test -C build-tsan --print-errorlogs --suite tsan || fail=1
fi

# --- kernel lab (lab/) ---
# The real-kernel lab (doc/guides/kernel_lab.rst): a QEMU guest running a
# Linux 7.x kernel with iommufd, a vIOMMU and edu runs suite kernel-lab-guest.
# The kernel is built once (cold: 11-18 min) and cached in $SVA_LAB_CACHE
# (default /var/cache/sva-lab); SVA_LAB_SKIP=1 skips the lab (not for CI).
step "kernel lab: the kernel-lab cases in a Linux 7.x guest"
if [ "${SVA_LAB_SKIP:-0}" = 1 ]; then
	echo "kernel-lab: skipped (SVA_LAB_SKIP=1)"
elif ! timeout -k 30 2400 bash lab/lab.sh kernel >build/kernel-lab-kernel.log 2>&1; then
	tail -n 60 build/kernel-lab-kernel.log
	echo "kernel-lab: the lab kernel could not be built (build/kernel-lab-kernel.log)"
	fail=1
else
	grep -E '^lab: (kernel cache|built)' build/kernel-lab-kernel.log || true
	meson test -C build --suite kernel-lab --logbase kernel-lab --verbose || fail=1
fi
# --- end kernel lab ---

step "summary"
# Each suite run ends with "N passed, N failed, N skipped"; add them up over
# every build's test log.
python3 - "${ran[@]}" <<'PY'
import re, sys, os
p = f = k = 0
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.txt")
    if not os.path.exists(log):
        continue
    for m in re.finditer(r"^(\d+) passed, (\d+) failed, (\d+) skipped$",
                         open(log, errors="replace").read(), re.M):
        p += int(m[1]); f += int(m[2]); k += int(m[3])
print(f"total: {p} passed, {f} failed, {k} skipped")
PY
if [ $fail -ne 0 ]; then
	echo "FAILED: see the logs above"
	exit 1
fi
echo "all test runs passed"
