/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_idxd as a DPDK vdev driver: --vdev=sva_idxd0,wq_prefix=NAME[,...]
 * The control ops and the probe. The work queues it claims are found by
 * idxd_wq.c, its devargs read by idxd_devargs.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "idxd_private.h"

RTE_LOG_REGISTER(idxd_logtype, pmd.sva.idxd, INFO);

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
 * PASID; user space never learns the number. So the backend says so
 * (RTE_SVA_BACKEND_F_KERNEL_PASID): the library allocates nothing, bind
 * reports RTE_SVA_PASID_KERNEL, and the fast path accepts exactly that
 * value once the one bond of our own address space is attached.
 */
static const struct rte_sva_backend idxd_backend = {
	.name = "idxd",
	.flags = RTE_SVA_BACKEND_F_KERNEL_PASID,
};

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
	if (pasid != RTE_SVA_PASID_KERNEL) {
		IDXD_LOG(ERR, "%s: PASID %u: this device's PASID is the kernel's "
			 "(RTE_SVA_PASID_KERNEL)", dev->name, pasid);
		return -EINVAL;
	}
	if (xd->pasid == pasid)
		return -EEXIST;
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
	dev->backend = &idxd_backend;
	xd = dev->dev_private;
	xd->sva = dev;
	xd->args = args;
	xd->pasid = RTE_SVA_PASID_INVALID;
	ret = idxd_wq_scan(xd);
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
