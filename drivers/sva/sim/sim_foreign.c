/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Execution on another process's address space (a bond made by pid). The
 * engine reaches it through the /proc/<pid>/mem file the bond opened: reads
 * and writes at an offset equal to the virtual address, so the kernel walks
 * the other process's page tables and faults its pages in, with the
 * permission model of the seeds' bind (ptrace attach). That file ignores
 * page permissions, so each access is first checked against the process's
 * mappings (sw_iommu_mm_accessible()): an unmapped page, a write to a
 * read-only page or a read of a PROT_NONE page is a page fault at its exact
 * address, as behind an IOMMU. A short transfer or EIO marks the exact
 * faulting address too; a read of 0 bytes means the address space is gone
 * (the process exited): the bond is defunct.
 *
 * Data moves through a per-engine bounce buffer, SIM_FOREIGN_CHUNK bytes at
 * a time.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "sim_private.h"

static void
fr_defunct(struct rte_sva_mm *mm, struct sim_outcome *o)
{
	/* The address space has no users left. */
	__atomic_store_n(&mm->defunct, 1, __ATOMIC_RELEASE);
	o->status = DSA_ST_SW_BAD_PASID_ENTRY;
}

/* Read or write n bytes at addr; returns 0, or fills the outcome with the
 * fault (or defunct status) and returns -1. done = op progress before.
 * The page permissions are checked first (vc caches the last mapping):
 * /proc/pid/mem would write read-only pages, a device behind an IOMMU may
 * not. */
static int
fr_io(struct rte_sva_mm *mm, struct sw_iommu_vma *vc, bool write, uint64_t addr,
      void *buf, uint32_t n, uint32_t done, bool count_partial,
      struct sim_outcome *o)
{
	int64_t allowed = sw_iommu_mm_accessible(mm, addr, n,
		write ? RTE_SVA_PERM_WRITE : RTE_SVA_PERM_READ, vc);
	uint32_t got = 0;

	if (allowed == -ESRCH) {
		fr_defunct(mm, o);
		return -1;
	}
	if (allowed < 0) {
		/* The mappings could not be read: not a page fault (a resume
		 * would fail the same way), an untranslatable address. */
		SIM_LOG(ERR, "pid %d: mapping lookup at 0x%" PRIx64 " failed: %s",
			mm->pid, addr, strerror((int)-allowed));
		o->status = DSA_ST_TRANSLATION_FAIL;
		o->fault_addr = addr;
		return -1;
	}
	while (allowed > 0 && got < (uint32_t)allowed) {
		ssize_t r = write ?
			pwrite(sw_iommu_mm_memfd(mm), (uint8_t *)buf + got, (uint32_t)allowed - got,
			       (off_t)(addr + got)) :
			pread(sw_iommu_mm_memfd(mm), (uint8_t *)buf + got, (uint32_t)allowed - got,
			      (off_t)(addr + got));

		if (r > 0) {
			got += (uint32_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 || errno == ESRCH) {
			fr_defunct(mm, o);
			return -1;
		}
		break;
	}
	if (got == n)
		return 0;
	/* An unmapped or forbidden page, or one the kernel could not bring
	 * in: a page fault at the first byte not done. */
	o->status = DSA_ST_PAGE_FAULT_NOBOF | (write ? DSA_ST_WRITE : 0);
	o->fault_addr = addr + got;
	o->bytes = done + (count_partial ? got : 0);
	return -1;
}

static void
fr_pattern(uint8_t *buf, uint32_t n, uint64_t pat, uint32_t phase)
{
	for (uint32_t k = 0; k < n; k++)
		buf[k] = (uint8_t)(pat >> (((phase + k) & 7) * 8));
}

void
sim_exec_foreign(struct sim_engine *e, const struct dsa_desc *d,
		 struct rte_sva_mm *mm, struct sim_outcome *o)
{
	uint8_t *b0 = e->bounce, *b1 = e->bounce + SIM_FOREIGN_CHUNK;
	const uint8_t op = dsa_desc_op(d);
	uint64_t src = d->src, dst = d->dst;
	uint32_t len = d->xfer_size, done = 0, step = SIM_FOREIGN_CHUNK;
	uint32_t crc = ~d->crc_seed;
	bool descending = false;
	struct sw_iommu_vma vc = { 0 };   /* per descriptor: sees mprotect() */

	/* Buffers that may not overlap, and dualcast alignment, were checked
	 * at validation, as in our own memory. The tail part of a descending
	 * copy (from_end) runs from the end like the whole would. */
	if (op == DSA_OP_MEMMOVE && (src - dst < len || dst - src < len)) {
		uint32_t dist = (uint32_t)(src > dst ? src - dst : dst - src);

		if (dist == 0)
			return;
		step = RTE_MIN(step, dist);
		descending = dst > src;
	}
	descending |= op == DSA_OP_MEMMOVE && e->from_end;
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, step);
		/* Descending copies take chunks from the end. */
		uint64_t off = descending ? len - done - n : done;

		switch (op) {
		case DSA_OP_MEMMOVE:
			if (fr_io(mm, &vc, false, src + off, b0, n, done, false, o) ||
			    fr_io(mm, &vc, true, dst + off, b0, n, done, !descending, o))
				goto out;
			break;
		case DSA_OP_MEMFILL:
			fr_pattern(b0, n, d->src, done);
			if (fr_io(mm, &vc, true, dst + off, b0, n, done, true, o))
				goto out;
			break;
		case DSA_OP_COMPARE:
		case DSA_OP_COMPVAL:
			/* A fault inside the chunk counts none of it: the
			 * part read is not compared yet, and a resume must
			 * not skip a difference in it. */
			if (fr_io(mm, &vc, false, src + off, b0, n, done, false, o))
				goto out;
			if (op == DSA_OP_COMPARE) {
				if (fr_io(mm, &vc, false, dst + off, b1, n, done, false, o))
					goto out;
			} else {
				fr_pattern(b1, n, d->dst, done);
			}
			if (memcmp(b0, b1, n) != 0) {
				uint32_t k = 0;

				while (b0[k] == b1[k])
					k++;
				o->result = 1;
				o->bytes = done + k;
				return;
			}
			break;
		case DSA_OP_CRCGEN:
		case DSA_OP_COPY_CRC:
			if (fr_io(mm, &vc, false, src + off, b0, n, done, false, o))
				goto out;
			crc = sim_crc32c_update(crc, b0, n);
			if (op == DSA_OP_COPY_CRC &&
			    fr_io(mm, &vc, true, dst + off, b0, n, done, true, o))
				goto out;
			break;
		case DSA_OP_DUALCAST:
			if (fr_io(mm, &vc, false, src + off, b0, n, done, false, o) ||
			    fr_io(mm, &vc, true, dst + off, b0, n, done, false, o) ||
			    fr_io(mm, &vc, true, d->dst2 + off, b0, n, done, true, o))
				goto out;
			break;
		default:
			return;
		}
		done += n;
	}
	if (op == DSA_OP_CRCGEN || op == DSA_OP_COPY_CRC)
		o->crc = ~crc;
	return;
out:
	if (descending && (o->status & DSA_ST_MASK) == DSA_ST_PAGE_FAULT_NOBOF) {
		o->bytes = done;
		o->result = 1;
	}
	if ((o->status & DSA_ST_MASK) == DSA_ST_PAGE_FAULT_NOBOF)
		rte_sva_counter_add(&e->faults, 1);
}
