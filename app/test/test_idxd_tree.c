/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The fake idxd sysfs/dev tree of the idxd and ctrl_edge suites. */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "dsa_hw.h"
#include "test_idxd_tree.h"

char test_idxd_root[64];

int
test_idxd_attr(const char *dir, const char *attr, const char *val)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, attr);
	f = fopen(p, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "%s\n", val);
	fclose(f);
	return 0;
}

int
test_idxd_tree_create(const char *dev)
{
	char p[256];

	strcpy(test_idxd_root, "/tmp/sva_idxd_XXXXXX");
	if (mkdtemp(test_idxd_root) == NULL) {
		test_idxd_root[0] = '\0';
		return -errno;
	}
	snprintf(p, sizeof(p), "%s/sys/bus/dsa/devices/%s", test_idxd_root, dev);
	for (char *s = p + strlen(test_idxd_root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	if (mkdir(p, 0755) != 0)
		return -errno;
	test_idxd_attr(p, "numa_node", "-1");
	snprintf(p, sizeof(p), "%s/dev", test_idxd_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/dev/dsa", test_idxd_root);
	if (mkdir(p, 0755) != 0)
		return -errno;
	snprintf(p, sizeof(p), "%s/empty", test_idxd_root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys", test_idxd_root);
	setenv("SVA_SYSFS_ROOT", p, 1);
	snprintf(p, sizeof(p), "%s/dev", test_idxd_root);
	setenv("SVA_DEV_ROOT", p, 1);
	return 0;
}

int
test_idxd_add_wq(const char *wq, const char *type, const char *name,
		 const char *state, const char *mode, enum test_idxd_node node)
{
	char dir[256], path[256];
	int fd;

	snprintf(dir, sizeof(dir), "%s/sys/bus/dsa/devices/%s", test_idxd_root, wq);
	if (mkdir(dir, 0755) != 0)
		return -errno;
	if (test_idxd_attr(dir, "type", type) || test_idxd_attr(dir, "name", name) ||
	    test_idxd_attr(dir, "state", state) || test_idxd_attr(dir, "mode", mode) ||
	    test_idxd_attr(dir, "size", "16") ||
	    test_idxd_attr(dir, "max_transfer_size", "2097152") ||
	    test_idxd_attr(dir, "max_batch_size", "32") ||
	    test_idxd_attr(dir, "block_on_fault", "0") ||
	    test_idxd_attr(dir, "ats_disable", "0") || test_idxd_attr(dir, "group_id", "0"))
		return -EIO;
	if (node == TEST_IDXD_NODE_NONE)
		return 0;
	snprintf(path, sizeof(path), "%s/dev/dsa/%s", test_idxd_root, wq);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -errno;
	if (node == TEST_IDXD_NODE_PORTAL && ftruncate(fd, 4096) != 0) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

static int
rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	RTE_SET_USED(sb);
	RTE_SET_USED(flag);
	RTE_SET_USED(ftw);
	return remove(p);
}

void
test_idxd_tree_remove(void)
{
	if (test_idxd_root[0] != '\0')
		nftw(test_idxd_root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	test_idxd_root[0] = '\0';
	unsetenv("SVA_SYSFS_ROOT");
	unsetenv("SVA_DEV_ROOT");
}

void *
test_idxd_portal_map(const char *wq)
{
	char p[256];
	void *m;
	int fd;

	snprintf(p, sizeof(p), "%s/dev/dsa/%s", test_idxd_root, wq);
	fd = open(p, O_RDWR);
	if (fd < 0)
		return NULL;
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

void
test_idxd_complete(const struct dsa_desc *d, uint8_t status)
{
	struct dsa_cmpl *c = (struct dsa_cmpl *)(uintptr_t)d->cmpl_addr;

	__atomic_store_n(&c->status, status, __ATOMIC_RELEASE);
}
