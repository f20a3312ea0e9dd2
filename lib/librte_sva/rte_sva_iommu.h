/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_IOMMU_H
#define RTE_SVA_IOMMU_H

/**
 * @file
 * IOMMU-side services of SVA devices: the capability report and cache
 * invalidation (the seeds' iommu_cache_invalidate_info semantics).
 *
 * Control functions. rte_sva_capability_get() and rte_sva_cache_invalidate()
 * take the library's control lock (as those of rte_sva.h do), so any thread
 * may call them, also while another one closes the device: a call then
 * either completes on the whole device or returns -EINVAL. Like every
 * control function, not to be called from a fault handler (rte_sva_fault.h):
 * the lock holder may be waiting for the page request that handler is
 * answering.
 */

#include <stdint.h>

#include <rte_bitops.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * rte_sva_capability::flags: what the translation path a device sits behind
 * (its IOMMU, or the software IOMMU of a software device) offers, as the
 * seeds' VFIO capability report. One family of its own: the device's own
 * features are the RTE_SVA_CAPA_* bits of rte_sva_info::dev_capa (a device
 * may raise page requests behind an IOMMU path that cannot serve them).
 */
/** PASIDs are shared by every process of the system (one allocator). */
#define RTE_SVA_IOMMU_CAP_SYSWIDE_PASID  RTE_BIT64(0)
/** The device raises page requests for pages not present. */
#define RTE_SVA_IOMMU_CAP_PAGE_REQUEST   RTE_BIT64(1)
/** Translation caches must be invalidated by software when the address
 *  space changes (see inv_caches). */
#define RTE_SVA_IOMMU_CAP_CACHE_INVLD    RTE_BIT64(2)
/** Bonds to other processes (by pid) are possible. */
#define RTE_SVA_IOMMU_CAP_FOREIGN_BIND   RTE_BIT64(3)

/** Cache types, for rte_sva_cache_inv::cache and inv_caches. */
#define RTE_SVA_INV_IOTLB      RTE_BIT32(0)  /**< IOMMU IOTLB */
#define RTE_SVA_INV_DEV_IOTLB  RTE_BIT32(1)  /**< device IOTLB (ATC) */
#define RTE_SVA_INV_PASID      RTE_BIT32(2)  /**< PASID-table cache */
/** Every cache type. */
#define RTE_SVA_INV_ALL        (RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB | \
				RTE_SVA_INV_PASID)

/** Capability report of a device, or of a container (the intersection). */
struct rte_sva_capability {
	uint64_t flags;        /**< RTE_SVA_IOMMU_CAP_* */
	uint32_t inv_caches;   /**< RTE_SVA_INV_* software must invalidate */
	uint8_t pasid_bits;    /**< usable PASID width */
	uint8_t addr_width;    /**< virtual address bits */
	uint16_t reserved;     /**< 0 */
	uint64_t reserved2[2]; /**< 0 */
};

/** Invalidation granularity (the lowest one used). */
enum rte_sva_inv_granularity {
	RTE_SVA_INV_GRANU_DOMAIN = 0, /**< everything */
	RTE_SVA_INV_GRANU_PASID = 1,  /**< entries tagged with one PASID */
	RTE_SVA_INV_GRANU_ADDR = 2,   /**< a PASID's address range */
};

/** rte_sva_cache_inv::flags (ADDR granularity) */
#define RTE_SVA_INV_FLAG_LEAF RTE_BIT32(0) /**< leaf entries only */

/**
 * An invalidation request. Valid (cache, granularity) pairs, as in the
 * seeds' table; anything else is -EINVAL:
 *
 *   granularity | DEV_IOTLB | IOTLB | PASID cache
 *   DOMAIN      |    no     |  yes  |    yes
 *   PASID       |    yes    |  yes  |    yes
 *   ADDR        |    yes    |  yes  |    no
 *
 * Several cache types at once must all accept the granularity.
 */
struct rte_sva_cache_inv {
	uint32_t cache;          /**< RTE_SVA_INV_*, at least one */
	uint32_t granularity;    /**< enum rte_sva_inv_granularity */
	uint32_t pasid;          /**< PASID and ADDR granularity */
	uint32_t flags;          /**< ADDR: RTE_SVA_INV_FLAG_*; else 0 */
	uint64_t addr;           /**< ADDR: first address, granule-aligned */
	uint64_t granule_size;   /**< ADDR: power of two, 4 KiB..512 GiB */
	/** ADDR: >= 1; the range [addr, addr + granule_size * nb_granules)
	 *  must end at 2^57 at most (checked without overflow). */
	uint64_t nb_granules;
	uint64_t reserved[2];    /**< must be 0 */
};

/**
 * Get a device's capability report.
 * @param dev_id Device id.
 * @param cap Filled on success.
 * @return 0; -EINVAL for a bad id or NULL cap; other <0 from the driver.
 */
int rte_sva_capability_get(int16_t dev_id, struct rte_sva_capability *cap);

/**
 * Get a container's capability report: flags and widths every device has,
 * invalidations any device needs.
 * @param cid Container id (rte_sva_container_create()).
 * @param cap Filled on success.
 * @return 0; -EINVAL for a bad id, NULL cap or an empty container.
 */
int rte_sva_container_capability_get(int cid, struct rte_sva_capability *cap);

/**
 * Invalidate translation caches of one device.
 * @param dev_id Device id.
 * @param inv What to invalidate.
 * @return 0; -EINVAL for a bad id, NULL inv, an invalid (cache,
 * granularity) pair, a PASID wider than the device's, a bad range (granule
 * size, alignment, no granule, or ending beyond 2^57) or nonzero reserved
 * fields, each with a log line; -ENOTSUP if the device has no such cache
 * to invalidate through this interface; other <0 from the driver.
 */
int rte_sva_cache_invalidate(int16_t dev_id, const struct rte_sva_cache_inv *inv);

/**
 * Invalidate translation caches of every device of a container, in the
 * container's order; the first failure ends it.
 * @param cid Container id.
 * @param inv What to invalidate.
 * @return as rte_sva_cache_invalidate(); -EINVAL for a bad container id.
 */
int rte_sva_container_cache_invalidate(int cid,
				       const struct rte_sva_cache_inv *inv);

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_IOMMU_H */
