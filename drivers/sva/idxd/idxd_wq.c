/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The kernel work queues sva_idxd claims: discovery of the idxd driver's
 * user WQs under $SVA_SYSFS_ROOT/bus/dsa/devices (default /sys) and their
 * nodes under $SVA_DEV_ROOT/dsa (default /dev), claiming the enabled user
 * WQs whose sysfs name starts with wq_prefix; opening each, mapping its
 * portal or choosing the write() path; and letting them go.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_string_fns.h>

#include "idxd_private.h"

static const char *
idxd_env_root(const char *var, const char *def)
{
	const char *p = getenv(var);

	return p != NULL && p[0] != '\0' ? p : def;
}

/* Read a sysfs attribute, trailing newline removed. 0 or -errno. */
static int
idxd_read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

static long long
idxd_read_num(const char *dir, const char *attr, long long def)
{
	char buf[64], *end;
	long long v;

	if (idxd_read_attr(dir, attr, buf, sizeof(buf)) != 0 || buf[0] == '\0')
		return def;
	v = strtoll(buf, &end, 0);
	return *end == '\0' ? v : def;
}

/* Why nothing was claimed, for the probe's message. */
struct idxd_scan_stats {
	unsigned int wqs;          /* wqX.Y entries */
	unsigned int user;         /* of type user */
	unsigned int not_user;     /* kernel / none type */
	unsigned int prefix;       /* user and name matches */
	unsigned int disabled;     /* ... but not enabled */
	unsigned int no_node;      /* ... enabled, no /dev/dsa node */
	unsigned int perm;         /* ... node not openable: permission */
	unsigned int open_err;     /* ... node not openable: other */
	unsigned int map_err;      /* ... portal not usable */
	unsigned int busy;         /* ... dedicated WQ opened elsewhere */
};

static int
idxd_wq_filter(const struct dirent *e)
{
	unsigned int a, b;
	char c;

	return sscanf(e->d_name, "wq%u.%u%c", &a, &b, &c) == 2;
}

/* Map the portal or choose the write() path. 0 or -errno. */
static int
idxd_wq_map(struct idxd_dev *xd, struct idxd_wq *wq, const char *node,
	    struct idxd_scan_stats *st)
{
	const char *name = xd->sva->name;
	enum idxd_submit_mode mode = xd->args.submit;
	struct stat sb;
	void *p;

	if (fstat(wq->fd, &sb) != 0)
		return -errno;
	if (mode == IDXD_SUBMIT_WRITE) {
		wq->path = IDXD_PATH_WRITE;
		return 0;
	}
	if (S_ISREG(sb.st_mode)) {
		/* A test's fake node: a page-sized file is a fake portal,
		 * a shorter one a write() sink. */
		if (sb.st_size < IDXD_PORTAL_SIZE) {
			wq->path = IDXD_PATH_WRITE;
			return 0;
		}
		p = mmap(NULL, IDXD_PORTAL_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, wq->fd, 0);
		if (p == MAP_FAILED)
			return -errno;
		wq->portal = p;
		wq->path = IDXD_PATH_FAKE;
		IDXD_LOG(INFO, "%s: %s is a regular file: fake portal (plain stores)",
			 name, node);
		return 0;
	}
	p = mmap(NULL, IDXD_PORTAL_SIZE, PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 wq->fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		if ((err == EPERM || err == ENODEV) && mode == IDXD_SUBMIT_AUTO) {
			/* Kernels refuse the portal on devices where user
			 * submission is not safe (unless CAP_SYS_RAWIO). */
			IDXD_LOG(INFO, "%s: %s: portal mmap refused (%s): write() path",
				 name, node, strerror(err));
			wq->path = IDXD_PATH_WRITE;
			return 0;
		}
		IDXD_LOG(ERR, "%s: %s: portal mmap failed: %s", name, node,
			 strerror(err));
		st->map_err++;
		return -err;
	}
	wq->portal = p;
	if (wq->shared ? idxd_cpu_has_enqcmd() : idxd_cpu_has_movdir64b()) {
		wq->path = wq->shared ? IDXD_PATH_ENQCMD : IDXD_PATH_MOVDIR64B;
		return 0;
	}
	munmap(p, IDXD_PORTAL_SIZE);
	wq->portal = NULL;
	if (mode == IDXD_SUBMIT_PORTAL) {
		IDXD_LOG(ERR, "%s: %s: the CPU lacks %s (CPUID.7.0:ECX bit %d) "
			 "and submit=portal", name, node,
			 wq->shared ? "ENQCMD" : "MOVDIR64B", wq->shared ? 29 : 28);
		st->map_err++;
		return -ENOTSUP;
	}
	IDXD_LOG(INFO, "%s: %s: CPU lacks %s: write() path", name, node,
		 wq->shared ? "ENQCMD" : "MOVDIR64B");
	wq->path = IDXD_PATH_WRITE;
	return 0;
}

void
idxd_wq_release(struct idxd_wq *wq)
{
	if (wq->portal != NULL)
		munmap(wq->portal, IDXD_PORTAL_SIZE);
	wq->portal = NULL;
	if (wq->fd >= 0)
		close(wq->fd);
	wq->fd = -1;
}

/* Look at one wqX.Y; claim it when it is ours. */
static void
idxd_scan_one(struct idxd_dev *xd, const char *devs, const char *wqname,
	      struct idxd_scan_stats *st)
{
	const char *name = xd->sva->name;
	char dir[PATH_MAX], node[PATH_MAX], buf[IDXD_NAME_LEN + 8];
	struct idxd_wq *wq;
	unsigned int d, w;
	struct stat sb;

	st->wqs++;
	if (snprintf(dir, sizeof(dir), "%s/%s", devs, wqname) >= (int)sizeof(dir))
		return;
	if (idxd_read_attr(dir, "type", buf, sizeof(buf)) != 0 ||
	    strcmp(buf, "user") != 0) {
		st->not_user++;
		return;
	}
	st->user++;
	if (idxd_read_attr(dir, "name", buf, sizeof(buf)) != 0 ||
	    strncmp(buf, xd->args.wq_prefix, strlen(xd->args.wq_prefix)) != 0)
		return;
	st->prefix++;
	if (xd->nb_wqs == IDXD_MAX_WQS) {
		IDXD_LOG(WARNING, "%s: %s left out: %d WQs claimed already",
			 name, wqname, IDXD_MAX_WQS);
		return;
	}
	wq = &xd->wqs[xd->nb_wqs];
	memset(wq, 0, sizeof(*wq));
	wq->fd = -1;
	strlcpy(wq->name, buf, sizeof(wq->name));
	strlcpy(wq->dev, wqname, sizeof(wq->dev));
	if (idxd_read_attr(dir, "state", buf, sizeof(buf)) != 0 ||
	    strcmp(buf, "enabled") != 0) {
		IDXD_LOG(DEBUG, "%s: %s (%s) is not enabled", name, wqname,
			 wq->name);
		st->disabled++;
		return;
	}
	if (idxd_read_attr(dir, "mode", buf, sizeof(buf)) != 0)
		strcpy(buf, "dedicated");
	wq->shared = strcmp(buf, "shared") == 0;
	wq->size = (uint32_t)idxd_read_num(dir, "size", 0);
	wq->max_xfer = (uint32_t)RTE_MIN(idxd_read_num(dir, "max_transfer_size",
						       2 * 1024 * 1024),
					 (long long)UINT32_MAX);
	if (wq->max_xfer == 0)
		wq->max_xfer = 2 * 1024 * 1024;
	wq->block_on_fault = idxd_read_num(dir, "block_on_fault", 0) == 1;
	wq->ats_disable = idxd_read_num(dir, "ats_disable", 0) == 1;
	wq->numa_node = -1;
	if (sscanf(wqname, "wq%u.%u", &d, &w) == 2) {
		char ddir[PATH_MAX];

		if (snprintf(ddir, sizeof(ddir), "%s/dsa%u", devs, d) <
		    (int)sizeof(ddir))
			wq->numa_node = (int)idxd_read_num(ddir, "numa_node", -1);
	}
	if (snprintf(node, sizeof(node), "%s/dsa/%s", xd->dev_root, wqname) >=
	    (int)sizeof(node) || stat(node, &sb) != 0) {
		IDXD_LOG(WARNING, "%s: %s (%s) has no node %s: %s", name, wqname,
			 wq->name, node, strerror(errno));
		st->no_node++;
		return;
	}
	wq->fd = open(node, O_RDWR | O_CLOEXEC);
	if (wq->fd < 0) {
		int err = errno;

		IDXD_LOG(WARNING, "%s: cannot open %s: %s", name, node, strerror(err));
		if (err == EACCES || err == EPERM)
			st->perm++;
		else if (err == EBUSY)
			st->busy++;
		else
			st->open_err++;
		return;
	}
	if (idxd_wq_map(xd, wq, node, st) != 0) {
		idxd_wq_release(wq);
		return;
	}
	if (wq->shared)
		xd->shared_idx[xd->nb_shared++] = xd->nb_wqs;
	else
		xd->nb_dedicated++;
	xd->nb_wqs++;
	IDXD_LOG(INFO, "%s: claimed %s (%s): %s, size %u, max_xfer %u, %s",
		 name, wqname, wq->name, wq->shared ? "shared" : "dedicated",
		 wq->size, wq->max_xfer,
		 wq->path == IDXD_PATH_WRITE ? "write() path" :
		 wq->path == IDXD_PATH_FAKE ? "fake portal" :
		 wq->shared ? "ENQCMD" : "MOVDIR64B");
}

int
idxd_wq_scan(struct idxd_dev *xd)
{
	const char *name = xd->sva->name;
	struct idxd_scan_stats st = { 0 };
	struct dirent **list;
	char devs[PATH_MAX];
	int n;

	strlcpy(xd->sysfs_root, idxd_env_root("SVA_SYSFS_ROOT", "/sys"),
		sizeof(xd->sysfs_root));
	strlcpy(xd->dev_root, idxd_env_root("SVA_DEV_ROOT", "/dev"),
		sizeof(xd->dev_root));
	snprintf(devs, sizeof(devs), "%s/bus/dsa/devices", xd->sysfs_root);
	n = scandir(devs, &list, idxd_wq_filter, alphasort);
	if (n < 0) {
		IDXD_LOG(ERR, "%s: probe failed: %s: %s: no idxd driver loaded "
			 "(modprobe idxd; needs an Intel DSA device)", name, devs,
			 strerror(errno));
		return -ENODEV;
	}
	for (int i = 0; i < n; i++) {
		idxd_scan_one(xd, devs, list[i]->d_name, &st);
		free(list[i]);
	}
	free(list);
	if (xd->nb_wqs > 0)
		return 0;
	if (st.wqs == 0)
		IDXD_LOG(ERR, "%s: probe failed: no work queue under %s (idxd "
			 "loaded but no WQ configured: see accel-config)", name, devs);
	else if (st.prefix == 0)
		IDXD_LOG(ERR, "%s: probe failed: no user WQ named '%s*' under %s "
			 "(%u WQs, %u of type user)", name, xd->args.wq_prefix,
			 devs, st.wqs, st.user);
	else if (st.disabled == st.prefix)
		IDXD_LOG(ERR, "%s: probe failed: no enabled user WQ named '%s*' "
			 "under %s (%u matching, all disabled)", name,
			 xd->args.wq_prefix, devs, st.prefix);
	else
		IDXD_LOG(ERR, "%s: probe failed: no usable user WQ named '%s*' "
			 "under %s: %u disabled, %u without a node under %s/dsa, "
			 "%u permission denied, %u busy, %u open errors, %u portal "
			 "errors", name, xd->args.wq_prefix, devs, st.disabled,
			 st.no_node, xd->dev_root, st.perm, st.busy, st.open_err,
			 st.map_err);
	return -ENODEV;
}
