/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The seeds' VFIO SVA backend (drivers/sva/iommufd/sva_vfio_seeds.c)
 * against the kernel test double: its bind/unbind and cache-invalidate
 * ioctls and its fault ring. Cases of suite iommufd (test_iommufd.c). */

#define ALLOW_INTERNAL_API 1

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_sva_pmd.h>
#include <sw_iommu.h>

#include "../../drivers/sva/iommufd/sva_iommufd.h"
#include "kdouble/sva_kdouble.h"
#include "test.h"
#include "test_iommufd.h"

static void seeds(struct sva_kdouble *k) { k->seeds = true; }

static int
body_seeds(void)
{
	struct sva_vfio_seeds s;
	uint32_t pasid = 0;

	TEST_ASSERT_EQ(sva_vfio_seeds_init(&s, SVA_KD_FD_CONTAINER, -1), 0, "%s", s.err);
	TEST_ASSERT_EQ(sva_vfio_seeds_bind(&s, 0, &pasid), 0, "%s", s.err);
	TEST_ASSERT_EQ(pasid, kd.seeds_pasid, "pasid");
	TEST_ASSERT_EQ(sva_vfio_seeds_bind(&s, getpid(), &pasid), 0, "bind by pid");
	TEST_ASSERT_EQ(kd.seeds_last_pid, getpid(), "pid passed");
	TEST_ASSERT_EQ(sva_vfio_seeds_bind(&s, 1, &pasid), -ESRCH, "foreign pid");
	TEST_ASSERT_EQ(sva_vfio_seeds_unbind(&s, 0), 0, "%s", s.err);
	TEST_ASSERT_EQ(sva_vfio_seeds_unbind(&s, 0), -ESRCH, "unbind twice");

	struct rte_sva_cache_inv inv = {
		.cache = RTE_SVA_INV_IOTLB | RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_ADDR, .pasid = 7,
		.flags = RTE_SVA_INV_FLAG_LEAF, .addr = 0x10000,
		.granule_size = 4096, .nb_granules = 3,
	};
	TEST_ASSERT_EQ(sva_vfio_seeds_cache_invalidate(&s, &inv), 0, "%s", s.err);
	TEST_ASSERT_EQ(kd.last_inv.argsz, 56, "argsz");
	TEST_ASSERT_EQ(kd.last_inv.info.version, 1, "version");
	TEST_ASSERT_EQ(kd.last_inv.info.cache, SVA_SEEDS_INV_IOTLB | SVA_SEEDS_INV_DEV_IOTLB,
		       "cache");
	TEST_ASSERT_EQ(kd.last_inv.info.granularity, SVA_SEEDS_INV_GRANU_ADDR, "granu");
	TEST_ASSERT_EQ(kd.last_inv.info.addr_info.flags,
		       SVA_SEEDS_INV_ADDR_F_PASID | SVA_SEEDS_INV_ADDR_F_LEAF, "addr flags");
	TEST_ASSERT_EQ(kd.last_inv.info.addr_info.pasid, 7, "pasid");
	TEST_ASSERT_EQ(kd.last_inv.info.addr_info.nb_granules, 3, "granules");
	return TEST_OK;
}

static int
body_noseeds(void)
{
	struct sva_vfio_seeds s;

	TEST_ASSERT_EQ(sva_vfio_seeds_init(&s, SVA_KD_FD_CONTAINER, -1), -ENOTSUP, "");
	TEST_ASSERT(strstr(s.err, "ENOTTY") != NULL, "%s", s.err);
	return TEST_OK;
}

int
test_seeds_ioctls(void)
{
	TEST_RUN(with_double(seeds, true, body_seeds));
	return with_double(NULL, true, body_noseeds);
}

/* The fault ring: header, records of entry_size (larger than 64 here, for
 * forward compatibility), head produced by the kernel, tail by us, wrap. */
#define RING_NB 4
#define RING_ES 80
struct fake_region {
	struct sva_seeds_fault_region hdr;
	uint8_t pad[12];
	uint8_t ring[RING_NB * RING_ES];
};

static void
produce(struct fake_region *fr, uint32_t grpid, bool unrecov)
{
	struct sva_seeds_fault f = { .type = SVA_SEEDS_FAULT_PAGE_REQ };

	if (unrecov) {
		f.type = SVA_SEEDS_FAULT_DMA_UNRECOV;
		f.event.reason = RTE_SVA_FAULT_REASON_PERMISSION;
		f.event.flags = SVA_SEEDS_UNRECOV_F_PASID_VALID |
			SVA_SEEDS_UNRECOV_F_ADDR_VALID | SVA_SEEDS_UNRECOV_F_FETCH_ADDR_VALID;
		f.event.pasid = 4;
		f.event.perm = 2;
		f.event.addr = 0x5000;
		f.event.fetch_addr = 0x6000;
	} else {
		f.prm.flags = SVA_SEEDS_PRQ_F_PASID_VALID | SVA_SEEDS_PRQ_F_LAST_PAGE |
			SVA_SEEDS_PRQ_F_PRIV_DATA;
		f.prm.pasid = 4;
		f.prm.grpid = grpid;
		f.prm.perm = 1;
		f.prm.addr = 0x1000ull * grpid;
		f.prm.private_data[0] = 0x11;
		f.prm.private_data[1] = 0x22;
	}
	memcpy(fr->ring + fr->hdr.head * RING_ES, &f, sizeof(f));
	fr->hdr.head = (fr->hdr.head + 1) % RING_NB;
}

int
test_seeds_ring(void)
{
	static struct fake_region fr, rr;
	struct sva_vfio_seeds s = { .fault_rgn = &fr.hdr, .resp_rgn = &rr.hdr };
	struct rte_sva_fault f;
	struct rte_sva_dev *dev;
	int r = TEST_FAILED, n;

	memset(&fr, 0, sizeof(fr));
	memset(&rr, 0, sizeof(rr));
	fr.hdr = (struct sva_seeds_fault_region){ .entry_size = RING_ES,
		.nb_entries = RING_NB, .offset = offsetof(struct fake_region, ring) };
	rr.hdr = (struct sva_seeds_fault_region){ .entry_size = 20,
		.nb_entries = RING_NB, .offset = offsetof(struct fake_region, ring) };
	dev = rte_sva_pmd_allocate("iommufd_test1", SOCKET_ID_ANY, 64);
	TEST_ASSERT(dev != NULL, "allocate");
	dev->dev_ops = &fault_ops;
	dev->backend = &sw_iommu_backend;   /* the fixture's PASID, resolved here */
	if (rte_sva_pmd_fault_queue_create(dev, 64) != 0)
		goto out;
	rte_sva_pmd_probing_finish(dev);

	/* Fill 3 (a ring of 4 holds 3), consume, then 3 more: wraps. */
	produce(&fr, 1, false);
	produce(&fr, 2, false);
	produce(&fr, 3, true);
	n = sva_vfio_seeds_fault_poll(&s, dev, 2);
	if (n != 2 || fr.hdr.tail != 2) {
		printf("    FAIL: partial poll %d tail %u\n", n, fr.hdr.tail);
		goto out;
	}
	n = sva_vfio_seeds_fault_poll(&s, dev, 16);
	if (n != 1 || fr.hdr.tail != 3) {
		printf("    FAIL: poll %d tail %u\n", n, fr.hdr.tail);
		goto out;
	}
	produce(&fr, 4, false);
	produce(&fr, 5, false);
	produce(&fr, 6, false);
	n = sva_vfio_seeds_fault_poll(&s, dev, 16);
	if (n != 3 || fr.hdr.tail != 2 || fr.hdr.head != 2) {
		printf("    FAIL: wrap %d tail %u head %u\n", n, fr.hdr.tail, fr.hdr.head);
		goto out;
	}
	/* Conversion field by field (page request and unrecoverable). */
	struct sva_seeds_fault in;
	memcpy(&in, fr.ring + 0 * RING_ES, sizeof(in));   /* grpid 5 (wrapped) */
	if (sva_vfio_seeds_fault_convert(&in, 2, &f) != 0 ||
	    f.type != RTE_SVA_FAULT_PAGE_REQ || f.pasid != 4 || f.grpid != 5 ||
	    f.flags != (RTE_SVA_FAULT_F_PASID_VALID | RTE_SVA_FAULT_F_LAST_PAGE |
			RTE_SVA_FAULT_F_PRIV_DATA) ||
	    f.perm != RTE_SVA_PERM_READ || f.addr != 0x5000 ||
	    f.private_data[0] != 0x11 || f.private_data[1] != 0x22 || f.dev_id != 2) {
		printf("    FAIL: prq conversion\n");
		goto out;
	}
	memcpy(&in, fr.ring + 2 * RING_ES, sizeof(in));   /* the unrecov one */
	if (sva_vfio_seeds_fault_convert(&in, 2, &f) != 0 ||
	    f.type != RTE_SVA_FAULT_UNRECOV || f.reason != RTE_SVA_FAULT_REASON_PERMISSION ||
	    f.flags != (RTE_SVA_FAULT_F_PASID_VALID | RTE_SVA_FAULT_F_ADDR_VALID |
			RTE_SVA_FAULT_F_FETCH_ADDR_VALID) ||
	    f.perm != RTE_SVA_PERM_WRITE || f.addr != 0x5000 || f.fetch_addr != 0x6000) {
		printf("    FAIL: unrecov conversion\n");
		goto out;
	}
	in.type = 9;
	if (sva_vfio_seeds_fault_convert(&in, 2, &f) != -EINVAL) {
		printf("    FAIL: unknown type accepted\n");
		goto out;
	}
	/* A header with entries smaller than a record is refused. */
	fr.hdr.entry_size = 32;
	if (sva_vfio_seeds_fault_poll(&s, dev, 16) != -EINVAL) {
		printf("    FAIL: small entry_size accepted\n");
		goto out;
	}
	fr.hdr.entry_size = RING_ES;

	/* Responses: we produce at head; full after nb - 1. */
	struct rte_sva_page_response pr = { .pasid = 4, .grpid = 5, .code = 1 };
	for (int i = 0; i < RING_NB - 1; i++)
		if (sva_vfio_seeds_page_response(&s, &pr) != 0) {
			printf("    FAIL: response %d\n", i);
			goto out;
		}
	if (sva_vfio_seeds_page_response(&s, &pr) != -ENOSPC) {
		printf("    FAIL: full ring accepted\n");
		goto out;
	}
	struct sva_seeds_page_response out1;
	memcpy(&out1, rr.ring + 20, sizeof(out1));
	if (out1.version != 1 || out1.flags != SVA_SEEDS_RESP_PASID_VALID ||
	    out1.pasid != 4 || out1.grpid != 5 || out1.code != 1 || rr.hdr.head != 3) {
		printf("    FAIL: response record\n");
		goto out;
	}
	/* 3 page requests + ... went to the library's queue: drain them. */
	if (rte_sva_fault_process(dev->dev_id, 64) != 6) {
		printf("    FAIL: library queue\n");
		goto out;
	}
	r = TEST_OK;
out:
	rte_sva_pmd_release(dev);
	return r;
}

