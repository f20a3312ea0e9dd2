/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The resolver of page requests: handlers registered for ranges of our own
 * address space, else fault the page in (our own address space by touching
 * it, a bond made by pid through that process's /proc/pid/mem), and the
 * callback of unrecoverable faults.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_fault_priv.h"
#include "rte_sva_guard.h"
#include "rte_sva_pasid.h"
#include "rte_sva_pmd.h"

#define PAGE_SZ      4096u
#define MAX_HANDLERS 16

struct handler {
	uint64_t start, end;
	rte_sva_fault_handler_t fn;
	void *arg;
};

static struct handler handlers[MAX_HANDLERS];
static rte_sva_unrecov_cb_t unrecov_cb;
static void *unrecov_arg;
static uint32_t fault_around;

int
rte_sva_fault_handler_register(uint64_t start, uint64_t len,
			       rte_sva_fault_handler_t fn, void *arg)
{
	struct handler *free_slot = NULL;

	if (fn == NULL || len == 0 || start + len < start) {
		RTE_SVA_LOG(ERR, "fault handler: %s", fn == NULL ? "NULL function" :
			    "empty or wrapping range");
		return -EINVAL;
	}
	for (int i = 0; i < MAX_HANDLERS; i++) {
		struct handler *h = &handlers[i];

		if (h->fn == NULL) {
			if (free_slot == NULL)
				free_slot = h;
			continue;
		}
		if (start < h->end && h->start < start + len) {
			RTE_SVA_LOG(ERR, "fault handler: range overlaps 0x%" PRIx64 "..0x%" PRIx64,
				    h->start, h->end);
			return -EINVAL;
		}
	}
	if (free_slot == NULL) {
		RTE_SVA_LOG(ERR, "fault handler: all %d slots in use", MAX_HANDLERS);
		return -ENOSPC;
	}
	free_slot->start = start;
	free_slot->end = start + len;
	free_slot->arg = arg;
	__atomic_store_n(&free_slot->fn, fn, __ATOMIC_RELEASE);
	return 0;
}

int
rte_sva_fault_handler_unregister(uint64_t start)
{
	for (int i = 0; i < MAX_HANDLERS; i++) {
		if (handlers[i].fn != NULL && handlers[i].start == start) {
			__atomic_store_n(&handlers[i].fn, NULL, __ATOMIC_RELEASE);
			return 0;
		}
	}
	RTE_SVA_LOG(ERR, "fault handler: no range starts at 0x%" PRIx64, start);
	return -ENOENT;
}

int
rte_sva_fault_unrecov_callback_set(rte_sva_unrecov_cb_t cb, void *arg)
{
	unrecov_arg = arg;
	__atomic_store_n(&unrecov_cb, cb, __ATOMIC_RELEASE);
	return 0;
}

void
sva_fault_unrecov_notify(const struct rte_sva_fault *f)
{
	rte_sva_unrecov_cb_t cb = __atomic_load_n(&unrecov_cb, __ATOMIC_ACQUIRE);

	if (cb != NULL)
		cb(f, unrecov_arg);
}

int
rte_sva_fault_around_set(uint32_t n)
{
	if (n > 512) {
		RTE_SVA_LOG(ERR, "fault-around of %u pages (max 512)", n);
		return -EINVAL;
	}
	fault_around = n;
	return 0;
}

int
sva_fault_resolve_page(const struct rte_sva_fault *f)
{
	int write = (f->perm & RTE_SVA_PERM_WRITE) != 0;

	/* Another address space (a bond made by pid) has the same addresses
	 * with other contents: a handler of ours never answers for it. */
	if (!sva_pasid_is_self(f->pasid))
		return sva_foreign_page_resolve(f->pasid, f->addr & ~(uint64_t)(PAGE_SZ - 1),
						f->perm, fault_around);
	for (int i = 0; i < MAX_HANDLERS; i++) {
		rte_sva_fault_handler_t fn =
			__atomic_load_n(&handlers[i].fn, __ATOMIC_ACQUIRE);

		if (fn != NULL && f->addr >= handlers[i].start &&
		    f->addr < handlers[i].end)
			return fn(f, handlers[i].arg);
	}
	if (rte_sva_guard_touch((void *)(uintptr_t)f->addr, write) != 0)
		return RTE_SVA_PAGE_RESP_INVALID;
	for (uint32_t k = 1; k <= fault_around; k++)
		if (rte_sva_guard_touch((void *)(uintptr_t)(f->addr + k * PAGE_SZ),
					write) != 0)
			break;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}
