/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Latency measurement of one case: one operation in flight at a time on
 * the SVA device, the CPU and an rte_dma device, each timed with the TSC
 * (the timer's own cost measured and reported), percentiles computed here.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>

#include "bench_priv.h"
#include "test_sva.h"

/*
 * One operation in flight: time from just before the enqueue (with SUBMIT)
 * to the moment rte_sva_completed() returns it, with rte_rdtsc(). The first
 * LAT_WARMUP operations are not recorded. At most LAT_MAX_SAMPLES are kept:
 * a run ends --duration after its warm-up or when that many were taken, so
 * that a warm-up slowed down by a loaded machine still leaves samples.
 */
#define LAT_MAX_SAMPLES (1u << 20)
#define LAT_WARMUP 256

int
bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const uint64_t *lat, uint64_t n, double q)
{
	/* nearest rank */
	uint64_t r = (uint64_t)(q / 100.0 * n + 0.999999);

	r = RTE_MAX(r, (uint64_t)1);
	return (double)lat[RTE_MIN(r, n) - 1];
}

static void
lat_finish(struct lat_figures *f, uint64_t *lat, uint64_t n)
{
	double us = 1e6 / rte_get_tsc_hz();
	double sum = 0;

	f->valid = n > 0;
	f->samples = n;
	if (n == 0)
		return;
	for (uint64_t i = 0; i < n; i++)
		sum += lat[i];
	qsort(lat, n, sizeof(*lat), bench_cmp_u64);
	f->p50 = pct(lat, n, 50) * us;
	f->p99 = pct(lat, n, 99) * us;
	f->p999 = pct(lat, n, 99.9) * us;
	f->max = lat[n - 1] * us;
	f->mean = sum / n * us;
}

/* The samples of one engine's latency run. */
struct lat_run {
	uint64_t *lat;
	uint64_t n;      /* kept */
	uint64_t i;      /* taken, warm-up included */
	uint64_t dur;    /* --duration, TSC cycles */
	uint64_t end;    /* TSC at which the run is over (set after warm-up) */
};

/* Start a run (--duration from the end of its warm-up): 0 or -ENOMEM. */
static int
lat_begin(struct lat_run *l, const struct bench_opts *o)
{
	l->lat = malloc(sizeof(*l->lat) * LAT_MAX_SAMPLES);
	if (l->lat == NULL)
		return -ENOMEM;
	l->n = 0;
	l->i = 0;
	l->dur = (uint64_t)(o->duration * rte_get_tsc_hz());
	l->end = UINT64_MAX;
	return 0;
}

/* One operation timed from t0 to t1; true when the run is over. */
static __rte_always_inline bool
lat_sample(struct lat_run *l, uint64_t t0, uint64_t t1)
{
	if (++l->i > LAT_WARMUP)
		l->lat[l->n++] = t1 - t0;
	else if (l->i == LAT_WARMUP)
		l->end = t1 + l->dur;
	return l->n == LAT_MAX_SAMPLES || t1 >= l->end;
}

/* The figures of the samples kept; the run freed. */
static void
lat_end(struct lat_run *l, struct lat_figures *f)
{
	lat_finish(f, l->lat, l->n);
	free(l->lat);
}

uint64_t
bench_timer_overhead(void)
{
	uint64_t d[1001];

	for (unsigned int i = 0; i < RTE_DIM(d); i++) {
		uint64_t t0 = rte_rdtsc();

		d[i] = rte_rdtsc() - t0;
	}
	qsort(d, RTE_DIM(d), sizeof(d[0]), bench_cmp_u64);
	return d[RTE_DIM(d) / 2];
}

int
bench_sva_latency(const struct bench_opts *o, int16_t dev_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct lat_figures *f, bool *verified)
{
	struct sva_worker w = {
		.dev_id = dev_id, .qid = 0, .pasid = bench_pasid, .c = c, .b = b,
		.first = 0, .count = b->nb,
	};
	const uint64_t hz = rte_get_tsc_hz();
	struct lat_run l;
	uint64_t stuck;
	uint32_t k = 0;
	bool ok = true;
	int ret;

	memset(f, 0, sizeof(*f));
	*verified = false;
	ret = sva_setup(dev_id, 1, c->depth);
	if (ret != 0) {
		printf("cannot set up %s for the case: %s\n", o->sva_name,
		       strerror(-ret));
		return ret;
	}
	bufs_prepare(c, b);
	if (lat_begin(&l, o) != 0) {
		rte_sva_stop(dev_id);
		return -ENOMEM;
	}
	for (;;) {
		uint64_t t0, t1;
		uint16_t got;
		bool err = false;

		t0 = rte_rdtsc();
		if (unlikely(sva_enqueue(&w, k, RTE_SVA_OP_FLAG_SUBMIT) < 0)) {
			printf("latency: enqueue refused on an empty queue\n");
			ok = false;
			break;
		}
		/* The same spin as the rte_dma baseline's, deadline included. */
		stuck = t0 + hz;
		do {
			got = rte_sva_completed(dev_id, 0, 1, NULL, &err);
		} while (got == 0 && !err && rte_rdtsc() < stuck);
		t1 = rte_rdtsc();
		if (unlikely(got == 0)) {
			uint16_t st = RTE_SVA_STATUS_ERROR_UNKNOWN;

			if (!err) {
				printf("latency: no completion in 1 s\n");
				ok = false;
				break;
			}
			rte_sva_completed_status(dev_id, 0, 1, NULL, &st);
			f->errors += st > RTE_SVA_STATUS_COMPARE_MISMATCH;
		}
		if (++k == b->nb)
			k = 0;
		if (lat_sample(&l, t0, t1))
			break;
	}
	lat_end(&l, f);
	*verified = ok && f->errors == 0 && (!o->verify || sva_verify(&w));
	rte_sva_stop(dev_id);
	return 0;
}

static __rte_always_inline uint32_t
cpu_op(const struct bench_case *c, struct bench_bufs *b, uint32_t k)
{
	switch (c->op) {
	case OP_COPY:
		memcpy(b->dst[k], b->src[k], b->size);
		return 0;
	case OP_FILL:
		memset(b->dst[k], (int)(FILL_PATTERN & 0xff), b->size);
		return 0;
	case OP_COMPARE:
		return memcmp(b->src[k], b->dst[k], b->size) != 0;
	case OP_COMPARE_PATTERN:
		return memcmp(b->src[k], b->src[(k + 1) % b->nb], b->size) != 0;
	case OP_CRC32C:
		return cpu_crc32c(0, b->src[k], b->size);
	case OP_COPY_CRC32C:
		memcpy(b->dst[k], b->src[k], b->size);
		return cpu_crc32c(0, b->src[k], b->size);
	default:
		memcpy(b->dst[k], b->src[k], b->size);
		memcpy(b->dst2[k], b->src[k], b->size);
		return 0;
	}
}

int
bench_cpu_latency(const struct bench_opts *o, const struct bench_case *c,
		  struct bench_bufs *b, struct lat_figures *f)
{
	volatile uint32_t sink = 0;
	struct lat_run l;
	uint32_t k = 0;

	memset(f, 0, sizeof(*f));
	bufs_prepare(c, b);
	if (lat_begin(&l, o) != 0)
		return -ENOMEM;
	for (;;) {
		uint64_t t0, t1;

		t0 = rte_rdtsc();
		sink += cpu_op(c, b, k);
		t1 = rte_rdtsc();
		if (++k == b->nb)
			k = 0;
		if (lat_sample(&l, t0, t1))
			break;
	}
	lat_end(&l, f);
	(void)sink;
	return 0;
}

int
bench_dma_latency(const struct bench_opts *o, int16_t dma_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct lat_figures *f)
{
	const uint64_t hz = rte_get_tsc_hz();
	struct lat_run l;
	uint16_t nb_desc;
	uint32_t k = 0;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = dma_prepare(dma_id, c, f->note, sizeof(f->note), &nb_desc);
	if (ret != 0)
		return ret < 0 ? ret : 0;
	bufs_prepare(c, b);
	if (lat_begin(&l, o) != 0) {
		dma_stop(dma_id);
		return -ENOMEM;
	}
	for (;;) {
		uint64_t t0, t1, stuck;
		uint16_t got;
		bool err = false;
		int r;

		t0 = rte_rdtsc();
		r = c->op == OP_COPY ?
			rte_dma_copy(dma_id, 0, dma_addr(b->src[k]),
				     dma_addr(b->dst[k]), b->size,
				     RTE_DMA_OP_FLAG_SUBMIT) :
			rte_dma_fill(dma_id, 0, FILL_PATTERN, dma_addr(b->dst[k]),
				     b->size, RTE_DMA_OP_FLAG_SUBMIT);
		if (unlikely(r < 0)) {
			snprintf(f->note, sizeof(f->note), "enqueue failed");
			break;
		}
		stuck = t0 + hz;
		do {
			got = rte_dma_completed(dma_id, 0, 1, NULL, &err);
		} while (got == 0 && !err && rte_rdtsc() < stuck);
		t1 = rte_rdtsc();
		if (unlikely(got == 0)) {
			enum rte_dma_status_code st;

			if (!err) {
				snprintf(f->note, sizeof(f->note), "no completion in 1 s");
				break;
			}
			rte_dma_completed_status(dma_id, 0, 1, NULL, &st);
			f->errors++;
		}
		if (++k == b->nb)
			k = 0;
		if (lat_sample(&l, t0, t1))
			break;
	}
	dma_stop(dma_id);
	lat_end(&l, f);
	return 0;
}
