/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim device's PASID table, the control half of its software IOMMU:
 * attach, detach (with the order that lets engines finish with an entry),
 * release. The engines read it lock-free (sim_iommu_lookup(),
 * sim_private.h). The other half, translation of the address space an
 * entry names (translation cache, page walk, invalidation), is
 * sim_xlat.c.
 */

#include <errno.h>

#include <rte_malloc.h>

#include "sim_xlat.h"

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
		sim_xlat_clear_pasid(&sd->iommu, pasid);
	sim_engines_drain(sd);
	if (__atomic_load_n(&pe->atc_used, __ATOMIC_ACQUIRE)) {
		sim_xlat_clear_pasid(&sd->iommu, pasid);
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

void
sim_iommu_release(struct sim_dev *sd)
{
	for (unsigned int d = 0; d < SIM_PASID_DIR_SIZE; d++) {
		rte_free(sd->iommu.dir[d]);
		sd->iommu.dir[d] = NULL;
	}
	sd->iommu.nb_attached = 0;
}
