/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The sim device as a DPDK vdev driver: devargs, control ops, probe/remove. */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <numa.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bus_vdev_driver.h>
#include <rte_errno.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "sim_private.h"
#include "sva_devargs.h"

RTE_LOG_REGISTER(sim_logtype, pmd.sva.sim, INFO);

#define SIM_ARG_QUEUES       "queues"
#define SIM_ARG_WQS          "wqs"
#define SIM_ARG_MAX_DESC     "max_desc"
#define SIM_ARG_MAX_XFER     "max_xfer"
#define SIM_ARG_PASID_BITS   "pasid_bits"
#define SIM_ARG_ENGINES      "engines"
#define SIM_ARG_ENGINE_CPU   "engine_cpu"
#define SIM_ARG_ENGINE_LCORE "engine_lcore"
#define SIM_ARG_NUMA_NODE    "numa_node"
#define SIM_ARG_IDLE         "idle"
#define SIM_ARG_OVERLAP      "overlap"
#define SIM_ARG_ATC          "atc"
#define SIM_ARG_PRI          "pri"
#define SIM_ARG_FQ_SIZE      "fq_size"
#define SIM_ARG_PRQ_TIMEOUT  "prq_timeout_ms"
#define SIM_ARG_PRQ_ALL      "prq_all_misses"

static const char *const sim_valid_args[] = {
	SIM_ARG_QUEUES, SIM_ARG_WQS, SIM_ARG_MAX_DESC, SIM_ARG_MAX_XFER,
	SIM_ARG_PASID_BITS, SIM_ARG_ENGINES, SIM_ARG_ENGINE_CPU,
	SIM_ARG_ENGINE_LCORE, SIM_ARG_NUMA_NODE, SIM_ARG_IDLE, SIM_ARG_OVERLAP,
	SIM_ARG_ATC, SIM_ARG_PRI, SIM_ARG_FQ_SIZE, SIM_ARG_PRQ_TIMEOUT,
	SIM_ARG_PRQ_ALL, NULL
};

/* Keys that may be given once per engine; every other key at most once. */
static const char *const sim_repeatable_args[] = {
	SIM_ARG_ENGINE_CPU, SIM_ARG_ENGINE_LCORE, NULL
};

/* ---------------------------------------------------------------- devargs */

struct sim_arg_ctx {
	struct sim_devargs *a;
	const char *dev;
};

static int
sim_parse_uint(const char *key, const char *val, uint64_t min, uint64_t max,
	       uint64_t *out)
{
	const char *why;

	if (sva_devarg_uint(val, min, max, out, &why) != 0) {
		SIM_LOG(ERR, "devarg %s=%s: %s; want a decimal number in %" PRIu64
			"..%" PRIu64, key, val != NULL ? val : "", why, min, max);
		return -EINVAL;
	}
	return 0;
}

/* The CPUs this process may run on: those it was started with (libnuma
 * read them before EAL pinned the main thread), else every online one. */
static bool
sim_cpu_allowed(int cpu)
{
	if (numa_all_cpus_ptr != NULL)
		return numa_bitmask_isbitset(numa_all_cpus_ptr, (unsigned int)cpu);
	return cpu < sysconf(_SC_NPROCESSORS_ONLN);
}

/* Those CPUs as a list ("0-3,8"), for a message. */
static void
sim_cpus_str(char *buf, size_t len)
{
	int n = RTE_MIN((int)sysconf(_SC_NPROCESSORS_CONF), CPU_SETSIZE);
	size_t off = 0;

	buf[0] = '\0';
	for (int c = 0; c < n && off < len; c++) {
		int e = c;

		if (!sim_cpu_allowed(c))
			continue;
		while (e + 1 < n && sim_cpu_allowed(e + 1))
			e++;
		if (e > c)
			off += snprintf(buf + off, len - off, "%s%d-%d",
					off > 0 ? "," : "", c, e);
		else
			off += snprintf(buf + off, len - off, "%s%d",
					off > 0 ? "," : "", c);
		c = e;
	}
}

static int
sim_arg_handler(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	struct sim_devargs *a = ctx->a;
	uint64_t v;
	int ret;

	if (strcmp(key, SIM_ARG_IDLE) == 0) {
		if (val != NULL && strcmp(val, "spin") == 0)
			a->idle_yield = false;
		else if (val != NULL && strcmp(val, "yield") == 0)
			a->idle_yield = true;
		else {
			SIM_LOG(ERR, "devarg idle=%s: use spin or yield",
				val ? val : "");
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, SIM_ARG_QUEUES) == 0) {
		ret = sim_parse_uint(key, val, 1, SIM_MAX_QUEUES, &v);
		a->max_queues = (uint16_t)v;
	} else if (strcmp(key, SIM_ARG_WQS) == 0) {
		ret = sim_parse_uint(key, val, 1, SIM_MAX_WQS, &v);
		a->max_wqs = (uint16_t)v;
	} else if (strcmp(key, SIM_ARG_MAX_DESC) == 0) {
		ret = sim_parse_uint(key, val, SIM_MIN_DESC, SIM_MAX_DESC, &v);
		if (ret == 0 && !rte_is_power_of_2((uint32_t)v)) {
			SIM_LOG(ERR, "devarg max_desc=%s: not a power of two", val);
			ret = -EINVAL;
		}
		a->max_desc = (uint16_t)v;
	} else if (strcmp(key, SIM_ARG_MAX_XFER) == 0) {
		ret = sim_parse_uint(key, val, SIM_PAGE_SIZE, 1u << 30, &v);
		a->max_xfer = (uint32_t)v;
	} else if (strcmp(key, SIM_ARG_PASID_BITS) == 0) {
		ret = sim_parse_uint(key, val, 1, RTE_SVA_PASID_BITS_MAX, &v);
		a->pasid_bits = (uint8_t)v;
	} else if (strcmp(key, SIM_ARG_ENGINES) == 0) {
		ret = sim_parse_uint(key, val, 1, SIM_MAX_ENGINES, &v);
		a->nb_engines = (uint8_t)v;
	} else if (strcmp(key, SIM_ARG_ENGINE_CPU) == 0) {
		ret = sim_parse_uint(key, val, 0, CPU_SETSIZE - 1, &v);
		/* Else the probe passes and the start fails (pthread_create
		 * refuses the affinity). */
		if (ret == 0 && !sim_cpu_allowed((int)v)) {
			char cpus[128];

			sim_cpus_str(cpus, sizeof(cpus));
			SIM_LOG(ERR, "devarg engine_cpu=%s: CPU %d is not one this "
				"process may run on (%s)", val, (int)v, cpus);
			ret = -EINVAL;
		}
		if (ret == 0 && a->nb_cpus >= SIM_MAX_ENGINES) {
			SIM_LOG(ERR, "devarg engine_cpu given more than %d times",
				SIM_MAX_ENGINES);
			ret = -EINVAL;
		}
		if (ret == 0)
			a->engine_cpu[a->nb_cpus++] = (int)v;
	} else if (strcmp(key, SIM_ARG_ENGINE_LCORE) == 0) {
		ret = sim_parse_uint(key, val, 0, RTE_MAX_LCORE - 1, &v);
		if (ret == 0 && (!rte_lcore_is_enabled((unsigned int)v) ||
				 v == rte_get_main_lcore())) {
			SIM_LOG(ERR, "devarg engine_lcore=%s: not an enabled worker lcore",
				val);
			ret = -EINVAL;
		}
		if (ret == 0 && a->nb_lcores >= SIM_MAX_ENGINES) {
			SIM_LOG(ERR, "devarg engine_lcore given more than %d times",
				SIM_MAX_ENGINES);
			ret = -EINVAL;
		}
		if (ret == 0)
			a->engine_lcore[a->nb_lcores++] = (int)v;
	} else if (strcmp(key, SIM_ARG_NUMA_NODE) == 0) {
		int max_node = numa_available() >= 0 ? numa_max_node() : 0;

		ret = sim_parse_uint(key, val, 0, (uint64_t)max_node, &v);
		a->numa_node = (int)v;
	} else if (strcmp(key, SIM_ARG_OVERLAP) == 0) {
		ret = sim_parse_uint(key, val, 0, 1, &v);
		a->overlap = v != 0;
	} else if (strcmp(key, SIM_ARG_ATC) == 0) {
		ret = sim_parse_uint(key, val, 0, 1, &v);
		a->atc = v != 0;
	} else if (strcmp(key, SIM_ARG_PRI) == 0) {
		ret = sim_parse_uint(key, val, 0, 1, &v);
		a->pri = v != 0;
	} else if (strcmp(key, SIM_ARG_FQ_SIZE) == 0) {
		ret = sim_parse_uint(key, val, 16, 65536, &v);
		if (ret == 0 && !rte_is_power_of_2((uint32_t)v)) {
			SIM_LOG(ERR, "devarg fq_size=%s: not a power of two", val);
			ret = -EINVAL;
		}
		a->fq_size = (uint32_t)v;
	} else if (strcmp(key, SIM_ARG_PRQ_ALL) == 0) {
		ret = sim_parse_uint(key, val, 0, 1, &v);
		a->prq_all_misses = v != 0;
	} else if (strcmp(key, SIM_ARG_PRQ_TIMEOUT) == 0) {
		ret = sim_parse_uint(key, val, 1, 600000, &v);
		a->prq_timeout_ms = (uint32_t)v;
	} else {
		SIM_LOG(ERR, "%s: unknown devarg %s", ctx->dev, key);
		ret = -EINVAL;
	}
	return ret;
}

/* Default engine CPU: one of the CPUs this process was started on (libnuma
 * read them before EAL pinned the main thread) that is not the main lcore's,
 * counting down, so the engine gets the "second core". */
static int
sim_default_cpu(unsigned int nth)
{
	rte_cpuset_t main_set = rte_lcore_cpuset(rte_get_main_lcore());
	unsigned int found = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	for (int c = (int)RTE_MIN(ncpu, (long)CPU_SETSIZE) - 1; c >= 0; c--) {
		if (numa_available() >= 0 && !numa_bitmask_isbitset(numa_all_cpus_ptr, c))
			continue;
		if (CPU_ISSET(c, &main_set))
			continue;
		if (found++ == nth)
			return c;
	}
	return -1;
}

static int
sim_parse_devargs(const char *name, const char *args, struct sim_devargs *a)
{
	struct sim_arg_ctx ctx = { .a = a, .dev = name };
	struct rte_kvargs *kv;
	const char *dup;
	int ret = 0;

	*a = (struct sim_devargs){
		.max_queues = 8,
		.max_wqs = 4,
		.max_desc = SIM_MAX_DESC,
		.max_xfer = 16u << 20,
		.pasid_bits = RTE_SVA_PASID_BITS_MAX,
		.nb_engines = 0,
		.numa_node = -1,
		.idle_yield = true,
		.overlap = true,
		.atc = true,
		.fq_size = 1024,
		.prq_timeout_ms = 1000,
	};
	if (args != NULL && *args != '\0') {
		kv = rte_kvargs_parse(args, NULL);
		if (kv == NULL) {
			SIM_LOG(ERR, "%s: cannot parse devargs \"%s\" (want key=value,...)",
				name, args);
			return -EINVAL;
		}
		for (unsigned int i = 0; i < kv->count; i++) {
			bool known = false;

			for (unsigned int k = 0; sim_valid_args[k] != NULL; k++)
				known |= strcmp(kv->pairs[i].key, sim_valid_args[k]) == 0;
			if (!known) {
				SIM_LOG(ERR, "%s: unknown devarg \"%s\"; valid: queues, wqs, max_desc, max_xfer, pasid_bits, engines, engine_cpu, engine_lcore, numa_node, idle, overlap, atc, pri, fq_size, prq_timeout_ms, prq_all_misses",
					name, kv->pairs[i].key);
				rte_kvargs_free(kv);
				return -EINVAL;
			}
		}
		dup = sva_devargs_repeated(kv, sim_repeatable_args);
		if (dup != NULL) {
			SIM_LOG(ERR, "%s: devarg %s given more than once (only engine_cpu and engine_lcore repeat, one per engine)",
				name, dup);
			rte_kvargs_free(kv);
			return -EINVAL;
		}
		ret = rte_kvargs_process(kv, NULL, sim_arg_handler, &ctx);
		rte_kvargs_free(kv);
		if (ret != 0)
			return -EINVAL;
	}
	if (a->nb_cpus > 0 && a->nb_lcores > 0) {
		SIM_LOG(ERR, "%s: give engine_cpu or engine_lcore, not both", name);
		return -EINVAL;
	}
	if (a->nb_engines == 0)
		a->nb_engines = RTE_MAX(RTE_MAX(a->nb_cpus, a->nb_lcores), 1);
	if ((a->nb_cpus > 0 && a->nb_cpus != a->nb_engines) ||
	    (a->nb_lcores > 0 && a->nb_lcores != a->nb_engines)) {
		SIM_LOG(ERR, "%s: engines=%u but %u engine_cpu / %u engine_lcore given",
			name, a->nb_engines, a->nb_cpus, a->nb_lcores);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < a->nb_lcores; i++)
		for (unsigned int j = 0; j < i; j++)
			if (a->engine_lcore[i] == a->engine_lcore[j]) {
				SIM_LOG(ERR, "%s: engine_lcore %d given twice",
					name, a->engine_lcore[i]);
				return -EINVAL;
			}
	if (a->nb_cpus == 0 && a->nb_lcores == 0) {
		for (unsigned int i = 0; i < a->nb_engines; i++)
			a->engine_cpu[i] = sim_default_cpu(i);
	}
	return 0;
}

/* ------------------------------------------------------------ control ops */

static int
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
static void
sim_queue_free_new(struct sim_queue *q)
{
	dsa_ring_free(&q->r);
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
	struct sim_queue *q;
	struct sim_wq *wq = NULL;

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
	if (q->ends == NULL || dsa_ring_alloc(&q->r, qid, conf->nb_desc,
					      sd->args.max_xfer, node) != 0) {
		sim_queue_free_new(q);
		return -ENOMEM;
	}
	q->dev = sd;
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
	q->r.set_up = true;
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

	sd->fp_nb_queues = 0;
	for (uint16_t q = 0; q < SIM_MAX_QUEUES; q++)
		sim_queue_free(sd, q);
	sd->nb_queues = 0;
	sim_iommu_release(sd);
	sim_free_engines(sd);
	return 0;
}

static int
sim_stats_get(const struct rte_sva_dev *dev, uint16_t qid,
	      struct rte_sva_stats *stats)
{
	const struct sim_dev *sd = dev->dev_private;

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
		}
	}
	return 0;
}

static int
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
		}
	}
	return 0;
}

/* Any thread, while the engines and producers run. Printed: the state the
 * device shares (doorbell, work-queue indices, engine head) and the
 * counters, each read as an atomic snapshot. Not printed: the producer's
 * own ring indices (write, submit, read), which only its thread may read. */
static int
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
			" misses %" PRIu64 "\n", i, e->cpu, e->lcore,
			rte_sva_counter_read(&e->executed), rte_sva_counter_read(&e->faults),
			rte_sva_counter_read(&e->sw_errors), rte_sva_counter_read(&e->atc_hits),
			rte_sva_counter_read(&e->atc_misses));
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
	return sim_iommu_invalidate(dev->dev_private, inv);
}

static int
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
	 * are the producer's: race-free only once it stores them atomically
	 * (sim_fastpath.c). */
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

	ret = sim_parse_devargs(name, rte_vdev_device_args(vdev), &args);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: probe failed: bad devargs", name);
		return ret;
	}
	ret = rte_sva_guard_install();
	if (ret != 0)
		return ret;
	node = args.numa_node;
	if (node < 0 && args.nb_cpus + args.nb_lcores == 0 &&
	    args.engine_cpu[0] >= 0 && numa_available() >= 0)
		node = numa_node_of_cpu(args.engine_cpu[0]);
	if (node < 0 && args.nb_cpus > 0 && numa_available() >= 0)
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
	sim_iommu_init(sd);
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
