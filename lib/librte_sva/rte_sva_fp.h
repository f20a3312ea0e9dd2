/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_FP_H
#define RTE_SVA_FP_H

/**
 * @file
 * Inline fast path of rte_sva.h (included by it; do not include directly).
 *
 * Every enqueue function takes the PASID of a bond (rte_sva_bind()) and
 * process virtual addresses, and returns:
 *   - the 16-bit ring index of the operation (>= 0); indices increase by one
 *     per operation and wrap at 65536;
 *   - -ENOSPC when the queue ring is full (reap completions, then retry);
 *   - -EINVAL for an argument the device cannot encode (length 0 or above
 *     max_xfer_size, unknown flags, PASID wider than 20 bits, bad qid), with a
 *     log line saying which;
 *   - -EINVAL, logged at DEBUG level only, when the device is not started
 *     (configured and never started, or stopped): nothing is enqueued and
 *     retrying cannot help until rte_sva_start(). Every driver does this
 *     (and dma_sva for an adapter that is stopped), as rte_dma's stubs do
 *     for a dmadev whose fast path cannot be used: not -ENOSPC, which
 *     callers retry. rte_sva_submit() then also returns -EINVAL (staged
 *     operations wait for the restart) and rte_sva_burst_capacity() 0;
 *     reaping what completed before the stop goes on.
 * Everything else (unbound PASID, unmapped or read-only memory, ...) is
 * found by the device and reported in the operation's completion status.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_log.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * With RTE_SVA_DEBUG (meson -Ddebug_checks=true): return ret from the
 * calling inline function, logged, when dev_id names no device. Without
 * it, nothing: an invalid dev_id then reaches the fast-path object of an
 * empty slot, whose functions log and fail, or lies outside the array.
 */
#ifdef RTE_SVA_DEBUG
#define RTE_SVA_FP_CHECK_DEV(dev_id, ret) do { \
	if ((uint16_t)(dev_id) >= RTE_SVA_MAX_DEVS || \
	    rte_sva_fp_objs[(dev_id)].dev_private == NULL) { \
		RTE_LOG(ERR, USER1, "sva: invalid dev_id %d\n", (int)(dev_id)); \
		return ret; \
	} \
} while (0)
#else
#define RTE_SVA_FP_CHECK_DEV(dev_id, ret) do { } while (0)
#endif

/**
 * Enqueue a copy of len bytes from src to dst (memmove semantics when the
 * device has RTE_SVA_CAPA_OVERLAP_COPY, else overlapping buffers complete
 * with RTE_SVA_STATUS_OVERLAP).
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Source (process virtual address).
 * @param dst Destination.
 * @param len Bytes, 1..rte_sva_info::max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_copy(int16_t dev_id, uint16_t qid, uint32_t pasid, const void *src,
	     void *dst, uint32_t len, uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->copy(obj->dev_private, qid, pasid, src, dst, len, flags);
}

/**
 * Enqueue a fill of len bytes at dst with an 8-byte pattern.
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param pattern Repeated in little-endian byte order.
 * @param dst Destination.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_fill(int16_t dev_id, uint16_t qid, uint32_t pasid, uint64_t pattern,
	     void *dst, uint32_t len, uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->fill(obj->dev_private, qid, pasid, pattern, dst, len, flags);
}

/**
 * Enqueue a comparison of two buffers. Its status is SUCCESS when they are
 * equal, COMPARE_MISMATCH otherwise (bytes_completed: the first differing
 * offset).
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src1 First buffer.
 * @param src2 Second buffer.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_compare(int16_t dev_id, uint16_t qid, uint32_t pasid,
		const void *src1, const void *src2, uint32_t len,
		uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->compare(obj->dev_private, qid, pasid, src1, src2, len,
			    flags);
}

/**
 * Enqueue a comparison of a buffer with a repeated 8-byte pattern (status
 * as rte_sva_compare()).
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Buffer.
 * @param pattern Repeated in little-endian byte order.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_compare_pattern(int16_t dev_id, uint16_t qid, uint32_t pasid,
			const void *src, uint64_t pattern, uint32_t len,
			uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->compare_pattern(obj->dev_private, qid, pasid, src, pattern,
				    len, flags);
}

/**
 * Enqueue a CRC32C (Castagnoli, as iSCSI) of len bytes. seed is the CRC of
 * the data before (0 to start), so results chain: the CRC of A|B equals
 * crc32c(B, seed = crc32c(A, 0)). Read it with rte_sva_completed_results().
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Data.
 * @param seed CRC of the data before, 0 to start.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_crc32c(int16_t dev_id, uint16_t qid, uint32_t pasid, const void *src,
	       uint32_t seed, uint32_t len, uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->crc32c(obj->dev_private, qid, pasid, src, seed, len, flags);
}

/**
 * Enqueue a copy that also computes the CRC32C of the data (see
 * rte_sva_crc32c()). Source and destination must not overlap.
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Source.
 * @param dst Destination.
 * @param seed CRC of the data before, 0 to start.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_copy_crc32c(int16_t dev_id, uint16_t qid, uint32_t pasid,
		    const void *src, void *dst, uint32_t seed, uint32_t len,
		    uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->copy_crc32c(obj->dev_private, qid, pasid, src, dst, seed,
				len, flags);
}

/**
 * Enqueue a copy of src to both dst1 and dst2. As on DSA, bits 11:0 of the
 * two destinations must be equal (else INVALID_ADDR) and no buffer may
 * overlap another (else OVERLAP).
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Source.
 * @param dst1 First destination.
 * @param dst2 Second destination.
 * @param len Bytes, 1..max_xfer_size.
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return The operation's 16-bit ring index (>= 0); -ENOSPC when the ring
 * is full; -EINVAL for an argument the device cannot encode or a device
 * not started (see the file description).
 */
static inline int
rte_sva_dualcast(int16_t dev_id, uint16_t qid, uint32_t pasid,
		 const void *src, void *dst1, void *dst2, uint32_t len,
		 uint64_t flags)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->dualcast(obj->dev_private, qid, pasid, src, dst1, dst2, len,
			     flags);
}

/**
 * Ring the doorbell: hand every enqueued operation to the device.
 * @param dev_id Device id.
 * @param qid Queue of the device.
 * @return 0; -EBUSY on a shared queue whose device work queue is full: the
 * operations not accepted stay queued and are handed over by the next
 * rte_sva_submit() or rte_sva_completed*() call; -EINVAL for a bad qid or
 * a device not started.
 */
static inline int
rte_sva_submit(int16_t dev_id, uint16_t qid)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, -EINVAL);
	return obj->submit(obj->dev_private, qid);
}

/**
 * Reap up to nb_cpls successfully completed operations, in order. It stops
 * before the first failed operation and sets *has_error; that operation and
 * the ones after it stay to be reaped by rte_sva_completed_status() or
 * rte_sva_completed_results() (as rte_dma_completed()). COMPARE_MISMATCH is
 * an outcome, not an error: read it with rte_sva_completed_status().
 * @param dev_id Device id.
 * @param qid Queue of the device.
 * @param nb_cpls Most operations to reap.
 * @param last_idx ring index of the last reaped operation (may be NULL).
 * @param has_error set when an error was found (may be NULL).
 * @return number of operations reaped.
 */
static inline uint16_t
rte_sva_completed(int16_t dev_id, uint16_t qid, uint16_t nb_cpls,
		  uint16_t *last_idx, bool *has_error)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];
	uint16_t idx;
	bool err;

	RTE_SVA_FP_CHECK_DEV(dev_id, 0);
	/* Drivers never check these for NULL. */
	if (last_idx == NULL)
		last_idx = &idx;
	if (has_error == NULL)
		has_error = &err;
	*has_error = false;
	return obj->completed(obj->dev_private, qid, nb_cpls, last_idx,
			      has_error);
}

/**
 * Reap up to nb_cpls completed operations with their statuses
 * (enum rte_sva_status_code), successful or not.
 * @param dev_id Device id.
 * @param qid Queue of the device.
 * @param nb_cpls Most operations to reap.
 * @param last_idx Ring index of the last reaped operation (may be NULL).
 * @param status Array of nb_cpls entries: one status per reaped operation.
 * @return number of operations reaped (and statuses written).
 */
static inline uint16_t
rte_sva_completed_status(int16_t dev_id, uint16_t qid, uint16_t nb_cpls,
			 uint16_t *last_idx, uint16_t *status)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];
	uint16_t idx;

	RTE_SVA_FP_CHECK_DEV(dev_id, 0);
	if (last_idx == NULL)
		last_idx = &idx;
	return obj->completed_status(obj->dev_private, qid, nb_cpls, last_idx,
				     status);
}

/**
 * Reap up to nb_cpls completed operations with their full results (fault
 * address and bytes completed of page faults, CRCs, mismatch offsets).
 * @param dev_id Device id.
 * @param qid Queue of the device.
 * @param nb_cpls Most operations to reap.
 * @param last_idx Ring index of the last reaped operation (may be NULL).
 * @param res Array of nb_cpls entries: one result per reaped operation.
 * @return number of operations reaped (and results written).
 */
static inline uint16_t
rte_sva_completed_results(int16_t dev_id, uint16_t qid, uint16_t nb_cpls,
			  uint16_t *last_idx, struct rte_sva_result *res)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];
	uint16_t idx;

	RTE_SVA_FP_CHECK_DEV(dev_id, 0);
	if (last_idx == NULL)
		last_idx = &idx;
	return obj->completed_results(obj->dev_private, qid, nb_cpls, last_idx,
				      res);
}

/**
 * The refusal of rte_sva_copy_resume() (out of line: it logs why).
 * Not for applications; public because the inline function calls it.
 * @param res The result rte_sva_copy_resume() was given.
 * @param len The length it was given.
 * @return -EINVAL.
 */
int rte_sva_copy_resume_refuse(const struct rte_sva_result *res, uint32_t len);

/**
 * Resume a copy that completed with RTE_SVA_STATUS_PAGE_FAULT: enqueue what
 * is left of it, given the same arguments and the operation's result. A
 * descending (overlapping) copy completed its last bytes_completed bytes;
 * an ascending one its first. The caller resolves the fault first (or asks
 * for RTE_SVA_OP_FLAG_BLOCK_ON_FAULT on a device with page requests).
 * @param dev_id Device id.
 * @param qid Queue of the device (one thread at a time per queue).
 * @param pasid PASID of a bond of the device's container (rte_sva_bind()).
 * @param src Source of the original copy.
 * @param dst Destination of the original copy.
 * @param len Length of the original copy.
 * @param res Its result (from rte_sva_completed_results()).
 * @param flags RTE_SVA_OP_FLAG_*.
 * @return as rte_sva_copy(); -EINVAL, logged, if res is NULL or not a
 * partial page fault of a copy of len bytes.
 */
static inline int
rte_sva_copy_resume(int16_t dev_id, uint16_t qid, uint32_t pasid,
		    const void *src, void *dst, uint32_t len,
		    const struct rte_sva_result *res, uint64_t flags)
{
	uint32_t done;

	if (res == NULL || res->status != RTE_SVA_STATUS_PAGE_FAULT ||
	    res->bytes_completed >= len)
		return rte_sva_copy_resume_refuse(res, len);
	done = res->bytes_completed;
	if (res->flags & RTE_SVA_RESULT_F_DESCENDING)
		return rte_sva_copy(dev_id, qid, pasid, src, dst, len - done, flags);
	return rte_sva_copy(dev_id, qid, pasid, (const uint8_t *)src + done,
			    (uint8_t *)dst + done, len - done, flags);
}

/**
 * Room in a queue.
 * @param dev_id Device id.
 * @param qid Queue of the device.
 * @return how many operations can be enqueued on the queue now (0 while
 * the device is not started).
 */
static inline uint16_t
rte_sva_burst_capacity(int16_t dev_id, uint16_t qid)
{
	struct rte_sva_fp_object *obj = &rte_sva_fp_objs[dev_id];

	RTE_SVA_FP_CHECK_DEV(dev_id, 0);
	return obj->burst_capacity(obj->dev_private, qid);
}

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_FP_H */
