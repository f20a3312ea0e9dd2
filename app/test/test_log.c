/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite log_capture: the runner's test_log_start()/test_log_stop()
 * (test_main.c), which TEST_LOGGED uses. Each capture holds what was
 * logged since its start and nothing earlier, a thread that logs across
 * the switches is safe, and (the meson test runs it with
 * detect_leaks=1 in an ASan build) the captures leak nothing.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "test.h"

#define LOG_ROUNDS 200
#define LOG_WRITES 2000

/* Each capture has its own line, not the previous one's. */
static int
test_log_rounds(void)
{
	char mine[48], prev[48];

	for (unsigned int i = 0; i < LOG_ROUNDS; i++) {
		const char *got;

		test_log_start();
		rte_log(RTE_LOG_ERR, RTE_LOGTYPE_USER1, "log capture round %u.\n", i);
		got = test_log_stop();
		snprintf(mine, sizeof(mine), "log capture round %u.", i);
		snprintf(prev, sizeof(prev), "log capture round %u.", i - 1);
		TEST_ASSERT(strstr(got, mine) != NULL, "round %u: '%s' not in '%s'", i, mine, got);
		TEST_ASSERT(i == 0 || strstr(got, prev) == NULL,
			    "round %u: the previous round's line in '%s'", i, got);
	}
	/* Logged outside a capture: in none. */
	rte_log(RTE_LOG_ERR, RTE_LOGTYPE_USER1, "log capture outside.\n");
	test_log_start();
	TEST_ASSERT(strstr(test_log_stop(), "outside") == NULL,
		    "a line logged before the start captured");
	return TEST_OK;
}

static uint32_t log_stop_flag;

static void *
log_writer(void *arg)
{
	unsigned int *n = arg;

	/* Bounded: what falls outside a capture goes to the test's log. */
	for (unsigned int i = 0; i < LOG_WRITES &&
	     !__atomic_load_n(&log_stop_flag, __ATOMIC_ACQUIRE); i++) {
		rte_log(RTE_LOG_ERR, RTE_LOGTYPE_USER1, "log capture writer %u.\n", i);
		__atomic_store_n(n, i + 1, __ATOMIC_RELEASE);
		sched_yield();
	}
	return NULL;
}

/* Another thread logs all along, into a capture or not, into the stream
 * it took before a switch or not: each capture still reads whole (the
 * ASan build checks the reads). */
static int
test_log_writer(void)
{
	unsigned int n = 0, seen = 0, rounds = 0;
	uint64_t end;
	pthread_t t;

	__atomic_store_n(&log_stop_flag, 0, __ATOMIC_RELEASE);
	TEST_ASSERT_EQ(pthread_create(&t, NULL, log_writer, &n), 0, "writer thread");
	/* Switches until it wrote all its lines (it may share our CPU). */
	end = rte_get_timer_cycles() + 30 * rte_get_timer_hz();
	while (rounds < LOG_ROUNDS || __atomic_load_n(&n, __ATOMIC_ACQUIRE) < LOG_WRITES) {
		TEST_ASSERT(rte_get_timer_cycles() < end, "the writer thread wrote %u of %u lines in 30 s",
			    __atomic_load_n(&n, __ATOMIC_ACQUIRE), LOG_WRITES);
		test_log_start();
		rte_log(RTE_LOG_ERR, RTE_LOGTYPE_USER1, "log capture main %u.\n", rounds);
		sched_yield();
		if (strstr(test_log_stop(), "log capture writer") != NULL)
			seen++;
		rounds++;
	}
	__atomic_store_n(&log_stop_flag, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	printf("    %u lines of the writer thread; in %u of %u captures\n", n, seen,
	       rounds);
	return TEST_OK;
}

static const struct test_case log_cases[] = {
	{ "rounds", test_log_rounds },
	{ "writer", test_log_writer },
};

const struct test_suite suite_log_capture = {
	.name = "log_capture",
	.cases = log_cases,
	.nb_cases = RTE_DIM(log_cases),
};
