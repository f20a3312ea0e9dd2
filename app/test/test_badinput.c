/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Bad input: fast-path arguments the device cannot encode, descriptors the
 * device rejects in their status, control calls out of range or out of
 * order, and devargs the sim driver must refuse. */

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>

#include "test.h"

#define PAGE 4096u

static void *
map_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A 20-bit PASID that is not bound on sva_sim0. */
static uint32_t
unbound_pasid(void)
{
	uint32_t p = (tenv.pasid + 0x5555) & 0xfffff;

	return p == 0 ? 1 : p;
}

/* Submit the op just enqueued on queue 0 and return its status. */
static int
status_of_last(uint16_t *status)
{
	struct rte_sva_result r;
	int ret = test_wait_one(tenv.dev_id, 0, &r);

	*status = r.status;
	return ret;
}

static int
good_copy(uint16_t qid, int expect_idx)
{
	uint8_t src[300], dst[300];
	struct rte_sva_result r;
	int idx;

	test_fill_random(src, sizeof(src), 99);
	memset(dst, 0, sizeof(dst));
	idx = rte_sva_copy(tenv.dev_id, qid, tenv.pasid, src, dst, sizeof(src), 0);
	TEST_ASSERT(idx >= 0, "good copy on q %u: %d", qid, idx);
	if (expect_idx >= 0)
		TEST_ASSERT_EQ(idx, expect_idx, "rejected calls consumed ring slots");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, qid, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, sizeof(src)) == 0, "data");
	return TEST_OK;
}

static int
test_fastpath_einval(void)
{
	const int16_t d = tenv.dev_id;
	const uint32_t p = tenv.pasid, max = tenv.info.max_xfer_size;
	uint8_t *a = malloc(8192), *b = malloc(8192), *c = malloc(8192);
	struct rte_sva_result r;
	uint16_t st[4], last;
	uint16_t cap;
	bool err;
	int idx;

	TEST_ASSERT(a && b && c, "malloc");
	test_fill_random(a, 8192, 1);
	memset(b, 0x77, 8192);
	memset(c, 0, 8192);
	/* Establish the current ring index. */
	idx = rte_sva_copy(d, 0, p, a, c, 64, 0);
	TEST_ASSERT(idx >= 0, "copy");
	TEST_ASSERT_EQ(test_wait_one(d, 0, &r), 0, "wait");
	cap = rte_sva_burst_capacity(d, 0);
	TEST_ASSERT_EQ(cap, TEST_DEPTH - 1, "idle queue capacity");

	/* Length. */
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, 0, 0), -EINVAL, "len 0");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, max + 1, 0), -EINVAL, "len max+1");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, UINT32_MAX, 0), -EINVAL, "len 4G-1");
	TEST_ASSERT_EQ(rte_sva_fill(d, 0, p, 1, b, 0, 0), -EINVAL, "fill len 0");
	TEST_ASSERT_EQ(rte_sva_compare(d, 0, p, a, b, 0, 0), -EINVAL, "compare len 0");
	TEST_ASSERT_EQ(rte_sva_compare_pattern(d, 0, p, a, 1, 0, 0), -EINVAL,
		       "compare_pattern len 0");
	TEST_ASSERT_EQ(rte_sva_crc32c(d, 0, p, a, 0, 0, 0), -EINVAL, "crc len 0");
	TEST_ASSERT_EQ(rte_sva_copy_crc32c(d, 0, p, a, b, 0, 0, 0), -EINVAL,
		       "copy_crc len 0");
	TEST_ASSERT_EQ(rte_sva_dualcast(d, 0, p, a, b, c, 0, 0), -EINVAL,
		       "dualcast len 0");
	TEST_ASSERT_EQ(rte_sva_fill(d, 0, p, 1, b, max + 1, 0), -EINVAL, "fill len max+1");
	TEST_ASSERT_EQ(rte_sva_crc32c(d, 0, p, a, 0, max + 1, 0), -EINVAL,
		       "crc len max+1");
	/* Flags. */
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, 64, RTE_BIT64(40)), -EINVAL, "flag 40");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, 64, RTE_BIT64(3)), -EINVAL, "flag 3");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p, a, b, 64, RTE_BIT64(63) |
				    RTE_SVA_OP_FLAG_SUBMIT), -EINVAL, "flag 63");
	TEST_ASSERT_EQ(rte_sva_fill(d, 0, p, 1, b, 64, RTE_BIT64(40)), -EINVAL,
		       "fill flag 40");
	TEST_ASSERT_EQ(rte_sva_compare(d, 0, p, a, b, 64, RTE_BIT64(40)), -EINVAL,
		       "compare flag 40");
	TEST_ASSERT_EQ(rte_sva_dualcast(d, 0, p, a, b, c, 64, RTE_BIT64(40)), -EINVAL,
		       "dualcast flag 40");
	/* PASID wider than 20 bits. */
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, RTE_BIT32(20), a, b, 64, 0), -EINVAL,
		       "PASID 2^20");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, RTE_SVA_PASID_INVALID, a, b, 64, 0), -EINVAL,
		       "PASID_INVALID");
	TEST_ASSERT_EQ(rte_sva_copy(d, 0, p | RTE_BIT32(20), a, b, 64, 0), -EINVAL,
		       "bound PASID | 2^20 (must not be truncated to it)");
	TEST_ASSERT_EQ(rte_sva_crc32c(d, 0, RTE_BIT32(24), a, 0, 64, 0), -EINVAL,
		       "crc PASID 2^24");
	/* Queue id. */
	TEST_ASSERT_EQ(rte_sva_copy(d, TEST_NB_QUEUES, p, a, b, 64, 0), -EINVAL,
		       "qid nb_queues");
	TEST_ASSERT_EQ(rte_sva_copy(d, RTE_SVA_MAX_QUEUES, p, a, b, 64, 0), -EINVAL,
		       "qid 64");
	TEST_ASSERT_EQ(rte_sva_copy(d, UINT16_MAX, p, a, b, 64, 0), -EINVAL,
		       "qid 65535");
	TEST_ASSERT_EQ(rte_sva_fill(d, TEST_NB_QUEUES, p, 1, b, 64, 0), -EINVAL,
		       "fill qid");
	TEST_ASSERT_EQ(rte_sva_submit(d, TEST_NB_QUEUES), -EINVAL, "submit qid");
	TEST_ASSERT_EQ(rte_sva_completed(d, TEST_NB_QUEUES, 4, &last, &err), 0,
		       "completed qid");
	TEST_ASSERT_EQ(rte_sva_completed_status(d, TEST_NB_QUEUES, 4, &last, st), 0,
		       "completed_status qid");
	TEST_ASSERT_EQ(rte_sva_completed_results(d, UINT16_MAX, 1, &last, &r), 0,
		       "completed_results qid");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, TEST_NB_QUEUES), 0, "capacity qid");

	/* Nothing was consumed, written or queued. */
	for (int i = 0; i < 8192; i++)
		TEST_ASSERT_EQ(b[i], 0x77, "rejected op wrote dst byte %d", i);
	TEST_ASSERT_EQ(rte_sva_burst_capacity(d, 0), cap, "capacity after rejects");
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
	TEST_ASSERT_EQ(rte_sva_completed_status(d, 0, 4, &last, st), 0,
		       "a rejected op reached the device");
	TEST_RUN(good_copy(0, (uint16_t)(idx + 1)));
	TEST_RUN(good_copy(1, -1));
	free(a);
	free(b);
	free(c);
	return TEST_OK;
}

static int
test_unbound_pasid(void)
{
	const uint32_t bad = unbound_pasid();
	uint8_t *src = malloc(PAGE), *dst = malloc(PAGE);
	uint16_t s;

	TEST_ASSERT(src && dst, "malloc");
	TEST_ASSERT(bad != tenv.pasid, "pick another PASID");
	test_fill_random(src, PAGE, 3);
	memset(dst, 0xa5, PAGE);
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, bad, src, dst, PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_PASID, "copy: %s", rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_fill(tenv.dev_id, 0, bad, 0, dst, PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_PASID, "fill: %s", rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_crc32c(tenv.dev_id, 0, bad, src, 0, PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_PASID, "crc: %s", rte_sva_status_str(s));
	/* PASID 0 is never handed out. */
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, 0, src, dst, PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_PASID, "PASID 0: %s",
		       rte_sva_status_str(s));
	/* The largest 20-bit PASID, in a PASID-table leaf nobody uses. */
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, 0xfffff, src, dst, PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_PASID, "PASID 0xfffff: %s",
		       rte_sva_status_str(s));
	for (unsigned int i = 0; i < PAGE; i++)
		TEST_ASSERT_EQ(dst[i], 0xa5, "destination byte %u written", i);
	TEST_RUN(good_copy(0, -1));
	free(src);
	free(dst);
	return TEST_OK;
}

static int
control_body(void)
{
	const int16_t d = tenv.dev_id;
	struct rte_sva_conf conf = { .nb_queues = 2 };
	struct rte_sva_conf bad;
	struct rte_sva_queue_conf qc = { .nb_desc = 64,
		.mode = RTE_SVA_QUEUE_DEDICATED, .socket_id = SOCKET_ID_ANY };
	struct rte_sva_queue_conf bq;
	struct rte_sva_info info;
	struct rte_sva_stats st;

	TEST_ASSERT_EQ(rte_sva_info_get(-1, &info), -EINVAL, "info bad id");
	TEST_ASSERT_EQ(rte_sva_info_get(RTE_SVA_MAX_DEVS, &info), -EINVAL, "info id 64");
	TEST_ASSERT_EQ(rte_sva_info_get(RTE_SVA_MAX_DEVS - 1, &info), -EINVAL,
		       "info unused id");
	TEST_ASSERT_EQ(rte_sva_info_get(d, NULL), -EINVAL, "info NULL");

	/* Started device. */
	TEST_ASSERT_EQ(rte_sva_configure(d, &conf), -EBUSY, "configure while started");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &qc), -EBUSY, "queue_setup while started");
	TEST_ASSERT_EQ(rte_sva_close(d), -EBUSY, "close while started");
	TEST_ASSERT(rte_sva_is_valid(d), "refused close keeps the device");
	TEST_RUN(good_copy(0, -1));
	TEST_ASSERT_EQ(rte_sva_configure(-1, &conf), -EINVAL, "configure bad id");

	TEST_ASSERT_EQ(rte_sva_stop(d), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_configure(d, NULL), -EINVAL, "configure NULL");
	bad = conf;
	bad.nb_queues = 0;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "nb_queues 0");
	bad.nb_queues = tenv.info.max_queues + 1;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "nb_queues max+1");
	bad.nb_queues = RTE_SVA_MAX_QUEUES + 1;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "nb_queues 65");
	bad = conf;
	bad.flags = 1;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "flags 1");
	bad.flags = 0x8000;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "flags 0x8000");
	bad = conf;
	bad.reserved[0] = 1;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "reserved[0]");
	bad = conf;
	bad.reserved[6] = 0x80000000u;
	TEST_ASSERT_EQ(rte_sva_configure(d, &bad), -EINVAL, "reserved[6]");

	TEST_ASSERT_EQ(rte_sva_configure(d, &conf), 0, "configure 2 queues");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, NULL), -EINVAL, "queue conf NULL");
	static const uint16_t bad_depths[] = { 0, 1, 100, 48, 16, 4096 + 1, 8192, 65535 };
	for (unsigned int i = 0; i < RTE_DIM(bad_depths); i++) {
		bq = qc;
		bq.nb_desc = bad_depths[i];
		TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "nb_desc %u",
			       bad_depths[i]);
	}
	bq = qc;
	bq.nb_desc = tenv.info.min_desc / 2;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "min_desc/2");
	bq.nb_desc = (uint16_t)(tenv.info.max_desc * 2);
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "max_desc*2");
	bq = qc;
	bq.mode = 7;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "mode 7");
	bq.mode = 2;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "mode 2");
	bq = qc;
	bq.mode = RTE_SVA_QUEUE_SHARED;
	bq.wq_id = tenv.info.max_wqs;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "wq_id max_wqs");
	bq.wq_id = UINT16_MAX;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "wq_id 65535");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 2, &qc), -EINVAL, "qid 2 of 2");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, UINT16_MAX, &qc), -EINVAL, "qid 65535");
	bq = qc;
	bq.reserved[0] = 1;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "reserved[0]");
	bq = qc;
	bq.reserved[4] = 1;
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &bq), -EINVAL, "reserved[4]");
	TEST_ASSERT_EQ(rte_sva_queue_setup(-1, 0, &qc), -EINVAL, "queue_setup bad id");

	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 0, &qc), 0, "queue 0");
	TEST_ASSERT_EQ(rte_sva_start(d), -EINVAL, "start with queue 1 not set up");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 1, &qc), 0, "queue 1");
	TEST_ASSERT_EQ(rte_sva_start(d), 0, "start");
	TEST_ASSERT_EQ(rte_sva_queue_setup(d, 1, &qc), -EBUSY, "queue_setup while started");

	TEST_ASSERT_EQ(rte_sva_stats_get(d, 2, &st), -EINVAL, "stats qid 2 of 2");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 1000, &st), -EINVAL, "stats qid 1000");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 0, NULL), -EINVAL, "stats NULL");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, RTE_SVA_ALL_QUEUES, NULL), -EINVAL,
		       "stats all NULL");
	TEST_ASSERT_EQ(rte_sva_stats_get(-1, 0, &st), -EINVAL, "stats bad id");
	TEST_ASSERT_EQ(rte_sva_stats_get(d, RTE_SVA_ALL_QUEUES, &st), 0, "stats all");
	TEST_ASSERT_EQ(rte_sva_stats_reset(d, 2), -EINVAL, "reset qid 2");
	TEST_ASSERT_EQ(rte_sva_stats_reset(-1, 0), -EINVAL, "reset bad id");
	TEST_ASSERT_EQ(rte_sva_close(d), -EBUSY, "close while started");
	TEST_RUN(good_copy(1, -1));
	return TEST_OK;
}

static int
test_control_api(void)
{
	return test_restoring(control_body);
}

/* ------------------------------------------------------------------------
 * A crash guard: turns a SIGSEGV in this thread into a test failure, so a
 * NULL dereference in the library does not end the whole run. Faults of
 * other threads (the sim engines) go on to the handler installed before. */
static sigjmp_buf guard_env;
static volatile int guard_armed;
static pthread_t guard_thread;
static struct sigaction guard_old_segv;

static void
guard_handler(int sig, siginfo_t *si, void *uc)
{
	if (guard_armed && pthread_equal(pthread_self(), guard_thread)) {
		guard_armed = 0;
		siglongjmp(guard_env, sig);
	}
	if ((guard_old_segv.sa_flags & SA_SIGINFO) &&
	    guard_old_segv.sa_sigaction != NULL)
		guard_old_segv.sa_sigaction(sig, si, uc);
	else if (guard_old_segv.sa_handler != SIG_DFL &&
		 guard_old_segv.sa_handler != SIG_IGN)
		guard_old_segv.sa_handler(sig);
	else
		signal(sig, SIG_DFL);
}

static void
guard_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = guard_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	guard_thread = pthread_self();
	sigaction(SIGSEGV, &sa, &guard_old_segv);
}

static void
guard_remove(void)
{
	guard_armed = 0;
	sigaction(SIGSEGV, &guard_old_segv, NULL);
}

/* A queue_setup the driver refuses, on a queue that was set up before,
 * must not leave a startable device with a missing queue behind. */
static int
failed_setup_body(void)
{
	const int16_t d = tenv.dev_id;
	struct rte_sva_queue_conf qc = { .nb_desc = 64,
		.mode = RTE_SVA_QUEUE_DEDICATED, .socket_id = SOCKET_ID_ANY };
	struct rte_sva_queue_conf bq = qc;
	volatile int ret, copy_ret, crashed = 0;
	uint8_t src[128], dst[128];
	struct rte_sva_result r;

	memset(src, 1, sizeof(src));
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT_EQ(test_dev_setup(d, 2, 64), 0, "setup");
	TEST_ASSERT_EQ(rte_sva_stop(d), 0, "stop");
	/* wq_size 3 passes the library and is refused by the driver. */
	bq.mode = RTE_SVA_QUEUE_SHARED;
	bq.wq_id = 0;
	bq.wq_size = 3;
	ret = rte_sva_queue_setup(d, 1, &bq);
	TEST_ASSERT(ret < 0, "wq_size 3 accepted: %d", ret);

	/* Each call under the guard: a crash fails the test, not the run. */
	guard_install();
	copy_ret = 1;
	if (sigsetjmp(guard_env, 1) == 0) {
		guard_armed = 1;
		copy_ret = rte_sva_copy(d, 1, tenv.pasid, src, dst, sizeof(src), 0);
		guard_armed = 0;
	} else {
		printf("    SIGSEGV in rte_sva_copy(qid 1) on the stopped device\n");
		crashed = 1;
	}
	ret = 1;
	if (sigsetjmp(guard_env, 1) == 0) {
		guard_armed = 1;
		ret = rte_sva_start(d);
		guard_armed = 0;
	} else {
		printf("    SIGSEGV in rte_sva_start()\n");
		crashed = 1;
	}
	guard_remove();
	TEST_ASSERT(!crashed, "crash after a refused queue_setup of a set-up queue");
	/* A stopped device takes no enqueue, whatever its queues. */
	TEST_ASSERT_EQ(copy_ret, -EINVAL, "copy on the stopped device");
	if (ret == 0) {
		/* The old queue was kept: it started and must work. */
		TEST_ASSERT(rte_sva_copy(d, 1, tenv.pasid, src, dst, sizeof(src), 0) >= 0,
			    "copy on the kept queue");
		TEST_ASSERT_EQ(test_wait_one(d, 1, &r), 0, "wait");
		TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "kept queue");
		return good_copy(1, -1);
	}
	TEST_ASSERT_EQ(ret, -EINVAL, "start with a queue whose setup failed");
	return TEST_OK;
}

static int
test_failed_queue_setup(void)
{
	return test_restoring(failed_setup_body);
}

/* Descriptors the device checks and rejects in their status. */
static int
test_device_rejects(void)
{
	const int16_t d = tenv.dev_id;
	const uint32_t p = tenv.pasid;
	uint8_t *src = map_buf(4 * PAGE), *dst = map_buf(4 * PAGE);
	uint8_t *ref = malloc(4 * PAGE);
	uint8_t *hi = (uint8_t *)(uintptr_t)RTE_BIT64(47);
	uint16_t s;

	TEST_ASSERT(src && dst && ref, "buffers");
	test_fill_random(src, 4 * PAGE, 8);
	memset(dst, 0x3c, 4 * PAGE);

	/* Dualcast: destinations must agree in bits 11:0. */
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, src, dst, dst + 2 * PAGE + 64, 256, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_ADDR, "dualcast bits 11:0: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, src, dst + 1, dst + 2 * PAGE, 256, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_INVALID_ADDR, "dualcast off by 1: %s",
		       rte_sva_status_str(s));
	for (unsigned int i = 0; i < 4 * PAGE; i++)
		TEST_ASSERT_EQ(dst[i], 0x3c, "rejected dualcast wrote byte %u", i);
	/* Dualcast with overlapping destinations. */
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, src, dst, dst + PAGE, 2 * PAGE, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_OVERLAP, "dualcast overlap: %s",
		       rte_sva_status_str(s));
	/* And the accepted form, as a control. */
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, src, dst + 5, dst + 2 * PAGE + 5, 300, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_SUCCESS, "dualcast: %s", rte_sva_status_str(s));
	TEST_ASSERT(memcmp(dst + 5, src, 300) == 0 &&
		    memcmp(dst + 2 * PAGE + 5, src, 300) == 0, "dualcast data");

	/* copy_crc32c with overlapping buffers, both directions. */
	memcpy(ref, src, 4 * PAGE);
	TEST_ASSERT(rte_sva_copy_crc32c(d, 0, p, src, src + 100, 0, 1000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_OVERLAP, "copy_crc up: %s", rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_copy_crc32c(d, 0, p, src + 100, src, 0, 1000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_OVERLAP, "copy_crc down: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_copy_crc32c(d, 0, p, src, src, 0, 1, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_OVERLAP, "copy_crc onto itself: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(memcmp(ref, src, 4 * PAGE) == 0, "rejected copy_crc changed src");

	/* Addresses beyond the 47-bit address width. */
	memset(dst, 0x3c, 4 * PAGE);
	TEST_ASSERT(rte_sva_copy(d, 0, p, hi, dst, 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "src 2^47: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_copy(d, 0, p, src, hi, 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "dst 2^47: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_copy(d, 0, p, hi - 32, dst, 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "src across 2^47: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_fill(d, 0, p, 0, (void *)(uintptr_t)0xffff800000000000ull,
				 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "fill kernel address: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_crc32c(d, 0, p, (void *)(uintptr_t)UINT64_MAX, 0, 1, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "crc at 2^64-1: %s",
		       rte_sva_status_str(s));
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, src, dst, hi + (uintptr_t)dst % PAGE,
				     64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(status_of_last(&s), 0, "wait");
	TEST_ASSERT_EQ(s, RTE_SVA_STATUS_TRANSLATION_FAIL, "dualcast dst2 2^47: %s",
		       rte_sva_status_str(s));
	for (unsigned int i = 0; i < 4 * PAGE; i++)
		TEST_ASSERT_EQ(dst[i], 0x3c, "rejected op wrote byte %u", i);
	TEST_RUN(good_copy(0, -1));
	munmap(src, 4 * PAGE);
	munmap(dst, 4 * PAGE);
	free(ref);
	return TEST_OK;
}

static int
test_devargs(void)
{
	static const char *const bad[] = {
		"bogus=1", "queues=0", "queues=65", "queues=abc", "queues=-1",
		"queues=", "max_desc=100", "max_desc=8192", "max_desc=16",
		"pasid_bits=21", "pasid_bits=0", "engines=0", "engines=9",
		"idle=sometimes", "engine_lcore=99", "engine_lcore=0",
		"engine_cpu=1,engine_lcore=0", "engines=2,engine_cpu=1",
		"overlap=2", "wqs=9", "max_xfer=100",
	};
	uint16_t count = rte_sva_count_avail();
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .socket_id = SOCKET_ID_ANY };
	struct rte_sva_conf conf = { .nb_queues = 3 };
	struct rte_sva_info info;
	struct rte_sva_stats st;
	int id, ret;

	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		ret = rte_vdev_init("sva_sim5", bad[i]);
		if (ret >= 0)
			rte_vdev_uninit("sva_sim5");
		TEST_ASSERT(ret < 0, "devargs \"%s\" accepted", bad[i]);
		TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("sva_sim5"), -ENODEV,
			       "device left behind by \"%s\"", bad[i]);
		TEST_ASSERT_EQ(rte_sva_count_avail(), count, "count after \"%s\"", bad[i]);
	}
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim5", "queues=2,pasid_bits=8,idle=spin"), 0,
		       "good devargs");
	id = rte_sva_get_dev_id_by_name("sva_sim5");
	TEST_ASSERT(id >= 0, "sva_sim5: %d", id);
	ret = rte_sva_info_get(id, &info);
	if (ret == 0 && (info.max_queues != 2 || info.pasid_bits != 8)) {
		printf("    max_queues %u pasid_bits %u\n", info.max_queues,
		       info.pasid_bits);
		ret = -1;
	}
	/* A probed, unconfigured device refuses what needs a configuration. */
	if (ret == 0 && rte_sva_queue_setup(id, 0, &qc) != -EINVAL)
		ret = -2;
	if (ret == 0 && rte_sva_start(id) != -EINVAL)
		ret = -3;
	if (ret == 0 && rte_sva_stats_get(id, 0, &st) != -EINVAL)
		ret = -4;
	if (ret == 0 && rte_sva_configure(id, &conf) != -EINVAL)
		ret = -5;  /* 3 queues > max_queues 2 */
	conf.nb_queues = 2;
	if (ret == 0 && rte_sva_configure(id, &conf) != 0)
		ret = -6;
	TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim5"), 0, "uninit");
	TEST_ASSERT_EQ(ret, 0, "checks of sva_sim5 (step %d)", -ret);
	TEST_ASSERT_EQ(rte_sva_count_avail(), count, "count at the end");
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "fast path -EINVAL leaves the queue intact", test_fastpath_einval },
	{ "unbound PASID -> INVALID_PASID", test_unbound_pasid },
	{ "control API range and state checks", test_control_api },
	{ "refused queue_setup of a set-up queue", test_failed_queue_setup },
	{ "dualcast/overlap/address-width statuses", test_device_rejects },
	{ "devargs", test_devargs },
};

const struct test_suite suite_badinput = { "badinput", cases, RTE_DIM(cases) };
