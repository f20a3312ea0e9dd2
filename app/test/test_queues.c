/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Queues: ring indices and their wrap, a full ring, completion order with
 * errors, shared work queues (back-pressure and several producers) and the
 * statistics they keep. */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_sva_fault.h>
#include <rte_pause.h>

#include "test.h"

#define PAGE 4096u

static uint32_t
unbound_pasid(void)
{
	uint32_t p = (tenv.pasid + 0x5555) & 0xfffff;

	return p == 0 ? 1 : p;
}

static void
fast_fill(void *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 0x1234567;
	uint8_t *b = p;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(b + i, &x, 8);
	}
	for (; i < n; i++)
		b[i] = (uint8_t)(x >> (i % 8 * 8));
}

static int
stats_eq(int16_t d, uint16_t q, uint64_t sub, uint64_t cpl, uint64_t err,
	 uint64_t pf, uint64_t bytes, const char *what)
{
	struct rte_sva_stats s;

	memset(&s, 0xee, sizeof(s));
	TEST_ASSERT_EQ(rte_sva_stats_get(d, q, &s), 0, "stats_get %s", what);
	TEST_ASSERT_EQ(s.submitted, sub, "%s: submitted", what);
	TEST_ASSERT_EQ(s.completed, cpl, "%s: completed", what);
	TEST_ASSERT_EQ(s.errors, err, "%s: errors", what);
	TEST_ASSERT_EQ(s.page_faults, pf, "%s: page_faults", what);
	TEST_ASSERT_EQ(s.bytes, bytes, "%s: bytes", what);
	TEST_ASSERT_EQ(s.submitted, s.completed + s.errors, "%s: balance", what);
	return TEST_OK;
}

/* ------------------------------------------------------------ wraparound */

#define WRAP_BURST 31
#define WRAP_LEN 64
#define WRAP_BURSTS 2300   /* 71300 operations: more than 65536 */

static int
wrap_body(uint8_t *src, uint8_t *dst)
{
	const int16_t d = tenv.dev_id;
	uint16_t expect = 0, last = 0;
	uint64_t done = 0;
	bool first = true, err;

	TEST_ASSERT_EQ(test_dev_setup(d, 1, 32), 0, "one queue of 32");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, 0), 31, "capacity of depth 32");
	for (int b = 0; b < WRAP_BURSTS; b++) {
		uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
		uint16_t got = 0;

		fast_fill(src, WRAP_BURST * WRAP_LEN, b);
		memset(dst, 0, WRAP_BURST * WRAP_LEN);
		for (int i = 0; i < WRAP_BURST; i++) {
			int idx = rte_sva_copy(d, 0, tenv.pasid, src + i * WRAP_LEN,
					       dst + i * WRAP_LEN, WRAP_LEN, 0);

			TEST_ASSERT(idx >= 0, "burst %d op %d: %d", b, i, idx);
			if (first) {
				expect = (uint16_t)idx;
				first = false;
			}
			TEST_ASSERT_EQ(idx, expect, "burst %d op %d", b, i);
			expect++;
		}
		TEST_ASSERT_EQ(rte_sva_burst_capacity(d, 0), 0, "ring full");
		TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
		while (got < WRAP_BURST) {
			uint16_t n = rte_sva_completed(d, 0, WRAP_BURST - got, &last, &err);

			TEST_ASSERT(!err, "burst %d: error reported", b);
			if (n > 0) {
				got += n;
				TEST_ASSERT_EQ(last, (uint16_t)(expect - WRAP_BURST + got - 1),
					       "burst %d last_idx", b);
			} else {
				TEST_ASSERT(rte_get_timer_cycles() < deadline,
					    "burst %d: %u of %u", b, got, WRAP_BURST);
				rte_pause();
			}
		}
		TEST_ASSERT(memcmp(src, dst, WRAP_BURST * WRAP_LEN) == 0, "burst %d data", b);
		done += WRAP_BURST;
	}
	TEST_ASSERT(done > 70000, "ran %llu ops", (unsigned long long)done);
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, 0), 31, "capacity at the end");
	return stats_eq(d, 0, done, done, 0, 0, done * WRAP_LEN, "wrap");
}

static int
test_wraparound(void)
{
	uint8_t *src = malloc(WRAP_BURST * WRAP_LEN);
	uint8_t *dst = malloc(WRAP_BURST * WRAP_LEN);
	int ret;

	TEST_ASSERT(src && dst, "malloc");
	ret = wrap_body(src, dst);
	free(src);
	free(dst);
	TEST_ASSERT_EQ(test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH), 0,
		       "restore");
	return ret;
}

/* ------------------------------------------------------------ queue full */

#define FULL_LEN 16

static int
test_queue_full(void)
{
	const int16_t d = tenv.dev_id;
	const uint16_t q = 1;
	uint16_t cap0 = rte_sva_burst_capacity(d, q);
	uint8_t *src = malloc(TEST_DEPTH * FULL_LEN), *dst = malloc(TEST_DEPTH * FULL_LEN);
	struct rte_sva_result *res = calloc(TEST_DEPTH, sizeof(*res));
	int count = 0, first = -1, idx;

	TEST_ASSERT(src && dst && res, "malloc");
	TEST_ASSERT_EQ(cap0, TEST_DEPTH - 1, "capacity of an idle queue");
	fast_fill(src, TEST_DEPTH * FULL_LEN, 5);
	memset(dst, 0, TEST_DEPTH * FULL_LEN);
	for (;;) {
		idx = rte_sva_copy(d, q, tenv.pasid, src + count * FULL_LEN,
				   dst + count * FULL_LEN, FULL_LEN, 0);
		if (idx < 0)
			break;
		if (first < 0)
			first = idx;
		TEST_ASSERT_EQ(idx, (uint16_t)(first + count), "index of op %d", count);
		count++;
		TEST_ASSERT(count <= TEST_DEPTH, "ring never fills");
		TEST_ASSERT_EQ(rte_sva_burst_capacity(d, q), cap0 - count, "capacity");
	}
	TEST_ASSERT_EQ(idx, -ENOSPC, "full ring");
	TEST_ASSERT_EQ(count, TEST_DEPTH - 1, "ops accepted");
	TEST_ASSERT_EQ(count, cap0, "initial burst_capacity");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, q), 0, "capacity when full");
	TEST_ASSERT_EQ(rte_sva_fill(d, q, tenv.pasid, 0, dst, 8, RTE_SVA_OP_FLAG_SUBMIT),
		       -ENOSPC, "fill on a full ring");
	TEST_ASSERT_EQ(rte_sva_submit(d, q), 0, "submit");
	TEST_ASSERT_EQ(test_wait_results(d, q, count, res), 0, "reap");
	for (int i = 0; i < count; i++)
		TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS, "op %d", i);
	TEST_ASSERT(memcmp(src, dst, count * FULL_LEN) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, q), cap0, "capacity after reaping");
	/* -ENOSPC consumed no index. */
	idx = rte_sva_copy(d, q, tenv.pasid, src, dst, FULL_LEN, RTE_SVA_OP_FLAG_SUBMIT);
	TEST_ASSERT_EQ(idx, (uint16_t)(first + count), "index after -ENOSPC");
	TEST_ASSERT_EQ(test_wait_results(d, q, 1, res), 0, "reap");
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_SUCCESS, "status");
	free(src);
	free(dst);
	free(res);
	return TEST_OK;
}

/* ----------------------------------------------- completed() and errors */

static int
test_completed_stops_at_error(void)
{
	const int16_t d = tenv.dev_id;
	uint8_t *src = malloc(3 * PAGE), *dst = malloc(3 * PAGE);
	uint64_t deadline;
	uint16_t n = 0, got, last = 0, st[4];
	bool err = false;
	int i0, i1, i2;

	TEST_ASSERT(src && dst, "malloc");
	fast_fill(src, 3 * PAGE, 6);
	memset(dst, 0xcd, 3 * PAGE);
	i0 = rte_sva_copy(d, 0, tenv.pasid, src, dst, 1000, 0);
	i1 = rte_sva_copy(d, 0, unbound_pasid(), src + PAGE, dst + PAGE, 1000, 0);
	i2 = rte_sva_copy(d, 0, tenv.pasid, src + 2 * PAGE, dst + 2 * PAGE, 2000, 0);
	TEST_ASSERT(i0 >= 0 && i1 == (uint16_t)(i0 + 1) && i2 == (uint16_t)(i0 + 2),
		    "indices %d %d %d", i0, i1, i2);
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while (!err) {
		got = rte_sva_completed(d, 0, 4, &last, &err);
		if (got > 0)
			TEST_ASSERT_EQ(last, i0, "last_idx of the good op");
		n += got;
		TEST_ASSERT(n <= 1, "completed() went past the failed op");
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "no error reported");
		rte_pause();
	}
	TEST_ASSERT_EQ(n, 1, "ops reaped before the error");
	/* The failed op stays first: completed() keeps stopping there. */
	err = false;
	TEST_ASSERT_EQ(rte_sva_completed(d, 0, 4, &last, &err), 0, "again");
	TEST_ASSERT(err, "error reported again");
	n = 0;
	deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	while (n < 2) {
		n += rte_sva_completed_status(d, 0, 2 - n, &last, st + n);
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "%u of 2", n);
	}
	TEST_ASSERT_EQ(st[0], RTE_SVA_STATUS_INVALID_PASID, "%s", rte_sva_status_str(st[0]));
	TEST_ASSERT_EQ(st[1], RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(st[1]));
	TEST_ASSERT_EQ(last, i2, "last_idx after completed_status");
	TEST_ASSERT(memcmp(src, dst, 1000) == 0, "first copy");
	TEST_ASSERT(memcmp(src + 2 * PAGE, dst + 2 * PAGE, 2000) == 0, "third copy");
	for (unsigned int i = PAGE; i < 2 * PAGE; i++)
		TEST_ASSERT_EQ(dst[i], 0xcd, "failed copy wrote byte %u", i - PAGE);
	err = true;
	TEST_ASSERT_EQ(rte_sva_completed(d, 0, 4, &last, &err), 0, "nothing left");
	TEST_ASSERT(!err, "has_error cleared when there is no error");
	free(src);
	free(dst);
	return TEST_OK;
}

/* -------------------------------------------------------- shared queues */

static int
shared_setup(uint16_t nb_queues, uint16_t depth, uint16_t wq_size)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qc = { .nb_desc = depth,
		.mode = RTE_SVA_QUEUE_SHARED, .wq_id = 0, .wq_size = wq_size,
		.socket_id = SOCKET_ID_ANY };

	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_configure(tenv.dev_id, &conf), 0, "configure");
	for (uint16_t q = 0; q < nb_queues; q++)
		TEST_ASSERT_EQ(rte_sva_queue_setup(tenv.dev_id, q, &qc), 0,
			       "shared queue %u", q);
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start");
	return TEST_OK;
}

#define BP_N 20
#define BP_LEN 512

/* The engine of a pri=1 device is held in a page request nobody answers
 * yet (block-on-fault, no fault worker), so nothing drains its shared WQ
 * of 4 slots: 20 more copies fill it, submit says -EBUSY, and answering
 * the request lets everything through. (An enqueue on a stopped device is
 * refused, so stopping it cannot hold the WQ.) */
static int
backpressure_body(int16_t d, uint32_t pasid, uint8_t *src, uint8_t *dst, uint8_t *absent)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .mode = RTE_SVA_QUEUE_SHARED,
		.wq_id = 0, .wq_size = 4, .socket_id = SOCKET_ID_ANY };
	struct rte_sva_result res[BP_N + 1];
	struct rte_sva_fault_stats fst;
	struct rte_sva_stats s;
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	uint16_t got = 0;

	TEST_ASSERT_EQ(rte_sva_configure(d, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &qc), 0, "shared queue");
	TEST_ASSERT_EQ(rte_sva_start(d), 0, "start");
	fast_fill(src, BP_N * BP_LEN, 7);
	memset(dst, 0, BP_N * BP_LEN);
	TEST_ASSERT(rte_sva_copy(d, 0, pasid, src, absent, BP_LEN,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "the copy that holds the engine");
	do {
		TEST_ASSERT_EQ(rte_sva_fault_stats_get(d, &fst), 0, "fault stats");
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "no page request");
	} while (fst.queue_hwm == 0);
	for (int i = 0; i < BP_N; i++)
		TEST_ASSERT(rte_sva_copy(d, 0, pasid, src + i * BP_LEN,
					 dst + i * BP_LEN, BP_LEN, 0) >= 0, "enq %d", i);
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), -EBUSY, "submit to a full shared WQ");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 0, &s), 0, "stats");
	TEST_ASSERT(s.submit_retries >= 1, "submit_retries %llu",
		    (unsigned long long)s.submit_retries);
	TEST_ASSERT_EQ(s.submitted, 1 + 4, "the held copy, then the WQ's 4 slots");
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), -EBUSY, "still full");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 0, &s), 0, "stats");
	TEST_ASSERT(s.submit_retries >= 2, "retries %llu",
		    (unsigned long long)s.submit_retries);
	TEST_ASSERT_EQ(s.submitted, 1 + 4, "still 5");
	/* Answer the request; reaping hands the staged rest to the WQ. */
	while (got < BP_N + 1) {
		rte_sva_fault_process(d, 64);
		got += rte_sva_completed_results(d, 0, BP_N + 1 - got, NULL, res + got);
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "reaped %u of %u", got, BP_N + 1);
	}
	for (int i = 0; i <= BP_N; i++)
		TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS, "op %d: %s", i,
			       rte_sva_status_str(res[i].status));
	TEST_ASSERT(memcmp(src, absent, BP_LEN) == 0, "data of the held copy");
	TEST_ASSERT(memcmp(src, dst, BP_N * BP_LEN) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 0, &s), 0, "stats");
	TEST_ASSERT_EQ(s.submitted, BP_N + 1, "submitted");
	TEST_ASSERT_EQ(s.completed, BP_N + 1, "completed");
	TEST_ASSERT_EQ(s.errors, 0, "errors");
	TEST_ASSERT_EQ(s.bytes, (BP_N + 1) * BP_LEN, "bytes");
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "nothing staged any more");
	return TEST_OK;
}

static int
test_shared_backpressure(void)
{
	uint8_t *src = malloc(BP_N * BP_LEN), *dst = malloc(BP_N * BP_LEN);
	uint8_t *absent = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int cid = -1, ret = TEST_FAILED;
	uint32_t pasid;
	int16_t d;

	TEST_ASSERT(src && dst && absent != MAP_FAILED, "buffers");
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim18", "pri=1,prq_timeout_ms=60000"), 0, "probe");
	d = (int16_t)rte_sva_get_dev_id_by_name("sva_sim18");
	cid = rte_sva_container_create();
	if (d >= 0 && cid >= 0 && rte_sva_container_add_dev(cid, d) == 0 &&
	    rte_sva_bind(cid, 0, &pasid) == 0)
		ret = backpressure_body(d, pasid, src, dst, absent);
	rte_sva_stop(d);
	rte_sva_container_destroy(cid);
	rte_vdev_uninit("sva_sim18");
	munmap(absent, PAGE);
	free(src);
	free(dst);
	return ret;
}

#define MP_THREADS 3
#define MP_OPS 20000
#define MP_BURST 32
#define MP_SLOT (PAGE + 64)

struct mp_arg {
	uint16_t qid;
	uint64_t bytes;
	int failed;
	char msg[160];
};

static void *
mp_worker(void *p)
{
	struct mp_arg *a = p;
	const int16_t d = tenv.dev_id;
	uint8_t *src = malloc(MP_BURST * MP_SLOT), *dst = malloc(MP_BURST * MP_SLOT);
	uint64_t rnd = 0x2545f4914f6cdd1dull * (a->qid + 1);
	uint32_t len[MP_BURST];
	uint16_t st[MP_BURST];
	int done = 0;

	if (src == NULL || dst == NULL) {
		snprintf(a->msg, sizeof(a->msg), "malloc");
		goto fail;
	}
	while (done < MP_OPS) {
		int n = RTE_MIN(MP_BURST, MP_OPS - done), got = 0, ret;
		uint64_t deadline;

		for (int i = 0; i < n; i++) {
			rnd ^= rnd << 13;
			rnd ^= rnd >> 7;
			rnd ^= rnd << 17;
			len[i] = 64 + (uint32_t)(rnd % (PAGE - 64 + 1));
			fast_fill(src + i * MP_SLOT, len[i], rnd);
			memset(dst + i * MP_SLOT, 0, len[i] + 8);
		}
		for (int i = 0; i < n; i++) {
			ret = rte_sva_copy(d, a->qid, tenv.pasid, src + i * MP_SLOT,
					   dst + i * MP_SLOT, len[i], 0);
			if (ret < 0) {
				snprintf(a->msg, sizeof(a->msg), "enqueue: %d", ret);
				goto fail;
			}
		}
		deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
		while ((ret = rte_sva_submit(d, a->qid)) == -EBUSY) {
			if (rte_get_timer_cycles() > deadline) {
				snprintf(a->msg, sizeof(a->msg), "submit: -EBUSY for 10 s");
				goto fail;
			}
			sched_yield();
		}
		if (ret != 0) {
			snprintf(a->msg, sizeof(a->msg), "submit: %d", ret);
			goto fail;
		}
		while (got < n) {
			uint16_t k = rte_sva_completed_status(d, a->qid, n - got, NULL,
							      st + got);

			got += k;
			if (k == 0) {
				if (rte_get_timer_cycles() > deadline) {
					snprintf(a->msg, sizeof(a->msg),
						 "timeout: %d of %d", got, n);
					goto fail;
				}
				sched_yield();
			}
		}
		for (int i = 0; i < n; i++) {
			if (st[i] != RTE_SVA_STATUS_SUCCESS ||
			    memcmp(src + i * MP_SLOT, dst + i * MP_SLOT, len[i]) != 0 ||
			    dst[i * MP_SLOT + len[i]] != 0) {
				snprintf(a->msg, sizeof(a->msg),
					 "op %d len %u: status %s, data %s", done + i,
					 len[i], rte_sva_status_str(st[i]),
					 memcmp(src + i * MP_SLOT, dst + i * MP_SLOT,
						len[i]) ? "differs" : "past end written");
				goto fail;
			}
			a->bytes += len[i];
		}
		done += n;
	}
	free(src);
	free(dst);
	return NULL;
fail:
	a->failed = 1;
	free(src);
	free(dst);
	return NULL;
}

static int
multiproducer_body(void)
{
	struct mp_arg args[MP_THREADS];
	pthread_t th[MP_THREADS];
	uint64_t bytes = 0;
	int failed = 0;

	TEST_RUN(shared_setup(MP_THREADS, 64, 16));
	memset(args, 0, sizeof(args));
	for (int t = 0; t < MP_THREADS; t++) {
		args[t].qid = t;
		TEST_ASSERT_EQ(pthread_create(&th[t], NULL, mp_worker, &args[t]), 0,
			       "thread %d", t);
	}
	for (int t = 0; t < MP_THREADS; t++) {
		pthread_join(th[t], NULL);
		if (args[t].failed) {
			printf("    producer %d: %s\n", t, args[t].msg);
			failed = 1;
		}
		bytes += args[t].bytes;
	}
	TEST_ASSERT(!failed, "a producer failed");
	for (int t = 0; t < MP_THREADS; t++) {
		struct rte_sva_stats s;

		TEST_ASSERT_EQ(rte_sva_stats_get(tenv.dev_id, t, &s), 0, "stats");
		TEST_ASSERT_EQ(s.submitted, MP_OPS, "queue %d submitted", t);
		TEST_ASSERT_EQ(s.completed, MP_OPS, "queue %d completed", t);
		TEST_ASSERT_EQ(s.bytes, args[t].bytes, "queue %d bytes", t);
	}
	return stats_eq(tenv.dev_id, RTE_SVA_ALL_QUEUES, MP_THREADS * MP_OPS,
			MP_THREADS * MP_OPS, 0, 0, bytes, "all queues");
}

static int
test_shared_multiproducer(void)
{
	return test_restoring(multiproducer_body);
}

/* ------------------------------------------------------------ statistics */

static int
stats_body(uint8_t *buf, uint8_t *noaccess)
{
	const int16_t d = tenv.dev_id;
	struct rte_sva_result res[32];
	uint64_t bytes = 0;
	int n = 0;

	TEST_ASSERT_EQ(rte_sva_stats_reset(d, RTE_SVA_ALL_QUEUES), 0, "reset");
	TEST_RUN(stats_eq(d, RTE_SVA_ALL_QUEUES, 0, 0, 0, 0, 0, "after reset"));
	TEST_RUN(stats_eq(d, 0, 0, 0, 0, 0, 0, "q0 after reset"));
	TEST_RUN(stats_eq(d, 1, 0, 0, 0, 0, 0, "q1 after reset"));

	/* q0: 10 good copies, 3 unbound PASID, 2 page faults, 1 bad address. */
	for (int i = 0; i < 16; i++) {
		uint32_t len = 100 * (i + 1);
		int idx;

		if (i % 5 == 1 && i < 15)
			idx = rte_sva_copy(d, 0, unbound_pasid(), buf, buf + 8192, len, 0);
		else if (i == 4 || i == 9)
			idx = rte_sva_copy(d, 0, tenv.pasid, noaccess, buf + 8192, len, 0);
		else if (i == 15)
			idx = rte_sva_copy(d, 0, tenv.pasid, (void *)(uintptr_t)RTE_BIT64(47),
					   buf + 8192, len, 0);
		else {
			idx = rte_sva_copy(d, 0, tenv.pasid, buf, buf + 8192, len, 0);
			bytes += len;
		}
		TEST_ASSERT(idx >= 0, "enq %d", i);
		n++;
	}
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
	TEST_ASSERT_EQ(test_wait_results(d, 0, n, res), 0, "reap");
	for (int i = 0; i < n; i++) {
		uint16_t want = (i % 5 == 1 && i < 15) ? RTE_SVA_STATUS_INVALID_PASID :
			(i == 4 || i == 9) ? RTE_SVA_STATUS_PAGE_FAULT :
			i == 15 ? RTE_SVA_STATUS_TRANSLATION_FAIL : RTE_SVA_STATUS_SUCCESS;

		TEST_ASSERT_EQ(res[i].status, want, "op %d: %s", i,
			       rte_sva_status_str(res[i].status));
	}
	TEST_RUN(stats_eq(d, 0, 16, 10, 6, 2, bytes, "q0"));
	TEST_RUN(stats_eq(d, 1, 0, 0, 0, 0, 0, "q1 untouched"));
	TEST_RUN(stats_eq(d, RTE_SVA_ALL_QUEUES, 16, 10, 6, 2, bytes, "all"));

	/* q1: a compare mismatch is an outcome, not an error. */
	memset(buf, 1, 64);
	memset(buf + 8192, 2, 64);
	TEST_ASSERT(rte_sva_compare(d, 1, tenv.pasid, buf, buf + 8192, 64,
				    RTE_SVA_OP_FLAG_SUBMIT) >= 0, "compare");
	TEST_ASSERT_EQ(test_wait_results(d, 1, 1, res), 0, "reap");
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_COMPARE_MISMATCH, "mismatch");
	{
		struct rte_sva_stats s;

		TEST_ASSERT_EQ(rte_sva_stats_get(d, 1, &s), 0, "stats q1");
		TEST_ASSERT_EQ(s.submitted, 1, "q1 submitted");
		TEST_ASSERT_EQ(s.completed, 1, "q1 completed");
		TEST_ASSERT_EQ(s.errors, 0, "q1 errors");
		TEST_ASSERT_EQ(s.page_faults, 0, "q1 faults");
	}
	/* Reset one queue, then all. */
	TEST_ASSERT_EQ(rte_sva_stats_reset(d, 0), 0, "reset q0");
	TEST_RUN(stats_eq(d, 0, 0, 0, 0, 0, 0, "q0 after its reset"));
	{
		struct rte_sva_stats s;

		TEST_ASSERT_EQ(rte_sva_stats_get(d, 1, &s), 0, "stats q1");
		TEST_ASSERT_EQ(s.submitted, 1, "q1 kept by a reset of q0");
	}
	TEST_ASSERT_EQ(rte_sva_stats_reset(d, RTE_SVA_ALL_QUEUES), 0, "reset all");
	TEST_RUN(stats_eq(d, RTE_SVA_ALL_QUEUES, 0, 0, 0, 0, 0, "all after reset"));
	return TEST_OK;
}

static int
test_stats(void)
{
	uint8_t *buf = malloc(16384);
	uint8_t *noaccess = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);
	int ret;

	TEST_ASSERT(buf != NULL && noaccess != MAP_FAILED, "buffers");
	memset(buf, 0x11, 16384);
	ret = stats_body(buf, noaccess);
	free(buf);
	munmap(noaccess, PAGE);
	return ret;
}

static const struct test_case cases[] = {
	{ "ring index wraparound (71300 ops, depth 32)", test_wraparound },
	{ "full ring: depth-1 ops, then -ENOSPC", test_queue_full },
	{ "completed() stops before a failed op", test_completed_stops_at_error },
	{ "shared WQ back-pressure", test_shared_backpressure },
	{ "shared WQ, 3 producers x 20000 copies", test_shared_multiproducer },
	{ "statistics after good and failing ops", test_stats },
};

const struct test_suite suite_queues = { "queues", cases, RTE_DIM(cases) };

/* The lock-free paths alone (no device faults): what the TSan run covers.
 * Device faults are signals the engine jumps out of, which TSan's signal
 * handling does not support. */
static const struct test_case lockless_cases[] = {
	{ "ring index wraparound (71300 ops, depth 32)", test_wraparound },
	{ "full ring: depth-1 ops, then -ENOSPC", test_queue_full },
	{ "shared WQ back-pressure", test_shared_backpressure },
	{ "shared WQ, 3 producers x 20000 copies", test_shared_multiproducer },
};

const struct test_suite suite_lockless = { "lockless", lockless_cases,
					    RTE_DIM(lockless_cases) };
