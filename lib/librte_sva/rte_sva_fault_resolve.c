/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The resolver of page requests: the bond's address space is found by the
 * device's backend and the PASID; in our own address space, handlers
 * registered for ranges of it answer first; else the backend faults the
 * page in (rte_sva_backend::page_resolve). And the callback of
 * unrecoverable faults.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_fault_priv.h"
#include "rte_sva_pmd.h"
#include "sva_internal.h"

#define PAGE_SZ      4096u
#define MAX_HANDLERS 16
#define AROUND_MAX   512u   /* rte_sva_fault_around_set()'s limit */

struct handler {
	uint64_t start, end;
	rte_sva_fault_handler_t fn;
	void *arg;
};

static struct handler handlers[MAX_HANDLERS];
static uint32_t nb_handlers;    /* slots in use: 0 skips the scan */
static rte_sva_unrecov_cb_t unrecov_cb;
static void *unrecov_arg;
static uint32_t fault_around;

/* The handler table: registered and unregistered under the control lock,
 * read by fault workers without it (each field an atomic, fn published
 * last). A worker that read a slot just before it was unregistered may
 * still call that handler once. */

/* The registered handler whose range overlaps [start, start + len), or
 * NULL, its function as read in *fnp (the one a worker calls, even if the
 * slot changes meanwhile): the one scan of the table, for registration's
 * overlap check, advice's (rte_sva_advise.c) and a page request's lookup
 * (len 1). */
static inline const struct handler *
handler_overlapping(uint64_t start, uint64_t len, rte_sva_fault_handler_t *fnp)
{
	for (int i = 0; i < MAX_HANDLERS; i++) {
		const struct handler *h = &handlers[i];
		rte_sva_fault_handler_t fn = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);

		if (fn != NULL &&
		    start < __atomic_load_n(&h->end, __ATOMIC_RELAXED) &&
		    __atomic_load_n(&h->start, __ATOMIC_RELAXED) < start + len) {
			*fnp = fn;
			return h;
		}
	}
	return NULL;
}

static int
rte_sva_fault_handler_register_locked(uint64_t start, uint64_t len,
			       rte_sva_fault_handler_t fn, void *arg)
{
	struct handler *free_slot = NULL;
	rte_sva_fault_handler_t other;
	const struct handler *h;

	if (fn == NULL || len == 0 || start + len < start) {
		RTE_SVA_LOG(ERR, "fault handler: %s", fn == NULL ? "NULL function" :
			    "empty or wrapping range");
		return -EINVAL;
	}
	h = handler_overlapping(start, len, &other);
	if (h != NULL) {
		RTE_SVA_LOG(ERR, "fault handler: range overlaps 0x%" PRIx64 "..0x%" PRIx64,
			    h->start, h->end);
		return -EINVAL;
	}
	for (int i = 0; i < MAX_HANDLERS && free_slot == NULL; i++)
		if (handlers[i].fn == NULL)
			free_slot = &handlers[i];
	if (free_slot == NULL) {
		RTE_SVA_LOG(ERR, "fault handler: all %d slots in use", MAX_HANDLERS);
		return -ENOSPC;
	}
	__atomic_store_n(&free_slot->start, start, __ATOMIC_RELAXED);
	__atomic_store_n(&free_slot->end, start + len, __ATOMIC_RELAXED);
	__atomic_store_n(&free_slot->arg, arg, __ATOMIC_RELAXED);
	__atomic_store_n(&free_slot->fn, fn, __ATOMIC_RELEASE);
	__atomic_fetch_add(&nb_handlers, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
rte_sva_fault_handler_unregister_locked(uint64_t start)
{
	for (int i = 0; i < MAX_HANDLERS; i++) {
		if (handlers[i].fn != NULL && handlers[i].start == start) {
			__atomic_store_n(&handlers[i].fn, NULL, __ATOMIC_RELEASE);
			__atomic_fetch_sub(&nb_handlers, 1, __ATOMIC_RELEASE);
			return 0;
		}
	}
	RTE_SVA_LOG(ERR, "fault handler: no range starts at 0x%" PRIx64, start);
	return -ENOENT;
}

static int
rte_sva_fault_unrecov_callback_set_locked(rte_sva_unrecov_cb_t cb, void *arg)
{
	/* A worker reading the pair meanwhile may call the old callback with
	 * the new arg once. */
	__atomic_store_n(&unrecov_arg, arg, __ATOMIC_RELAXED);
	__atomic_store_n(&unrecov_cb, cb, __ATOMIC_RELEASE);
	return 0;
}

void
sva_fault_unrecov_notify(const struct rte_sva_fault *f)
{
	rte_sva_unrecov_cb_t cb = __atomic_load_n(&unrecov_cb, __ATOMIC_ACQUIRE);

	if (cb != NULL)
		cb(f, __atomic_load_n(&unrecov_arg, __ATOMIC_RELAXED));
}

static int
rte_sva_fault_around_set_locked(uint32_t n)
{
	if (n > AROUND_MAX) {
		RTE_SVA_LOG(ERR, "fault-around of %u pages (max 512)", n);
		return -EINVAL;
	}
	__atomic_store_n(&fault_around, n, __ATOMIC_RELAXED);
	return 0;
}

/* Pages after a request's own to bring in with it: the fault-around
 * setting, or the producer's length hint when it asks for more. */
static uint32_t
around_of(const struct rte_sva_fault *f, uint32_t around)
{
	uint32_t hint = f->hint_pages > 1 ? f->hint_pages - 1u : 0;

	return RTE_MAX(around, RTE_MIN(hint, AROUND_MAX));
}

bool
sva_fault_handler_overlaps(uint64_t start, uint64_t len, uint64_t *hstart)
{
	rte_sva_fault_handler_t fn;
	const struct handler *h = handler_overlapping(start, len, &fn);

	if (h != NULL)
		*hstart = h->start;
	return h != NULL;
}

void
sva_fault_resolve_begin(struct sva_resolve_ctx *c, const struct rte_sva_dev *dev)
{
	c->be = dev->backend;
	c->mm = NULL;
	c->held = false;
	c->around = __atomic_load_n(&fault_around, __ATOMIC_RELAXED);
}

void
sva_fault_resolve_end(struct sva_resolve_ctx *c)
{
	if (c->held)
		sva_mm_read_leave();
	c->held = false;
	c->mm = NULL;
}

/* A handler's range holding addr, or NULL; its argument in *arg. Most
 * processes register none: one load says so. */
static rte_sva_fault_handler_t
handler_find(uint64_t addr, void **arg)
{
	rte_sva_fault_handler_t fn;
	const struct handler *h;

	if (__atomic_load_n(&nb_handlers, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	h = handler_overlapping(addr, 1, &fn);
	if (h == NULL)
		return NULL;
	*arg = __atomic_load_n(&h->arg, __ATOMIC_RELAXED);
	return fn;
}

int
sva_fault_resolve_page(struct sva_resolve_ctx *c, const struct rte_sva_fault *f)
{
	const uint64_t page = f->addr & ~(uint64_t)(PAGE_SZ - 1);
	rte_sva_fault_handler_t fn;
	struct rte_sva_mm *mm;
	void *arg = NULL;

	if (c->be == NULL || c->be->page_resolve == NULL)
		return RTE_SVA_PAGE_RESP_INVALID;
	/* The read side is taken once for the requests of a burst (an
	 * unbind waits for it to be left); the mm of the last PASID looked up
	 * stays valid while it is held. */
	if (!c->held) {
		sva_mm_read_enter();
		c->held = true;
		c->mm = NULL;
	}
	if (c->mm == NULL || c->pasid != f->pasid) {
		c->mm = sva_mm_lookup(c->be, f->pasid);
		c->pasid = f->pasid;
	}
	mm = c->mm;
	if (mm == NULL || __atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE))
		return RTE_SVA_PAGE_RESP_INVALID;
	/* Another address space (a bond made by pid) has the same addresses
	 * with other contents: a handler of ours never answers for it. A
	 * handler may take its time: it runs outside the lookup, which an
	 * unbind waits for (then the next request looks its mm up again).
	 * It must not make control calls: rte_sva_fault.h. */
	if (mm->self && (fn = handler_find(f->addr, &arg)) != NULL) {
		sva_fault_resolve_end(c);
		return fn(f, arg);
	}
	return c->be->page_resolve(mm, page, f->perm, around_of(f, c->around));
}

/* Control functions (rte_sva_ctrl.h): writers of the tables above, one at
 * a time. Not refused in a fork() child: its handlers are its own. */
SVA_CTRL_READ(int, rte_sva_fault_handler_register,
	(uint64_t start, uint64_t len, rte_sva_fault_handler_t fn, void *arg),
	(start, len, fn, arg))
SVA_CTRL_READ(int, rte_sva_fault_handler_unregister, (uint64_t start), (start))
SVA_CTRL_READ(int, rte_sva_fault_unrecov_callback_set,
	(rte_sva_unrecov_cb_t cb, void *arg), (cb, arg))
SVA_CTRL_READ(int, rte_sva_fault_around_set, (uint32_t n), (n))
