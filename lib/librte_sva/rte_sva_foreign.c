/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Foreign address spaces (bonds made by pid): opening them, watching
 * their processes exit, and handing them to fault workers. */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_foreign.h"
#include "rte_sva_iommu.h"
#include "rte_sva_pasid.h"
#include "rte_sva_pmd.h"

/*
 * Foreign bonds by PASID, for fault workers. A worker must never wait for
 * the bond lock: its holder may be draining engines that wait for this very
 * worker's responses. So the table is written under the lock and read
 * without it: a reader announces itself in foreign_readers before it looks;
 * a remover clears the slot, then waits until no reader is left before the
 * address space may be freed (sequentially consistent on both sides, so one
 * of them always sees the other).
 */
#define SVA_FOREIGN_SLOTS 256

static struct {
	uint32_t pasid;
	struct rte_sva_mm *mm;     /* NULL: free */
} foreign_slots[SVA_FOREIGN_SLOTS];
static uint32_t foreign_readers;

void
sva_foreign_publish(uint32_t pasid, struct rte_sva_mm *mm)
{
	for (unsigned int i = 0; i < SVA_FOREIGN_SLOTS; i++) {
		if (foreign_slots[i].mm == NULL) {
			__atomic_store_n(&foreign_slots[i].pasid, pasid, __ATOMIC_RELAXED);
			__atomic_store_n(&foreign_slots[i].mm, mm, __ATOMIC_SEQ_CST);
			return;
		}
	}
	RTE_SVA_LOG(WARNING, "more than %d bonds by pid: page requests of PASID %u will be answered INVALID",
		    SVA_FOREIGN_SLOTS, pasid);
}

void
sva_foreign_unpublish(const struct rte_sva_mm *mm)
{
	for (unsigned int i = 0; i < SVA_FOREIGN_SLOTS; i++)
		if (foreign_slots[i].mm == mm)
			__atomic_store_n(&foreign_slots[i].mm, NULL, __ATOMIC_SEQ_CST);
	/* Readers take no lock and wait for nothing: a short wait. */
	while (__atomic_load_n(&foreign_readers, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

/* A page request on a foreign bond's address space. It is faulted in by
 * reading it through the bond's /proc/pid/mem, which the page permissions
 * were checked for first: a read fault, since writing the byte back would
 * race with the process; a device's write then breaks copy-on-write in the
 * kernel. */
int
sva_foreign_page_resolve(uint32_t pasid, uint64_t page, uint32_t perm,
			 uint32_t around)
{
	const uint64_t pg = 4096;
	struct rte_sva_mm *mm = NULL;
	struct rte_sva_vma vc = { 0 };
	int code = RTE_SVA_PAGE_RESP_INVALID;

	__atomic_fetch_add(&foreign_readers, 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < SVA_FOREIGN_SLOTS && mm == NULL; i++) {
		struct rte_sva_mm *m = __atomic_load_n(&foreign_slots[i].mm, __ATOMIC_SEQ_CST);

		if (m != NULL && __atomic_load_n(&foreign_slots[i].pasid,
						 __ATOMIC_RELAXED) == pasid)
			mm = m;
	}
	if (mm == NULL || __atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE))
		goto out;
	for (uint32_t k = 0; k <= around; k++) {
		uint64_t a = page + k * pg;
		uint8_t byte;

		if (rte_sva_mm_accessible(mm, a, pg, perm, &vc) != (int64_t)pg ||
		    pread(mm->memfd, &byte, 1, (off_t)a) != 1)
			break;
		code = RTE_SVA_PAGE_RESP_SUCCESS;
	}
out:
	__atomic_fetch_sub(&foreign_readers, 1, __ATOMIC_SEQ_CST);
	return code;
}

/* ------------------------------------------------------ the exit monitor */

/*
 * A control thread waits on the pidfds of foreign bonds; when a process
 * exits, its bonds become defunct at once: engines check the flag before
 * every descriptor and the /proc/pid/mem file they use stops working.
 *
 * An event must never lead to a freed address space: epoll_wait() may hand
 * the monitor an event that unbind removes (and frees) before the monitor
 * takes monitor_lock. So an event carries no pointer, only a slot of
 * mon_slots and the slot's generation when it was armed; the monitor looks
 * the slot up under the lock, and a slot emptied (or reused) since then has
 * another generation: the event is stale and ignored. A slot stays taken
 * until unbind empties it, also after its process has exited.
 */
#define MON_SLOTS (RTE_SVA_MAX_CONTAINERS * SVA_MAX_BONDS)

static struct {
	struct rte_sva_mm *mm;      /* NULL: free */
	uint32_t gen;               /* bumped whenever the slot is emptied */
	bool fired;                 /* exited: out of the epoll set already */
} mon_slots[MON_SLOTS];
static pthread_mutex_t monitor_lock = PTHREAD_MUTEX_INITIALIZER;
static int monitor_epfd = -1;
static pthread_t monitor_thread;

static uint64_t
mon_key(uint32_t slot)
{
	return (uint64_t)mon_slots[slot].gen << 32 | slot;
}

static void *
monitor_main(void *arg)
{
	struct epoll_event ev[8];

	RTE_SET_USED(arg);
	for (;;) {
		int n = epoll_wait(monitor_epfd, ev, RTE_DIM(ev), -1);

		if (n < 0 && errno != EINTR)
			break;
		pthread_mutex_lock(&monitor_lock);
		for (int i = 0; i < n; i++) {
			uint32_t slot = (uint32_t)ev[i].data.u64;
			struct rte_sva_mm *mm;

			if (slot >= MON_SLOTS || ev[i].data.u64 != mon_key(slot))
				continue;   /* unbound since: stale */
			mm = mon_slots[slot].mm;
			if (mm == NULL || mon_slots[slot].fired)
				continue;
			__atomic_store_n(&mm->defunct, 1, __ATOMIC_RELEASE);
			epoll_ctl(monitor_epfd, EPOLL_CTL_DEL, mm->pidfd, NULL);
			mon_slots[slot].fired = true;
			RTE_SVA_LOG(NOTICE, "pid %d exited: its bonds are defunct",
				    mm->pid);
		}
		pthread_mutex_unlock(&monitor_lock);
	}
	RTE_SVA_LOG(ERR, "bond monitor stopped: %s", strerror(errno));
	return NULL;
}

int
sva_monitor_add(struct rte_sva_mm *mm)
{
	struct epoll_event ev = { .events = EPOLLIN };
	uint32_t slot;
	int ret;

	if (monitor_epfd < 0) {
		monitor_epfd = epoll_create1(EPOLL_CLOEXEC);
		if (monitor_epfd < 0) {
			ret = -errno;
			RTE_SVA_LOG(ERR, "bind: cannot create the bond monitor's epoll fd: %s",
				    strerror(-ret));
			return ret;
		}
		ret = rte_ctrl_thread_create(&monitor_thread, "sva-bond-mon",
					     NULL, monitor_main, NULL);
		if (ret != 0) {
			close(monitor_epfd);
			monitor_epfd = -1;
			RTE_SVA_LOG(ERR, "cannot start the bond monitor: %s",
				    strerror(ret));
			return -ret;
		}
	}
	pthread_mutex_lock(&monitor_lock);
	for (slot = 0; slot < MON_SLOTS && mon_slots[slot].mm != NULL; slot++)
		;
	if (slot == MON_SLOTS) {
		/* One per bond: cannot happen unless the tables disagree. */
		pthread_mutex_unlock(&monitor_lock);
		RTE_SVA_LOG(ERR, "bind: all %d exit-monitor slots are in use", MON_SLOTS);
		return -ENOSPC;
	}
	ev.data.u64 = mon_key(slot);
	ret = epoll_ctl(monitor_epfd, EPOLL_CTL_ADD, mm->pidfd, &ev) == 0 ? 0 : -errno;
	if (ret == 0) {
		mon_slots[slot].mm = mm;
		mon_slots[slot].fired = false;
	} else {
		RTE_SVA_LOG(ERR, "bind: cannot watch pid %d for its exit: %s",
			    mm->pid, strerror(-ret));
	}
	pthread_mutex_unlock(&monitor_lock);
	return ret;
}

static void
monitor_del(struct rte_sva_mm *mm)
{
	if (monitor_epfd < 0)
		return;
	pthread_mutex_lock(&monitor_lock);
	for (uint32_t slot = 0; slot < MON_SLOTS; slot++) {
		if (mon_slots[slot].mm != mm)
			continue;
		if (!mon_slots[slot].fired)
			epoll_ctl(monitor_epfd, EPOLL_CTL_DEL, mm->pidfd, NULL);
		/* Events of this slot still on their way are stale now. */
		mon_slots[slot].mm = NULL;
		mon_slots[slot].gen++;
		break;
	}
	pthread_mutex_unlock(&monitor_lock);
}

/* ------------------------------------------------- opening address spaces */

/* The error of opening pid's /proc file what: -ESRCH if the process is
 * gone, -EPERM (ptrace permission) for EACCES/EPERM, else the real errno. */
static int
proc_open_error(pid_t pid, const char *what, int err)
{
	if (err == ENOENT || err == ESRCH) {
		RTE_SVA_LOG(ERR, "bind: pid %d exited", (int)pid);
		return -ESRCH;
	}
	if (err == EACCES || err == EPERM) {
		RTE_SVA_LOG(ERR, "bind: no ptrace-attach permission over pid %d (opening its %s): %s",
			    (int)pid, what, strerror(err));
		return -EPERM;
	}
	RTE_SVA_LOG(ERR, "bind: pid %d: cannot open its %s: %s", (int)pid, what,
		    strerror(err));
	return -err;
}

/* A foreign address space needs ptrace-attach-level rights over its owner,
 * the check the kernel applies when /proc/pid/mem is opened (and to
 * process_vm_readv). The open file stays tied to that address space. */
int
sva_foreign_mm_open(pid_t pid, struct rte_sva_mm *mm)
{
	char path[64];
	int fd, memfd, mapsfd, pagemapfd, err;

	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		err = errno;
		RTE_SVA_LOG(ERR, "bind: pid %d: pidfd_open: %s", (int)pid, strerror(err));
		return -err;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	memfd = open(path, O_RDWR | O_CLOEXEC);
	if (memfd < 0) {
		err = errno;
		close(fd);
		return proc_open_error(pid, "mem", err);
	}
	/* Its mappings (page permissions) and page table (presence), for the
	 * device's translations; the same permission as the mem file. */
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	mapsfd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pagemapfd = mapsfd < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (mapsfd < 0 || pagemapfd < 0) {
		err = errno;
		if (mapsfd >= 0)
			close(mapsfd);
		close(memfd);
		close(fd);
		return proc_open_error(pid, mapsfd < 0 ? "maps" : "pagemap", err);
	}
	mm->pidfd = fd;
	mm->memfd = memfd;
	mm->mapsfd = mapsfd;
	mm->pagemapfd = pagemapfd;
	return 0;
}

void
sva_mm_free(struct rte_sva_mm *mm)
{
	if (mm->pidfd >= 0) {
		monitor_del(mm);
		close(mm->pidfd);
	}
	if (mm->memfd >= 0)
		close(mm->memfd);
	if (mm->mapsfd >= 0)
		close(mm->mapsfd);
	if (mm->pagemapfd >= 0)
		close(mm->pagemapfd);
	free(mm);
}
