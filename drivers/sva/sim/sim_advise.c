/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Translation fetch of the sim device (rte_sva_advise(), the driver's
 * advise op): fill the translation cache with the pages of a range the
 * backend has just populated, as DSA 2.0's translation fetch has the
 * device ask the IOMMU for translations ahead of the accesses.
 *
 * The fill follows the walk's policy (sim_atc_walk(), sim_xlat.c): the
 * page table says which pages are present, and with page requests only
 * present pages are cached, so a hit still means present. It reads the
 * page table in batches (one pread() of /proc/.../pagemap per 512 pages)
 * where an engine's walk reads one entry per miss: that is what the
 * advice saves a burst besides the page requests.
 *
 * Runs on the control thread, under the library's control lock, beside
 * engines that look entries up and fill them: every store is one relaxed
 * atomic store of a whole entry, as the engines' are (sw_iommu_atc.h). The
 * lock orders it against the paths that drop entries (invalidation, PASID
 * detach), so no advised entry outlives an invalidation that follows it.
 * The work is done before the call returns, with or without
 * RTE_SVA_ADVISE_F_SYNC.
 */

#include <errno.h>
#include <inttypes.h>
#include <unistd.h>

#include <rte_common.h>

#include "sim_xlat.h"

#define ADVISE_BATCH 512u   /* pagemap entries per read */

int
sim_advise(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm,
	   uint64_t addr, uint64_t len, uint32_t flags)
{
	struct sim_dev *sd = dev->dev_private;
	struct sim_iommu *io = &sd->iommu;
	struct sim_pasid_entry *pe = NULL;
	uint64_t first = addr >> 12, last = (addr + len - 1) >> 12, pages;
	uint32_t phash = sim_atc_phash(pasid);
	uint64_t pm[ADVISE_BATCH];
	int fd;

	RTE_SET_USED(flags);   /* synchronous either way */
	if (pasid < RTE_BIT32(sd->args.pasid_bits))
		pe = sim_iommu_lookup(io, pasid);
	if (pe == NULL || __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE) != mm) {
		SIM_LOG(ERR, "%s: PASID %u is not attached to this address space",
			dev->name, pasid);
		return -ENOENT;
	}
	/* Without a cache (atc=0) every access walks: the populate alone
	 * spares the page requests. */
	if (!sd->args.atc)
		return 0;
	/* The cache is direct mapped and a range of consecutive pages takes
	 * consecutive entries: the first SIM_ATC_SIZE pages fit, a longer
	 * range would only evict its own beginning, which a burst reaches
	 * first. */
	pages = RTE_MIN(last - first + 1, (uint64_t)SIM_ATC_SIZE);
	fd = sim_pagemap_fd(io, mm);
	/* Mark before the first fill, as the walk does: a detach then drops
	 * what we cache. */
	__atomic_store_n(&pe->atc_used, 1, __ATOMIC_RELEASE);
	for (uint64_t done = 0; done < pages;) {
		uint64_t n = RTE_MIN(pages - done, (uint64_t)ADVISE_BATCH);
		ssize_t got = -1;

		if (fd >= 0)
			got = pread(fd, pm, n * sizeof(pm[0]),
				    (off_t)((first + done) * sizeof(pm[0])));
		if (got < 0) {
			/* No page table to read (no pagemap): the pages
			 * were populated just now; take them as present. */
			for (uint64_t k = 0; k < n; k++)
				pm[k] = SIM_PAGEMAP_PRESENT;
			got = (ssize_t)(n * sizeof(pm[0]));
		}
		n = (uint64_t)got / sizeof(pm[0]);
		if (n == 0)
			break;
		for (uint64_t k = 0; k < n; k++) {
			uint64_t vpn = first + done + k;
			bool present = (pm[k] & SIM_PAGEMAP_PRESENT) != 0;

			if (sim_atc_caches(sd, present))
				sw_iommu_atc_fill(sim_atc_slot(io, phash, vpn), pasid,
						  vpn, present);
		}
		done += n;
	}
	return 0;
}
