/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * dma_sva fast path: each rte_dma_* call becomes the rte_sva_* call on the
 * adapter's SVA queue, tagged with the adapter's PASID. The IOVA the
 * application passes is used as a process virtual address.
 *
 * Ring indexes: rte_dma and rte_sva both count operations per queue in 16
 * bits, and the SVA queue carries only this adapter's operations, so the
 * two differ by a constant: the SVA index at which the adapter last started
 * (priv->base; 0 for a fresh queue). It is not always 0 because a vchan
 * counts from 0 after each start while the SVA queue of a device kept
 * running by another adapter goes on counting.
 */

#include <assert.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "dma_sva_private.h"

/* The operation flags rte_dma and rte_sva share, bit for bit. The LLC hint
 * (bit 2, RTE_SVA_OP_FLAG_BLOCK_ON_FAULT on the SVA side) is dropped. */
static_assert(RTE_DMA_OP_FLAG_FENCE == RTE_SVA_OP_FLAG_FENCE,
	      "FENCE flags differ");
static_assert(RTE_DMA_OP_FLAG_SUBMIT == RTE_SVA_OP_FLAG_SUBMIT,
	      "SUBMIT flags differ");
#define DMA_SVA_OP_FLAGS (RTE_DMA_OP_FLAG_FENCE | RTE_DMA_OP_FLAG_SUBMIT)

/* Statuses gathered per rte_sva_completed_status() call. */
#define DMA_SVA_STATUS_BURST 64

static inline void *
dma_sva_va(rte_iova_t iova)
{
	return (void *)(uintptr_t)iova;
}

/* An adapter not started refuses enqueue and submit with -EINVAL, as the
 * SVA devices do (and the dmadev library's stubs for a device without a
 * usable fast path): its SVA device may be running for another adapter, so
 * the adapter checks its own flag, on the line the call reads anyway. */
static __rte_always_inline bool
dma_sva_running(const struct dma_sva_priv *a)
{
	return likely(__atomic_load_n(&a->started, __ATOMIC_RELAXED));
}

/* An SVA enqueue result as rte_dma's: errors as they are, indexes from
 * the adapter's start. */
static __rte_always_inline int
dma_sva_idx(const struct dma_sva_priv *a, int r)
{
	return r < 0 ? r : (uint16_t)(r - a->base);
}

static __rte_noinline __rte_cold int
dma_sva_not_started(const struct dma_sva_priv *a)
{
	DMA_SVA_LOG(DEBUG, "dmadev %d: not started", a->dma_id);
	return -EINVAL;
}

static int
dma_sva_copy(void *dev_private, uint16_t vchan __rte_unused, rte_iova_t src,
	     rte_iova_t dst, uint32_t length, uint64_t flags)
{
	const struct dma_sva_priv *a = dev_private;

	if (!dma_sva_running(a))
		return dma_sva_not_started(a);
	return dma_sva_idx(a, rte_sva_copy(a->sva_id, a->qid, a->pasid,
					   dma_sva_va(src), dma_sva_va(dst),
					   length, flags & DMA_SVA_OP_FLAGS));
}

static int
dma_sva_fill(void *dev_private, uint16_t vchan __rte_unused, uint64_t pattern,
	     rte_iova_t dst, uint32_t length, uint64_t flags)
{
	const struct dma_sva_priv *a = dev_private;

	if (!dma_sva_running(a))
		return dma_sva_not_started(a);
	return dma_sva_idx(a, rte_sva_fill(a->sva_id, a->qid, a->pasid,
					   pattern, dma_sva_va(dst), length,
					   flags & DMA_SVA_OP_FLAGS));
}

static int
dma_sva_submit(void *dev_private, uint16_t vchan __rte_unused)
{
	const struct dma_sva_priv *a = dev_private;

	if (!dma_sva_running(a))
		return dma_sva_not_started(a);
	return rte_sva_submit(a->sva_id, a->qid);
}

static uint16_t
dma_sva_completed(void *dev_private, uint16_t vchan __rte_unused,
		  const uint16_t nb_cpls, uint16_t *last_idx, bool *has_error)
{
	const struct dma_sva_priv *a = dev_private;

	/* Same contract as rte_dma_completed(): successes in order, stop
	 * before the first failure and flag it; *last_idx is the last op
	 * reaped, also when none was. */
	uint16_t n = rte_sva_completed(a->sva_id, a->qid, nb_cpls, last_idx,
				       has_error);

	*last_idx = (uint16_t)(*last_idx - a->base);
	return n;
}

static inline enum rte_dma_status_code
dma_sva_status(uint16_t st)
{
	switch (st) {
	case RTE_SVA_STATUS_SUCCESS:
		return RTE_DMA_STATUS_SUCCESSFUL;
	case RTE_SVA_STATUS_PAGE_FAULT:
		return RTE_DMA_STATUS_PAGE_FAULT;
	case RTE_SVA_STATUS_TRANSLATION_FAIL:
	case RTE_SVA_STATUS_INVALID_ADDR:
	case RTE_SVA_STATUS_OVERLAP:
		return RTE_DMA_STATUS_INVALID_ADDR;
	case RTE_SVA_STATUS_INVALID_LENGTH:
		return RTE_DMA_STATUS_INVALID_LENGTH;
	case RTE_SVA_STATUS_INVALID_OPCODE:
	case RTE_SVA_STATUS_INVALID_FLAGS:
	case RTE_SVA_STATUS_RESERVED_NONZERO:
		return RTE_DMA_STATUS_INVALID_OPCODE;
	case RTE_SVA_STATUS_ABORTED:
		return RTE_DMA_STATUS_NOT_ATTEMPTED;
	default:
		/* INVALID_PASID, BAD_PASID_ENTRY (the bond is gone),
		 * COMPARE_MISMATCH (never asked for here), ERROR_UNKNOWN and
		 * anything newer. */
		return RTE_DMA_STATUS_ERROR_UNKNOWN;
	}
}

static uint16_t
dma_sva_completed_status(void *dev_private, uint16_t vchan __rte_unused,
			 const uint16_t nb_cpls, uint16_t *last_idx,
			 enum rte_dma_status_code *status)
{
	const struct dma_sva_priv *a = dev_private;
	uint16_t st[DMA_SVA_STATUS_BURST];
	uint16_t done = 0, want, n;

	/* rte_sva statuses are 16-bit, rte_dma's are enums: gather them in
	 * bursts and convert. One call always happens, so *last_idx is set
	 * even for nb_cpls == 0. */
	do {
		want = RTE_MIN(nb_cpls - done, DMA_SVA_STATUS_BURST);
		n = rte_sva_completed_status(a->sva_id, a->qid, want, last_idx,
					     st);
		for (uint16_t i = 0; i < n; i++)
			status[done + i] = dma_sva_status(st[i]);
		done += n;
	} while (n == want && done < nb_cpls);
	*last_idx = (uint16_t)(*last_idx - a->base);
	return done;
}

static uint16_t
dma_sva_burst_capacity(const void *dev_private, uint16_t vchan __rte_unused)
{
	const struct dma_sva_priv *a = dev_private;

	if (!dma_sva_running(a))
		return 0;
	return rte_sva_burst_capacity(a->sva_id, a->qid);
}

/*
 * Silent mode (rte_dma_conf::enable_silent): the application never calls
 * completed(), so the adapter reaps for it, unreported, whenever it needs
 * ring slots: an enqueue that finds the ring full, and burst_capacity().
 * The SVA devices already write few completion records (the sim one per
 * doorbell, on the group's last descriptor, plus one per failure), and the
 * ring needs those: they are the only progress the device reports, so
 * reaping them is what frees the slots. Failures are counted in the
 * statistics only. doc/guides/dma_sva.rst says which devices get it.
 */
uint16_t
dma_sva_reclaim(const struct dma_sva_priv *a)
{
	uint16_t st[DMA_SVA_STATUS_BURST], last, n, total = 0;

	do {
		n = rte_sva_completed_status(a->sva_id, a->qid, RTE_DIM(st),
					     &last, st);
		total += n;
	} while (n == RTE_DIM(st));
	return total;
}

static int
dma_sva_copy_silent(void *dev_private, uint16_t vchan __rte_unused,
		    rte_iova_t src, rte_iova_t dst, uint32_t length,
		    uint64_t flags)
{
	const struct dma_sva_priv *a = dev_private;
	uint64_t f = (flags & DMA_SVA_OP_FLAGS) | a->silent_flags;
	int r;

	if (!dma_sva_running(a))
		return dma_sva_not_started(a);
	r = rte_sva_copy(a->sva_id, a->qid, a->pasid, dma_sva_va(src),
			 dma_sva_va(dst), length, f);
	if (unlikely(r == -ENOSPC) && dma_sva_reclaim(a) != 0)
		r = rte_sva_copy(a->sva_id, a->qid, a->pasid, dma_sva_va(src),
				 dma_sva_va(dst), length, f);
	return dma_sva_idx(a, r);
}

static int
dma_sva_fill_silent(void *dev_private, uint16_t vchan __rte_unused,
		    uint64_t pattern, rte_iova_t dst, uint32_t length,
		    uint64_t flags)
{
	const struct dma_sva_priv *a = dev_private;
	uint64_t f = (flags & DMA_SVA_OP_FLAGS) | a->silent_flags;
	int r;

	if (!dma_sva_running(a))
		return dma_sva_not_started(a);
	r = rte_sva_fill(a->sva_id, a->qid, a->pasid, pattern,
			 dma_sva_va(dst), length, f);
	if (unlikely(r == -ENOSPC) && dma_sva_reclaim(a) != 0)
		r = rte_sva_fill(a->sva_id, a->qid, a->pasid, pattern,
				 dma_sva_va(dst), length, f);
	return dma_sva_idx(a, r);
}

/* What the application may enqueue now: the slots the device has
 * finished count, so they are reaped first. */
static uint16_t
dma_sva_burst_capacity_silent(const void *dev_private,
			      uint16_t vchan __rte_unused)
{
	const struct dma_sva_priv *a = dev_private;

	if (!dma_sva_running(a))
		return 0;
	dma_sva_reclaim(a);
	return rte_sva_burst_capacity(a->sva_id, a->qid);
}

/* rte_dmadev.h: in silent mode the application does not call these; one
 * that does learns nothing (the adapter reaps for itself). */
static __rte_noinline __rte_cold uint16_t
dma_sva_completed_none(void *dev_private, uint16_t vchan __rte_unused,
		       const uint16_t nb_cpls __rte_unused, uint16_t *last_idx,
		       bool *has_error)
{
	const struct dma_sva_priv *a = dev_private;

	DMA_SVA_LOG(DEBUG, "dmadev %d: silent mode reports no completions",
		    a->dma_id);
	*last_idx = (uint16_t)-1;
	*has_error = false;
	return 0;
}

static __rte_noinline __rte_cold uint16_t
dma_sva_completed_status_none(void *dev_private, uint16_t vchan __rte_unused,
			      const uint16_t nb_cpls __rte_unused,
			      uint16_t *last_idx,
			      enum rte_dma_status_code *status __rte_unused)
{
	bool err;

	return dma_sva_completed_none(dev_private, 0, 0, last_idx, &err);
}

void
dma_sva_fp_install(struct rte_dma_fp_object *obj, bool silent)
{
	obj->copy = silent ? dma_sva_copy_silent : dma_sva_copy;
	obj->fill = silent ? dma_sva_fill_silent : dma_sva_fill;
	obj->submit = dma_sva_submit;
	obj->completed = silent ? dma_sva_completed_none : dma_sva_completed;
	obj->completed_status = silent ? dma_sva_completed_status_none :
		dma_sva_completed_status;
	obj->burst_capacity = silent ? dma_sva_burst_capacity_silent :
		dma_sva_burst_capacity;
	/* copy_sg stays the dmadev library's stub: one rte_dma index per
	 * scatter-gather op cannot map onto one rte_sva index per copy. */
}
