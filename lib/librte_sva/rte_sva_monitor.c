/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The exit monitor of bonds made by pid: a control thread waits on the
 * pidfds of their processes; when one exits, its bonds become defunct at
 * once: devices check the flag before every descriptor, and the backend's
 * access to that address space stops working anyway.
 *
 * An event must never lead to a freed address space: epoll_wait() may hand
 * the monitor an event that unbind removes (and frees) before the monitor
 * takes monitor_lock. So an event carries no pointer, only a slot of
 * mon_slots and the slot's generation when it was armed; the monitor looks
 * the slot up under the lock, and a slot emptied (or reused) since then has
 * another generation: the event is stale and ignored. A slot stays taken
 * until unbind empties it, also after its process has exited.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_pmd.h"
#include "sva_compat.h"
#include "sva_internal.h"

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
		ret = sva_ctrl_thread_create(&monitor_thread, "sva-bond-mon",
					     monitor_main, NULL);
		if (ret != 0) {
			close(monitor_epfd);
			monitor_epfd = -1;
			RTE_SVA_LOG(ERR, "cannot start the bond monitor: %s",
				    strerror(-ret));
			return ret;
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

void
sva_monitor_del(struct rte_sva_mm *mm)
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
