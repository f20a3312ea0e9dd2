/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The fault path's histograms (issue 14): the buckets' bounds (eight per
 * power of two), the bucket a time lands in, percentiles of known
 * histograms, and, through a real sva_sim device with page requests, the
 * resolve histogram beside the round trip: one entry per resolved page,
 * and a handler's own time where it belongs.
 */

#define ALLOW_INTERNAL_API 1

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>

/* sva_hist_slot(), sva_hist_count() and sva_hist_read(), inline in the
 * library's private header: checked here against the public bounds. */
#include "rte_sva_fault_priv.h"

#include "test.h"
/* pdev_up(), pdev_down(), fresh(), PG */
#include "test_fault_edge.h"

#define NB RTE_SVA_FAULT_HIST_BUCKETS
#define FH_VDEV "sva_sim_fh0"

/* Every bucket's lower bound: 1 ns apart below 16, then eight per power
 * of two, steps of 1/8 to 1/15; the last bound 2^34 ns. */
static int
test_bounds(void)
{
	static const struct { unsigned int i; uint64_t ns; } known[] = {
		{ 0, 0 }, { 1, 1 }, { 15, 15 }, { 16, 16 }, { 17, 18 }, { 23, 30 },
		{ 24, 32 }, { 25, 36 }, { 32, 64 }, { 80, 4096 }, { 81, 4608 },
		{ 88, 8192 }, { 128, 1u << 18 }, { 255, 15ull << 30 }, { 256, 1ull << 34 },
	};

	for (unsigned int k = 0; k < RTE_DIM(known); k++)
		TEST_ASSERT_EQ(rte_sva_fault_hist_bucket_ns(known[k].i), known[k].ns,
			       "bucket %u", known[k].i);
	for (unsigned int i = 0; i < NB; i++) {
		uint64_t lo = rte_sva_fault_hist_bucket_ns(i);
		uint64_t hi = rte_sva_fault_hist_bucket_ns(i + 1);

		TEST_ASSERT(hi > lo, "bucket %u: %" PRIu64 " .. %" PRIu64 " not increasing",
			    i, lo, hi);
		/* Width over lower bound: 1/15 .. 1/8 from 8 ns on. */
		if (i >= 8) {
			TEST_ASSERT(8 * (hi - lo) <= lo, "bucket %u: %" PRIu64 " .. %" PRIu64
				    " wider than 1/8", i, lo, hi);
			TEST_ASSERT(15 * (hi - lo) >= lo, "bucket %u: %" PRIu64 " .. %" PRIu64
				    " narrower than 1/15", i, lo, hi);
		}
	}
	/* Past the last bound: the last bound (documented). */
	TEST_ASSERT_EQ(rte_sva_fault_hist_bucket_ns(NB + 1), 1ull << 34, "beyond");
	TEST_ASSERT_EQ(rte_sva_fault_hist_bucket_ns(UINT32_MAX), 1ull << 34, "far beyond");
	return TEST_OK;
}

/* A time lands in the slot of the bucket whose bounds hold it: each
 * bound and the value just below it, every value up to 64 K, a spread of
 * larger ones; from 2^34 ns up, slots past the buckets that reading folds
 * into the last bucket. */
static int
test_landing(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int past = 0;

	for (unsigned int i = 0; i < NB; i++) {
		uint64_t lo = rte_sva_fault_hist_bucket_ns(i);
		uint64_t hi = rte_sva_fault_hist_bucket_ns(i + 1);

		TEST_ASSERT_EQ(sva_hist_slot(lo), i, "lower bound %" PRIu64, lo);
		TEST_ASSERT_EQ(sva_hist_slot(hi - 1), i, "upper bound - 1 %" PRIu64, hi - 1);
	}
	for (uint64_t ns = 0; ns < 65536; ns++) {
		unsigned int b = sva_hist_slot(ns);

		TEST_ASSERT(rte_sva_fault_hist_bucket_ns(b) <= ns &&
			    ns < rte_sva_fault_hist_bucket_ns(b + 1), "%" PRIu64 " in %u", ns, b);
	}
	for (unsigned int k = 0; k < 100000; k++) {
		uint64_t ns;
		unsigned int b;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* Any length of 1 to 64 bits: about half past 2^34 ns. */
		ns = x >> (x % 64);
		b = sva_hist_slot(ns);
		if (ns >= 1ull << 34) {
			/* A slot past the buckets, of the buckets' formula:
			 * octave b / 8 - 1, top four bits 8 + b % 8. */
			TEST_ASSERT(b >= NB && b < SVA_HIST_SLOTS, "%" PRIu64 ": slot %u", ns, b);
			TEST_ASSERT_EQ(ns >> ((b >> 3) - 1), 8u | (b & 7), "%" PRIu64 " in slot %u",
				       ns, b);
			past++;
			continue;
		}
		TEST_ASSERT(rte_sva_fault_hist_bucket_ns(b) <= ns &&
			    ns < rte_sva_fault_hist_bucket_ns(b + 1), "%" PRIu64 " in %u", ns, b);
	}
	TEST_ASSERT(past > 10000 && past < 90000, "%u of 100000 past 2^34 ns", past);
	TEST_ASSERT_EQ(sva_hist_slot(1ull << 34), NB, "2^34: the first slot past the buckets");
	TEST_ASSERT_EQ(sva_hist_slot(UINT64_MAX), SVA_HIST_SLOTS - 1, "UINT64_MAX: the last slot");
	/* Counting a time: cycles to ns with the multiplier (here 1 GHz:
	 * 2^32, one ns per cycle; 2 GHz: 2^31), a TSC behind the start
	 * counted as 0; read back, what lies past 2^34 ns in the last
	 * bucket. */
	{
		uint64_t slots[SVA_HIST_SLOTS] = { 0 }, h[NB];

		sva_hist_count(slots, 1ull << 32, 1000, 1000 + 4700);
		TEST_ASSERT_EQ(slots[sva_hist_slot(4700)], 1, "4700 cycles at 1 GHz");
		sva_hist_count(slots, 1ull << 31, 1000, 1000 + 4700);
		TEST_ASSERT_EQ(slots[sva_hist_slot(2350)], 1, "4700 cycles at 2 GHz");
		sva_hist_count(slots, 1ull << 32, 5000, 4000);
		TEST_ASSERT_EQ(slots[0], 1, "TSC behind: 0 ns");
		sva_hist_count(slots, 1ull << 32, 0, UINT64_MAX);
		TEST_ASSERT_EQ(slots[SVA_HIST_SLOTS - 1], 1, "very long: the last slot");
		sva_hist_count(slots, 1ull << 32, 0, 1ull << 34);
		sva_hist_count(slots, 1ull << 32, 0, (1ull << 34) - 1);
		sva_hist_read(h, slots);
		TEST_ASSERT_EQ(test_hist_total(h), 6, "six counted");
		TEST_ASSERT_EQ(h[NB - 1], 3, "2^34 - 1, 2^34 and UINT64_MAX in the last bucket");
		TEST_ASSERT_EQ(h[sva_hist_slot(4700)], 1, "4700 ns");
		TEST_ASSERT_EQ(h[sva_hist_slot(2350)], 1, "2350 ns");
		TEST_ASSERT_EQ(h[0], 1, "0 ns");
	}
	return TEST_OK;
}

/* Percentiles of known histograms: the upper bound of the bucket the
 * percentile falls in, each histogram on its own. */
static int
test_percentiles(void)
{
	struct rte_sva_fault_stats *st = calloc(1, sizeof(*st));

	TEST_ASSERT(st != NULL, "memory");
	TEST_ASSERT_EQ(rte_sva_fault_hist_percentile(st, 50), 0, "empty");
	TEST_ASSERT_EQ(rte_sva_fault_resolve_percentile(st, 50), 0, "empty");
	/* Round trip: 90 in bucket 100, 10 in bucket 140. Resolve: 1 in each
	 * of buckets 20..119. */
	st->hist[100] = 90;
	st->hist[140] = 10;
	for (unsigned int i = 20; i < 120; i++)
		st->resolve_hist[i] = 1;
	/* fn's percentile pct is the upper bound of bucket b. */
#define PCT(fn, pct, b) TEST_ASSERT_EQ(fn(st, pct), rte_sva_fault_hist_bucket_ns((b) + 1), \
				       #fn " %g", (double)(pct))
	PCT(rte_sva_fault_hist_percentile, 0, 100);
	PCT(rte_sva_fault_hist_percentile, 50, 100);
	PCT(rte_sva_fault_hist_percentile, 90, 100);
	PCT(rte_sva_fault_hist_percentile, 90.6, 140);
	PCT(rte_sva_fault_hist_percentile, 99.9, 140);
	PCT(rte_sva_fault_hist_percentile, 100, 140);
	PCT(rte_sva_fault_resolve_percentile, 1, 20);
	PCT(rte_sva_fault_resolve_percentile, 50, 69);
	PCT(rte_sva_fault_resolve_percentile, 99, 118);
	PCT(rte_sva_fault_resolve_percentile, 100, 119);
	/* Outside 0..100: the nearer end (NaN: 0), not the last bound. */
	PCT(rte_sva_fault_hist_percentile, -10, 100);
	PCT(rte_sva_fault_hist_percentile, -1e30, 100);
	PCT(rte_sva_fault_hist_percentile, NAN, 100);
	PCT(rte_sva_fault_hist_percentile, 150, 140);
	PCT(rte_sva_fault_hist_percentile, 1e30, 140);
	PCT(rte_sva_fault_resolve_percentile, -10, 20);
	PCT(rte_sva_fault_resolve_percentile, 1e300, 119);
	/* The last bucket: its upper bound, 2^34 ns. */
	memset(st->hist, 0, sizeof(st->hist));
	st->hist[NB - 1] = 3;
	TEST_ASSERT_EQ(rte_sva_fault_hist_percentile(st, 50), 1ull << 34, "last bucket");
	PCT(rte_sva_fault_resolve_percentile, 50, 69);   /* unchanged */
#undef PCT
	free(st);
	return TEST_OK;
}

/* ------------------------------------------------- through a real device */

/* The case's device: FH_VDEV with page requests, ourselves bound, one
 * queue started, its fault counters zero. */
static struct pdev fh;

static int
fh_case(int (*body)(void))
{
	int r = pdev_up(&fh, FH_VDEV, "pri=1");

	if (r == TEST_OK)
		r = body();
	pdev_down(&fh);
	return r;
}

#define N_ONE 32
/* Less than any CPU fault of an absent page takes (about 2 us here). */
#define FAULT_IN_MIN_NS 64

/* N copies of one page each into absent pages: N groups of one page,
 * N round trips and N resolves; then a copy of 16 absent pages, one
 * group: one more round trip, 16 more resolves; a reset empties both. */
static int
absent_body(void)
{
	struct rte_sva_fault_stats *st = calloc(1, sizeof(*st));
	struct rte_sva_result res[N_ONE];
	uint8_t *src = malloc(16 * PG), *dst = fresh(N_ONE), *big = fresh(16);
	uint64_t rs_p50, rt_p50;

	TEST_ASSERT(st && src && dst && big, "buffers");
	test_fill_random(src, 16 * PG, 7);
	for (unsigned int i = 0; i < N_ONE; i++)
		TEST_ASSERT(rte_sva_copy(fh.id, 0, fh.pasid, src, dst + i * PG, PG,
					 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT) >= 0, "enqueue %u", i);
	TEST_ASSERT_EQ(rte_sva_submit(fh.id, 0), 0, "submit");
	TEST_ASSERT_EQ(test_wait_served(fh.id, 0, N_ONE, res, true, 10), 0, "wait");
	for (unsigned int i = 0; i < N_ONE; i++) {
		TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS, "copy %u: %s", i,
			       rte_sva_status_str(res[i].status));
		TEST_ASSERT(memcmp(dst + i * PG, src, PG) == 0, "copy %u: data", i);
	}
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fh.id, st), 0, "stats");
	TEST_ASSERT_EQ(st->requests, N_ONE, "a request per absent page");
	TEST_ASSERT_EQ(st->groups, N_ONE, "a group per copy");
	TEST_ASSERT_EQ(st->resp_success, N_ONE, "each answered SUCCESS");
	TEST_ASSERT_EQ(test_hist_total(st->hist), N_ONE, "a round trip per group");
	TEST_ASSERT_EQ(test_hist_total(st->resolve_hist), N_ONE, "a resolve per request");
	rs_p50 = rte_sva_fault_resolve_percentile(st, 50);
	rt_p50 = rte_sva_fault_hist_percentile(st, 50);
	printf("    %u absent pages: resolve p50 %" PRIu64 " ns, round trip p50 %" PRIu64
	       " ns\n", N_ONE, rs_p50, rt_p50);
	/* Not the bookkeeping alone (a few dozen instructions): the
	 * worker's fault-in of a fresh page, a kernel entry and a page
	 * zeroed. (> 0 could not fail: a non-empty histogram's
	 * percentile is a bucket's upper bound, 1 ns at least.) */
	TEST_ASSERT(rs_p50 >= FAULT_IN_MIN_NS, "resolve p50 %" PRIu64 " ns: no fault-in",
		    rs_p50);
	TEST_ASSERT(rs_p50 <= rt_p50, "resolve p50 %" PRIu64 " ns over round trip p50 %"
		    PRIu64 " ns", rs_p50, rt_p50);
	TEST_ASSERT(rte_sva_fault_resolve_percentile(st, 100) <=
		    rte_sva_fault_hist_percentile(st, 100),
		    "longest resolve over longest round trip");

	TEST_ASSERT(rte_sva_copy(fh.id, 0, fh.pasid, src, big, 16 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(test_wait_served(fh.id, 0, 1, res, true, 10), 0, "wait");
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_SUCCESS, "%s",
		       rte_sva_status_str(res[0].status));
	TEST_ASSERT(memcmp(big, src, 16 * PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fh.id, st), 0, "stats");
	TEST_ASSERT_EQ(st->requests, N_ONE + 16, "16 more requests");
	TEST_ASSERT_EQ(st->groups, N_ONE + 1, "one more group");
	TEST_ASSERT_EQ(test_hist_total(st->hist), N_ONE + 1, "one more round trip");
	TEST_ASSERT_EQ(test_hist_total(st->resolve_hist), N_ONE + 16, "16 more resolves");

	TEST_ASSERT_EQ(rte_sva_fault_stats_reset(fh.id), 0, "reset");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fh.id, st), 0, "stats");
	TEST_ASSERT_EQ(test_hist_total(st->hist), 0, "round trips reset");
	TEST_ASSERT_EQ(test_hist_total(st->resolve_hist), 0, "resolves reset");
	TEST_ASSERT_EQ(rte_sva_fault_resolve_percentile(st, 50), 0, "empty after reset");
	munmap(dst, N_ONE * PG);
	munmap(big, 16 * PG);
	free(src);
	free(st);
	return TEST_OK;
}

#define SPIN_NS 20000u
#define N_SPIN 8

static unsigned int spin_calls;
static uint64_t spin_max_ns;

/* Demand paging that takes SPIN_NS on the TSC (the time measured, not a
 * wait for anything), then fills the page. */
static int
spin_handler(const struct rte_sva_fault *f, void *arg __rte_unused)
{
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), want = hz * SPIN_NS / 1000000000u;
	uint64_t took;

	while (rte_rdtsc() - t0 < want)
		rte_pause();
	memset((void *)(uintptr_t)f->addr, 0x5a, PG);
	took = (rte_rdtsc() - t0) * 1000000000u / hz;
	spin_max_ns = RTE_MAX(spin_max_ns, took);
	spin_calls++;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* A handler of ~20 us per page: each of its pages' resolves is at least
 * 15 us, no more than ten times the longest spin, and the group's round
 * trip holds all eight. */
static int
handler_body(void)
{
	struct rte_sva_fault_stats *st = calloc(1, sizeof(*st));
	uint8_t *lazy = fresh(N_SPIN), *dst = malloc(N_SPIN * PG);
	struct rte_sva_result r;
	uint64_t slow = 0, p50, p100, rt;
	int ret;

	TEST_ASSERT(st && lazy && dst, "buffers");
	memset(dst, 0, N_SPIN * PG);   /* present: only the handler's pages raise */
	spin_calls = 0;
	spin_max_ns = 0;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)lazy, N_SPIN * PG,
						      spin_handler, NULL), 0, "register");
	ret = rte_sva_copy(fh.id, 0, fh.pasid, lazy, dst, N_SPIN * PG,
			   RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0 &&
		test_wait_served(fh.id, 0, 1, &r, true, 10) == 0 ? 0 : -1;
	TEST_ASSERT_EQ(rte_sva_fault_handler_unregister((uintptr_t)lazy), 0, "unregister");
	TEST_ASSERT_EQ(ret, 0, "copy from the handler's range");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(spin_calls, N_SPIN, "one call per page");
	for (unsigned int i = 0; i < N_SPIN * PG; i += 256)
		TEST_ASSERT_EQ(dst[i], 0x5a, "byte %u", i);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fh.id, st), 0, "stats");
	TEST_ASSERT_EQ(st->requests, N_SPIN, "a request per page of the handler's");
	TEST_ASSERT_EQ(st->groups, 1, "one group");
	TEST_ASSERT_EQ(test_hist_total(st->resolve_hist), N_SPIN, "a resolve per page");
	TEST_ASSERT_EQ(test_hist_total(st->hist), 1, "a round trip for the group");
	for (unsigned int i = 0; i < NB; i++)
		if (rte_sva_fault_hist_bucket_ns(i) >= 15000)
			slow += st->resolve_hist[i];
	p50 = rte_sva_fault_resolve_percentile(st, 50);
	p100 = rte_sva_fault_resolve_percentile(st, 100);
	rt = rte_sva_fault_hist_percentile(st, 50);
	printf("    handler of %u ns: resolve p50 %" PRIu64 " ns, max %" PRIu64
	       " ns (longest spin %" PRIu64 " ns); round trip %" PRIu64 " ns\n",
	       SPIN_NS, p50, p100, spin_max_ns, rt);
	TEST_ASSERT_EQ(slow, N_SPIN, "every resolve from 15 us up");
	TEST_ASSERT(p50 >= 15000, "resolve p50 %" PRIu64 " ns", p50);
	TEST_ASSERT(p50 <= 10 * spin_max_ns, "resolve p50 %" PRIu64 " ns, spins up to %"
		    PRIu64 " ns", p50, spin_max_ns);
	TEST_ASSERT(rt >= N_SPIN * 15000ull, "round trip %" PRIu64 " ns holds %u resolves",
		    rt, N_SPIN);
	munmap(lazy, N_SPIN * PG);
	free(dst);
	free(st);
	return TEST_OK;
}

static int
test_absent(void)
{
	return fh_case(absent_body);
}

static int
test_handler_time(void)
{
	return fh_case(handler_body);
}

static const struct test_case cases[] = {
	{ "bucket bounds: eight per power of two, up to 2^34 ns", test_bounds },
	{ "a time lands in the bucket that holds it", test_landing },
	{ "percentiles of known histograms", test_percentiles },
	{ "absent pages: a resolve per request, a round trip per group", test_absent },
	{ "a 20 us handler shows in the resolve histogram", test_handler_time },
};

const struct test_suite suite_fault_hist = { "fault_hist", cases, RTE_DIM(cases) };
