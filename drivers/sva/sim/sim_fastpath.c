/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Producer side of the sim device: build DSA descriptors in the queue ring,
 * ring the doorbell (dedicated WQ) or push them ENQCMD-style (shared WQ),
 * reap completion records in order. No locks, syscalls or allocation.
 * What every DSA-format producer does the same (checks, encoding, the reap
 * loop, the fast-path table) is drivers/common/dsa/dsa_producer.h's; this
 * file holds the sim's hooks into it: its work queues and its group-end
 * completion tracking.
 */

#include <errno.h>
#include <string.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#if defined(RTE_ARCH_X86)
#include <emmintrin.h>
#endif

#include "sim_private.h"

/*
 * Dedicated WQ: the descriptor into the ring the engine reads, whole, in
 * four 16-byte streaming stores, as MOVDIR64B puts one into a device's
 * work queue: a write of the full line, which takes no read-for-ownership
 * of the line the engine read a lap ago. With plain stores each
 * descriptor's line had to be taken back from the engine's core first;
 * on the development VM the store buffer then filled whenever the two
 * vCPUs were far apart, and 64-byte copies fell from ~45 to ~10 Mops/s
 * for seconds at a time (doc/guides/sim.rst). The stores are weakly
 * ordered: sim_doorbell() fences them before the doorbell.
 */
static __rte_always_inline void
sim_desc_post(struct dsa_desc *to, const struct dsa_desc *d)
{
#if defined(RTE_ARCH_X86)
	const __m128i *s = (const __m128i *)(const void *)d;
	__m128i *t = (__m128i *)(void *)to;

	_mm_stream_si128(t, _mm_load_si128(s));
	_mm_stream_si128(t + 1, _mm_load_si128(s + 1));
	_mm_stream_si128(t + 2, _mm_load_si128(s + 2));
	_mm_stream_si128(t + 3, _mm_load_si128(s + 3));
#else
	memcpy(to, d, sizeof(*d));
#endif
}

/* Dedicated WQ: every staged descriptor before end into the engine's
 * ring, in order (normally one: see sim_fp_finish()). */
static __rte_always_inline void
sim_post_before(struct sim_queue *q, uint16_t end)
{
	const uint16_t mask = q->r.mask;

	for (; q->posted != end; q->posted++)
		sim_desc_post(&q->dring[q->posted & mask], &q->r.ring[q->posted & mask]);
}

/* Shared WQ: one ENQCMD. Returns false when the WQ is full (retry). */
static __rte_always_inline bool
sim_swq_enqcmd(struct sim_wq *wq, const struct dsa_desc *d)
{
	uint32_t pos = __atomic_load_n(&wq->tail, __ATOMIC_RELAXED);

	for (;;) {
		uint32_t slot = pos & wq->mask;
		uint32_t seq = __atomic_load_n(&wq->seq[slot], __ATOMIC_ACQUIRE);
		int32_t diff = (int32_t)(seq - pos);

		if (diff == 0) {
			if (__atomic_compare_exchange_n(&wq->tail, &pos, pos + 1,
							true, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
				break;
		} else if (diff < 0) {
			return false;   /* full: the device refuses */
		} else {
			pos = __atomic_load_n(&wq->tail, __ATOMIC_RELAXED);
		}
	}
	memcpy(&wq->slots[pos & wq->mask], d, sizeof(*d));
	__atomic_store_n(&wq->seq[pos & wq->mask], pos + 1, __ATOMIC_RELEASE);
	return true;
}

/* Hand staged descriptors up to submit_target to the shared WQ. */
static int
sim_swq_push(struct sim_queue *q)
{
	struct dsa_ring *r = &q->r;

	while (r->submit_idx != q->submit_target) {
		if (!sim_swq_enqcmd(q->swq, &r->ring[r->submit_idx & r->mask])) {
			rte_sva_counter_add(&r->st_retries, 1);
			return -EBUSY;
		}
		/* Atomic (a plain store on x86): rte_sva_queue_idle() reads
		 * it from another thread. */
		__atomic_store_n(&r->submit_idx, (uint16_t)(r->submit_idx + 1),
				 __ATOMIC_RELEASE);
		rte_sva_counter_add(&r->st_submitted, 1);
	}
	return 0;
}

/* The last descriptor of a doorbell asks for a completion record: when it
 * arrives, every op before it is complete too (engines run a queue in
 * order), so successful ops in between need no record of their own. */
static __rte_always_inline void
sim_mark_group_end(struct sim_queue *q)
{
	struct dsa_ring *r = &q->r;
	uint16_t last = r->write_idx - 1;

	if (r->write_idx == q->submit_target)
		return;  /* nothing new since the last doorbell */
	r->ring[last & r->mask].flags_op |= DSA_FLAG_RCR;
	q->ends[q->ends_tail++ & r->mask] = last;
	__atomic_store_n(&q->submit_target, r->write_idx, __ATOMIC_RELEASE);
}

static __rte_always_inline int
sim_doorbell(struct sim_queue *q)
{
	struct dsa_ring *r = &q->r;

	sim_mark_group_end(q);
	if (q->swq != NULL)
		return sim_swq_push(q);
	rte_sva_counter_add(&r->st_submitted, (uint16_t)(r->write_idx - r->submit_idx));
	/* The last one, marked now (sim_fp_finish() posts the others), then
	 * the streaming stores before the doorbell: a release store does not
	 * order them (sim_desc_post()). */
	sim_post_before(q, r->write_idx);
	rte_wmb();
	__atomic_store_n(&r->submit_idx, r->write_idx, __ATOMIC_RELEASE);
	__atomic_store_n(&q->doorbell, r->write_idx, __ATOMIC_RELEASE);
	return 0;
}

/* ------------------------------------------------- dsa_producer.h hooks */

static __rte_always_inline bool
sim_fp_pasid_ok(uint32_t pasid)
{
	return pasid <= DSA_PASID_MASK;
}

#define sim_fp_pasid_rule "wider than 20 bits"

/* The op's own flags; the doorbell adds RCR to the last of a group. */
static __rte_always_inline uint32_t
sim_fp_desc_flags(const struct dsa_ring *r, uint64_t flags)
{
	RTE_SET_USED(r);
	return dsa_flags_from_op(flags);
}

/* The sim checks the PASID the descriptor carries (no ENQCMD fills it). */
static __rte_always_inline uint32_t
sim_fp_desc_pasid(uint32_t pasid)
{
	return pasid;
}

static __rte_always_inline int
sim_fp_doorbell(struct dsa_ring *r)
{
	return sim_doorbell(container_of(r, struct sim_queue, r));
}

static __rte_always_inline int
sim_fp_finish(struct dsa_ring *r, uint16_t idx, uint32_t pasid, uint64_t flags)
{
	struct sim_queue *q = container_of(r, struct sim_queue, r);

	RTE_SET_USED(pasid);  /* carried by the descriptor */
	/* Dedicated WQ: the op before this one goes to the engine's ring.
	 * One behind, so that its stores are long in the cache when it is
	 * read back in 16-byte pieces (read at once, they could not be
	 * forwarded from the narrower stores in flight, and each load waited
	 * for them); and the last one before a doorbell goes once, with the
	 * doorbell's mark (sim_doorbell()). */
	if (q->dring != NULL)
		sim_post_before(q, idx);
	dsa_ring_commit(r, idx);
	if (flags & RTE_SVA_OP_FLAG_SUBMIT)
		sim_fp_doorbell(r);  /* -EBUSY keeps it staged; reported by submit */
	return idx;
}

/* Move the known-complete frontier past every finished group end. */
static __rte_always_inline void
sim_frontier(struct sim_queue *q)
{
	const struct dsa_ring *r = &q->r;

	while (q->ends_head != q->ends_tail) {
		uint16_t e = q->ends[q->ends_head & r->mask];

		/* An end already reaped (its record seen) counts as done. */
		if ((int16_t)(e - r->read_idx) >= 0 &&
		    __atomic_load_n(&dsa_ring_cmpl(r, e)->status,
				    __ATOMIC_ACQUIRE) == DSA_ST_NONE)
			break;
		if ((int16_t)(e + 1 - q->done_idx) > 0)
			q->done_idx = e + 1;
		q->ends_head++;
	}
}

/* dsa_ring_reap()'s hook: op idx's record status, or done without a
 * record when it lies before a finished group end. */
static __rte_always_inline unsigned int
sim_fp_op_status(const struct dsa_ring *r, uint16_t idx)
{
	const struct sim_queue *q = container_of(r, const struct sim_queue, r);
	uint8_t raw = __atomic_load_n(&dsa_ring_cmpl(r, idx)->status,
				      __ATOMIC_ACQUIRE);

	if (raw == DSA_ST_NONE && (int16_t)(q->done_idx - idx) > 0)
		return DSA_RAW_DONE_NO_RECORD;
	return raw;
}

/* Before a reap: a shared WQ that refused us earlier gets the rest now
 * (not on a stopped device: nothing reaches it until the restart); then
 * the frontier moves past the group ends that finished. */
static __rte_always_inline void
sim_fp_reap_begin(struct dsa_ring *r)
{
	struct sim_queue *q = container_of(r, struct sim_queue, r);

	if (q->swq != NULL && r->submit_idx != q->submit_target &&
	    dsa_ring_started(r))
		sim_swq_push(q);
	sim_frontier(q);
}

/* After: reaped ops count as known complete for the frontier too. */
static __rte_always_inline void
sim_fp_reap_end(struct dsa_ring *r)
{
	struct sim_queue *q = container_of(r, struct sim_queue, r);

	if ((int16_t)(r->read_idx - q->done_idx) > 0)
		q->done_idx = r->read_idx;
}

/* sim_copy() ... sim_burst_capacity(), sim_fastpath_install(). */
#define DSA_PRODUCER sim
#define DSA_PRODUCER_DEV struct sim_dev
#include "dsa_producer.h"
