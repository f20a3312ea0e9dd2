# librte_sva kernel lab: shared settings (sourced by lab/*.sh).
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$LAB_DIR/.." && pwd)
LAB_CACHE=${SVA_LAB_CACHE:-/var/cache/sva-lab}
LAB_KVER_PKG=${SVA_LAB_KERNEL_PKG:-linux-source-7.2}
LAB_SUITE=${SVA_LAB_SUITE:-sid}
LAB_MIRROR=${SVA_LAB_MIRROR:-http://deb.debian.org/debian}

lab_log() { printf 'lab: %s\n' "$*" >&2; }
lab_die() { printf 'lab: error: %s\n' "$*" >&2; exit 2; }

# Host packages from the system's normal (bookworm) sources.
LAB_HOST_PKGS="qemu-system-x86 busybox-static build-essential bc bison flex \
libelf-dev libssl-dev cpio xz-utils gzip kmod python3 util-linux coreutils \
gnupg ca-certificates"

lab_install_host_pkgs() {
	local missing=() p
	for p in $LAB_HOST_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	lab_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	timeout 900 apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2 ||
		{ timeout 300 apt-get -o DPkg::Lock::Timeout=600 update >&2 &&
		  timeout 900 apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >&2; } ||
		lab_die "could not install ${missing[*]}"
}

# A private apt view of Debian $LAB_SUITE: its own sources.list, lists, cache.
# The system's apt configuration and sources are never changed.
LAB_APT_DIR=$LAB_CACHE/apt-$LAB_SUITE
lab_apt_opts() {
	APT_OPTS=(-o "Dir::Etc::sourcelist=$LAB_APT_DIR/sources.list"
		-o "Dir::Etc::sourceparts=$LAB_APT_DIR/sources.list.d"
		-o "Dir::Etc::preferencesparts=$LAB_APT_DIR/preferences.d"
		-o "Dir::State::Lists=$LAB_APT_DIR/lists"
		-o "Dir::Cache=$LAB_APT_DIR/cache"
		-o "APT::Architecture=amd64"
		-o "Acquire::Languages=none"
		-o "DPkg::Lock::Timeout=60")
}
lab_apt_view() {
	mkdir -p "$LAB_APT_DIR"/{sources.list.d,preferences.d,lists/partial,cache/archives/partial}
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $LAB_MIRROR $LAB_SUITE main" \
		>"$LAB_APT_DIR/sources.list"
	lab_apt_opts
}
