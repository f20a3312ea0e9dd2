/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite "fault_edge_iommufd": a white-box test of the iommufd driver's
 * fault poll (drivers/sva/iommufd), against the kernel double of the
 * tests (app/test/kdouble) on a fake sysfs/dev tree, feeding the library's
 * fault queue of the fake fault device (test_fault_fake.c). It was a case
 * of fault_edge, which now uses library headers only.
 */

#define ALLOW_INTERNAL_API 1

#include <stdlib.h>
#include <string.h>

#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>

#include "../../drivers/sva/iommufd/sva_iommufd.h"
#include "kdouble/sva_kdouble.h"
#include "test_fault_edge.h"

/* What the library logged in the last capture (test_log_stop()). */
static const char *log_copy = "";

/* The iommufd fault poll: records read from the fault fd while the
 * library's queue is full are kept for the next poll, not dropped; a
 * failed response write is counted as such. */
static struct sva_kdouble kd;
static struct sva_iommufd ictx;

static int
kd_burst_op(struct rte_sva_dev *dev, const struct rte_sva_page_response *r, uint16_t n)
{
	return sva_iommufd_page_response_burst(&ictx, dev, r, n);
}

static const struct rte_sva_dev_ops kd_ops = {
	.dev_close = fk_close, .page_response = fk_resp, .page_response_burst = kd_burst_op,
};

static int
iommufd_poll_body(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_stats st;
	uint64_t g = good_pg;
	int fd;

	TEST_ASSERT_EQ(sva_iommufd_open(&ictx, "0000:00:04.0"), 0, "%s", ictx.err);
	for (uint32_t i = 0; i < 6; i++) {
		struct sva_iommufd_pgfault f = {
			.flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
			.pasid = tenv.pasid, .grpid = i, .perm = SVA_PGFAULT_PERM_READ,
			.addr = g, .cookie = 300 + i,
		};
		TEST_ASSERT_EQ(sva_kdouble_raise(&kd, &f), 0, "raise");
	}
	/* A queue of 4: the first poll reads all 6, reports 4, keeps 2. */
	TEST_ASSERT_EQ(sva_iommufd_fault_poll(&ictx, dev, 64), 4, "first poll");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 4, "process");
	TEST_ASSERT_EQ(sva_iommufd_fault_poll(&ictx, dev, 64), 2, "the kept records");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 2, "process");
	TEST_ASSERT_EQ(sva_iommufd_fault_poll(&ictx, dev, 64), 0, "nothing more");
	TEST_ASSERT_EQ(kd.nb_resp, 6, "every group answered");
	for (uint32_t i = 0; i < 6; i++)
		TEST_ASSERT_EQ(kd.resp[i].cookie, 300 + i, "response %u", i);
	/* The fault fd unusable: the write fails, nothing counts as answered. */
	struct sva_iommufd_pgfault f = {
		.flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		.pasid = tenv.pasid, .grpid = 9, .perm = SVA_PGFAULT_PERM_READ,
		.addr = g, .cookie = 400,
	};
	TEST_ASSERT_EQ(sva_kdouble_raise(&kd, &f), 0, "raise");
	TEST_ASSERT_EQ(sva_iommufd_fault_poll(&ictx, dev, 64), 1, "poll");
	fd = ictx.fault_fd;
	ictx.fault_fd = 4242;   /* the double says EBADF */
	test_log_start();
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	log_copy = test_log_stop();
	ictx.fault_fd = fd;
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.resp_success, 6, "delivered");
	TEST_ASSERT_EQ(st.resp_errors, 1, "the failed write");
	TEST_ASSERT(strstr(log_copy, "not delivered") != NULL, "log: '%s'", log_copy);
	return TEST_OK;
}

static int
test_iommufd_poll_keeps(void)
{
	char root[64] = "/tmp/sva_fe_XXXXXX", cmd[256];
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	TEST_ASSERT(mkdtemp(root) != NULL, "mkdtemp");
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/bus/pci/devices/0000:00:04.0/vfio-dev/vfio3 %s/dev",
		 root, root);
	TEST_ASSERT_EQ(system(cmd), 0, "%s", cmd);
	snprintf(cmd, sizeof(cmd), "%s/sys", root);
	setenv("SVA_SYSFS_ROOT", cmd, 1);
	snprintf(cmd, sizeof(cmd), "%s/dev", root);
	setenv("SVA_DEV_ROOT", cmd, 1);
	sva_kdouble_init(&kd);
	sva_kdouble_install(&kd);
	dev = fk_up("iommufd_fe2", &kd_ops, 4);
	if (dev != NULL)
		r = iommufd_poll_body(dev);
	fk_down(dev);
	sva_iommufd_close(&ictx);
	sva_kdouble_install(NULL);
	unsetenv("SVA_SYSFS_ROOT");
	unsetenv("SVA_DEV_ROOT");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		printf("    cannot remove %s\n", root);
	pages_down();
	return r;
}

static const struct test_case cases[] = {
	{ "iommufd poll keeps records it cannot report", test_iommufd_poll_keeps },
};

const struct test_suite suite_fault_edge_iommufd = { "fault_edge_iommufd", cases,
						     RTE_DIM(cases) };
