/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SW_IOMMU_LOG_H
#define SW_IOMMU_LOG_H

/* Private to the sw_iommu component: its log type (pmd.common.sw_iommu). */

#include <rte_log.h>

extern int sw_iommu_logtype;

#define SW_IOMMU_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, sw_iommu_logtype, "sw_iommu: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif
