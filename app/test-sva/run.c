/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * dpdk-test-sva: the run of each mode over one set of cases (main.c makes
 * the sets from the command line and case files): the process's binding,
 * the CSV headers, one case's buffers, and the throughput, latency,
 * scaling, bind-churn and fault runners.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_dmadev.h>
#include <rte_lcore.h>

#include <rte_sva.h>
#include <rte_sva_bond.h>

#include "bench_priv.h"  /* cpu_crc32c_impl */
#include "run.h"
#include "test_sva.h"

/* ----------------------------------------------------------- binding */

/* The process's PASID on the bound container (test_sva.h). */
uint32_t bench_pasid;

/*
 * The process is bound on one container at a time, holding the devices the
 * current mode uses: the SVA device (throughput, latency, fault) or every
 * device (scaling: one container, one bind, the PASID valid on all). A
 * device is in one container at most, so bind-churn, which makes its own,
 * runs with none. Devices already in a container -- a dma_sva adapter over
 * the measured device put it in one at probe -- are bound in that one (a
 * reference on the adapter's bond: the same PASID), which is left as it was.
 */
static struct {
	int cid;
	bool own;                  /* made here: destroyed by unbind_all() */
	int16_t devs[RTE_SVA_MAX_DEVS];
	uint16_t nd;
} bound = { .cid = -1 };

void
unbind_all(void)
{
	if (bound.cid >= 0 && bound.own)
		rte_sva_container_destroy(bound.cid);
	else if (bound.cid >= 0)
		rte_sva_unbind(bound.cid, 0);
	bound.cid = -1;
	bound.nd = 0;
}

/* "container N", or "no container" for a device in none (cid < 0). */
static void
container_str(int cid, char *buf, size_t len)
{
	if (cid >= 0)
		snprintf(buf, len, "container %d", cid);
	else
		snprintf(buf, len, "no container");
}

/* The container every one of devs is in, -ENOENT when none is in one, or
 * -EEXIST (said why) when only some are, or in different ones. */
static int
devs_container(const int16_t *devs, uint16_t nd)
{
	struct rte_sva_info a, b;
	int cid = rte_sva_dev_container(devs[0]);
	char in_a[32], in_b[32];

	for (uint16_t i = 1; i < nd; i++) {
		int c = rte_sva_dev_container(devs[i]);

		if (c == cid)
			continue;
		rte_sva_info_get(devs[0], &a);
		rte_sva_info_get(devs[i], &b);
		container_str(cid, in_a, sizeof(in_a));
		container_str(c, in_b, sizeof(in_b));
		printf("%s is in %s, %s in %s: one bind cannot serve both "
		       "(a dma_sva adapter puts its SVA device in a container)\n",
		       a.dev_name, in_a, b.dev_name, in_b);
		return -EEXIST;
	}
	return cid;
}

static int
bind_devs(const int16_t *devs, uint16_t nd)
{
	uint16_t i;
	int cid, ret;

	if (bound.cid >= 0 && bound.nd == nd &&
	    memcmp(bound.devs, devs, nd * sizeof(*devs)) == 0)
		return 0;
	unbind_all();
	cid = devs_container(devs, nd);
	if (cid >= 0) {
		ret = rte_sva_bind(cid, 0, &bench_pasid);
		if (ret != 0)
			return ret;
		bound.cid = cid;
		bound.own = false;
		memcpy(bound.devs, devs, nd * sizeof(*devs));
		bound.nd = nd;
		return 0;
	}
	if (cid != -ENOENT)
		return cid;
	bound.cid = rte_sva_container_create();
	if (bound.cid < 0)
		return bound.cid;
	bound.own = true;
	for (i = 0; i < nd; i++) {
		ret = rte_sva_container_add_dev(bound.cid, devs[i]);
		if (ret != 0)
			goto fail;
	}
	ret = rte_sva_bind(bound.cid, 0, &bench_pasid);
	if (ret != 0)
		goto fail;
	memcpy(bound.devs, devs, nd * sizeof(*devs));
	bound.nd = nd;
	return 0;
fail:
	rte_sva_container_destroy(bound.cid);
	bound.cid = -1;
	return ret;
}

/* ----------------------------------------------------------- the run */


static void
csv_header(struct run_ctx *x, enum bench_mode m)
{
	if (x->csv == NULL || x->csv_kind == (int)m)
		return;
	x->csv_kind = m;
	switch (m) {
	case MODE_THROUGHPUT:
		output_csv_header(x->csv);
		break;
	case MODE_LATENCY:
		output_lat_csv_header(x->csv);
		break;
	case MODE_SCALING:
		output_scale_csv_header(x->csv);
		break;
	case MODE_BIND_CHURN:
		fprintf(x->csv, "mode,devices,cycles_per_s,p50_us,p99_us,errors\n");
		break;
	default:
		fprintf(x->csv, "mode,case,ops,ops_per_s,prq_per_s,rt_p50_us,"
			"rt_p99_us,rt_p999_us,rt_max_us,verified,queues,poll_ns\n");
		break;
	}
}

static const char *
dma_name(int16_t dma_id)
{
	static struct rte_dma_info di;

	return dma_id >= 0 && rte_dma_info_get(dma_id, &di) == 0 ? di.dev_name : "none";
}

static int
bind_sva(struct run_ctx *x)
{
	if (bind_devs(&x->sva_id, 1) != 0) {
		printf("cannot bind this process to %s\n", x->o.sva_name);
		return EXIT_SETUP;
	}
	return EXIT_OK;
}

/* Scaling points of one case group: producers and devices. */
int
scale_producers(const struct case_spec *s, uint32_t *out)
{
	int n = 0;

	if (s->nproducers > 1) {
		/* ascending, without repeats: speedup is over the first */
		for (uint32_t p = 1; p <= RTE_SVA_MAX_QUEUES; p++)
			for (int i = 0; i < s->nproducers; i++)
				if (s->producers[i] == p) {
					out[n++] = p;
					break;
				}
		return n;
	}
	for (uint32_t p = 1; p <= s->producers[0] && n < MAX_LIST; p++)
		out[n++] = p;
	return n;
}

/* The measurement of one case on its buffers, the result printed:
 * EXIT_OK, EXIT_VERIFY or EXIT_SETUP. */
typedef int (*case_fn)(struct run_ctx *x, const struct bench_case *c,
		       struct bench_bufs *b, void *arg);

/*
 * One case of any mode: its label on the progress line, its buffers (none
 * and skipped, said why, when the size is above max_xfer, whose being "the
 * device's" or "a device's"), the mode's measurement, the buffers freed.
 */
static int
run_case(struct run_ctx *x, const struct bench_case *c, const char *label,
	 uint32_t max_xfer, const char *whose, case_fn fn, void *arg)
{
	struct bench_bufs b;
	int ret;

	progress_case(label);
	if (c->size > max_xfer) {
		progress_clear();
		printf("size %u above %s max transfer %u: skipped\n",
		       c->size, whose, max_xfer);
		return EXIT_OK;
	}
	ret = bench_bufs_alloc(&b, &x->o, c->size, c->op == OP_DUALCAST);
	if (ret != 0) {
		progress_clear();
		/* -ENOMEM, or what placing them on a node failed with (bufs.c
		 * printed why on the line before) */
		printf("cannot set up %u-byte %s buffers: %s%s\n", c->size,
		       bench_buf_names[x->o.buf_kind], strerror(-ret),
		       ret == -ENOMEM && x->o.buf_kind == BUF_RTE_MALLOC ?
		       " (EAL's memory: -m or --socket-mem)" : "");
		bench_bufs_free(&b);
		return EXIT_SETUP;
	}
	ret = fn(x, c, &b, arg);
	bench_bufs_free(&b);
	return ret;
}

/* Whether the rte_dma baseline is a dma_sva adapter over SVA device
 * sva_name (its vdev's devargs say dev=<sva_name>): then sva/dma is the
 * SVA API against the dmadev API on one device. */
static bool
dma_over_sva(int16_t dma_id, const char *sva_name)
{
	const char *name = dma_name(dma_id);
	size_t len = strlen(sva_name);
	struct rte_dev_iterator it;
	struct rte_device *dev;
	bool over = false;

	if (strncmp(name, "dma_sva", 7) != 0)
		return false;
	RTE_DEV_FOREACH(dev, "bus=vdev", &it) {
		const struct rte_devargs *da = rte_dev_devargs(dev);
		const char *a = da != NULL ? da->args : NULL;

		if (strcmp(rte_dev_name(dev), name) != 0 || a == NULL)
			continue;
		/* "dev=X" as a whole key=value of the comma-separated list */
		for (const char *p = a; p != NULL; p = strchr(p, ',')) {
			p += *p == ',';
			if (strncmp(p, "dev=", 4) == 0 &&
			    strncmp(p + 4, sva_name, len) == 0 &&
			    (p[4 + len] == ',' || p[4 + len] == '\0'))
				over = true;
		}
	}
	return over;
}

/* Throughput and latency: the SVA device against the CPU and rte_dma. */
static void
print_engines(const struct run_ctx *x)
{
	char cpu[32] = "none";

	if (!x->o.no_cpu)
		snprintf(cpu, sizeof(cpu), "on lcore %u", rte_lcore_id());
	printf("SVA device %s (PASID %u), CPU baseline %s, rte_dma baseline %s\n",
	       x->o.sva_name, bench_pasid, cpu, dma_name(x->dma_id));
	if (x->dma_id >= 0 && dma_over_sva(x->dma_id, x->o.sva_name))
		printf("rte_dma baseline %s is dma_sva over %s, the device measured: "
		       "sva/dma = rte_sva ops/s over rte_dma ops/s on one device "
		       "(ratio - 1: the dmadev API's extra time per operation)\n",
		       dma_name(x->dma_id), x->o.sva_name);
	if (!x->o.no_cpu)
		printf("CPU baselines: memcpy/memset/memcmp (libc), crc32c %s\n",
		       cpu_crc32c_impl());
	bench_bufs_describe(stdout, &x->o);
}

/* The progress line's engine: "sva", or "sva 2/5" in round 2 of 5. */
static void
progress_round(const char *engine, uint16_t k, uint16_t n)
{
	char sub[32];

	progress_sub(bench_round_label(sub, sizeof(sub), engine, k, n));
}

/* With --repeat, the line above a table of medians: what a round is and
 * what a range is. */
static void
print_rounds_header(const struct run_ctx *x, const char *round, const char *range)
{
	uint16_t n = bench_rounds(&x->o);

	if (n > 1)
		printf("medians of %u rounds per case (each round: %s, of %g s "
		       "each); [min-max]: %s\n", n, round, x->o.duration, range);
}

/*
 * Each round runs the SVA pass (verified), the CPU pass and the rte_dma
 * pass in turn on the same buffers, so that a slow phase of the host falls
 * on every engine of a round; the figures are the rounds' medians.
 */
static int
throughput_case(struct run_ctx *x, const struct bench_case *c,
		struct bench_bufs *b, void *arg __rte_unused)
{
	static struct bench_round rounds[BENCH_REPEAT_MAX];
	const uint16_t n = bench_rounds(&x->o);
	struct bench_result r = { .c = *c, .rounds = rounds, .nb_rounds = n,
				  .verified = true };

	for (uint16_t k = 0; k < n; k++) {
		struct bench_round *rd = &rounds[k];
		bool ok = false;

		memset(rd, 0, sizeof(*rd));
		progress_round("sva", k, n);
		if (bench_sva_run(&x->o, x->sva_id, c, b, &rd->sva, &ok) != 0)
			return EXIT_SETUP;
		r.verified &= ok;
		if (!x->o.no_cpu) {
			progress_round("cpu", k, n);
			bench_cpu_run(&x->o, c, b, &rd->cpu);
		}
		if (x->dma_id >= 0) {
			progress_round("dma", k, n);
			bench_dma_run(&x->o, x->dma_id, c, b, &rd->dma);
		}
	}
	bench_rounds_reduce(&r);
	progress_clear();
	if (!x->o.quiet)
		output_table_row(stdout, &r);
	if (x->csv)
		output_csv_row(x->csv, &r);
	if (x->json)
		output_json(x->json, &r);
	return r.verified ? EXIT_OK : EXIT_VERIFY;
}

int
run_throughput(struct run_ctx *x, const struct case_spec *s)
{
	int rc = EXIT_OK;

	if (bind_sva(x) != EXIT_OK)
		return EXIT_SETUP;
	csv_header(x, MODE_THROUGHPUT);
	if (!x->o.quiet) {
		progress_clear();
		print_engines(x);
		print_rounds_header(x, "the SVA, then the CPU, then the rte_dma pass",
				    "the rounds' own sva/cpu and sva/dma ratios, "
				    "of which the table's ratios are the medians");
		output_table_header(stdout, bench_rounds(&x->o));
	}
	for (int io = 0; io < s->nops; io++)
	for (int is = 0; is < s->nsizes; is++)
	for (int ib = 0; ib < s->nbatches; ib++)
	for (int id = 0; id < s->ndepths; id++)
	for (int ip = 0; ip < s->nproducers; ip++) {
		const struct bench_case c = {
			.op = s->ops[io], .size = s->sizes[is],
			.batch = s->batches[ib], .depth = s->depths[id],
			.producers = s->producers[ip],
		};
		char label[96];

		snprintf(label, sizeof(label), "throughput %s %u b%u d%u p%u",
			 bench_op_names[c.op], c.size, c.batch, c.depth,
			 c.producers);
		rc = RTE_MAX(rc, run_case(x, &c, label, x->info.max_xfer_size,
					  "the device's", throughput_case, NULL));
		if (rc == EXIT_SETUP)
			return rc;
	}
	return rc;
}

static int
latency_case(struct run_ctx *x, const struct bench_case *c,
	     struct bench_bufs *b, void *arg __rte_unused)
{
	struct lat_result r = { .c = *c };

	if (bench_sva_latency(&x->o, x->sva_id, c, b, &r.sva, &r.verified) != 0)
		return EXIT_SETUP;
	if (!x->o.no_cpu) {
		progress_sub("cpu");
		bench_cpu_latency(&x->o, c, b, &r.cpu);
	}
	if (x->dma_id >= 0) {
		progress_sub("dma");
		bench_dma_latency(&x->o, x->dma_id, c, b, &r.dma);
	}
	progress_clear();
	if (!x->o.quiet)
		output_lat_table_row(stdout, &r);
	if (x->csv)
		output_lat_csv_row(x->csv, &r);
	if (x->json)
		output_lat_json(x->json, &r);
	return r.verified ? EXIT_OK : EXIT_VERIFY;
}

int
run_latency(struct run_ctx *x, const struct case_spec *s)
{
	int rc = EXIT_OK;
	uint64_t ovh;

	if (bind_sva(x) != EXIT_OK)
		return EXIT_SETUP;
	csv_header(x, MODE_LATENCY);
	ovh = bench_timer_overhead();
	if (!x->o.quiet) {
		progress_clear();
		print_engines(x);
		printf("latency: one operation in flight, microseconds per operation "
		       "(rte_rdtsc pair: %" PRIu64 " cycles = %.3f us, included)\n",
		       ovh, ovh * 1e6 / rte_get_tsc_hz());
		output_lat_table_header(stdout);
	}
	for (int io = 0; io < s->nops; io++)
	for (int is = 0; is < s->nsizes; is++)
	for (int id = 0; id < s->ndepths; id++) {
		const struct bench_case c = {
			.op = s->ops[io], .size = s->sizes[is],
			.batch = 1, .depth = s->depths[id], .producers = 1,
		};
		char label[96];

		snprintf(label, sizeof(label), "latency %s %u d%u",
			 bench_op_names[c.op], c.size, c.depth);
		rc = RTE_MAX(rc, run_case(x, &c, label, x->info.max_xfer_size,
					  "the device's", latency_case, NULL));
		if (rc == EXIT_SETUP)
			return rc;
	}
	return rc;
}

/* A scaling point: c->producers over the first nd devices. */
struct scale_point {
	uint16_t nd;
	double base;     /* Mops of the first point with any, NAN before */
};

static int
scaling_case(struct run_ctx *x, const struct bench_case *c,
	     struct bench_bufs *b, void *arg)
{
	static struct bench_figures rounds[BENCH_REPEAT_MAX];
	struct scale_point *pt = arg;
	const uint16_t n = bench_rounds(&x->o);
	struct scale_result r = {
		.c = *c, .devices = pt->nd,
		.queues_per_dev = (c->producers + pt->nd - 1) / pt->nd,
		.rounds = rounds, .nb_rounds = n, .verified = true,
	};

	for (uint16_t k = 0; k < n; k++) {
		bool ok = false;

		progress_round("sva", k, n);
		if (bench_sva_run_devs(&x->o, x->devs, pt->nd, c, b, &rounds[k],
				       &ok) != 0)
			return EXIT_SETUP;
		r.verified &= ok;
	}
	bench_scale_rounds_reduce(&r);
	/* The speedup is the ratio of two points' medians: their rounds run
	 * one point after the other, so no round of one pairs with another's. */
	if (isnan(pt->base) && r.sva.mops > 0)
		pt->base = r.sva.mops;
	r.speedup = r.sva.mops / pt->base;
	progress_clear();
	if (!x->o.quiet)
		output_scale_table_row(stdout, &r);
	if (x->csv)
		output_scale_csv_row(x->csv, &r);
	if (x->json)
		output_scale_json(x->json, &r);
	return r.verified ? EXIT_OK : EXIT_VERIFY;
}

int
run_scaling(struct run_ctx *x, const struct case_spec *s)
{
	uint32_t prods[MAX_LIST], max_xfer = UINT32_MAX;
	int np = scale_producers(s, prods);
	int rc = EXIT_OK;

	if (bind_devs(x->devs, x->nb_devs) != 0) {
		printf("cannot bind this process to a container of the %u SVA devices\n",
		       x->nb_devs);
		return EXIT_SETUP;
	}
	for (uint16_t d = 0; d < x->nb_devs; d++) {
		struct rte_sva_info di;

		rte_sva_info_get(x->devs[d], &di);
		max_xfer = RTE_MIN(max_xfer, di.max_xfer_size);
	}
	csv_header(x, MODE_SCALING);
	if (!x->o.quiet) {
		progress_clear();
		printf("scaling: %u SVA device(s) in one container (PASID %u), "
		       "producers on lcores", x->nb_devs, bench_pasid);
		{
			unsigned int lc, i = 0;

			RTE_LCORE_FOREACH(lc)
				if (i++ < prods[np - 1])
					printf(" %u", lc);
		}
		printf("; producer p drives queue p/D of device p%%D\n");
		print_rounds_header(x, "the point's SVA pass",
				    "the rounds' aggregate Mops; the speedup is the "
				    "ratio of the points' medians");
		output_scale_table_header(stdout, bench_rounds(&x->o));
	}
	for (int io = 0; io < s->nops; io++)
	for (int is = 0; is < s->nsizes; is++)
	for (int ib = 0; ib < s->nbatches; ib++)
	for (int id = 0; id < s->ndepths; id++) {
		struct scale_point pt = { .base = NAN };

		for (pt.nd = 1; pt.nd <= x->nb_devs; pt.nd++)
		for (int ip = 0; ip < np; ip++) {
			const struct bench_case c = {
				.op = s->ops[io], .size = s->sizes[is],
				.batch = s->batches[ib], .depth = s->depths[id],
				.producers = prods[ip],
			};
			char label[96];

			if (prods[ip] < pt.nd)
				continue;
			snprintf(label, sizeof(label), "scaling %s %u b%u d%u: %u dev x %u prd",
				 bench_op_names[c.op], c.size, c.batch, c.depth,
				 pt.nd, c.producers);
			rc = RTE_MAX(rc, run_case(x, &c, label, max_xfer,
						  "a device's", scaling_case, &pt));
			if (rc == EXIT_SETUP)
				return rc;
		}
	}
	return rc;
}

int
run_churn(struct run_ctx *x)
{
	int ret;

	unbind_all();   /* bind-churn puts every device in its own container */
	csv_header(x, MODE_BIND_CHURN);
	progress_case("bind-churn");
	ret = bench_churn_run(&x->o, x->devs, x->nb_devs, x->json, x->csv);
	return ret < 0 ? EXIT_SETUP : ret;
}

int
run_fault(struct run_ctx *x)
{
	int ret;

	if (bind_sva(x) != EXIT_OK)
		return EXIT_SETUP;
	csv_header(x, MODE_FAULT);
	progress_case("fault");
	ret = bench_fault_run(&x->o, x->sva_id, x->o.fault_worker, x->json, x->csv);
	return ret < 0 ? EXIT_SETUP : ret;
}
