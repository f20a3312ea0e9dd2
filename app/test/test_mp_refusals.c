/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Secondaries of the multiprocess test (test_multiprocess.c) whose
 * requests the primary refuses: each checks what a refusal tells it (the
 * primary's own errno, its reason) and that a refusal leaves nothing
 * held in the primary. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_sva.h>

#include "test.h"
#include "test_mp.h"

static int
refusal_eal_init(void)
{
	char *argv[] = {
		(char *)"sva_multiprocess_test", (char *)"-l", (char *)"0",
		(char *)"--no-pci", (char *)"--proc-type=secondary",
		(char *)"--file-prefix", getenv("SVA_MP_PREFIX"),
		(char *)"--log-level=lib.eal:error", NULL,
	};

	return rte_eal_init((int)RTE_DIM(argv) - 1, argv);
}

/* Every slot the primary's device has for secondaries' queues taken by
 * ours (MP_DEV_QUEUES of them), one more queue: the primary refuses it
 * with -ENOSPC, and the setup returns that errno, not a generic one. A
 * setup again of a queue registers the new one before the old one is
 * let go, so setting up queue 0 again needs one slot more. */
static int
queues_run(void)
{
	struct rte_sva_conf conf = { .nb_queues = MP_DEV_QUEUES };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 32, .mode = RTE_SVA_QUEUE_SHARED, .wq_id = 0,
		.socket_id = SOCKET_ID_ANY,
	};
	int16_t dev;

	TEST_ASSERT(refusal_eal_init() >= 0, "secondary EAL init");
	dev = (int16_t)rte_sva_get_dev_id_by_name(MP_DEV);
	TEST_ASSERT(dev >= 0, "%s attached", MP_DEV);
	TEST_ASSERT_EQ(rte_sva_configure(dev, &conf), 0, "configure %u queues",
		       conf.nb_queues);
	for (uint16_t q = 0; q < conf.nb_queues; q++)
		TEST_ASSERT_EQ(rte_sva_queue_setup(dev, q, &qconf), 0, "queue %u", q);
	TEST_ASSERT_EQ(rte_sva_queue_setup(dev, 0, &qconf), -ENOSPC,
		       "queue 0 again with the primary's slots all taken");
	/* The refused one changed nothing: queue 0 still set up. */
	TEST_ASSERT_EQ(rte_sva_start(dev), 0, "start");
	TEST_ASSERT_EQ(rte_sva_stop(dev), 0, "stop");
	return TEST_OK;
}

int
secondary_queues(void)
{
	if (queues_run() != TEST_OK)
		return SEC_EXIT_FAILED;
	rte_eal_cleanup();
	return SEC_EXIT_OK;
}

/* Started after the primary's sva-mp thread stopped: no request of ours
 * is served, each is refused saying so (the primary checks its log: not
 * the "did not answer" of a request nobody replied to), and no device is
 * attached. */
int
secondary_stopped(void)
{
	if (refusal_eal_init() < 0) {
		printf("    secondary: EAL init failed\n");
		return SEC_EXIT_FAILED;
	}
	if (rte_sva_get_dev_id_by_name(MP_DEV) >= 0) {
		printf("    secondary: %s attached, with the primary's sva-mp thread stopped\n",
		       MP_DEV);
		return SEC_EXIT_FAILED;
	}
	rte_eal_cleanup();
	return SEC_EXIT_REFUSED;
}
