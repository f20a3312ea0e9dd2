/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_CORE_H
#define RTE_SVA_CORE_H

/**
 * @file
 * The per-process fast-path object array behind the inline functions of
 * rte_sva.h. Installed for the inline functions only: do not include it
 * directly and do not touch its contents.
 */

#include <stdint.h>
#include <rte_common.h>

struct rte_sva_result;

/*
 * The driver's fast-path functions, one per operation of rte_sva_fp.h.
 * Each takes the device's private data (rte_sva_fp_object::dev_private)
 * instead of its id and otherwise the arguments and return values of the
 * inline function of the same name, which documents them.
 */

/** Driver function behind rte_sva_copy(). */
typedef int (*rte_sva_copy_t)(void *dev_private, uint16_t qid, uint32_t pasid,
			      const void *src, void *dst, uint32_t len,
			      uint64_t flags);
/** Driver function behind rte_sva_fill(). */
typedef int (*rte_sva_fill_t)(void *dev_private, uint16_t qid, uint32_t pasid,
			      uint64_t pattern, void *dst, uint32_t len,
			      uint64_t flags);
/** Driver function behind rte_sva_compare(). */
typedef int (*rte_sva_compare_t)(void *dev_private, uint16_t qid,
				 uint32_t pasid, const void *src1,
				 const void *src2, uint32_t len,
				 uint64_t flags);
/** Driver function behind rte_sva_compare_pattern(). */
typedef int (*rte_sva_compare_pattern_t)(void *dev_private, uint16_t qid,
					 uint32_t pasid, const void *src,
					 uint64_t pattern, uint32_t len,
					 uint64_t flags);
/** Driver function behind rte_sva_crc32c(). */
typedef int (*rte_sva_crc32c_t)(void *dev_private, uint16_t qid,
				uint32_t pasid, const void *src,
				uint32_t seed, uint32_t len, uint64_t flags);
/** Driver function behind rte_sva_copy_crc32c(). */
typedef int (*rte_sva_copy_crc32c_t)(void *dev_private, uint16_t qid,
				     uint32_t pasid, const void *src,
				     void *dst, uint32_t seed, uint32_t len,
				     uint64_t flags);
/** Driver function behind rte_sva_dualcast(). */
typedef int (*rte_sva_dualcast_t)(void *dev_private, uint16_t qid,
				  uint32_t pasid, const void *src,
				  void *dst1, void *dst2, uint32_t len,
				  uint64_t flags);
/** Driver function behind rte_sva_submit(). */
typedef int (*rte_sva_submit_t)(void *dev_private, uint16_t qid);
/** Driver function behind rte_sva_completed(); last_idx and has_error
 *  are never NULL (the inline function passes locals). */
typedef uint16_t (*rte_sva_completed_t)(void *dev_private, uint16_t qid,
					uint16_t nb_cpls, uint16_t *last_idx,
					bool *has_error);
/** Driver function behind rte_sva_completed_results(); last_idx is never
 *  NULL. */
typedef uint16_t (*rte_sva_completed_results_t)(void *dev_private,
						uint16_t qid, uint16_t nb_cpls,
						uint16_t *last_idx,
						struct rte_sva_result *res);
/** Driver function behind rte_sva_completed_status(); last_idx is never
 *  NULL. */
typedef uint16_t (*rte_sva_completed_status_t)(void *dev_private,
					       uint16_t qid, uint16_t nb_cpls,
					       uint16_t *last_idx,
					       uint16_t *status);
/** Driver function behind rte_sva_burst_capacity(). */
typedef uint16_t (*rte_sva_burst_capacity_t)(const void *dev_private,
					     uint16_t qid);

/**
 * One per device, in a flat per-process array (never in shared memory:
 * function pointers differ between processes). dev_private comes first so
 * that an operation costs one load of it and one indirect call. A slot
 * without a device holds functions that log and fail (-EINVAL, or 0
 * completions), so the inline functions need no check in release builds.
 */
struct rte_sva_fp_object {
	void *dev_private;                  /**< The driver's device data. */
	rte_sva_copy_t copy;                /**< rte_sva_copy() */
	rte_sva_fill_t fill;                /**< rte_sva_fill() */
	rte_sva_compare_t compare;          /**< rte_sva_compare() */
	rte_sva_compare_pattern_t compare_pattern; /**< rte_sva_compare_pattern() */
	rte_sva_crc32c_t crc32c;            /**< rte_sva_crc32c() */
	rte_sva_copy_crc32c_t copy_crc32c;  /**< rte_sva_copy_crc32c() */
	rte_sva_dualcast_t dualcast;        /**< rte_sva_dualcast() */
	rte_sva_submit_t submit;            /**< rte_sva_submit() */
	rte_sva_completed_t completed;      /**< rte_sva_completed() */
	rte_sva_completed_status_t completed_status; /**< rte_sva_completed_status() */
	rte_sva_completed_results_t completed_results; /**< rte_sva_completed_results() */
	rte_sva_burst_capacity_t burst_capacity; /**< rte_sva_burst_capacity() */
	uintptr_t reserved[3];              /**< Room to grow; unused. */
} __rte_cache_aligned;

/** The fast-path objects, indexed by device id (RTE_SVA_MAX_DEVS). */
extern struct rte_sva_fp_object *rte_sva_fp_objs;

#endif /* RTE_SVA_CORE_H */
