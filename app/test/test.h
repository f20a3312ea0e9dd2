/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_H
#define SVA_TEST_H

/* A small test harness: each test returns TEST_OK, TEST_FAILED or
 * TEST_SKIPPED; the runner prints one line per test and a closing
 * "N passed, N failed, N skipped" line. */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_fault.h>

#define TEST_OK      0
#define TEST_FAILED  (-1)
#define TEST_SKIPPED 1

#define TEST_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) { \
		printf("    FAIL %s:%d: %s: " fmt "\n", __FILE__, __LINE__, \
		       #cond, ##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

#define TEST_ASSERT_EQ(a, b, fmt, ...) do { \
	long long va_ = (long long)(a), vb_ = (long long)(b); \
	if (va_ != vb_) { \
		printf("    FAIL %s:%d: %s == %s: %lld != %lld: " fmt "\n", \
		       __FILE__, __LINE__, #a, #b, va_, vb_, ##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

#define TEST_RUN(fn) do { \
	int r_ = (fn); \
	if (r_ != TEST_OK) \
		return r_; \
} while (0)

struct test_case {
	const char *name;
	int (*fn)(void);
};

/* What a re-executed test process does (test_spawn()) instead of its
 * suite's cases: its exit status is 0 when fn returned TEST_OK. */
struct test_role {
	const char *name;
	int (*fn)(void);
};

struct test_suite {
	const char *name;
	const struct test_case *cases;
	unsigned int nb_cases;
	const struct test_role *roles;   /* NULL-name terminated, or NULL */
};

/* Shared fixture: one sim device in one container, the process bound. */
struct test_env {
	int16_t dev_id;
	int cid;
	uint32_t pasid;
	struct rte_sva_info info;
};
extern struct test_env tenv;

/* The fixture's default layout; suites that change it restore it. */
#define TEST_NB_QUEUES 2
#define TEST_DEPTH 1024

/* Configure and start a device with nb_queues dedicated queues of depth. */
int test_dev_setup(int16_t dev_id, uint16_t nb_queues, uint16_t depth);
/* Run a test body that reconfigures sva_sim0, then put the fixture's
 * layout back; a failed restore fails the test. */
int test_restoring(int (*body)(void));
/* Stop (draining) and leave the device configured. */
void test_dev_stop(int16_t dev_id);
/* Wait (within timeout_s) until n completions of queue qid are reaped,
 * storing results; with serve, polling the device's fault queue meanwhile
 * (this thread as the fault worker). */
int test_wait_served(int16_t dev_id, uint16_t qid, uint16_t n, struct rte_sva_result *res,
		     bool serve, unsigned int timeout_s);
/* Wait (bounded) until n completions are reaped, storing results. */
int test_wait_results(int16_t dev_id, uint16_t qid, uint16_t n,
		      struct rte_sva_result *res);
/* Submit one op (already enqueued) and wait for its single result. */
int test_wait_one(int16_t dev_id, uint16_t qid, struct rte_sva_result *res);
/* Independent reference CRC32C (bitwise). */
uint32_t test_crc32c_ref(uint32_t seed, const void *p, size_t n);
/* Deterministic pseudo-random fill. */
void test_fill_random(void *p, size_t n, uint64_t seed);
/* fork() whose child is killed when the test process dies (a sanitizer
 * halting it, a crash), so that no child outlives it holding its output. */
pid_t test_fork(void);

/* Probe vdev name if it is not there yet and start it with one queue of
 * 256; *dev its id. test_vdev_remove() removes it if it is there. */
int test_vdev_start(const char *name, int16_t *dev);
void test_vdev_remove(const char *name);

/* Capture what the library logs from test_log_start() to test_log_stop(),
 * which returns it (valid until the next start) and still prints it. */
void test_log_start(void);
const char *test_log_stop(void);
/* expr must return want and log a line containing fragment. */
#define TEST_LOGGED(expr, want, fragment) do { \
	long long r_; \
	const char *log_; \
	test_log_start(); \
	r_ = (long long)(expr); \
	log_ = test_log_stop(); \
	TEST_ASSERT_EQ(r_, want, "%s", #expr); \
	TEST_ASSERT(strstr(log_, fragment) != NULL, \
		    "%s: no log line with '%s' (log: '%s')", #expr, fragment, log_); \
} while (0)

/* The tid of this process's thread named comm, or -1. */
pid_t test_thread_by_name(const char *comm);

/* The environment variable that names a re-executed process's role (set
 * before main(), for constructors that must act before EAL init). */
#define TEST_ROLE_ENV "SVA_TEST_ROLE"

/* Run this test binary again as a fresh process (exec: its own EAL and
 * fixture, nothing inherited but what is asked for) that plays role of
 * suite: the same EAL arguments, lcores replaced by lcores (NULL: kept),
 * no telemetry thread; env ("K=V", NULL-terminated, or NULL) added to its
 * environment; its output to out_fd (-1: ours); of our close-on-exec
 * descriptors, keep (-1 terminated, or NULL) left open in it.
 * @return its pid, or -1. */
pid_t test_spawn(const char *suite, const char *role, const char *lcores,
		 const char *const *env, int out_fd, const int *keep);
/* Wait (bounded) for a process from test_spawn(). @return its wait
 * status, or -1 when it had to be killed (said so). */
int test_spawn_wait(pid_t pid, unsigned int timeout_ms);
/* test_spawn() and test_spawn_wait(): TEST_OK if it exited 0. */
int test_spawn_run(const char *suite, const char *role, const char *lcores,
		   unsigned int timeout_ms);

extern const struct test_suite suite_api;
extern const struct test_suite suite_ops;
extern const struct test_suite suite_faults;
extern const struct test_suite suite_badinput;
extern const struct test_suite suite_queues;
extern const struct test_suite suite_bonds;
extern const struct test_suite suite_foreign;
extern const struct test_suite suite_iommu;
extern const struct test_suite suite_lockless;
extern const struct test_suite suite_pri;
extern const struct test_suite suite_pri_lockless;
extern const struct test_suite suite_telemetry;
extern const struct test_suite suite_idxd;
extern const struct test_suite suite_iommufd;
extern const struct test_suite suite_sim_edge;
extern const struct test_suite suite_fault_edge;
extern const struct test_suite suite_fault_batch;
extern const struct test_suite suite_ctrl_edge;
extern const struct test_suite suite_bond_edge;
extern const struct test_suite suite_signals;
extern const struct test_suite suite_soak;
extern const struct test_suite suite_sim_lockless;
extern const struct test_suite suite_fault_lockless;
extern const struct test_suite suite_teardown;
extern const struct test_suite suite_pasid_pool;
extern const struct test_suite suite_sim_checks;
extern const struct test_suite suite_log_capture;
extern const struct test_suite suite_bench_bufs;

/* The entries of a fault histogram (RTE_SVA_FAULT_HIST_BUCKETS buckets:
 * rte_sva_fault_stats::hist or ::resolve_hist). */
static inline uint64_t
test_hist_total(const uint64_t *h)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		n += h[i];
	return n;
}

#endif
