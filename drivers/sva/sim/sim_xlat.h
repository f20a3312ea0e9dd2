/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_SIM_XLAT_H
#define SVA_SIM_XLAT_H

/*
 * Address translation of the sim device: the translation cache (the ATC /
 * device IOTLB) and the walk of the bound address space's page table on a
 * miss. What the engine runs per descriptor is inline here, so splitting
 * translation from execution adds no call to the common path; the misses,
 * the walk, the page-by-page pass of page requests and the invalidations
 * are in sim_xlat.c. The PASID table (which address space a PASID names)
 * is the other half of the software IOMMU: sim_iommu.c.
 */

#include <rte_branch_prediction.h>

#include "sim_private.h"
#include "sw_iommu_atc.h"

/* The cache (SIM_ATC_SIZE entries, sim_private.h) is the software IOMMU
 * component's (sw_iommu_atc.h): its entries keep the page number within
 * SW_IOMMU_ATC_VPN_BITS only, so a wider address would alias a cached
 * page, and every lookup comes after the address-width check. */
static_assert(SIM_ADDR_WIDTH - 12 <= SW_IOMMU_ATC_VPN_BITS,
	      "ATC entries hold the page number");
#define SIM_ATC_MASK (SIM_ATC_SIZE - 1)

static __rte_always_inline uint32_t
sim_atc_phash(uint32_t pasid)
{
	return sw_iommu_atc_phash(pasid);
}

static __rte_always_inline uint64_t *
sim_atc_slot(struct sim_iommu *io, uint32_t phash, uint64_t vpn)
{
	return sw_iommu_atc_slot(io->atc, SIM_ATC_MASK, phash, vpn);
}

static __rte_always_inline bool
sim_atc_hit(const struct sim_iommu *io, uint32_t pasid, uint32_t phash,
	    uint64_t vpn)
{
	return sw_iommu_atc_hit(io->atc, SIM_ATC_MASK, pasid, phash, vpn);
}

/* The page table a walk reads (a pagemap fd, or -1): the bound address
 * space's own, ours or the one of the process a foreign bond opened at
 * bind time. */
static inline int
sim_pagemap_fd(const struct sim_iommu *io, const struct rte_sva_mm *mm)
{
	return mm->self ? io->pagemap_fd : sw_iommu_mm_pagemap_fd(mm);
}

#define SIM_PAGEMAP_PRESENT RTE_BIT64(63)  /* a pagemap entry's bit */

/* What the walk and the advise op (sim_advise.c) cache: with page
 * requests, only present pages, so that a hit means present and an absent
 * page misses again until resolved; without, every page walked. */
static inline bool
sim_atc_caches(const struct sim_dev *sd, bool present)
{
	return present || !sd->args.pri;
}

/* A miss: walk the page table for vpn, fill *slot. True if the page is
 * present. */
bool sim_atc_walk(struct sim_engine *e, uint32_t pasid, uint64_t vpn,
		  const struct rte_sva_mm *mm, uint64_t *slot);

/* Consult the cache for every page of [addr, addr + len). Returns the
 * number of hits; misses are walked and filled. */
static __rte_always_inline uint32_t
sim_atc_check(struct sim_engine *e, struct sim_iommu *io, uint32_t pasid,
	      uint32_t phash, uint64_t addr, uint32_t len,
	      const struct rte_sva_mm *mm)
{
	uint64_t vpn = addr >> 12, last = (addr + len - 1) >> 12;
	uint32_t hits = 0;

	do {
		if (likely(sim_atc_hit(io, pasid, phash, vpn)))
			hits++;
		else
			sim_atc_walk(e, pasid, vpn, mm, sim_atc_slot(io, phash, vpn));
	} while (++vpn <= last);
	return hits;
}

/* Whether every page of [a, a + n] is cached; their number in *pages.
 * Consecutive pages of one buffer: the tag of the next page is the last
 * one plus one page number (the check hoisted out of a per-page lookup). */
static __rte_always_inline bool
sim_atc_range_hit(const struct sim_iommu *io, uint32_t pasid, uint32_t phash,
		  uint64_t a, uint64_t n, uint32_t *pages)
{
	uint64_t vpn = a >> 12, last = (a + n) >> 12;
	uint64_t tag = sw_iommu_atc_tag(pasid, vpn);
	bool hit = true;

	*pages += (uint32_t)(last - vpn) + 1;
	do {
		hit &= (__atomic_load_n(&io->atc[(vpn ^ phash) & SIM_ATC_MASK],
					__ATOMIC_RELAXED) & ~SW_IOMMU_ATC_PRESENT) == tag;
		tag += (uint64_t)1 << 20;  /* sw_iommu_atc_tag(pasid, vpn + 1) */
	} while (++vpn <= last);
	return hit;
}

/* The common case inline: every page of the operation's buffers (source
 * and destination of a copy or compare, the source of a CRC, the
 * destination of a fill) within the address width and cached. The width
 * test comes first: the cache tag holds no address bit above it, so a
 * wider address would hit the entry of the page it aliases. With it, a
 * hit proves the pages translatable. False (nothing counted): the caller
 * checks the width, then sim_xlat_slow(). */
static __rte_always_inline bool
sim_xlat_fast(struct sim_engine *e, const struct dsa_desc *d)
{
	const struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), phash = sim_atc_phash(pasid);
	uint64_t s = d->src, t = d->dst, n = d->xfer_size - 1;
	uint32_t pages = 0;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMFILL:
		s = t;
		/* fall through */
	case DSA_OP_CRCGEN:
	case DSA_OP_COMPVAL:
		/* One buffer below 2^SIM_ADDR_WIDTH, a page-aligned limit:
		 * its first and last byte (the start too: s + n may wrap). */
		if (unlikely(((s | (s + n)) >> SIM_ADDR_WIDTH) != 0) ||
		    !sim_atc_range_hit(io, pasid, phash, s, n, &pages))
			return false;
		break;
	case DSA_OP_MEMMOVE:
	case DSA_OP_COMPARE:
	case DSA_OP_COPY_CRC:
		/* One page each (no page-boundary bit differs between start
		 * and end) and its start below 2^SIM_ADDR_WIDTH, a
		 * page-aligned limit, so its end too: one test, then both
		 * lookups, one branch. */
		if (likely(((((s ^ (s + n)) | (t ^ (t + n))) >> 12) |
			    ((s | t) >> SIM_ADDR_WIDTH)) == 0)) {
			if (!((int)sim_atc_hit(io, pasid, phash, s >> 12) &
			      (int)sim_atc_hit(io, pasid, phash, t >> 12)))
				return false;
			pages = 2;
			break;
		}
		if (unlikely(((s | (s + n) | t | (t + n)) >> SIM_ADDR_WIDTH) != 0))
			return false;
		if (!((int)sim_atc_range_hit(io, pasid, phash, s, n, &pages) &
		      (int)sim_atc_range_hit(io, pasid, phash, t, n, &pages)))
			return false;
		break;
	default:
		return false;
	}
	rte_sva_counter_add(&e->atc_hits, pages);
	return true;
}

/* Every page the operation touches through the cache, filling misses
 * (without page requests: a miss is walked and cached, present or not). */
void sim_xlat_slow(struct sim_engine *e, const struct dsa_desc *d,
		   const struct rte_sva_mm *mm);

/* Whether d is a copy that runs from the end (overlapping, destination
 * above the source): it reaches the pages nearest the end first. */
static __rte_always_inline bool
sim_xlat_descending(const struct dsa_desc *d)
{
	return dsa_desc_op(d) == DSA_OP_MEMMOVE && d->dst > d->src &&
		d->dst - d->src < d->xfer_size;
}

/* A buffer of an operation and the access it needs. */
struct sim_xlat_range {
	uint64_t start;
	uint32_t len;
	uint32_t perm;      /* RTE_SVA_PERM_* */
};

/* d's buffers in the order the operation reaches them (source first):
 * how many (0 for an operation with none). */
unsigned int sim_xlat_ranges(const struct dsa_desc *d, struct sim_xlat_range r[3]);

/* A page the operation cannot reach yet (page requests). */
#define SIM_XLAT_MISS_MAX 64   /* per round; more wait a next round */
struct sim_xlat_miss {
	uint64_t page;
	uint64_t addr;      /* the first byte the operation touches there */
	uint32_t perm;      /* RTE_SVA_PERM_* the access needs */
	uint32_t done;      /* bytes the operation completes before it */
};

/* One translation pass over every page of d's buffers, for page requests:
 * a hit is a present page; a miss is walked, and a page absent (or, with
 * all_misses, any miss; in another process's address space also a page
 * its mapping forbids the access) goes into m[], the first
 * SIM_XLAT_MISS_MAX in the order the operation reaches them. hinted: the
 * first round of a block-on-fault descriptor, where a miss in our own
 * address space may take the engine's absent hint for a walk (sim_xlat.c
 * says why).
 * Returns 0 and *n; or -1 with o holding an outcome that is no page fault
 * (the bound process is gone, its mappings unreadable). */
int sim_xlat_pages(struct sim_engine *e, struct rte_sva_mm *mm,
		   const struct dsa_desc *d, bool all_misses, bool hinted,
		   struct sim_xlat_miss *m, unsigned int *n, struct sim_outcome *o);

/* Pages after an absent one whose walk a first walk does too (at most 32:
 * the hint's bits). */
#define SIM_HINT_PAGES 16

/* A group in our own address space answered SUCCESS: cache its pages as
 * present, as the translations the device fetches on its retry, with no
 * walk (for the reason of the hint). A page the answer did not bring in
 * after all is then brought in by the engine's own access, the CPU's fault,
 * as it is after SIM_PRI_ROUNDS answers in another address space. */
void sim_xlat_answered(struct sim_engine *e, uint32_t pasid,
		       const struct sim_xlat_miss *m, unsigned int n);

/* Open / close what walks read (/proc/self/pagemap). */
void sim_xlat_init(struct sim_dev *sd);
void sim_xlat_release(struct sim_dev *sd);
/* Drop the cached translations inv names (granularity domain, PASID or
 * address range); engines may fill entries meanwhile. */
void sim_xlat_clear(struct sim_iommu *io, const struct rte_sva_cache_inv *inv);
void sim_xlat_clear_pasid(struct sim_iommu *io, uint32_t pasid);
/* The cache-invalidation command (rte_sva_cache_invalidate()): 0. */
int sim_xlat_invalidate(struct sim_dev *sd, const struct rte_sva_cache_inv *inv);
/* sim_advise.c: translation fetch (the advise op, rte_sva_advise()): fill
 * the cache with the present pages of a range just populated. 0; -ENOENT
 * if pasid is not attached to mm. */
int sim_advise(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm,
	       uint64_t addr, uint64_t len, uint32_t flags);

#endif /* SVA_SIM_XLAT_H */
