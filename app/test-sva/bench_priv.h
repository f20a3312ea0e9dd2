/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_SVA_BENCH_PRIV_H
#define TEST_SVA_BENCH_PRIV_H

/* What the throughput (bench.c) and latency (latency.c) measurements
 * share: the buffers' states, one SVA producer's enqueue (inline: it is on
 * the measured path), the rte_dma device's setup. */

#include <stdbool.h>
#include <stdint.h>

#ifdef TEST_SVA_HAVE_ISAL
#include <isa-l/crc.h>
#endif

#include <rte_dmadev.h>
#include <rte_hash_crc.h>
#include <rte_sva.h>

#include "test_sva.h"

#define FILL_PATTERN 0x5aa5c33c0ff0e11eull
#define REAP_BURST 64

/* One SVA producer: its queue and the buffers it cycles through. */
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

/* Put buffers in the state each operation expects (and verifies). */
void bufs_prepare(const struct bench_case *c, struct bench_bufs *b);

/* The CPU's CRC32C baseline: ISA-L's crc32_iscsi when built with it (a raw
 * update, like rte_hash_crc: neither inverts), below CPU_CRC_ISAL_MIN
 * bytes DPDK's serial SSE4.2 loop, which is faster there. */
#define CPU_CRC_ISAL_MIN 256u
static inline uint32_t
cpu_crc32c(uint32_t seed, const void *p, uint32_t n)
{
#ifdef TEST_SVA_HAVE_ISAL
	if (n >= CPU_CRC_ISAL_MIN && n <= INT32_MAX)
		return ~crc32_iscsi((unsigned char *)(uintptr_t)p, (int)n, ~seed);
#endif
	return ~rte_hash_crc(p, n, ~seed);
}

/* What cpu_crc32c runs, for the output's header. */
static inline const char *
cpu_crc32c_impl(void)
{
#ifdef TEST_SVA_HAVE_ISAL
	return "ISA-L crc32_iscsi (serial SSE4.2 below 256 B)";
#else
	return "serial SSE4.2 (rte_hash_crc)";
#endif
}

/* Configure and start dev_id with nb_queues queues of depth. */
int sva_setup(int16_t dev_id, uint16_t nb_queues, uint16_t depth);
/* Whether the producer's buffers hold what its operation produces. */
bool sva_verify(struct sva_worker *w);
/* The IOVA rte_dma is given for va. */
rte_iova_t dma_addr(const void *va);
void dma_stop(int16_t dma_id);
/* Configure and start the rte_dma device for case c (else a note why). */
int dma_prepare(int16_t dma_id, const struct bench_case *c, char *note,
		size_t notesz, uint16_t *nb_desc);

/* Enqueue buffer k's operation of w's case on its queue. */
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

#endif
