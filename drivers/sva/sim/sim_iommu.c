/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The sim device's PASID table: control side (attach, detach, release). The
 * engines read it lock-free (sim_iommu_lookup()). */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_malloc.h>

#include "sim_private.h"

int
sim_iommu_attach(struct sim_dev *sd, uint32_t pasid, struct rte_sva_mm *mm)
{
	struct sim_iommu *io = &sd->iommu;
	struct sim_pasid_entry *leaf, *pe;
	uint32_t d = pasid >> SIM_PASID_LEAF_BITS;

	if (pasid == 0 || pasid >= RTE_BIT32(sd->args.pasid_bits)) {
		SIM_LOG(ERR, "%s: PASID %u outside 1..%u (%u-bit PASIDs)",
			sd->sva->name, pasid, (1u << sd->args.pasid_bits) - 1,
			sd->args.pasid_bits);
		return -EINVAL;
	}
	leaf = io->dir[d];
	if (leaf == NULL) {
		leaf = rte_zmalloc_socket("sva_sim_pasid",
					  sizeof(*leaf) * SIM_PASID_LEAF_SIZE,
					  RTE_CACHE_LINE_SIZE, sd->sva->numa_node);
		if (leaf == NULL)
			return -ENOMEM;
		__atomic_store_n(&io->dir[d], leaf, __ATOMIC_RELEASE);
	}
	pe = &leaf[pasid & (SIM_PASID_LEAF_SIZE - 1)];
	if (pe->mm != NULL) {
		SIM_LOG(ERR, "%s: PASID %u is already attached", sd->sva->name,
			pasid);
		return -EEXIST;
	}
	__atomic_store_n(&pe->refuse, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pe->mm, mm, __ATOMIC_RELEASE);
	io->nb_attached++;
	return 0;
}

static void atc_clear(struct sim_iommu *io, const struct rte_sva_cache_inv *inv);

static void
atc_clear_pasid(struct sim_iommu *io, uint32_t pasid)
{
	atc_clear(io, &(struct rte_sva_cache_inv){
		.cache = RTE_SVA_INV_ALL,
		.granularity = RTE_SVA_INV_GRANU_PASID,
		.pasid = pasid,
	});
}

int
sim_iommu_detach(struct sim_dev *sd, uint32_t pasid)
{
	struct sim_pasid_entry *pe = NULL;

	if (pasid < RTE_BIT32(sd->args.pasid_bits))
		pe = sim_iommu_lookup(&sd->iommu, pasid);
	if (pe == NULL || pe->mm == NULL) {
		SIM_LOG(ERR, "%s: PASID %u is not attached", sd->sva->name,
			pasid);
		return -ENOENT;
	}
	/* 1. refuse new descriptors (they complete ABORTED) and clear the
	 * entry; 2. drop its cached translations; 3. let everything
	 * submitted so far complete (on a stopped device queued descriptors
	 * stay queued and complete ABORTED once it starts); 4. wait until no
	 * engine is still inside a descriptor that read the entry before;
	 * 5. drop translations such a descriptor may have added. */
	__atomic_store_n(&pe->refuse, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&pe->mm, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&pe->atc_used, __ATOMIC_ACQUIRE))
		atc_clear_pasid(&sd->iommu, pasid);
	sim_engines_drain(sd);
	if (__atomic_load_n(&pe->atc_used, __ATOMIC_ACQUIRE)) {
		atc_clear_pasid(&sd->iommu, pasid);
		pe->atc_used = 0;
	}
	/* Drained: later descriptors find no entry (INVALID_PASID). A
	 * stopped device keeps the tombstone until the PASID is attached
	 * again, so what it still has queued completes ABORTED. */
	if (sd->started)
		__atomic_store_n(&pe->refuse, 0, __ATOMIC_RELEASE);
	rte_sva_counter_add(&sd->iommu.invalidations, 1);
	sd->iommu.nb_attached--;
	return 0;
}

int
sim_iommu_init(struct sim_dev *sd)
{
	/* Without CAP_SYS_ADMIN the frame numbers read as 0, but the
	 * present bit is still there, which is all the walk needs. */
	sd->iommu.pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (sd->iommu.pagemap_fd < 0)
		SIM_LOG(NOTICE, "%s: no /proc/self/pagemap (%s): walks only count",
			sd->sva->name, strerror(errno));
	return 0;
}

/* A translation-cache miss: walk the page table for vpn, then fill the
 * entry. For another process's address space the kernel walks its table
 * when the engine reads /proc/pid/mem, so only the entry is filled. */
bool
sim_atc_walk(struct sim_engine *e, uint32_t pasid, uint64_t vpn,
	     const struct rte_sva_mm *mm, uint64_t *slot)
{
	/* The bound address space's own page table: ours, or the one of the
	 * process a foreign bond opened at bind time. */
	int fd = mm->self ? e->dev->iommu.pagemap_fd : mm->pagemapfd;
	uint64_t pte = 0, tag = SIM_ATC_TAG(pasid, vpn);
	bool present = false;

	rte_sva_counter_add(&e->atc_misses, 1);
	if (fd >= 0 &&
	    pread(fd, &pte, sizeof(pte), (off_t)(vpn * sizeof(pte))) == sizeof(pte) &&
	    (pte & RTE_BIT64(63))) {
		tag |= SIM_ATC_PRESENT;
		present = true;
	}
	/* With page requests, only present pages are cached: a hit then
	 * means present, and an absent page misses again until resolved. */
	if (present || !e->dev->args.pri) {
		if (e->cur_pe != NULL)
			__atomic_store_n(&e->cur_pe->atc_used, 1, __ATOMIC_RELAXED);
		__atomic_store_n(slot, tag, __ATOMIC_RELAXED);
	}
	return present;
}

static void
atc_clear(struct sim_iommu *io, const struct rte_sva_cache_inv *inv)
{
	uint64_t pages;

	switch (inv->granularity) {
	case RTE_SVA_INV_GRANU_DOMAIN:
		for (uint32_t i = 0; i < SIM_ATC_SIZE; i++)
			__atomic_store_n(&io->atc[i], 0, __ATOMIC_RELAXED);
		return;
	case RTE_SVA_INV_GRANU_PASID:
		for (uint32_t i = 0; i < SIM_ATC_SIZE; i++) {
			/* Engines fill slots meanwhile: atomic reads. */
			uint64_t t = __atomic_load_n(&io->atc[i], __ATOMIC_RELAXED);

			if ((t & SIM_ATC_VALID) && (t & 0xfffff) == inv->pasid)
				__atomic_store_n(&io->atc[i], 0, __ATOMIC_RELAXED);
		}
		return;
	default:
		break;
	}
	pages = inv->granule_size / SIM_PAGE_SIZE * inv->nb_granules;
	if (pages >= SIM_ATC_SIZE) {
		uint64_t first = inv->addr >> 12, end = first + pages;

		for (uint32_t i = 0; i < SIM_ATC_SIZE; i++) {
			uint64_t t = __atomic_load_n(&io->atc[i], __ATOMIC_RELAXED);
			uint64_t vpn = (t & ~(SIM_ATC_VALID |
					SIM_ATC_PRESENT)) >> 20;

			if ((t & SIM_ATC_VALID) && (t & 0xfffff) == inv->pasid &&
			    vpn >= first && vpn < end)
				__atomic_store_n(&io->atc[i], 0, __ATOMIC_RELAXED);
		}
		return;
	}
	for (uint64_t vpn = inv->addr >> 12, n = 0; n < pages; n++, vpn++) {
		uint64_t *slot = &io->atc[(vpn ^ (uint32_t)(inv->pasid * 0x9e3779b1u)) &
					  (SIM_ATC_SIZE - 1)];

		if ((__atomic_load_n(slot, __ATOMIC_RELAXED) & SIM_ATC_TAG_MASK) ==
		    SIM_ATC_TAG(inv->pasid, vpn))
			__atomic_store_n(slot, 0, __ATOMIC_RELAXED);
	}
}

int
sim_iommu_invalidate(struct sim_dev *sd, const struct rte_sva_cache_inv *inv)
{
	/* One translation cache stands for both the IOTLB and the device
	 * IOTLB; PASID-table entries are never cached (every descriptor
	 * reads the table), so a PASID-cache invalidation has nothing to
	 * drop. An engine may be filling an entry while we clear: wait for
	 * every engine to pass a quiescent point, then clear again. */
	if (inv->cache & (RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB)) {
		atc_clear(&sd->iommu, inv);
		sim_engines_quiesce(sd);
		atc_clear(&sd->iommu, inv);
	}
	rte_sva_counter_add(&sd->iommu.invalidations, 1);
	return 0;
}

void
sim_iommu_release(struct sim_dev *sd)
{
	if (sd->iommu.pagemap_fd >= 0)
		close(sd->iommu.pagemap_fd);
	sd->iommu.pagemap_fd = -1;
	for (unsigned int d = 0; d < SIM_PASID_DIR_SIZE; d++) {
		rte_free(sd->iommu.dir[d]);
		sd->iommu.dir[d] = NULL;
	}
	sd->iommu.nb_attached = 0;
}
