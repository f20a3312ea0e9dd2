#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
#
# librte_sva kernel lab: a QEMU (TCG) guest running a Linux 7.x kernel built
# with IOMMUFD + IOMMUFD_TEST, an emulated Intel IOMMU and QEMU's edu device;
# the host's / is the guest's root (read-only 9p + RAM overlay), so the guest
# runs the binaries of the host's build tree at the same paths.
#
#   bash lab/lab.sh kernel                 install packages, build or reuse the
#                                          cached kernel; print its bzImage path
#   bash lab/lab.sh run [--timeout S] -- CMD...
#                                          boot, run CMD as root in the guest
#                                          (cwd preserved), print its output,
#                                          exit with its exit code
#   bash lab/lab.sh test [--build DIR] [--list] [CASE...]
#                                          run the guest cases (every meson test
#                                          of suite kernel-lab-guest in DIR,
#                                          default build/), print per-case
#                                          results, "kernel-lab: N passed, N
#                                          failed" and the guest's uname -r
#
# Environment: SVA_LAB_CACHE (default /var/cache/sva-lab) holds the kernel,
# the private apt view of sid, the initramfs and the job directories;
# SVA_LAB_JOBS (make -j for the kernel, default 2); SVA_LAB_KEEP_JOBS=1 keeps
# job directories (console log, per-case logs) after a run; SVA_LAB_BOOT_TRIES
# (3) boots that never reach the job; SVA_LAB_TEST_TIMEOUT (1500 s) bounds a
# test run's guest.
# Exit codes: run: the command's; test: 0 all passed, 1 a case failed;
# 2 the lab could not run (no kernel, no boot, timeout).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '5,/^set -euo/p' "$LAB_DIR/lab.sh" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

lab_kernel() {
	lab_install_host_pkgs
	bash "$LAB_DIR/kernel.sh"
}

# The initramfs: busybox-static and lab/init.sh, cached by their hash.
lab_initramfs() {
	local bb=/bin/busybox h out st
	[ -x "$bb" ] && "$bb" --list 2>/dev/null | grep -x chroot >/dev/null ||
		{ lab_log "busybox-static missing"; return 2; }
	h=$(cat "$LAB_DIR/init.sh" "$bb" | sha256sum | cut -c1-12)
	out="$LAB_CACHE/initramfs-$h.cpio.gz"
	if [ ! -f "$out" ]; then
		st=$(mktemp -d "$LAB_CACHE/initramfs.XXXXXX")
		mkdir -p "$st"/{bin,proc,sys,dev,lower,ram,newroot}
		cp "$bb" "$st/bin/busybox"
		ln -s busybox "$st/bin/sh"
		install -m 0755 "$LAB_DIR/init.sh" "$st/init"
		(cd "$st" && find . | cpio -o -H newc --quiet | gzip -1) >"$st.cpio.gz"
		mv "$st.cpio.gz" "$out"   # atomic: concurrent runs each build their own
		rm -rf "$st"
	fi
	echo "$out"
}

# lab_boot JOBDIR TIMEOUT: boot the guest on JOBDIR/job.sh; QEMU is killed
# after TIMEOUT seconds. The console goes to JOBDIR/console.log. A boot that
# never reaches the job (the guest's prologue writes JOBDIR/uname first) is
# retried, up to SVA_LAB_BOOT_TRIES (3) boots: under TCG on a loaded host the
# kernel's early checks can fail (no_timer_check below avoids the known one).
lab_boot() {
	local job=$1 tmo=$2 kernel initrd rc try tries=${SVA_LAB_BOOT_TRIES:-3}
	lab_install_host_pkgs
	kernel=$(bash "$LAB_DIR/kernel.sh") || { lab_log "no kernel (bash lab/lab.sh kernel)"; return 2; }
	initrd=$(lab_initramfs) || return 2
	command -v qemu-system-x86_64 >/dev/null || { lab_log "qemu-system-x86_64 missing"; return 2; }
	cat "$(dirname "$kernel")/release" >"$job/kernel-release" 2>/dev/null || true
	for try in $(seq 1 "$tries"); do
		rc=0
		rm -f "$job/uname"
		# intel-iommu comes first: it must exist before the devices it covers.
		# aw-bits=48: the default 39 bits cannot hold a user VA as an IOVA.
		# edu's dma_mask: else it clamps DMA addresses to 28 bits.
		timeout -k 10 "$tmo" qemu-system-x86_64 \
			-nodefaults -display none -no-reboot \
			-machine q35,kernel-irqchip=split -accel tcg -cpu max -smp 1 -m 2048 \
			-device intel-iommu,intremap=on,caching-mode=on,aw-bits=48 \
			-device edu,dma_mask=0xffffffffffffffff \
			-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
			-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
			-fsdev local,id=labio,path="$job",security_model=none,multidevs=remap \
			-device virtio-9p-pci,fsdev=labio,mount_tag=labio \
			-serial file:"$job/console.log" \
			-kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyS0 panic=-1 loglevel=6 no_timer_check intel_iommu=on rdinit=/init sva_lab.job=$job" \
			</dev/null >"$job/qemu.log" 2>&1 || rc=$?
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			lab_log "guest killed after ${tmo}s (timeout); console tail:"
			tail -n 30 "$job/console.log" >&2 || true
			return 124
		fi
		if [ $rc -ne 0 ]; then
			lab_log "qemu exited $rc:"
			cat "$job/qemu.log" >&2
			return 2
		fi
		[ -s "$job/uname" ] && return 0
		lab_log "boot $try/$tries did not reach the job; console tail:"
		grep -E 'panic|FATAL|BUG|Call Trace' "$job/console.log" | head -n 5 >&2 || true
		cp "$job/console.log" "$job/console-boot$try.log" 2>/dev/null || true
	done
	return 2
}

lab_newjob() {
	mkdir -p "$LAB_CACHE/jobs"
	# Job directories of runs killed a day ago or more.
	find "$LAB_CACHE/jobs" -mindepth 1 -maxdepth 1 -name 'job.*' -mmin +1440 \
		-exec rm -rf {} + 2>/dev/null || true
	JOB=$(mktemp -d "$LAB_CACHE/jobs/job.XXXXXX")
	chmod 0777 "$JOB"
	trap 'lab_cleanup' EXIT
}
lab_cleanup() {
	[ -n "${TAILPID:-}" ] && kill "$TAILPID" 2>/dev/null || true
	if [ -n "${JOB:-}" ] && [ -z "${SVA_LAB_KEEP_JOBS:-}" ]; then
		rm -rf "$JOB"
	elif [ -n "${JOB:-}" ]; then
		lab_log "job directory kept: $JOB"
	fi
}

# The prologue of every guest job.
lab_job_prologue() {
	cat <<EOF
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8 SVA_LAB_GUEST=1
uname -r >"$JOB/uname"
EOF
}

cmd_run() {
	local tmo=600
	while [ $# -gt 0 ]; do
		case "$1" in
		--timeout) tmo=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || usage
	lab_newjob
	{
		lab_job_prologue
		printf 'cd %q || exit 126\n' "$PWD"
		printf '%q ' "$@"
		printf '>%q 2>&1 </dev/null\n' "$JOB/out"
		printf 'echo $? >%q\n' "$JOB/rc"
	} >"$JOB/job.sh"
	: >"$JOB/out"
	tail -n +1 -f "$JOB/out" & TAILPID=$!
	lab_boot "$JOB" "$tmo" || { kill $TAILPID 2>/dev/null; exit 2; }
	sleep 0.3; kill $TAILPID 2>/dev/null || true; wait $TAILPID 2>/dev/null || true
	TAILPID=
	if [ ! -s "$JOB/rc" ]; then
		lab_log "the guest did not finish the command; console tail:"
		tail -n 40 "$JOB/console.log" >&2 || true
		exit 2
	fi
	lab_log "guest $(cat "$JOB/uname" 2>/dev/null): exit $(cat "$JOB/rc")"
	exit "$(cat "$JOB/rc")"
}

# The cases: every meson test of suite kernel-lab-guest in the build tree.
lab_manifest() {
	local build=$1; shift
	meson introspect "$build" --tests | python3 -c '
import json, shlex, sys
want = set(sys.argv[2:])
for t in json.load(sys.stdin):
    if not any(s.split(":")[-1] == "kernel-lab-guest" for s in t["suite"]):
        continue
    if want and t["name"] not in want:
        continue
    env = " ".join(shlex.quote(k + "=" + v) for k, v in sorted(t.get("env", {}).items()))
    tmo = int(t.get("timeout") or 60)
    wd = t.get("workdir") or sys.argv[1]
    print("\x1f".join([t["name"], str(tmo), wd, env, " ".join(shlex.quote(c) for c in t["cmd"])]))
' "$build" "$@"
}

cmd_test() {
	local build=$SRC_DIR/build list=0 cases=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--build) build=$2; shift 2 ;;
		--list) list=1; shift ;;
		-*) usage ;;
		*) cases+=("$1"); shift ;;
		esac
	done
	build=$(cd "$build" && pwd) || lab_die "no build directory $build"
	local manifest total=60 name tmo wd env cmd n=0
	manifest=$(lab_manifest "$build" "${cases[@]}") || lab_die "meson introspect $build failed"
	if [ $list -eq 1 ]; then cut -d$'\x1f' -f1 <<<"$manifest"; exit 0; fi
	[ -n "$manifest" ] || lab_die "no kernel-lab-guest cases in $build (built with app/test-lab?)"
	lab_newjob
	mkdir -p "$JOB/cases"
	{
		lab_job_prologue
		echo 'dmesg >"'"$JOB"'/dmesg-boot.txt" 2>&1'
		while IFS=$'\x1f' read -r name tmo wd env cmd; do
			total=$((total + tmo + 5))
			n=$((n + 1))
			# Each case: its own log, a bound (SIGKILL 5 s after TERM),
			# its exit status and duration on one results line.
			cat <<EOF
echo "=== $name" >/dev/kmsg
cd $(printf %q "$wd") && s=\$(date +%s%N) &&
env $env timeout -k 5 $tmo $cmd >$(printf %q "$JOB/cases/$name.log") 2>&1 </dev/null
rc=\$?; e=\$(date +%s%N)
echo "$name \$rc \$(( (e - s) / 1000000 ))" >>$(printf %q "$JOB/results")
EOF
		done <<<"$manifest"
		echo 'dmesg >"'"$JOB"'/dmesg.txt" 2>&1'
		echo 'echo done >"'"$JOB"'/finished"'
	} >"$JOB/job.sh"
	# Each case has its own bound in the guest; QEMU's is the backstop.
	[ "$total" -le "${SVA_LAB_TEST_TIMEOUT:-1500}" ] || total=${SVA_LAB_TEST_TIMEOUT:-1500}
	lab_log "running $n case(s) in the guest (bound ${total}s)"
	local t0=$(date +%s)
	local booted=0
	lab_boot "$JOB" "$total" && booted=1
	local pass=0 fail=0 rc ms
	while IFS=$'\x1f' read -r name _; do
		local line
		line=$(awk -v n="$name" '$1 == n {print $2, $3}' "$JOB/results" 2>/dev/null | tail -1 || true)
		if [ -z "$line" ]; then
			echo "FAIL $name (no result: the guest did not run it to the end)"
			fail=$((fail + 1)); continue
		fi
		read -r rc ms <<<"$line"
		if [ "$rc" = 0 ]; then
			printf 'ok   %-40s %6d ms\n' "$name" "$ms"
			pass=$((pass + 1))
		else
			case $rc in 77) why="skipped: counts as a failure in the lab" ;;
			124|137) why="timed out" ;; *) why="exit $rc" ;; esac
			printf 'FAIL %-40s %6d ms (%s)\n' "$name" "$ms" "$why"
			sed 's/^/    | /' "$JOB/cases/$name.log" | tail -n 40
			fail=$((fail + 1))
		fi
	done <<<"$manifest"
	# The guest kernel's own verdict: a WARN, BUG or oops while the cases ran
	# fails the lab (one more case: guest_kernel_log).
	if [ -f "$JOB/dmesg.txt" ]; then
		local bad
		bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace:|general protection|Kernel panic' \
			"$JOB/dmesg.txt" | head -n 20 || true)
		if [ -n "$bad" ]; then
			echo "FAIL guest_kernel_log (the guest kernel reported:)"
			sed 's/^/    | /' <<<"$bad"
			fail=$((fail + 1))
		else
			printf 'ok   %-40s %6s\n' guest_kernel_log "(no WARN/BUG/oops in dmesg)"
			pass=$((pass + 1))
		fi
	fi
	if [ $booted -eq 1 ] && [ ! -f "$JOB/finished" ]; then
		lab_log "the guest did not finish the job; console tail:"
		tail -n 40 "$JOB/console.log" >&2 || true
	fi
	echo "kernel-lab: $pass passed, $fail failed"
	echo "kernel-lab: guest uname -r: $(cat "$JOB/uname" 2>/dev/null || echo unknown) ($(( $(date +%s) - t0 )) s)"
	[ -f "$JOB/finished" ] || exit 2
	[ $fail -eq 0 ]
}

[ $# -gt 0 ] || usage
sub=$1; shift
case "$sub" in
kernel) lab_kernel ;;
run) cmd_run "$@" ;;
test) cmd_test "$@" ;;
*) usage ;;
esac
