/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Capability report and cache invalidation: argument checks (the seeds'
 * validity table) here, the work in the drivers.
 *
 * Both run under the control lock (sva_ctrl_lock(), as every control
 * function of rte_sva.c): they are called from any thread (telemetry
 * among them) and dereference driver ops and private data that a close on
 * another thread clears and frees. The *_locked bodies run with it held;
 * the public functions take it. */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_bond.h"
#include "rte_sva_iommu.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

static int
rte_sva_capability_get_locked(int16_t dev_id, struct rte_sva_capability *cap)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	struct rte_sva_info info;
	int ret;

	if (dev == NULL || cap == NULL) {
		RTE_SVA_LOG(ERR, "capability_get: %s (dev_id %d)",
			    dev == NULL ? "invalid dev_id" : "NULL cap", dev_id);
		return -EINVAL;
	}
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;
	memset(cap, 0, sizeof(*cap));
	cap->pasid_bits = info.pasid_bits;
	cap->addr_width = info.addr_width;
	if (info.dev_capa & RTE_SVA_CAPA_SYSWIDE_PASID)
		cap->flags |= RTE_SVA_IOMMU_CAP_SYSWIDE_PASID;
	if (info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST)
		cap->flags |= RTE_SVA_IOMMU_CAP_PAGE_REQUEST;
	if (info.dev_capa & RTE_SVA_CAPA_FOREIGN_BIND)
		cap->flags |= RTE_SVA_IOMMU_CAP_FOREIGN_BIND;
	if (dev->dev_ops->capability_get != NULL)
		ret = dev->dev_ops->capability_get(dev, cap);
	if (ret == 0 && cap->inv_caches != 0)
		cap->flags |= RTE_SVA_IOMMU_CAP_CACHE_INVLD;
	return ret;
}

/* Addresses of an ADDR invalidation lie below 2^57 (57-bit virtual
 * addresses, five-level paging, the widest any device reports). */
#define SVA_INV_ADDR_END RTE_BIT64(57)

/* The seeds' table: which granularities each cache type accepts. */
static const uint32_t inv_valid[] = {
	[RTE_SVA_INV_GRANU_DOMAIN] = RTE_SVA_INV_IOTLB | RTE_SVA_INV_PASID,
	[RTE_SVA_INV_GRANU_PASID] = RTE_SVA_INV_ALL,
	[RTE_SVA_INV_GRANU_ADDR] = RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB,
};

static int
inv_check(const struct rte_sva_cache_inv *inv, uint8_t pasid_bits)
{
	if (inv == NULL) {
		RTE_SVA_LOG(ERR, "invalidate: NULL request");
		return -EINVAL;
	}
	if (inv->cache == 0 || (inv->cache & ~RTE_SVA_INV_ALL)) {
		RTE_SVA_LOG(ERR, "invalidate: cache types 0x%x (want a non-empty set of RTE_SVA_INV_*)",
			    inv->cache);
		return -EINVAL;
	}
	if (inv->granularity >= RTE_DIM(inv_valid)) {
		RTE_SVA_LOG(ERR, "invalidate: unknown granularity %u",
			    inv->granularity);
		return -EINVAL;
	}
	if (inv->cache & ~inv_valid[inv->granularity]) {
		RTE_SVA_LOG(ERR, "invalidate: cache types 0x%x do not all take %s granularity",
			    inv->cache,
			    inv->granularity == RTE_SVA_INV_GRANU_DOMAIN ? "domain" :
			    inv->granularity == RTE_SVA_INV_GRANU_PASID ? "PASID" :
			    "address");
		return -EINVAL;
	}
	if (inv->reserved[0] != 0 || inv->reserved[1] != 0) {
		RTE_SVA_LOG(ERR, "invalidate: reserved fields must be 0");
		return -EINVAL;
	}
	if (inv->granularity == RTE_SVA_INV_GRANU_DOMAIN) {
		if (inv->pasid || inv->flags || inv->addr || inv->granule_size ||
		    inv->nb_granules) {
			RTE_SVA_LOG(ERR, "invalidate: domain granularity takes no arguments");
			return -EINVAL;
		}
		return 0;
	}
	if (inv->pasid >= RTE_BIT64(pasid_bits)) {
		RTE_SVA_LOG(ERR, "invalidate: PASID %u wider than %u bits",
			    inv->pasid, pasid_bits);
		return -EINVAL;
	}
	if (inv->granularity == RTE_SVA_INV_GRANU_PASID) {
		if (inv->flags || inv->addr || inv->granule_size || inv->nb_granules) {
			RTE_SVA_LOG(ERR, "invalidate: PASID granularity takes only a PASID");
			return -EINVAL;
		}
		return 0;
	}
	if (inv->flags & ~RTE_SVA_INV_FLAG_LEAF) {
		RTE_SVA_LOG(ERR, "invalidate: unknown flags 0x%x", inv->flags);
		return -EINVAL;
	}
	/* 64-bit checks throughout: rte_is_power_of_2() takes 32 bits, and
	 * addr + granule_size * nb_granules must be bounded without
	 * computing it (it may wrap). */
	if (inv->granule_size < 4096 || inv->granule_size > RTE_BIT64(39) ||
	    (inv->granule_size & (inv->granule_size - 1)) != 0) {
		RTE_SVA_LOG(ERR, "invalidate: granule size %" PRIu64
			    " (want a power of two in 4 KiB..512 GiB)",
			    inv->granule_size);
		return -EINVAL;
	}
	if (inv->nb_granules == 0 || (inv->addr & (inv->granule_size - 1)) != 0) {
		RTE_SVA_LOG(ERR, "invalidate: %s (addr 0x%" PRIx64 ", granule %"
			    PRIu64 ")", inv->nb_granules == 0 ? "no granules" :
			    "address not granule-aligned", inv->addr,
			    inv->granule_size);
		return -EINVAL;
	}
	if (inv->addr >= SVA_INV_ADDR_END ||
	    inv->nb_granules > (SVA_INV_ADDR_END - inv->addr) / inv->granule_size) {
		RTE_SVA_LOG(ERR, "invalidate: range addr 0x%" PRIx64 " + %" PRIu64
			    " x %" PRIu64 " bytes ends beyond 2^57",
			    inv->addr, inv->nb_granules, inv->granule_size);
		return -EINVAL;
	}
	return 0;
}

static int
rte_sva_cache_invalidate_locked(int16_t dev_id, const struct rte_sva_cache_inv *inv)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	struct rte_sva_info info;
	int ret;

	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "invalidate: invalid dev_id %d", dev_id);
		return -EINVAL;
	}
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;
	ret = inv_check(inv, info.pasid_bits);
	if (ret != 0)
		return ret;
	if (dev->dev_ops->cache_invalidate == NULL) {
		RTE_SVA_LOG(ERR, "%s: no software-managed translation caches",
			    dev->name);
		return -ENOTSUP;
	}
	return dev->dev_ops->cache_invalidate(dev, inv);
}

/* ------------------------------------------- locked control entry points */
SVA_CTRL_READ(int,
	rte_sva_capability_get, (int16_t dev_id, struct rte_sva_capability *cap), (dev_id, cap))
SVA_CTRL_READ(int,
	rte_sva_cache_invalidate, (int16_t dev_id, const struct rte_sva_cache_inv *inv), (dev_id, inv))
