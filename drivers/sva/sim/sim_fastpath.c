/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Producer side of the sim device: build DSA descriptors in the queue ring,
 * ring the doorbell (dedicated WQ) or push them ENQCMD-style (shared WQ),
 * reap completion records in order. No locks, syscalls or allocation.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_pause.h>

#include "sim_private.h"

static __rte_noinline int
sim_bad_args(const struct sim_dev *sd, uint16_t qid, uint32_t pasid,
	     uint32_t len, uint64_t flags)
{
	const char *name = sd->sva->name;

	/* A configured queue of a device not started yet (or reconfigured
	 * since): refused as on a stopped one, at DEBUG level. */
	if (qid >= sd->fp_nb_queues && qid < sd->nb_queues &&
	    !__atomic_load_n(&sd->started, __ATOMIC_RELAXED))
		return dsa_ring_log_stopped(sim_logtype, name, qid);
	if (qid >= sd->fp_nb_queues || sd->queues[qid] == NULL ||
	    !sd->queues[qid]->r.set_up)
		SIM_LOG(ERR, "%s: qid %u is not a set-up queue", name, qid);
	else if (len == 0 || len > sd->args.max_xfer)
		SIM_LOG(ERR, "%s: length %u out of range 1..%u", name, len,
			sd->args.max_xfer);
	else if (flags & ~RTE_SVA_OP_FLAG_MASK)
		SIM_LOG(ERR, "%s: unknown op flags 0x%" PRIx64, name,
			flags & ~RTE_SVA_OP_FLAG_MASK);
	else
		SIM_LOG(ERR, "%s: PASID %u wider than %u bits", name, pasid,
			sd->args.pasid_bits);
	return -EINVAL;
}

static __rte_always_inline bool
sim_args_ok(const struct sim_dev *sd, uint16_t qid, uint32_t pasid,
	    uint32_t len, uint64_t flags)
{
	/* qid < nb_queues also guarantees queues[qid] was set up: start
	 * refuses a device with a queue missing. */
	return likely(qid < sd->fp_nb_queues && len - 1 < sd->args.max_xfer &&
		      !(flags & ~RTE_SVA_OP_FLAG_MASK) &&
		      pasid <= DSA_PASID_MASK);
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
	__atomic_store_n(&r->submit_idx, r->write_idx, __ATOMIC_RELEASE);
	__atomic_store_n(&q->doorbell, r->write_idx, __ATOMIC_RELEASE);
	return 0;
}

static __rte_always_inline int
sim_finish(struct sim_queue *q, uint16_t idx, uint64_t flags)
{
	dsa_ring_commit(&q->r, idx);
	if (flags & RTE_SVA_OP_FLAG_SUBMIT)
		sim_doorbell(q);  /* -EBUSY keeps it staged; reported by submit */
	return idx;
}

#define SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags) \
	struct sim_dev *sd = dev_private; \
	struct sim_queue *q; \
	struct dsa_desc *d; \
	uint16_t idx; \
	if (!sim_args_ok(sd, qid, pasid, len, flags)) \
		return sim_bad_args(sd, qid, pasid, len, flags); \
	q = sd->queues[qid]; \
	d = dsa_ring_slot(&q->r, &idx); \
	if (d == NULL) \
		return dsa_ring_refused(&q->r, sim_logtype, sd->sva->name)

static int
sim_copy(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	 void *dst, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_copy(d, dsa_flags_from_op(flags), pasid, dsa_ring_cmpl_addr(&q->r, idx),
			(uintptr_t)src, (uintptr_t)dst, len);
	return sim_finish(q, idx, flags);
}

static int
sim_fill(void *dev_private, uint16_t qid, uint32_t pasid, uint64_t pattern,
	 void *dst, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_fill(d, dsa_flags_from_op(flags), pasid, dsa_ring_cmpl_addr(&q->r, idx),
			pattern, (uintptr_t)dst, len);
	return sim_finish(q, idx, flags);
}

static int
sim_compare(void *dev_private, uint16_t qid, uint32_t pasid, const void *a,
	    const void *b, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compare(d, dsa_flags_from_op(flags), pasid,
			   dsa_ring_cmpl_addr(&q->r, idx), (uintptr_t)a, (uintptr_t)b, len);
	return sim_finish(q, idx, flags);
}

static int
sim_compare_pattern(void *dev_private, uint16_t qid, uint32_t pasid,
		    const void *src, uint64_t pattern, uint32_t len,
		    uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compval(d, dsa_flags_from_op(flags), pasid,
			   dsa_ring_cmpl_addr(&q->r, idx), (uintptr_t)src, pattern, len);
	return sim_finish(q, idx, flags);
}

static int
sim_crc32c(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	   uint32_t seed, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_crc(d, dsa_flags_from_op(flags), pasid, dsa_ring_cmpl_addr(&q->r, idx),
		       (uintptr_t)src, seed, len);
	return sim_finish(q, idx, flags);
}

static int
sim_copy_crc32c(void *dev_private, uint16_t qid, uint32_t pasid,
		const void *src, void *dst, uint32_t seed, uint32_t len,
		uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_copy_crc(d, dsa_flags_from_op(flags), pasid,
			    dsa_ring_cmpl_addr(&q->r, idx), (uintptr_t)src, (uintptr_t)dst,
			    seed, len);
	return sim_finish(q, idx, flags);
}

static int
sim_dualcast(void *dev_private, uint16_t qid, uint32_t pasid,
	     const void *src, void *dst1, void *dst2, uint32_t len,
	     uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_dualcast(d, dsa_flags_from_op(flags), pasid,
			    dsa_ring_cmpl_addr(&q->r, idx), (uintptr_t)src, (uintptr_t)dst1,
			    (uintptr_t)dst2, len);
	return sim_finish(q, idx, flags);
}

static int
sim_submit(void *dev_private, uint16_t qid)
{
	struct sim_dev *sd = dev_private;
	struct sim_queue *q;

	if (unlikely(qid >= sd->fp_nb_queues))
		return sim_bad_args(sd, qid, 0, 1, 0);
	q = sd->queues[qid];
	/* Staged ops of a stopped device wait for the restart. */
	if (unlikely(!dsa_ring_started(&q->r)))
		return dsa_ring_log_stopped(sim_logtype, sd->sva->name, qid);
	return sim_doorbell(q);
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
sim_op_status(const struct dsa_ring *r, uint16_t idx)
{
	const struct sim_queue *q = container_of(r, const struct sim_queue, r);
	uint8_t raw = __atomic_load_n(&dsa_ring_cmpl(r, idx)->status,
				      __ATOMIC_ACQUIRE);

	if (raw == DSA_ST_NONE && (int16_t)(q->done_idx - idx) > 0)
		return DSA_RAW_DONE_NO_RECORD;
	return raw;
}

static __rte_always_inline uint16_t
sim_reap(void *dev_private, uint16_t qid, enum dsa_reap_mode mode,
	 uint16_t nb_cpls, uint16_t *last_idx, bool *has_error,
	 uint16_t *status, struct rte_sva_result *res)
{
	struct sim_dev *sd = dev_private;
	struct sim_queue *q;
	uint16_t n;

	if (unlikely(qid >= sd->fp_nb_queues)) {
		sim_bad_args(sd, qid, 0, 1, 0);
		return 0;
	}
	q = sd->queues[qid];
	/* A shared WQ that refused us earlier gets the rest now (not on a
	 * stopped device: nothing reaches it until the restart). */
	if (q->swq != NULL && q->r.submit_idx != q->submit_target &&
	    dsa_ring_started(&q->r))
		sim_swq_push(q);
	sim_frontier(q);
	n = dsa_ring_reap(&q->r, sim_op_status, mode, nb_cpls, last_idx,
			  has_error, status, res);
	/* Reaped ops count as known complete for the frontier too. */
	if ((int16_t)(q->r.read_idx - q->done_idx) > 0)
		q->done_idx = q->r.read_idx;
	return n;
}

static uint16_t
sim_completed(void *dev_private, uint16_t qid, uint16_t nb_cpls,
	      uint16_t *last_idx, bool *has_error)
{
	return sim_reap(dev_private, qid, DSA_REAP_STOP_ON_ERROR, nb_cpls,
			last_idx, has_error, NULL, NULL);
}

static uint16_t
sim_completed_status(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		     uint16_t *last_idx, uint16_t *status)
{
	return sim_reap(dev_private, qid, DSA_REAP_STATUS, nb_cpls, last_idx,
			NULL, status, NULL);
}

static uint16_t
sim_completed_results(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		      uint16_t *last_idx, struct rte_sva_result *res)
{
	return sim_reap(dev_private, qid, DSA_REAP_RESULTS, nb_cpls, last_idx,
			NULL, NULL, res);
}

static uint16_t
sim_burst_capacity(const void *dev_private, uint16_t qid)
{
	const struct sim_dev *sd = dev_private;

	if (unlikely(qid >= sd->fp_nb_queues)) {
		sim_bad_args(sd, qid, 0, 1, 0);
		return 0;
	}
	return dsa_ring_capacity(&sd->queues[qid]->r);
}

void
sim_fastpath_install(struct rte_sva_fp_object *obj)
{
	obj->copy = sim_copy;
	obj->fill = sim_fill;
	obj->compare = sim_compare;
	obj->compare_pattern = sim_compare_pattern;
	obj->crc32c = sim_crc32c;
	obj->copy_crc32c = sim_copy_crc32c;
	obj->dualcast = sim_dualcast;
	obj->submit = sim_submit;
	obj->completed = sim_completed;
	obj->completed_status = sim_completed_status;
	obj->completed_results = sim_completed_results;
	obj->burst_capacity = sim_burst_capacity;
}
