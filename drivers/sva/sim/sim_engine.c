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
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif

#include "sim_private.h"

/* Under ASan/TSan, libc memcpy is used: instrumented inline SIMD copies
 * would check shadow memory of addresses the "device" may legitimately find
 * unmapped. */
#ifdef SVA_SIM_SANITIZED
#define sim_copy_bytes(d, s, n) memcpy((d), (s), (n))
#else
/* Small copies inline (no call); larger ones through libc, whose copy is
 * picked at run time for this CPU (AVX2/AVX-512/ERMS) while rte_memcpy is
 * fixed at DPDK's build baseline. */
#define sim_copy_bytes(d, s, n) \
	((n) <= 128 ? (void)rte_memcpy((d), (s), (n)) : (void)memcpy((d), (s), (n)))
#endif

/* Functions that touch operation buffers do what a device does: any
 * address, NULL included; a fault is the expected outcome, not UB. */
#define SIM_DEVICE_ACCESS __attribute__((no_sanitize("undefined")))

#define SIM_ENGINE_BURST   32
#define SIM_IDLE_SPINS     256
#define SIM_FAST_CHUNK     65536u

/* ----------------------------------------------------------------- CRC32C */

#ifndef __SSE4_2__
static uint32_t sim_crc_table[256];

RTE_INIT(sim_crc_table_init)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
		sim_crc_table[i] = c;
	}
}
#endif

/* Raw (non-inverted) CRC32C update. */
SIM_DEVICE_ACCESS uint32_t
sim_crc32c_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
#ifdef __SSE4_2__
	uint64_t c = crc;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		c = _mm_crc32_u64(c, v);
	}
	crc = (uint32_t)c;
	for (; n > 0; n--)
		crc = _mm_crc32_u8(crc, *p++);
#else
	for (; n > 0; n--)
		crc = sim_crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
#endif
	return crc;
}

/* ------------------------------------------------------------- execution */

static __rte_always_inline uint32_t
sim_to_chunk_end(const struct sim_engine *e, uintptr_t a)
{
	uint32_t c = e->precise ? SIM_PAGE_SIZE : SIM_FAST_CHUNK;

	return c - (uint32_t)(a & (c - 1));
}

static __rte_always_inline void
sim_progress(struct sim_engine *e, uint32_t done)
{
	e->progress = done;
	rte_compiler_barrier();
}

static __rte_always_inline bool
sim_overlap(uintptr_t a, uintptr_t b, uint32_t len)
{
	return a < b + len && b < a + len;
}

static SIM_DEVICE_ACCESS void
sim_exec_memmove(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	uintptr_t src = d->src, dst = d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint32_t dist = UINT32_MAX;

	/* The common small case: no overlap, each side within one page. */
	if (likely(len <= SIM_PAGE_SIZE && !sim_overlap(src, dst, len) &&
		   ((src ^ (src + len - 1)) | (dst ^ (dst + len - 1))) < SIM_PAGE_SIZE)) {
		sim_copy_bytes((void *)dst, (const void *)src, len);
		return;
	}
	if (sim_overlap(src, dst, len)) {
		if (!e->dev->args.overlap) {
			o->status = DSA_ST_OVERLAP;
			return;
		}
		dist = (uint32_t)(src > dst ? src - dst : dst - src);
		if (dist == 0)
			return;  /* copy onto itself: nothing to move */
		/* A re-run after a fault would read overwritten source:
		 * track progress page by page from the start. */
		e->precise = 1;
		e->overlap_run = 1;
	}
	if (dst > src && dist != UINT32_MAX) {
		/* Overlapping with the destination above: copy from the end,
		 * never reading a byte already overwritten. */
		e->descending = 1;
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

static SIM_DEVICE_ACCESS void
sim_exec_fill(struct sim_engine *e, const struct dsa_desc *d)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint64_t pat = d->src;

	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)dst + done));
		unsigned int rot = (done & 7) * 8;
		uint64_t p = rot ? (pat >> rot) | (pat << (64 - rot)) : pat;
		uint8_t *w = dst + done;
		uint32_t k = 0;

		sim_progress(e, done);
		for (; k + 8 <= n; k += 8)
			memcpy(w + k, &p, 8);
		for (; k < n; k++)
			w[k] = (uint8_t)(p >> ((k & 7) * 8));
		done += n;
	}
}

/* Offset of the first difference of a and b within n bytes, or n. */
static SIM_DEVICE_ACCESS uint32_t
sim_first_diff(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t k = 0;

	if (memcmp(a, b, n) == 0)
		return n;
	while (a[k] == b[k])
		k++;
	return k;
}

static SIM_DEVICE_ACCESS void
sim_exec_compare(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	const uint8_t *a = (const uint8_t *)(uintptr_t)d->src;
	const uint8_t *b = (const uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;

	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)a + done));
		uint32_t k;

		n = RTE_MIN(n, sim_to_chunk_end(e, (uintptr_t)b + done));
		sim_progress(e, done);
		k = sim_first_diff(a + done, b + done, n);
		if (k < n) {
			o->result = 1;
			o->bytes = done + k;
			return;
		}
		done += n;
	}
}

static SIM_DEVICE_ACCESS void
sim_exec_compval(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	const uint8_t *a = (const uint8_t *)(uintptr_t)d->src;
	uint32_t len = d->xfer_size, done = 0;
	uint64_t pat = d->dst;
	uint8_t ref[SIM_PAGE_SIZE + 8];

	/* Pattern image one page (plus a phase) long: compare with memcmp. */
	for (uint32_t k = 0; k < sizeof(ref); k++)
		ref[k] = (uint8_t)(pat >> ((k & 7) * 8));
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)a + done));
		uint32_t k;

		n = RTE_MIN(n, SIM_PAGE_SIZE);  /* the length of ref[] */
		sim_progress(e, done);
		k = sim_first_diff(a + done, ref + (done & 7), n);
		if (k < n) {
			o->result = 1;
			o->bytes = done + k;
			return;
		}
		done += n;
	}
}

static SIM_DEVICE_ACCESS void
sim_exec_crc(struct sim_engine *e, const struct dsa_desc *d,
	     struct sim_outcome *o, bool copy)
{
	const uint8_t *src = (const uint8_t *)(uintptr_t)d->src;
	uint8_t *dst = (uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint32_t crc = ~d->crc_seed;

	if (copy && sim_overlap((uintptr_t)src, (uintptr_t)dst, len)) {
		o->status = DSA_ST_OVERLAP;
		return;
	}
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)src + done));

		if (copy)
			n = RTE_MIN(n, sim_to_chunk_end(e, (uintptr_t)dst + done));
		sim_progress(e, done);
		crc = sim_crc32c_update(crc, src + done, n);
		if (copy)
			sim_copy_bytes(dst + done, src + done, n);
		done += n;
	}
	o->crc = ~crc;
}

static SIM_DEVICE_ACCESS void
sim_exec_dualcast(struct sim_engine *e, const struct dsa_desc *d,
		  struct sim_outcome *o)
{
	uintptr_t src = d->src, d1 = d->dst, d2 = d->dst2;
	uint32_t len = d->xfer_size, done = 0;

	if (((d1 ^ d2) & (SIM_PAGE_SIZE - 1)) != 0) {
		o->status = DSA_ST_DUALCAST_ALIGN;
		return;
	}
	if (sim_overlap(src, d1, len) || sim_overlap(src, d2, len) ||
	    sim_overlap(d1, d2, len)) {
		o->status = DSA_ST_OVERLAP;
		return;
	}
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, src + done));

		n = RTE_MIN(n, sim_to_chunk_end(e, d1 + done));
		sim_progress(e, done);
		sim_copy_bytes((void *)(d1 + done), (const void *)(src + done), n);
		sim_copy_bytes((void *)(d2 + done), (const void *)(src + done), n);
		done += n;
	}
}

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

/* Descriptor checks, in the order DSA reports them. 0 = valid. */
static uint8_t
sim_validate(const struct sim_dev *sd, const struct dsa_desc *d)
{
	uint32_t flags = dsa_desc_flags(d);
	uint32_t allowed = DSA_FLAG_FENCE | DSA_FLAG_CRAV | DSA_FLAG_RCR |
			   DSA_FLAG_CC | (sd->args.pri ? DSA_FLAG_BOF : 0);
	const uint8_t *os = d->op_specific;
	size_t os_used = 0;

	if (d->pasid_priv & RTE_BIT32(31))
		return DSA_ST_PRIV_BAD;  /* user work queues are unprivileged */
	if (d->pasid_priv & ~(DSA_PASID_MASK | RTE_BIT32(31)))
		return DSA_ST_NONZERO_RESERVED;
	switch (dsa_desc_op(d)) {
	case DSA_OP_NOOP:
	case DSA_OP_DRAIN:
		return (flags & ~allowed) ? DSA_ST_INVALID_FLAGS : 0;
	case DSA_OP_MEMMOVE:
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
		break;
	case DSA_OP_CRCGEN:
	case DSA_OP_COPY_CRC:
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

/* Consult the translation cache for every page the operation touches:
 * the general walk-and-fill loop. */
static __rte_noinline void
sim_translate_slow(struct sim_engine *e, const struct dsa_desc *d, const struct rte_sva_mm *mm)
{
	struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), len = d->xfer_size;
	uint32_t phash = pasid * 0x9e3779b1u, hits = 0;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMFILL:
		hits = sim_atc_check(e, io, pasid, phash, d->dst, len, mm);
		break;
	case DSA_OP_COMPVAL:
	case DSA_OP_CRCGEN:
		hits = sim_atc_check(e, io, pasid, phash, d->src, len, mm);
		break;
	case DSA_OP_DUALCAST:
		hits = sim_atc_check(e, io, pasid, phash, d->dst2, len, mm);
		/* fall through */
	case DSA_OP_MEMMOVE:
	case DSA_OP_COMPARE:
	case DSA_OP_COPY_CRC:
		hits += sim_atc_check(e, io, pasid, phash, d->src, len, mm);
		hits += sim_atc_check(e, io, pasid, phash, d->dst, len, mm);
		break;
	default:
		break;
	}
	e->atc_hits += hits;
}

static __rte_always_inline bool
sim_atc_hit(const struct sim_iommu *io, uint32_t pasid, uint32_t phash,
	    uint64_t addr)
{
	uint64_t vpn = addr >> 12;

	return (__atomic_load_n(&io->atc[(vpn ^ phash) & (SIM_ATC_SIZE - 1)],
				__ATOMIC_RELAXED) & SIM_ATC_TAG_MASK) ==
		SIM_ATC_TAG(pasid, vpn);
}

/* The common case inline: a two-address operation whose source and
 * destination each sit in one page, both cached. A hit also proves the
 * pages translatable, so the address-width check is skipped. */
static __rte_always_inline bool
sim_translate_fast(struct sim_engine *e, const struct dsa_desc *d)
{
	const struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), phash = pasid * 0x9e3779b1u;
	uint64_t s = d->src, t = d->dst, n = d->xfer_size - 1;
	uint8_t op = dsa_desc_op(d);

	if (likely((op == DSA_OP_MEMMOVE || op == DSA_OP_COMPARE) &&
		   ((s ^ (s + n)) | (t ^ (t + n))) < SIM_PAGE_SIZE &&
		   /* both lookups, one branch */
		   ((int)sim_atc_hit(io, pasid, phash, s) &
		    (int)sim_atc_hit(io, pasid, phash, t)))) {
		e->atc_hits += 2;
		return true;
	}
	return false;
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
		e->sw_errors++;
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
		sim_exec_dualcast(e, d, o);
		break;
	default:  /* NOOP, DRAIN: in-order engines have nothing to wait for */
		break;
	}
	rte_compiler_barrier();
	e->guard.phase = SIM_PHASE_IDLE;
	e->precise = 0;
}

/* Execute the first prefix bytes of d (up to an absent page). */
static void
sim_exec_prefix(struct sim_engine *e, const struct dsa_desc *d,
		struct rte_sva_mm *mm, uint32_t prefix)
{
	struct sim_outcome po = { .status = DSA_ST_SUCCESS };

	e->pfx = *d;
	e->pfx.xfer_size = prefix;
	e->curp = &e->pfx;
	if (mm->self)
		sim_exec_data(e, &e->pfx, &po);
	else
		sim_exec_foreign(e, &e->pfx, mm, &po);
	e->curp = d;
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
	case DSA_ST_SIM_INVALID_PASID:
		f.reason = RTE_SVA_FAULT_REASON_PASID_INVALID;
		break;
	case DSA_ST_SIM_BAD_PASID_ENTRY:
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

static void
sim_exec(struct sim_engine *e)
{
	const struct dsa_desc *d = e->curp;
	struct sim_dev *sd = e->dev;
	struct sim_outcome o = { .status = DSA_ST_SUCCESS };
	struct sim_pasid_entry *pe;
	struct rte_sva_mm *mm;
	uint64_t bad;

	e->executed++;
	o.status = sim_validate(sd, d);
	if (unlikely(o.status != 0))
		goto complete;
	o.status = DSA_ST_SUCCESS;
	pe = sim_iommu_lookup(&sd->iommu, dsa_desc_pasid(d));
	/* refuse before mm: detach sets refuse, then clears mm. */
	if (unlikely(pe != NULL &&
		     __atomic_load_n(&pe->refuse, __ATOMIC_ACQUIRE))) {
		o.status = DSA_ST_SIM_ABORTED;
		goto complete;
	}
	mm = pe != NULL ? __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE) : NULL;
	if (unlikely(mm == NULL)) {
		o.status = DSA_ST_SIM_INVALID_PASID;
		goto complete;
	}
	if (unlikely(__atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE))) {
		o.status = DSA_ST_SIM_BAD_PASID_ENTRY;
		goto complete;
	}
	e->cur_pe = pe;
	if (unlikely(sd->args.pri)) {
		uint32_t prefix = 0;

		bad = sim_translate_check(d);
		if (unlikely(bad != 0)) {
			o.status = DSA_ST_TRANSLATION_FAIL;
			o.fault_addr = bad;
			goto complete;
		}
		if (sim_pri_translate(e, pe, mm, d, &o, &prefix)) {
			if (__atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE)) {
				/* The process exited while its request was
				 * pending: nothing of it is left to touch. */
				o = (struct sim_outcome){ .status = DSA_ST_SIM_BAD_PASID_ENTRY };
				goto complete;
			}
			if (prefix > 0)
				sim_exec_prefix(e, d, mm, prefix);
			o.bytes = prefix;
			goto complete;
		}
	} else if (!sd->args.atc || !sim_translate_fast(e, d)) {
		bad = sim_translate_check(d);
		if (unlikely(bad != 0)) {
			o.status = DSA_ST_TRANSLATION_FAIL;
			o.fault_addr = bad;
			goto complete;
		}
		if (sd->args.atc)
			sim_translate_slow(e, d, mm);
	}
	if (unlikely(!mm->self)) {
		sim_exec_foreign(e, d, mm, &o);
		goto result;
	}

	sim_exec_data(e, d, &o);
result:
	if (o.status == DSA_ST_SUCCESS && o.result != 0 && dsa_desc_op(d) != DSA_OP_MEMMOVE &&
	    (dsa_desc_flags(d) & DSA_FLAG_CR) && o.result != d->expected_res)
		o.status = DSA_ST_SUCCESS_PRED;
complete:
	if (unlikely(o.status >= DSA_ST_TRANSLATION_FAIL) && sd->sva->fq != NULL)
		sim_report_unrecoverable(e, d, &o);
	sim_write_cmpl(e, d, &o);
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
		sim_exec(e);
		goto done;
	}
	if (phase == SIM_PHASE_DATA && sim_pri_permission_fault(e)) {
		/* Resolved: run the descriptor again (only idempotent ones
		 * get here); a second fault is reported. */
		e->prq_retried = 1;
		sim_exec(e);
		goto done;
	}
	if (phase == SIM_PHASE_DATA) {
		bool bof = e->dev->args.pri &&
			(dsa_desc_flags(e->curp) & DSA_FLAG_BOF) != 0;

		e->faults++;
		o.status = (bof ? DSA_ST_PAGE_FAULT_IR : DSA_ST_PAGE_FAULT_NOBOF) |
			(e->guard.fault_write ? DSA_ST_WRITE : 0);
		o.fault_addr = e->guard.fault_addr;
		o.bytes = e->progress;
		o.result = e->descending;
		sim_write_cmpl(e, e->curp, &o);
	} else {
		e->sw_errors++;
		SIM_LOG(ERR, "%s: completion record at 0x%" PRIx64
			" is not writable (fault at 0x%" PRIxPTR ")",
			e->dev->sva->name, e->curp->cmpl_addr,
			(uintptr_t)e->guard.fault_addr);
	}
done:
	e->precise = 0;
	e->prq_retried = 0;
	e->overlap_run = 0;
	if (e->cur_dq != NULL)
		__atomic_store_n(&e->cur_dq->eng_head, e->cur_dq->eng_head + 1,
				 __ATOMIC_RELEASE);
}

static unsigned int
sim_poll_dq(struct sim_engine *e, struct sim_queue *q)
{
	uint16_t head = q->eng_head;
	uint16_t tail = __atomic_load_n(&q->doorbell, __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	e->cur_dq = q;
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
	q->eng_executed += n;
	return n;
}

static unsigned int
sim_poll_sq(struct sim_engine *e, struct sim_wq *wq)
{
	uint32_t head = wq->head;
	unsigned int n = 0;

	e->cur_dq = NULL;
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
		n++;
	}
	wq->eng_executed += n;
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
		e->idle_polls++;
	}
}

static int
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

static void *
sim_engine_thread(void *arg)
{
	sim_engine_main(arg);
	return NULL;
}

static int
sim_engine_launch(struct sim_engine *e)
{
	char name[RTE_MAX_THREAD_NAME_LEN + 16];
	pthread_attr_t attr;
	cpu_set_t cpus;
	int ret;

	__atomic_store_n(&e->prq_abort, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&e->run, 1, __ATOMIC_RELEASE);
	if (e->lcore >= 0) {
		ret = rte_eal_remote_launch(sim_engine_main, e, e->lcore);
		if (ret != 0) {
			SIM_LOG(ERR, "%s: engine %u: lcore %d is busy: %s",
				e->dev->sva->name, e->id, e->lcore,
				strerror(-ret));
			return ret;
		}
		return 0;
	}
	pthread_attr_init(&attr);
	if (e->cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(e->cpu, &cpus);
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	}
	ret = pthread_create(&e->thread, &attr, sim_engine_thread, e);
	pthread_attr_destroy(&attr);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: engine %u: cannot create thread: %s",
			e->dev->sva->name, e->id, strerror(ret));
		return -ret;
	}
	snprintf(name, sizeof(name), "sva-sim%d-e%u", e->dev->sva->dev_id, e->id);
	rte_thread_setname(e->thread, name);
	e->thread_live = true;
	return 0;
}

static void
sim_engine_join(struct sim_engine *e)
{
	/* A page request still waiting is answered INVALID by the device. */
	__atomic_store_n(&e->prq_abort, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&e->run, 0, __ATOMIC_RELEASE);
	if (e->lcore >= 0) {
		rte_eal_wait_lcore(e->lcore);
	} else if (e->thread_live) {
		pthread_join(e->thread, NULL);
		e->thread_live = false;
	}
}

int
sim_engines_start(struct sim_dev *sd)
{
	unsigned int i;
	int ret;

	for (i = 0; i < sd->nb_engines; i++) {
		sd->engines[i]->nb_dq = 0;
		sd->engines[i]->nb_sq = 0;
	}
	/* Spread work queues over engines, round robin. */
	for (uint16_t q = 0, k = 0; q < sd->nb_queues; q++) {
		struct sim_engine *e;

		if (sd->queues[q]->swq != NULL)
			continue;
		e = sd->engines[k++ % sd->nb_engines];
		e->dq[e->nb_dq++] = sd->queues[q];
	}
	for (uint16_t w = 0, k = 0; w < SIM_MAX_WQS; w++) {
		struct sim_engine *e;

		if (sd->wqs[w] == NULL || sd->wqs[w]->nb_attached == 0)
			continue;
		e = sd->engines[k++ % sd->nb_engines];
		e->sq[e->nb_sq++] = sd->wqs[w];
	}
	for (i = 0; i < sd->nb_engines; i++) {
		ret = sim_engine_launch(sd->engines[i]);
		if (ret != 0) {
			while (i-- > 0)
				sim_engine_join(sd->engines[i]);
			return ret;
		}
	}
	return 0;
}

void
sim_engines_stop(struct sim_dev *sd)
{
	/* Each engine drains: it exits only after a pass that found no
	 * submitted descriptor left. */
	for (unsigned int i = 0; i < sd->nb_engines; i++)
		sim_engine_join(sd->engines[i]);
}

void
sim_engines_quiesce(struct sim_dev *sd)
{
	uint64_t seen[SIM_MAX_ENGINES];

	for (unsigned int i = 0; i < sd->nb_engines; i++)
		seen[i] = __atomic_load_n(&sd->engines[i]->qs_epoch,
					  __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < sd->nb_engines; i++) {
		struct sim_engine *e = sd->engines[i];

		while (__atomic_load_n(&e->run, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&e->qs_epoch, __ATOMIC_SEQ_CST) == seen[i])
			rte_pause();
	}
}

/* Wait until the engines have taken every descriptor submitted before the
 * call (a running device only). */
void
sim_engines_drain(struct sim_dev *sd)
{
	uint16_t dq_target[SIM_MAX_QUEUES];
	uint32_t sq_target[SIM_MAX_WQS];

	if (!sd->started)
		return;
	for (uint16_t q = 0; q < sd->nb_queues; q++)
		if (sd->queues[q] != NULL && sd->queues[q]->swq == NULL)
			dq_target[q] = __atomic_load_n(&sd->queues[q]->doorbell,
						       __ATOMIC_ACQUIRE);
	for (uint16_t w = 0; w < SIM_MAX_WQS; w++)
		if (sd->wqs[w] != NULL)
			sq_target[w] = __atomic_load_n(&sd->wqs[w]->tail,
						       __ATOMIC_ACQUIRE);
	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		struct sim_queue *sq = sd->queues[q];

		if (sq == NULL || sq->swq != NULL)
			continue;
		while ((int16_t)(__atomic_load_n(&sq->eng_head, __ATOMIC_ACQUIRE) -
				 dq_target[q]) < 0)
			rte_pause();
	}
	for (uint16_t w = 0; w < SIM_MAX_WQS; w++) {
		if (sd->wqs[w] == NULL)
			continue;
		while ((int32_t)(__atomic_load_n(&sd->wqs[w]->head, __ATOMIC_ACQUIRE) -
				 sq_target[w]) < 0)
			rte_pause();
	}
	/* The last descriptor taken may still be running. */
	sim_engines_quiesce(sd);
}
