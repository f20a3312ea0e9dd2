/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Address translation of the sim device, off the common path (which is
 * inline in sim_xlat.h): translation-cache misses and the page-table walk
 * behind them, the page-by-page pass that finds what page requests must
 * ask for, and invalidations.
 *
 * Why a file of its own beside sim_iommu.c: the PASID table is control
 * state (attach/detach under the library's control lock, read lock-free by
 * the engines), translation is the engines' per-page work on whatever
 * address space the table names. Splitting them keeps each side's rules
 * (who writes what, when) in one place.
 *
 * The walk reads the bound address space's page table: ours through
 * /proc/self/pagemap, another process's through the /proc/pid/pagemap its
 * bond opened at bind time. Without CAP_SYS_ADMIN the frame numbers read
 * as 0, but the present bit is still there, which is all the walk needs.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "sim_xlat.h"

/* ------------------------------------------------------------ the walk */

void
sim_xlat_init(struct sim_dev *sd)
{
	sd->iommu.pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (sd->iommu.pagemap_fd < 0)
		SIM_LOG(NOTICE, "%s: no /proc/self/pagemap (%s): walks only count",
			sd->sva->name, strerror(errno));
}

void
sim_xlat_release(struct sim_dev *sd)
{
	if (sd->iommu.pagemap_fd >= 0)
		close(sd->iommu.pagemap_fd);
	sd->iommu.pagemap_fd = -1;
}

/* A walk's outcome for vpn into *slot (with page requests, present pages
 * only: sim_atc_caches()). */
static void
walked(struct sim_engine *e, uint32_t pasid, uint64_t vpn, uint64_t *slot, bool present)
{
	if (sim_atc_caches(e->dev, present)) {
		/* Walks run after sim_exec() set the entry (cur_pe). */
		__atomic_store_n(&e->cur_pe->atc_used, 1, __ATOMIC_RELAXED);
		sw_iommu_atc_fill(slot, pasid, vpn, present);
	}
}

/* For another process's address space the kernel also walks its table
 * when the engine reads /proc/pid/mem; the walk here only decides what is
 * cached and what page requests ask for. */
bool
sim_atc_walk(struct sim_engine *e, uint32_t pasid, uint64_t vpn,
	     const struct rte_sva_mm *mm, uint64_t *slot)
{
	int fd = sim_pagemap_fd(&e->dev->iommu, mm);
	uint64_t pte = 0;
	bool present = false;

	rte_sva_counter_add(&e->atc_misses, 1);
	if (fd >= 0 &&
	    pread(fd, &pte, sizeof(pte), (off_t)(vpn * sizeof(pte))) == sizeof(pte) &&
	    (pte & SIM_PAGEMAP_PRESENT))
		present = true;
	walked(e, pasid, vpn, slot, present);
	return present;
}

/* The first walk of a block-on-fault descriptor in our own address space.
 * A page the engine's hint holds as absent is absent, with no walk; a walk
 * that finds its page absent reads the entries of the SIM_HINT_PAGES - 1
 * pages after it too (the same read) and keeps which of them are absent,
 * for the descriptors after this one: a stream of copies into fresh memory
 * then walks once every SIM_HINT_PAGES pages.
 *
 * Why: a read of /proc/self/pagemap is a system call of about a
 * microsecond on the development VM, where a cold copy took two (this
 * walk, and the one after the answer, sim_xlat_answered()). It also takes
 * the address space's mmap lock and the page-table lock on the engine's
 * CPU, which a hardware IOMMU's walk does not: in a standalone pair of
 * threads such a read on the other CPU before each first touch makes the
 * touch 1.3x dearer (in the benchmark, the worker's fault moved less:
 * sim.rst has the figures).
 *
 * A stale hint (a page the CPU brought in since) raises one request the
 * worker answers at once, with no fault. Unanswered (nobody serves the
 * fault queue), the engine walks again and finds it present, so a hint
 * never changes what a descriptor does; hence only with block-on-fault,
 * only in the first round, and gone with any invalidation (hint_gen). */
static bool
walk_hinted(struct sim_engine *e, uint32_t pasid, uint64_t vpn, uint64_t *slot)
{
	struct sim_absent_hint *h = &e->absent;
	struct sim_iommu *io = &e->dev->iommu;
	/* Read before the walk: a clear after it makes the hint stale. */
	uint32_t gen = __atomic_load_n(&io->hint_gen, __ATOMIC_ACQUIRE);
	uint64_t pte[SIM_HINT_PAGES], off = vpn - h->vpn;
	ssize_t got = -1;

	rte_sva_counter_add(&e->atc_misses, 1);
	if (h->bits != 0 && h->pasid == pasid && h->gen == gen &&
	    off < SIM_HINT_PAGES && (h->bits >> off & 1) != 0) {
		h->bits &= ~(1u << off);
		return false;
	}
	if (io->pagemap_fd >= 0)
		got = pread(io->pagemap_fd, pte, sizeof(pte), (off_t)(vpn * sizeof(pte[0])));
	if (got >= (ssize_t)sizeof(pte[0]) && (pte[0] & SIM_PAGEMAP_PRESENT)) {
		walked(e, pasid, vpn, slot, true);
		return true;
	}
	h->bits = 0;
	for (ssize_t i = 1; i < got / (ssize_t)sizeof(pte[0]); i++)
		if (!(pte[i] & SIM_PAGEMAP_PRESENT))
			h->bits |= 1u << i;
	h->vpn = vpn;
	h->pasid = pasid;
	h->gen = gen;
	walked(e, pasid, vpn, slot, false);
	return false;
}

void
sim_xlat_answered(struct sim_engine *e, uint32_t pasid, const struct sim_xlat_miss *m,
		  unsigned int n)
{
	struct sim_iommu *io = &e->dev->iommu;
	uint32_t phash = sim_atc_phash(pasid);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t vpn = m[i].page >> 12;

		walked(e, pasid, vpn, sim_atc_slot(io, phash, vpn), true);
	}
}

void
sim_xlat_slow(struct sim_engine *e, const struct dsa_desc *d, const struct rte_sva_mm *mm)
{
	struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), len = d->xfer_size;
	uint32_t phash = sim_atc_phash(pasid), hits = 0;

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
	rte_sva_counter_add(&e->atc_hits, hits);
}

/* ------------------------------------------------- the page-request pass */

unsigned int
sim_xlat_ranges(const struct dsa_desc *d, struct sim_xlat_range r[3])
{
	const uint32_t R = RTE_SVA_PERM_READ, W = RTE_SVA_PERM_WRITE;
	uint32_t len = d->xfer_size;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMMOVE:
	case DSA_OP_COPY_CRC:
		r[0] = (struct sim_xlat_range){ d->src, len, R };
		r[1] = (struct sim_xlat_range){ d->dst, len, W };
		return 2;
	case DSA_OP_MEMFILL:
		r[0] = (struct sim_xlat_range){ d->dst, len, W };
		return 1;
	case DSA_OP_COMPARE:
		r[0] = (struct sim_xlat_range){ d->src, len, R };
		r[1] = (struct sim_xlat_range){ d->dst, len, R };
		return 2;
	case DSA_OP_COMPVAL:
	case DSA_OP_CRCGEN:
		r[0] = (struct sim_xlat_range){ d->src, len, R };
		return 1;
	case DSA_OP_DUALCAST:
		r[0] = (struct sim_xlat_range){ d->src, len, R };
		r[1] = (struct sim_xlat_range){ d->dst, len, W };
		r[2] = (struct sim_xlat_range){ d->dst2, len, W };
		return 3;
	default:
		return 0;
	}
}

/* Keep a round's misses in the order the operation reaches them (the
 * SIM_XLAT_MISS_MAX first ones; ties in the order of its buffers: source
 * first). A group is reported in that order, so a worker that resolves it
 * in order and stops at the first page it cannot resolve leaves every page
 * before that one present, and m[0] is the fault. */
static void
miss_insert(struct sim_xlat_miss *m, unsigned int *n, const struct sim_xlat_miss *x)
{
	unsigned int i = *n;

	if (i == SIM_XLAT_MISS_MAX) {
		if (x->done >= m[i - 1].done)
			return;
		i--;                /* the last one waits for a next round */
	} else {
		(*n)++;
	}
	for (; i > 0 && m[i - 1].done > x->done; i--)
		m[i] = m[i - 1];
	m[i] = *x;
}

int
sim_xlat_pages(struct sim_engine *e, struct rte_sva_mm *mm,
	       const struct dsa_desc *d, bool all_misses, bool hinted,
	       struct sim_xlat_miss *m, unsigned int *n, struct sim_outcome *o)
{
	struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), phash = sim_atc_phash(pasid);
	struct sim_xlat_range r[3];
	unsigned int nr = sim_xlat_ranges(d, r);
	/* A copy that runs from the end counts its bytes from there
	 * (validation refused the overlap if the device does not allow it). */
	const bool desc = sim_xlat_descending(d);

	*n = 0;
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t vpn = r[i].start >> 12;
		uint64_t end = r[i].start + r[i].len, last = (end - 1) >> 12;
		uint64_t allowed_end = end;

		if (!mm->self) {
			struct sw_iommu_vma vc = { 0 };
			int64_t ok = sw_iommu_mm_accessible(mm, r[i].start,
						r[i].len, r[i].perm, &vc);

			if (ok == -ESRCH) {
				__atomic_store_n(&mm->defunct, 1, __ATOMIC_RELEASE);
				o->status = DSA_ST_SW_BAD_PASID_ENTRY;
				return -1;
			}
			if (ok < 0) {
				/* Mappings unreadable: untranslatable,
				 * not a fault a resume could fix. */
				SIM_LOG(ERR, "pid %d: mapping lookup at 0x%" PRIx64 " failed: %s",
					mm->pid, r[i].start, strerror((int)-ok));
				o->status = DSA_ST_TRANSLATION_FAIL;
				o->fault_addr = r[i].start;
				return -1;
			}
			allowed_end = r[i].start + (uint64_t)RTE_MAX(ok, 0);
		}
		for (; vpn <= last; vpn++) {
			uint64_t a = vpn << 12, a_end = RTE_MIN(a + SIM_PAGE_SIZE, end);
			bool forbidden = allowed_end < a_end;
			/* The page's bytes in the operation: [off, off_end). */
			uint32_t off = a > r[i].start ? (uint32_t)(a - r[i].start) : 0;
			uint32_t off_end = (uint32_t)(a_end - r[i].start);

			if (!forbidden && sim_atc_hit(io, pasid, phash, vpn)) {
				rte_sva_counter_add(&e->atc_hits, 1);
				continue;
			}
			if (!forbidden) {
				uint64_t *slot = sim_atc_slot(io, phash, vpn);
				bool present = hinted && mm->self && !all_misses ?
					walk_hinted(e, pasid, vpn, slot) :
					sim_atc_walk(e, pasid, vpn, mm, slot);

				if (present && !all_misses)
					continue;
			}
			miss_insert(m, n, &(struct sim_xlat_miss){
				.page = a, .perm = r[i].perm,
				.addr = desc ? a_end - 1 : RTE_MAX(a, r[i].start),
				.done = desc ? d->xfer_size - off_end : off,
			});
		}
	}
	return 0;
}

/* ------------------------------------------------------- invalidation */

void
sim_xlat_clear(struct sim_iommu *io, const struct rte_sva_cache_inv *inv)
{
	/* The engines' absent hints go with any clear (the address range
	 * does not matter: they are a few pages). */
	__atomic_fetch_add(&io->hint_gen, 1, __ATOMIC_RELEASE);
	switch (inv->granularity) {
	case RTE_SVA_INV_GRANU_DOMAIN:
		sw_iommu_atc_inv_all(io->atc, SIM_ATC_MASK);
		return;
	case RTE_SVA_INV_GRANU_PASID:
		sw_iommu_atc_inv_pasid(io->atc, SIM_ATC_MASK, inv->pasid);
		return;
	default:
		sw_iommu_atc_inv_range(io->atc, SIM_ATC_MASK, inv->pasid,
				       inv->addr >> 12,
				       inv->granule_size / SIM_PAGE_SIZE * inv->nb_granules);
		return;
	}
}

void
sim_xlat_clear_pasid(struct sim_iommu *io, uint32_t pasid)
{
	sim_xlat_clear(io, &(struct rte_sva_cache_inv){
		.cache = RTE_SVA_INV_ALL,
		.granularity = RTE_SVA_INV_GRANU_PASID,
		.pasid = pasid,
	});
}

int
sim_xlat_invalidate(struct sim_dev *sd, const struct rte_sva_cache_inv *inv)
{
	/* One translation cache stands for both the IOTLB and the device
	 * IOTLB; PASID-table entries are never cached (every descriptor
	 * reads the table), so a PASID-cache invalidation has nothing to
	 * drop. An engine may be filling an entry while we clear: wait for
	 * every engine to pass a quiescent point, then clear again. */
	if (inv->cache & (RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB)) {
		sim_xlat_clear(&sd->iommu, inv);
		sim_engines_quiesce(sd);
		sim_xlat_clear(&sd->iommu, inv);
	}
	rte_sva_counter_add(&sd->iommu.invalidations, 1);
	return 0;
}
