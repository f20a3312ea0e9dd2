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

	if (qid >= sd->fp_nb_queues || sd->queues[qid] == NULL ||
	    !sd->queues[qid]->set_up)
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
	while (q->submit_idx != q->submit_target) {
		if (!sim_swq_enqcmd(q->swq, &q->ring[q->submit_idx & q->mask])) {
			q->st_retries++;
			return -EBUSY;
		}
		q->submit_idx++;
		q->st_submitted++;
	}
	return 0;
}

/* The last descriptor of a doorbell asks for a completion record: when it
 * arrives, every op before it is complete too (engines run a queue in
 * order), so successful ops in between need no record of their own. */
static __rte_always_inline void
sim_mark_group_end(struct sim_queue *q)
{
	uint16_t last = q->write_idx - 1;

	if (q->write_idx == q->submit_target)
		return;  /* nothing new since the last doorbell */
	q->ring[last & q->mask].flags_op |= DSA_FLAG_RCR;
	q->ends[q->ends_tail++ & q->mask] = last;
	q->submit_target = q->write_idx;
}

static __rte_always_inline int
sim_doorbell(struct sim_queue *q)
{
	sim_mark_group_end(q);
	if (q->swq != NULL)
		return sim_swq_push(q);
	q->st_submitted += (uint16_t)(q->write_idx - q->submit_idx);
	q->submit_idx = q->write_idx;
	__atomic_store_n(&q->doorbell, q->write_idx, __ATOMIC_RELEASE);
	return 0;
}

/* Reserve the next descriptor slot, or NULL when the ring is full. */
static __rte_always_inline struct dsa_desc *
sim_slot(struct sim_queue *q, uint16_t *idx)
{
	*idx = q->write_idx;
	if (unlikely((uint16_t)(*idx - q->read_idx) >= q->mask))
		return NULL;
	return &q->ring[*idx & q->mask];
}

static __rte_always_inline int
sim_finish(struct sim_queue *q, uint16_t idx, uint64_t flags)
{
	q->write_idx = idx + 1;
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
	d = sim_slot(q, &idx); \
	if (d == NULL) \
		return -ENOSPC

static __rte_always_inline uint64_t
sim_cmpl_addr(const struct sim_queue *q, uint16_t idx)
{
	return (uint64_t)(uintptr_t)&q->cmpl[idx & q->mask];
}

static int
sim_copy(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	 void *dst, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_copy(d, dsa_flags_from_op(flags), pasid, sim_cmpl_addr(q, idx),
			(uintptr_t)src, (uintptr_t)dst, len);
	return sim_finish(q, idx, flags);
}

static int
sim_fill(void *dev_private, uint16_t qid, uint32_t pasid, uint64_t pattern,
	 void *dst, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_fill(d, dsa_flags_from_op(flags), pasid, sim_cmpl_addr(q, idx),
			pattern, (uintptr_t)dst, len);
	return sim_finish(q, idx, flags);
}

static int
sim_compare(void *dev_private, uint16_t qid, uint32_t pasid, const void *a,
	    const void *b, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compare(d, dsa_flags_from_op(flags), pasid,
			   sim_cmpl_addr(q, idx), (uintptr_t)a, (uintptr_t)b, len);
	return sim_finish(q, idx, flags);
}

static int
sim_compare_pattern(void *dev_private, uint16_t qid, uint32_t pasid,
		    const void *src, uint64_t pattern, uint32_t len,
		    uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compval(d, dsa_flags_from_op(flags), pasid,
			   sim_cmpl_addr(q, idx), (uintptr_t)src, pattern, len);
	return sim_finish(q, idx, flags);
}

static int
sim_crc32c(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	   uint32_t seed, uint32_t len, uint64_t flags)
{
	SIM_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_crc(d, dsa_flags_from_op(flags), pasid, sim_cmpl_addr(q, idx),
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
			    sim_cmpl_addr(q, idx), (uintptr_t)src, (uintptr_t)dst,
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
			    sim_cmpl_addr(q, idx), (uintptr_t)src, (uintptr_t)dst1,
			    (uintptr_t)dst2, len);
	return sim_finish(q, idx, flags);
}

static int
sim_submit(void *dev_private, uint16_t qid)
{
	struct sim_dev *sd = dev_private;

	if (unlikely(qid >= sd->fp_nb_queues))
		return sim_bad_args(sd, qid, 0, 1, 0);
	return sim_doorbell(sd->queues[qid]);
}

/* Account one reaped op and hand its record back (only written records
 * need clearing: the others were never touched by the device). */
static __rte_always_inline void
sim_reap(struct sim_queue *q, struct dsa_cmpl *c, uint8_t raw, uint16_t st)
{
	if (st <= RTE_SVA_STATUS_COMPARE_MISMATCH) {
		q->st_completed++;
		q->st_bytes += q->ring[(c - q->cmpl)].xfer_size;
	} else {
		q->st_errors++;
		if (st == RTE_SVA_STATUS_PAGE_FAULT)
			q->st_faults++;
	}
	if (raw != DSA_ST_NONE)
		c->status = DSA_ST_NONE;
}

/* Move the known-complete frontier past every finished group end. */
static __rte_always_inline void
sim_frontier(struct sim_queue *q)
{
	while (q->ends_head != q->ends_tail) {
		uint16_t e = q->ends[q->ends_head & q->mask];

		/* An end already reaped (its record seen) counts as done. */
		if ((int16_t)(e - q->read_idx) >= 0 &&
		    __atomic_load_n(&q->cmpl[e & q->mask].status,
				    __ATOMIC_ACQUIRE) == DSA_ST_NONE)
			break;
		if ((int16_t)(e + 1 - q->done_idx) > 0)
			q->done_idx = e + 1;
		q->ends_head++;
	}
}

/* Raw status of op idx: its record's, SUCCESS if it is known complete
 * without one, or NONE while it is still in flight. */
static __rte_always_inline uint8_t
sim_op_status(const struct sim_queue *q, uint16_t idx, struct dsa_cmpl **cp)
{
	struct dsa_cmpl *c = &q->cmpl[idx & q->mask];
	uint8_t raw = __atomic_load_n(&c->status, __ATOMIC_ACQUIRE);

	*cp = c;
	return raw;
}

static __rte_always_inline bool
sim_known_done(const struct sim_queue *q, uint16_t idx)
{
	return (int16_t)(q->done_idx - idx) > 0;
}

static __rte_always_inline struct sim_queue *
sim_reap_queue(struct sim_dev *sd, uint16_t qid)
{
	struct sim_queue *q;

	if (unlikely(qid >= sd->fp_nb_queues)) {
		sim_bad_args(sd, qid, 0, 1, 0);
		return NULL;
	}
	q = sd->queues[qid];
	/* A shared WQ that refused us earlier gets the rest now. */
	if (q->swq != NULL && q->submit_idx != q->submit_target)
		sim_swq_push(q);
	sim_frontier(q);
	return q;
}

static __rte_always_inline void
sim_reap_done(struct sim_queue *q, uint16_t idx, uint16_t *last_idx)
{
	q->read_idx = idx;
	if ((int16_t)(idx - q->done_idx) > 0)
		q->done_idx = idx;
	*last_idx = (uint16_t)(idx - 1);
}

static uint16_t
sim_completed(void *dev_private, uint16_t qid, uint16_t nb_cpls,
	      uint16_t *last_idx, bool *has_error)
{
	struct sim_queue *q = sim_reap_queue(dev_private, qid);
	uint16_t idx, n = 0;
	struct dsa_cmpl *c;

	if (q == NULL)
		return 0;
	idx = q->read_idx;
	while (n < nb_cpls) {
		uint8_t raw = sim_op_status(q, idx, &c);
		uint16_t st;

		if (raw == DSA_ST_NONE) {
			if (!sim_known_done(q, idx))
				break;
			st = RTE_SVA_STATUS_SUCCESS;
		} else {
			st = dsa_status_to_sva(c);
			if (st > RTE_SVA_STATUS_COMPARE_MISMATCH) {
				*has_error = true;
				break;
			}
		}
		sim_reap(q, c, raw, st);
		idx++;
		n++;
	}
	sim_reap_done(q, idx, last_idx);
	return n;
}

static uint16_t
sim_completed_status(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		     uint16_t *last_idx, uint16_t *status)
{
	struct sim_queue *q = sim_reap_queue(dev_private, qid);
	uint16_t idx, n = 0;
	struct dsa_cmpl *c;

	if (q == NULL)
		return 0;
	idx = q->read_idx;
	while (n < nb_cpls) {
		uint8_t raw = sim_op_status(q, idx, &c);
		uint16_t st;

		if (raw == DSA_ST_NONE && !sim_known_done(q, idx))
			break;
		st = raw == DSA_ST_NONE ? RTE_SVA_STATUS_SUCCESS :
			dsa_status_to_sva(c);
		status[n++] = st;
		sim_reap(q, c, raw, st);
		idx++;
	}
	sim_reap_done(q, idx, last_idx);
	return n;
}

static uint16_t
sim_completed_results(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		      uint16_t *last_idx, struct rte_sva_result *res)
{
	struct sim_queue *q = sim_reap_queue(dev_private, qid);
	uint16_t idx, n = 0;
	struct dsa_cmpl *c;

	if (q == NULL)
		return 0;
	idx = q->read_idx;
	while (n < nb_cpls) {
		uint8_t raw = sim_op_status(q, idx, &c);
		struct rte_sva_result *r = &res[n];
		uint8_t op = dsa_desc_op(&q->ring[idx & q->mask]);
		uint16_t st;

		if (raw == DSA_ST_NONE && !sim_known_done(q, idx))
			break;
		if (raw == DSA_ST_NONE)
			*r = (struct rte_sva_result){ .status = RTE_SVA_STATUS_SUCCESS };
		else
			dsa_cmpl_to_result(c, raw, op, r);
		st = r->status;
		sim_reap(q, c, raw, st);
		idx++;
		n++;
	}
	sim_reap_done(q, idx, last_idx);
	return n;
}

static uint16_t
sim_burst_capacity(const void *dev_private, uint16_t qid)
{
	const struct sim_dev *sd = dev_private;
	const struct sim_queue *q;

	if (unlikely(qid >= sd->fp_nb_queues)) {
		sim_bad_args(sd, qid, 0, 1, 0);
		return 0;
	}
	q = sd->queues[qid];
	return q->mask - (uint16_t)(q->write_idx - q->read_idx);
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
