/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Throughput measurement of one case on three engines over the same
 * buffers: the SVA device, the CPU (memcpy & co. on the calling core) and
 * an rte_dma device. Producers run on the main lcore and, for more than one,
 * on EAL worker lcores, each owning one queue.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_hash_crc.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "test_sva.h"

#define FILL_PATTERN 0x5aa5c33c0ff0e11eull
#define REAP_BURST 64

const char *const bench_op_names[OP_COUNT] = {
	[OP_COPY] = "copy",
	[OP_FILL] = "fill",
	[OP_COMPARE] = "compare",
	[OP_COMPARE_PATTERN] = "compare_pattern",
	[OP_CRC32C] = "crc32c",
	[OP_COPY_CRC32C] = "copy_crc32c",
	[OP_DUALCAST] = "dualcast",
};

static uint8_t *
page_alloc(size_t n)
{
	return aligned_alloc(4096, RTE_ALIGN_CEIL(n, 4096));
}

int
bench_bufs_alloc(struct bench_bufs *b, uint32_t size, uint32_t working_set,
		 bool need_dst2)
{
	uint32_t nb = RTE_MAX(working_set / size, 1u);

	nb = RTE_MIN(nb, 256u);
	memset(b, 0, sizeof(*b));
	b->nb = nb;
	b->size = size;
	b->src = calloc(nb, sizeof(*b->src));
	b->dst = calloc(nb, sizeof(*b->dst));
	b->dst2 = calloc(nb, sizeof(*b->dst2));
	if (b->src == NULL || b->dst == NULL || b->dst2 == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < nb; i++) {
		/* Plain process memory: what SVA is for. Page-aligned so
		 * dualcast destinations share their low 12 bits. */
		b->src[i] = page_alloc(size);
		b->dst[i] = page_alloc(size);
		if (need_dst2)
			b->dst2[i] = page_alloc(size);
		if (b->src[i] == NULL || b->dst[i] == NULL ||
		    (need_dst2 && b->dst2[i] == NULL))
			return -ENOMEM;
	}
	return 0;
}

void
bench_bufs_free(struct bench_bufs *b)
{
	for (uint32_t i = 0; i < b->nb; i++) {
		if (b->src)
			free(b->src[i]);
		if (b->dst)
			free(b->dst[i]);
		if (b->dst2)
			free(b->dst2[i]);
	}
	free(b->src);
	free(b->dst);
	free(b->dst2);
	memset(b, 0, sizeof(*b));
}

static void
pattern_fill(uint8_t *p, uint32_t n, uint64_t pat)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(pat >> ((i % 8) * 8));
}

/* Put buffers in the state each operation expects (and verifies). */
static void
bufs_prepare(const struct bench_case *c, struct bench_bufs *b)
{
	for (uint32_t i = 0; i < b->nb; i++) {
		for (uint32_t k = 0; k < b->size; k++)
			b->src[i][k] = (uint8_t)((i * 131 + k * 7) ^ (k >> 8));
		switch (c->op) {
		case OP_COMPARE:
			memcpy(b->dst[i], b->src[i], b->size);
			break;
		case OP_COMPARE_PATTERN:
			pattern_fill(b->src[i], b->size, FILL_PATTERN);
			break;
		default:
			memset(b->dst[i], 0, b->size);
			if (b->dst2[i] != NULL)
				memset(b->dst2[i], 0, b->size);
			break;
		}
	}
}

static uint32_t
cpu_crc32c(uint32_t seed, const void *p, uint32_t n)
{
	return ~rte_hash_crc(p, n, ~seed);
}

/* Throughput figures of ops operations of size bytes in tsc cycles. */
static void
figures_set(struct bench_figures *f, uint64_t ops, uint64_t tsc, uint32_t size)
{
	f->valid = true;
	f->ops = ops;
	f->seconds = (double)tsc / rte_get_tsc_hz();
	f->mops = ops / f->seconds / 1e6;
	f->gbps = ops * (double)size / f->seconds / 1e9;
}

/* --------------------------------------------------------------- SVA side */

struct sva_worker {
	int16_t dev_id;
	uint16_t qid;
	uint32_t pasid;
	const struct bench_case *c;
	struct bench_bufs *b;
	uint32_t first, count;      /* buffers this producer cycles through */
	uint64_t duration_tsc;
	uint64_t ops, errors, tsc;
};

static uint32_t start_flag;

static __rte_always_inline int
sva_enqueue(const struct sva_worker *w, uint32_t k, uint64_t flags)
{
	const struct bench_bufs *b = w->b;
	uint32_t n = b->size;

	switch (w->c->op) {
	case OP_COPY:
		return rte_sva_copy(w->dev_id, w->qid, w->pasid, b->src[k],
				    b->dst[k], n, flags);
	case OP_FILL:
		return rte_sva_fill(w->dev_id, w->qid, w->pasid, FILL_PATTERN,
				    b->dst[k], n, flags);
	case OP_COMPARE:
		return rte_sva_compare(w->dev_id, w->qid, w->pasid, b->src[k],
				       b->dst[k], n, flags);
	case OP_COMPARE_PATTERN:
		return rte_sva_compare_pattern(w->dev_id, w->qid, w->pasid,
					       b->src[k], FILL_PATTERN, n, flags);
	case OP_CRC32C:
		return rte_sva_crc32c(w->dev_id, w->qid, w->pasid, b->src[k],
				      0, n, flags);
	case OP_COPY_CRC32C:
		return rte_sva_copy_crc32c(w->dev_id, w->qid, w->pasid,
					   b->src[k], b->dst[k], 0, n, flags);
	default:
		return rte_sva_dualcast(w->dev_id, w->qid, w->pasid, b->src[k],
					b->dst[k], b->dst2[k], n, flags);
	}
}

static uint16_t
sva_reap(struct sva_worker *w)
{
	uint16_t status[REAP_BURST];
	bool err = false;
	uint16_t n;

	n = rte_sva_completed(w->dev_id, w->qid, REAP_BURST, NULL, &err);
	if (unlikely(err)) {
		uint16_t m = rte_sva_completed_status(w->dev_id, w->qid,
						      REAP_BURST, NULL, status);

		for (uint16_t i = 0; i < m; i++)
			w->errors += status[i] > RTE_SVA_STATUS_COMPARE_MISMATCH;
		n += m;
	}
	return n;
}

static int
sva_producer(void *arg)
{
	struct sva_worker *w = arg;
	const uint16_t batch = w->c->batch;
	const uint16_t room = w->c->depth - 1;
	uint64_t enq = 0, done = 0, start, end;
	uint32_t k = w->first;
	const uint32_t k_end = w->first + w->count;

	while (!__atomic_load_n(&start_flag, __ATOMIC_ACQUIRE))
		rte_pause();
	start = rte_rdtsc();
	end = start + w->duration_tsc;
	for (;;) {
		if ((uint16_t)(room - (enq - done)) >= batch) {
			for (uint16_t i = 0; i < batch; i++) {
				if (unlikely(sva_enqueue(w, k, 0) < 0))
					break;
				enq++;
				if (++k == k_end)
					k = w->first;
			}
			rte_sva_submit(w->dev_id, w->qid);
		}
		done += sva_reap(w);
		if (unlikely(rte_rdtsc() >= end))
			break;
	}
	/* Drain what is in flight; it counts, the time it takes too. */
	while (done < enq)
		done += sva_reap(w);
	w->tsc = rte_rdtsc() - start;
	w->ops = done;
	return 0;
}

static int
sva_setup(int16_t dev_id, uint16_t nb_queues, uint16_t depth)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qc = {
		.nb_desc = depth,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	rte_sva_stop(dev_id);
	ret = rte_sva_configure(dev_id, &conf);
	for (uint16_t q = 0; ret == 0 && q < nb_queues; q++)
		ret = rte_sva_queue_setup(dev_id, q, &qc);
	if (ret == 0)
		ret = rte_sva_start(dev_id);
	return ret;
}

/* One operation per buffer, checked result by result and byte for byte. */
static bool
sva_verify(struct sva_worker *w)
{
	const struct bench_bufs *b = w->b;
	struct rte_sva_result r;
	uint64_t deadline;

	for (uint32_t k = 0; k < b->nb; k++) {
		if (sva_enqueue(w, k, RTE_SVA_OP_FLAG_SUBMIT) < 0)
			return false;
		deadline = rte_get_timer_cycles() + rte_get_timer_hz();
		while (rte_sva_completed_results(w->dev_id, w->qid, 1, NULL, &r) == 0)
			if (rte_get_timer_cycles() > deadline)
				return false;
		if (r.status != RTE_SVA_STATUS_SUCCESS) {
			printf("verify: buffer %u: %s\n", k, rte_sva_status_str(r.status));
			return false;
		}
		switch (w->c->op) {
		case OP_COPY:
		case OP_COPY_CRC32C:
		case OP_DUALCAST:
			if (memcmp(b->dst[k], b->src[k], b->size) != 0 ||
			    (w->c->op == OP_DUALCAST &&
			     memcmp(b->dst2[k], b->src[k], b->size) != 0)) {
				printf("verify: buffer %u: data differs\n", k);
				return false;
			}
			if (w->c->op == OP_COPY_CRC32C &&
			    r.crc != cpu_crc32c(0, b->src[k], b->size)) {
				printf("verify: buffer %u: CRC differs\n", k);
				return false;
			}
			break;
		case OP_FILL:
			for (uint32_t i = 0; i < b->size; i++)
				if (b->dst[k][i] != (uint8_t)(FILL_PATTERN >> ((i % 8) * 8))) {
					printf("verify: buffer %u: fill byte %u\n", k, i);
					return false;
				}
			break;
		case OP_CRC32C:
			if (r.crc != cpu_crc32c(0, b->src[k], b->size)) {
				printf("verify: buffer %u: CRC differs\n", k);
				return false;
			}
			break;
		default:
			break;
		}
	}
	return true;
}

int
bench_sva_run_devs(const struct bench_opts *o, const int16_t *devs,
		   uint16_t nb_devs, const struct bench_case *c,
		   struct bench_bufs *b, struct bench_figures *f, bool *verified)
{
	struct sva_worker w[RTE_MAX_LCORE];
	unsigned int lcores[RTE_MAX_LCORE], nl = 0, lc;
	uint64_t ops = 0, errors = 0, tsc = 0;
	uint16_t nd = RTE_MIN(nb_devs, c->producers);
	extern uint32_t bench_pasid;
	bool ok = true;
	int ret;

	memset(f, 0, sizeof(*f));
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (nl + 1 < c->producers)
			lcores[nl++] = lc;
	}
	if (nl + 1 < c->producers) {
		printf("%u producers need %u worker lcores (-l); have %u\n",
		       c->producers, c->producers - 1, nl);
		return -EINVAL;
	}
	/* Producer p drives queue p / nd of device p % nd. */
	for (uint16_t d = 0; d < nd; d++) {
		struct rte_sva_info info;

		ret = sva_setup(devs[d], (c->producers - d + nd - 1) / nd, c->depth);
		if (ret != 0) {
			rte_sva_info_get(devs[d], &info);
			printf("cannot set up %s for the case: %s\n", info.dev_name,
			       strerror(-ret));
			for (uint16_t e = 0; e < d; e++)
				rte_sva_stop(devs[e]);
			return ret;
		}
	}
	bufs_prepare(c, b);
	for (uint16_t p = 0; p < c->producers; p++) {
		w[p] = (struct sva_worker){
			.dev_id = devs[p % nd], .qid = p / nd, .pasid = bench_pasid,
			.c = c, .b = b,
			.first = b->nb * p / c->producers,
			.count = RTE_MAX(b->nb / c->producers, 1u),
			.duration_tsc = (uint64_t)(o->duration * rte_get_tsc_hz()),
		};
	}
	__atomic_store_n(&start_flag, 0, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < nl; i++)
		rte_eal_remote_launch(sva_producer, &w[i + 1], lcores[i]);
	__atomic_store_n(&start_flag, 1, __ATOMIC_RELEASE);
	sva_producer(&w[0]);
	rte_eal_mp_wait_lcore();
	for (uint16_t p = 0; p < c->producers; p++) {
		ops += w[p].ops;
		errors += w[p].errors;
		tsc = RTE_MAX(tsc, w[p].tsc);
	}
	/* Verify on every device: through the first queue of each. */
	for (uint16_t d = 0; d < nd && ok; d++)
		ok = errors == 0 && (!o->verify || sva_verify(&w[d]));
	*verified = ok;
	for (uint16_t d = 0; d < nd; d++)
		rte_sva_stop(devs[d]);
	figures_set(f, ops, tsc, c->size);
	f->errors = errors;
	return 0;
}

int
bench_sva_run(const struct bench_opts *o, int16_t dev_id,
	      const struct bench_case *c, struct bench_bufs *b,
	      struct bench_figures *f, bool *verified)
{
	return bench_sva_run_devs(o, &dev_id, 1, c, b, f, verified);
}

/* --------------------------------------------------------------- CPU side */

int
bench_cpu_run(const struct bench_opts *o, const struct bench_case *c,
	      struct bench_bufs *b, struct bench_figures *f)
{
	uint64_t end, start, ops = 0;
	volatile uint32_t sink = 0;
	uint32_t k = 0;

	memset(f, 0, sizeof(*f));
	bufs_prepare(c, b);
	start = rte_rdtsc();
	end = start + (uint64_t)(o->duration * rte_get_tsc_hz());
	do {
		for (int i = 0; i < 16; i++) {
			switch (c->op) {
			case OP_COPY:
				memcpy(b->dst[k], b->src[k], b->size);
				break;
			case OP_FILL:
				memset(b->dst[k], (int)(FILL_PATTERN & 0xff), b->size);
				break;
			case OP_COMPARE:
				sink += memcmp(b->src[k], b->dst[k], b->size) != 0;
				break;
			case OP_COMPARE_PATTERN:
				sink += memcmp(b->src[k], b->src[(k + 1) % b->nb], b->size) != 0;
				break;
			case OP_CRC32C:
				sink += cpu_crc32c(0, b->src[k], b->size);
				break;
			case OP_COPY_CRC32C:
				memcpy(b->dst[k], b->src[k], b->size);
				sink += cpu_crc32c(0, b->src[k], b->size);
				break;
			default:
				memcpy(b->dst[k], b->src[k], b->size);
				memcpy(b->dst2[k], b->src[k], b->size);
				break;
			}
			ops++;
			if (++k == b->nb)
				k = 0;
		}
	} while (rte_rdtsc() < end);
	figures_set(f, ops, rte_rdtsc() - start, c->size);
	(void)sink;
	return 0;
}

/* --------------------------------------------------------------- DMA side */

static rte_iova_t
dma_addr(const void *va)
{
	/* With IOVA as VA (and for CPU-backed devices such as dma_skeleton)
	 * a process address is the device address. */
	return (rte_iova_t)(uintptr_t)va;
}

/* rte_dma_stop() logs when the device is not started: track it. */
static bool dma_started;

static void
dma_stop(int16_t dma_id)
{
	if (dma_started)
		rte_dma_stop(dma_id);
	dma_started = false;
}

/* Configure and start the rte_dma device for a case: 0, 1 when the case
 * is not for it (note set), <0 on an error. *nb_desc: the ring depth. */
static int
dma_prepare(int16_t dma_id, const struct bench_case *c, char *note,
	    size_t notesz, uint16_t *nb_desc)
{
	struct rte_dma_info info;
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_MEM };

	if (c->op != OP_COPY && c->op != OP_FILL) {
		snprintf(note, notesz, "no %s in rte_dma", bench_op_names[c->op]);
		return 1;
	}
	if (c->producers != 1) {
		snprintf(note, notesz, "single producer only");
		return 1;
	}
	if (rte_dma_info_get(dma_id, &info) != 0)
		return -EINVAL;
	if (c->op == OP_FILL && !(info.dev_capa & RTE_DMA_CAPA_OPS_FILL)) {
		snprintf(note, notesz, "device has no fill");
		return 1;
	}
	if (strcmp(info.dev_name, "dma_skeleton") != 0 &&
	    strncmp(info.dev_name, "dma_skeleton", 12) != 0 &&
	    rte_eal_iova_mode() != RTE_IOVA_VA) {
		snprintf(note, notesz, "needs IOVA as VA");
		return 1;
	}
	vc.nb_desc = RTE_MIN(RTE_MAX(c->depth, info.min_desc), info.max_desc);
	dma_stop(dma_id);
	if (rte_dma_configure(dma_id, &conf) != 0 ||
	    rte_dma_vchan_setup(dma_id, 0, &vc) != 0 || rte_dma_start(dma_id) != 0) {
		snprintf(note, notesz, "setup failed");
		return 1;
	}
	dma_started = true;
	*nb_desc = vc.nb_desc;
	return 0;
}

/* Completions of vchan 0; the failed ones counted in *errors. */
static __rte_always_inline uint16_t
dma_reap(int16_t dma_id, uint64_t *errors)
{
	enum rte_dma_status_code st[REAP_BURST];
	bool err = false;
	uint16_t n, m;

	n = rte_dma_completed(dma_id, 0, REAP_BURST, NULL, &err);
	if (unlikely(err)) {
		/* rte_dma_completed() stops at a failure until this is called */
		m = rte_dma_completed_status(dma_id, 0, REAP_BURST, NULL, st);
		for (uint16_t i = 0; i < m; i++)
			*errors += st[i] != RTE_DMA_STATUS_SUCCESSFUL;
		n += m;
	}
	return n;
}

int
bench_dma_run(const struct bench_opts *o, int16_t dma_id,
	      const struct bench_case *c, struct bench_bufs *b,
	      struct bench_figures *f)
{
	uint64_t enq = 0, done = 0, start, end, tsc;
	uint32_t k = 0;
	uint16_t room, nb_desc = 0;
	int ret;

	memset(f, 0, sizeof(*f));
	ret = dma_prepare(dma_id, c, f->note, sizeof(f->note), &nb_desc);
	if (ret != 0)
		return ret < 0 ? ret : 0;
	room = nb_desc - 1;
	bufs_prepare(c, b);
	start = rte_rdtsc();
	end = start + (uint64_t)(o->duration * rte_get_tsc_hz());
	for (;;) {
		if ((uint16_t)(room - (enq - done)) >= c->batch) {
			for (uint16_t i = 0; i < c->batch; i++) {
				int r = c->op == OP_COPY ?
					rte_dma_copy(dma_id, 0, dma_addr(b->src[k]),
						     dma_addr(b->dst[k]), b->size, 0) :
					rte_dma_fill(dma_id, 0, FILL_PATTERN,
						     dma_addr(b->dst[k]), b->size, 0);
				if (r < 0)
					break;
				enq++;
				if (++k == b->nb)
					k = 0;
			}
			rte_dma_submit(dma_id, 0);
		}
		done += dma_reap(dma_id, &f->errors);
		if (rte_rdtsc() >= end)
			break;
	}
	/* Drain what is in flight, failures too. */
	while (done < enq)
		done += dma_reap(dma_id, &f->errors);
	tsc = rte_rdtsc() - start;
	dma_stop(dma_id);
	figures_set(f, done, tsc, c->size);
	return 0;
}

/* ------------------------------------------------------------ latency */

/*
 * One operation in flight: time from just before the enqueue (with SUBMIT)
 * to the moment rte_sva_completed() returns it, with rte_rdtsc(). The first
 * LAT_WARMUP operations are not recorded. At most LAT_MAX_SAMPLES are kept:
 * a run ends at --duration or when that many were taken.
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
	uint64_t end;    /* TSC at which the run is over */
};

/* Start a run of --duration from now: 0 or -ENOMEM. */
static int
lat_begin(struct lat_run *l, const struct bench_opts *o)
{
	l->lat = malloc(sizeof(*l->lat) * LAT_MAX_SAMPLES);
	if (l->lat == NULL)
		return -ENOMEM;
	l->n = 0;
	l->i = 0;
	l->end = rte_rdtsc() + (uint64_t)(o->duration * rte_get_tsc_hz());
	return 0;
}

/* One operation timed from t0 to t1; true when the run is over. */
static __rte_always_inline bool
lat_sample(struct lat_run *l, uint64_t t0, uint64_t t1)
{
	if (++l->i > LAT_WARMUP)
		l->lat[l->n++] = t1 - t0;
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
	extern uint32_t bench_pasid;
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
