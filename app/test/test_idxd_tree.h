/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_IDXD_TREE_H
#define SVA_TEST_IDXD_TREE_H

/*
 * A fake idxd sysfs/dev tree for the idxd driver's tests (its roots are
 * overridable by SVA_SYSFS_ROOT and SVA_DEV_ROOT): a temporary directory
 * with sys/bus/dsa/devices/<dev>, dev/dsa, and work queues added one by
 * one. A portal node is a page-sized file: the driver maps it and writes
 * descriptors into it, plain memory that completes nothing by itself.
 */

#include <stdint.h>

/* The tree's top directory ("" when there is none). */
extern char test_idxd_root[64];

enum test_idxd_node {
	TEST_IDXD_NODE_NONE,    /* no /dev node */
	TEST_IDXD_NODE_PORTAL,  /* a page-sized file to map */
	TEST_IDXD_NODE_WRITE,   /* an empty file (a write() sink) */
};

/* Write val and a newline to dir/attr. @return 0 or -errno. */
int test_idxd_attr(const char *dir, const char *attr, const char *val);
/* A new tree under /tmp with device dev (e.g. "dsa0", NUMA node -1), the
 * driver's roots pointed at it. @return 0 or -errno. */
int test_idxd_tree_create(const char *dev);
/* Work queue wq ("wq0.1") of the tree: its attributes and /dev node. */
int test_idxd_add_wq(const char *wq, const char *type, const char *name,
		     const char *state, const char *mode, enum test_idxd_node node);
/* Remove the tree and unset the roots. */
void test_idxd_tree_remove(void);

struct dsa_desc;
/* The portal node of wq mapped as the device sees it, or NULL. */
void *test_idxd_portal_map(const char *wq);
/* Play the device for descriptor d: write its completion record. */
void test_idxd_complete(const struct dsa_desc *d, uint8_t status);

#endif
