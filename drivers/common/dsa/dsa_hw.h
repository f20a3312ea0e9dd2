/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_DSA_HW_H
#define SVA_DSA_HW_H

/*
 * Intel DSA descriptor and completion-record layouts (our own definitions
 * from the DSA architecture specification), shared by the sim device, which
 * checks descriptors as the hardware does, and the idxd driver, which hands
 * them to real hardware. Encoding and status decoding live here so that both
 * agree bit for bit.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "rte_sva.h"

/* Opcodes (descriptor byte 7). */
enum dsa_op {
	DSA_OP_NOOP = 0x00,
	DSA_OP_BATCH = 0x01,
	DSA_OP_DRAIN = 0x02,
	DSA_OP_MEMMOVE = 0x03,
	DSA_OP_MEMFILL = 0x04,
	DSA_OP_COMPARE = 0x05,
	DSA_OP_COMPVAL = 0x06,
	DSA_OP_DUALCAST = 0x09,
	DSA_OP_CRCGEN = 0x10,
	DSA_OP_COPY_CRC = 0x11,
};

/* Descriptor flags (24 bits). */
#define DSA_FLAG_FENCE      RTE_BIT32(0)
#define DSA_FLAG_BOF        RTE_BIT32(1)  /* block on fault */
#define DSA_FLAG_CRAV       RTE_BIT32(2)  /* completion record address valid */
#define DSA_FLAG_RCR        RTE_BIT32(3)  /* request completion record */
#define DSA_FLAG_RCI        RTE_BIT32(4)  /* request completion interrupt */
#define DSA_FLAG_CRSTS      RTE_BIT32(5)  /* check result -> status */
#define DSA_FLAG_CR         RTE_BIT32(7)  /* check result */
#define DSA_FLAG_CC         RTE_BIT32(8)  /* cache control */
#define DSA_FLAG_MASK       0xffffffu

/* Completion status (byte 0, bits 6:0; bit 7 = fault was a write). */
enum dsa_status {
	DSA_ST_NONE = 0x00,
	DSA_ST_SUCCESS = 0x01,
	DSA_ST_SUCCESS_PRED = 0x02,
	DSA_ST_PAGE_FAULT_NOBOF = 0x03,
	DSA_ST_PAGE_FAULT_IR = 0x04,
	DSA_ST_BAD_OPCODE = 0x10,
	DSA_ST_INVALID_FLAGS = 0x11,
	DSA_ST_NONZERO_RESERVED = 0x12,
	DSA_ST_XFER_ERANGE = 0x13,
	DSA_ST_OVERLAP = 0x16,
	DSA_ST_DUALCAST_ALIGN = 0x17,
	DSA_ST_CR_ADDR_XLAT = 0x1a,
	DSA_ST_CR_ADDR_ALIGN = 0x1b,
	DSA_ST_ADDR_ALIGN = 0x1c,
	DSA_ST_PRIV_BAD = 0x1d,
	DSA_ST_TRANSLATION_FAIL = 0x22,
	/*
	 * Software statuses, in a range DSA leaves unused: written into a
	 * record by software (a software device model, or a driver that
	 * completes a descriptor itself) for conditions that on real
	 * systems the IOMMU or the kernel reports, not the DSA device.
	 */
	/* The descriptor's PASID is not (or no longer) bound to the queue:
	 * nothing was accessed. */
	DSA_ST_SW_INVALID_PASID = 0x70,
	/* The PASID is bound but its PASID-table entry cannot be used (the
	 * address space went away, e.g. a foreign process exited): nothing
	 * more was accessed. */
	DSA_ST_SW_BAD_PASID_ENTRY = 0x71,
	/* The op was dropped before it ran to its end (unbind, stop, a
	 * fence after a failed op): what it wrote, if anything, is partial. */
	DSA_ST_SW_ABORTED = 0x72,
	/* The kernel refused the descriptor outright (the write() path
	 * failed with an error other than "retry"): it never ran. */
	DSA_ST_SW_SUBMIT_FAILED = 0x7e,
};
#define DSA_ST_MASK   0x7f
#define DSA_ST_WRITE  0x80

#define DSA_PASID_MASK 0xfffffu
#define DSA_DESC_SIZE 64
#define DSA_CMPL_SIZE 32
#define DSA_CMPL_ALIGN 32

/* 64-byte work descriptor. Word 0 packs pasid(19:0) rsvd(30:20) priv(31);
 * word 1 packs flags(23:0) opcode(31:24). Bit fields are avoided so the
 * layout does not depend on the compiler. */
struct dsa_desc {
	uint32_t pasid_priv;
	uint32_t flags_op;
	uint64_t cmpl_addr;
	uint64_t src;          /* src / pattern (fill) */
	uint64_t dst;          /* dst / src2 (compare) / pattern (compval) */
	uint32_t xfer_size;
	uint16_t int_handle;
	uint16_t rsvd1;
	union {
		uint8_t op_specific[24];
		struct {               /* compare, compval */
			uint8_t expected_res;
			uint8_t rsvd_cmp[23];
		};
		struct {               /* dualcast */
			uint64_t dst2;
			uint8_t rsvd_dc[16];
		};
		struct {               /* crc, copy+crc */
			uint32_t crc_seed;
			uint32_t rsvd_crc;
			uint64_t seed_addr;
			uint8_t rsvd_crc2[8];
		};
	};
} __rte_aligned(64);

/* 32-byte completion record. */
struct dsa_cmpl {
	uint8_t status;
	uint8_t result;
	uint16_t rsvd;
	uint32_t bytes_completed;
	uint64_t fault_addr;
	union {
		uint64_t crc_val;
		uint32_t invalid_flags;
		uint8_t op_specific[16];
	};
} __rte_aligned(32);

static_assert(sizeof(struct dsa_desc) == DSA_DESC_SIZE, "DSA descriptor size");
static_assert(offsetof(struct dsa_desc, cmpl_addr) == 8, "cmpl_addr offset");
static_assert(offsetof(struct dsa_desc, src) == 16, "src offset");
static_assert(offsetof(struct dsa_desc, dst) == 24, "dst offset");
static_assert(offsetof(struct dsa_desc, xfer_size) == 32, "xfer_size offset");
static_assert(offsetof(struct dsa_desc, op_specific) == 40, "op_specific offset");
static_assert(offsetof(struct dsa_desc, dst2) == 40, "dest2 offset");
static_assert(offsetof(struct dsa_desc, crc_seed) == 40, "crc_seed offset");
static_assert(offsetof(struct dsa_desc, seed_addr) == 48, "seed_addr offset");
static_assert(sizeof(struct dsa_cmpl) == DSA_CMPL_SIZE, "completion size");
static_assert(offsetof(struct dsa_cmpl, bytes_completed) == 4, "bytes_completed");
static_assert(offsetof(struct dsa_cmpl, fault_addr) == 8, "fault_addr offset");
static_assert(offsetof(struct dsa_cmpl, crc_val) == 16, "crc_val offset");

static inline uint8_t
dsa_desc_op(const struct dsa_desc *d)
{
	return (uint8_t)(d->flags_op >> 24);
}

static inline uint32_t
dsa_desc_flags(const struct dsa_desc *d)
{
	return d->flags_op & DSA_FLAG_MASK;
}

static inline uint32_t
dsa_desc_pasid(const struct dsa_desc *d)
{
	return d->pasid_priv & DSA_PASID_MASK;
}

/* Flags every descriptor we build carries: a completion record address.
 * RCR (a record on success too) is added by the submitter where needed. */
#define DSA_FLAGS_BASE DSA_FLAG_CRAV

/* Generic op flags -> descriptor flags. */
static inline uint32_t
dsa_flags_from_op(uint64_t op_flags)
{
	uint32_t f = DSA_FLAGS_BASE;

	if (op_flags & RTE_SVA_OP_FLAG_FENCE)
		f |= DSA_FLAG_FENCE;
	if (op_flags & RTE_SVA_OP_FLAG_BLOCK_ON_FAULT)
		f |= DSA_FLAG_BOF;
	return f;
}

/* Write a descriptor; the op-specific area is written by the caller after. */
static __rte_always_inline void
dsa_desc_fill(struct dsa_desc *d, uint8_t op, uint32_t flags, uint32_t pasid,
	      uint64_t cmpl, uint64_t src, uint64_t dst, uint32_t len)
{
	d->pasid_priv = pasid & DSA_PASID_MASK;
	d->flags_op = (uint32_t)op << 24 | (flags & DSA_FLAG_MASK);
	d->cmpl_addr = cmpl;
	d->src = src;
	d->dst = dst;
	d->xfer_size = len;
	d->int_handle = 0;
	d->rsvd1 = 0;
}

static __rte_always_inline void
dsa_desc_clear_op_specific(struct dsa_desc *d)
{
	uint64_t *w = (uint64_t *)(void *)d->op_specific;

	w[0] = 0;
	w[1] = 0;
	w[2] = 0;
}

/* Completion status -> generic status. The one place that maps them. */
static inline uint16_t
dsa_status_to_sva(const struct dsa_cmpl *c)
{
	switch (c->status & DSA_ST_MASK) {
	case DSA_ST_SUCCESS:
		return RTE_SVA_STATUS_SUCCESS;
	case DSA_ST_SUCCESS_PRED:
		return RTE_SVA_STATUS_COMPARE_MISMATCH;
	case DSA_ST_PAGE_FAULT_NOBOF:
	case DSA_ST_PAGE_FAULT_IR:
		return RTE_SVA_STATUS_PAGE_FAULT;
	case DSA_ST_TRANSLATION_FAIL:
	case DSA_ST_CR_ADDR_XLAT:
		return RTE_SVA_STATUS_TRANSLATION_FAIL;
	case DSA_ST_SW_INVALID_PASID:
	case DSA_ST_PRIV_BAD:
		return RTE_SVA_STATUS_INVALID_PASID;
	case DSA_ST_SW_BAD_PASID_ENTRY:
		return RTE_SVA_STATUS_BAD_PASID_ENTRY;
	case DSA_ST_BAD_OPCODE:
		return RTE_SVA_STATUS_INVALID_OPCODE;
	case DSA_ST_INVALID_FLAGS:
		return RTE_SVA_STATUS_INVALID_FLAGS;
	case DSA_ST_XFER_ERANGE:
		return RTE_SVA_STATUS_INVALID_LENGTH;
	case DSA_ST_DUALCAST_ALIGN:
	case DSA_ST_ADDR_ALIGN:
	case DSA_ST_CR_ADDR_ALIGN:
		return RTE_SVA_STATUS_INVALID_ADDR;
	case DSA_ST_OVERLAP:
		return RTE_SVA_STATUS_OVERLAP;
	case DSA_ST_NONZERO_RESERVED:
		return RTE_SVA_STATUS_RESERVED_NONZERO;
	case DSA_ST_SW_ABORTED:
		return RTE_SVA_STATUS_ABORTED;
	default:
		return RTE_SVA_STATUS_ERROR_UNKNOWN;
	}
}

/* Compare ops report "different" as result 1 with status SUCCESS unless
 * CRSTS asked for a predicate status; we always set expected_res = 0 and
 * CRSTS|CR, so a mismatch arrives as SUCCESS_PRED. */
#define DSA_FLAGS_COMPARE (DSA_FLAG_CR | DSA_FLAG_CRSTS)

/* ---------------------------------------------------------------------
 * Encoders, one operation each: the descriptor every producer of this tree
 * (sim, idxd) builds for that operation.
 */

/* Every encoder writes all 64 bytes; flags are dsa_flags_from_op()'s. */
static __rte_always_inline void
dsa_encode_copy(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		uint64_t cmpl, uint64_t src, uint64_t dst, uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_MEMMOVE, flags, pasid, cmpl, src, dst, len);
	dsa_desc_clear_op_specific(d);
}

static __rte_always_inline void
dsa_encode_fill(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		uint64_t cmpl, uint64_t pattern, uint64_t dst, uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_MEMFILL, flags, pasid, cmpl, pattern, dst, len);
	dsa_desc_clear_op_specific(d);
}

static __rte_always_inline void
dsa_encode_compare(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		   uint64_t cmpl, uint64_t src1, uint64_t src2, uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_COMPARE, flags | DSA_FLAGS_COMPARE, pasid, cmpl,
		      src1, src2, len);
	dsa_desc_clear_op_specific(d);
}

static __rte_always_inline void
dsa_encode_compval(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		   uint64_t cmpl, uint64_t src, uint64_t pattern, uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_COMPVAL, flags | DSA_FLAGS_COMPARE, pasid, cmpl,
		      src, pattern, len);
	dsa_desc_clear_op_specific(d);
}

/* CRC ops always ask for a record: the CRC is in it. */
static __rte_always_inline void
dsa_encode_crc(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
	       uint64_t cmpl, uint64_t src, uint32_t seed, uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_CRCGEN, flags | DSA_FLAG_RCR, pasid, cmpl, src,
		      0, len);
	dsa_desc_clear_op_specific(d);
	d->crc_seed = seed;
}

static __rte_always_inline void
dsa_encode_copy_crc(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		    uint64_t cmpl, uint64_t src, uint64_t dst, uint32_t seed,
		    uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_COPY_CRC, flags | DSA_FLAG_RCR, pasid, cmpl,
		      src, dst, len);
	dsa_desc_clear_op_specific(d);
	d->crc_seed = seed;
}

static __rte_always_inline void
dsa_encode_dualcast(struct dsa_desc *d, uint32_t flags, uint32_t pasid,
		    uint64_t cmpl, uint64_t src, uint64_t dst1, uint64_t dst2,
		    uint32_t len)
{
	dsa_desc_fill(d, DSA_OP_DUALCAST, flags, pasid, cmpl, src, dst1, len);
	dsa_desc_clear_op_specific(d);
	d->dst2 = dst2;
}

/* Decode a completion record into a generic result (as the sim's
 * completed_results does); raw is the status byte already read
 * (acquire) by the caller. */
static __rte_always_inline void
dsa_cmpl_to_result(const struct dsa_cmpl *c, uint8_t raw, uint8_t op,
		   struct rte_sva_result *r)
{
	uint16_t st = dsa_status_to_sva(c);

	*r = (struct rte_sva_result){ .status = st };
	if (st == RTE_SVA_STATUS_PAGE_FAULT) {
		r->fault_addr = c->fault_addr;
		r->bytes_completed = c->bytes_completed;
		if (raw & DSA_ST_WRITE)
			r->flags |= RTE_SVA_RESULT_F_WRITE;
		if (op == DSA_OP_MEMMOVE && (c->result & 1))
			r->flags |= RTE_SVA_RESULT_F_DESCENDING;
	} else if (st == RTE_SVA_STATUS_COMPARE_MISMATCH) {
		r->bytes_completed = c->bytes_completed;
	} else if (st == RTE_SVA_STATUS_TRANSLATION_FAIL) {
		r->fault_addr = c->fault_addr;
	} else if (st == RTE_SVA_STATUS_SUCCESS &&
		   (op == DSA_OP_CRCGEN || op == DSA_OP_COPY_CRC)) {
		r->crc = (uint32_t)c->crc_val;
	}
}

#endif /* SVA_DSA_HW_H */
