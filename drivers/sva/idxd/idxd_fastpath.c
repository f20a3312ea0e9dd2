/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Producer side of sva_idxd: build DSA descriptors (dsa_hw.h encoders, the
 * same bytes the sim's producer writes) in the queue ring, hand them to the
 * kernel work queue at the doorbell, reap completion records in order.
 * Portal paths take no locks, make no system calls and allocate nothing;
 * the write() path makes one system call per descriptor.
 */

#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_pause.h>

#include "idxd_private.h"

/* ------------------------------------------------------------ CPU features */

static uint32_t
idxd_cpuid7_ecx(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0)
		return 0;
	return c;
}

bool
idxd_cpu_has_movdir64b(void)
{
	return (idxd_cpuid7_ecx() & RTE_BIT32(28)) != 0;
}

bool
idxd_cpu_has_enqcmd(void)
{
	return (idxd_cpuid7_ecx() & RTE_BIT32(29)) != 0;
}

/* MOVDIR64B src -> portal (64-byte direct store). Encoded by hand so older
 * assemblers do: 66 0F 38 F8 /r, reg = rax (destination address),
 * r/m = [rdx] (source). */
static __rte_always_inline void
idxd_movdir64b(volatile void *portal, const struct dsa_desc *d)
{
#if defined(RTE_ARCH_X86_64)
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a"(portal), "d"(d), "m"(*d) : "memory");
#else
	RTE_SET_USED(portal);
	RTE_SET_USED(d);
#endif
}

/* ENQCMD: F2 0F 38 F8 /r. Returns true when the device accepted it
 * (ZF = 0); ZF = 1 means the shared WQ refused it: retry. */
static __rte_always_inline bool
idxd_enqcmd(volatile void *portal, const struct dsa_desc *d)
{
#if defined(RTE_ARCH_X86_64)
	uint8_t refused;

	asm volatile(".byte 0xf2, 0x0f, 0x38, 0xf8, 0x02\n\t"
		     "setz %0"
		     : "=r"(refused)
		     : "a"(portal), "d"(d), "m"(*d) : "memory", "cc");
	return refused == 0;
#else
	RTE_SET_USED(portal);
	RTE_SET_USED(d);
	return false;
#endif
}

#define IDXD_ENQCMD_RETRIES 16

/* ---------------------------------------------------------------- checks */

static __rte_noinline int
idxd_bad_args(const struct idxd_dev *xd, uint16_t qid, uint32_t pasid,
	      uint32_t len, uint64_t flags)
{
	const char *name = xd->sva->name;

	/* A configured queue of a device not started yet (or reconfigured
	 * since): refused as on a stopped one, at DEBUG level. */
	if (qid >= xd->fp_nb_queues && qid < xd->nb_queues &&
	    !__atomic_load_n(&xd->started, __ATOMIC_RELAXED))
		return dsa_ring_log_stopped(idxd_logtype, name, qid);
	if (qid >= xd->fp_nb_queues || xd->queues[qid] == NULL)
		IDXD_LOG(ERR, "%s: qid %u is not a set-up queue", name, qid);
	else if (len == 0 || len > xd->queues[qid]->r.max_xfer)
		IDXD_LOG(ERR, "%s: length %u out of range 1..%u", name, len,
			 xd->queues[qid]->r.max_xfer);
	else if (flags & ~RTE_SVA_OP_FLAG_MASK)
		IDXD_LOG(ERR, "%s: unknown op flags 0x%" PRIx64, name,
			 flags & ~RTE_SVA_OP_FLAG_MASK);
	else
		IDXD_LOG(ERR, "%s: PASID %u wider than 20 bits", name, pasid);
	return -EINVAL;
}

static __rte_always_inline bool
idxd_args_ok(const struct idxd_dev *xd, uint16_t qid, uint32_t pasid,
	     uint32_t len, uint64_t flags)
{
	return likely(qid < xd->fp_nb_queues &&
		      len - 1 < xd->queues[qid]->r.max_xfer &&
		      !(flags & ~RTE_SVA_OP_FLAG_MASK) &&
		      pasid <= DSA_PASID_MASK);
}

/* ------------------------------------------------------------- submission */

/* Hand one descriptor to the WQ. 1: accepted; 0: refused (retry later);
 * <0: the kernel rejected it for good (-errno). */
static __rte_always_inline int
idxd_push_one(struct idxd_wq *wq, const struct dsa_desc *d)
{
	uint8_t *slot;
	ssize_t n;

	switch (wq->path) {
	case IDXD_PATH_MOVDIR64B:
		idxd_movdir64b(wq->portal, d);
		return 1;
	case IDXD_PATH_ENQCMD:
		/* Any 64-byte slot of the portal page; cycling them spreads
		 * the write-combining buffers, as the kernel does. */
		slot = wq->portal + (wq->portal_slot++ % IDXD_PORTAL_SLOTS) *
			DSA_DESC_SIZE;
		/* A refusal is normal when the WQ is momentarily full: a
		 * few immediate retries, then report it (the caller keeps
		 * the descriptor staged and retries at the next call). */
		for (unsigned int i = 0; i < IDXD_ENQCMD_RETRIES; i++)
			if (idxd_enqcmd(slot, d))
				return 1;
		return 0;
	case IDXD_PATH_FAKE:
		slot = wq->portal + (wq->portal_slot++ % IDXD_PORTAL_SLOTS) *
			DSA_DESC_SIZE;
		memcpy(slot, d, DSA_DESC_SIZE);
		return 1;
	case IDXD_PATH_WRITE:
	default:
		n = write(wq->fd, d, DSA_DESC_SIZE);
		if (n == DSA_DESC_SIZE)
			return 1;
		if (n >= 0 || errno == EAGAIN || errno == EBUSY ||
		    errno == EINTR)
			return 0;
		return -errno;
	}
}

/* Complete op idx in software with a DSA status byte. */
static __rte_always_inline void
idxd_sw_complete(struct idxd_queue *q, uint16_t idx, uint8_t status)
{
	struct dsa_cmpl *c = dsa_ring_cmpl(&q->r, idx);

	q->tag[idx & q->r.mask] = IDXD_TAG_SW_DONE;
	c->result = 0;
	c->bytes_completed = 0;
	c->fault_addr = 0;
	c->crc_val = 0;
	__atomic_store_n(&c->status, status, __ATOMIC_RELEASE);
}

/* Every op before idx has its completion record (fence emulation). */
static bool
idxd_all_done_before(const struct idxd_queue *q, uint16_t idx)
{
	for (uint16_t i = q->r.read_idx; i != idx; i++)
		if (__atomic_load_n(&dsa_ring_cmpl(&q->r, i)->status,
				    __ATOMIC_ACQUIRE) == DSA_ST_NONE)
			return false;
	return true;
}

/*
 * The doorbell: hand every staged descriptor to the WQ, in order.
 * A descriptor whose PASID is no longer attached completes ABORTED; one
 * with FENCE waits until everything before it completed (DSA honours the
 * fence flag only inside a batch, so the driver holds it back instead).
 */
static int
idxd_doorbell(struct idxd_queue *q)
{
	struct dsa_ring *r = &q->r;
	struct idxd_wq *wq = q->wq;
	uint32_t pasid = __atomic_load_n(&q->dev->pasid, __ATOMIC_ACQUIRE);
	bool fenced = false;

	if (r->submit_idx == r->write_idx)
		return 0;
	/* Descriptors and cleared records visible before the device reads. */
	rte_wmb();
	while (r->submit_idx != r->write_idx) {
		uint16_t idx = r->submit_idx;
		struct dsa_desc *d = &r->ring[idx & r->mask];
		uint32_t tag = q->tag[idx & r->mask];
		int ret;

		if (tag == IDXD_TAG_SW_DONE) {
			r->submit_idx++;
			continue;
		}
		if (unlikely(tag != pasid)) {
			idxd_sw_complete(q, idx, DSA_ST_SW_ABORTED);
			r->submit_idx++;
			continue;
		}
		if (unlikely(dsa_desc_flags(d) & DSA_FLAG_FENCE)) {
			if (!idxd_all_done_before(q, idx)) {
				fenced = true;
				break;
			}
			d->flags_op &= ~DSA_FLAG_FENCE;
			rte_wmb();
		}
		ret = idxd_push_one(wq, d);
		if (ret == 0) {
			rte_sva_counter_add(&r->st_retries, 1);
			return -EBUSY;
		}
		if (unlikely(ret < 0))
			idxd_sw_complete(q, idx, DSA_ST_SW_SUBMIT_FAILED);
		else
			rte_sva_counter_add(&r->st_submitted, 1);
		r->submit_idx++;
	}
	RTE_SET_USED(fenced);  /* held back: the next call goes on */
	return 0;
}

/* --------------------------------------------------------------- enqueue */

/* Record the op's PASID; an unattached one completes INVALID_PASID
 * without reaching the device (the kernel PASID is the only one). */
static __rte_always_inline int
idxd_finish(struct idxd_queue *q, uint16_t idx, uint32_t pasid,
	    uint64_t flags)
{
	dsa_ring_cmpl(&q->r, idx)->status = DSA_ST_NONE;
	if (unlikely(pasid != __atomic_load_n(&q->dev->pasid, __ATOMIC_ACQUIRE)))
		idxd_sw_complete(q, idx, DSA_ST_SW_INVALID_PASID);
	else
		q->tag[idx & q->r.mask] = pasid;
	dsa_ring_commit(&q->r, idx);
	if (flags & RTE_SVA_OP_FLAG_SUBMIT)
		idxd_doorbell(q);  /* -EBUSY keeps it staged */
	return idx;
}

/* Descriptor flags: every op asks for a record; BOF only where the WQ
 * has block_on_fault enabled (else DSA rejects the flag). The PASID field
 * stays 0: a dedicated WQ uses the PASID the kernel programmed into it,
 * ENQCMD (shared WQ) overwrites it with IA32_PASID, and the kernel's
 * write() path fills it for shared WQs. */
#define IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags) \
	struct idxd_dev *xd = dev_private; \
	struct idxd_queue *q; \
	struct dsa_desc *d; \
	uint32_t df; \
	uint64_t ca; \
	uint16_t idx; \
	if (!idxd_args_ok(xd, qid, pasid, len, flags)) \
		return idxd_bad_args(xd, qid, pasid, len, flags); \
	q = xd->queues[qid]; \
	d = dsa_ring_slot(&q->r, &idx); \
	if (d == NULL) \
		return dsa_ring_refused(&q->r, idxd_logtype, xd->sva->name); \
	df = (dsa_flags_from_op(flags) & ~(DSA_FLAG_BOF ^ q->bof_ok)) | \
		DSA_FLAG_RCR; \
	ca = dsa_ring_cmpl_addr(&q->r, idx)

#define IDXD_PASID_FIELD 0

static int
idxd_copy(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	  void *dst, uint32_t len, uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_copy(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)src,
			(uintptr_t)dst, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_fill(void *dev_private, uint16_t qid, uint32_t pasid, uint64_t pattern,
	  void *dst, uint32_t len, uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_fill(d, df, IDXD_PASID_FIELD, ca, pattern, (uintptr_t)dst,
			len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_compare(void *dev_private, uint16_t qid, uint32_t pasid, const void *a,
	     const void *b, uint32_t len, uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compare(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)a,
			   (uintptr_t)b, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_compare_pattern(void *dev_private, uint16_t qid, uint32_t pasid,
		     const void *src, uint64_t pattern, uint32_t len,
		     uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_compval(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)src,
			   pattern, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_crc32c(void *dev_private, uint16_t qid, uint32_t pasid, const void *src,
	    uint32_t seed, uint32_t len, uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_crc(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)src, seed, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_copy_crc32c(void *dev_private, uint16_t qid, uint32_t pasid,
		 const void *src, void *dst, uint32_t seed, uint32_t len,
		 uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_copy_crc(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)src,
			    (uintptr_t)dst, seed, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_dualcast(void *dev_private, uint16_t qid, uint32_t pasid,
	      const void *src, void *dst1, void *dst2, uint32_t len,
	      uint64_t flags)
{
	IDXD_ENQ_PROLOGUE(dev_private, qid, pasid, len, flags);
	dsa_encode_dualcast(d, df, IDXD_PASID_FIELD, ca, (uintptr_t)src,
			    (uintptr_t)dst1, (uintptr_t)dst2, len);
	return idxd_finish(q, idx, pasid, flags);
}

static int
idxd_submit(void *dev_private, uint16_t qid)
{
	struct idxd_dev *xd = dev_private;
	struct idxd_queue *q;

	if (unlikely(qid >= xd->fp_nb_queues))
		return idxd_bad_args(xd, qid, 0, 1, 0);
	q = xd->queues[qid];
	/* Nothing reaches the device once stop began: close may free what
	 * the device would write. Staged ops wait for the restart. */
	if (unlikely(!dsa_ring_started(&q->r)))
		return dsa_ring_log_stopped(idxd_logtype, xd->sva->name, qid);
	return idxd_doorbell(q);
}

/* ------------------------------------------------------------------ reap */

/* dsa_ring_reap()'s hook: op idx's record status; NONE while in flight
 * or still staged (a staged op's record may be stale). */
static __rte_always_inline unsigned int
idxd_op_status(const struct dsa_ring *r, uint16_t idx)
{
	const struct idxd_queue *q = container_of(r, const struct idxd_queue, r);

	if ((int16_t)(idx - r->submit_idx) >= 0 &&
	    q->tag[idx & r->mask] != IDXD_TAG_SW_DONE)
		return DSA_ST_NONE;
	return __atomic_load_n(&dsa_ring_cmpl(r, idx)->status,
			       __ATOMIC_ACQUIRE);
}

static __rte_always_inline uint16_t
idxd_reap(void *dev_private, uint16_t qid, enum dsa_reap_mode mode,
	  uint16_t nb_cpls, uint16_t *last_idx, bool *has_error,
	  uint16_t *status, struct rte_sva_result *res)
{
	struct idxd_dev *xd = dev_private;
	struct idxd_queue *q;

	if (unlikely(qid >= xd->fp_nb_queues)) {
		idxd_bad_args(xd, qid, 0, 1, 0);
		return 0;
	}
	q = xd->queues[qid];
	/* A refused or fenced submission goes on now; never on a stopped
	 * device (reaping after stop must not hand it anything). */
	if (q->r.submit_idx != q->r.write_idx && dsa_ring_started(&q->r))
		idxd_doorbell(q);
	return dsa_ring_reap(&q->r, idxd_op_status, mode, nb_cpls, last_idx,
			     has_error, status, res);
}

static uint16_t
idxd_completed(void *dev_private, uint16_t qid, uint16_t nb_cpls,
	       uint16_t *last_idx, bool *has_error)
{
	return idxd_reap(dev_private, qid, DSA_REAP_STOP_ON_ERROR, nb_cpls,
			 last_idx, has_error, NULL, NULL);
}

static uint16_t
idxd_completed_status(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		      uint16_t *last_idx, uint16_t *status)
{
	return idxd_reap(dev_private, qid, DSA_REAP_STATUS, nb_cpls, last_idx,
			 NULL, status, NULL);
}

static uint16_t
idxd_completed_results(void *dev_private, uint16_t qid, uint16_t nb_cpls,
		       uint16_t *last_idx, struct rte_sva_result *res)
{
	return idxd_reap(dev_private, qid, DSA_REAP_RESULTS, nb_cpls, last_idx,
			 NULL, NULL, res);
}

static uint16_t
idxd_burst_capacity(const void *dev_private, uint16_t qid)
{
	const struct idxd_dev *xd = dev_private;

	if (unlikely(qid >= xd->fp_nb_queues)) {
		idxd_bad_args(xd, qid, 0, 1, 0);
		return 0;
	}
	return dsa_ring_capacity(&xd->queues[qid]->r);
}

int
idxd_queue_drain(struct idxd_queue *q, uint64_t timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() +
		timeout_ms * rte_get_timer_hz() / 1000;

	for (uint16_t i = q->r.read_idx; i != q->r.submit_idx; i++) {
		while (__atomic_load_n(&dsa_ring_cmpl(&q->r, i)->status,
				       __ATOMIC_ACQUIRE) == DSA_ST_NONE) {
			if (rte_get_timer_cycles() > deadline)
				return -ETIMEDOUT;
			rte_pause();
		}
	}
	return 0;
}

void
idxd_fastpath_install(struct rte_sva_fp_object *obj)
{
	obj->copy = idxd_copy;
	obj->fill = idxd_fill;
	obj->compare = idxd_compare;
	obj->compare_pattern = idxd_compare_pattern;
	obj->crc32c = idxd_crc32c;
	obj->copy_crc32c = idxd_copy_crc32c;
	obj->dualcast = idxd_dualcast;
	obj->submit = idxd_submit;
	obj->completed = idxd_completed;
	obj->completed_status = idxd_completed_status;
	obj->completed_results = idxd_completed_results;
	obj->burst_capacity = idxd_burst_capacity;
}
