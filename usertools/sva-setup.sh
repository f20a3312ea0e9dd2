#!/usr/bin/env bash
# Installs what librte_sva needs on Debian 12 and fetches the DPDK driver SDK
# headers that libdpdk-dev leaves out, from the source package that matches the
# installed libdpdk version.  Idempotent; safe to run on every build.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sdk_dir="${SVA_DPDK_SDK_DIR:-$top/build-deps/dpdk-sdk}"

need_pkgs=(build-essential meson ninja-build pkg-config libdpdk-dev dpdk dpdk-dev
           python3-pyelftools libnuma-dev dpkg-dev python3
           libisal-dev  # ISA-L: the sim's and the CPU baseline's crc32c
           doxygen)  # the API reference and its test (suite 'docs')

missing=()
for p in "${need_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
		|| missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "sva-setup: missing packages ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "sva-setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dpdk_ver=$(dpkg-query -W -f='${Version}' libdpdk-dev)
stamp="$sdk_dir/.version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$dpdk_ver" ]; then
	echo "sva-setup: DPDK SDK headers for $dpdk_ver present in $sdk_dir"
	exit 0
fi

# deb-src entries mirroring the configured deb ones, so 'apt-get source' works.
src_list=/etc/apt/sources.list.d/sva-deb-src.sources
if ! apt-get source --print-uris "dpdk=$dpdk_ver" >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "sva-setup: deb-src not enabled; run as root" >&2
		exit 1
	fi
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -e 's/^Types: deb$/Types: deb-src/' \
			/etc/apt/sources.list.d/debian.sources > "$src_list"
	else
		grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
			> /etc/apt/sources.list.d/sva-deb-src.list
	fi
	apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "sva-setup: fetching dpdk $dpdk_ver source for the driver SDK headers"
(cd "$work" && apt-get source -qq --download-only "dpdk=$dpdk_ver" >/dev/null)
orig=$(ls "$work"/dpdk_*.orig.tar.* | head -n1)

# Only the headers DPDK's own drivers use but Debian does not install.
headers=(
	lib/eal/include/bus_driver.h
	lib/eal/include/dev_driver.h
	drivers/bus/vdev/bus_vdev_driver.h
	drivers/bus/pci/bus_pci_driver.h
	lib/dmadev/rte_dmadev_pmd.h
	lib/ethdev/ethdev_driver.h
)
tar -C "$work" -xf "$orig" --wildcards $(printf '*/%s ' "${headers[@]}")
rm -rf "$sdk_dir"
mkdir -p "$sdk_dir"
for h in "${headers[@]}"; do
	cp "$work"/*/"$h" "$sdk_dir/"
done
echo "$dpdk_ver" > "$stamp"
echo "sva-setup: DPDK SDK headers for $dpdk_ver installed in $sdk_dir"
