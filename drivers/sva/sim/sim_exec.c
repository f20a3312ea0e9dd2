/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Execution of one descriptor by a sim engine: from the descriptor an
 * engine took off a work queue (sim_engine.c) to its completion record.
 *
 * A descriptor goes through three stages: checks (sim_check.h: validation,
 * then fence scope, PASID, address width: nothing touched yet),
 * translation (sim_xlat.h: translation cache; with page requests, every
 * page, which may find a fault before the end: the descriptor then runs
 * only the part before it, e->part, and the fault waits in e->pend), and
 * the data stage (e->datap). The data stage touches application memory
 * directly, armed: a fault there jumps back to the engine loop, which
 * calls sim_exec_fault(); that may run the data stage again (sim_rerun())
 * but never the earlier stages: the descriptor's outcome is decided by
 * what it ran, then by the fault that ended it. Copies (the common case)
 * are here next to the dispatch; the other operations are in sim_ops.c,
 * those on another process's memory in sim_foreign.c. Fence scopes
 * (a FENCE after a failure of its doorbell group completes ABORTED) are
 * tracked by sim_fence.c, at either end of a descriptor.
 */

#include <inttypes.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_prefetch.h>

#include "sim_check.h"
#include "sim_exec.h"
#include "sim_xlat.h"

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

/* Hardware reports this in its software error register. */
static __rte_noinline __rte_cold void
sim_cmpl_unusable(struct sim_engine *e, const struct dsa_desc *d)
{
	rte_sva_counter_add(&e->sw_errors, 1);
	SIM_LOG(ERR, "%s: descriptor with unusable completion address 0x%"
		PRIx64, e->dev->sva->name, d->cmpl_addr);
}

static __rte_always_inline void
sim_write_cmpl(struct sim_engine *e, const struct dsa_desc *d,
	       const struct sim_outcome *o)
{
	struct dsa_cmpl *c = (struct dsa_cmpl *)(uintptr_t)d->cmpl_addr;

	if (unlikely(!(dsa_desc_flags(d) & DSA_FLAG_CRAV) ||
		     (d->cmpl_addr & (DSA_CMPL_ALIGN - 1)) != 0 ||
		     d->cmpl_addr >= RTE_BIT64(SIM_ADDR_WIDTH))) {
		sim_cmpl_unusable(e, d);
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

/* sim_exec_fast()'s data stage and record. A copy within one page each
 * side is inline, and succeeds or faults: its outcome needs no memory.
 * The rest (copies across pages, CRCs) is out of line with its outcome,
 * so that the common case keeps no stack frame for it. */
static __rte_noinline SIM_DEVICE_ACCESS void
sim_exec_fast_long(struct sim_engine *e, const struct dsa_desc *d, uint8_t op)
{
	struct sim_outcome o = { .status = DSA_ST_SUCCESS };

	e->guard.phase = SIM_PHASE_DATA;
	rte_compiler_barrier();
	if (op == DSA_OP_MEMMOVE) {
		sim_exec_memmove(e, d, &o);
	} else if (d->xfer_size <= sim_to_chunk_end(e, d->src)) {
		/* A CRC within one chunk: sim_exec_crc() without its loop
		 * (DSA's CRC32C inverts the seed and the result). */
		sim_progress(e, 0);
		o.crc = ~sim_crc32c_update(~d->crc_seed,
					   (const uint8_t *)(uintptr_t)d->src,
					   d->xfer_size);
	} else {
		sim_exec_crc(e, d, &o, false);
	}
	rte_compiler_barrier();
	e->guard.phase = SIM_PHASE_IDLE;
	sim_write_cmpl(e, d, &o);
}

static const struct sim_outcome sim_success = { .status = DSA_ST_SUCCESS };

static __rte_always_inline SIM_DEVICE_ACCESS void
sim_exec_fast_data(struct sim_engine *e, const struct dsa_desc *d, uint8_t op)
{
	uint64_t s = d->src, t = d->dst, n = d->xfer_size;

	if (unlikely(op != DSA_OP_MEMMOVE ||
		     (((s ^ (s + n - 1)) | (t ^ (t + n - 1))) >> 12) != 0)) {
		sim_exec_fast_long(e, d, op);
		return;
	}
	e->guard.phase = SIM_PHASE_DATA;
	rte_compiler_barrier();
	sim_copy_bytes((void *)(uintptr_t)t, (const void *)(uintptr_t)s, n);
	rte_compiler_barrier();
	e->guard.phase = SIM_PHASE_IDLE;
	/* sim_complete() with no fence scope open and success: the record. */
	sim_write_cmpl(e, d, &sim_success);
}

/*
 * The common case in one piece: a copy (no overlap) or a CRC on our own
 * memory, every check passing, every page cached, no fence scope open,
 * no page requests. The same stages as below, each in its shortest form;
 * false as soon as one would take its long form, before anything is
 * touched or counted (the caller then runs the stages in full). A fault
 * in the data stage leaves through the guard as there: sim_exec_fault()
 * re-runs what e->datap names (d) with sim_exec_data().
 */
static __rte_always_inline bool
sim_exec_fast(struct sim_engine *e, const struct dsa_desc *d)
{
	const struct sim_dev *sd = e->dev;
	struct sim_pasid_entry *pe;
	struct rte_sva_mm *mm;
	uint8_t op = dsa_desc_op(d);

	if (unlikely((e->nb_grp_dirty | sd->args.pri | !sd->args.atc) != 0) ||
	    !sim_validate_fast(sd, d, op))
		return false;
	pe = sim_iommu_lookup((struct sim_iommu *)(uintptr_t)&sd->iommu,
			      dsa_desc_pasid(d));
	if (unlikely(pe == NULL || __atomic_load_n(&pe->refuse, __ATOMIC_ACQUIRE)))
		return false;
	mm = __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE);
	if (unlikely(mm == NULL || !mm->self ||
		     __atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE)))
		return false;
	e->cur_pe = pe;
	if (unlikely(!sim_xlat_fast(e, d)))
		return false;
	rte_sva_counter_add(&e->executed, 1);
	sim_exec_fast_data(e, d, op);
	return true;
}

/* The stages in order (file comment): checks, PASID, translation, data,
 * completion. A fault in the data stage leaves through the guard instead;
 * sim_exec_fault() ends the descriptor then. Out of line: the saves and
 * stack of the long forms stay off the fast path. */
static __rte_noinline void
sim_exec_full(struct sim_engine *e)
{
	const struct dsa_desc *d = e->curp;
	struct sim_dev *sd = e->dev;
	struct sim_outcome o = { .status = DSA_ST_SUCCESS };
	struct sim_pasid_entry *pe;
	struct rte_sva_mm *mm;
	uint64_t bad;

	rte_sva_counter_add(&e->executed, 1);
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

		bad = sim_check_width(d);
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
		bad = sim_check_width(d);
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

/* Descriptor d (e->curp): the common case inline, else every stage. */
static __rte_always_inline void
sim_exec_one(struct sim_engine *e, const struct dsa_desc *d)
{
	e->datap = d;
	if (likely(sim_exec_fast(e, d)))
		return;
	sim_exec_full(e);
}

void
sim_exec(struct sim_engine *e)
{
	sim_exec_one(e, e->curp);
}

/* How far ahead the engine fetches, in descriptors: their lines (streamed
 * to memory by the producer: a miss to DRAM, or a cross-core transfer
 * measured at 136-454 ns on a 2-vCPU VM, where a 64-byte copy takes
 * ~20 ns) and the completion-record lines of those that will write one. */
#define SIM_DESC_AHEAD     32
#define SIM_CMPL_AHEAD     8

unsigned int
sim_exec_dq(struct sim_engine *e, struct sim_queue *q, uint16_t head,
	    uint16_t tail, unsigned int max)
{
	/* Read once: the calls in the loop (sim_exec_full() is out of line)
	 * would have them reloaded each time, dring from the doorbell's
	 * line, which the producer keeps writing. */
	const struct dsa_desc *ring = q->dring;
	const uint16_t mask = q->r.mask;
	unsigned int n = 0;

	/* The first SIM_DESC_AHEAD descriptors of a doorbell group at once:
	 * the loop below fetches each SIM_DESC_AHEAD ahead, so without this
	 * the first ones of a group that found the engine waiting would each
	 * be a miss of its own, one after the other (each a cross-core
	 * transfer, 136-454 ns on a 2-vCPU VM). Measured on 64-byte copies
	 * in 10 alternating pairs of runs: 42.1 against 39.0 Mops/s
	 * (doc/guides/sim.rst). Lines already here cost a prefetch each. */
	for (uint16_t k = 0; k < RTE_MIN((uint16_t)(tail - head), (uint16_t)SIM_DESC_AHEAD); k++)
		rte_prefetch0(&ring[(uint16_t)(head + k) & mask]);
	while (head != tail && n < max) {
		/* Descriptors of a dedicated WQ stay put until reaped, so the
		 * engine reads them in place. Fetch ahead: the ring lines
		 * come from memory (written with streaming stores) and the
		 * source of the next operation from the producer's core. */
		uint16_t ahead = (uint16_t)(tail - head);
		const struct dsa_desc *d = &ring[head & mask];

		/* Never prefetch past the doorbell: those lines are yet to be
		 * written, and a copy fetched now is only invalidated by the
		 * producer's streaming write. */
		if (ahead > SIM_DESC_AHEAD)
			rte_prefetch0(&ring[(uint16_t)(head + SIM_DESC_AHEAD) & mask]);
		/* A descriptor that will write its completion record (a
		 * group end, a CRC): the record's line was last written by
		 * the producer (it clears a status when it reaps), so ask
		 * for it now; the transfer then overlaps the operations in
		 * between instead of holding up the record's stores. Only
		 * those: taking the line of a record that stays unwritten
		 * would cost the producer a miss when it polls it. */
		if (ahead > SIM_CMPL_AHEAD) {
			const struct dsa_desc *f = &ring[(uint16_t)(head + SIM_CMPL_AHEAD) & mask];

			if (f->flags_op & DSA_FLAG_RCR)
				dsa_prefetch_w((const void *)(uintptr_t)f->cmpl_addr);
		}
		if (ahead > 1)
			rte_prefetch0((const void *)(uintptr_t)
				      ring[(uint16_t)(head + 1) & mask].src);
		e->curp = d;
		sim_exec_one(e, d);
		head++;
		n++;
		__atomic_store_n(&q->eng_head, head, __ATOMIC_RELEASE);
	}
	return n;
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

/* The first byte the operation needs in the page the CPU's access faulted
 * on: what the device reports. The CPU's order within a chunk need not be
 * the device's: libc's memcpy() loads the last 8 bytes of an 8 to 15 byte
 * copy first, so a chunk that starts on an inaccessible page can fault a
 * few bytes into it. Ascending passes only (from the end, the access
 * reported is the one nearest the end, as the device's). */
static uint64_t
fault_first_byte(const struct sim_engine *e, uint64_t a)
{
	const uint64_t page = a & ~(uint64_t)(SIM_PAGE_SIZE - 1);
	struct sim_xlat_range r[3];
	unsigned int nr = sim_xlat_ranges(e->datap, r);

	if (e->descending || e->from_end)
		return a;
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t from = r[i].start + e->progress;

		/* Distances, not ends: no wrap near the top. */
		if (a >= from && a - from < (uint64_t)r[i].len - e->progress)
			return RTE_MAX(page, from);
	}
	return a;
}

/* The data stage (or the record) faulted: e->guard says where and how. */
void
sim_exec_fault(struct sim_engine *e)
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
		o.fault_addr = fault_first_byte(e, e->guard.fault_addr);
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
}
