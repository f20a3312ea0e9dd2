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
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "bench_priv.h"
#include "test_sva.h"

const char *const bench_op_names[OP_COUNT] = {
	[OP_COPY] = "copy",
	[OP_FILL] = "fill",
	[OP_COMPARE] = "compare",
	[OP_COMPARE_PATTERN] = "compare_pattern",
	[OP_CRC32C] = "crc32c",
	[OP_COPY_CRC32C] = "copy_crc32c",
	[OP_DUALCAST] = "dualcast",
};

/* The buffers themselves (kinds, nodes, flush): bufs.c. */

static void
pattern_fill(uint8_t *p, uint32_t n, uint64_t pat)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(pat >> ((i % 8) * 8));
}

/* Put buffers in the state each operation expects (and verifies). */
void
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
	bench_bufs_flush(b);   /* --cache-flush: every pass starts cold */
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
	f->busy_ns_op = NAN;
}

/* --------------------------------------------------------------- SVA side */

static uint32_t start_flag;

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

int
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
bool
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
	uint64_t ops = 0, errors = 0, tsc = 0, busy_ns = 0;
	uint16_t nd = RTE_MIN(nb_devs, c->producers);
	bool ok = true, busy_ok = true;
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
	/* The engines' busy time of this pass: counted from here. */
	for (uint16_t d = 0; d < nd; d++)
		rte_sva_stats_reset(devs[d], RTE_SVA_ALL_QUEUES);
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
	/* Before the verification's ops: the pass's alone (less, at most,
	 * the last burst's, which an engine adds after its last record). A
	 * device that cannot say makes the sum unknown (0: not printed). */
	for (uint16_t d = 0; d < nd && busy_ok; d++) {
		struct rte_sva_stats st = { 0 };

		busy_ok = rte_sva_stats_get(devs[d], RTE_SVA_ALL_QUEUES, &st) == 0 &&
			st.busy_ns != 0;
		busy_ns += st.busy_ns;
	}
	/* Verify on every device: through the first queue of each. */
	for (uint16_t d = 0; d < nd && ok; d++)
		ok = errors == 0 && (!o->verify || sva_verify(&w[d]));
	*verified = ok;
	for (uint16_t d = 0; d < nd; d++)
		rte_sva_stop(devs[d]);
	figures_set(f, ops, tsc, c->size);
	f->errors = errors;
	if (busy_ok && ops != 0)
		f->busy_ns_op = (double)busy_ns / (double)ops;
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

rte_iova_t
dma_addr(const void *va)
{
	/* With IOVA as VA (and for CPU-backed devices such as dma_skeleton)
	 * a process address is the device address. */
	return (rte_iova_t)(uintptr_t)va;
}

/* rte_dma_stop() logs when the device is not started: track it. */
static bool dma_started;

void
dma_stop(int16_t dma_id)
{
	if (dma_started)
		rte_dma_stop(dma_id);
	dma_started = false;
}

/* Configure and start the rte_dma device for a case: 0, 1 when the case
 * is not for it (note set), <0 on an error. *nb_desc: the ring depth. */
int
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
