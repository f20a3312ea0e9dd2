/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The sim device as a DPDK vdev driver: control ops, probe/remove (its
 * devargs: sim_devargs.c). */

#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "sim_xlat.h"

RTE_LOG_REGISTER(sim_logtype, pmd.sva.sim, INFO);

/* ------------------------------------------------------------ control ops */

int
sim_info_get(const struct rte_sva_dev *dev, struct rte_sva_info *info)
{
	const struct sim_dev *sd = dev->dev_private;

	info->op_capa = RTE_SVA_OP_CAPA_COPY | RTE_SVA_OP_CAPA_FILL |
		RTE_SVA_OP_CAPA_COMPARE | RTE_SVA_OP_CAPA_COMPARE_PATTERN |
		RTE_SVA_OP_CAPA_CRC32C | RTE_SVA_OP_CAPA_COPY_CRC32C |
		RTE_SVA_OP_CAPA_DUALCAST;
	info->dev_capa = RTE_SVA_CAPA_SHARED_QUEUE |
		RTE_SVA_CAPA_DEDICATED_QUEUE | RTE_SVA_CAPA_SYSWIDE_PASID |
		RTE_SVA_CAPA_FOREIGN_BIND | RTE_SVA_CAPA_SOFTWARE;
	if (sd->args.overlap)
		info->dev_capa |= RTE_SVA_CAPA_OVERLAP_COPY;
	if (sd->args.pri)
		info->dev_capa |= RTE_SVA_CAPA_PAGE_REQUEST |
			RTE_SVA_CAPA_BLOCK_ON_FAULT | RTE_SVA_CAPA_ATS;
	info->max_xfer_size = sd->args.max_xfer;
	info->max_queues = sd->args.max_queues;
	info->max_wqs = sd->args.max_wqs;
	info->min_desc = SIM_MIN_DESC;
	info->max_desc = sd->args.max_desc;
	info->pasid_bits = sd->args.pasid_bits;
	info->addr_width = SIM_ADDR_WIDTH;
	return 0;
}

/* A queue's own memory (not its shared WQ). */
void
sim_queue_free_new(struct sim_queue *q)
{
	dsa_ring_free(&q->r);
	rte_free(q->dring);
	rte_free(q->ends);
	rte_free(q);
}

static void
sim_queue_free(struct sim_dev *sd, uint16_t qid)
{
	struct sim_queue *q = sd->queues[qid];

	if (q == NULL)
		return;
	if (q->swq != NULL) {
		struct sim_wq *wq = q->swq;

		if (--wq->nb_attached == 0) {
			sd->wqs[wq->wq_id] = NULL;
			rte_free(wq->slots);
			rte_free(wq->seq);
			rte_free(wq);
		}
	}
	sd->queues[qid] = NULL;
	sim_queue_free_new(q);
}

static int
sim_configure(struct rte_sva_dev *dev, const struct rte_sva_conf *conf)
{
	struct sim_dev *sd = dev->dev_private;

	if (sim_mp_busy(sd, "configure"))
		return -EBUSY;
	/* The fast path lets go of the queues before they are freed. */
	sd->fp_nb_queues = 0;
	for (uint16_t q = 0; q < SIM_MAX_QUEUES; q++)
		sim_queue_free(sd, q);
	sd->nb_queues = conf->nb_queues;
	return 0;
}

static int
sim_node(const struct sim_dev *sd, int socket_id)
{
	if (socket_id != SOCKET_ID_ANY)
		return socket_id;
	return sd->sva->numa_node;
}

static struct sim_wq *
sim_wq_get(struct sim_dev *sd, uint16_t wq_id, uint16_t size, int node)
{
	struct sim_wq *wq = sd->wqs[wq_id];

	if (wq != NULL)
		return wq;
	if (size == 0)
		size = SIM_DEFAULT_WQ_SIZE;
	wq = rte_zmalloc_socket("sva_sim_wq", sizeof(*wq), RTE_CACHE_LINE_SIZE,
				node);
	if (wq == NULL)
		return NULL;
	wq->slots = rte_zmalloc_socket("sva_sim_wq_slots",
				       sizeof(*wq->slots) * size,
				       RTE_CACHE_LINE_SIZE, node);
	wq->seq = rte_zmalloc_socket("sva_sim_wq_seq", sizeof(*wq->seq) * size,
				     RTE_CACHE_LINE_SIZE, node);
	if (wq->slots == NULL || wq->seq == NULL) {
		rte_free(wq->slots);
		rte_free(wq->seq);
		rte_free(wq);
		return NULL;
	}
	for (uint32_t i = 0; i < size; i++)
		wq->seq[i] = i;
	wq->mask = size - 1;
	wq->wq_id = wq_id;
	sd->wqs[wq_id] = wq;
	return wq;
}

/* Builds the new queue completely before it replaces the old one, so a
 * refused setup leaves the previous one as it was. */
static int
sim_queue_setup(struct rte_sva_dev *dev, uint16_t qid,
		const struct rte_sva_queue_conf *conf)
{
	struct sim_dev *sd = dev->dev_private;
	int node = sim_node(sd, conf->socket_id);
	const bool dedicated = conf->mode != RTE_SVA_QUEUE_SHARED;
	struct sim_queue *q;
	struct sim_wq *wq = NULL;

	if (sim_mp_busy(sd, "set a queue up"))
		return -EBUSY;
	if (conf->mode == RTE_SVA_QUEUE_SHARED && conf->wq_size != 0 &&
	    (!rte_is_power_of_2(conf->wq_size) || conf->wq_size < 2 ||
	     conf->wq_size > SIM_MAX_DESC)) {
		SIM_LOG(ERR, "%s: wq_size %u must be a power of two in 2..%u",
			sd->sva->name, conf->wq_size, SIM_MAX_DESC);
		return -EINVAL;
	}
	q = rte_zmalloc_socket("sva_sim_queue", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       node);
	if (q == NULL)
		return -ENOMEM;
	q->ends = rte_zmalloc_socket("sva_sim_ends",
				     sizeof(*q->ends) * conf->nb_desc,
				     RTE_CACHE_LINE_SIZE, node);
	if (dedicated)   /* the ring its engine reads (sim_fastpath.c) */
		q->dring = rte_zmalloc_socket("sva_sim_dring",
					      sizeof(*q->dring) * conf->nb_desc,
					      RTE_CACHE_LINE_SIZE, node);
	if (q->ends == NULL || dsa_ring_alloc(&q->r, qid, conf->nb_desc,
					      sd->args.max_xfer, node) != 0 ||
	    (dedicated && q->dring == NULL)) {
		sim_queue_free_new(q);
		return -ENOMEM;
	}
	if (conf->mode == RTE_SVA_QUEUE_SHARED) {
		/* Attach before the old queue lets go of a WQ it may share. */
		wq = sim_wq_get(sd, conf->wq_id, conf->wq_size, node);
		if (wq == NULL) {
			sim_queue_free_new(q);
			return -ENOMEM;
		}
		wq->nb_attached++;
		q->swq = wq;
	}
	sim_queue_free(sd, qid);
	sd->queues[qid] = q;
	return 0;
}

static int
sim_start(struct rte_sva_dev *dev)
{
	struct sim_dev *sd = dev->dev_private;
	int ret;

	ret = sim_engines_start(sd);
	if (ret != 0)
		return ret;
	for (uint16_t q = 0; q < sd->nb_queues; q++)
		dsa_ring_start(&sd->queues[q]->r);
	sd->fp_nb_queues = sd->nb_queues;
	__atomic_store_n(&sd->started, true, __ATOMIC_RELEASE);
	return 0;
}

/* Enqueue is refused from here on (-EINVAL, as on a device never
 * started); the engines drain what was submitted; completions stay to be
 * reaped (fp_nb_queues is kept). Ops staged without a doorbell stay staged
 * until a submit after the restart. */
static int
sim_stop(struct rte_sva_dev *dev)
{
	struct sim_dev *sd = dev->dev_private;

	for (uint16_t q = 0; q < sd->nb_queues; q++)
		if (sd->queues[q] != NULL)
			dsa_ring_stop(&sd->queues[q]->r);
	sim_engines_stop(sd);
	__atomic_store_n(&sd->started, false, __ATOMIC_RELEASE);
	return 0;
}

static void
sim_free_engines(struct sim_dev *sd)
{
	for (unsigned int i = 0; i < SIM_MAX_ENGINES; i++) {
		if (sd->engines[i] != NULL)
			rte_free(sd->engines[i]->bounce);
		rte_free(sd->engines[i]);
		sd->engines[i] = NULL;
	}
}

/* Frees everything the driver holds; the library frees dev_private. */
static int
sim_close(struct rte_sva_dev *dev)
{
	struct sim_dev *sd = dev->dev_private;

	if (sim_mp_busy(sd, "close"))
		return -EBUSY;
	sd->fp_nb_queues = 0;
	for (uint16_t q = 0; q < SIM_MAX_QUEUES; q++)
		sim_queue_free(sd, q);
	sd->nb_queues = 0;
	sim_iommu_release(sd);
	sim_xlat_release(sd);
	sim_free_engines(sd);
	return 0;
}

int
sim_stats_get(const struct rte_sva_dev *dev, uint16_t qid,
	      struct rte_sva_stats *stats)
{
	const struct sim_dev *sd = dev->dev_private;
	uint64_t busy = 0;

	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		if (sd->queues[q] == NULL)
			continue;
		if (qid == RTE_SVA_ALL_QUEUES || qid == q)
			dsa_ring_stats_add(&sd->queues[q]->r, stats);
	}
	/* Engine counters: the engine adds, we take an untorn snapshot. */
	if (qid == RTE_SVA_ALL_QUEUES) {
		for (unsigned int i = 0; i < sd->nb_engines; i++) {
			stats->atc_hits += rte_sva_counter_read(&sd->engines[i]->atc_hits);
			stats->atc_misses += rte_sva_counter_read(&sd->engines[i]->atc_misses);
			busy += rte_sva_counter_read(&sd->engines[i]->busy_tsc);
		}
		stats->busy_ns += (uint64_t)((double)busy * 1e9 / (double)rte_get_tsc_hz());
	}
	return 0;
}

int
sim_stats_reset(struct rte_sva_dev *dev, uint16_t qid)
{
	struct sim_dev *sd = dev->dev_private;

	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		struct sim_queue *sq = sd->queues[q];

		if (sq == NULL || (qid != RTE_SVA_ALL_QUEUES && qid != q))
			continue;
		dsa_ring_stats_reset(&sq->r);
	}
	/* A reset racing the engine's add may lose that add (rte_sva_pmd.h). */
	if (qid == RTE_SVA_ALL_QUEUES) {
		for (unsigned int i = 0; i < sd->nb_engines; i++) {
			rte_sva_counter_reset(&sd->engines[i]->atc_hits);
			rte_sva_counter_reset(&sd->engines[i]->atc_misses);
			rte_sva_counter_reset(&sd->engines[i]->busy_tsc);
		}
	}
	return 0;
}

/* Any thread, while the engines and producers run. Printed: the state the
 * device shares (doorbell, work-queue indices, engine head) and the
 * counters, each read as an atomic snapshot. Not printed: the producer's
 * own ring indices (write, submit, read), which only its thread may read. */
int
sim_dump(const struct rte_sva_dev *dev, FILE *f)
{
	const struct sim_dev *sd = dev->dev_private;

	fprintf(f, "  sim: engines %u, PASIDs attached %u, invalidations %" PRIu64
		", idle %s\n", sd->nb_engines, sd->iommu.nb_attached,
		rte_sva_counter_read(&sd->iommu.invalidations),
		sd->args.idle_yield ? "yield" : "spin");
	for (unsigned int i = 0; i < sd->nb_engines; i++) {
		const struct sim_engine *e = sd->engines[i];

		fprintf(f, "  engine %u: cpu %d lcore %d executed %" PRIu64
			" faults %" PRIu64 " sw_errors %" PRIu64 " atc hits %" PRIu64
			" misses %" PRIu64 " busy %.3f s\n", i, e->cpu, e->lcore,
			rte_sva_counter_read(&e->executed), rte_sva_counter_read(&e->faults),
			rte_sva_counter_read(&e->sw_errors), rte_sva_counter_read(&e->atc_hits),
			rte_sva_counter_read(&e->atc_misses),
			(double)rte_sva_counter_read(&e->busy_tsc) / (double)rte_get_tsc_hz());
	}
	for (uint16_t w = 0; w < SIM_MAX_WQS; w++) {
		const struct sim_wq *wq = sd->wqs[w];

		if (wq != NULL)
			fprintf(f, "  wq %u: shared, depth %u, queues %u, accepted %u taken %u"
				" done %u\n", w, wq->mask + 1, wq->nb_attached,
				__atomic_load_n(&wq->tail, __ATOMIC_RELAXED),
				__atomic_load_n(&wq->head, __ATOMIC_RELAXED),
				__atomic_load_n(&wq->done, __ATOMIC_RELAXED));
	}
	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		const struct sim_queue *sq = sd->queues[q];

		if (sq == NULL) {
			fprintf(f, "  queue %u: not set up\n", q);
			continue;
		}
		if (sq->swq != NULL)
			fprintf(f, "  queue %u: on wq %u, depth %u,", q, sq->swq->wq_id,
				sq->r.mask + 1);
		else
			fprintf(f, "  queue %u: dedicated wq, depth %u, doorbell %u engine %u,",
				q, sq->r.mask + 1,
				__atomic_load_n(&sq->doorbell, __ATOMIC_RELAXED),
				__atomic_load_n(&sq->eng_head, __ATOMIC_RELAXED));
		fprintf(f, " submitted %" PRIu64 " completed %" PRIu64 " errors %" PRIu64
			" retries %" PRIu64 "\n",
			rte_sva_counter_read(&sq->r.st_submitted),
			rte_sva_counter_read(&sq->r.st_completed),
			rte_sva_counter_read(&sq->r.st_errors),
			rte_sva_counter_read(&sq->r.st_retries));
	}
	return 0;
}

static int
sim_capability_get(const struct rte_sva_dev *dev, struct rte_sva_capability *cap)
{
	RTE_SET_USED(dev);
	/* The translation cache is not told about munmap/mprotect: software
	 * invalidates it (device IOTLB; the IOTLB is the same cache). */
	cap->inv_caches = RTE_SVA_INV_DEV_IOTLB | RTE_SVA_INV_IOTLB;
	return 0;
}

static int
sim_cache_invalidate(struct rte_sva_dev *dev, const struct rte_sva_cache_inv *inv)
{
	return sim_xlat_invalidate(dev->dev_private, inv);
}

int
sim_queue_idle(const struct rte_sva_dev *dev, uint16_t qid)
{
	const struct sim_dev *sd = dev->dev_private;
	const struct sim_queue *q = sd->queues[qid];
	const struct sim_wq *wq;

	if (q == NULL)
		return 1;
	if (q->swq == NULL)
		return __atomic_load_n(&q->eng_head, __ATOMIC_ACQUIRE) ==
			__atomic_load_n(&q->doorbell, __ATOMIC_ACQUIRE);
	/* Shared: nothing left to push, and every descriptor the WQ accepted
	 * (from any of its queues) completed. submit_idx and submit_target
	 * are the producer's, which stores them atomically (sim_fastpath.c). */
	wq = q->swq;
	return __atomic_load_n(&q->r.submit_idx, __ATOMIC_ACQUIRE) ==
		__atomic_load_n(&q->submit_target, __ATOMIC_ACQUIRE) &&
		__atomic_load_n(&wq->done, __ATOMIC_ACQUIRE) ==
		__atomic_load_n(&wq->tail, __ATOMIC_ACQUIRE);
}

static int
sim_page_response(struct rte_sva_dev *dev, const struct rte_sva_page_response *r)
{
	return sim_pri_response(dev->dev_private, r);
}

static int
sim_pasid_attach(struct rte_sva_dev *dev, uint32_t pasid,
		 struct rte_sva_mm *mm)
{
	return sim_iommu_attach(dev->dev_private, pasid, mm);
}

static int
sim_pasid_detach(struct rte_sva_dev *dev, uint32_t pasid)
{
	return sim_iommu_detach(dev->dev_private, pasid);
}

static const struct rte_sva_dev_ops sim_ops = {
	.dev_info_get = sim_info_get,
	.dev_configure = sim_configure,
	.queue_setup = sim_queue_setup,
	.dev_start = sim_start,
	.dev_stop = sim_stop,
	.dev_close = sim_close,
	.stats_get = sim_stats_get,
	.stats_reset = sim_stats_reset,
	.dev_dump = sim_dump,
	.pasid_attach = sim_pasid_attach,
	.pasid_detach = sim_pasid_detach,
	.capability_get = sim_capability_get,
	.cache_invalidate = sim_cache_invalidate,
	.page_response = sim_page_response,
	.queue_idle = sim_queue_idle,
	.advise = sim_advise,
};

/* ------------------------------------------------------------ probe/remove */

static int
sim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct sim_devargs args;
	struct rte_sva_dev *dev;
	struct sim_dev *sd;
	int node, ret;

	/* A secondary never builds a device of its own (sim_mp.c). */
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return sim_mp_probe_secondary(vdev);
	ret = sim_devargs_parse(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: probe failed: bad devargs", name);
		return ret;
	}
	ret = sw_iommu_guard_install();
	if (ret != 0)
		return ret;
	node = args.numa_node;
	/* Else the node of the first engine's CPU or lcore (a default CPU
	 * may be -1: none found). */
	if (node < 0 && args.nb_lcores == 0 && args.engine_cpu[0] >= 0 &&
	    numa_available() >= 0)
		node = numa_node_of_cpu(args.engine_cpu[0]);
	if (node < 0 && args.nb_lcores > 0)
		node = (int)rte_lcore_to_socket_id(args.engine_lcore[0]);
	if (node < 0)
		node = 0;

	dev = rte_sva_pmd_allocate(name, node, sizeof(*sd));
	if (dev == NULL)
		return -rte_errno;
	dev->device = &vdev->device;
	dev->dev_ops = &sim_ops;
	dev->backend = &sw_iommu_backend;
	sd = dev->dev_private;
	sd->sva = dev;
	sd->iommu.pagemap_fd = -1;
	sd->args = args;
	sd->nb_engines = args.nb_engines;
	for (unsigned int i = 0; i < sd->nb_engines; i++) {
		struct sim_engine *e = rte_zmalloc_socket("sva_sim_engine",
							   sizeof(*e),
							   RTE_CACHE_LINE_SIZE,
							   node);

		if (e != NULL)
			e->bounce = rte_malloc_socket("sva_sim_bounce",
						      2 * SIM_FOREIGN_CHUNK,
						      RTE_CACHE_LINE_SIZE, node);
		if (e == NULL || e->bounce == NULL) {
			rte_free(e);
			sim_close(dev);
			rte_sva_pmd_release(dev);
			return -ENOMEM;
		}
		e->dev = sd;
		e->id = i;
		e->cpu = args.nb_lcores > 0 ? -1 : args.engine_cpu[i];
		e->lcore = args.nb_lcores > 0 ? args.engine_lcore[i] : -1;
		sd->engines[i] = e;
	}
	sim_xlat_init(sd);
	if (args.pri) {
		ret = rte_sva_pmd_fault_queue_create(dev, args.fq_size);
		if (ret != 0) {
			sim_close(dev);
			rte_sva_pmd_release(dev);
			return ret;
		}
	}
	sim_fastpath_install(dev->fp_obj);
	rte_sva_pmd_probing_finish(dev);
	sim_mp_serve_secondaries();
	SIM_LOG(INFO, "%s: dev_id %d, %u engine(s) (first on %s %d), node %d",
		name, dev->dev_id, sd->nb_engines,
		args.nb_lcores > 0 ? "lcore" : "cpu",
		args.nb_lcores > 0 ? args.engine_lcore[0] : args.engine_cpu[0],
		node);
	return 0;
}

static int
sim_remove(struct rte_vdev_device *vdev)
{
	struct rte_sva_dev *dev =
		rte_sva_pmd_get_dev_by_name(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;  /* closed through rte_sva_close() already */
	return rte_sva_pmd_release(dev);
}

static struct rte_vdev_driver sim_vdev_driver = {
	.probe = sim_probe,
	.remove = sim_remove,
};

RTE_PMD_REGISTER_VDEV(SIM_DRIVER_NAME, sim_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(SIM_DRIVER_NAME,
	"queues=<1-64> wqs=<1-8> max_desc=<32-4096> max_xfer=<bytes> "
	"pasid_bits=<1-20> engines=<1-8> engine_cpu=<cpu> "
	"engine_lcore=<lcore> numa_node=<node> idle=<spin|yield> "
	"overlap=<0|1> atc=<0|1> pri=<0|1> fq_size=<16-65536> "
	"prq_timeout_ms=<ms> prq_all_misses=<0|1>");
