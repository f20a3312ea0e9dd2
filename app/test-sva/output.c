/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Result output: a readable table, CSV and one JSON object per result. */

#include <inttypes.h>
#include <math.h>

#include "test_sva.h"

static double
ratio(const struct bench_figures *a, const struct bench_figures *b)
{
	if (!a->valid || !b->valid || b->mops <= 0)
		return NAN;
	return a->mops / b->mops;
}

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

void
output_table_header(FILE *f)
{
	fprintf(f, "%-15s %8s %5s %5s %3s | %9s %8s | %9s %8s | %9s %8s | %7s %7s | %s\n",
		"op", "size", "batch", "depth", "prd", "sva Mops", "sva GB/s",
		"cpu Mops", "cpu GB/s", "dma Mops", "dma GB/s", "sva/cpu",
		"sva/dma", "verify");
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
	rat(f, ratio(&r->sva, &r->cpu));
	rat(f, ratio(&r->sva, &r->dma));
	fprintf(f, " | %s", r->verified ? "ok" : "FAILED");
	if (r->dma.note[0])
		fprintf(f, " (dma: %s)", r->dma.note);
	fprintf(f, "\n");
	fflush(f);
}

void
output_csv_header(FILE *f)
{
	fprintf(f, "op,size,batch,depth,producers,sva_mops,sva_gbps,sva_errors,"
		"cpu_mops,cpu_gbps,dma_mops,dma_gbps,sva_cpu_ratio,sva_dma_ratio,verified\n");
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
	csv_ratio(f, ratio(&r->sva, &r->cpu));
	csv_ratio(f, ratio(&r->sva, &r->dma));
	fprintf(f, ",%d\n", r->verified ? 1 : 0);
	fflush(f);
}

static void
json_fig(FILE *f, const char *name, const struct bench_figures *x)
{
	if (!x->valid) {
		fprintf(f, "\"%s\":null", name);
		return;
	}
	fprintf(f, "\"%s\":{\"mops\":%.4f,\"gbps\":%.4f,\"ops\":%" PRIu64
		",\"errors\":%" PRIu64 ",\"seconds\":%.4f}", name, x->mops,
		x->gbps, x->ops, x->errors, x->seconds);
}

static void
json_ratio(FILE *f, const char *name, double v)
{
	if (isnan(v))
		fprintf(f, "\"%s\":null", name);
	else
		fprintf(f, "\"%s\":%.4f", name, v);
}

void
output_json(FILE *f, const struct bench_result *r)
{
	fprintf(f, "{\"mode\":\"throughput\",\"op\":\"%s\",\"size\":%u,\"batch\":%u,"
		"\"depth\":%u,\"producers\":%u,", bench_op_names[r->c.op],
		r->c.size, r->c.batch, r->c.depth, r->c.producers);
	json_fig(f, "sva", &r->sva);
	fprintf(f, ",");
	json_fig(f, "cpu", &r->cpu);
	fprintf(f, ",");
	json_fig(f, "dma", &r->dma);
	fprintf(f, ",\"ratios\":{");
	json_ratio(f, "sva_cpu", ratio(&r->sva, &r->cpu));
	fprintf(f, ",");
	json_ratio(f, "sva_dma", ratio(&r->sva, &r->dma));
	fprintf(f, "},\"verified\":%s}\n", r->verified ? "true" : "false");
	fflush(f);
}
