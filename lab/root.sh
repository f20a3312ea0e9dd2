#!/usr/bin/env bash
# Scratch Debian roots for the DPDK release matrix and the package check.
#
#   lab/root.sh path    SUITE             create (once) and print the root
#   lab/root.sh install SUITE PKG...      install packages inside it
#   lab/root.sh run     SUITE [--bind DIR]... [--chdir DIR] -- CMD...
#
# A root is a debootstrap'ed minbase Debian SUITE (bookworm, trixie, sid)
# cached under $SVA_ROOT_CACHE (default /var/cache/sva-roots/SUITE). Its apt
# sources are the root's own (written by debootstrap inside it): the host's
# apt configuration is never read or changed. `run` enters the root in a
# private mount namespace (unshare -m), so /proc, /sys, /dev, a fresh
# /dev/shm and every --bind DIR (mounted at the same path, read-write)
# disappear with the command; nothing stays mounted on the host.
# Callers of one SUITE share a lock file beside the root: a run holds it
# shared for as long as its command runs (runs overlap), a build, a
# rebuild (ROOT_RECIPE bumped) or an install takes it exclusive, so it
# waits for the runs inside the root to end and no run starts meanwhile.
set -euo pipefail

ROOT_CACHE=${SVA_ROOT_CACHE:-/var/cache/sva-roots}
ROOT_MIRROR=${SVA_ROOT_MIRROR:-http://deb.debian.org/debian}
# Bump when the recipe below changes: an older root is rebuilt.
ROOT_RECIPE=1
ROOT_BASE_PKGS="ca-certificates"

root_log() { printf 'root: %s\n' "$*" >&2; }
root_die() { printf 'root: error: %s\n' "$*" >&2; exit 2; }

root_suite_ok() {
	case "$1" in
	bookworm | trixie | forky | sid) ;;
	*) root_die "unknown suite '$1' (bookworm, trixie, forky or sid)" ;;
	esac
}

# The host tools: debootstrap from the system's own (bookworm) sources.
root_host_tools() {
	command -v debootstrap >/dev/null && return 0
	root_log "installing debootstrap"
	export DEBIAN_FRONTEND=noninteractive
	timeout 600 apt-get -o DPkg::Lock::Timeout=600 install -y \
		--no-install-recommends debootstrap >&2 ||
		{ timeout 300 apt-get -o DPkg::Lock::Timeout=600 update >&2 &&
		  timeout 600 apt-get -o DPkg::Lock::Timeout=600 install -y \
			--no-install-recommends debootstrap >&2; } ||
		root_die "could not install debootstrap"
}

# Take the suite's lock for the rest of the process (fd 9): -x exclusive,
# -s shared. flock on the fd already locked converts the lock (not
# atomically: the other kind may come between).
root_lock() {
	local kind=$1 suite=$2
	install -d -m 0755 "$ROOT_CACHE"
	# The cache must be root's own: a world-writable or foreign-owned cache
	# would let another user plant files that run as root in the chroot.
	[ "$(stat -c %u "$ROOT_CACHE")" = 0 ] ||
		root_die "$ROOT_CACHE is not owned by root"
	[ $(( 0$(stat -c %a "$ROOT_CACHE") & 022 )) -eq 0 ] ||
		root_die "$ROOT_CACHE is group- or world-writable"
	[ -n "${root_locked-}" ] || { exec 9>"$ROOT_CACHE/$suite.lock"; root_locked=1; }
	flock "$kind" -w 3600 9 || root_die "timed out waiting for $ROOT_CACHE/$suite.lock"
}

# Whether a complete root of this recipe is there.
root_ready() {
	local dir=$ROOT_CACHE/$1
	[ -f "$dir/.sva-root" ] && [ "$(cat "$dir/.sva-root")" = "$ROOT_RECIPE" ]
}

# For a run: the lock shared, over a complete root of this recipe. Built
# (exclusive) first when it is not; checked again once shared, as another
# recipe may have rebuilt it between the two locks.
root_lock_run() {
	local suite=$1 try
	root_lock -s "$suite"
	for try in 1 2 3; do
		root_ready "$suite" && return 0
		root_lock -x "$suite"
		root_ensure "$suite"
		root_lock -s "$suite"
	done
	root_die "the $suite root keeps being rebuilt for another recipe than $ROOT_RECIPE (another checkout's lab/root.sh?)"
}

# Create the root of SUITE unless a complete one of this recipe exists.
# Built in a temporary directory and renamed, so an interrupted build never
# looks complete.
root_ensure() {
	local suite=$1 dir=$ROOT_CACHE/$1 tmp
	root_ready "$suite" && return 0
	root_host_tools
	tmp=$ROOT_CACHE/.$suite.new
	rm -rf "$tmp" "$dir"
	root_log "debootstrap $suite into $dir (once; cached)"
	local t0=$SECONDS
	if ! timeout 1800 debootstrap --variant=minbase --include="${ROOT_BASE_PKGS// /,}" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		"$suite" "$tmp" "$ROOT_MIRROR" >"$ROOT_CACHE/$suite.debootstrap.log" 2>&1; then
		tail -n 30 "$ROOT_CACHE/$suite.debootstrap.log" >&2
		rm -rf "$tmp"
		root_die "debootstrap of $suite failed ($ROOT_CACHE/$suite.debootstrap.log)"
	fi
	# No daemons start inside the root while packages install.
	printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
	chmod 0755 "$tmp/usr/sbin/policy-rc.d"
	echo "$ROOT_RECIPE" >"$tmp/.sva-root"
	mv "$tmp" "$dir"
	root_log "$suite root ready in $((SECONDS - t0)) s"
}

# Run CMD... in the root of SUITE; binds and chdir from the arguments.
root_run() {
	local suite=$1; shift
	local dir=$ROOT_CACHE/$suite binds=() chdir=/ b
	while [ $# -gt 0 ]; do
		case "$1" in
		--bind) [ $# -ge 2 ] || root_die "--bind needs a directory"
			[ -d "$2" ] || root_die "--bind $2: not a directory"
			binds+=("$(cd "$2" && pwd -P)"); shift 2 ;;
		--chdir) [ $# -ge 2 ] || root_die "--chdir needs a directory"
			chdir=$2; shift 2 ;;
		--) shift; break ;;
		*) root_die "run: unknown option '$1' (expected --bind, --chdir or --)" ;;
		esac
	done
	[ $# -gt 0 ] || root_die "run: no command after --"
	for b in "${binds[@]}"; do
		case "$b" in /) root_die "--bind /: refusing to bind the host root" ;; esac
	done
	# The mounts live only in the new namespace; 'private' stops them
	# propagating back to the host's mount table.
	unshare -m --propagation private -- bash -c '
		set -e
		dir=$1 chdir=$2; shift 2
		binds=()
		while [ "$1" != "--" ]; do binds+=("$1"); shift; done
		shift
		mount -t proc proc "$dir/proc"
		mount --rbind /sys "$dir/sys"
		mount --rbind /dev "$dir/dev"
		mount -t tmpfs -o mode=1777 shm "$dir/dev/shm"
		[ -f /etc/resolv.conf ] && cp /etc/resolv.conf "$dir/etc/resolv.conf"
		for b in "${binds[@]}"; do
			mkdir -p "$dir$b"
			mount --bind "$b" "$dir$b"
		done
		exec chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			sh -c "cd \"\$0\" && exec \"\$@\"" "$chdir" "$@"
	' root-run "$dir" "$chdir" "${binds[@]}" -- "$@"
}

# Install PKG... inside the root (apt of the root itself), if missing.
root_install() {
	local suite=$1; shift
	local missing=() p dir=$ROOT_CACHE/$suite
	for p in "$@"; do
		chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	root_log "$suite: installing ${missing[*]}"
	root_run "$suite" -- sh -c 'apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" ||
		{ apt-get update && apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@"; }' \
		apt "${missing[@]}" >"$dir/../$suite.install.log" 2>&1 ||
		{ tail -n 30 "$dir/../$suite.install.log" >&2; root_die "$suite: could not install ${missing[*]}"; }
}

[ "$(id -u)" = 0 ] || root_die "scratch roots need root (debootstrap, chroot, mounts)"
[ $# -ge 2 ] || root_die "usage: root.sh path|install|run SUITE ..."
cmd=$1 suite=$2; shift 2
root_suite_ok "$suite"
case "$cmd" in
path | install) root_lock -x "$suite"; root_ensure "$suite" ;;
run) root_lock_run "$suite" ;;
*) root_die "unknown command '$cmd' (path, install or run)" ;;
esac
# This shell keeps the lock (fd 9) until the command ends; the command
# gets no fd 9 (a daemon it left behind would hold the lock on).
case "$cmd" in
path) echo "$ROOT_CACHE/$suite" ;;
install) root_install "$suite" "$@" 9>&- ;;
run) root_run "$suite" "$@" 9>&- ;;  # runs overlap: the lock is shared
esac
