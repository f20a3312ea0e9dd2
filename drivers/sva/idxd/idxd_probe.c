/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_idxd as a DPDK vdev driver: --vdev=sva_idxd0,wq_prefix=NAME[,...]
 * Discovery of the kernel idxd driver's user work queues under
 * $SVA_SYSFS_ROOT/bus/dsa/devices (default /sys) and their nodes under
 * $SVA_DEV_ROOT/dsa (default /dev), claiming the enabled user WQs whose
 * sysfs name starts with the prefix; control ops.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "idxd_private.h"

RTE_LOG_REGISTER(idxd_logtype, pmd.sva.idxd, INFO);

/* -------------------------------------------------------------- discovery */

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

static void
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
	wq->max_batch = (uint32_t)idxd_read_num(dir, "max_batch_size", 0);
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

static int
idxd_scan(struct idxd_dev *xd)
{
	const char *name = xd->sva->name;
	struct idxd_scan_stats st = { 0 };
	struct dirent **list;
	char devs[PATH_MAX];
	int n;

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

/* ------------------------------------------------------------ control ops */

static int
idxd_info_get(const struct rte_sva_dev *dev, struct rte_sva_info *info)
{
	const struct idxd_dev *xd = dev->dev_private;
	bool bof = true, ats = true;

	for (uint16_t i = 0; i < xd->nb_wqs; i++) {
		bof &= xd->wqs[i].block_on_fault;
		ats &= !xd->wqs[i].ats_disable;
	}
	info->op_capa = RTE_SVA_OP_CAPA_COPY | RTE_SVA_OP_CAPA_FILL |
		RTE_SVA_OP_CAPA_COMPARE | RTE_SVA_OP_CAPA_COMPARE_PATTERN |
		RTE_SVA_OP_CAPA_CRC32C | RTE_SVA_OP_CAPA_COPY_CRC32C |
		RTE_SVA_OP_CAPA_DUALCAST;
	info->dev_capa = RTE_SVA_CAPA_OVERLAP_COPY;
	if (xd->nb_dedicated > 0)
		info->dev_capa |= RTE_SVA_CAPA_DEDICATED_QUEUE;
	if (xd->nb_shared > 0)
		info->dev_capa |= RTE_SVA_CAPA_SHARED_QUEUE;
	if (bof)
		info->dev_capa |= RTE_SVA_CAPA_BLOCK_ON_FAULT;
	if (ats)
		info->dev_capa |= RTE_SVA_CAPA_ATS;
	info->max_xfer_size = xd->max_xfer;
	info->max_queues = RTE_MIN(xd->args.max_queues,
				   xd->nb_shared > 0 ? RTE_SVA_MAX_QUEUES :
				   xd->nb_dedicated);
	info->max_wqs = xd->nb_shared;
	info->min_desc = IDXD_MIN_DESC;
	info->max_desc = IDXD_MAX_DESC;
	info->pasid_bits = RTE_SVA_PASID_BITS_MAX;
	info->addr_width = IDXD_ADDR_WIDTH;
	return 0;
}

/*
 * Free a queue, unless the device may still write its completion records:
 * a descriptor handed over (by portal or write()) whose record never came
 * is the device's until it completes, and the heap must not hand that
 * memory to anyone else meanwhile. Those records are then leaked, with a
 * line saying so; the rest of the queue is freed. The kernel drains a
 * WQ's descriptors of our PASID when we close its fd, so idxd_close()
 * closes the WQs first and only a device that did not finish even then
 * leaves records behind.
 */
static void
idxd_queue_free(struct idxd_dev *xd, uint16_t qid)
{
	struct idxd_queue *q = xd->queues[qid];

	if (q == NULL)
		return;
	q->wq->nb_attached--;
	xd->queues[qid] = NULL;
	if (idxd_queue_drain(q, 0) != 0) {
		IDXD_LOG(ERR, "%s: queue %u: %u descriptor(s) handed to %s have no "
			 "completion record yet: leaking the records (%zu bytes at "
			 "%p) so that the device's late write lands in memory "
			 "nobody else uses", xd->sva->name, qid,
			 dsa_ring_in_flight(&q->r), q->wq->dev,
			 (size_t)(q->r.mask + 1) * sizeof(*q->r.cmpl),
			 (void *)q->r.cmpl);
		q->r.cmpl = NULL;
	}
	dsa_ring_free(&q->r);
	rte_free(q->tag);
	rte_free(q);
}

static int
idxd_configure(struct rte_sva_dev *dev, const struct rte_sva_conf *conf)
{
	struct idxd_dev *xd = dev->dev_private;

	/* The fast path lets go of the queues before they are freed. */
	xd->fp_nb_queues = 0;
	for (uint16_t q = 0; q < RTE_SVA_MAX_QUEUES; q++)
		idxd_queue_free(xd, q);
	xd->nb_queues = conf->nb_queues;
	return 0;
}

static int
idxd_queue_setup(struct rte_sva_dev *dev, uint16_t qid,
		 const struct rte_sva_queue_conf *conf)
{
	struct idxd_dev *xd = dev->dev_private;
	struct idxd_wq *wq = NULL;
	struct idxd_queue *q;
	int node;

	idxd_queue_free(xd, qid);
	if (conf->mode == RTE_SVA_QUEUE_SHARED) {
		if (conf->wq_id >= xd->nb_shared)
			return -EINVAL;
		wq = &xd->wqs[xd->shared_idx[conf->wq_id]];
	} else {
		for (uint16_t i = 0; i < xd->nb_wqs && wq == NULL; i++)
			if (!xd->wqs[i].shared && xd->wqs[i].nb_attached == 0)
				wq = &xd->wqs[i];
		if (wq == NULL) {
			IDXD_LOG(ERR, "%s: queue %u: all %u dedicated WQs are taken "
				 "(one queue each)", dev->name, qid,
				 xd->nb_dedicated);
			return -EBUSY;
		}
	}
	node = conf->socket_id != SOCKET_ID_ANY ? conf->socket_id :
		wq->numa_node >= 0 ? wq->numa_node : dev->numa_node;
	q = rte_zmalloc_socket("sva_idxd_queue", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       node);
	if (q == NULL)
		return -ENOMEM;
	q->tag = rte_zmalloc_socket("sva_idxd_tag",
				    sizeof(*q->tag) * conf->nb_desc, 0, node);
	if (q->tag == NULL || dsa_ring_alloc(&q->r, qid, conf->nb_desc,
					     wq->max_xfer, node) != 0) {
		rte_free(q->tag);
		rte_free(q);
		return -ENOMEM;
	}
	q->wq = wq;
	q->dev = xd;
	q->bof_ok = wq->block_on_fault ? DSA_FLAG_BOF : 0;
	q->r.set_up = true;
	wq->nb_attached++;
	xd->queues[qid] = q;
	return 0;
}

static int
idxd_start(struct rte_sva_dev *dev)
{
	struct idxd_dev *xd = dev->dev_private;

	for (uint16_t q = 0; q < xd->nb_queues; q++)
		if (xd->queues[q] == NULL)
			return -EINVAL;
	for (uint16_t q = 0; q < xd->nb_queues; q++)
		dsa_ring_start(&xd->queues[q]->r);
	xd->fp_nb_queues = xd->nb_queues;
	__atomic_store_n(&xd->started, true, __ATOMIC_RELEASE);
	return 0;
}

static void
idxd_rings_set(struct idxd_dev *xd, bool run)
{
	for (uint16_t q = 0; q < xd->nb_queues; q++) {
		if (xd->queues[q] == NULL)
			continue;
		if (run)
			dsa_ring_start(&xd->queues[q]->r);
		else
			dsa_ring_stop(&xd->queues[q]->r);
	}
	__atomic_store_n(&xd->started, run, __ATOMIC_RELEASE);
}

/*
 * Refuse enqueue and doorbell, then wait for the device to complete what
 * it was handed. If it does not within IDXD_DRAIN_MS the stop fails with
 * -ETIMEDOUT and the device stays started, as the library then says
 * (enqueue works again): stopping again waits again; closing anyway (EAL
 * cleanup, remove) leaks the records the device still owns. Completions
 * stay to be reaped after a stop (fp_nb_queues is kept).
 */
static int
idxd_stop(struct rte_sva_dev *dev)
{
	struct idxd_dev *xd = dev->dev_private;
	int ret = 0;

	idxd_rings_set(xd, false);
	for (uint16_t q = 0; q < xd->nb_queues; q++) {
		struct idxd_queue *iq = xd->queues[q];

		if (iq == NULL || idxd_queue_drain(iq, IDXD_DRAIN_MS) == 0)
			continue;
		IDXD_LOG(ERR, "%s: stop: queue %u: descriptors still in flight on "
			 "%s after %d ms: the device stays started (stop again "
			 "later; a close now leaks their completion records)",
			 dev->name, q, iq->wq->dev, IDXD_DRAIN_MS);
		ret = -ETIMEDOUT;
	}
	if (ret != 0)
		idxd_rings_set(xd, true);
	return ret;
}

/* The WQs first: closing a WQ fd makes the kernel drain our PASID's
 * descriptors there (or disable the WQ), after which the records the
 * device wrote are final and idxd_queue_free() can tell what is safe. */
static int
idxd_close(struct rte_sva_dev *dev)
{
	struct idxd_dev *xd = dev->dev_private;

	idxd_rings_set(xd, false);
	xd->fp_nb_queues = 0;
	for (uint16_t i = 0; i < xd->nb_wqs; i++)
		idxd_wq_release(&xd->wqs[i]);
	for (uint16_t q = 0; q < RTE_SVA_MAX_QUEUES; q++)
		idxd_queue_free(xd, q);
	xd->nb_queues = 0;
	return 0;
}

static int
idxd_stats_get(const struct rte_sva_dev *dev, uint16_t qid,
	       struct rte_sva_stats *stats)
{
	const struct idxd_dev *xd = dev->dev_private;

	for (uint16_t q = 0; q < xd->nb_queues; q++)
		if (xd->queues[q] != NULL && (qid == RTE_SVA_ALL_QUEUES || qid == q))
			dsa_ring_stats_add(&xd->queues[q]->r, stats);
	return 0;
}

static int
idxd_stats_reset(struct rte_sva_dev *dev, uint16_t qid)
{
	struct idxd_dev *xd = dev->dev_private;

	for (uint16_t q = 0; q < xd->nb_queues; q++)
		if (xd->queues[q] != NULL && (qid == RTE_SVA_ALL_QUEUES || qid == q))
			dsa_ring_stats_reset(&xd->queues[q]->r);
	return 0;
}

static const char *const idxd_path_names[] = {
	[IDXD_PATH_MOVDIR64B] = "MOVDIR64B",
	[IDXD_PATH_ENQCMD] = "ENQCMD",
	[IDXD_PATH_WRITE] = "write()",
	[IDXD_PATH_FAKE] = "fake portal",
};

static int
idxd_dump(const struct rte_sva_dev *dev, FILE *f)
{
	const struct idxd_dev *xd = dev->dev_private;

	fprintf(f, "  idxd: sysfs %s, dev %s, prefix '%s', PASID %s\n",
		xd->sysfs_root, xd->dev_root, xd->args.wq_prefix,
		xd->pasid == RTE_SVA_PASID_INVALID ? "none" : "kernel-owned");
	for (uint16_t i = 0; i < xd->nb_wqs; i++) {
		const struct idxd_wq *wq = &xd->wqs[i];

		fprintf(f, "  %s (%s): %s, size %u, max_xfer %u, bof %d, %s, "
			"%u queue(s)\n", wq->dev, wq->name,
			wq->shared ? "shared" : "dedicated", wq->size,
			wq->max_xfer, wq->block_on_fault,
			idxd_path_names[wq->path], wq->nb_attached);
	}
	return 0;
}

/*
 * The kernel binds the mm of the process that opened the WQ and owns its
 * PASID; user space never learns the number. The library's PASID for the
 * one bond of our own address space names it: attach accepts exactly one
 * bond of the calling process, detach only that one.
 */
static int
idxd_pasid_attach(struct rte_sva_dev *dev, uint32_t pasid,
		  struct rte_sva_mm *mm)
{
	struct idxd_dev *xd = dev->dev_private;

	if (!mm->self) {
		IDXD_LOG(ERR, "%s: the kernel binds only the address space of "
			 "the process that opened the WQ (pid %d refused)",
			 dev->name, mm->pid);
		return -ENOTSUP;
	}
	if (xd->pasid == pasid)
		return -EEXIST;
	if (xd->pasid != RTE_SVA_PASID_INVALID) {
		IDXD_LOG(ERR, "%s: PASID %u: this device has one PASID (the "
			 "kernel's, attached as %u)", dev->name, pasid, xd->pasid);
		return -ENOSPC;
	}
	__atomic_store_n(&xd->pasid, pasid, __ATOMIC_RELEASE);
	return 0;
}

static int
idxd_pasid_detach(struct rte_sva_dev *dev, uint32_t pasid)
{
	struct idxd_dev *xd = dev->dev_private;
	int ret = 0;

	if (pasid != xd->pasid)
		return -ENOENT;
	/* New ops complete INVALID_PASID, staged ones ABORTED at the next
	 * doorbell; wait for the ones the device has. */
	__atomic_store_n(&xd->pasid, RTE_SVA_PASID_INVALID, __ATOMIC_RELEASE);
	for (uint16_t q = 0; q < xd->nb_queues; q++)
		if (xd->queues[q] != NULL &&
		    idxd_queue_drain(xd->queues[q], IDXD_DRAIN_MS) != 0)
			ret = -ETIMEDOUT;
	return ret;
}

static const struct rte_sva_dev_ops idxd_ops = {
	.dev_info_get = idxd_info_get,
	.dev_configure = idxd_configure,
	.queue_setup = idxd_queue_setup,
	.dev_start = idxd_start,
	.dev_stop = idxd_stop,
	.dev_close = idxd_close,
	.stats_get = idxd_stats_get,
	.stats_reset = idxd_stats_reset,
	.dev_dump = idxd_dump,
	.pasid_attach = idxd_pasid_attach,
	.pasid_detach = idxd_pasid_detach,
};

/* ------------------------------------------------------------ probe/remove */

static int
idxd_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct idxd_devargs args;
	struct rte_sva_dev *dev;
	struct idxd_dev *xd;
	int ret, node = 0;

	ret = idxd_devargs_parse(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0) {
		IDXD_LOG(ERR, "%s: probe failed: bad devargs", name);
		return ret;
	}
	dev = rte_sva_pmd_allocate(name, SOCKET_ID_ANY, sizeof(*xd));
	if (dev == NULL)
		return -rte_errno;
	dev->device = &vdev->device;
	dev->dev_ops = &idxd_ops;
	xd = dev->dev_private;
	xd->sva = dev;
	xd->args = args;
	xd->pasid = RTE_SVA_PASID_INVALID;
	strlcpy(xd->sysfs_root, idxd_env_root("SVA_SYSFS_ROOT", "/sys"),
		sizeof(xd->sysfs_root));
	strlcpy(xd->dev_root, idxd_env_root("SVA_DEV_ROOT", "/dev"),
		sizeof(xd->dev_root));
	ret = idxd_scan(xd);
	if (ret != 0) {
		idxd_close(dev);
		rte_sva_pmd_release(dev);
		return ret;
	}
	xd->max_xfer = UINT32_MAX;
	for (uint16_t i = 0; i < xd->nb_wqs; i++) {
		xd->max_xfer = RTE_MIN(xd->max_xfer, xd->wqs[i].max_xfer);
		if (i == 0 && xd->wqs[i].numa_node >= 0)
			node = xd->wqs[i].numa_node;
	}
	dev->numa_node = node;
	idxd_fastpath_install(dev->fp_obj);
	rte_sva_pmd_probing_finish(dev);
	IDXD_LOG(INFO, "%s: dev_id %d, %u dedicated and %u shared WQ(s) named '%s*'",
		 name, dev->dev_id, xd->nb_dedicated, xd->nb_shared,
		 xd->args.wq_prefix);
	return 0;
}

static int
idxd_remove(struct rte_vdev_device *vdev)
{
	struct rte_sva_dev *dev =
		rte_sva_pmd_get_dev_by_name(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;
	return rte_sva_pmd_release(dev);
}

static struct rte_vdev_driver idxd_vdev_driver = {
	.probe = idxd_probe,
	.remove = idxd_remove,
};

RTE_PMD_REGISTER_VDEV(IDXD_DRIVER_NAME, idxd_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(IDXD_DRIVER_NAME,
	"wq_prefix=<name prefix> submit=<auto|portal|write> queues=<1-64>");
RTE_PMD_REGISTER_KMOD_DEP(IDXD_DRIVER_NAME, "* idxd");
