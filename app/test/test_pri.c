/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Page requests: a sim device with pri=1, its fault queue polled by the
 * test thread itself (rte_sva_fault_process(), poll mode). */

#include <inttypes.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>

#include "test.h"
#include "test_pri.h"


int16_t pri_dev = -1;
int pri_cid = -1;
uint32_t pri_pasid;

int
pri_dev_up(const char *args)
{
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim4", args), 0, "probe sva_sim4,%s", args);
	pri_dev = (int16_t)rte_sva_get_dev_id_by_name("sva_sim4");
	TEST_ASSERT(pri_dev >= 0, "dev id");
	pri_cid = rte_sva_container_create();
	TEST_ASSERT(pri_cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(pri_cid, pri_dev), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(pri_cid, 0, &pri_pasid), 0, "bind");
	TEST_ASSERT_EQ(test_dev_setup(pri_dev, 1, 64), 0, "start");
	TEST_ASSERT_EQ(rte_sva_fault_stats_reset(pri_dev), 0, "stats reset");
	return TEST_OK;
}

void
pri_dev_down(void)
{
	rte_sva_stop(pri_dev);
	rte_sva_container_destroy(pri_cid);
	rte_vdev_uninit("sva_sim4");
	pri_dev = -1;
}

/* Wait for n results, serving the fault queue unless told not to. */
int
pri_wait(uint16_t n, struct rte_sva_result *res, bool serve)
{
	return test_wait_served(pri_dev, 0, n, res, serve, 5);
}

/* Wait (bounded) until the device has raised at least min_hwm records
 * into its fault queue, and, with full, met the queue full: the engine is
 * then waiting for an answer. */
int
pri_wait_raised(uint32_t min_hwm, bool full)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	struct rte_sva_fault_stats st;

	do {
		if (rte_sva_fault_stats_get(pri_dev, &st) == 0 && st.queue_hwm >= min_hwm &&
		    (!full || st.queue_full > 0))
			return 0;
		rte_pause();
	} while (rte_get_timer_cycles() < deadline);
	printf("    the device raised no page request (hwm %u, full %" PRIu64 ")\n",
	       st.queue_hwm, st.queue_full);
	return -ETIMEDOUT;
}

uint8_t *
pri_fresh(size_t pages, int prot)
{
	void *p = mmap(NULL, pages * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int
round_trip_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(16 * PG), *dst = pri_fresh(16, PROT_READ | PROT_WRITE);
	uint64_t hist = 0;

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, 16 * PG, 3);
	/* dst was never touched: 16 absent pages, one group. */
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, 16 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, 16 * PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.requests, 16, "one request per absent page");
	TEST_ASSERT_EQ(st.groups, 1, "one group");
	TEST_ASSERT_EQ(st.resp_success, 1, "answered SUCCESS once");
	TEST_ASSERT_EQ(st.resp_invalid + st.stale_responses + st.device_invalid, 0, "nothing else");
	for (int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		hist += st.hist[i];
	TEST_ASSERT_EQ(hist, 1, "one round trip in the histogram");
	{
		struct rte_sva_fault_pasid_stats ps;

		TEST_ASSERT_EQ(rte_sva_fault_pasid_stats_get(pri_dev, pri_pasid, &ps), 0,
			       "per-PASID");
		TEST_ASSERT_EQ(ps.requests, 16, "per-PASID requests");
		TEST_ASSERT_EQ(ps.resp_success, 1, "per-PASID responses");
		TEST_ASSERT_EQ(rte_sva_fault_pasid_stats_get(pri_dev, pri_pasid + 1, &ps),
			       -ENOENT, "other PASID");
	}
	/* Warm now: no new request. */
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, 16 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.requests, 16, "no request for present pages");
	munmap(dst, 16 * PG);
	free(src);
	return TEST_OK;
}

/* Without block-on-fault: partial completion, then the caller resumes. */
static int
partial_body(void)
{
	struct rte_sva_result r;
	uint8_t *src = malloc(4 * PG), *dst = pri_fresh(4, PROT_READ | PROT_WRITE);
	uint32_t done;

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, 4 * PG, 4);
	memset(dst, 0, 2 * PG);     /* pages 0-1 present, 2-3 absent */
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, 4 * PG,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)(dst + 2 * PG), "fault address");
	TEST_ASSERT_EQ(r.bytes_completed, 2 * PG, "bytes completed");
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write fault");
	TEST_ASSERT(memcmp(src, dst, 2 * PG) == 0, "prefix copied");
	done = r.bytes_completed;
	TEST_ASSERT_EQ(done, 2 * PG, "done");
	/* Resume the rest, this time letting the device wait for the pages. */
	TEST_ASSERT(rte_sva_copy_resume(pri_dev, 0, pri_pasid, src, dst, 4 * PG, &r,
					RTE_SVA_OP_FLAG_BLOCK_ON_FAULT |
					RTE_SVA_OP_FLAG_SUBMIT) >= 0, "resume");
	TEST_ASSERT_EQ(rte_sva_copy_resume(pri_dev, 0, pri_pasid, src, dst, 2 * PG, &r, 0),
		       -EINVAL, "nothing left to resume");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "resumed");
	TEST_ASSERT(memcmp(src, dst, 4 * PG) == 0, "all data");
	munmap(dst, 4 * PG);
	free(src);
	return TEST_OK;
}

/* A write into a read-only mapping, and a range with a hole: INVALID. */
static int
invalid_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(4 * PG), *ro = pri_fresh(2, PROT_READ), *holed = pri_fresh(4, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && ro && holed, "buffers");
	memset(src, 7, 4 * PG);
	munmap(holed + 2 * PG, PG);
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, ro, 2 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "read-only: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write");
	TEST_ASSERT_EQ(ro[0], 0, "read-only page untouched");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, holed, 4 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "hole: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.resp_invalid, 2, "two INVALID responses");
	TEST_ASSERT_EQ(st.groups, 2, "two groups");
	munmap(ro, 2 * PG);
	munmap(holed, 2 * PG);
	munmap(holed + 3 * PG, PG);
	free(src);
	return TEST_OK;
}

static unsigned int handler_calls;

/* Demand paging: fill each requested page from its index, then answer. */
static int
fill_on_demand(const struct rte_sva_fault *f, void *arg)
{
	uint8_t *base = arg;
	uint64_t page = (f->addr - (uintptr_t)base) / PG;

	memset((void *)(uintptr_t)f->addr, (int)(0x40 + page), PG);
	handler_calls++;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
handler_body(void)
{
	struct rte_sva_result r;
	uint8_t *lazy = pri_fresh(8, PROT_READ | PROT_WRITE), *dst = malloc(8 * PG);

	TEST_ASSERT(lazy && dst, "buffers");
	memset(dst, 0, 8 * PG);
	handler_calls = 0;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)lazy, 8 * PG,
						      fill_on_demand, lazy), 0, "register");
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)lazy + PG, PG,
						      fill_on_demand, lazy), -EINVAL, "overlap");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, lazy, dst, 8 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(handler_calls, 8, "one call per page");
	for (unsigned int p = 0; p < 8; p++)
		for (unsigned int i = 0; i < PG; i += 512)
			TEST_ASSERT_EQ(dst[p * PG + i], 0x40 + p, "page %u", p);
	TEST_ASSERT_EQ(rte_sva_fault_handler_unregister((uintptr_t)lazy), 0, "unregister");
	TEST_ASSERT_EQ(rte_sva_fault_handler_unregister((uintptr_t)lazy), -ENOENT, "again");
	munmap(lazy, 8 * PG);
	free(dst);
	return TEST_OK;
}

/* Nobody answers: the device answers INVALID itself after its timeout, and
 * the late response is dropped as stale: one answer per group. */
static int
timeout_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(PG), *dst = pri_fresh(1, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && dst, "buffers");
	memset(src, 1, PG);
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, false), 0, "wait without serving");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_fault_process(pri_dev, 64), 1, "the late request");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.device_invalid, 1, "device answered");
	TEST_ASSERT_EQ(st.stale_responses, 1, "late response dropped");
	munmap(dst, PG);
	free(src);
	return TEST_OK;
}

/* Stop with a request pending: the engine answers it and stop returns. */
static int
stop_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(PG), *dst = pri_fresh(1, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && dst, "buffers");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait_raised(1, false), 0, "request raised");
	TEST_ASSERT_EQ(rte_sva_stop(pri_dev), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_completed_results(pri_dev, 0, 1, NULL, &r), 1, "completed by stop");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.device_invalid, 1, "device answered");
	TEST_ASSERT_EQ(rte_sva_start(pri_dev), 0, "restart");
	munmap(dst, PG);
	free(src);
	return TEST_OK;
}

/* A fault queue of 16 and a group of 64 pages with nobody serving: the
 * device waits (back-pressure); served late, all 64 records arrive. */
static int
backpressure_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(64 * PG), *dst = pri_fresh(64, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, 64 * PG, 9);
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, 64 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait_raised(16, true), 0, "queue filled");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT(st.queue_full > 0, "the device met a full queue");
	TEST_ASSERT_EQ(st.queue_hwm, st.queue_size, "queue filled up");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, 64 * PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.requests, 64, "every record arrived");
	TEST_ASSERT_EQ(st.groups, 1, "one group");
	munmap(dst, 64 * PG);
	free(src);
	return TEST_OK;
}

static unsigned int unrecov_seen, unrecov_reason;

static void
on_unrecov(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	unrecov_seen++;
	unrecov_reason = f->reason;
}

static int
unrecov_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t buf[128];

	unrecov_seen = 0;
	rte_sva_fault_unrecov_callback_set(on_unrecov, NULL);
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid ^ 0x5, buf, buf + 64, 64,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	/* The device reports the fault before it writes the completion, but
	 * the wait may have polled the queue just before the report. */
	rte_sva_fault_process(pri_dev, 64);
	rte_sva_fault_unrecov_callback_set(NULL, NULL);
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_INVALID_PASID, "status");
	TEST_ASSERT_EQ(unrecov_seen, 1, "callback");
	TEST_ASSERT_EQ(unrecov_reason, RTE_SVA_FAULT_REASON_PASID_INVALID, "reason");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.unrecoverable[RTE_SVA_FAULT_REASON_PASID_INVALID], 1, "counter");
	return TEST_OK;
}

/* Present but read-only: a write raises a permission page request. The
 * default resolver answers INVALID; a handler that grants the permission
 * answers SUCCESS and the descriptor runs again. */
static int
grant_write(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	if (!(f->perm & RTE_SVA_PERM_WRITE))
		return RTE_SVA_PAGE_RESP_INVALID;
	return mprotect((void *)(uintptr_t)f->addr, PG, PROT_READ | PROT_WRITE) == 0 ?
		RTE_SVA_PAGE_RESP_SUCCESS : RTE_SVA_PAGE_RESP_INVALID;
}

static int
permission_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(2 * PG), *ro = pri_fresh(2, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && ro, "buffers");
	memset(src, 0x33, 2 * PG);
	memset(ro, 0, 2 * PG);                     /* present */
	TEST_ASSERT_EQ(mprotect(ro, 2 * PG, PROT_READ), 0, "read-only");
	/* Default resolver: INVALID, exact address of the write. */
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, ro + 100, 2 * PG - 200,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write");
	/* The first store that faulted: within the first page, at or after
	 * the destination's start (the copy may store in wider blocks). */
	TEST_ASSERT(r.fault_addr >= (uintptr_t)(ro + 100) &&
		    r.fault_addr < (uintptr_t)(ro + PG), "address %#" PRIx64, r.fault_addr);
	TEST_ASSERT_EQ(r.bytes_completed, 0, "nothing written");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.resp_invalid, 1, "INVALID");
	/* A handler grants write access page by page. */
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)ro, 2 * PG,
						      grant_write, NULL), 0, "handler");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, ro + 100, 2 * PG - 200,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	rte_sva_fault_handler_unregister((uintptr_t)ro);
	/* Two pages, one permission request each, one re-run each. */
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT,
		       "one re-run per descriptor: the second page faults: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(r.fault_addr >= (uintptr_t)(ro + PG) &&
		    r.fault_addr < (uintptr_t)(ro + 2 * PG), "second page");
	TEST_ASSERT_EQ(r.bytes_completed, PG - 100, "first page done");
	TEST_ASSERT(memcmp(ro + 100, src, PG - 100) == 0, "first page written");
	/* The second page is granted by the next descriptor. */
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, ro + PG, PG - 100,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)ro, 2 * PG,
						      grant_write, NULL), 0, "handler");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	rte_sva_fault_handler_unregister((uintptr_t)ro);
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(ro + PG, src, PG - 100) == 0, "second page written");
	munmap(ro, 2 * PG);
	free(src);
	return TEST_OK;
}

/* Unbind with a page request pending: the device answers it INVALID, the
 * descriptor completes, unbind returns, the late response is stale. */
static int
unbind_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(PG), *dst = pri_fresh(1, PROT_READ | PROT_WRITE);

	TEST_ASSERT(src && dst, "buffers");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(pri_wait_raised(1, false), 0, "request raised");
	TEST_ASSERT_EQ(rte_sva_unbind(pri_cid, 0), 0, "unbind");
	TEST_ASSERT_EQ(rte_sva_completed_results(pri_dev, 0, 1, NULL, &r), 1,
		       "completed before unbind returned");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_fault_process(pri_dev, 64), 1, "the late request");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(pri_dev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.device_invalid, 1, "device answered");
	/* The worker answers INVALID (the PASID is gone); the device, which
	 * answered already, drops it. */
	TEST_ASSERT_EQ(st.resp_invalid, 1, "worker's answer");
	TEST_ASSERT_EQ(st.stale_responses, 1, "dropped as stale");
	TEST_ASSERT_EQ(rte_sva_bind(pri_cid, 0, &pri_pasid), 0, "bind again");
	munmap(dst, PG);
	free(src);
	return TEST_OK;
}

/* Soak: random copies, fills and CRCs over a region whose pages are
 * dropped (MADV_DONTNEED) at random between batches, with and without
 * block-on-fault; a shadow copy says what every byte must be. */
static int
soak_body(void)
{
	const unsigned int pages = 64, batches = 60, per = 16;
	uint8_t *a = pri_fresh(pages, PROT_READ | PROT_WRITE), *shadow = malloc(pages * PG);
	uint8_t *src = malloc(4 * PG);
	uint64_t x = 0x1234567;
	struct rte_sva_result res[16];
	struct { int op; uint32_t off, len; uint64_t flags, pattern; } ops[16];

	TEST_ASSERT(a && shadow && src, "buffers");
	memset(shadow, 0, pages * PG);
	test_fill_random(src, 4 * PG, 77);
	for (unsigned int b = 0; b < batches; b++) {
		/* Drop a few pages: they read back as zero. */
		for (int k = 0; k < 4; k++) {
			uint32_t p = (uint32_t)((x = x * 6364136223846793005ull + 1) >> 33) % pages;

			madvise(a + p * PG, PG, MADV_DONTNEED);
			memset(shadow + p * PG, 0, PG);
		}
		rte_sva_cache_invalidate(pri_dev, &(struct rte_sva_cache_inv){
			.cache = RTE_SVA_INV_DEV_IOTLB,
			.granularity = RTE_SVA_INV_GRANU_PASID, .pasid = pri_pasid });
		for (unsigned int i = 0; i < per; i++) {
			uint64_t rnd = (x = x * 6364136223846793005ull + 1) >> 11;

			ops[i].op = (int)(rnd % 3);
			ops[i].len = 1 + (uint32_t)((rnd >> 8) % (3 * PG));
			ops[i].off = (uint32_t)((rnd >> 24) % (pages * PG - ops[i].len));
			ops[i].flags = (rnd >> 50) & 1 ? RTE_SVA_OP_FLAG_BLOCK_ON_FAULT : 0;
			ops[i].pattern = rnd;
			TEST_ASSERT((ops[i].op == 0 ?
				rte_sva_copy(pri_dev, 0, pri_pasid, src, a + ops[i].off, ops[i].len, ops[i].flags) :
				ops[i].op == 1 ?
				rte_sva_fill(pri_dev, 0, pri_pasid, ops[i].pattern, a + ops[i].off,
					     ops[i].len, ops[i].flags) :
				rte_sva_crc32c(pri_dev, 0, pri_pasid, a + ops[i].off, 0, ops[i].len, ops[i].flags)) >= 0,
				"enqueue");
		}
		TEST_ASSERT_EQ(rte_sva_submit(pri_dev, 0), 0, "submit");
		TEST_ASSERT_EQ(pri_wait(per, res, true), 0, "batch %u", b);
		for (unsigned int i = 0; i < per; i++) {
			uint32_t done = ops[i].len;
			bool bof = ops[i].flags & RTE_SVA_OP_FLAG_BLOCK_ON_FAULT;

			if (res[i].status == RTE_SVA_STATUS_PAGE_FAULT) {
				TEST_ASSERT(!bof, "batch %u op %u: block-on-fault op faulted", b, i);
				done = res[i].bytes_completed;
				TEST_ASSERT(done < ops[i].len, "partial");
			} else {
				TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS,
					       "batch %u op %u: %s", b, i,
					       rte_sva_status_str(res[i].status));
			}
			if (ops[i].op == 0)
				memcpy(shadow + ops[i].off, src, done);
			else if (ops[i].op == 1)
				for (uint32_t k = 0; k < done; k++)
					shadow[ops[i].off + k] =
						(uint8_t)(ops[i].pattern >> ((k % 8) * 8));
			else if (res[i].status == RTE_SVA_STATUS_SUCCESS)
				TEST_ASSERT_EQ(res[i].crc, test_crc32c_ref(0, shadow + ops[i].off,
									   ops[i].len),
					       "batch %u op %u: CRC", b, i);
		}
		/* Every byte, read through the CPU (which faults absent pages
		 * in as zero, as the shadow says). */
		TEST_ASSERT(memcmp(a, shadow, pages * PG) == 0, "batch %u: region differs", b);
	}
	munmap(a, pages * PG);
	free(shadow);
	free(src);
	return TEST_OK;
}

/* An overlapping copy runs from the end; a fault part way leaves its last
 * bytes done, and rte_sva_copy_resume() finishes the front. */
static int
resume_descending_body(void)
{
	struct rte_sva_result r;
	uint8_t *buf = pri_fresh(5, PROT_READ | PROT_WRITE), *ref = malloc(5 * PG);
	uint8_t *src, *dst;
	const uint32_t len = 3 * PG;

	TEST_ASSERT(buf && ref, "buffers");
	test_fill_random(buf, 5 * PG, 21);
	memcpy(ref, buf, 5 * PG);
	src = buf + 100;
	dst = buf + 100 + 5000;                 /* overlapping, above */
	memmove(ref + 5100, ref + 100, len);
	TEST_ASSERT_EQ(mprotect(buf + 2 * PG, PG, PROT_READ), 0, "read-only page");
	TEST_ASSERT(rte_sva_copy(pri_dev, 0, pri_pasid, src, dst, len, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enq");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_DESCENDING, "descending");
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write");
	TEST_ASSERT(r.bytes_completed > 0 && r.bytes_completed < len, "partial: %u",
		    r.bytes_completed);
	TEST_ASSERT(memcmp(dst + len - r.bytes_completed, ref + 5100 + len - r.bytes_completed,
			   r.bytes_completed) == 0, "tail done");
	TEST_ASSERT_EQ(mprotect(buf + 2 * PG, PG, PROT_READ | PROT_WRITE), 0, "writable");
	TEST_ASSERT(rte_sva_copy_resume(pri_dev, 0, pri_pasid, src, dst, len, &r,
					RTE_SVA_OP_FLAG_SUBMIT) >= 0, "resume");
	TEST_ASSERT_EQ(pri_wait(1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(buf, ref, 5 * PG) == 0, "memmove result");
	munmap(buf, 5 * PG);
	free(ref);
	return TEST_OK;
}

int
pri_case(const char *args, int (*body)(void))
{
	int ret;

	TEST_RUN(pri_dev_up(args));
	ret = body();
	pri_dev_down();
	return ret;
}

#define PRI_CASE(name, args, body) \
static int name(void) \
{ \
	return pri_case(args, body); \
}

PRI_CASE(test_round_trip, "pri=1", round_trip_body)
PRI_CASE(test_partial, "pri=1", partial_body)
PRI_CASE(test_invalid, "pri=1", invalid_body)
PRI_CASE(test_handler, "pri=1", handler_body)
PRI_CASE(test_timeout, "pri=1,prq_timeout_ms=50", timeout_body)
PRI_CASE(test_stop, "pri=1,prq_timeout_ms=60000", stop_body)
PRI_CASE(test_backpressure, "pri=1,fq_size=16", backpressure_body)
PRI_CASE(test_unrecov, "pri=1", unrecov_body)
PRI_CASE(test_permission, "pri=1", permission_body)
PRI_CASE(test_unbind_pending, "pri=1,prq_timeout_ms=60000", unbind_body)
PRI_CASE(test_soak, "pri=1", soak_body)
PRI_CASE(test_resume_descending, "pri=1", resume_descending_body)

static int
test_no_fault_queue(void)
{
	struct rte_sva_fault_stats st;

	TEST_ASSERT_EQ(rte_sva_fault_process(tenv.dev_id, 8), -ENOTSUP, "pri=0");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(tenv.dev_id, &st), -ENOTSUP, "stats");
	TEST_ASSERT_EQ(rte_sva_fault_process(99, 8), -EINVAL, "bad id");
	TEST_ASSERT(rte_vdev_init("sva_sim4", "pri=1,fq_size=100") < 0, "fq_size");
	TEST_ASSERT(rte_sva_get_dev_id_by_name("sva_sim4") < 0, "not probed");
	TEST_ASSERT_EQ(rte_sva_fault_around_set(513), -EINVAL, "fault-around");
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "absent pages: one group, SUCCESS, resumed", test_round_trip },
	{ "no block-on-fault: partial, then resume", test_partial },
	{ "read-only and holed ranges: INVALID", test_invalid },
	{ "demand-paging handler fills pages", test_handler },
	{ "no response: device answers, late one stale", test_timeout },
	{ "stop with a request pending", test_stop },
	{ "full fault queue: back-pressure, nothing lost", test_backpressure },
	{ "unrecoverable fault reaches the callback", test_unrecov },
	{ "fault path argument checks", test_no_fault_queue },
	{ "read-only page: permission requests", test_permission },
	{ "unbind with a request pending", test_unbind_pending },
	{ "soak: random ops, dropped pages, shadow", test_soak },
	{ "descending copy: fault, then resume", test_resume_descending },
	{ "bound child: requests, SUCCESS, INVALID", test_foreign },
	{ "bound child exits with a request pending", test_foreign_exit },
	{ "worker answers while an unbind holds the lock", test_foreign_unbind_other },
};

const struct test_suite suite_pri = { "pri", cases, RTE_DIM(cases) };

/* The fault path's lock-free parts (the multi-producer fault queue, the
 * request/response word an engine waits on) for the TSan build: the cases
 * in which no access takes a signal, which TSan does not support. */
static const struct test_case lockless_cases[] = {
	{ "absent pages: one group, SUCCESS, resumed", test_round_trip },
	{ "no block-on-fault: partial, then resume", test_partial },
	{ "no response: device answers, late one stale", test_timeout },
	{ "stop with a request pending", test_stop },
	{ "full fault queue: back-pressure, nothing lost", test_backpressure },
	{ "unbind with a request pending", test_unbind_pending },
	{ "bound child: requests, SUCCESS, INVALID", test_foreign },
	{ "bound child exits with a request pending", test_foreign_exit },
	{ "worker answers while an unbind holds the lock", test_foreign_unbind_other },
};

const struct test_suite suite_pri_lockless = { "pri_lockless", lockless_cases,
					       RTE_DIM(lockless_cases) };
