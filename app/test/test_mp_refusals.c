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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_string_fns.h>
#include <rte_sva.h>

#include "rte_sva_mp.h"

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

/* sva_sim's requests (sim_mp.c): its attach and its detach. */
#define SLOTS_DRIVER  "sva_sim"
#define SLOTS_ATTACH  (RTE_SVA_MP_OP_DRIVER + 0)
#define SLOTS_DETACH  (RTE_SVA_MP_OP_DRIVER + 1)
/* More processes refused than the primary serves at once. */
#define SLOTS_REFUSED (RTE_SVA_MP_CLIENTS + 4)

/* Send request op about device name to the primary as if from pid (a
 * child of ours, which maps the primary's config as we do, so passes the
 * primary's check that the sender is one of its secondaries); its reply
 * in *m. @return 0 once a reply came. */
static int
slots_request(pid_t pid, uint32_t op, const char *name, struct rte_sva_mp_msg *m)
{
	struct timespec ts = { .tv_sec = 5 };
	struct rte_mp_reply rep = { 0 };
	struct rte_mp_msg req;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	m->op = op;
	m->pid = (int32_t)pid;
	rte_strscpy(m->driver, SLOTS_DRIVER, sizeof(m->driver));
	rte_strscpy(m->name, name, sizeof(m->name));
	memset(&req, 0, sizeof(req));
	rte_strscpy(req.name, RTE_SVA_MP_ACTION, sizeof(req.name));
	req.len_param = sizeof(*m);
	memcpy(req.param, m, sizeof(*m));
	if (rte_mp_request_sync(&req, &rep, &ts) == 0 && rep.nb_received == 1 &&
	    rep.msgs[0].len_param == sizeof(*m)) {
		memcpy(m, rep.msgs[0].param, sizeof(*m));
		m->why[sizeof(m->why) - 1] = '\0';
		ret = 0;
	}
	free(rep.msgs);
	return ret;
}

/* SLOTS_REFUSED processes, each refused once (a probe of a device the
 * primary does not have), then one more process whose request is good:
 * a refusal must not hold one of the primary's RTE_SVA_MP_CLIENTS slots,
 * else the good one is refused -ENOSPC ("too many secondaries"). */
static int
slots_run(pid_t *kids)
{
	struct rte_sva_mp_msg m;

	TEST_ASSERT(refusal_eal_init() >= 0, "secondary EAL init");
	for (unsigned int i = 0; i <= SLOTS_REFUSED; i++) {
		kids[i] = fork();
		TEST_ASSERT(kids[i] >= 0, "fork");
		if (kids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
	}
	for (unsigned int i = 0; i < SLOTS_REFUSED; i++) {
		TEST_ASSERT_EQ(slots_request(kids[i], SLOTS_ATTACH, MP_UNKNOWN, &m), 0,
			       "a reply to the request of process %u", i);
		TEST_ASSERT_EQ(m.ret, -ENODEV, "process %u refused for its device (%s)", i,
			       m.why);
	}
	TEST_ASSERT_EQ(slots_request(kids[SLOTS_REFUSED], SLOTS_DETACH, MP_DEV, &m), 0,
		       "a reply to the good request");
	TEST_ASSERT_EQ(m.ret, 0, "the good request after %u refused processes (%s)",
		       SLOTS_REFUSED, m.why);
	fprintf(stderr, "secondary_slots: %u processes refused, then one served\n",
		SLOTS_REFUSED);
	return TEST_OK;
}

int
secondary_slots(void)
{
	pid_t kids[SLOTS_REFUSED + 1];
	int ret;

	memset(kids, 0, sizeof(kids));
	ret = slots_run(kids);
	for (unsigned int i = 0; i <= SLOTS_REFUSED; i++) {
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
		}
	}
	if (ret != TEST_OK)
		return SEC_EXIT_FAILED;
	rte_eal_cleanup();
	return SEC_EXIT_OK;
}
