#!/bin/bash
# librte_sva kernel lab: fetch Debian sid's linux-source-7.2 through a private
# apt view, build a bzImage with lab/kernel.config merged onto x86_64
# defconfig, and cache it outside the clone:
#   $SVA_LAB_CACHE (default /var/cache/sva-lab)/linux-<pkgversion>-<cfghash>/bzImage
# A cache hit does no build. Prints the bzImage path on stdout.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

JOBS=${SVA_LAB_JOBS:-2}
mkdir -p "$LAB_CACHE"
# The key: the package version + a hash of the fragment and of the recipe
# (bump LAB_KERNEL_RECIPE when a change here changes the kernel built).
LAB_KERNEL_RECIPE=1
CFG_HASH=$( { cat "$LAB_DIR/kernel.config"; echo "recipe $LAB_KERNEL_RECIPE"; } | sha256sum | cut -c1-12)

exec 9>"$LAB_CACHE/kernel.lock"
flock -w 3600 9 || lab_die "kernel cache lock busy for an hour"

# The version: from the private lists (refreshed when older than 12 h).
resolve_version() {
	lab_apt_view
	local stamp="$LAB_APT_DIR/lists/.updated"
	if [ -z "$(find "$stamp" -mmin -720 2>/dev/null)" ]; then
		if timeout 600 apt-get "${APT_OPTS[@]}" update >&2; then
			touch "$stamp"
		else
			lab_log "private apt update of $LAB_SUITE failed"
			return 1
		fi
	fi
	apt-cache "${APT_OPTS[@]}" show "$LAB_KVER_PKG" 2>/dev/null |
		awk '/^Version:/ {print $2; exit}'
}

lab_apt_view
VER=${SVA_LAB_KERNEL_VERSION:-}
[ -n "$VER" ] || VER=$(resolve_version || true)
if [ -z "$VER" ]; then
	# Offline: the newest cached build of this config, if any.
	hit=$(ls -1dt "$LAB_CACHE"/linux-*-"$CFG_HASH" 2>/dev/null | head -1 || true)
	[ -n "$hit" ] && [ -f "$hit/bzImage" ] && { lab_log "offline: using $hit"; echo "$hit/bzImage"; exit 0; }
	lab_die "cannot resolve $LAB_KVER_PKG's version from $LAB_SUITE and no cached kernel"
fi
OUT="$LAB_CACHE/linux-$VER-$CFG_HASH"
if [ -f "$OUT/bzImage" ]; then
	lab_log "kernel cache hit: $OUT"
	echo "$OUT/bzImage"
	exit 0
fi

lab_log "kernel cache miss: building $LAB_KVER_PKG $VER (config $CFG_HASH)"
lab_install_host_pkgs
DEBDIR="$LAB_CACHE/debs"
mkdir -p "$DEBDIR"
deb=$(ls "$DEBDIR"/"${LAB_KVER_PKG}"_"${VER//:/%3a}"_all.deb 2>/dev/null || true)
if [ -z "$deb" ]; then
	(cd "$DEBDIR" && timeout 1800 apt-get "${APT_OPTS[@]}" download "$LAB_KVER_PKG=$VER" >&2) ||
		lab_die "apt-get download $LAB_KVER_PKG=$VER failed"
	deb=$(ls "$DEBDIR"/"${LAB_KVER_PKG}"_*_all.deb | grep -F "_${VER//:/%3a}_" | head -1)
fi
SRCROOT="$LAB_CACHE/src-$VER"
if [ ! -f "$SRCROOT/.extracted" ]; then
	rm -rf "$SRCROOT"; mkdir -p "$SRCROOT"
	dpkg-deb -x "$deb" "$SRCROOT/deb"
	tarball=$(ls "$SRCROOT"/deb/usr/src/linux-source-*.tar.* | head -1)
	tar -C "$SRCROOT" -xf "$tarball"
	rm -rf "$SRCROOT/deb"
	touch "$SRCROOT/.extracted"
fi
KSRC=$(ls -d "$SRCROOT"/linux-source-* | head -1)
BUILD="$LAB_CACHE/build-$VER-$CFG_HASH"
mkdir -p "$BUILD"
t0=$(date +%s)
make -C "$KSRC" O="$BUILD" ARCH=x86_64 defconfig >&2
"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" "$BUILD/.config" "$LAB_DIR/kernel.config" >&2
make -C "$KSRC" O="$BUILD" ARCH=x86_64 olddefconfig >&2
# Every required option must have survived olddefconfig.
missing=0
while IFS= read -r line; do
	opt=${line%%=*}
	if ! grep -qx "$line" "$BUILD/.config"; then
		lab_log "REQUIRED OPTION MISSING: $line (have: $(grep -E "^$opt=|^# $opt is not set" "$BUILD/.config" || echo absent))"
		missing=1
	fi
done < <(grep -E '^CONFIG_[A-Z0-9_]+=y$' "$LAB_DIR/kernel.config")
[ $missing -eq 0 ] || lab_die "kernel config lacks required options (see above)"
nice -n 5 make -C "$KSRC" O="$BUILD" ARCH=x86_64 -j"$JOBS" bzImage >&2 ||
	lab_die "kernel build failed (log above)"
mkdir -p "$OUT.tmp"
cp "$BUILD/arch/x86/boot/bzImage" "$OUT.tmp/bzImage"
cp "$BUILD/.config" "$OUT.tmp/config"
make -s -C "$KSRC" O="$BUILD" kernelrelease >"$OUT.tmp/release" 2>/dev/null || true
echo "$(( $(date +%s) - t0 ))" >"$OUT.tmp/build-seconds"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
lab_log "built $OUT/bzImage in $(cat "$OUT/build-seconds") s"
# The object tree is large; keep it only if asked (incremental rebuilds).
[ -n "${SVA_LAB_KEEP_BUILD:-}" ] || rm -rf "$BUILD"
# Keep the two newest kernels; drop sources and .debs of other versions.
ls -1dt "$LAB_CACHE"/linux-*-*/ 2>/dev/null | tail -n +3 | xargs -r rm -rf
for d in "$LAB_CACHE"/src-*; do
	[ -d "$d" ] && [ "$d" != "$SRCROOT" ] && rm -rf "$d"
done
find "$DEBDIR" -name '*.deb' ! -name "$(basename "$deb")" -delete 2>/dev/null || true
echo "$OUT/bzImage"
