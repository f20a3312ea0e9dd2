/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Engines of the sim device: threads (or EAL lcores) that fetch descriptors
 * from work queues, check them as DSA hardware does, ask the software IOMMU
 * whether the PASID may be used, execute them on process virtual addresses
 * and write completion records.
 *
 * The engine touches application memory directly (zero-copy). A bad address
 * must become a device fault, not a crash: while an engine touches operation
 * buffers it is "armed", and a SIGSEGV/SIGBUS it takes then jumps back to the
 * engine loop, which completes the descriptor with a page-fault status, the
 * faulting address and the bytes completed. Buffers are processed in chunks
 * that never cross a page boundary, and progress is recorded before each
 * chunk, so "bytes completed" is exact at page granularity.
 *
 * A descriptor goes through three stages: checks (validation, fence scope,
 * PASID, address width: nothing touched yet), translation (translation
 * cache; with page requests, every page, which may find a fault before the
 * end: the descriptor then runs only the part before it, e->part, and the
 * fault waits in e->pend), and the data stage (e->datap). A fault in the
 * data stage lands in sim_fault_recover(), which may run the data stage
 * again (sim_rerun()) but never the earlier stages: the descriptor's
 * outcome is decided by what it ran, then by the fault that ended it.
 *
 * Fences: a descriptor with FENCE after a failed one of the same doorbell
 * group completes ABORTED without running, and so does the rest of that
 * group (DSA abandons the rest of a batch). A group ends with the
 * descriptor that asks for a completion record (RCR: the last one of each
 * doorbell; CRC operations always ask for one, so they end it too).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#include "sim_exec.h"
#include "sim_xlat.h"

#define SIM_ENGINE_BURST   32
#define SIM_IDLE_SPINS     256

/* ------------------------------------------------------------- execution */

/* memmove semantics. Overlapping with the destination above the source
 * (or the tail part of such a copy, from_end): from the end, page by page,
 * the progress counting from the end (DSA: result bit 0 = descending). */
static SIM_DEVICE_ACCESS void
sim_exec_memmove(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	uintptr_t src = d->src, dst = d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint32_t dist = UINT32_MAX;

	/* The common small case: no overlap, each side within one page (one
	 * chunk: no progress to count, from either end). */
	if (likely(len <= SIM_PAGE_SIZE && !sim_overlap(src, dst, len) &&
		   ((src ^ (src + len - 1)) | (dst ^ (dst + len - 1))) < SIM_PAGE_SIZE)) {
		sim_copy_bytes((void *)dst, (const void *)src, len);
		return;
	}
	/* Overlap was refused at validation unless the device allows it. */
	if (sim_overlap(src, dst, len)) {
		dist = (uint32_t)(src > dst ? src - dst : dst - src);
		if (dist == 0)
			return;  /* copy onto itself: nothing to move */
		/* A re-run after a fault would read overwritten source:
		 * track progress page by page from the start. */
		e->precise = 1;
		e->overlap_run = 1;
	}
	if (e->from_end || (dst > src && dist != UINT32_MAX)) {
		/* Never read a byte already overwritten: copy from the end,
		 * in chunks within one page of each side. */
		e->descending = 1;
		e->precise = 1;
		while (done < len) {
			uint32_t left = len - done;
			uintptr_t s_end = src + left, d_end = dst + left;
			uint32_t n = RTE_MIN(left, dist);

			n = RTE_MIN(n, (uint32_t)((s_end - 1) % SIM_PAGE_SIZE) + 1);
			n = RTE_MIN(n, (uint32_t)((d_end - 1) % SIM_PAGE_SIZE) + 1);
			sim_progress(e, done);
			sim_copy_bytes((void *)(d_end - n), (const void *)(s_end - n), n);
			done += n;
		}
		o->result = 1;  /* DSA: bit 0 of result = descending */
		return;
	}
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, dist);

		n = RTE_MIN(n, sim_to_chunk_end(e, src + done));
		n = RTE_MIN(n, sim_to_chunk_end(e, dst + done));
		sim_progress(e, done);
		sim_copy_bytes((void *)(dst + done), (const void *)(src + done), n);
		done += n;
	}
}

/* ------------------------------------------------------------ validation */

/* True if op-specific bytes [from, 24) are all zero (word loads, no call). */
static __rte_always_inline bool
sim_zero_from(const uint8_t *os, size_t from)
{
	uint64_t w[3];

	memcpy(w, os, sizeof(w));
	if (from >= 8)
		w[0] = 0;
	else
		w[0] &= ~0ull << (from * 8);
	return (w[0] | w[1] | w[2]) == 0;
}

/* The buffer checks DSA makes before it touches memory (so before any
 * translation, page request or byte written): overlap where the operation
 * forbids it, dualcast destinations whose bits 11:0 differ. */
static __rte_noinline uint8_t
sim_validate_buffers(const struct sim_dev *sd, const struct dsa_desc *d)
{
	uint32_t len = d->xfer_size;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMMOVE:
		return !sd->args.overlap && sim_overlap(d->src, d->dst, len) ?
			DSA_ST_OVERLAP : 0;
	case DSA_OP_COPY_CRC:
		return sim_overlap(d->src, d->dst, len) ? DSA_ST_OVERLAP : 0;
	case DSA_OP_DUALCAST:
		if (((d->dst ^ d->dst2) & (SIM_PAGE_SIZE - 1)) != 0)
			return DSA_ST_DUALCAST_ALIGN;
		return sim_overlap(d->src, d->dst, len) || sim_overlap(d->src, d->dst2, len) ||
			sim_overlap(d->dst, d->dst2, len) ? DSA_ST_OVERLAP : 0;
	default:
		return 0;
	}
}

/* Descriptor checks, in the order DSA reports them. 0 = valid. */
static uint8_t
sim_validate(const struct sim_dev *sd, const struct dsa_desc *d)
{
	uint32_t flags = dsa_desc_flags(d);
	uint32_t allowed = DSA_FLAG_FENCE | DSA_FLAG_CRAV | DSA_FLAG_RCR |
			   DSA_FLAG_CC | (sd->args.pri ? DSA_FLAG_BOF : 0);
	const uint8_t *os = d->op_specific;
	size_t os_used = 0;
	bool buffers = false;   /* sim_validate_buffers() has a check */

	if (d->pasid_priv & RTE_BIT32(31))
		return DSA_ST_PRIV_BAD;  /* user work queues are unprivileged */
	if (d->pasid_priv & ~(DSA_PASID_MASK | RTE_BIT32(31)))
		return DSA_ST_NONZERO_RESERVED;
	switch (dsa_desc_op(d)) {
	case DSA_OP_NOOP:
	case DSA_OP_DRAIN:
		return (flags & ~allowed) ? DSA_ST_INVALID_FLAGS : 0;
	case DSA_OP_MEMMOVE:
		buffers = !sd->args.overlap;
		break;
	case DSA_OP_MEMFILL:
		break;
	case DSA_OP_COMPARE:
	case DSA_OP_COMPVAL:
		allowed |= DSA_FLAG_CR | DSA_FLAG_CRSTS;
		if (d->expected_res > 1)
			return DSA_ST_NONZERO_RESERVED;
		os_used = 1;
		break;
	case DSA_OP_DUALCAST:
		os_used = 8;
		buffers = true;
		break;
	case DSA_OP_COPY_CRC:
		buffers = true;
		/* fall through */
	case DSA_OP_CRCGEN:
		os_used = 4;
		break;
	default:
		return DSA_ST_BAD_OPCODE;
	}
	if (flags & ~allowed)
		return DSA_ST_INVALID_FLAGS;
	if (d->rsvd1 != 0 || !sim_zero_from(os, os_used))
		return DSA_ST_NONZERO_RESERVED;
	if (d->xfer_size == 0 || d->xfer_size > sd->args.max_xfer)
		return DSA_ST_XFER_ERANGE;
	if (unlikely(buffers))
		return sim_validate_buffers(sd, d);
	return 0;
}

/* Translation seam: every address range an operation touches. Today the
 * sim device checks the address width; the bonds work adds the per-PASID
 * translation cache here. Returns the first untranslatable address or 0. */
static __rte_always_inline uint64_t
sim_translate_check(const struct dsa_desc *d)
{
	const uint64_t limit = RTE_BIT64(SIM_ADDR_WIDTH);
	uint64_t len = d->xfer_size;
	uint64_t a = d->src, b = d->dst, c = d->dst2;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMFILL:
		a = b;
		break;
	case DSA_OP_COMPVAL:
	case DSA_OP_CRCGEN:
		b = a;
		break;
	default:
		break;
	}
	if (dsa_desc_op(d) != DSA_OP_DUALCAST)
		c = a;
	if (unlikely(a >= limit || limit - a < len))
		return a >= limit ? a : limit;
	if (unlikely(b >= limit || limit - b < len))
		return b >= limit ? b : limit;
	if (unlikely(c >= limit || limit - c < len))
		return c >= limit ? c : limit;
	return 0;
}

static void
sim_write_cmpl(struct sim_engine *e, const struct dsa_desc *d,
	       const struct sim_outcome *o)
{
	struct dsa_cmpl *c = (struct dsa_cmpl *)(uintptr_t)d->cmpl_addr;

	if (unlikely(!(dsa_desc_flags(d) & DSA_FLAG_CRAV) ||
		     (d->cmpl_addr & (DSA_CMPL_ALIGN - 1)) != 0 ||
		     d->cmpl_addr >= RTE_BIT64(SIM_ADDR_WIDTH))) {
		/* Hardware reports this in its software error register. */
		rte_sva_counter_add(&e->sw_errors, 1);
		SIM_LOG(ERR, "%s: descriptor with unusable completion address 0x%"
			PRIx64, e->dev->sva->name, d->cmpl_addr);
		return;
	}
	/* DSA: without RCR a record is written only when the operation did
	 * not simply succeed. */
	if (o->status == DSA_ST_SUCCESS && !(dsa_desc_flags(d) & DSA_FLAG_RCR))
		return;
	e->guard.phase = SIM_PHASE_CMPL;
	c->result = o->result;
	c->rsvd = 0;
	c->bytes_completed = o->bytes;
	c->fault_addr = o->fault_addr;
	c->crc_val = o->crc;
	__atomic_store_n(&c->status, o->status, __ATOMIC_RELEASE);
	e->guard.phase = SIM_PHASE_IDLE;
}

/* Run the operation on our own memory, armed: a fault jumps to
 * sim_fault_recover(). */
static void
sim_exec_data(struct sim_engine *e, const struct dsa_desc *d,
	      struct sim_outcome *o)
{
	e->progress = 0;
	e->descending = 0;
	e->overlap_run = 0;
	e->guard.phase = SIM_PHASE_DATA;
	rte_compiler_barrier();
	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMMOVE:
		sim_exec_memmove(e, d, o);
		break;
	case DSA_OP_MEMFILL:
		sim_exec_fill(e, d);
		break;
	case DSA_OP_COMPARE:
		sim_exec_compare(e, d, o);
		break;
	case DSA_OP_COMPVAL:
		sim_exec_compval(e, d, o);
		break;
	case DSA_OP_CRCGEN:
		sim_exec_crc(e, d, o, false);
		break;
	case DSA_OP_COPY_CRC:
		sim_exec_crc(e, d, o, true);
		break;
	case DSA_OP_DUALCAST:
		sim_exec_dualcast(e, d);
		break;
	default:  /* NOOP, DRAIN: in-order engines have nothing to wait for */
		break;
	}
	rte_compiler_barrier();
	e->guard.phase = SIM_PHASE_IDLE;
	e->precise = 0;
}

/* Unrecoverable faults (bad PASID, untranslatable address) also go to the
 * fault queue, for the callback and the counters. One try: the descriptor
 * reports the status anyway; a full queue counts it. */
static void
sim_report_unrecoverable(struct sim_engine *e, const struct dsa_desc *d,
			 const struct sim_outcome *o)
{
	struct rte_sva_fault f = {
		.type = RTE_SVA_FAULT_UNRECOV,
		.flags = RTE_SVA_FAULT_F_PASID_VALID,
		.pasid = dsa_desc_pasid(d),
		.perm = RTE_SVA_PERM_READ,
		.dev_id = e->dev->sva->dev_id,
		.tsc = rte_rdtsc(),
	};

	switch (o->status & DSA_ST_MASK) {
	case DSA_ST_SW_INVALID_PASID:
		f.reason = RTE_SVA_FAULT_REASON_PASID_INVALID;
		break;
	case DSA_ST_SW_BAD_PASID_ENTRY:
		f.reason = RTE_SVA_FAULT_REASON_BAD_PASID_ENTRY;
		break;
	case DSA_ST_TRANSLATION_FAIL:
		f.reason = RTE_SVA_FAULT_REASON_OOR_ADDRESS;
		f.flags |= RTE_SVA_FAULT_F_ADDR_VALID;
		f.addr = o->fault_addr;
		break;
	default:
		return;
	}
	rte_sva_pmd_fault_report(e->dev->sva, &f);
}

/* ------------------------------------------------------------- descriptors */

/* Compare operations: a difference is SUCCESS_PRED when asked (CR). */
static __rte_always_inline void
sim_result_check(const struct dsa_desc *d, struct sim_outcome *o)
{
	if (o->status == DSA_ST_SUCCESS && o->result != 0 && dsa_desc_op(d) != DSA_OP_MEMMOVE &&
	    (dsa_desc_flags(d) & DSA_FLAG_CR) && o->result != d->expected_res)
		o->status = DSA_ST_SUCCESS_PRED;
}

/* The outcome of d is final: report it, track the fence scope, write the
 * record. */
static __rte_always_inline void
sim_complete(struct sim_engine *e, const struct dsa_desc *d, const struct sim_outcome *o)
{
	if (unlikely(o->status != DSA_ST_SUCCESS)) {
		if (o->status >= DSA_ST_TRANSLATION_FAIL && e->dev->sva->fq != NULL)
			sim_report_unrecoverable(e, d, o);
		sim_fence_track(e, d, o->status);
	} else if (unlikely(e->nb_grp_dirty != 0)) {
		sim_fence_track(e, d, o->status);
	}
	sim_write_cmpl(e, d, o);
}

/* The part before a fault has run with outcome o: its own failure, or a
 * difference a compare found in it, comes first; else the fault that ends
 * the part (e->pend) is the outcome. */
static void
sim_part_done(struct sim_engine *e, struct sim_outcome *o)
{
	uint8_t op = dsa_desc_op(e->curp);

	if (o->status == DSA_ST_SUCCESS &&
	    !((op == DSA_OP_COMPARE || op == DSA_OP_COMPVAL) && o->result != 0))
		*o = e->pend;
}

/* Translation found the fault in *o after done bytes (the first ones, or
 * the last ones of a descending copy, o->result bit 0): run that part
 * alone, then decide the outcome. */
static void
sim_exec_part(struct sim_engine *e, const struct dsa_desc *d, struct rte_sva_mm *mm,
	      uint32_t done, struct sim_outcome *o)
{
	struct sim_outcome po = { .status = DSA_ST_SUCCESS };

	o->bytes = done;
	if (done == 0)
		return;
	e->pfx = *d;
	e->pfx.xfer_size = done;
	if (dsa_desc_op(d) == DSA_OP_MEMMOVE && (o->result & 1)) {
		uint32_t skip = d->xfer_size - done;

		e->pfx.src += skip;
		e->pfx.dst += skip;
		e->from_end = 1;
	}
	e->pend = *o;
	e->datap = &e->pfx;
	e->part = 1;
	if (mm->self)
		sim_exec_data(e, &e->pfx, &po);
	else
		sim_exec_foreign(e, &e->pfx, mm, &po);
	sim_part_done(e, &po);
	*o = po;
	e->part = 0;
	e->from_end = 0;
	e->datap = d;
}

static void
sim_exec(struct sim_engine *e)
{
	const struct dsa_desc *d = e->curp;
	struct sim_dev *sd = e->dev;
	struct sim_outcome o = { .status = DSA_ST_SUCCESS };
	struct sim_pasid_entry *pe;
	struct rte_sva_mm *mm;
	uint64_t bad;

	rte_sva_counter_add(&e->executed, 1);
	e->datap = d;
	if (unlikely(e->nb_grp_dirty != 0) && sim_fence_abandon(e, d)) {
		o.status = DSA_ST_SW_ABORTED;
		goto complete;
	}
	o.status = sim_validate(sd, d);
	if (unlikely(o.status != 0))
		goto complete;
	o.status = DSA_ST_SUCCESS;
	pe = sim_iommu_lookup(&sd->iommu, dsa_desc_pasid(d));
	/* refuse before mm: detach sets refuse, then clears mm. */
	if (unlikely(pe != NULL &&
		     __atomic_load_n(&pe->refuse, __ATOMIC_ACQUIRE))) {
		o.status = DSA_ST_SW_ABORTED;
		goto complete;
	}
	mm = pe != NULL ? __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE) : NULL;
	if (unlikely(mm == NULL)) {
		o.status = DSA_ST_SW_INVALID_PASID;
		goto complete;
	}
	if (unlikely(__atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE))) {
		o.status = DSA_ST_SW_BAD_PASID_ENTRY;
		goto complete;
	}
	e->cur_pe = pe;
	if (unlikely(sd->args.pri)) {
		uint32_t done = 0;

		bad = sim_translate_check(d);
		if (unlikely(bad != 0)) {
			o.status = DSA_ST_TRANSLATION_FAIL;
			o.fault_addr = bad;
			goto complete;
		}
		if (sim_pri_translate(e, pe, mm, d, &o, &done)) {
			if (__atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE)) {
				/* The process exited while its request was
				 * pending: nothing of it is left to touch. */
				o = (struct sim_outcome){ .status = DSA_ST_SW_BAD_PASID_ENTRY };
				goto complete;
			}
			sim_exec_part(e, d, mm, done, &o);
			goto result;
		}
	} else if (!sd->args.atc || !sim_xlat_fast(e, d)) {
		bad = sim_translate_check(d);
		if (unlikely(bad != 0)) {
			o.status = DSA_ST_TRANSLATION_FAIL;
			o.fault_addr = bad;
			goto complete;
		}
		if (sd->args.atc)
			sim_xlat_slow(e, d, mm);
	}
	if (unlikely(!mm->self)) {
		sim_exec_foreign(e, d, mm, &o);
		goto result;
	}

	sim_exec_data(e, d, &o);
result:
	sim_result_check(d, &o);
complete:
	sim_complete(e, d, &o);
}

/* The data stage again, after a fault the engine recovered from: the
 * checks and the translation of the descriptor stand, and so does the
 * fault a part run ends with. */
static void
sim_rerun(struct sim_engine *e)
{
	struct sim_outcome o = { .status = DSA_ST_SUCCESS };

	sim_exec_data(e, e->datap, &o);
	if (e->part)
		sim_part_done(e, &o);
	sim_result_check(e->curp, &o);
	sim_complete(e, e->curp, &o);
}

/* Back from a fault the engine took on process memory (via siglongjmp). */
static void
sim_fault_recover(struct sim_engine *e)
{
	struct sim_outcome o = { 0 };
	int phase = e->guard.phase;

	e->guard.phase = SIM_PHASE_IDLE;
	if (phase == SIM_PHASE_DATA && !e->precise) {
		/* Re-run with page-sized chunks to find the exact progress;
		 * every operation that is not precise from the start is
		 * idempotent (no overlap), so repeating its first part is
		 * harmless. A fault in the re-run lands here again. */
		e->precise = 1;
		sim_rerun(e);
		goto done;
	}
	if (phase == SIM_PHASE_DATA && sim_pri_permission_fault(e)) {
		/* Resolved: run the data stage again (only idempotent ones
		 * get here); a second fault is reported. */
		e->prq_retried = 1;
		sim_rerun(e);
		goto done;
	}
	if (phase == SIM_PHASE_DATA) {
		bool bof = e->dev->args.pri &&
			(dsa_desc_flags(e->curp) & DSA_FLAG_BOF) != 0;

		/* Before the end of a part too: the earlier fault wins. */
		rte_sva_counter_add(&e->faults, 1);
		o.status = (bof ? DSA_ST_PAGE_FAULT_IR : DSA_ST_PAGE_FAULT_NOBOF) |
			(e->guard.fault_write ? DSA_ST_WRITE : 0);
		o.fault_addr = e->guard.fault_addr;
		o.bytes = e->progress;
		o.result = e->descending | e->from_end;
		sim_complete(e, e->curp, &o);
	} else {
		/* No record: a failure for the fence scope all the same. */
		rte_sva_counter_add(&e->sw_errors, 1);
		sim_fence_track(e, e->curp, DSA_ST_SW_ABORTED);
		SIM_LOG(ERR, "%s: completion record at 0x%" PRIx64
			" is not writable (fault at 0x%" PRIxPTR ")",
			e->dev->sva->name, e->curp->cmpl_addr,
			(uintptr_t)e->guard.fault_addr);
	}
done:
	e->precise = 0;
	e->prq_retried = 0;
	e->overlap_run = 0;
	e->part = 0;
	e->from_end = 0;
	e->datap = e->curp;
	/* The poll loop this descriptor came from was left: count it done. */
	if (e->cur_dq != NULL)
		__atomic_store_n(&e->cur_dq->eng_head, e->cur_dq->eng_head + 1,
				 __ATOMIC_RELEASE);
	else
		__atomic_store_n(&e->cur_wq->done, e->cur_wq->done + 1,
				 __ATOMIC_RELEASE);
}

static unsigned int
sim_poll_dq(struct sim_engine *e, struct sim_queue *q)
{
	uint16_t head = q->eng_head;
	uint16_t tail = __atomic_load_n(&q->doorbell, __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	e->cur_dq = q;
	e->cur_wq = NULL;
	while (head != tail && n < SIM_ENGINE_BURST) {
		/* Descriptors of a dedicated WQ stay put until reaped, so the
		 * engine reads them in place. Fetch ahead: the ring lines and
		 * the source of the next operation come from the producer's
		 * core. */
		uint16_t ahead = (uint16_t)(tail - head);

		/* Never prefetch past the doorbell: those lines are the
		 * producer's to write next, and taking them costs it an RFO. */
		if (ahead > 8)
			rte_prefetch0(&q->r.ring[(uint16_t)(head + 8) & q->r.mask]);
		if (ahead > 1)
			rte_prefetch0((const void *)(uintptr_t)
				      q->r.ring[(uint16_t)(head + 1) & q->r.mask].src);
		e->curp = &q->r.ring[head & q->r.mask];
		sim_exec(e);
		head++;
		n++;
		__atomic_store_n(&q->eng_head, head, __ATOMIC_RELEASE);
	}
	return n;
}

static unsigned int
sim_poll_sq(struct sim_engine *e, struct sim_wq *wq)
{
	uint32_t head = wq->head;
	unsigned int n = 0;

	e->cur_dq = NULL;
	e->cur_wq = wq;
	while (n < SIM_ENGINE_BURST) {
		uint32_t slot = head & wq->mask;

		if (__atomic_load_n(&wq->seq[slot], __ATOMIC_ACQUIRE) != head + 1)
			break;
		rte_memcpy(&e->cur, &wq->slots[slot], sizeof(e->cur));
		e->curp = &e->cur;
		/* The descriptor is inside the device now: free the slot. */
		__atomic_store_n(&wq->seq[slot], head + wq->mask + 1,
				 __ATOMIC_RELEASE);
		head++;
		__atomic_store_n(&wq->head, head, __ATOMIC_RELEASE);
		sim_exec(e);
		__atomic_store_n(&wq->done, wq->done + 1, __ATOMIC_RELEASE);
		n++;
	}
	return n;
}

static void
sim_engine_poll(struct sim_engine *e)
{
	unsigned int idle = 0;

	for (;;) {
		/* Read the run flag before the pass: a doorbell rung before
		 * stop cleared it is then seen by this pass at the latest. */
		bool stopping = !__atomic_load_n(&e->run, __ATOMIC_ACQUIRE);
		unsigned int work = 0;

		for (uint16_t i = 0; i < e->nb_dq; i++)
			work += sim_poll_dq(e, e->dq[i]);
		for (uint16_t i = 0; i < e->nb_sq; i++)
			work += sim_poll_sq(e, e->sq[i]);
		/* Quiescent point: no descriptor in flight. */
		__atomic_store_n(&e->qs_epoch, e->qs_epoch + 1, __ATOMIC_SEQ_CST);
		if (work != 0) {
			idle = 0;
			continue;
		}
		if (stopping)
			return;  /* stopping, and a full pass found nothing */
		if (++idle < SIM_IDLE_SPINS || !e->dev->args.idle_yield)
			rte_pause();
		else
			sched_yield();
		rte_sva_counter_add(&e->idle_polls, 1);
	}
}

/* An engine's body, on its thread or EAL lcore, until stopped. */
int
sim_engine_main(void *arg)
{
	struct sim_engine *e = arg;

	rte_sva_guard_bind(&e->guard);
	e->guard.phase = SIM_PHASE_IDLE;
	if (sigsetjmp(e->guard.env, 0) != 0)
		sim_fault_recover(e);
	sim_engine_poll(e);
	rte_sva_guard_bind(NULL);
	__atomic_store_n(&e->qs_epoch, e->qs_epoch + 1, __ATOMIC_SEQ_CST);
	return 0;
}

