/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_autotest: the librte_sva test runner. Starts a real EAL with the sim
 * device on the vdev bus, then runs the suites named on the command line
 * after "--" (all when none is named).
 *
 *   sva_autotest [EAL args] -- [suite ...]
 */

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_pause.h>

#include "test.h"

struct test_env tenv;

static const struct test_suite *const all_suites[] = {
	&suite_api, &suite_ops, &suite_faults, &suite_badinput, &suite_queues,
	&suite_bonds, &suite_foreign, &suite_iommu,
	&suite_lockless, &suite_pri, &suite_pri_lockless,
	&suite_telemetry,
	&suite_idxd,
	&suite_iommufd,
	&suite_sim_edge, &suite_fault_edge, &suite_ctrl_edge,
	&suite_bond_edge, &suite_signals, &suite_soak,
	&suite_sim_lockless, &suite_fault_lockless,
};

int
test_dev_setup(int16_t dev_id, uint16_t nb_queues, uint16_t depth)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = depth,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	rte_sva_stop(dev_id);
	ret = rte_sva_configure(dev_id, &conf);
	if (ret != 0) {
		printf("    configure: %d\n", ret);
		return ret;
	}
	for (uint16_t q = 0; q < nb_queues; q++) {
		ret = rte_sva_queue_setup(dev_id, q, &qconf);
		if (ret != 0) {
			printf("    queue_setup %u: %d\n", q, ret);
			return ret;
		}
	}
	return rte_sva_start(dev_id);
}

int
test_restoring(int (*body)(void))
{
	int ret = body();

	if (test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH) != 0) {
		printf("    FAIL: cannot restore sva_sim0 after the test\n");
		return TEST_FAILED;
	}
	return ret;
}

void
test_dev_stop(int16_t dev_id)
{
	rte_sva_stop(dev_id);
}

int
test_wait_results(int16_t dev_id, uint16_t qid, uint16_t n,
		  struct rte_sva_result *res)
{
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	uint16_t got = 0;

	while (got < n) {
		got += rte_sva_completed_results(dev_id, qid, n - got, NULL,
						 res + got);
		if (rte_get_timer_cycles() > deadline) {
			printf("    timeout: %u of %u completions\n", got, n);
			return -ETIMEDOUT;
		}
		rte_pause();
	}
	return 0;
}

int
test_wait_one(int16_t dev_id, uint16_t qid, struct rte_sva_result *res)
{
	int ret = rte_sva_submit(dev_id, qid);

	if (ret != 0)
		return ret;
	return test_wait_results(dev_id, qid, 1, res);
}

uint32_t
test_crc32c_ref(uint32_t seed, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t crc = ~seed;

	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

void
test_fill_random(void *p, size_t n, uint64_t seed)
{
	uint8_t *b = p;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (uint8_t)x;
	}
}

static bool
suite_selected(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return true;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

pid_t
test_fork(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)   /* died before prctl took effect */
			_exit(1);
	}
	return pid;
}

int
main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, skipped = 0;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* EAL leaves the program name in front of the remaining arguments. */
	argc -= ret + 1;
	argv += ret + 1;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	for (int i = 0; i < argc; i++) {
		bool known = false;

		for (unsigned int s = 0; s < RTE_DIM(all_suites); s++)
			known |= strcmp(all_suites[s]->name, argv[i]) == 0;
		if (!known) {
			printf("unknown suite %s\n", argv[i]);
			return 1;
		}
	}

	tenv.dev_id = rte_sva_get_dev_id_by_name("sva_sim0");
	if (tenv.dev_id < 0) {
		printf("no sva_sim0 device: run with --vdev=sva_sim0\n");
		return 1;
	}
	rte_sva_info_get(tenv.dev_id, &tenv.info);
	tenv.cid = rte_sva_container_create();
	if (tenv.cid < 0 || rte_sva_container_add_dev(tenv.cid, tenv.dev_id) != 0 ||
	    rte_sva_bind(tenv.cid, 0, &tenv.pasid) != 0) {
		printf("cannot bind the test process to sva_sim0\n");
		return 1;
	}
	if (test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH) != 0) {
		printf("cannot start sva_sim0\n");
		return 1;
	}

	for (unsigned int s = 0; s < RTE_DIM(all_suites); s++) {
		const struct test_suite *st = all_suites[s];

		if (!suite_selected(st->name, argc, argv))
			continue;
		printf("suite %s\n", st->name);
		for (unsigned int c = 0; c < st->nb_cases; c++) {
			int r;

			fflush(stdout);
			r = st->cases[c].fn();
			printf("  %-44s %s\n", st->cases[c].name,
			       r == TEST_OK ? "ok" : r == TEST_SKIPPED ? "skipped" : "FAILED");
			if (r == TEST_OK)
				passed++;
			else if (r == TEST_SKIPPED)
				skipped++;
			else
				failed++;
		}
	}
	rte_sva_stop(tenv.dev_id);
	rte_sva_container_destroy(tenv.cid);
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	rte_eal_cleanup();
	return failed == 0 ? 0 : 1;
}
