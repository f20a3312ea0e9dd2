/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim engine's fast path (sim_exec.c: sim_exec_fast(), sim_xlat.h:
 * sim_xlat_fast()): copies and CRCs whose every page is in the translation
 * cache run in one piece, the pages of a buffer checked one after the
 * other. These cases make the fast path take buffers of several pages,
 * CRCs whose completion records are fetched ahead of their execution,
 * addresses beyond the address width whose page number the cache would
 * alias, and faults inside it; each outcome must be the full path's.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>

#include "test_sim_edge.h"

#define FP_BUFS  8
#define FP_OPS   48              /* > the queue depth's half: records wrap */
#define FP_LEN   (2 * PG + 300)  /* three pages from an odd offset */
#define FP_OFF   100

/* CRCs of three-page buffers, one doorbell for the lot: every op writes
 * its record (the CRC is in it), each right, each counted a hit per page. */
static int
fp_crc_batch_body(void)
{
	struct rte_sva_result r[FP_OPS];
	struct rte_sva_stats st;
	uint8_t *buf[FP_BUFS];
	uint64_t pages, t0;
	double elapsed_ns;

	for (int i = 0; i < FP_BUFS; i++) {
		buf[i] = aligned_alloc(PG, 4 * PG);
		TEST_ASSERT(buf[i] != NULL, "buffer");
		test_fill_random(buf[i], 4 * PG, 77 + i);
	}
	/* Warm: the pages go into the translation cache (full path). */
	for (int i = 0; i < FP_BUFS; i++)
		TEST_ASSERT(rte_sva_crc32c(edev, 0, epasid, buf[i] + FP_OFF, 0, FP_LEN, 0) >= 0,
			    "warm enqueue");
	TEST_ASSERT_EQ(rte_sva_submit(edev, 0), 0, "submit");
	TEST_ASSERT_EQ(edge_wait(edev, 0, FP_BUFS, r, false), 0, "warm wait");
	TEST_ASSERT_EQ(rte_sva_stats_reset(edev, RTE_SVA_ALL_QUEUES), 0, "stats reset");
	t0 = rte_get_tsc_cycles();
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < FP_OPS; i++)
			TEST_ASSERT(rte_sva_crc32c(edev, 0, epasid, buf[i % FP_BUFS] + FP_OFF,
						   (uint32_t)i, FP_LEN, 0) >= 0, "enqueue %d", i);
		TEST_ASSERT_EQ(rte_sva_submit(edev, 0), 0, "submit");
		TEST_ASSERT_EQ(edge_wait(edev, 0, FP_OPS, r, false), 0, "wait");
		for (int i = 0; i < FP_OPS; i++) {
			TEST_ASSERT_EQ(r[i].status, RTE_SVA_STATUS_SUCCESS, "op %d: %s", i,
				       rte_sva_status_str(r[i].status));
			TEST_ASSERT_EQ(r[i].crc, test_crc32c_ref((uint32_t)i,
							       buf[i % FP_BUFS] + FP_OFF, FP_LEN),
				       "op %d crc", i);
		}
	}
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	pages = (uint64_t)2 * FP_OPS * 3;  /* three pages each, one buffer */
	TEST_ASSERT_EQ(st.atc_hits, pages, "a hit per page: %" PRIu64, st.atc_hits);
	TEST_ASSERT_EQ(st.atc_misses, 0, "no miss once warm");
	/* The engine's busy time: some, and no more than the time the work
	 * was in flight (one engine); none after a reset with no work. The
	 * engine adds a burst's time after its last record: stopped (its
	 * thread joined), every add is in, and none comes after the reset. */
	TEST_ASSERT_EQ(rte_sva_stop(edev), 0, "stop");
	elapsed_ns = (double)(rte_get_tsc_cycles() - t0) * 1e9 / (double)rte_get_tsc_hz();
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	TEST_ASSERT(st.busy_ns > 0 && (double)st.busy_ns <= elapsed_ns,
		    "busy %" PRIu64 " ns of %.0f ns", st.busy_ns, elapsed_ns);
	TEST_ASSERT_EQ(rte_sva_stats_reset(edev, RTE_SVA_ALL_QUEUES), 0, "stats reset");
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	TEST_ASSERT_EQ(st.busy_ns, 0, "busy time reset");
	for (int i = 0; i < FP_BUFS; i++)
		free(buf[i]);
	return TEST_OK;
}
EDGE_CASE(test_fp_crc_batch, "sva_sim_fp0", "", 1, false, fp_crc_batch_body)

/* Copies of three pages each side, cached: the bytes, a hit per page of
 * both buffers. */
static int
fp_copy_pages_body(void)
{
	struct rte_sva_result r[FP_BUFS];
	struct rte_sva_stats st;
	uint8_t *src = aligned_alloc(PG, 4 * PG), *dst = aligned_alloc(PG, 4 * PG);

	TEST_ASSERT(src != NULL && dst != NULL, "buffers");
	test_fill_random(src, 4 * PG, 5);
	memset(dst, 0, 4 * PG);
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src + FP_OFF, dst + FP_OFF + 8, FP_LEN,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "warm");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, r, false), 0, "warm wait");
	TEST_ASSERT_EQ(rte_sva_stats_reset(edev, RTE_SVA_ALL_QUEUES), 0, "stats reset");
	memset(dst, 0, 4 * PG);
	for (int i = 0; i < FP_BUFS; i++)
		TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src + FP_OFF + i, dst + FP_OFF + 8 + i,
					 FP_LEN - FP_BUFS, 0) >= 0, "enqueue %d", i);
	TEST_ASSERT_EQ(rte_sva_submit(edev, 0), 0, "submit");
	TEST_ASSERT_EQ(edge_wait(edev, 0, FP_BUFS, r, false), 0, "wait");
	for (int i = 0; i < FP_BUFS; i++)
		TEST_ASSERT_EQ(r[i].status, RTE_SVA_STATUS_SUCCESS, "op %d", i);
	TEST_ASSERT(memcmp(dst + FP_OFF + 8, src + FP_OFF, FP_LEN - 1) == 0, "bytes");
	TEST_ASSERT(all_zero(dst, FP_OFF + 8), "nothing before");
	TEST_ASSERT(all_zero(dst + FP_OFF + 8 + FP_LEN - 1, 4 * PG - (FP_OFF + 8 + FP_LEN - 1)),
		    "nothing after");
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	TEST_ASSERT_EQ(st.atc_hits, (uint64_t)FP_BUFS * 2 * 3, "hits %" PRIu64, st.atc_hits);
	free(src);
	free(dst);
	return TEST_OK;
}
EDGE_CASE(test_fp_copy_pages, "sva_sim_fp1", "", 1, false, fp_copy_pages_body)

/* A buffer whose end wraps past 2^64 (its last byte's address is small:
 * the width test must look at the start too), and buffers of several
 * pages with bits above the address width set over cached pages: all
 * untranslatable, whatever the cache holds, and nothing written. */
static int
fp_width_body(void)
{
	struct rte_sva_result r;
	uint8_t *a = aligned_alloc(PG, 4 * PG), *b = aligned_alloc(PG, 4 * PG);
	const uint8_t *top = (const uint8_t *)(uintptr_t)(UINT64_MAX - PG + 1);

	TEST_ASSERT(a != NULL && b != NULL, "buffers");
	memset(a, 1, 4 * PG);
	memset(b, 2, 4 * PG);
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, a, b, 3 * PG, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "warm");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "warm wait");
	memset(b, 2, 4 * PG);
	TEST_ASSERT(rte_sva_crc32c(edev, 0, epasid, top, 0, 2 * PG,
				   RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "wrapping crc: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)top, "its address");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, NONCANON(a), b, 3 * PG,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "wide source: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)NONCANON(a), "its address");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, a, (void *)(uintptr_t)NONCANON(b), 3 * PG,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "wide destination: %s",
		       rte_sva_status_str(r.status));
	for (size_t i = 0; i < 4 * PG; i++)
		TEST_ASSERT_EQ(b[i], 2, "nothing written: byte %zu", i);
	free(a);
	free(b);
	return TEST_OK;
}
EDGE_CASE(test_fp_width, "sva_sim_fp2", "", 1, false, fp_width_body)

/* A CRC and a copy over cached pages, the third page made unreadable
 * after the cache took it (a fault inside the fast path's data stage):
 * PAGE_FAULT at that page, the bytes before it completed, exactly; then
 * the copy with its destination's second page made read-only instead. */
static int
fp_fault_body(void)
{
	struct rte_sva_result r;
	uint8_t *a = fresh(4), *b = fresh(4);
	uint32_t before = 2 * PG - FP_OFF;

	TEST_ASSERT(a != NULL && b != NULL, "buffers");
	memset(a, 3, 4 * PG);
	memset(b, 0, 4 * PG);
	TEST_ASSERT(rte_sva_crc32c(edev, 0, epasid, a + FP_OFF, 0, FP_LEN,
				   RTE_SVA_OP_FLAG_SUBMIT) >= 0, "warm");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "warm wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "warm crc");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, a + FP_OFF, b + FP_OFF, FP_LEN,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "warm");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "warm wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "warm copy");
	TEST_ASSERT_EQ(mprotect(a + 2 * PG, PG, PROT_NONE), 0, "mprotect");
	TEST_ASSERT(rte_sva_crc32c(edev, 0, epasid, a + FP_OFF, 0, FP_LEN,
				   RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "crc: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr & ~(uint64_t)(PG - 1), (uintptr_t)(a + 2 * PG),
		       "crc fault page");
	TEST_ASSERT_EQ(r.bytes_completed, before, "crc bytes completed");
	memset(b, 0, 4 * PG);
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, a + FP_OFF, b + FP_OFF, FP_LEN,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "copy: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr & ~(uint64_t)(PG - 1), (uintptr_t)(a + 2 * PG),
		       "copy fault page");
	TEST_ASSERT_EQ(r.bytes_completed, before, "copy bytes completed");
	TEST_ASSERT(memcmp(b + FP_OFF, a + FP_OFF, before) == 0, "the bytes before it");
	TEST_ASSERT(all_zero(b + 2 * PG, 2 * PG), "nothing after");
	/* and on the destination side, its middle page made read-only: a
	 * pass that wrote the page after it first would show there */
	TEST_ASSERT_EQ(mprotect(a + 2 * PG, PG, PROT_READ | PROT_WRITE), 0, "mprotect");
	memset(b, 0, 4 * PG);
	TEST_ASSERT_EQ(mprotect(b + PG, PG, PROT_READ), 0, "mprotect");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, a + FP_OFF, b + FP_OFF, FP_LEN,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "copy, destination: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr & ~(uint64_t)(PG - 1), (uintptr_t)(b + PG),
		       "copy destination fault page");
	TEST_ASSERT_EQ(r.bytes_completed, PG - FP_OFF, "copy, destination: bytes completed");
	TEST_ASSERT(memcmp(b + FP_OFF, a + FP_OFF, PG - FP_OFF) == 0,
		    "copy, destination: the bytes before it");
	TEST_ASSERT(all_zero(b + PG, 3 * PG), "copy, destination: nothing after");
	munmap(a, 4 * PG);
	munmap(b, 4 * PG);
	return TEST_OK;
}
EDGE_CASE(test_fp_fault, "sva_sim_fp3", "", 1, false, fp_fault_body)

/* The engine's own copy (sim_copy.c, AVX2 where the CPU has it) over
 * every shape its loop and ends take: each length 129..400 (the head, the
 * four-vector loop, the one-vector loop and the tail in every mix), page
 * and chunk edges, and every destination and source offset in a line.
 * The bytes, and none written outside the destination (guard bytes). */
#define CP_GUARD 64
#define CP_MAXLEN (2 * PG + 1)
#define CP_BATCH 32
/* aligned_alloc() sizes: multiples of the alignment (C11; ASan holds to it) */
#define CP_SRC_SZ RTE_ALIGN_CEIL(CP_MAXLEN + 2 * PG, PG)
#define CP_DST_SZ RTE_ALIGN_CEIL(CP_MAXLEN + 2 * PG + 2 * CP_GUARD, PG)

static int
cp_check(const uint8_t *src, const uint8_t *dst, uint32_t len)
{
	for (uint32_t k = 0; k < CP_GUARD; k++) {
		TEST_ASSERT_EQ(dst[k], 0xee, "len %u: guard byte %u before written", len, k);
		TEST_ASSERT_EQ(dst[CP_GUARD + len + k], 0xee,
			       "len %u: guard byte %u after written", len, k);
	}
	TEST_ASSERT(memcmp(dst + CP_GUARD, src, len) == 0, "len %u: bytes differ", len);
	return TEST_OK;
}

static int
fp_copy_shapes_body(void)
{
	static const uint32_t edges[] = { 1023, 1024, 1025, PG - 1, PG, PG + 1,
					  PG + 31, PG + 33, 2 * PG + 1 };
	struct rte_sva_result r[CP_BATCH];
	uint32_t lens[CP_BATCH], offs[CP_BATCH];
	uint8_t *src = aligned_alloc(PG, CP_SRC_SZ);
	uint8_t *dst[CP_BATCH];
	unsigned int nl = 0, n = 0;
	uint32_t all[400 - 129 + 1 + RTE_DIM(edges)];

	TEST_ASSERT(src != NULL, "source");
	test_fill_random(src, CP_SRC_SZ, 4242);
	for (uint32_t len = 129; len <= 400; len++)
		all[nl++] = len;
	for (unsigned int i = 0; i < RTE_DIM(edges); i++)
		all[nl++] = edges[i];
	for (int i = 0; i < CP_BATCH; i++) {
		dst[i] = aligned_alloc(PG, CP_DST_SZ);
		TEST_ASSERT(dst[i] != NULL, "destination");
	}
	for (unsigned int li = 0; li < nl; li++) {
		for (uint32_t off = 0; off < 64; off++) {
			/* destination offset off, source offset 63 - off:
			 * every pair of alignments over a few lengths */
			uint8_t *d = dst[n];
			uint32_t len = all[li];

			memset(d, 0xee, CP_DST_SZ);
			lens[n] = len;
			offs[n] = off;
			TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src + (63 - off),
						 d + off + CP_GUARD, len, 0) >= 0,
				    "enqueue len %u off %u", len, off);
			if (++n < CP_BATCH && !(li == nl - 1 && off == 63))
				continue;
			TEST_ASSERT_EQ(rte_sva_submit(edev, 0), 0, "submit");
			TEST_ASSERT_EQ(edge_wait(edev, 0, n, r, false), 0, "wait");
			for (unsigned int i = 0; i < n; i++) {
				uint32_t o = offs[i];

				TEST_ASSERT_EQ(r[i].status, RTE_SVA_STATUS_SUCCESS, "len %u: %s",
					       lens[i], rte_sva_status_str(r[i].status));
				TEST_RUN(cp_check(src + (63 - o), dst[i] + o, lens[i]));
			}
			n = 0;
		}
	}
	for (int i = 0; i < CP_BATCH; i++)
		free(dst[i]);
	free(src);
	return TEST_OK;
}
EDGE_CASE(test_fp_copy_shapes, "sva_sim_fp4", "", 1, false, fp_copy_shapes_body)

static const struct test_case cases[] = {
	{ "CRCs of cached pages, one doorbell", test_fp_crc_batch },
	{ "copies of cached pages", test_fp_copy_pages },
	{ "address width over cached pages", test_fp_width },
	{ "fault inside the fast path", test_fp_fault },
	{ "copies of every length and alignment", test_fp_copy_shapes },
};

const struct test_suite suite_sim_fastpath = { "sim_fastpath", cases, RTE_DIM(cases) };
