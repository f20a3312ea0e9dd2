#!/usr/bin/env bash
# Configure and build librte_sva into a build directory.
#   usertools/sva-build.sh [BUILD_DIR] [extra meson options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
shift || true
cd "$top"
bash usertools/sva-setup.sh
if [ ! -f "$dir/build.ninja" ]; then
	meson setup "$dir" "$@"
elif [ $# -gt 0 ]; then
	meson configure "$dir" "$@"
fi
ninja -C "$dir"
