/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Capability reports and cache invalidation: the seeds' validity table and
 * its effect on the sim device's translation cache. */

#include <stdlib.h>

#include <rte_sva_iommu.h>

#include "test.h"

static int
test_capability(void)
{
	struct rte_sva_capability cap, ccap;

	TEST_ASSERT_EQ(rte_sva_capability_get(tenv.dev_id, &cap), 0, "device");
	TEST_ASSERT(cap.flags & RTE_SVA_IOMMU_CAP_SYSWIDE_PASID, "system-wide PASIDs");
	TEST_ASSERT(cap.flags & RTE_SVA_IOMMU_CAP_FOREIGN_BIND, "foreign bind");
	TEST_ASSERT(cap.flags & RTE_SVA_IOMMU_CAP_CACHE_INVLD, "needs invalidation");
	TEST_ASSERT_EQ(cap.inv_caches, RTE_SVA_INV_DEV_IOTLB | RTE_SVA_INV_IOTLB, "caches");
	TEST_ASSERT_EQ(cap.pasid_bits, 20, "pasid bits");
	TEST_ASSERT_EQ(cap.addr_width, 47, "addr width");
	TEST_ASSERT_EQ(rte_sva_container_capability_get(tenv.cid, &ccap), 0, "container");
	TEST_ASSERT_EQ(ccap.flags, cap.flags, "one device: same flags");
	TEST_ASSERT_EQ(ccap.pasid_bits, 20, "pasid bits");
	TEST_ASSERT_EQ(rte_sva_capability_get(tenv.dev_id, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(rte_sva_capability_get(99, &cap), -EINVAL, "bad id");
	TEST_ASSERT_EQ(rte_sva_container_capability_get(99, &cap), -EINVAL, "bad cid");
	return TEST_OK;
}

static int
test_invalidate_table(void)
{
	static const uint32_t types[] = {
		RTE_SVA_INV_IOTLB, RTE_SVA_INV_DEV_IOTLB, RTE_SVA_INV_PASID,
	};
	/* The seeds' table: rows DOMAIN, PASID, ADDR; columns in types[]. */
	static const bool valid[3][3] = {
		{ true, false, true },
		{ true, true, true },
		{ true, true, false },
	};

	for (uint32_t g = 0; g < 3; g++) {
		for (uint32_t t = 0; t < 3; t++) {
			struct rte_sva_cache_inv inv = {
				.cache = types[t], .granularity = g,
			};

			if (g != RTE_SVA_INV_GRANU_DOMAIN)
				inv.pasid = tenv.pasid;
			if (g == RTE_SVA_INV_GRANU_ADDR) {
				inv.addr = 0x10000;
				inv.granule_size = 4096;
				inv.nb_granules = 4;
			}
			TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv),
				       valid[g][t] ? 0 : -EINVAL, "granularity %u cache 0x%x",
				       g, types[t]);
		}
	}
	/* Several types: all must take the granularity. */
	struct rte_sva_cache_inv inv = {
		.cache = RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_DOMAIN,
	};
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "mixed");
	inv.cache = RTE_SVA_INV_IOTLB | RTE_SVA_INV_PASID;
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), 0, "domain pair");
	/* Bad arguments of every kind. */
	inv = (struct rte_sva_cache_inv){ .cache = 0 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "no cache");
	inv = (struct rte_sva_cache_inv){ .cache = RTE_BIT32(7) };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "bad cache");
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_IOTLB, .granularity = 3 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "granularity");
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_PASID, .pasid = 1u << 20 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "wide PASID");
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_DOMAIN, .pasid = 3 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "domain args");
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_ADDR, .pasid = 1, .addr = 0x1001,
		.granule_size = 4096, .nb_granules = 1 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "unaligned");
	inv.addr = 0x1000;
	inv.granule_size = 3000;
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "granule");
	inv.granule_size = 4096;
	inv.nb_granules = 0;
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "count");
	inv.nb_granules = 1;
	inv.reserved[1] = 1;
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), -EINVAL, "reserved");
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(77, &inv), -EINVAL, "bad dev");
	TEST_ASSERT_EQ(rte_sva_container_cache_invalidate(77, &inv), -EINVAL, "bad cid");
	return TEST_OK;
}

/* Copy the same 2 pages (src) to 2 pages (dst) and report ATC misses. */
static int
copy_misses(uint8_t *src, uint8_t *dst, uint64_t *misses, uint64_t *hits)
{
	struct rte_sva_stats before, after;
	struct rte_sva_result r;

	if (rte_sva_stats_get(tenv.dev_id, RTE_SVA_ALL_QUEUES, &before) != 0 ||
	    rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, 8192, 0) < 0 ||
	    test_wait_one(tenv.dev_id, 0, &r) != 0 || r.status != 0 ||
	    rte_sva_stats_get(tenv.dev_id, RTE_SVA_ALL_QUEUES, &after) != 0)
		return -1;
	*misses = after.atc_misses - before.atc_misses;
	*hits = after.atc_hits - before.atc_hits;
	return 0;
}

static int
test_invalidate_effect(void)
{
	uint8_t *src = aligned_alloc(4096, 8192), *dst = aligned_alloc(4096, 8192);
	struct rte_sva_cache_inv inv;
	uint64_t m, h;

	TEST_ASSERT(src && dst, "alloc");
	memset(src, 1, 8192);
	memset(dst, 0, 8192);
	/* A full flush first: the ATC is direct mapped, older entries may
	 * sit in our slots. */
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_DOMAIN };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), 0, "flush");
	TEST_ASSERT_EQ(copy_misses(src, dst, &m, &h), 0, "copy");
	TEST_ASSERT_EQ(m, 4, "cold: one walk per page");
	TEST_ASSERT_EQ(copy_misses(src, dst, &m, &h), 0, "copy");
	TEST_ASSERT_EQ(m, 0, "warm: all hits");
	TEST_ASSERT_EQ(h, 4, "warm: four hits");
	/* Address range of the destination's second page only. */
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_ADDR, .pasid = tenv.pasid,
		.addr = (uintptr_t)dst + 4096, .granule_size = 4096,
		.nb_granules = 1 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), 0, "addr");
	TEST_ASSERT_EQ(copy_misses(src, dst, &m, &h), 0, "copy");
	TEST_ASSERT_EQ(m, 1, "one page invalidated");
	/* Another PASID's invalidation leaves ours alone. */
	inv = (struct rte_sva_cache_inv){ .cache = RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_PASID, .pasid = tenv.pasid + 1 };
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(tenv.dev_id, &inv), 0, "other pasid");
	TEST_ASSERT_EQ(copy_misses(src, dst, &m, &h), 0, "copy");
	TEST_ASSERT_EQ(m, 0, "untouched");
	inv.pasid = tenv.pasid;
	TEST_ASSERT_EQ(rte_sva_container_cache_invalidate(tenv.cid, &inv), 0, "ours");
	TEST_ASSERT_EQ(copy_misses(src, dst, &m, &h), 0, "copy");
	TEST_ASSERT_EQ(m, 4, "PASID flushed");
	TEST_ASSERT(memcmp(src, dst, 8192) == 0, "data");
	free(src);
	free(dst);
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "capability report", test_capability },
	{ "invalidation validity table and arguments", test_invalidate_table },
	{ "invalidation drops translation-cache entries", test_invalidate_effect },
};

const struct test_suite suite_iommu = { "iommu", cases, RTE_DIM(cases) };
