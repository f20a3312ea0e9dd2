/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Devargs of the sim device (doc/guides/sim.rst), in the style every driver
 * of this tree follows, through the frame of sva_devargs.h: rte_kvargs
 * parses against a static key list (an unknown key fails), each key has
 * its own handler run through rte_kvargs_process(), and values go through
 * the same helpers, so a number means the same in every driver. Each refusal is one log line naming the
 * device, the key and the reason; the probe then fails with -EINVAL.
 */

#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <rte_kvargs.h>
#include <rte_lcore.h>

#include "sim_private.h"
#include "sva_devargs.h"

/* Index of each key in sim_keys[] and sim_key_handlers[]. */
enum sim_key {
	SIM_KEY_QUEUES,
	SIM_KEY_WQS,
	SIM_KEY_MAX_DESC,
	SIM_KEY_MAX_XFER,
	SIM_KEY_PASID_BITS,
	SIM_KEY_ENGINES,
	SIM_KEY_ENGINE_CPU,
	SIM_KEY_ENGINE_LCORE,
	SIM_KEY_NUMA_NODE,
	SIM_KEY_IDLE,
	SIM_KEY_OVERLAP,
	SIM_KEY_ATC,
	SIM_KEY_PRI,
	SIM_KEY_FQ_SIZE,
	SIM_KEY_PRQ_TIMEOUT,
	SIM_KEY_PRQ_ALL,
	SIM_KEY_COUNT
};

/* The key list rte_kvargs_parse() checks against (NULL-terminated). */
static const char *const sim_keys[SIM_KEY_COUNT + 1] = {
	[SIM_KEY_QUEUES] = "queues",
	[SIM_KEY_WQS] = "wqs",
	[SIM_KEY_MAX_DESC] = "max_desc",
	[SIM_KEY_MAX_XFER] = "max_xfer",
	[SIM_KEY_PASID_BITS] = "pasid_bits",
	[SIM_KEY_ENGINES] = "engines",
	[SIM_KEY_ENGINE_CPU] = "engine_cpu",
	[SIM_KEY_ENGINE_LCORE] = "engine_lcore",
	[SIM_KEY_NUMA_NODE] = "numa_node",
	[SIM_KEY_IDLE] = "idle",
	[SIM_KEY_OVERLAP] = "overlap",
	[SIM_KEY_ATC] = "atc",
	[SIM_KEY_PRI] = "pri",
	[SIM_KEY_FQ_SIZE] = "fq_size",
	[SIM_KEY_PRQ_TIMEOUT] = "prq_timeout_ms",
	[SIM_KEY_PRQ_ALL] = "prq_all_misses",
	[SIM_KEY_COUNT] = NULL,
};

/* Keys that may be given once per engine; every other key at most once. */
static const char *const sim_repeatable_keys[] = {
	"engine_cpu", "engine_lcore", NULL
};

/* What a handler gets: the devargs being filled and the device's name for
 * its messages. */
struct sim_arg_ctx {
	struct sim_devargs *a;
	const char *dev;
};

/* val as a decimal number in min..max (sva_devargs.h), or a log line. */
static int
sim_arg_uint(const struct sim_arg_ctx *ctx, const char *key, const char *val,
	     uint64_t min, uint64_t max, uint64_t *out)
{
	const char *why;

	if (sva_devarg_uint(val, min, max, out, &why) != 0) {
		SIM_LOG(ERR, "%s: devarg %s=%s: %s; want a decimal number in %" PRIu64
			"..%" PRIu64, ctx->dev, key, val != NULL ? val : "", why,
			min, max);
		return -EINVAL;
	}
	return 0;
}

/* A power of two in min..max. */
static int
sim_arg_pow2(const struct sim_arg_ctx *ctx, const char *key, const char *val,
	     uint64_t min, uint64_t max, uint64_t *out)
{
	int ret = sim_arg_uint(ctx, key, val, min, max, out);

	if (ret == 0 && !rte_is_power_of_2((uint32_t)*out)) {
		SIM_LOG(ERR, "%s: devarg %s=%s: not a power of two", ctx->dev,
			key, val);
		return -EINVAL;
	}
	return ret;
}

/* 0 or 1. */
static int
sim_arg_bool(const struct sim_arg_ctx *ctx, const char *key, const char *val,
	     bool *out)
{
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 0, 1, &v);

	if (ret == 0)
		*out = v != 0;
	return ret;
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

/* ------------------------------------------------------- one per key */

static int
sim_arg_queues(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 1, SIM_MAX_QUEUES, &v);

	ctx->a->max_queues = (uint16_t)v;
	return ret;
}

static int
sim_arg_wqs(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 1, SIM_MAX_WQS, &v);

	ctx->a->max_wqs = (uint16_t)v;
	return ret;
}

static int
sim_arg_max_desc(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_pow2(ctx, key, val, SIM_MIN_DESC, SIM_MAX_DESC, &v);

	ctx->a->max_desc = (uint16_t)v;
	return ret;
}

/* Bytes: decimal, with an optional K, M or G (sva_devarg_size()). */
static int
sim_arg_max_xfer(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	const uint64_t min = SIM_PAGE_SIZE, max = 1u << 30;
	const char *why;
	uint64_t v;

	if (sva_devarg_size(val, min, max, &v, &why) != 0) {
		SIM_LOG(ERR, "%s: devarg %s=%s: %s; want a size in %" PRIu64 "..%" PRIu64
			" bytes: decimal digits, then at most one of K, M or G (1024-based)",
			ctx->dev, key, val != NULL ? val : "", why, min, max);
		return -EINVAL;
	}
	ctx->a->max_xfer = (uint32_t)v;
	return 0;
}

static int
sim_arg_pasid_bits(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 1, RTE_SVA_PASID_BITS_MAX, &v);

	ctx->a->pasid_bits = (uint8_t)v;
	return ret;
}

static int
sim_arg_engines(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 1, SIM_MAX_ENGINES, &v);

	ctx->a->nb_engines = (uint8_t)v;
	return ret;
}

/* Checked here, not at start: pthread_create() would refuse the affinity
 * only then, long after the probe said yes. */
static int
sim_arg_engine_cpu(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	struct sim_devargs *a = ctx->a;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 0, CPU_SETSIZE - 1, &v);

	if (ret != 0)
		return ret;
	if (!sim_cpu_allowed((int)v)) {
		char cpus[128];

		sim_cpus_str(cpus, sizeof(cpus));
		SIM_LOG(ERR, "%s: devarg %s=%s: CPU %d is not one this process may run on (%s)",
			ctx->dev, key, val, (int)v, cpus);
		return -EINVAL;
	}
	if (a->nb_cpus >= SIM_MAX_ENGINES) {
		SIM_LOG(ERR, "%s: devarg %s given more than %d times", ctx->dev,
			key, SIM_MAX_ENGINES);
		return -EINVAL;
	}
	a->engine_cpu[a->nb_cpus++] = (int)v;
	return 0;
}

static int
sim_arg_engine_lcore(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	struct sim_devargs *a = ctx->a;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 0, RTE_MAX_LCORE - 1, &v);

	if (ret != 0)
		return ret;
	if (!rte_lcore_is_enabled((unsigned int)v) || v == rte_get_main_lcore()) {
		SIM_LOG(ERR, "%s: devarg %s=%s: not an enabled worker lcore",
			ctx->dev, key, val);
		return -EINVAL;
	}
	if (a->nb_lcores >= SIM_MAX_ENGINES) {
		SIM_LOG(ERR, "%s: devarg %s given more than %d times", ctx->dev,
			key, SIM_MAX_ENGINES);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < a->nb_lcores; i++)
		if (a->engine_lcore[i] == (int)v) {
			SIM_LOG(ERR, "%s: devarg %s=%s given twice: one engine per lcore",
				ctx->dev, key, val);
			return -EINVAL;
		}
	a->engine_lcore[a->nb_lcores++] = (int)v;
	return 0;
}

static int
sim_arg_numa_node(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	int max_node = numa_available() >= 0 ? numa_max_node() : 0;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 0, (uint64_t)max_node, &v);

	ctx->a->numa_node = (int)v;
	return ret;
}

static int
sim_arg_idle(const char *key, const char *val, void *opaque)
{
	static const char *const modes[] = { "spin", "yield", NULL };
	struct sim_arg_ctx *ctx = opaque;
	const char *why;
	unsigned int m;

	if (sva_devarg_choice(val, modes, &m, &why) != 0) {
		SIM_LOG(ERR, "%s: devarg %s=%s: %s; want spin or yield", ctx->dev,
			key, val != NULL ? val : "", why);
		return -EINVAL;
	}
	ctx->a->idle_yield = m == 1;
	return 0;
}

static int
sim_arg_overlap(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;

	return sim_arg_bool(ctx, key, val, &ctx->a->overlap);
}

static int
sim_arg_atc(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;

	return sim_arg_bool(ctx, key, val, &ctx->a->atc);
}

static int
sim_arg_pri(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;

	return sim_arg_bool(ctx, key, val, &ctx->a->pri);
}

static int
sim_arg_fq_size(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_pow2(ctx, key, val, 16, 65536, &v);

	ctx->a->fq_size = (uint32_t)v;
	return ret;
}

static int
sim_arg_prq_timeout(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;
	uint64_t v;
	int ret = sim_arg_uint(ctx, key, val, 1, 600000, &v);

	ctx->a->prq_timeout_ms = (uint32_t)v;
	return ret;
}

static int
sim_arg_prq_all(const char *key, const char *val, void *opaque)
{
	struct sim_arg_ctx *ctx = opaque;

	return sim_arg_bool(ctx, key, val, &ctx->a->prq_all_misses);
}

static const arg_handler_t sim_key_handlers[SIM_KEY_COUNT] = {
	[SIM_KEY_QUEUES] = sim_arg_queues,
	[SIM_KEY_WQS] = sim_arg_wqs,
	[SIM_KEY_MAX_DESC] = sim_arg_max_desc,
	[SIM_KEY_MAX_XFER] = sim_arg_max_xfer,
	[SIM_KEY_PASID_BITS] = sim_arg_pasid_bits,
	[SIM_KEY_ENGINES] = sim_arg_engines,
	[SIM_KEY_ENGINE_CPU] = sim_arg_engine_cpu,
	[SIM_KEY_ENGINE_LCORE] = sim_arg_engine_lcore,
	[SIM_KEY_NUMA_NODE] = sim_arg_numa_node,
	[SIM_KEY_IDLE] = sim_arg_idle,
	[SIM_KEY_OVERLAP] = sim_arg_overlap,
	[SIM_KEY_ATC] = sim_arg_atc,
	[SIM_KEY_PRI] = sim_arg_pri,
	[SIM_KEY_FQ_SIZE] = sim_arg_fq_size,
	[SIM_KEY_PRQ_TIMEOUT] = sim_arg_prq_timeout,
	[SIM_KEY_PRQ_ALL] = sim_arg_prq_all,
};

/* --------------------------------------------------------------- parse */

/* The CPUs the EAL threads run on: every lcore's (main, workers, service
 * cores), as EAL pinned them. */
static void
sim_lcore_cpus(rte_cpuset_t *used)
{
	CPU_ZERO(used);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		enum rte_lcore_role_t role = rte_eal_lcore_role(l);
		rte_cpuset_t s;

		if (role != ROLE_RTE && role != ROLE_SERVICE)
			continue;
		s = rte_lcore_cpuset(l);
		CPU_OR(used, used, &s);
	}
}

/* The first lcore (main, worker or service) that runs on cpu, or -1. */
static int
sim_lcore_on(int cpu)
{
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		enum rte_lcore_role_t role = rte_eal_lcore_role(l);
		rte_cpuset_t s;

		if (role != ROLE_RTE && role != ROLE_SERVICE)
			continue;
		s = rte_lcore_cpuset(l);
		if (CPU_ISSET(cpu, &s))
			return (int)l;
	}
	return -1;
}

/* The end of the warning when an engine must share a CPU. */
#define SIM_NO_FREE_CPU "no CPU this process may run on is free of EAL lcores; " \
	"give engine_cpu=<cpu> (or engine_lcore=<lcore>), or start EAL on fewer lcores"

/*
 * Default CPU of engine nth: the CPUs this process may run on (libnuma read
 * them before EAL pinned the main thread) that no EAL lcore uses, highest
 * first, so the engine does not halve a worker's time; past those, as
 * before, the other CPUs the main lcore does not use (shared with a worker
 * or service lcore), then none (-1: unpinned). Sharing is logged as a
 * WARNING with the way out, since it is a silent halving otherwise.
 */
static int
sim_default_cpu(const char *name, unsigned int nth)
{
	rte_cpuset_t used, main_set = rte_lcore_cpuset(rte_get_main_lcore());
	int n = (int)RTE_MIN(sysconf(_SC_NPROCESSORS_ONLN), (long)CPU_SETSIZE);
	unsigned int found = 0;
	int cpu = -1;

	sim_lcore_cpus(&used);
	for (int c = n - 1; c >= 0; c--)
		if (sim_cpu_allowed(c) && !CPU_ISSET(c, &used) && found++ == nth)
			return c;
	for (int c = n - 1; c >= 0 && cpu < 0; c--)
		if (sim_cpu_allowed(c) && CPU_ISSET(c, &used) &&
		    !CPU_ISSET(c, &main_set) && found++ == nth)
			cpu = c;
	if (cpu >= 0)
		SIM_LOG(WARNING, "%s: engine %u shares CPU %d with lcore %d: "
			SIM_NO_FREE_CPU, name, nth, cpu, sim_lcore_on(cpu));
	else
		SIM_LOG(WARNING, "%s: engine %u is not pinned and shares CPUs with lcore %u: "
			SIM_NO_FREE_CPU, name, nth, rte_get_main_lcore());
	return cpu;
}

int
sim_devargs_parse(const char *name, const char *args, struct sim_devargs *a)
{
	struct sim_arg_ctx ctx = { .a = a, .dev = name };
	struct rte_kvargs *kv;
	int ret;

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
	ret = sva_devargs_parse(sim_logtype, name, args, sim_keys,
				sim_repeatable_keys, &kv);
	if (ret != 0)
		return ret;
	ret = sva_devargs_process(kv, sim_keys, sim_key_handlers, &ctx);
	rte_kvargs_free(kv);
	if (ret != 0)
		return ret;
	if (a->nb_cpus > 0 && a->nb_lcores > 0) {
		SIM_LOG(ERR, "%s: devargs engine_cpu and engine_lcore: give one or the other",
			name);
		return -EINVAL;
	}
	if (a->nb_engines == 0)
		a->nb_engines = RTE_MAX(RTE_MAX(a->nb_cpus, a->nb_lcores), 1);
	if ((a->nb_cpus > 0 && a->nb_cpus != a->nb_engines) ||
	    (a->nb_lcores > 0 && a->nb_lcores != a->nb_engines)) {
		SIM_LOG(ERR, "%s: devarg engines=%u: but %u engine_cpu / %u engine_lcore given",
			name, a->nb_engines, a->nb_cpus, a->nb_lcores);
		return -EINVAL;
	}
	if (a->nb_cpus == 0 && a->nb_lcores == 0) {
		for (unsigned int i = 0; i < a->nb_engines; i++)
			a->engine_cpu[i] = sim_default_cpu(name, i);
	}
	return 0;
}
