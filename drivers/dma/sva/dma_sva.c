/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * dma_sva: a vdev driver that exposes one queue of an SVA device as a DPDK
 * dmadev with RTE_DMA_CAPA_SVA, so dmadev applications run unchanged on SVA
 * devices:
 *
 *   --vdev=sva_sim0 --vdev=dma_sva0,dev=sva_sim0[,queue=<qid>]
 *
 * Probe finds the SVA device (probed before: its --vdev comes first), puts
 * it in a container (the one it is already in, or a new one), and binds the
 * calling process: one PASID, used by every operation of the adapter.
 * This file holds the control path; dma_sva_fp.c the fast path.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_pause.h>
#include <rte_string_fns.h>
#include <rte_sva_bond.h>

#include "dma_sva_private.h"
#include "sva_compat.h"

RTE_LOG_REGISTER(dma_sva_logtype, pmd.dma.sva, INFO);

/* One record per SVA device id; in use while nb_adapters > 0. */
static struct dma_sva_host dma_sva_hosts[RTE_SVA_MAX_DEVS];

/* ------------------------------------------------------------ host record */

static bool
dma_sva_host_alive(const struct dma_sva_host *h)
{
	return rte_sva_get_dev_id_by_name(h->sva_name) == h->sva_id;
}

/* Take queue qid of SVA device dev_id for an adapter; bind the calling
 * process in the device's container (one reference per adapter). */
static struct dma_sva_host *
dma_sva_host_attach(const char *name, int16_t dev_id, const char *dev_name,
		    uint16_t qid, uint32_t *pasid)
{
	struct dma_sva_host *h = &dma_sva_hosts[dev_id];
	bool fresh = h->nb_adapters == 0;
	int ret;

	if (fresh) {
		memset(h, 0, sizeof(*h));
		strlcpy(h->sva_name, dev_name, sizeof(h->sva_name));
		h->sva_id = dev_id;
		/* The application's container, if it put the device in one. */
		h->cid = rte_sva_dev_container(dev_id);
		if (h->cid < 0) {
			h->cid = rte_sva_container_create();
			if (h->cid < 0) {
				DMA_SVA_LOG(ERR, "%s: no container for %s: %s",
					    name, dev_name, strerror(-h->cid));
				return NULL;
			}
			h->own_cid = true;
			ret = rte_sva_container_add_dev(h->cid, dev_id);
			if (ret != 0) {
				DMA_SVA_LOG(ERR, "%s: cannot add %s to container %d: %s",
					    name, dev_name, h->cid,
					    strerror(-ret));
				rte_sva_container_destroy(h->cid);
				return NULL;
			}
		}
	} else if (h->claimed & RTE_BIT64(qid)) {
		DMA_SVA_LOG(ERR, "%s: queue %u of %s is used by another dma_sva device",
			    name, qid, dev_name);
		return NULL;
	}
	ret = rte_sva_bind(h->cid, 0, pasid);
	if (ret != 0) {
		DMA_SVA_LOG(ERR, "%s: cannot bind this process to %s (container %d): %s",
			    name, dev_name, h->cid, strerror(-ret));
		if (fresh && h->own_cid)
			rte_sva_container_destroy(h->cid);
		return NULL;
	}
	h->claimed |= RTE_BIT64(qid);
	h->nb_adapters++;
	return h;
}

static void
dma_sva_host_detach(struct dma_sva_host *h, uint16_t qid)
{
	/* Our bind reference; the container may be gone with the device
	 * already (EAL cleanup removes the SVA device first). */
	if (rte_sva_container_is_valid(h->cid))
		rte_sva_unbind(h->cid, 0);
	h->claimed &= ~RTE_BIT64(qid);
	h->ready &= ~RTE_BIT64(qid);
	h->adapters[qid] = NULL;
	if (--h->nb_adapters == 0) {
		if (h->own_cid && rte_sva_container_is_valid(h->cid))
			rte_sva_container_destroy(h->cid);
		memset(h, 0, sizeof(*h));
	}
}

/* --------------------------------------------------------- dmadev control */

/*
 * Silent mode hides every completion, failures too, so it is offered only
 * where an operation on ordinary mapped memory cannot fail for a reason
 * the application would have to act on: a page not present. A device that
 * waits for its page requests in the device (BLOCK_ON_FAULT) gets that flag
 * on every silent operation; a software device without page requests
 * reaches the process's memory as its CPU does. Any other device completes
 * an operation on a page not present as a partial PAGE_FAULT for the caller
 * to resume, which nobody would see. NULL when silent mode is possible
 * (dma_sva_silent_flags(): what each operation then carries), else why not.
 */
static const char *
dma_sva_silent_refusal(const struct dma_sva_priv *a,
		       const struct rte_sva_info *si)
{
	if (a->no_silent)
		return "its devargs say silent=0";
	if (si->dev_capa & RTE_SVA_CAPA_BLOCK_ON_FAULT)
		return NULL;
	if ((si->dev_capa & RTE_SVA_CAPA_SOFTWARE) &&
	    !(si->dev_capa & RTE_SVA_CAPA_PAGE_REQUEST))
		return NULL;
	return "it completes an operation on a page not present as a partial page fault for the caller to resume and cannot wait for the fault in the device (no block-on-fault): in silent mode that copy would be lost unseen";
}

/* The flags every silent operation carries: BLOCK_ON_FAULT where the
 * device can wait for a page request in the device. */
static uint64_t
dma_sva_silent_flags(const struct rte_sva_info *si)
{
	return (si->dev_capa & RTE_SVA_CAPA_BLOCK_ON_FAULT) ?
		RTE_SVA_OP_FLAG_BLOCK_ON_FAULT : 0;
}

static int
dma_sva_info_get(const struct rte_dma_dev *dev, struct rte_dma_info *info,
		 uint32_t info_sz)
{
	const struct dma_sva_priv *a = dev->data->dev_private;
	struct rte_sva_info si;
	int ret;

	RTE_SET_USED(info_sz);
	if (!dma_sva_host_alive(a->host)) {
		DMA_SVA_LOG(ERR, "%s: SVA device %s is gone",
			    dev->data->dev_name, a->host->sva_name);
		return -ENODEV;
	}
	ret = rte_sva_info_get(a->sva_id, &si);
	if (ret != 0)
		return ret;
	info->dev_capa = RTE_DMA_CAPA_MEM_TO_MEM | RTE_DMA_CAPA_SVA |
		RTE_DMA_CAPA_HANDLES_ERRORS;
	if (si.op_capa & RTE_SVA_OP_CAPA_COPY)
		info->dev_capa |= RTE_DMA_CAPA_OPS_COPY;
	if (si.op_capa & RTE_SVA_OP_CAPA_FILL)
		info->dev_capa |= RTE_DMA_CAPA_OPS_FILL;
	if (dma_sva_silent_refusal(a, &si) == NULL)
		info->dev_capa |= RTE_DMA_CAPA_SILENT;
	info->max_vchans = 1;
	info->min_desc = si.min_desc;
	info->max_desc = si.max_desc;
	info->max_sges = 0;
	return 0;
}

static int
dma_sva_configure(struct rte_dma_dev *dev, const struct rte_dma_conf *conf,
		  uint32_t conf_sz)
{
	struct dma_sva_priv *a = dev->data->dev_private;
	struct dma_sva_host *h = a->host;
	uint64_t others_ready = h->ready & ~RTE_BIT64(a->qid);
	uint16_t need = (uint16_t)(64 - __builtin_clzll(h->claimed));
	uint64_t silent_flags = 0;
	int ret;

	RTE_SET_USED(conf_sz);
	if (!dma_sva_host_alive(h))
		return -ENODEV;
	if (sva_dma_conf_silent(conf)) {
		struct rte_sva_info si;
		const char *why;

		/* The dmadev library refuses it first when info_get did not
		 * offer it; this check keeps the driver's word for callers
		 * that reach it otherwise. */
		ret = rte_sva_info_get(a->sva_id, &si);
		if (ret != 0)
			return ret;
		why = dma_sva_silent_refusal(a, &si);
		if (why != NULL) {
			DMA_SVA_LOG(ERR, "%s: no silent mode on %s: %s",
				    dev->data->dev_name, h->sva_name, why);
			return -ENOTSUP;
		}
		silent_flags = dma_sva_silent_flags(&si);
	}
	/* The SVA device gets as many queues as the highest queue any
	 * adapter on it uses, so that adapters configured later while it
	 * runs (dmafwd brings up one dmadev after the other) find theirs.
	 * Reconfiguring drops every queue: it is done only while the device
	 * is stopped and no other adapter has a queue set up. */
	if (h->nb_started > 0) {
		if (h->nb_queues < need) {
			DMA_SVA_LOG(ERR, "%s: %s runs with %u queues for %u other dma_sva device(s) and needs %u for queue %u: stop them first",
				    dev->data->dev_name, h->sva_name,
				    h->nb_queues, h->nb_started, need, a->qid);
			return -EBUSY;
		}
	} else if (others_ready == 0 || h->nb_queues < need) {
		struct rte_sva_conf sc = { .nb_queues = need };

		if (others_ready != 0) {
			DMA_SVA_LOG(ERR, "%s: %s needs %u queues but has %u set up for other dma_sva devices: close or reconfigure them first",
				    dev->data->dev_name, h->sva_name, need,
				    h->nb_queues);
			return -EBUSY;
		}
		ret = rte_sva_configure(a->sva_id, &sc);
		if (ret != 0) {
			DMA_SVA_LOG(ERR, "%s: configuring %s with %u queues failed: %s",
				    dev->data->dev_name, h->sva_name, need,
				    strerror(-ret));
			return ret;
		}
		h->nb_queues = need;
		h->ready = 0;
		memset(h->depth, 0, sizeof(h->depth));
	}
	/* As for any dmadev: the vchan is set up again after configure. */
	h->ready &= ~RTE_BIT64(a->qid);
	a->nb_desc = 0;
	/* The library checked the adapter is stopped: no fast-path call
	 * runs while its functions change. */
	a->silent = sva_dma_conf_silent(conf);
	a->silent_flags = silent_flags;
	dma_sva_fp_install(dev->fp_obj, a->silent);
	return 0;
}

static int
dma_sva_vchan_setup(struct rte_dma_dev *dev, uint16_t vchan,
		    const struct rte_dma_vchan_conf *conf, uint32_t conf_sz)
{
	struct dma_sva_priv *a = dev->data->dev_private;
	struct dma_sva_host *h = a->host;
	struct rte_sva_queue_conf qc = {
		.mode = a->mode,
		.wq_id = a->wq_id,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_info si;
	uint32_t nb;
	int ret;

	RTE_SET_USED(vchan);  /* the library checked: only vchan 0 exists */
	RTE_SET_USED(conf_sz);
	if (!dma_sva_host_alive(h))
		return -ENODEV;
	ret = rte_sva_info_get(a->sva_id, &si);
	if (ret != 0)
		return ret;
	/* SVA rings are powers of two: round the depth up (the library
	 * checked it is within min_desc..max_desc, both powers of two). */
	nb = rte_align32pow2(conf->nb_desc);
	qc.nb_desc = (uint16_t)RTE_MIN(RTE_MAX(nb, (uint32_t)si.min_desc),
				       (uint32_t)si.max_desc);
	if (h->nb_started > 0) {
		/* The running device cannot set a queue up: take the one
		 * it has for us (set up at its start), if deep enough. Its
		 * leftovers are reaped at our start. */
		if (h->depth[a->qid] < qc.nb_desc) {
			DMA_SVA_LOG(ERR, "%s: %s runs for %u other dma_sva device(s) with queue %u at %u descriptors: %u descriptors need it stopped (stop them first, or ask for at most %u)",
				    dev->data->dev_name, h->sva_name,
				    h->nb_started, a->qid, h->depth[a->qid],
				    qc.nb_desc, h->depth[a->qid]);
			return -EBUSY;
		}
		h->ready |= RTE_BIT64(a->qid);
		a->nb_desc = h->depth[a->qid];
		return 0;
	}
	ret = rte_sva_queue_setup(a->sva_id, a->qid, &qc);
	if (ret != 0) {
		DMA_SVA_LOG(ERR, "%s: setting up queue %u of %s (%u descriptors) failed: %s",
			    dev->data->dev_name, a->qid, h->sva_name,
			    qc.nb_desc, strerror(-ret));
		return ret;
	}
	h->ready |= RTE_BIT64(a->qid);
	h->depth[a->qid] = qc.nb_desc;
	a->nb_desc = qc.nb_desc;
	return 0;
}

/* Reap what the adapter's SVA queue still holds from before (nothing is in
 * flight: a stop waited for it) and make its next SVA index the vchan's 0. */
static void
dma_sva_rebase(struct dma_sva_priv *a)
{
	uint16_t st[64], last = (uint16_t)(a->base - 1);

	while (rte_sva_completed_status(a->sva_id, a->qid, RTE_DIM(st), &last,
					st) != 0)
		;
	a->base = (uint16_t)(last + 1);
}

/* Wait, bounded, until the device has done what the adapter submitted. */
static int
dma_sva_wait_idle(const struct dma_sva_priv *a)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	int idle;

	while ((idle = rte_sva_queue_idle(a->sva_id, a->qid)) == 0) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		rte_pause();
	}
	/* A driver that cannot tell: its leftovers are reaped at start. */
	return idle == -ENOTSUP ? 0 : RTE_MIN(idle, 0);
}

static int
dma_sva_start(struct rte_dma_dev *dev)
{
	struct dma_sva_priv *a = dev->data->dev_private;
	struct dma_sva_host *h = a->host;
	struct rte_sva_info si;
	int ret;

	if (!dma_sva_host_alive(h))
		return -ENODEV;
	if (!(h->ready & RTE_BIT64(a->qid))) {
		DMA_SVA_LOG(ERR, "%s: set up vchan 0 before starting",
			    dev->data->dev_name);
		return -EINVAL;
	}
	if (h->nb_started == 0) {
		uint16_t depth;

		/* The SVA device starts only with every queue set up, and
		 * sets none up while it runs: queues no set-up adapter owns
		 * get the deepest ring set up so far, so that an adapter
		 * configured alike while the device runs finds its queue. */
		ret = rte_sva_info_get(a->sva_id, &si);
		if (ret != 0)
			return ret;
		depth = si.min_desc;
		for (uint16_t q = 0; q < h->nb_queues; q++)
			if (h->ready & RTE_BIT64(q))
				depth = RTE_MAX(depth, h->depth[q]);
		for (uint16_t q = 0; q < h->nb_queues; q++) {
			struct rte_sva_queue_conf qc = {
				.nb_desc = depth,
				.mode = a->mode,
				.wq_id = a->wq_id,
				.socket_id = SOCKET_ID_ANY,
			};

			if (h->ready & RTE_BIT64(q))
				continue;
			ret = rte_sva_queue_setup(a->sva_id, q, &qc);
			if (ret != 0) {
				DMA_SVA_LOG(ERR, "%s: setting up unused queue %u of %s failed: %s",
					    dev->data->dev_name, q,
					    h->sva_name, strerror(-ret));
				return ret;
			}
			h->depth[q] = depth;
		}
		ret = rte_sva_start(a->sva_id);
		if (ret != 0) {
			DMA_SVA_LOG(ERR, "%s: starting %s failed: %s",
				    dev->data->dev_name, h->sva_name,
				    strerror(-ret));
			return ret;
		}
	}
	/* The vchan counts from 0 again (rte_dmadev.h); the SVA queue may not. */
	dma_sva_rebase(a);
	h->nb_started++;
	__atomic_store_n(&a->started, true, __ATOMIC_RELEASE);
	return 0;
}

static int
dma_sva_stop(struct rte_dma_dev *dev)
{
	struct dma_sva_priv *a = dev->data->dev_private;
	struct dma_sva_host *h = a->host;

	if (!a->started)
		return 0;
	/* Our enqueues are refused from here on, also while other adapters
	 * keep the SVA device running. */
	__atomic_store_n(&a->started, false, __ATOMIC_RELEASE);
	if (h->nb_started > 1 && dma_sva_host_alive(h)) {
		/* The device runs on for the others: our queue alone is
		 * drained. Operations enqueued without a submit run too
		 * (otherwise the next submit after a restart would), and a
		 * restart finds the queue quiet. */
		int ret = rte_sva_submit(a->sva_id, a->qid);

		if (ret == 0)
			ret = dma_sva_wait_idle(a);
		if (ret != 0) {
			DMA_SVA_LOG(ERR, "%s: draining queue %u of %s failed: %s: still started",
				    dev->data->dev_name, a->qid, h->sva_name,
				    strerror(-ret));
			__atomic_store_n(&a->started, true, __ATOMIC_RELEASE);
			return ret;
		}
		h->nb_started--;
		if (a->silent)
			dma_sva_reclaim(a);  /* the statistics are complete */
		return 0;
	}
	/* The last adapter stops the device, which drains: every submitted
	 * operation completes first. A stop the device fails leaves it
	 * started, and this adapter with it (rte_dma keeps it started too). */
	if (--h->nb_started == 0 && dma_sva_host_alive(h)) {
		int ret = rte_sva_stop(a->sva_id);

		if (ret != 0) {
			DMA_SVA_LOG(ERR, "%s: stopping %s failed: %s: still started",
				    dev->data->dev_name, h->sva_name,
				    strerror(-ret));
			h->nb_started++;
			__atomic_store_n(&a->started, true, __ATOMIC_RELEASE);
		} else if (a->silent) {
			dma_sva_reclaim(a);  /* the statistics are complete */
		}
		return ret;
	}
	return 0;
}

static int
dma_sva_close(struct rte_dma_dev *dev)
{
	struct dma_sva_priv *a = dev->data->dev_private;

	if (a->host != NULL) {
		dma_sva_host_detach(a->host, a->qid);
		a->host = NULL;
	}
	return 0;
}

static int
dma_sva_stats_get(const struct rte_dma_dev *dev, uint16_t vchan,
		  struct rte_dma_stats *stats, uint32_t stats_sz)
{
	const struct dma_sva_priv *a = dev->data->dev_private;
	struct rte_sva_stats s;
	int ret;

	RTE_SET_USED(vchan);
	RTE_SET_USED(stats_sz);
	/* Nothing ran before the SVA queue exists. */
	if (!dma_sva_host_alive(a->host) || a->qid >= a->host->nb_queues)
		return 0;
	/* Silent: what finished since the last reclaim is counted once it is
	 * reaped, which a stopped adapter may do here (no fast path runs);
	 * a started one counts what its enqueues reclaimed so far. */
	if (a->silent && !__atomic_load_n(&a->started, __ATOMIC_ACQUIRE))
		dma_sva_reclaim(a);
	ret = rte_sva_stats_get(a->sva_id, a->qid, &s);
	if (ret != 0)
		return ret;
	/* rte_dma counts failed operations as completed too. */
	stats->submitted = s.submitted;
	stats->completed = s.completed + s.errors;
	stats->errors = s.errors;
	return 0;
}

static int
dma_sva_stats_reset(struct rte_dma_dev *dev, uint16_t vchan)
{
	const struct dma_sva_priv *a = dev->data->dev_private;

	RTE_SET_USED(vchan);
	if (!dma_sva_host_alive(a->host) || a->qid >= a->host->nb_queues)
		return 0;
	return rte_sva_stats_reset(a->sva_id, a->qid);
}

static int
dma_sva_dump(const struct rte_dma_dev *dev, FILE *f)
{
	const struct dma_sva_priv *a = dev->data->dev_private;
	const struct dma_sva_host *h = a->host;

	fprintf(f, "  dma_sva: SVA device %s (id %d) queue %u (%s, %u descriptors), PASID %u, container %d%s\n",
		h->sva_name, a->sva_id, a->qid,
		a->mode == RTE_SVA_QUEUE_SHARED ? "shared" : "dedicated",
		a->nb_desc, a->pasid, h->cid,
		h->own_cid ? "" : " (the application's)");
	fprintf(f, "  dma_sva: %u adapter(s) on %s, %u started\n",
		h->nb_adapters, h->sva_name, h->nb_started);
	if (!dma_sva_host_alive(h)) {
		fprintf(f, "  dma_sva: SVA device %s is gone\n", h->sva_name);
		return 0;
	}
	return rte_sva_dump(a->sva_id, f);
}

static int
dma_sva_vchan_status(const struct rte_dma_dev *dev, uint16_t vchan,
		     enum rte_dma_vchan_status *status)
{
	const struct dma_sva_priv *p = dev->data->dev_private;
	int idle;

	RTE_SET_USED(vchan);
	idle = rte_sva_queue_idle(p->sva_id, p->qid);
	if (idle < 0)
		return idle;
	*status = idle ? RTE_DMA_VCHAN_IDLE : RTE_DMA_VCHAN_ACTIVE;
	return 0;
}

static const struct rte_dma_dev_ops dma_sva_ops = {
	.vchan_status = dma_sva_vchan_status,
	.dev_info_get = dma_sva_info_get,
	.dev_configure = dma_sva_configure,
	.dev_start = dma_sva_start,
	.dev_stop = dma_sva_stop,
	.dev_close = dma_sva_close,
	.vchan_setup = dma_sva_vchan_setup,
	.stats_get = dma_sva_stats_get,
	.stats_reset = dma_sva_stats_reset,
	.dev_dump = dma_sva_dump,
};

/* ------------------------------------------------------------ probe/remove */

static int
dma_sva_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct dma_sva_args args;
	struct rte_sva_info si;
	const char *why;
	struct dma_sva_host *h;
	struct dma_sva_priv *a;
	struct rte_dma_dev *dev;
	uint32_t pasid;
	int16_t sva_id;
	uint16_t mode, wq_id = 0;
	int ret;

	ret = dma_sva_devargs_parse(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0) {
		DMA_SVA_LOG(ERR, "%s: probe failed: bad devargs", name);
		return ret;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		DMA_SVA_LOG(ERR, "%s: secondary processes are not supported (bind them to their own adapter)",
			    name);
		return -ENOTSUP;
	}
	ret = rte_sva_get_dev_id_by_name(args.dev);
	if (ret < 0) {
		DMA_SVA_LOG(ERR, "%s: no SVA device \"%s\": probe it first (put its --vdev before this one)",
			    name, args.dev);
		return -ENODEV;
	}
	sva_id = (int16_t)ret;
	ret = rte_sva_info_get(sva_id, &si);
	if (ret != 0)
		return ret;
	if (!(si.op_capa & RTE_SVA_OP_CAPA_COPY)) {
		DMA_SVA_LOG(ERR, "%s: %s cannot copy", name, args.dev);
		return -ENOTSUP;
	}
	if (args.qid >= si.max_queues) {
		DMA_SVA_LOG(ERR, "%s: devarg queue=%u: %s has queues 0..%u",
			    name, args.qid, args.dev, si.max_queues - 1);
		return -EINVAL;
	}
	if (si.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE) {
		mode = RTE_SVA_QUEUE_DEDICATED;
	} else if ((si.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE) && si.max_wqs > 0) {
		mode = RTE_SVA_QUEUE_SHARED;
		wq_id = args.qid % si.max_wqs;
	} else {
		DMA_SVA_LOG(ERR, "%s: %s has no usable work queues", name,
			    args.dev);
		return -ENOTSUP;
	}
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		DMA_SVA_LOG(WARNING, "%s: EAL is in IOVA-as-PA mode, but this device takes virtual addresses: pass VAs, or run with --iova-mode=va (or --no-huge)",
			    name);

	h = dma_sva_host_attach(name, sva_id, args.dev, args.qid, &pasid);
	if (h == NULL)
		return -EINVAL;
	dev = rte_dma_pmd_allocate(name, si.numa_node >= 0 ?
				   si.numa_node : SOCKET_ID_ANY, sizeof(*a));
	if (dev == NULL) {
		DMA_SVA_LOG(ERR, "%s: cannot allocate the dmadev", name);
		dma_sva_host_detach(h, args.qid);
		return -ENOMEM;
	}
	/* rte_dma_info_get() reports the rte_device's node; a vdev has
	 * none of its own, the SVA device behind it has. */
	if (si.numa_node >= 0)
		vdev->device.numa_node = si.numa_node;
	dev->device = &vdev->device;
	dev->dev_ops = &dma_sva_ops;
	a = dev->data->dev_private;
	a->sva_id = sva_id;
	a->qid = args.qid;
	a->pasid = pasid;
	a->host = h;
	a->mode = mode;
	a->wq_id = wq_id;
	a->no_silent = args.no_silent;
	a->dma_id = dev->data->dev_id;
	h->adapters[args.qid] = a;
	dev->fp_obj->dev_private = a;
	dma_sva_fp_install(dev->fp_obj, false);
	dev->state = RTE_DMA_DEV_READY;
	DMA_SVA_LOG(INFO, "%s: dmadev %d on %s queue %u (%s), PASID %u",
		    name, dev->data->dev_id, args.dev, args.qid,
		    mode == RTE_SVA_QUEUE_SHARED ? "shared" : "dedicated",
		    pasid);
	/* rte_dma_configure() refuses enable_silent without saying why: the
	 * reason is given here, once. */
	why = dma_sva_silent_refusal(a, &si);
	if (why != NULL)
		DMA_SVA_LOG(INFO, "%s: no silent mode (RTE_DMA_CAPA_SILENT) on %s: %s",
			    name, args.dev, why);
	return 0;
}

static struct dma_sva_priv *
dma_sva_find_adapter(int16_t dma_id)
{
	for (unsigned int d = 0; d < RTE_DIM(dma_sva_hosts); d++) {
		const struct dma_sva_host *h = &dma_sva_hosts[d];

		if (h->nb_adapters == 0)
			continue;
		for (unsigned int q = 0; q < RTE_DIM(h->adapters); q++) {
			struct dma_sva_priv *a = h->adapters[q];

			if (a != NULL && a->dma_id == dma_id)
				return a;
		}
	}
	return NULL;
}

static int
dma_sva_remove(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	int id = rte_dma_get_dev_id_by_name(name);
	struct dma_sva_priv *a;

	if (id < 0)
		return 0;  /* closed through rte_dma_close() already */
	a = dma_sva_find_adapter((int16_t)id);
	if (a != NULL && a->started)
		rte_dma_stop((int16_t)id);
	return rte_dma_pmd_release(name);
}

static struct rte_vdev_driver dma_sva_vdev_driver = {
	.probe = dma_sva_probe,
	.remove = dma_sva_remove,
};

/* Literal names: the PMD info generator pairs the two by token. */
RTE_PMD_REGISTER_VDEV(dma_sva, dma_sva_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(dma_sva,
	"dev=<SVA device name> queue=<qid> silent=0|1");
