/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The sim device's PASID table: control side (attach, detach, release). The
 * engines read it lock-free (sim_iommu_lookup()). */

#include <errno.h>
#include <stdlib.h>

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
	/* 1. refuse new descriptors; 2. wait until no engine is inside one
	 * that read the entry before; 3. clear it. The sim caches no
	 * translations yet, so there is nothing to flush. */
	__atomic_store_n(&pe->refuse, 1, __ATOMIC_SEQ_CST);
	sim_engines_quiesce(sd);
	__atomic_store_n(&pe->mm, NULL, __ATOMIC_RELEASE);
	sim_engines_quiesce(sd);
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
