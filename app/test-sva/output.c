/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Result output: a readable table, CSV and one JSON object per result. */

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>

#include "test_sva.h"

static void
fig(FILE *f, const struct bench_figures *x)
{
	if (x->valid)
		fprintf(f, " %9.2f %8.2f", x->mops, x->gbps);
	else
		fprintf(f, " %9s %8s", "-", "-");
}

static void
rat(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, " %7s", "-");
	else
		fprintf(f, " %6.2fx", v);
}

/* A range of ratios in 11 columns while they fit: "[0.78-0.91]". */
static void
spread(FILE *f, double lo, double hi)
{
	char a[16], b[16];

	if (isnan(lo)) {
		fprintf(f, " %-11s", "-");
		return;
	}
	snprintf(a, sizeof(a), "%.*f", lo < 10 ? 2 : lo < 100 ? 1 : 0, lo);
	snprintf(b, sizeof(b), "%.*f", hi < 10 ? 2 : hi < 100 ? 1 : 0, hi);
	fprintf(f, " [%s-%s]%*s", a, b, (int)RTE_MAX(0, 8 - (int)strlen(a) -
						       (int)strlen(b)), "");
}

void
output_table_header(FILE *f, uint16_t rounds)
{
	fprintf(f, "%-15s %8s %5s %5s %3s | %9s %8s | %9s %8s | %9s %8s | %7s %7s",
		"op", "size", "batch", "depth", "prd", "sva Mops", "sva GB/s",
		"cpu Mops", "cpu GB/s", "dma Mops", "dma GB/s", "sva/cpu",
		"sva/dma");
	if (rounds > 1)
		fprintf(f, " %-11s %-11s", "cpu range", "dma range");
	fprintf(f, " | %s\n", "verify");
}

void
output_table_row(FILE *f, const struct bench_result *r)
{
	fprintf(f, "%-15s %8u %5u %5u %3u |", bench_op_names[r->c.op], r->c.size,
		r->c.batch, r->c.depth, r->c.producers);
	fig(f, &r->sva);
	fprintf(f, " |");
	fig(f, &r->cpu);
	fprintf(f, " |");
	fig(f, &r->dma);
	fprintf(f, " |");
	rat(f, r->sva_cpu);
	rat(f, r->sva_dma);
	if (r->nb_rounds > 1) {
		spread(f, r->sva_cpu_min, r->sva_cpu_max);
		spread(f, r->sva_dma_min, r->sva_dma_max);
	}
	fprintf(f, " | %s", r->verified ? "ok" : "FAILED");
	/* Who sets the pace: an engine busy for most of the pass's time per
	 * op is the limit, one busy for little waits for the producer. The
	 * busy time is summed over the device's engines (one by default). */
	if (r->sva.valid && !isnan(r->sva.busy_ns_op) && r->sva.mops > 0)
		fprintf(f, " (engine busy %.1f of %.1f ns/op)", r->sva.busy_ns_op,
			1e3 / r->sva.mops);
	if (r->dma.note[0])
		fprintf(f, " (dma: %s)", r->dma.note);
	fprintf(f, "\n");
	fflush(f);
}

void
output_csv_header(FILE *f)
{
	fprintf(f, "op,size,batch,depth,producers,sva_mops,sva_gbps,sva_errors,"
		"cpu_mops,cpu_gbps,dma_mops,dma_gbps,sva_cpu_ratio,sva_dma_ratio,verified,"
		"rounds,sva_busy_ns_per_op\n");
}

static void
csv_fig(FILE *f, const struct bench_figures *x)
{
	if (x->valid)
		fprintf(f, ",%.4f,%.4f", x->mops, x->gbps);
	else
		fprintf(f, ",,");
}

static void
csv_ratio(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, ",");
	else
		fprintf(f, ",%.4f", v);
}

void
output_csv_row(FILE *f, const struct bench_result *r)
{
	fprintf(f, "%s,%u,%u,%u,%u", bench_op_names[r->c.op], r->c.size,
		r->c.batch, r->c.depth, r->c.producers);
	csv_fig(f, &r->sva);
	fprintf(f, ",%" PRIu64, r->sva.errors);
	csv_fig(f, &r->cpu);
	csv_fig(f, &r->dma);
	csv_ratio(f, r->sva_cpu);
	csv_ratio(f, r->sva_dma);
	fprintf(f, ",%d,%u", r->verified ? 1 : 0, r->nb_rounds);
	csv_ratio(f, r->sva.valid ? r->sva.busy_ns_op : NAN);
	fprintf(f, "\n");
	fflush(f);
}

void
output_json_ratio(FILE *f, const char *name, double v)
{
	if (isnan(v))
		fprintf(f, "\"%s\":null", name);
	else
		fprintf(f, "\"%s\":%.4f", name, v);
}

static void
json_fig(FILE *f, const char *name, const struct bench_figures *x)
{
	if (!x->valid) {
		fprintf(f, "\"%s\":null", name);
		return;
	}
	fprintf(f, "\"%s\":{\"mops\":%.4f,\"gbps\":%.4f,\"ops\":%" PRIu64
		",\"errors\":%" PRIu64 ",\"seconds\":%.4f,", name, x->mops,
		x->gbps, x->ops, x->errors, x->seconds);
	output_json_ratio(f, "busy_ns_per_op", x->busy_ns_op);
	fprintf(f, "}");
}

/* One round's engine: "sva_mops":M,"sva_gbps":G (nulls when it did not run). */
static void
json_round_fig(FILE *f, const char *name, const struct bench_figures *x)
{
	if (x->valid)
		fprintf(f, "\"%s_mops\":%.4f,\"%s_gbps\":%.4f", name, x->mops,
			name, x->gbps);
	else
		fprintf(f, "\"%s_mops\":null,\"%s_gbps\":null", name, name);
}

void
output_json(FILE *f, const struct bench_result *r)
{
	const struct { const char *name; double v; } ratios[] = {
		{ "sva_cpu", r->sva_cpu }, { "sva_dma", r->sva_dma },
		{ "sva_cpu_min", r->sva_cpu_min }, { "sva_cpu_max", r->sva_cpu_max },
		{ "sva_dma_min", r->sva_dma_min }, { "sva_dma_max", r->sva_dma_max },
	};

	fprintf(f, "{\"mode\":\"throughput\",\"op\":\"%s\",\"size\":%u,\"batch\":%u,"
		"\"depth\":%u,\"producers\":%u,", bench_op_names[r->c.op],
		r->c.size, r->c.batch, r->c.depth, r->c.producers);
	json_fig(f, "sva", &r->sva);
	fprintf(f, ",");
	json_fig(f, "cpu", &r->cpu);
	fprintf(f, ",");
	json_fig(f, "dma", &r->dma);
	fprintf(f, ",\"ratios\":{");
	for (unsigned int i = 0; i < RTE_DIM(ratios); i++) {
		fprintf(f, "%s", i ? "," : "");
		output_json_ratio(f, ratios[i].name, ratios[i].v);
	}
	fprintf(f, "},\"rounds\":[");
	for (uint16_t i = 0; i < r->nb_rounds; i++) {
		const struct bench_round *k = &r->rounds[i];

		fprintf(f, "%s{", i ? "," : "");
		json_round_fig(f, "sva", &k->sva);
		fprintf(f, ",");
		json_round_fig(f, "cpu", &k->cpu);
		fprintf(f, ",");
		json_round_fig(f, "dma", &k->dma);
		fprintf(f, ",");
		output_json_ratio(f, "sva_cpu", bench_ratio(&k->sva, &k->cpu));
		fprintf(f, ",");
		output_json_ratio(f, "sva_dma", bench_ratio(&k->sva, &k->dma));
		fprintf(f, "}");
	}
	fprintf(f, "],\"verified\":%s}\n", r->verified ? "true" : "false");
	fflush(f);
}

/* ---------------------------------------------------------------- latency */

/* Microseconds in 8 columns: 3 decimals while they fit. */
static void
lat_cell(FILE *f, double us)
{
	fprintf(f, " %8.*f", us < 1000 ? 3 : us < 100000 ? 1 : 0, us);
}

static void
lat_fig(FILE *f, const struct lat_figures *x)
{
	if (x->valid) {
		lat_cell(f, x->p50);
		lat_cell(f, x->p99);
		lat_cell(f, x->p999);
		lat_cell(f, x->max);
	} else {
		fprintf(f, " %8s %8s %8s %8s", "-", "-", "-", "-");
	}
}

void
output_lat_table_header(FILE *f)
{
	fprintf(f, "%-15s %8s %5s | %8s %8s %8s %8s | %8s %8s %8s %8s | "
		"%8s %8s %8s %8s | %s\n", "op", "size", "depth",
		"sva p50", "p99", "p99.9", "max", "cpu p50", "p99", "p99.9", "max",
		"dma p50", "p99", "p99.9", "max", "verify");
}

void
output_lat_table_row(FILE *f, const struct lat_result *r)
{
	fprintf(f, "%-15s %8u %5u |", bench_op_names[r->c.op], r->c.size, r->c.depth);
	lat_fig(f, &r->sva);
	fprintf(f, " |");
	lat_fig(f, &r->cpu);
	fprintf(f, " |");
	lat_fig(f, &r->dma);
	fprintf(f, " | %s", r->verified ? "ok" : "FAILED");
	if (r->sva.errors)
		fprintf(f, " (sva: %" PRIu64 " errors)", r->sva.errors);
	if (r->dma.note[0])
		fprintf(f, " (dma: %s)", r->dma.note);
	fprintf(f, "\n");
	fflush(f);
}

void
output_lat_csv_header(FILE *f)
{
	fprintf(f, "mode,op,size,depth");
	for (int e = 0; e < 3; e++) {
		const char *n = e == 0 ? "sva" : e == 1 ? "cpu" : "dma";

		fprintf(f, ",%s_samples,%s_p50_us,%s_p99_us,%s_p999_us,%s_max_us,"
			"%s_mean_us,%s_errors", n, n, n, n, n, n, n);
	}
	fprintf(f, ",verified\n");
}

static void
lat_csv(FILE *f, const struct lat_figures *x)
{
	if (x->valid)
		fprintf(f, ",%" PRIu64 ",%.4f,%.4f,%.4f,%.4f,%.4f,%" PRIu64,
			x->samples, x->p50, x->p99, x->p999, x->max, x->mean,
			x->errors);
	else
		fprintf(f, ",,,,,,,");
}

void
output_lat_csv_row(FILE *f, const struct lat_result *r)
{
	fprintf(f, "latency,%s,%u,%u", bench_op_names[r->c.op], r->c.size,
		r->c.depth);
	lat_csv(f, &r->sva);
	lat_csv(f, &r->cpu);
	lat_csv(f, &r->dma);
	fprintf(f, ",%d\n", r->verified ? 1 : 0);
	fflush(f);
}

static void
lat_json(FILE *f, const char *name, const struct lat_figures *x)
{
	if (!x->valid) {
		fprintf(f, "\"%s\":null", name);
		return;
	}
	fprintf(f, "\"%s\":{\"samples\":%" PRIu64 ",\"p50_us\":%.4f,\"p99_us\":%.4f,"
		"\"p999_us\":%.4f,\"max_us\":%.4f,\"mean_us\":%.4f,\"errors\":%"
		PRIu64 "}", name, x->samples, x->p50, x->p99, x->p999, x->max,
		x->mean, x->errors);
}

void
output_lat_json(FILE *f, const struct lat_result *r)
{
	fprintf(f, "{\"mode\":\"latency\",\"op\":\"%s\",\"size\":%u,\"depth\":%u,",
		bench_op_names[r->c.op], r->c.size, r->c.depth);
	lat_json(f, "sva", &r->sva);
	fprintf(f, ",");
	lat_json(f, "cpu", &r->cpu);
	fprintf(f, ",");
	lat_json(f, "dma", &r->dma);
	if (r->dma.note[0])
		fprintf(f, ",\"dma_note\":\"%s\"", r->dma.note);
	fprintf(f, ",\"verified\":%s}\n", r->verified ? "true" : "false");
	fflush(f);
}

/* ---------------------------------------------------------------- scaling */

void
output_scale_table_header(FILE *f, uint16_t rounds)
{
	fprintf(f, "%-15s %8s %5s %5s %4s %3s %5s | %9s %8s %8s | %7s",
		"op", "size", "batch", "depth", "devs", "prd", "q/dev",
		"sva Mops", "sva GB/s", "errors", "speedup");
	if (rounds > 1)
		fprintf(f, " %-11s", "Mops range");
	fprintf(f, " | %s\n", "verify");
}

void
output_scale_table_row(FILE *f, const struct scale_result *r)
{
	fprintf(f, "%-15s %8u %5u %5u %4u %3u %5u | %9.2f %8.2f %8" PRIu64 " |",
		bench_op_names[r->c.op], r->c.size, r->c.batch, r->c.depth,
		r->devices, r->c.producers, r->queues_per_dev, r->sva.mops,
		r->sva.gbps, r->sva.errors);
	rat(f, r->speedup);
	if (r->nb_rounds > 1)
		spread(f, r->mops_min, r->mops_max);
	fprintf(f, " | %s\n", r->verified ? "ok" : "FAILED");
	fflush(f);
}

void
output_scale_csv_header(FILE *f)
{
	fprintf(f, "mode,op,size,batch,depth,devices,producers,queues_per_dev,"
		"sva_mops,sva_gbps,sva_errors,speedup,verified,rounds\n");
}

void
output_scale_csv_row(FILE *f, const struct scale_result *r)
{
	fprintf(f, "scaling,%s,%u,%u,%u,%u,%u,%u,%.4f,%.4f,%" PRIu64,
		bench_op_names[r->c.op], r->c.size, r->c.batch, r->c.depth,
		r->devices, r->c.producers, r->queues_per_dev, r->sva.mops,
		r->sva.gbps, r->sva.errors);
	csv_ratio(f, r->speedup);
	fprintf(f, ",%d,%u\n", r->verified ? 1 : 0, r->nb_rounds);
	fflush(f);
}

void
output_scale_json(FILE *f, const struct scale_result *r)
{
	fprintf(f, "{\"mode\":\"scaling\",\"op\":\"%s\",\"size\":%u,\"batch\":%u,"
		"\"depth\":%u,\"devices\":%u,\"producers\":%u,\"queues_per_dev\":%u,",
		bench_op_names[r->c.op], r->c.size, r->c.batch, r->c.depth,
		r->devices, r->c.producers, r->queues_per_dev);
	json_fig(f, "sva", &r->sva);
	fprintf(f, ",");
	output_json_ratio(f, "speedup", r->speedup);
	fprintf(f, ",\"rounds\":[");
	for (uint16_t i = 0; i < r->nb_rounds; i++) {
		fprintf(f, "%s{", i ? "," : "");
		json_round_fig(f, "sva", &r->rounds[i]);
		fprintf(f, "}");
	}
	fprintf(f, "],\"verified\":%s}\n", r->verified ? "true" : "false");
	fflush(f);
}

/* --------------------------------------------------------------- progress */

/*
 * "case 3 of 12: latency copy 4096 (cpu)  5.2 s" on stderr, rewritten with
 * \r at each case and engine. Shown only when stderr is a terminal, not with
 * --quiet, and when the run is expected to take (or has taken) over 3 s.
 */
#define PROGRESS_AFTER_S 3.0

static struct {
	bool enabled;
	bool shown;
	uint32_t total, cur;
	double estimate;
	struct timespec start;
	char label[96];
} prog;

static double
prog_elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - prog.start.tv_sec) +
	       (now.tv_nsec - prog.start.tv_nsec) / 1e9;
}

void
progress_init(bool enable, uint32_t total_cases, double estimate_s)
{
	memset(&prog, 0, sizeof(prog));
	prog.enabled = enable && isatty(STDERR_FILENO);
	prog.total = total_cases;
	prog.estimate = estimate_s;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
}

static void
prog_render(const char *sub)
{
	double t = prog_elapsed();

	if (!prog.enabled ||
	    (prog.estimate < PROGRESS_AFTER_S && t < PROGRESS_AFTER_S))
		return;
	fprintf(stderr, "\r\033[Kcase %u of %u: %s%s%s%s  %.1f s", prog.cur,
		prog.total, prog.label, sub ? " (" : "", sub ? sub : "",
		sub ? ")" : "", t);
	fflush(stderr);
	prog.shown = true;
}

void
progress_case(const char *label)
{
	prog.cur++;
	snprintf(prog.label, sizeof(prog.label), "%s", label);
	prog_render(NULL);
}

void
progress_sub(const char *engine)
{
	prog_render(engine);
}

void
progress_clear(void)
{
	if (prog.shown) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
		prog.shown = false;
	}
}

void
progress_done(void)
{
	progress_clear();
	prog.enabled = false;
}
