/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Teardown while the fault path is busy: close, uninit and rte_eal_cleanup()
 * with a worker inside a handler; the lcore worker's life cycle (issue 10
 * items 1, 2); what a close, refused or not, leaves of the device's
 * container and fault queue. Signal-free: also run under TSan. */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>

#include "test_fault_edge.h"

/* What the library logged in the last capture (test_log_stop()). */
static const char *log_copy = "";

/* A thread polling one device's fault queue until told to stop or the
 * queue goes away. */
struct poller {
	int16_t dev;
	int stop;
	pthread_t th;
};

static void *
poller_main(void *arg)
{
	struct poller *p = arg;

	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
		if (rte_sva_fault_process(p->dev, 64) < 0)
			break;
	return NULL;
}

/* A handler that stays inside until the fault queue it serves has been
 * unpublished (a nested poll then fails), as a slow demand-paging handler
 * would, then answers SUCCESS. */
static struct {
	int16_t dev;
	int entered, done;
} slow;

static int
slow_until_unpublished(const struct rte_sva_fault *f, void *arg)
{
	uint64_t dl = deadline_ms(5000);

	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	__atomic_store_n(&slow.entered, 1, __ATOMIC_RELEASE);
	while (rte_sva_fault_process(slow.dev, 0) >= 0 && !past(dl))
		rte_pause();
	__atomic_store_n(&slow.done, 1, __ATOMIC_RELEASE);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* A handler that takes 100 ms (to be caught inside by rte_eal_cleanup). */
static int
slow_100ms(const struct rte_sva_fault *f, void *arg)
{
	uint64_t dl = deadline_ms(100);

	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	__atomic_store_n(&slow.entered, 1, __ATOMIC_RELEASE);
	while (!past(dl))
		rte_pause();
	__atomic_store_n(&slow.done, 1, __ATOMIC_RELEASE);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
wait_flag(int *flag, unsigned int ms)
{
	uint64_t dl = deadline_ms(ms);

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		if (past(dl))
			return -ETIMEDOUT;
	return 0;
}

/* ------------------------------- item 1: teardown inside a handler */

/* how: 0 = stop, then rte_sva_close(); 1 = rte_vdev_uninit() (release) */
static int
teardown_in_handler(const char *name, int how)
{
	struct pdev p;
	struct poller pl = { 0 };
	struct rte_sva_result r;
	uint8_t *src = malloc(PG), *dst = fresh(1);
	int ret = TEST_FAILED, rc;

	TEST_ASSERT(src && dst, "buffers");
	memset(src, 0x5a, PG);
	TEST_RUN(pdev_up(&p, name, "pri=1,prq_timeout_ms=60000"));
	memset(&slow, 0, sizeof(slow));
	slow.dev = p.id;
	pl.dev = p.id;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)dst, PG,
						      slow_until_unpublished, NULL), 0, "handler");
	TEST_ASSERT_EQ(pthread_create(&pl.th, NULL, poller_main, &pl), 0, "poller");
	if (rte_sva_copy(p.id, 0, p.pasid, src, dst, PG,
			 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) < 0 ||
	    wait_flag(&slow.entered, 5000) != 0) {
		printf("    the handler was not called\n");
		goto out;
	}
	if (how == 0) {
		/* The device answers the group itself and completes the copy. */
		if (rte_sva_stop(p.id) != 0 ||
		    rte_sva_completed_results(p.id, 0, 1, NULL, &r) != 1 ||
		    r.status != RTE_SVA_STATUS_PAGE_FAULT) {
			printf("    stop did not complete the copy PAGE_FAULT\n");
			goto out;
		}
		test_log_start();
		rc = rte_sva_close(p.id);
	} else {
		test_log_start();
		rc = rte_vdev_uninit(name);
	}
	log_copy = test_log_stop();
	if (rc != 0) {
		printf("    teardown: %d\n", rc);
		goto out;
	}
	/* It waited for the worker: the handler was done before it freed
	 * anything, and the response, now late, was dropped, not sent. */
	if (!__atomic_load_n(&slow.done, __ATOMIC_ACQUIRE)) {
		printf("    teardown returned with the handler still running\n");
		goto out;
	}
	if (strstr(log_copy, "1 late page response dropped") == NULL) {
		printf("    no late response counted (log: '%s')\n", log_copy);
		goto out;
	}
	ret = TEST_OK;
out:
	__atomic_store_n(&pl.stop, 1, __ATOMIC_RELEASE);
	pthread_join(pl.th, NULL);
	rte_sva_fault_handler_unregister((uintptr_t)dst);
	pdev_down(&p);
	munmap(dst, PG);
	free(src);
	return ret;
}

static int
test_close_in_handler(void)
{
	return teardown_in_handler("sva_sim30", 0);
}

static int
test_uninit_in_handler(void)
{
	return teardown_in_handler("sva_sim31", 1);
}

/* ---------------------- item 2: rte_eal_cleanup() with a worker running */

/* Lcores 0 and 1 for a fresh process (the suite's EAL has lcore 0 only);
 * both on CPU 0 where we may not run on CPU 1. */
static const char *
two_lcores(void)
{
	cpu_set_t cpus;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_ISSET(0, &cpus) &&
	    CPU_ISSET(1, &cpus))
		return "0,1";
	return "0,1@0";
}

static int
spinner(void *arg)
{
	while (!__atomic_load_n((int *)arg, __ATOMIC_ACQUIRE))
		rte_pause();
	return 0;
}

/* A page request served by the worker on lcore 1. */
static int
worker_round_trip(struct pdev *p)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(PG), *dst = fresh(1);

	TEST_ASSERT(src && dst, "buffers");
	memset(src, 0x77, PG);
	TEST_ASSERT(rte_sva_copy(p->id, 0, p->pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	TEST_ASSERT_EQ(wait_results(p->id, 1, &r, false), 0, "served by the worker");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.resp_success, 1, "one SUCCESS");
	munmap(dst, PG);
	free(src);
	return TEST_OK;
}

static int
child_worker_lcore(void)
{
	struct pdev p;
	int stop, rc;

	TEST_ASSERT(rte_lcore_is_enabled(1), "lcore 1");
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	/* Busy with another function: -EBUSY, saying so. */
	TEST_ASSERT_EQ(rte_eal_remote_launch(spinner, &stop, 1), 0, "launch");
	test_log_start();
	rc = rte_sva_fault_worker_start(1);
	log_copy = test_log_stop();
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(1);
	TEST_ASSERT_EQ(rc, -EBUSY, "busy lcore");
	TEST_ASSERT(strstr(log_copy, "busy") != NULL, "log: '%s'", log_copy);
	TEST_LOGGED(rte_sva_fault_worker_start(rte_get_main_lcore()), -EINVAL,
		    "not a worker lcore");
	/* Started, it holds the lcore; twice is -EBUSY. */
	TEST_ASSERT_EQ(rte_sva_fault_worker_start(1), 0, "start");
	TEST_LOGGED(rte_sva_fault_worker_start(1), -EBUSY, "already runs");
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	TEST_ASSERT_EQ(rte_eal_remote_launch(spinner, &stop, 1), -EBUSY, "lcore held");
	TEST_RUN(pdev_up(&p, "sva_sim30", "pri=1"));
	rc = worker_round_trip(&p);
	pdev_down(&p);
	TEST_ASSERT_EQ(rc, TEST_OK, "round trip");
	/* Stopped, the lcore is free again; a second stop says none runs. */
	TEST_ASSERT_EQ(rte_sva_fault_worker_stop(), 0, "stop");
	TEST_LOGGED(rte_sva_fault_worker_stop(), -ENOENT, "no fault worker");
	TEST_ASSERT_EQ(rte_eal_remote_launch(spinner, &stop, 1), 0, "lcore free");
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(1);
	TEST_ASSERT_EQ(rte_sva_fault_worker_start(1), 0, "start again");
	TEST_ASSERT_EQ(rte_sva_fault_worker_stop(), 0, "stop again");
	return TEST_OK;
}

static int
test_worker_lcore(void)
{
	return test_spawn_run("teardown", "worker", two_lcores(), 60000);
}

/* rte_eal_cleanup() with the worker running, inside a slow handler: it
 * returns, after the handler did. */
static int
child_cleanup(void)
{
	struct pdev p;
	uint8_t *src = malloc(PG), *dst = fresh(1);
	int rc;

	TEST_ASSERT(src && dst, "buffers");
	TEST_RUN(pdev_up(&p, "sva_sim30", "pri=1,prq_timeout_ms=60000"));
	memset(&slow, 0, sizeof(slow));
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)dst, PG, slow_100ms, NULL),
		       0, "handler");
	TEST_ASSERT_EQ(rte_sva_fault_worker_start(1), 0, "worker");
	TEST_ASSERT(rte_sva_copy(p.id, 0, p.pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	TEST_ASSERT_EQ(wait_flag(&slow.entered, 5000), 0, "handler called");
	printf("    rte_eal_cleanup() with the worker inside a handler\n");
	fflush(stdout);
	rc = rte_eal_cleanup();
	TEST_ASSERT_EQ(rc, 0, "rte_eal_cleanup");
	TEST_ASSERT(__atomic_load_n(&slow.done, __ATOMIC_ACQUIRE), "handler finished first");
	return TEST_OK;
}

static int
test_eal_cleanup_worker(void)
{
	return test_spawn_run("teardown", "cleanup", two_lcores(), 60000);
}

/* ----------------------- what a close tells the layers above the device */

/* A close the driver refuses leaves the device whole: still in its
 * container, its fault queue back and answering. The close that succeeds
 * then takes the device out of its container and frees its queue. */
static int
refused_close_body(struct rte_sva_dev *dev, int cid)
{
	struct rte_sva_fault_stats st;
	int16_t devs[4];
	int16_t id = (int16_t)rte_sva_get_dev_id_by_name("sva_fk_td0");

	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, id), 0, "add_dev");
	fk.close_ret = -EIO;
	TEST_ASSERT_EQ(rte_sva_close(id), -EIO, "refused close");
	TEST_ASSERT(rte_sva_is_valid(id), "device kept");
	TEST_ASSERT_EQ(rte_sva_container_devs(cid, devs, RTE_DIM(devs)), 1, "still in it");
	TEST_ASSERT_EQ(devs[0], id, "the device");
	/* The queue was unpublished for the close and given back. */
	TEST_ASSERT_EQ(fk_raise(dev, 5, 1, 0x10000, 11, true), 0, "report");
	TEST_ASSERT_EQ(rte_sva_fault_process(id, 8), 1, "one record handled");
	TEST_ASSERT_EQ(fk.nb, 1, "one response delivered");
	TEST_ASSERT_EQ(fk.r[0].cookie, 11, "its cookie");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(id, &st), 0, "fault stats");
	TEST_ASSERT_EQ(st.groups, 1, "one group answered");
	TEST_ASSERT_EQ(st.stale_responses, 0, "none dropped");
	fk.close_ret = 0;
	TEST_ASSERT_EQ(rte_sva_close(id), 0, "close");
	TEST_ASSERT(!rte_sva_is_valid(id), "released");
	TEST_ASSERT_EQ(rte_sva_container_devs(cid, devs, RTE_DIM(devs)), 0, "left its container");
	TEST_ASSERT_EQ(rte_sva_fault_process(id, 8), -EINVAL, "no device, no queue");
	return TEST_OK;
}

static int
test_refused_close(void)
{
	struct rte_sva_dev *dev = fk_up("sva_fk_td0", &fk_bond_ops, 64);
	int cid = rte_sva_container_create();
	int16_t id;
	int ret;

	TEST_ASSERT(dev != NULL && cid >= 0, "fake device and container");
	id = (int16_t)rte_sva_get_dev_id_by_name("sva_fk_td0");
	ret = refused_close_body(dev, cid);
	if (rte_sva_is_valid(id))
		fk_down(dev);
	rte_sva_container_destroy(cid);
	return ret;
}

static const struct test_case cases[] = {
	{ "worker lcore: busy, twice, stop, restart", test_worker_lcore },
	{ "rte_eal_cleanup() with a worker in a handler", test_eal_cleanup_worker },
	{ "close while the worker is in a handler", test_close_in_handler },
	{ "uninit while the worker is in a handler", test_uninit_in_handler },
	{ "a refused close keeps container and fault queue", test_refused_close },
};

/* Run by test_spawn(): with lcores 0 and 1. */
static const struct test_role roles[] = {
	{ "worker", child_worker_lcore },
	{ "cleanup", child_cleanup },
	{ NULL, NULL },
};

const struct test_suite suite_teardown = { "teardown", cases, RTE_DIM(cases), roles };
