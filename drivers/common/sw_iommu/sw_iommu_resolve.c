/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Page requests resolved in software (sw_iommu), and the backend object
 * software devices name: what the fault worker does where a hardware
 * IOMMU's page-request handler would fault the page in for the device.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_sva.h>
#include <rte_sva_fault.h>

#include "sw_iommu.h"
#include "sw_iommu_log.h"

RTE_LOG_REGISTER(sw_iommu_logtype, pmd.common.sw_iommu, INFO);

#define PAGE_SZ 4096u

/* Our own address space: touch each page under the guard (the guard
 * turns an unmapped page or a write to a read-only one into an error). */
static int
resolve_self(uint64_t page, uint32_t perm, uint32_t around)
{
	const int write = (perm & RTE_SVA_PERM_WRITE) != 0;

	if (sw_iommu_guard_touch((void *)(uintptr_t)page, write) != 0)
		return RTE_SVA_PAGE_RESP_INVALID;
	for (uint32_t k = 1; k <= around; k++)
		if (sw_iommu_guard_touch((void *)(uintptr_t)(page + k * PAGE_SZ),
					 write) != 0)
			break;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* Another process's: its mem file ignores page permissions, so they are
 * checked first; then one byte read faults the page in. A read, since
 * writing the byte back would race with that process; a device's write
 * then breaks copy-on-write in the kernel. */
static int
resolve_foreign(const struct rte_sva_mm *mm, uint64_t page, uint32_t perm,
		uint32_t around)
{
	struct sw_iommu_vma vc = { 0 };
	int code = RTE_SVA_PAGE_RESP_INVALID;
	const int memfd = sw_iommu_mm_memfd(mm);

	for (uint32_t k = 0; k <= around; k++) {
		uint64_t a = page + k * PAGE_SZ;
		uint8_t byte;

		if (sw_iommu_mm_accessible(mm, a, PAGE_SZ, perm, &vc) != (int64_t)PAGE_SZ ||
		    pread(memfd, &byte, 1, (off_t)a) != 1)
			break;
		code = RTE_SVA_PAGE_RESP_SUCCESS;
	}
	return code;
}

int
sw_iommu_page_resolve(struct rte_sva_mm *mm, uint64_t addr, uint32_t perm,
		      uint32_t around)
{
	const uint64_t page = addr & ~(uint64_t)(PAGE_SZ - 1);

	if (mm->self)
		return resolve_self(page, perm, around);
	if (mm->priv == NULL)
		return RTE_SVA_PAGE_RESP_INVALID;
	return resolve_foreign(mm, page, perm, around);
}

static int
backend_pasid_alloc(struct rte_sva_mm *mm, uint32_t min, uint32_t max,
		    uint32_t *pasid)
{
	RTE_SET_USED(mm);   /* one pool for every address space */
	return sw_iommu_pasid_alloc(min, max, pasid);
}

static void
backend_pasid_free(struct rte_sva_mm *mm, uint32_t pasid)
{
	RTE_SET_USED(mm);
	sw_iommu_pasid_free(pasid);
}

const struct rte_sva_backend sw_iommu_backend = {
	.name = "sw_iommu",
	.flags = RTE_SVA_BACKEND_F_FOREIGN,
	.mm_open = sw_iommu_mm_open,
	.mm_close = sw_iommu_mm_close,
	.pasid_alloc = backend_pasid_alloc,
	.pasid_free = backend_pasid_free,
	.page_resolve = sw_iommu_page_resolve,
	.populate = sw_iommu_populate,
};
