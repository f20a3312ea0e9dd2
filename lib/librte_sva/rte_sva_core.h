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

typedef int (*rte_sva_copy_t)(void *dev_private, uint16_t qid, uint32_t pasid,
			      const void *src, void *dst, uint32_t len,
			      uint64_t flags);
typedef int (*rte_sva_fill_t)(void *dev_private, uint16_t qid, uint32_t pasid,
			      uint64_t pattern, void *dst, uint32_t len,
			      uint64_t flags);
typedef int (*rte_sva_compare_t)(void *dev_private, uint16_t qid,
				 uint32_t pasid, const void *src1,
				 const void *src2, uint32_t len,
				 uint64_t flags);
typedef int (*rte_sva_compare_pattern_t)(void *dev_private, uint16_t qid,
					 uint32_t pasid, const void *src,
					 uint64_t pattern, uint32_t len,
					 uint64_t flags);
typedef int (*rte_sva_crc32c_t)(void *dev_private, uint16_t qid,
				uint32_t pasid, const void *src,
				uint32_t seed, uint32_t len, uint64_t flags);
typedef int (*rte_sva_copy_crc32c_t)(void *dev_private, uint16_t qid,
				     uint32_t pasid, const void *src,
				     void *dst, uint32_t seed, uint32_t len,
				     uint64_t flags);
typedef int (*rte_sva_dualcast_t)(void *dev_private, uint16_t qid,
				  uint32_t pasid, const void *src,
				  void *dst1, void *dst2, uint32_t len,
				  uint64_t flags);
typedef int (*rte_sva_submit_t)(void *dev_private, uint16_t qid);
typedef uint16_t (*rte_sva_completed_t)(void *dev_private, uint16_t qid,
					uint16_t nb_cpls, uint16_t *last_idx,
					bool *has_error);
typedef uint16_t (*rte_sva_completed_results_t)(void *dev_private,
						uint16_t qid, uint16_t nb_cpls,
						uint16_t *last_idx,
						struct rte_sva_result *res);
typedef uint16_t (*rte_sva_completed_status_t)(void *dev_private,
					       uint16_t qid, uint16_t nb_cpls,
					       uint16_t *last_idx,
					       uint16_t *status);
typedef uint16_t (*rte_sva_burst_capacity_t)(const void *dev_private,
					     uint16_t qid);

/**
 * One per device, in a flat per-process array (never in shared memory:
 * function pointers differ between processes). dev_private comes first so
 * that an operation costs one load of it and one indirect call.
 */
struct rte_sva_fp_object {
	void *dev_private;
	rte_sva_copy_t copy;
	rte_sva_fill_t fill;
	rte_sva_compare_t compare;
	rte_sva_compare_pattern_t compare_pattern;
	rte_sva_crc32c_t crc32c;
	rte_sva_copy_crc32c_t copy_crc32c;
	rte_sva_dualcast_t dualcast;
	rte_sva_submit_t submit;
	rte_sva_completed_t completed;
	rte_sva_completed_status_t completed_status;
	rte_sva_completed_results_t completed_results;
	rte_sva_burst_capacity_t burst_capacity;
	uintptr_t reserved[3];
} __rte_cache_aligned;

extern struct rte_sva_fp_object *rte_sva_fp_objs;

#endif /* RTE_SVA_CORE_H */
