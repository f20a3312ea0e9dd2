/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SW_IOMMU_H
#define SW_IOMMU_H

/**
 * @file
 * The software IOMMU component, for software and emulated SVA devices (the
 * sim): what an IOMMU sharing a process's page tables provides, done from
 * user space.
 *
 * - sw_iommu_backend: the rte_sva_backend such devices name
 *   (rte_sva_dev::backend): PASIDs from the system-wide allocator, other
 *   processes' address spaces through their /proc files, page requests
 *   resolved by touching the page.
 * - The system-wide PASID allocator (sw_iommu_pasid_alloc()): a per-user
 *   pool of PASIDs that two processes of the user never hold at once.
 * - Foreign address spaces (sw_iommu_mm_open()): reached through the
 *   /proc/pid/mem, maps and pagemap files of their process, opened with
 *   ptrace-attach permission and tied to that address space.
 * - Page permissions (sw_iommu_vma_find(), sw_iommu_mm_accessible()), which
 *   /proc/pid/mem ignores and a device must respect.
 * - The device-access guard (sw_iommu_guard.h): a bad address becomes an
 *   error, never a crash.
 * - A translation cache (sw_iommu_atc.h, header only): entries per
 *   (PASID, page), lookup, fill, invalidation by PASID or range.
 *
 * Internal to drivers (ALLOW_INTERNAL_API); not for applications. Control
 * functions (open, close, alloc, free) are called by one thread at a time
 * (the library's control lock); lookups and resolves from any thread.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>

#include <rte_sva_pmd.h>

#include "sw_iommu_guard.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The backend of software devices (flags: RTE_SVA_BACKEND_F_FOREIGN). */
extern const struct rte_sva_backend sw_iommu_backend;

/* --------------------------------------------------------- PASID allocator */

/**
 * Allocate a PASID in [min, max] from this user's system-wide pool, held
 * until sw_iommu_pasid_free() or until this process exits (also by a
 * crash). The first call opens the pool: $RTE_SVA_PASID_LOCK, else
 * /run/rte_sva/pasid.lock for root, else $XDG_RUNTIME_DIR/rte_sva/ or
 * /tmp/rte_sva-UID/, refusing a symbolic link, a file or directory others
 * may write, or someone else's. Successive calls with the same range
 * rotate through it, so a freed PASID is not handed out again at once.
 * @param min lowest PASID (>= 1).
 * @param max highest PASID (< 2^RTE_SVA_PASID_BITS_MAX, >= min).
 * @param[out] pasid the PASID.
 * @return 0; -EINVAL for a bad range or NULL pasid; -ENOSPC when every
 * PASID of the range is held (the log names who holds them); -EACCES when
 * the pool file or its directory is unsafe (logged, with the reason);
 * another -errno from opening or locking the pool.
 */
__rte_internal
int sw_iommu_pasid_alloc(uint32_t min, uint32_t max, uint32_t *pasid);

/**
 * Release a PASID of sw_iommu_pasid_alloc().
 * @param pasid the PASID.
 * @return 0; -ENOENT if this process does not hold it (logged).
 */
__rte_internal
int sw_iommu_pasid_free(uint32_t pasid);

/* ------------------------------------------------- foreign address spaces */

/** What sw_iommu keeps of a foreign address space (rte_sva_mm::priv). */
struct sw_iommu_mm {
	/** /proc/pid/mem: reads and writes at offset = virtual address. The
	 *  file stays tied to the address space it was opened on, never to a
	 *  later process that reuses the pid. */
	int memfd;
	int mapsfd;     /**< /proc/pid/maps: page permissions. */
	int pagemapfd;  /**< /proc/pid/pagemap: which pages are present. */
};

/**
 * Reach the address space of mm->pid (the backend's mm_open): for another
 * process, open its mem, maps and pagemap files into a struct sw_iommu_mm
 * (mm->priv); for our own (mm->self), install the device-access guard and
 * leave mm->priv NULL.
 * @param mm the address space; pid and self set.
 * @return 0; -EINVAL for NULL mm; -ESRCH if the process has exited;
 * -EPERM without ptrace-attach permission over it; -ENOMEM; another
 * -errno as open() gave it (-EMFILE...). Logged.
 */
__rte_internal
int sw_iommu_mm_open(struct rte_sva_mm *mm);

/**
 * Close what sw_iommu_mm_open() opened and free mm->priv (NULL after).
 * @param mm the address space.
 */
__rte_internal
void sw_iommu_mm_close(struct rte_sva_mm *mm);

/**
 * @param mm an address space opened by sw_iommu_mm_open().
 * @return the /proc/pid/mem fd of a foreign mm, or -1 (our own).
 */
static inline int
sw_iommu_mm_memfd(const struct rte_sva_mm *mm)
{
	const struct sw_iommu_mm *s = (const struct sw_iommu_mm *)mm->priv;

	return s != NULL ? s->memfd : -1;
}

/**
 * @param mm an address space opened by sw_iommu_mm_open().
 * @return the /proc/pid/pagemap fd of a foreign mm, or -1 (our own).
 */
static inline int
sw_iommu_mm_pagemap_fd(const struct rte_sva_mm *mm)
{
	const struct sw_iommu_mm *s = (const struct sw_iommu_mm *)mm->priv;

	return s != NULL ? s->pagemapfd : -1;
}

/* ------------------------------------------------------ page permissions */

/** A mapping of a foreign address space: [start, end), RTE_SVA_PERM_*. */
struct sw_iommu_vma {
	uint64_t start;     /**< first byte */
	uint64_t end;       /**< byte after the last */
	uint32_t perm;      /**< RTE_SVA_PERM_* it allows */
};

/**
 * The mapping of a foreign address space that covers addr: with the
 * PROCMAP_QUERY ioctl (Linux 6.11) where the kernel has it, else from the
 * text of its maps file. Any thread; no lock.
 * @param mm a foreign address space opened by sw_iommu_mm_open().
 * @param addr the address.
 * @param[out] v the mapping.
 * @return 0; -ENOENT when no mapping covers addr; -ESRCH when the address
 * space is gone (its process exited); -EINVAL for our own address space
 * or NULL arguments; another -errno when the lookup failed.
 */
__rte_internal
int sw_iommu_vma_find(const struct rte_sva_mm *mm, uint64_t addr,
		      struct sw_iommu_vma *v);

/**
 * Look mappings up in the text of the maps file even where the kernel has
 * PROCMAP_QUERY (on: true), or probe for the ioctl again (false). For
 * tests, which check that both give the same answers.
 * @param on true: text only.
 */
__rte_internal
void sw_iommu_vma_text_only(bool on);

/**
 * How many bytes from addr a device may access with perm (RTE_SVA_PERM_*)
 * in a foreign address space, as its page permissions allow: len, or the
 * offset of the first byte that is unmapped or lacks perm. A device model
 * reaching that address space through /proc/pid/mem (which ignores page
 * permissions) calls this before each access. cache holds the last mapping
 * looked up: zero it before the first call, and between descriptors so
 * that an mprotect() is seen. Any thread; no lock.
 * @param mm a foreign address space opened by sw_iommu_mm_open().
 * @param addr first byte.
 * @param len bytes wanted.
 * @param perm RTE_SVA_PERM_* needed.
 * @param cache the caller's mapping cache.
 * @return the bytes accessible (0..len); -ESRCH when the address space is
 * gone; another -errno when the lookup failed.
 */
__rte_internal
int64_t sw_iommu_mm_accessible(const struct rte_sva_mm *mm, uint64_t addr,
			       uint64_t len, uint32_t perm,
			       struct sw_iommu_vma *cache);

/* ----------------------------------------------------------- page resolve */

/**
 * Resolve one page of a page request (the backend's page_resolve): bring
 * the page at addr, and up to around pages after it while they are
 * accessible, in with perm. In our own address space by touching it under
 * the device-access guard (a write touch preserves the byte); in a foreign
 * one by reading it through its mem file after checking its permissions (a
 * read fault, since writing the byte back would race with its process; the
 * device's write then breaks copy-on-write in the kernel). Lock-free; any
 * number of threads.
 * @param mm the address space (our own, or opened by sw_iommu_mm_open()).
 * @param addr the page (its offset in the page is ignored).
 * @param perm RTE_SVA_PERM_* asked for.
 * @param around pages after it to bring in too (best effort).
 * @return RTE_SVA_PAGE_RESP_SUCCESS when the page is in with perm;
 * RTE_SVA_PAGE_RESP_INVALID when it is unmapped, lacks perm, or the address
 * space is gone.
 */
__rte_internal
int sw_iommu_page_resolve(struct rte_sva_mm *mm, uint64_t addr, uint32_t perm,
			  uint32_t around);

/**
 * Populate [addr, addr + len) of an address space ahead of device use (the
 * backend's populate, for rte_sva_advise()): every page the range touches
 * made present with perm. Our own address space through
 * madvise(MADV_POPULATE_READ/WRITE) (a write populate breaks copy-on-write),
 * falling back to touching each page under the device-access guard; a
 * foreign one by reading a byte of each page through its mem file after
 * checking its permissions (a read also for perm WRITE, as
 * sw_iommu_page_resolve() does). Control path; any thread.
 * @param mm the address space (our own, or opened by sw_iommu_mm_open()).
 * @param addr first byte (any alignment).
 * @param len bytes (>= 1; addr + len must not wrap).
 * @param perm RTE_SVA_PERM_* needed.
 * @param[out] bad on -EFAULT, the first address (>= addr) that is unmapped
 * or lacks perm; the pages before it are populated.
 * @return 0; -EFAULT with *bad; -ESRCH when a foreign address space is
 * gone; -EINVAL for NULL mm or bad, or len 0 (logged); another -errno
 * when a foreign mapping lookup failed.
 */
__rte_internal
int sw_iommu_populate(struct rte_sva_mm *mm, uint64_t addr, uint64_t len,
		      uint32_t perm, uint64_t *bad);

#ifdef __cplusplus
}
#endif

#endif /* SW_IOMMU_H */
