/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Bound address spaces (struct rte_sva_mm): made at bind, reached through
 * the container's backend, and found by fault workers by (backend, PASID).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_pause.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_pmd.h"
#include "sva_internal.h"

int
sva_mm_create(pid_t pid, const struct rte_sva_backend *be, struct rte_sva_mm **out)
{
	struct rte_sva_mm *mm = calloc(1, sizeof(*mm));
	int ret;

	if (mm == NULL) {
		RTE_SVA_LOG(ERR, "bind: no memory for an address space");
		return -ENOMEM;
	}
	mm->pid = pid;
	mm->pidfd = -1;
	mm->self = pid == getpid();
	mm->backend = be;
	if (!mm->self) {
		/* For the exit monitor; also says early that pid is gone. */
		mm->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (mm->pidfd < 0) {
			ret = -errno;
			RTE_SVA_LOG(ERR, "bind: pid %d: pidfd_open: %s", (int)pid,
				    strerror(-ret));
			free(mm);
			return ret;
		}
	}
	if (be->mm_open != NULL) {
		ret = be->mm_open(mm);
		if (ret != 0) {
			if (mm->pidfd >= 0)
				close(mm->pidfd);
			free(mm);
			return ret;
		}
	}
	*out = mm;
	return 0;
}

void
sva_mm_free(struct rte_sva_mm *mm)
{
	if (mm->pidfd >= 0)
		sva_monitor_del(mm);
	if (mm->backend->mm_close != NULL)
		mm->backend->mm_close(mm);
	if (mm->pidfd >= 0)
		close(mm->pidfd);
	free(mm);
}

/*
 * The table fault workers find a bond's address space in, by (backend,
 * PASID), for our own bonds and bonds by pid alike. A worker must never
 * wait for the control lock: its holder may be draining engines that wait
 * for this very worker's responses. So the table is written under the lock
 * and read without it: a reader announces itself in mm_readers before it
 * looks; a remover clears the slot, then waits until no reader is left
 * before the address space may be freed (sequentially consistent on both
 * sides, so one of them always sees the other). Readers take no lock and
 * wait for nothing, so that wait is short.
 *
 * Open addressing by PASID, linear probing; a removed entry leaves a
 * tombstone (a lookup goes on past it, an insert reuses it), so a reader
 * never misses an entry that a removal moved. The table has twice as many
 * slots as there can be bonds: publishing never fails, and a lookup ends at
 * an empty slot after a few probes.
 */
#define MM_SLOTS 2048   /* power of two, >= 2 * RTE_SVA_MAX_CONTAINERS * SVA_MAX_BONDS */
_Static_assert(MM_SLOTS >= 2 * RTE_SVA_MAX_CONTAINERS * SVA_MAX_BONDS,
	       "a slot for every bond");

enum { MM_EMPTY = 0, MM_USED, MM_TOMB };

static struct {
	uint32_t state;     /* MM_*: published last (release), read first */
	uint32_t pasid;
	const struct rte_sva_backend *backend;
	struct rte_sva_mm *mm;
} mm_slots[MM_SLOTS];
static uint32_t mm_readers;

static uint32_t
mm_hash(uint32_t pasid)
{
	return (pasid * 0x9e3779b1u) >> 21;   /* 11 bits: MM_SLOTS */
}

void
sva_mm_publish(uint32_t pasid, struct rte_sva_mm *mm)
{
	uint32_t h = mm_hash(pasid);

	for (uint32_t i = 0; i < MM_SLOTS; i++) {
		uint32_t k = (h + i) & (MM_SLOTS - 1);

		if (mm_slots[k].state == MM_USED)
			continue;
		__atomic_store_n(&mm_slots[k].pasid, pasid, __ATOMIC_RELAXED);
		__atomic_store_n(&mm_slots[k].backend, mm->backend, __ATOMIC_RELAXED);
		__atomic_store_n(&mm_slots[k].mm, mm, __ATOMIC_RELAXED);
		__atomic_store_n(&mm_slots[k].state, MM_USED, __ATOMIC_SEQ_CST);
		return;
	}
}

void
sva_mm_unpublish(const struct rte_sva_mm *mm)
{
	for (uint32_t k = 0; k < MM_SLOTS; k++)
		if (mm_slots[k].state == MM_USED && mm_slots[k].mm == mm)
			__atomic_store_n(&mm_slots[k].state, MM_TOMB, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&mm_readers, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

void
sva_mm_read_enter(void)
{
	__atomic_fetch_add(&mm_readers, 1, __ATOMIC_SEQ_CST);
}

void
sva_mm_read_leave(void)
{
	__atomic_fetch_sub(&mm_readers, 1, __ATOMIC_RELEASE);
}

struct rte_sva_mm *
sva_mm_lookup(const struct rte_sva_backend *be, uint32_t pasid)
{
	uint32_t h = mm_hash(pasid);

	for (uint32_t i = 0; i < MM_SLOTS; i++) {
		uint32_t k = (h + i) & (MM_SLOTS - 1);
		uint32_t st = __atomic_load_n(&mm_slots[k].state, __ATOMIC_SEQ_CST);

		if (st == MM_EMPTY)
			break;
		if (st == MM_USED &&
		    __atomic_load_n(&mm_slots[k].pasid, __ATOMIC_RELAXED) == pasid &&
		    __atomic_load_n(&mm_slots[k].backend, __ATOMIC_RELAXED) == be)
			return __atomic_load_n(&mm_slots[k].mm, __ATOMIC_RELAXED);
	}
	return NULL;
}
