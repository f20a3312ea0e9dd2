/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * --repeat N: a case's rounds reduced to the figures printed. On a shared
 * host one pass of an engine can lose its CPU for a while, so each round
 * runs every engine in turn (a slow phase of the host then hits all of
 * them), and the reported figure is the median round's: a ratio is taken
 * inside each round first, then its median over the rounds, so that a
 * disturbance hitting one engine in one round moves one sample, not the
 * quotient of two independent medians.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "test_sva.h"

uint16_t
bench_rounds(const struct bench_opts *o)
{
	return (uint16_t)RTE_MIN(RTE_MAX(o->repeat, 1u), (uint32_t)BENCH_REPEAT_MAX);
}

const char *
bench_round_label(char *buf, size_t len, const char *what, unsigned int k,
		  unsigned int n)
{
	if (n > 1)
		snprintf(buf, len, "%s %u/%u", what, k + 1, n);
	else
		snprintf(buf, len, "%s", what);
	return buf;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

unsigned int
bench_sorted(double s[BENCH_REPEAT_MAX], const double *v, unsigned int n)
{
	unsigned int m = 0;

	for (unsigned int i = 0; i < n && m < BENCH_REPEAT_MAX; i++)
		if (isfinite(v[i]))
			s[m++] = v[i];
	qsort(s, m, sizeof(*s), cmp_double);
	return m;
}

double
bench_median(const double *v, unsigned int n)
{
	double s[BENCH_REPEAT_MAX];
	unsigned int m = bench_sorted(s, v, n);

	if (m == 0)
		return NAN;
	return m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
}

void
bench_range(const double *v, unsigned int n, double *lo, double *hi)
{
	*lo = *hi = NAN;
	for (unsigned int i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (isnan(*lo) || v[i] < *lo)
			*lo = v[i];
		if (isnan(*hi) || v[i] > *hi)
			*hi = v[i];
	}
}

double
bench_ratio(const struct bench_figures *a, const struct bench_figures *b)
{
	if (!a->valid || !b->valid || b->mops <= 0)
		return NAN;
	return a->mops / b->mops;
}

/* One engine's figures over n rounds (fig(i) of round i): Mops and GB/s
 * (and the SVA pass's engine time per op) the median of the rounds it ran
 * in, ops, errors and seconds the sums,
 * the first note said. */
static void
engine_reduce(struct bench_figures *out, const struct bench_figures *const *fig,
	      unsigned int n)
{
	double mops[BENCH_REPEAT_MAX], gbps[BENCH_REPEAT_MAX], busy[BENCH_REPEAT_MAX];

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < n; i++) {
		const struct bench_figures *f = fig[i];

		mops[i] = f->valid ? f->mops : NAN;
		gbps[i] = f->valid ? f->gbps : NAN;
		busy[i] = f->valid ? f->busy_ns_op : NAN;
		out->valid |= f->valid;
		out->ops += f->ops;
		out->errors += f->errors;
		out->seconds += f->seconds;
		if (out->note[0] == '\0' && f->note[0] != '\0')
			memcpy(out->note, f->note, sizeof(out->note));
	}
	out->mops = bench_median(mops, n);
	out->gbps = bench_median(gbps, n);
	out->busy_ns_op = bench_median(busy, n);
}

void
bench_rounds_reduce(struct bench_result *r)
{
	/* zeroed: the compiler cannot tell that only [0, n) is read */
	const struct bench_figures *sva[BENCH_REPEAT_MAX] = { NULL };
	const struct bench_figures *cpu[BENCH_REPEAT_MAX] = { NULL };
	const struct bench_figures *dma[BENCH_REPEAT_MAX] = { NULL };
	double rc[BENCH_REPEAT_MAX] = { 0 }, rd[BENCH_REPEAT_MAX] = { 0 };
	unsigned int n = RTE_MIN(r->nb_rounds, (uint16_t)BENCH_REPEAT_MAX);

	for (unsigned int i = 0; i < n; i++) {
		sva[i] = &r->rounds[i].sva;
		cpu[i] = &r->rounds[i].cpu;
		dma[i] = &r->rounds[i].dma;
		rc[i] = bench_ratio(sva[i], cpu[i]);
		rd[i] = bench_ratio(sva[i], dma[i]);
	}
	engine_reduce(&r->sva, sva, n);
	engine_reduce(&r->cpu, cpu, n);
	engine_reduce(&r->dma, dma, n);
	r->sva_cpu = bench_median(rc, n);
	r->sva_dma = bench_median(rd, n);
	bench_range(rc, n, &r->sva_cpu_min, &r->sva_cpu_max);
	bench_range(rd, n, &r->sva_dma_min, &r->sva_dma_max);
}

void
bench_scale_rounds_reduce(struct scale_result *r)
{
	const struct bench_figures *sva[BENCH_REPEAT_MAX] = { NULL };
	double mops[BENCH_REPEAT_MAX] = { 0 };
	unsigned int n = RTE_MIN(r->nb_rounds, (uint16_t)BENCH_REPEAT_MAX);

	for (unsigned int i = 0; i < n; i++) {
		sva[i] = &r->rounds[i];
		mops[i] = r->rounds[i].valid ? r->rounds[i].mops : NAN;
	}
	engine_reduce(&r->sva, sva, n);
	bench_range(mops, n, &r->mops_min, &r->mops_max);
}
