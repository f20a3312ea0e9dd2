/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Page requests of a bound child (a bond made by pid): raised with its
 * PASID, resolved in its address space, answered when it exits or while
 * an unbind holds the control lock. Cases of the pri suite. */

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>

#include "test_pri.h"

/* A forked child, bound by pid: its pages 0..3 hold a pattern (present,
 * shared with us until written), 4..15 were never touched, 16 is read-only
 * and never touched. Our own copies of those pages are poisoned after the
 * fork, so a device that used our address space would be caught. */
struct prq_child {
	pid_t pid;
	uint32_t pasid;
	uint8_t *area;
	int memfd;
};

#define CHILD_PAGES 17u

static int
prq_child_start(struct prq_child *c)
{
	char path[64];

	c->memfd = -1;
	c->area = pri_fresh(CHILD_PAGES, PROT_READ | PROT_WRITE);
	TEST_ASSERT(c->area != NULL, "mmap");
	for (uint32_t i = 0; i < 4 * PG; i++)
		c->area[i] = (uint8_t)(i * 7 + 1);
	TEST_ASSERT_EQ(mprotect(c->area + 16 * PG, PG, PROT_READ), 0, "mprotect");
	c->pid = test_fork();
	TEST_ASSERT(c->pid >= 0, "fork");
	if (c->pid == 0) {
		for (;;)
			pause();
	}
	memset(c->area, 0xee, 4 * PG);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)c->pid);
	c->memfd = open(path, O_RDONLY);
	TEST_ASSERT(c->memfd >= 0, "open %s", path);
	TEST_ASSERT_EQ(rte_sva_bind(pri_cid, c->pid, &c->pasid), 0, "bind the child");
	return TEST_OK;
}

static void
prq_child_stop(struct prq_child *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	if (c->memfd >= 0)
		close(c->memfd);
	munmap(c->area, CHILD_PAGES * PG);
}

/* A bound child's absent pages raise page requests with its PASID; the
 * worker faults them in through the child's address space and the copy
 * lands there. Its read-only page is answered INVALID and stays as it
 * was; without block-on-fault the copy stops at the first absent page. */
static int
foreign_body(void)
{
	struct rte_sva_fault_pasid_stats ps;
	struct rte_sva_result r[3];
	struct prq_child c;
	uint8_t *got = malloc(8 * PG);
	int ret = TEST_FAILED;

	TEST_ASSERT(got != NULL, "malloc");
	TEST_RUN(prq_child_start(&c));
	/* Pages 4..11 absent: one group of 8 (the source is present). */
	if (rte_sva_copy(pri_dev, 0, c.pasid, c.area, c.area + 4 * PG, 4 * PG,
			 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT) < 0 ||
	    rte_sva_copy(pri_dev, 0, c.pasid, c.area, c.area + 8 * PG, 4 * PG,
			 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT) < 0 ||
	    rte_sva_copy(pri_dev, 0, c.pasid, c.area, c.area + 16 * PG + 8, 64,
			 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) < 0 ||
	    pri_wait(3, r, true) != 0) {
		printf("    enqueue/wait failed\n");
		goto out;
	}
	if (r[0].status != RTE_SVA_STATUS_SUCCESS || r[1].status != RTE_SVA_STATUS_SUCCESS ||
	    r[2].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[2].fault_addr != (uintptr_t)(c.area + 16 * PG + 8) ||
	    !(r[2].flags & RTE_SVA_RESULT_F_WRITE)) {
		printf("    statuses %s %s %s, fault at %#" PRIx64 "\n",
		       rte_sva_status_str(r[0].status), rte_sva_status_str(r[1].status),
		       rte_sva_status_str(r[2].status), r[2].fault_addr);
		goto out;
	}
	/* The child's pages 4..11 hold two copies of its pattern; its
	 * read-only page is still zero. */
	if (pread(c.memfd, got, 8 * PG, (off_t)(uintptr_t)(c.area + 4 * PG)) != 8 * PG) {
		printf("    cannot read the child's memory\n");
		goto out;
	}
	for (uint32_t i = 0; i < 8 * PG; i++) {
		if (got[i] != (uint8_t)((i % (4 * PG)) * 7 + 1)) {
			printf("    child byte %u: %02x\n", i, got[i]);
			goto out;
		}
	}
	if (pread(c.memfd, got, 64, (off_t)(uintptr_t)(c.area + 16 * PG + 8)) != 64 ||
	    got[0] != 0 || got[63] != 0) {
		printf("    the child's read-only page changed\n");
		goto out;
	}
	if (rte_sva_fault_pasid_stats_get(pri_dev, c.pasid, &ps) != 0 ||
	    ps.requests != 9 || ps.resp_success != 2 || ps.resp_invalid != 1) {
		printf("    child PASID: %" PRIu64 " requests, %" PRIu64 " SUCCESS, %" PRIu64
		       " INVALID (want 9, 2, 1)\n", ps.requests, ps.resp_success,
		       ps.resp_invalid);
		goto out;
	}
	/* Without block-on-fault: page 12 is absent, the copy stops there. */
	if (rte_sva_copy(pri_dev, 0, c.pasid, c.area, c.area + 12 * PG - 64, 128,
			 RTE_SVA_OP_FLAG_SUBMIT) < 0 || pri_wait(1, r, true) != 0 ||
	    r[0].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[0].fault_addr != (uintptr_t)(c.area + 12 * PG) ||
	    r[0].bytes_completed != 64) {
		printf("    no block-on-fault: %s at %#" PRIx64 ", %u bytes\n",
		       rte_sva_status_str(r[0].status), r[0].fault_addr,
		       r[0].bytes_completed);
		goto out;
	}
	ret = TEST_OK;
out:
	rte_sva_unbind(pri_cid, c.pid);
	prq_child_stop(&c);
	free(got);
	return ret;
}

/* A copy into the child's absent page 4, its page request left in the
 * fault queue unserved: 0 once the request is there (the high-water mark
 * is counted on the device side). */
static int
child_request_pending(const struct prq_child *c)
{
	struct rte_sva_fault_stats st = { 0 };

	if (rte_sva_copy(pri_dev, 0, c->pasid, c->area, c->area + 4 * PG, PG,
			 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) < 0)
		return -1;
	for (int i = 0; i < 5000; i++) {
		if (rte_sva_fault_stats_get(pri_dev, &st) == 0 && st.queue_hwm >= 1)
			return 0;
		rte_delay_ms(1);
	}
	printf("    no page request raised\n");
	return -1;
}

/* The bound child exits with its page request pending: the device answers
 * the group INVALID itself and completes the descriptor BAD_PASID_ENTRY;
 * the worker's late answer is dropped as stale. One response reaches the
 * device, none is lost. */
static int
foreign_exit_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	struct prq_child c;
	int n, ret = TEST_FAILED;

	TEST_RUN(prq_child_start(&c));
	if (child_request_pending(&c) != 0)
		goto out;
	kill(c.pid, SIGKILL);
	waitpid(c.pid, NULL, 0);
	c.pid = 0;
	if (pri_wait(1, &r, false) != 0 || r.status != RTE_SVA_STATUS_BAD_PASID_ENTRY) {
		printf("    status %s\n", rte_sva_status_str(r.status));
		goto out;
	}
	/* The request, and the unrecoverable BAD_PASID_ENTRY record of the
	 * descriptor's completion. */
	n = rte_sva_fault_process(pri_dev, 64);
	if (rte_sva_fault_stats_get(pri_dev, &st) != 0 || n != 2 ||
	    st.unrecoverable[RTE_SVA_FAULT_REASON_BAD_PASID_ENTRY] != 1 ||
	    st.requests != 1 || st.device_invalid != 1 || st.resp_invalid != 1 ||
	    st.resp_success != 0 || st.stale_responses != 1) {
		printf("    processed %d: requests %" PRIu64 ", device INVALID %" PRIu64 ", worker INVALID %"
		       PRIu64 ", SUCCESS %" PRIu64 ", stale %" PRIu64 "\n", n, st.requests,
		       st.device_invalid, st.resp_invalid, st.resp_success,
		       st.stale_responses);
		goto out;
	}
	ret = TEST_OK;
out:
	if (rte_sva_unbind(pri_cid, c.pid > 0 ? c.pid : 0) != 0 && ret == TEST_OK)
		ret = TEST_FAILED;
	prq_child_stop(&c);
	return ret;
}

/* The fault worker must never wait for the control lock: here the main
 * thread unbinds our own bond, which holds the lock while the device
 * drains, and the drain waits for a bound child's descriptor, which waits
 * for the worker's answer. The worker (a plain thread) starts polling once
 * the unbind is under way; the child's copy must complete SUCCESS, well
 * before the device's own timeout would have answered it. */
struct poller {
	int go, stop;   /* atomics */
};

static void *
poller_main(void *arg)
{
	struct poller *p = arg;

	while (!__atomic_load_n(&p->go, __ATOMIC_ACQUIRE))
		rte_pause();
	rte_delay_us_sleep(5000);   /* let the unbind take the lock first */
	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
		rte_sva_fault_process(pri_dev, 64);
	return NULL;
}

static int
foreign_unbind_other_body(void)
{
	struct rte_sva_result r;
	struct prq_child c;
	struct poller p = { 0 };
	pthread_t th;
	uint64_t t0;
	int ret = TEST_FAILED;

	TEST_RUN(prq_child_start(&c));
	if (child_request_pending(&c) != 0)
		goto out;
	if (pthread_create(&th, NULL, poller_main, &p) != 0)
		goto out;
	t0 = rte_get_timer_cycles();
	__atomic_store_n(&p.go, 1, __ATOMIC_RELEASE);
	if (rte_sva_unbind(pri_cid, 0) != 0)
		printf("    unbind of our own bond failed\n");
	else if (pri_wait(1, &r, false) != 0 || r.status != RTE_SVA_STATUS_SUCCESS)
		printf("    the child's copy: %s\n", rte_sva_status_str(r.status));
	else if (rte_get_timer_cycles() - t0 > 2 * rte_get_timer_hz())
		printf("    answered only after %.1f s\n",
		       (double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz());
	else
		ret = TEST_OK;
	__atomic_store_n(&p.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	if (rte_sva_bind(pri_cid, 0, &pri_pasid) != 0)
		ret = TEST_FAILED;
out:
	rte_sva_unbind(pri_cid, c.pid);
	prq_child_stop(&c);
	return ret;
}

int
test_foreign(void)
{
	return pri_case("pri=1", foreign_body);
}

int
test_foreign_exit(void)
{
	return pri_case("pri=1,prq_timeout_ms=60000", foreign_exit_body);
}

int
test_foreign_unbind_other(void)
{
	return pri_case("pri=1,prq_timeout_ms=4000", foreign_unbind_other_body);
}
