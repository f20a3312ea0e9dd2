/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The fast-path functions every DSA-format producer of this tree shares
 * (sva_sim, sva_idxd): enqueue of each operation, submit, the three reap
 * calls, burst capacity, and the install of them all into the library's
 * fast-path object. A driver keeps only what is really its own (how a
 * descriptor reaches the device, how an op's completion is known) as a
 * few static inline hooks, and instantiates this template once:
 *
 *   #define DSA_PRODUCER sim        // the prefix: sim_copy(), ...
 *   #define DSA_PRODUCER_DEV struct sim_dev
 *   <the hooks below, named sim_fp_*>
 *   #include "dsa_producer.h"       // defines sim_fastpath_install()
 *
 * It is a template, not a library, so that each operation stays one
 * indirect call (the library's promise): the hooks are inlined into the
 * functions generated here, and dsa_ring_reap() calls op_status directly.
 *
 * The device: DSA_PRODUCER_DEV is the driver's private device struct (the
 * fast-path object's dev_private), with these fields:
 *   struct rte_sva_dev *sva       its library device (for the name)
 *   uint16_t nb_queues            queues configured
 *   uint16_t fp_nb_queues         queues the fast path may use: set at
 *                                 start (each then set up), kept by stop
 *   bool started                  between start and stop (atomic)
 *   <queue type> *queues[]        each with its struct dsa_ring r
 *
 * Hooks (P = the prefix):
 *   int P_logtype                                 the driver's log type
 *   bool P_fp_pasid_ok(uint32_t pasid)            a PASID the device takes
 *   P_fp_pasid_rule                               a string saying which not
 *   uint32_t P_fp_desc_flags(const struct dsa_ring *r, uint64_t flags)
 *   uint32_t P_fp_desc_pasid(uint32_t pasid)
 *       The descriptor's flags (from dsa_flags_from_op()) and PASID field.
 *   int P_fp_finish(struct dsa_ring *r, uint16_t idx, uint32_t pasid,
 *                   uint64_t flags)
 *       Slot idx is encoded: commit it (dsa_ring_commit()), ring the
 *       doorbell if flags ask for it; return idx.
 *   int P_fp_doorbell(struct dsa_ring *r)
 *       Hand the staged descriptors to the device: 0, or -EBUSY (some
 *       stay staged, for the next call).
 *   void P_fp_reap_begin(struct dsa_ring *r), P_fp_reap_end(struct dsa_ring *r)
 *       Around each reap: what the driver moves on first (a refused
 *       submission), and what it records after.
 *   unsigned int P_fp_op_status(const struct dsa_ring *r, uint16_t idx)
 *       dsa_ring_reap()'s op_status hook.
 */

#if !defined(DSA_PRODUCER) || !defined(DSA_PRODUCER_DEV)
#error "define DSA_PRODUCER and DSA_PRODUCER_DEV before including dsa_producer.h"
#endif

#include <inttypes.h>

#include <rte_branch_prediction.h>
#include <rte_log.h>

#include "dsa_hw.h"
#include "dsa_ring.h"
#include "rte_sva_pmd.h"

#define DSA_PRODUCER_CAT_(a, b) a##_##b
#define DSA_PRODUCER_CAT(a, b) DSA_PRODUCER_CAT_(a, b)
/* DSA_P(copy) is sim_copy when DSA_PRODUCER is sim. */
#define DSA_P(name) DSA_PRODUCER_CAT(DSA_PRODUCER, name)

/* The fast path may use queue qid. */
static __rte_always_inline bool
DSA_P(fp_ready)(const void *dev, uint16_t qid)
{
	return qid < ((const DSA_PRODUCER_DEV *)dev)->fp_nb_queues;
}

/* Its ring, asked only when ready (two functions, not a NULL return: the
 * compiler cannot tell a ring at offset 0 of a queue from NULL, and would
 * test it on every call). */
static __rte_always_inline struct dsa_ring *
DSA_P(fp_ring)(const void *dev, uint16_t qid)
{
	return &((const DSA_PRODUCER_DEV *)dev)->queues[(size_t)qid]->r;
}

static inline const char *
DSA_P(fp_name)(const void *dev)
{
	return ((const DSA_PRODUCER_DEV *)dev)->sva->name;
}

/* qid is a configured queue of a device not started (yet, or since a
 * reconfigure): refused as on a stopped device. */
static inline bool
DSA_P(fp_stopped)(const void *dev, uint16_t qid)
{
	const DSA_PRODUCER_DEV *xd = dev;

	return qid < xd->nb_queues &&
		!__atomic_load_n(&xd->started, __ATOMIC_RELAXED);
}

/* Why an op or call was refused: one line (a queue of a stopped device at
 * DEBUG level only: an application polling it must not flood the log). */
static __rte_noinline __rte_cold int
DSA_P(bad_args)(const void *dev, uint16_t qid, uint32_t pasid, uint32_t len,
		uint64_t flags)
{
	const struct dsa_ring *r = DSA_P(fp_ready)(dev, qid) ?
		DSA_P(fp_ring)(dev, qid) : NULL;
	const char *name = DSA_P(fp_name)(dev);
	int lt = DSA_P(logtype);

	if (r == NULL && DSA_P(fp_stopped)(dev, qid))
		return dsa_ring_log_stopped(lt, name, qid);
	if (r == NULL)
		rte_log(RTE_LOG_ERR, lt, "%s: qid %u is not a set-up queue\n",
			name, qid);
	else if (len == 0 || len > r->max_xfer)
		rte_log(RTE_LOG_ERR, lt, "%s: length %u out of range 1..%u\n",
			name, len, r->max_xfer);
	else if (flags & ~RTE_SVA_OP_FLAG_MASK)
		rte_log(RTE_LOG_ERR, lt, "%s: unknown op flags 0x%" PRIx64 "\n",
			name, flags & ~RTE_SVA_OP_FLAG_MASK);
	else
		rte_log(RTE_LOG_ERR, lt, "%s: PASID %u refused: %s\n",
			name, pasid, DSA_P(fp_pasid_rule));
	return -EINVAL;
}

/*
 * The start of every enqueue: the checks, one branch each (len - 1 wraps
 * for len 0; merged into one condition, GCC computes them all with setcc
 * instead of leaving at the first), then a slot of the ring, or why there
 * is none. Leaves r, d and idx for the encoder.
 */
#define DSA_PRODUCER_ENQ_PROLOGUE() \
	struct dsa_ring *r; \
	struct dsa_desc *d; \
	uint16_t idx; \
	if (unlikely(!DSA_P(fp_ready)(dev_private, qid))) \
		return DSA_P(bad_args)(dev_private, qid, pasid, len, flags); \
	r = DSA_P(fp_ring)(dev_private, qid); \
	if (unlikely(len - 1 >= r->max_xfer)) \
		return DSA_P(bad_args)(dev_private, qid, pasid, len, flags); \
	if (unlikely(flags & ~RTE_SVA_OP_FLAG_MASK)) \
		return DSA_P(bad_args)(dev_private, qid, pasid, len, flags); \
	if (unlikely(!DSA_P(fp_pasid_ok)(pasid))) \
		return DSA_P(bad_args)(dev_private, qid, pasid, len, flags); \
	d = dsa_ring_slot(r, &idx); \
	if (d == NULL) \
		return dsa_ring_refused(r, DSA_P(logtype), \
					DSA_P(fp_name)(dev_private))

/* The arguments every encoder starts with. */
#define DSA_PRODUCER_ENC_ARGS \
	d, DSA_P(fp_desc_flags)(r, flags), DSA_P(fp_desc_pasid)(pasid), \
	dsa_ring_cmpl_addr(r, idx)

static int
DSA_P(copy)(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	    void *dst, uint32_t len, uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_copy(DSA_PRODUCER_ENC_ARGS, (uintptr_t)src, (uintptr_t)dst,
			len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(fill)(void *dev_private, uint16_t qid, uint32_t pasid, uint64_t pattern,
	    void *dst, uint32_t len, uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_fill(DSA_PRODUCER_ENC_ARGS, pattern, (uintptr_t)dst, len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(compare)(void *dev_private, uint16_t qid, uint32_t pasid, const void *a,
	       const void *b, uint32_t len, uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_compare(DSA_PRODUCER_ENC_ARGS, (uintptr_t)a, (uintptr_t)b,
			   len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(compare_pattern)(void *dev_private, uint16_t qid, uint32_t pasid,
		       const void *src, uint64_t pattern, uint32_t len,
		       uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_compval(DSA_PRODUCER_ENC_ARGS, (uintptr_t)src, pattern, len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(crc32c)(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	      uint32_t seed, uint32_t len, uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_crc(DSA_PRODUCER_ENC_ARGS, (uintptr_t)src, seed, len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(copy_crc32c)(void *dev_private, uint16_t qid, uint32_t pasid,
		   const void *src, void *dst, uint32_t seed, uint32_t len,
		   uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_copy_crc(DSA_PRODUCER_ENC_ARGS, (uintptr_t)src,
			    (uintptr_t)dst, seed, len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(dualcast)(void *dev_private, uint16_t qid, uint32_t pasid,
		const void *src, void *dst1, void *dst2, uint32_t len,
		uint64_t flags)
{
	DSA_PRODUCER_ENQ_PROLOGUE();
	dsa_encode_dualcast(DSA_PRODUCER_ENC_ARGS, (uintptr_t)src,
			    (uintptr_t)dst1, (uintptr_t)dst2, len);
	return DSA_P(fp_finish)(r, idx, pasid, flags);
}

static int
DSA_P(submit)(void *dev_private, uint16_t qid)
{
	struct dsa_ring *r;

	if (unlikely(!DSA_P(fp_ready)(dev_private, qid)))
		return DSA_P(bad_args)(dev_private, qid, 0, 1, 0);
	r = DSA_P(fp_ring)(dev_private, qid);
	/* Nothing reaches a stopped device (close may free what it would
	 * write): staged ops wait for the restart. */
	if (unlikely(!dsa_ring_started(r)))
		return dsa_ring_log_stopped(DSA_P(logtype),
					    DSA_P(fp_name)(dev_private), qid);
	return DSA_P(fp_doorbell)(r);
}

static __rte_always_inline uint16_t
DSA_P(reap)(void *dev_private, uint16_t qid, enum dsa_reap_mode mode,
	    uint16_t nb_cpls, uint16_t *last_idx, bool *has_error,
	    uint16_t *status, struct rte_sva_result *res)
{
	struct dsa_ring *r;
	uint16_t n;

	if (unlikely(!DSA_P(fp_ready)(dev_private, qid))) {
		DSA_P(bad_args)(dev_private, qid, 0, 1, 0);
		return 0;
	}
	r = DSA_P(fp_ring)(dev_private, qid);
	DSA_P(fp_reap_begin)(r);
	n = dsa_ring_reap(r, DSA_P(fp_op_status), mode, nb_cpls, last_idx,
			  has_error, status, res);
	DSA_P(fp_reap_end)(r);
	return n;
}

static uint16_t
DSA_P(completed)(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		 uint16_t *last_idx, bool *has_error)
{
	return DSA_P(reap)(dev_private, qid, DSA_REAP_STOP_ON_ERROR, nb_cpls,
			   last_idx, has_error, NULL, NULL);
}

static uint16_t
DSA_P(completed_status)(void *dev_private, uint16_t qid, uint16_t nb_cpls,
			uint16_t *last_idx, uint16_t *status)
{
	return DSA_P(reap)(dev_private, qid, DSA_REAP_STATUS, nb_cpls, last_idx,
			   NULL, status, NULL);
}

static uint16_t
DSA_P(completed_results)(void *dev_private, uint16_t qid, uint16_t nb_cpls,
			 uint16_t *last_idx, struct rte_sva_result *res)
{
	return DSA_P(reap)(dev_private, qid, DSA_REAP_RESULTS, nb_cpls, last_idx,
			   NULL, NULL, res);
}

static uint16_t
DSA_P(burst_capacity)(const void *dev_private, uint16_t qid)
{
	if (unlikely(!DSA_P(fp_ready)(dev_private, qid))) {
		DSA_P(bad_args)(dev_private, qid, 0, 1, 0);
		return 0;
	}
	return dsa_ring_capacity(DSA_P(fp_ring)(dev_private, qid));
}

/* The driver's fast path into the library's object (declared in the
 * driver's private header). */
void
DSA_P(fastpath_install)(struct rte_sva_fp_object *obj)
{
	obj->copy = DSA_P(copy);
	obj->fill = DSA_P(fill);
	obj->compare = DSA_P(compare);
	obj->compare_pattern = DSA_P(compare_pattern);
	obj->crc32c = DSA_P(crc32c);
	obj->copy_crc32c = DSA_P(copy_crc32c);
	obj->dualcast = DSA_P(dualcast);
	obj->submit = DSA_P(submit);
	obj->completed = DSA_P(completed);
	obj->completed_status = DSA_P(completed_status);
	obj->completed_results = DSA_P(completed_results);
	obj->burst_capacity = DSA_P(burst_capacity);
}

#undef DSA_PRODUCER_ENC_ARGS
#undef DSA_PRODUCER_ENQ_PROLOGUE
#undef DSA_P
#undef DSA_PRODUCER_DEV
#undef DSA_PRODUCER
