/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_IOMMUFD_H
#define TEST_IOMMUFD_H

/* Shared by the iommufd suite's files (test_iommufd.c, test_iommufd_seeds.c,
 * test_iommufd_rid.c). */

#include <stdbool.h>

struct sva_kdouble;
struct rte_sva_dev_ops;

/** Ops of a device with only the IOMMU side: responses and close. */
extern const struct rte_sva_dev_ops fault_ops;

/** The kernel double the suite's cases install. */
extern struct sva_kdouble kd;

/** Run body with a fresh double (tweaked by setup) installed over a fake
 *  sysfs/dev tree (with a vfio cdev when cdev): TEST_OK, or what failed. */
int with_double(void (*setup)(struct sva_kdouble *), bool cdev, int (*body)(void));

/** The seeds' VFIO cases (test_iommufd_seeds.c). */
int test_seeds_ioctls(void);
int test_seeds_ring(void);

/** A device without PASID and PRI (test_iommufd_rid.c). */
int test_rid_open_refused(void);
int test_rid_open(void);
int test_rid_forgot_detach(void);
int test_rid_open_pri(void);

#endif
