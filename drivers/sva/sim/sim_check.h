/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_SIM_CHECK_H
#define SVA_SIM_CHECK_H

/*
 * The checks the sim device makes on a descriptor, as DSA hardware makes
 * them: before any access (fields, flags per opcode, sizes, buffer
 * overlap, dualcast alignment, the address width), and on the result of a
 * compare. Included by sim_exec.c only; inline, so the checks stay on the
 * engine's path without a call (sim_validate_buffers(), rare, is the
 * exception).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "sim_exec.h"

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
static __rte_always_inline uint8_t
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

/* sim_validate() for the engine's fast path (sim_exec.c): true when a
 * copy whose buffers do not overlap (whether or not the device allows
 * overlap), or a CRC, passes every check, on a device without page
 * requests (BOF not allowed). False for anything else, valid or not:
 * sim_validate() then says what. Whole words: the PASID word's bits
 * above the PASID, flags outside the allowed ones, rsvd1 and the unused
 * op-specific bytes must all be zero. */
static __rte_always_inline bool
sim_validate_fast(const struct sim_dev *sd, const struct dsa_desc *d, uint8_t op)
{
	const uint32_t allowed = DSA_FLAG_FENCE | DSA_FLAG_CRAV | DSA_FLAG_RCR |
				 DSA_FLAG_CC;
	uint64_t w0, w1, w2;    /* scalars, not an array: kept in registers */
	uint64_t bad;

	memcpy(&w0, d->op_specific, sizeof(w0));
	memcpy(&w1, d->op_specific + 8, sizeof(w1));
	memcpy(&w2, d->op_specific + 16, sizeof(w2));
	if (op == DSA_OP_CRCGEN)
		w0 &= ~(uint64_t)UINT32_MAX;  /* crc_seed is used */
	else if (op != DSA_OP_MEMMOVE ||
		 sim_overlap(d->src, d->dst, d->xfer_size))
		return false;
	bad = (d->pasid_priv & ~DSA_PASID_MASK) |
	      (dsa_desc_flags(d) & ~allowed) | d->rsvd1 | w0 | w1 | w2;
	return bad == 0 && d->xfer_size != 0 && d->xfer_size <= sd->args.max_xfer;
}

/* The address width: every address range the operation touches must lie
 * below 2^SIM_ADDR_WIDTH (the translation cache keeps no bit above it, so
 * this comes before any lookup). Returns the first untranslatable address
 * or 0. */
static __rte_always_inline uint64_t
sim_check_width(const struct dsa_desc *d)
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

/* Compare operations: a difference is SUCCESS_PRED when asked (CR). */
static __rte_always_inline void
sim_result_check(const struct dsa_desc *d, struct sim_outcome *o)
{
	if (o->status == DSA_ST_SUCCESS && o->result != 0 && dsa_desc_op(d) != DSA_OP_MEMMOVE &&
	    (dsa_desc_flags(d) & DSA_FLAG_CR) && o->result != d->expected_res)
		o->status = DSA_ST_SUCCESS_PRED;
}

#endif /* SVA_SIM_CHECK_H */
