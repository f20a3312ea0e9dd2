#!/bin/busybox sh
# librte_sva kernel lab: the guest's /init (busybox, in the initramfs).
# The host's / arrives read-only over virtio-9p (tag hostroot) and gets a RAM
# overlay; the job directory (tag labio, read-write) is mounted at the same
# path as on the host; the job (job.sh there) runs as root in a chroot of
# that tree, so the guest runs the host's binaries at the host's paths.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
job=
for a in $(cat /proc/cmdline); do
	case "$a" in sva_lab.job=*) job=${a#sva_lab.job=} ;; esac
done
say() { echo "sva-lab-init: $*" >/dev/console; }
die() { say "FATAL: $*"; echo "sva-lab-init: FATAL: $*" >/dev/kmsg; poweroff -f; }
[ -n "$job" ] || die "no sva_lab.job= on the command line"

mkdir -p /lower /ram /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower ||
	die "cannot mount the host's / (9p tag hostroot)"
mount -t tmpfs -o size=1536m,mode=0755 tmpfs /ram
mkdir -p /ram/upper /ram/work
if ! mount -t overlay overlay -o lowerdir=/lower,upperdir=/ram/upper,workdir=/ram/work /newroot; then
	say "overlay on 9p failed: read-only root with RAM /tmp /run /var/tmp"
	mount --bind /lower /newroot
	mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
	mount -t tmpfs -o mode=0755 tmpfs /newroot/run
fi
for d in proc sys dev; do mount --move /$d /newroot/$d || die "move /$d"; done
mkdir -p /newroot/dev/shm /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts 2>/dev/null
mkdir -p "/newroot$job" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none labio "/newroot$job" ||
	die "cannot mount the job directory (9p tag labio) at $job"
[ -f "/newroot$job/job.sh" ] || die "no $job/job.sh"
say "booted $(uname -r); running $job/job.sh"
chroot /newroot /bin/bash "$job/job.sh"
say "job exited $?"
sync
poweroff -f
