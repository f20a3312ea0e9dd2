/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_ADVISE_H
#define RTE_SVA_ADVISE_H

/**
 * @file
 * Advise: page requests that need not happen. Before a burst touches a
 * region the device has never seen (fresh mmap memory, pages dropped with
 * MADV_DONTNEED), the application says so: the library has the bound
 * address space's backend populate the range (every page made present
 * with the permission asked for, as the CPU's first touch or
 * MADV_POPULATE_READ/WRITE would) and the device fill its translation
 * cache (ATC / device IOTLB) with the range's pages, as DSA 2.0's
 * translation fetch does. A burst that follows then raises no page
 * request and takes no translation walk for those pages.
 *
 * The advice values follow ibv_advise_mr(3): RTE_SVA_ADVISE_PREFETCH
 * (present, readable), RTE_SVA_ADVISE_PREFETCH_WRITE (present and
 * writable: copy-on-write broken where the backend can), and
 * RTE_SVA_ADVISE_F_SYNC in the role of IBV_ADVISE_MR_FLAG_FLUSH.
 *
 * What the caller can rely on:
 * - Advice never changes what an operation does: bytes and statuses are
 *   the same with or without it; only page requests and walks are saved.
 *   A page the advice did not bring in (evicted from the cache, reclaimed
 *   by the kernel, not yet reached by asynchronous work) is translated as
 *   it would have been: a walk, and a page request if it is absent.
 * - Every argument and the whole range's mappings are checked before the
 *   call returns, with or without RTE_SVA_ADVISE_F_SYNC: the errors below
 *   are reported by the call itself, never later.
 * - With RTE_SVA_ADVISE_F_SYNC the call returns once every page of the
 *   range is present with the permission asked for and the device's
 *   translation cache holds the range's pages, as far as it has room for
 *   them (the first pages of the range are kept: those a burst reaches
 *   first). An operation submitted afterwards on any queue of the device
 *   finds them there.
 * - Without it the work may still be under way when the call returns; it
 *   is finished, or abandoned, before rte_sva_unbind() of the bond,
 *   rte_sva_container_remove_dev() of the device or rte_sva_close() of it
 *   returns, and it never touches the address space after that. (The
 *   software device sva_sim does all of it before returning in both
 *   cases.)
 * - Cached translations follow the invalidation rules of rte_sva_iommu.h:
 *   a range unmapped, remapped or dropped after the advice must be
 *   invalidated (rte_sva_cache_invalidate()) as for translations the
 *   device cached by itself; the advice adds no other duty.
 *
 * Control functions: they take the library's control lock for their whole
 * run (a populate of a large range takes as long as touching it), may be
 * called from any thread, are refused in a fork() child, and must not be
 * called from a fault handler (rte_sva_fault.h).
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_bitops.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Make the pages present and readable for the device (one of the two
 *  advice values is required). */
#define RTE_SVA_ADVISE_PREFETCH        RTE_BIT32(0)
/** Make the pages present, readable and writable for the device (in our
 *  own address space copy-on-write is broken ahead; in another process's
 *  the pages are brought in by a read and the device's first write breaks
 *  copy-on-write in the kernel, without a page request). */
#define RTE_SVA_ADVISE_PREFETCH_WRITE  RTE_BIT32(1)
/** Synchronous completion: return only when the range is populated and the
 *  device's translation cache filled (see the file description). */
#define RTE_SVA_ADVISE_F_SYNC          RTE_BIT32(8)

/**
 * Advise one device that an address range of a bond will be accessed soon:
 * populate it in the bound address space and fill the device's
 * translation cache with its pages.
 *
 * @param dev_id Device id.
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param addr First byte of the range, in the bond's address space (any
 *   alignment: every page the range touches is advised).
 * @param len Bytes, >= 1.
 * @param flags Exactly one of RTE_SVA_ADVISE_PREFETCH and
 *   RTE_SVA_ADVISE_PREFETCH_WRITE, optionally RTE_SVA_ADVISE_F_SYNC.
 * @return 0 on success;
 *   -EINVAL for a bad dev_id, len 0, a range that wraps around the
 *   address space, unknown flags or not exactly one advice value;
 *   -ENOENT if the device is in no container or pasid is not bound in it;
 *   -ESRCH if the bond is defunct (its process exited);
 *   -EFAULT if a page of the range is unmapped, lacks the permission
 *   asked for, or lies beyond the device's address width (the log line
 *   names the first such address; pages before it may have been
 *   populated);
 *   -EBUSY if the range overlaps one served by a fault handler
 *   (rte_sva_fault_handler_register()): populating it would bypass the
 *   handler;
 *   -ENOTSUP if the device has no translation cache it lets software fill
 *   or its backend cannot populate (e.g. a bond whose PASID the kernel
 *   owns);
 *   -EPERM in a fork() child;
 *   another negative errno from the backend or driver.
 *   Every error is logged with its reason.
 */
int rte_sva_advise(int16_t dev_id, uint32_t pasid, const void *addr, size_t len,
		   uint32_t flags);

/**
 * Advise every device of a container (rte_sva_advise() on each, in the
 * container's order), the range populated once.
 *
 * @param cid Container id.
 * @param pasid PASID of a bond of the container.
 * @param addr First byte of the range.
 * @param len Bytes, >= 1.
 * @param flags As for rte_sva_advise().
 * @return as rte_sva_advise(); -EINVAL also for a bad container id or an
 *   empty container; -ENOTSUP if any device of it cannot take advice
 *   (checked before anything is done). A driver's failure on one device
 *   ends the call with that error: devices before it hold the
 *   translations.
 */
int rte_sva_container_advise(int cid, uint32_t pasid, const void *addr, size_t len,
			     uint32_t flags);

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_ADVISE_H */
