/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Populate a range of a bound address space ahead of device use (the
 * backend's populate, for rte_sva_advise()): what a page request's resolve
 * does for one page (sw_iommu_resolve.c), for a whole range in one pass.
 *
 * Our own address space: one madvise(MADV_POPULATE_READ/WRITE) over the
 * range (Linux 5.14), which faults every page in as the CPU's access would
 * and fails, without a signal, on a hole or a page lacking the access. The
 * kernel does not say where it failed, so then the range is walked page by
 * page under the device-access guard from the start to find the first bad
 * address (the pages before it come in on the way). A kernel without
 * MADV_POPULATE takes the same walk for the whole range.
 *
 * Another process's: its mem file ignores page permissions, so they are
 * checked first (sw_iommu_mm_accessible()); then one byte of each page is
 * read through the mem file, which faults it in. A read, never a write, as
 * the resolver does: writing the byte back would race with that process;
 * the device's first write then breaks copy-on-write in the kernel.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_sva.h>
#include <rte_sva_fault.h>

#include "sw_iommu.h"
#include "sw_iommu_log.h"

#define PAGE_SZ 4096u

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ  22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* The first page of [first, end) a guarded touch cannot reach, or end.
 * Touching brings every page before it in. */
static uint64_t
touch_pages(uint64_t first, uint64_t end, int write)
{
	for (uint64_t a = first; a < end; a += PAGE_SZ)
		if (sw_iommu_guard_touch((void *)(uintptr_t)a, write) != 0)
			return a;
	return end;
}

static int
populate_self(uint64_t page, uint64_t end, uint32_t perm, uint64_t *bad)
{
	const int write = (perm & RTE_SVA_PERM_WRITE) != 0;
	uint64_t at;

	if (madvise((void *)(uintptr_t)page, end - page,
		    write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0)
		return 0;
	/* EINVAL: no MADV_POPULATE here, or a mapping it refuses (VM_IO,
	 * VM_PFNMAP); ENOMEM: a hole; EFAULT: an access that would fault.
	 * The walk tells them apart and finds where. */
	at = touch_pages(page, end, write);
	if (at == end)
		return 0;
	*bad = at;
	return -EFAULT;
}

static int
populate_foreign(const struct rte_sva_mm *mm, uint64_t page, uint64_t end,
		 uint32_t perm, uint64_t *bad)
{
	struct sw_iommu_vma vc = { 0 };
	const int memfd = sw_iommu_mm_memfd(mm);
	uint64_t a = page;

	while (a < end) {
		int64_t ok = sw_iommu_mm_accessible(mm, a, end - a, perm, &vc);
		uint64_t stop;

		if (ok < 0)  /* -ESRCH: the process is gone */
			return (int)ok;
		/* Whole pages only: a page reachable in part is a bad page. */
		stop = a + ((uint64_t)ok & ~(uint64_t)(PAGE_SZ - 1));
		for (; a < stop; a += PAGE_SZ) {
			uint8_t byte;
			ssize_t r = pread(memfd, &byte, 1, (off_t)a);

			if (r != 1) {
				/* The mapping changed under us, or the
				 * process exited. */
				*bad = a;
				return r < 0 && errno == ESRCH ? -ESRCH : -EFAULT;
			}
		}
		if (a < end) {
			*bad = a;
			return -EFAULT;
		}
	}
	return 0;
}

int
sw_iommu_populate(struct rte_sva_mm *mm, uint64_t addr, uint64_t len, uint32_t perm,
		  uint64_t *bad)
{
	const uint64_t page = addr & ~(uint64_t)(PAGE_SZ - 1);
	/* The end rounded up to a page; addr + len does not wrap (checked
	 * by the library), and no user address is within a page of 2^64. */
	const uint64_t end = RTE_ALIGN_CEIL(addr + len, (uint64_t)PAGE_SZ);
	int ret;

	if (mm == NULL || len == 0 || bad == NULL) {
		SW_IOMMU_LOG(ERR, "populate: %s", mm == NULL ? "NULL address space" :
			     len == 0 ? "empty range" : "NULL bad");
		return -EINVAL;
	}
	*bad = addr;
	if (mm->self)
		ret = populate_self(page, end, perm, bad);
	else if (mm->priv == NULL)
		ret = -ESRCH;
	else
		ret = populate_foreign(mm, page, end, perm, bad);
	/* The walk goes by pages: a bad first page is bad from addr on. */
	*bad = RTE_MAX(*bad, addr);
	return ret;
}
