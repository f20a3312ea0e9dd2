/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of the sim device's execution and page-request paths under
 * adversarial descriptors (issue 10 items 5-7, 9, 18); the checks before any
 * access are in test_sim_checks.c. */

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>

#include "test_sim_edge.h"

/* The device a case hot-plugs (sva_sim20..22), its container and our PASID. */
const char *ename;
int16_t edev = -1;
int ecid = -1;
uint32_t epasid;

int
edge_up(const char *name, const char *args, uint16_t nb_queues, bool shared)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .socket_id = SOCKET_ID_ANY };

	ename = name;
	TEST_ASSERT_EQ(rte_vdev_init(name, args), 0, "probe %s,%s", name, args);
	edev = (int16_t)rte_sva_get_dev_id_by_name(name);
	TEST_ASSERT(edev >= 0, "dev id");
	ecid = rte_sva_container_create();
	TEST_ASSERT(ecid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(ecid, edev), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(ecid, 0, &epasid), 0, "bind");
	TEST_ASSERT_EQ(rte_sva_configure(edev, &conf), 0, "configure");
	for (uint16_t q = 0; q < nb_queues; q++) {
		if (shared && q == nb_queues - 1)
			qc.mode = RTE_SVA_QUEUE_SHARED;
		TEST_ASSERT_EQ(rte_sva_queue_setup(edev, q, &qc), 0, "queue %u", q);
	}
	TEST_ASSERT_EQ(rte_sva_start(edev), 0, "start");
	if (strstr(args, "pri=1") != NULL)
		TEST_ASSERT_EQ(rte_sva_fault_stats_reset(edev), 0, "fault stats reset");
	return TEST_OK;
}

void
edge_down(void)
{
	if (edev < 0)
		return;
	rte_sva_stop(edev);
	rte_sva_container_destroy(ecid);
	rte_vdev_uninit(ename);
	edev = -1;
	ecid = -1;
}


/* ------------------------------------------------------------ item 5 */

static unsigned int calls_grant, calls_refuse;

/* Page 0 of the range is read-only and made writable; anything else is
 * refused (and never filled). */
static int
grant_first_refuse_rest(const struct rte_sva_fault *f, void *arg)
{
	uint8_t *base = arg;

	if (f->addr == (uintptr_t)base && (f->perm & RTE_SVA_PERM_WRITE)) {
		calls_grant++;
		return mprotect(base, PG, PROT_READ | PROT_WRITE) == 0 ?
			RTE_SVA_PAGE_RESP_SUCCESS : RTE_SVA_PAGE_RESP_INVALID;
	}
	calls_refuse++;
	return RTE_SVA_PAGE_RESP_INVALID;
}

/* Block-on-fault: page 2 of the destination is absent and refused, so the
 * device runs pages 0-1 and must complete PAGE_FAULT at page 2. Page 0 is
 * read-only: the run takes a permission fault there, which a handler
 * resolves; the descriptor's outcome is still the fault at page 2. */
static int
bof_prefix_permission_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(3 * PG), *dst = fresh(3);
	int ret;

	TEST_ASSERT(src != NULL && dst != NULL, "buffers");
	test_fill_random(src, 3 * PG, 5);
	memset(dst, 0, 2 * PG);                     /* pages 0-1 present */
	TEST_ASSERT_EQ(mprotect(dst, PG, PROT_READ), 0, "page 0 read-only");
	calls_grant = calls_refuse = 0;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)dst, 3 * PG,
						      grant_first_refuse_rest, dst), 0, "handler");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src, dst, 3 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	ret = edge_wait(edev, 0, 1, &r, true);
	rte_sva_fault_handler_unregister((uintptr_t)dst);
	TEST_ASSERT_EQ(ret, 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)(dst + 2 * PG), "fault at page 2");
	TEST_ASSERT_EQ(r.bytes_completed, 2 * PG, "pages 0-1 done");
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write fault");
	TEST_ASSERT_EQ(calls_grant, 1, "page 0 granted once");
	TEST_ASSERT_EQ(calls_refuse, 1, "page 2 refused once");
	TEST_ASSERT(memcmp(dst, src, 2 * PG) == 0, "pages 0-1 written");
	TEST_ASSERT(all_zero(dst + 2 * PG, PG), "page 2 never written");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(edev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.groups, 2, "two groups");
	TEST_ASSERT_EQ(st.resp_success, 1, "the permission request");
	TEST_ASSERT_EQ(st.resp_invalid, 1, "the absent page");
	TEST_ASSERT_EQ(st.device_invalid + st.stale_responses, 0, "nothing else");
	munmap(dst, 3 * PG);
	free(src);
	return TEST_OK;
}
EDGE_CASE(test_bof_prefix_permission, "sva_sim20", "pri=1", 1, false,
	  bof_prefix_permission_body)

/* ------------------------------------------------------------ item 6 */

/* No block-on-fault: a difference before an absent page is the outcome
 * (the fault after it does not matter), for compare and compare-pattern. */
static int
mismatch_before_fault_body(void)
{
	const uint64_t pat = 0x0123456789abcdefull;
	struct rte_sva_result r;
	uint8_t *a = malloc(3 * PG), *b = fresh(3), *p = fresh(3);

	TEST_ASSERT(a != NULL && b != NULL && p != NULL, "buffers");
	test_fill_random(a, 3 * PG, 6);
	memcpy(b, a, 2 * PG);                       /* b: page 2 absent */
	b[5000] ^= 0x5a;
	TEST_ASSERT(rte_sva_compare(edev, 0, epasid, a, b, 3 * PG, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue compare");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_COMPARE_MISMATCH, "compare: %s (bytes %u)",
		       rte_sva_status_str(r.status), r.bytes_completed);
	TEST_ASSERT_EQ(r.bytes_completed, 5000, "offset of the difference");

	for (uint32_t k = 0; k < 2 * PG; k++)       /* p: page 2 absent */
		p[k] = (uint8_t)(pat >> ((k & 7) * 8));
	p[4100] ^= 1;
	TEST_ASSERT(rte_sva_compare_pattern(edev, 0, epasid, p, pat, 3 * PG,
					    RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue pattern");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_COMPARE_MISMATCH, "pattern: %s (bytes %u)",
		       rte_sva_status_str(r.status), r.bytes_completed);
	TEST_ASSERT_EQ(r.bytes_completed, 4100, "offset of the difference");

	/* No difference before the absent page: the fault is the outcome. */
	p[4100] ^= 1;
	TEST_ASSERT(rte_sva_compare_pattern(edev, 0, epasid, p, pat, 3 * PG,
					    RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue pattern");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)(p + 2 * PG), "fault address");
	TEST_ASSERT_EQ(r.bytes_completed, 2 * PG, "bytes before the fault");
	munmap(b, 3 * PG);
	munmap(p, 3 * PG);
	free(a);
	return TEST_OK;
}
EDGE_CASE(test_mismatch_before_fault, "sva_sim20", "pri=1", 1, false,
	  mismatch_before_fault_body)

/* Page 1 of the second destination is refused; page 1 of the first is
 * absent but resolvable, and comes first in the group. The worker answers
 * the group INVALID after resolving that page: the fault is the page still
 * missing after the answer, the refused one. */
static uint8_t *refuse_page;

static int
refuse_one(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	if (f->addr == (uintptr_t)refuse_page)
		return RTE_SVA_PAGE_RESP_INVALID;
	memset((void *)(uintptr_t)f->addr, 0x6b, PG);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
bof_refused_group_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(2 * PG), *d1 = fresh(2), *d2 = fresh(2);
	int ret;

	TEST_ASSERT(src != NULL && d1 != NULL && d2 != NULL, "buffers");
	test_fill_random(src, 2 * PG, 12);
	memset(d1, 0, PG);                          /* page 0 of each present */
	memset(d2, 0, PG);
	refuse_page = d2 + PG;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)d1, 2 * PG, refuse_one, NULL),
		       0, "handler 1");
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)d2, 2 * PG, refuse_one, NULL),
		       0, "handler 2");
	TEST_ASSERT(rte_sva_dualcast(edev, 0, epasid, src, d1, d2, 2 * PG,
				     RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	ret = edge_wait(edev, 0, 1, &r, true);
	rte_sva_fault_handler_unregister((uintptr_t)d1);
	rte_sva_fault_handler_unregister((uintptr_t)d2);
	TEST_ASSERT_EQ(ret, 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)(d2 + PG), "the refused page");
	TEST_ASSERT_EQ(r.bytes_completed, PG, "page 0 done");
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write");
	TEST_ASSERT(memcmp(d1, src, PG) == 0 && memcmp(d2, src, PG) == 0, "page 0 written");
	TEST_ASSERT_EQ(d1[PG], 0x6b, "the first destination's page 1 resolved, not written");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(edev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.groups, 1, "one group");
	TEST_ASSERT_EQ(st.requests, 2, "two pages");
	TEST_ASSERT_EQ(st.resp_invalid, 1, "INVALID");
	munmap(d1, 2 * PG);
	munmap(d2, 2 * PG);
	free(src);
	return TEST_OK;
}
EDGE_CASE(test_bof_refused_group, "sva_sim20", "pri=1", 1, false, bof_refused_group_body)

/* Dualcast whose second destination faults (read-only page 2): neither
 * destination is written past the bytes completed (a device translates
 * both before it moves a chunk). */
static int
test_dualcast_fault_extent(void)
{
	struct rte_sva_result r;
	uint8_t *src = malloc(4 * PG), *d1 = fresh(4), *d2 = fresh(4);

	TEST_ASSERT(src != NULL && d1 != NULL && d2 != NULL, "buffers");
	test_fill_random(src, 4 * PG, 13);
	memset(d1, 0, 4 * PG);
	memset(d2, 0, 4 * PG);
	TEST_ASSERT_EQ(mprotect(d2 + 2 * PG, PG, PROT_READ), 0, "read-only page");
	TEST_ASSERT(rte_sva_dualcast(tenv.dev_id, 0, tenv.pasid, src, d1, d2, 4 * PG, 0) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.bytes_completed, 2 * PG, "pages 0-1 done");
	TEST_ASSERT(memcmp(d1, src, 2 * PG) == 0 && memcmp(d2, src, 2 * PG) == 0, "written");
	TEST_ASSERT(all_zero(d1 + 2 * PG, 2 * PG), "first destination: nothing past the fault");
	TEST_ASSERT(all_zero(d2 + 2 * PG, 2 * PG), "nothing at or past the fault");
	munmap(d1, 4 * PG);
	munmap(d2, 4 * PG);
	free(src);
	return TEST_OK;
}

/* A copy reading into an inaccessible page, its destination laid so that
 * the chunk of the page-by-page re-run that starts on that page is 12
 * bytes (the destination crosses a page 112 bytes in): the fault is
 * reported at the first byte of the page, not where the CPU's copy of the
 * chunk happened to load first (libc's memcpy() loads the last 8 bytes of
 * such a copy first: 4 bytes into the page). */
static int
test_fault_first_byte(void)
{
	struct rte_sva_result r;
	uint8_t *src = fresh(2), *dst = fresh(2);

	TEST_ASSERT(src != NULL && dst != NULL, "buffers");
	test_fill_random(src, PG, 21);
	memset(dst, 0, 2 * PG);
	TEST_ASSERT_EQ(mprotect(src + PG, PG, PROT_NONE), 0, "inaccessible page");
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src + PG - 100, dst + PG - 112,
				 200, RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)(src + PG), "fault at the page's first byte");
	TEST_ASSERT_EQ(r.bytes_completed, 100, "the bytes before it");
	TEST_ASSERT(memcmp(dst + PG - 112, src + PG - 100, 100) == 0, "copied");
	TEST_ASSERT(all_zero(dst + PG - 12, PG + 12), "nothing past them");
	munmap(src, 2 * PG);
	munmap(dst, 2 * PG);
	return TEST_OK;
}

/* ------------------------------------------------------------ item 7 */

/* No block-on-fault: an overlapping copy with the destination above the
 * source and an absent destination page in the middle. The device copies
 * from the end, so it completes the tail above the absent page and says
 * so (descending); rte_sva_copy_resume() then finishes the front, and the
 * whole is exactly memmove(). */
static int
descending_fault_body(void)
{
	const uint32_t len = 4 * PG, src_off = 100, dst_off = 100 + 9000;
	struct rte_sva_result r;
	uint8_t *buf = fresh(8), *ref = malloc(8 * PG);
	uint32_t tail;

	TEST_ASSERT(buf != NULL && ref != NULL, "buffers");
	/* Every page present but page 5 (inside the destination only). */
	test_fill_random(ref, 8 * PG, 7);
	memset(ref + 5 * PG, 0, PG);
	memcpy(buf, ref, 5 * PG);
	memcpy(buf + 6 * PG, ref + 6 * PG, 2 * PG);
	memmove(ref + dst_off, ref + src_off, len);
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, buf + src_off, buf + dst_off, len,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_DESCENDING, "descending (flags %#x)", r.flags);
	TEST_ASSERT(r.flags & RTE_SVA_RESULT_F_WRITE, "write fault");
	TEST_ASSERT_EQ(r.fault_addr & ~(uint64_t)(PG - 1), (uintptr_t)(buf + 5 * PG),
		       "fault in page 5: %#" PRIx64, r.fault_addr);
	/* The part of the destination in page 6: 9100 + 16384 - 24576. */
	tail = dst_off + len - 6 * PG;
	TEST_ASSERT_EQ(r.bytes_completed, tail, "the tail above the absent page");
	TEST_ASSERT(memcmp(buf + 6 * PG, ref + 6 * PG, tail) == 0, "tail copied");
	TEST_ASSERT(rte_sva_copy_resume(edev, 0, epasid, buf + src_off, buf + dst_off, len, &r,
					RTE_SVA_OP_FLAG_BLOCK_ON_FAULT |
					RTE_SVA_OP_FLAG_SUBMIT) >= 0, "resume");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "resumed: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(buf, ref, 8 * PG) == 0, "memmove result");
	munmap(buf, 8 * PG);
	free(ref);
	return TEST_OK;
}
EDGE_CASE(test_descending_fault, "sva_sim20", "pri=1", 1, false, descending_fault_body)

/* ------------------------------------------------------------ item 9 */

static unsigned int rec_n, rec_last;
static uint32_t rec_cookie[80];

static int
record_and_fill(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	if (rec_n < RTE_DIM(rec_cookie))
		rec_cookie[rec_n] = f->cookie;
	rec_n++;
	rec_last += (f->flags & RTE_SVA_FAULT_F_LAST_PAGE) != 0;
	memset((void *)(uintptr_t)f->addr, 0x3c, PG);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* Nobody serves a fault queue of 16 and a group of 64 pages: the device
 * stops waiting for room after prq_timeout_ms and answers the group
 * INVALID itself. The 16 records it did report form a partial group (one
 * cookie, no LAST_PAGE); the engine's next group has another cookie. */
static int
prq_timeout_full_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(64 * PG), *dst = fresh(64);
	unsigned int qsz;
	uint64_t t0;
	int ret;

	TEST_ASSERT(src != NULL && dst != NULL, "buffers");
	test_fill_random(src, 64 * PG, 11);
	t0 = rte_get_timer_cycles();
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src, dst, 64 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "completes unserved");
	TEST_ASSERT(rte_get_timer_cycles() - t0 >= rte_get_timer_hz() / 10, "not before 100 ms");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)dst, "first absent page");
	TEST_ASSERT_EQ(r.bytes_completed, 0, "nothing done");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(edev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.device_invalid, 1, "the device answered");
	TEST_ASSERT(st.queue_full > 0, "it met the full queue");
	TEST_ASSERT_EQ(st.queue_hwm, st.queue_size, "the queue filled");
	qsz = st.queue_size;

	rec_n = rec_last = 0;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)dst, 64 * PG,
						      record_and_fill, NULL), 0, "handler");
	ret = rte_sva_fault_process(edev, 64);
	if (ret != (int)qsz || rec_n != qsz || rec_last != 0) {
		rte_sva_fault_handler_unregister((uintptr_t)dst);
		TEST_ASSERT_EQ(ret, qsz, "the partial group's records (handled %u, %u last)",
			       rec_n, rec_last);
		TEST_ASSERT_EQ(rec_n, qsz, "handled");
		TEST_ASSERT_EQ(rec_last, 0, "no LAST_PAGE in a partial group");
	}
	for (unsigned int i = 1; i < qsz; i++)
		TEST_ASSERT_EQ(rec_cookie[i], rec_cookie[0], "record %u: one cookie per group", i);
	/* The next group of the same engine (a page the partial group did not
	 * reach), served: a new cookie, and SUCCESS. */
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src, dst + 40 * PG, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "enqueue");
	ret = edge_wait(edev, 0, 1, &r, true);
	rte_sva_fault_handler_unregister((uintptr_t)dst);
	TEST_ASSERT_EQ(ret, 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rec_n, qsz + 1, "one more record");
	TEST_ASSERT_EQ(rec_last, 1, "with LAST_PAGE");
	TEST_ASSERT(rec_cookie[qsz] != rec_cookie[0], "a new cookie (%u)", rec_cookie[0]);
	TEST_ASSERT(memcmp(dst + 40 * PG, src, PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(edev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.device_invalid, 1, "answered by the device once");
	TEST_ASSERT_EQ(st.requests, qsz + 1, "every record reported once");
	TEST_ASSERT_EQ(st.stale_responses, 0, "no stale response");
	munmap(dst, 64 * PG);
	free(src);
	return TEST_OK;
}
EDGE_CASE(test_prq_timeout_full, "sva_sim20", "pri=1,fq_size=16,prq_timeout_ms=100", 1,
	  false, prq_timeout_full_body)

/* ----------------------------------------------------------- item 18 */

struct traffic {
	int16_t dev;
	uint32_t pasid;
	unsigned int n;          /* operations per queue */
	int done, failed;        /* atomics */
	uint8_t *src, *dst;      /* 2 queues x 16 pages each */
	uint8_t *lazy;           /* never touched: partial completions */
};

/* The producer of queues 0 (dedicated) and 1 (shared): copies, fills,
 * compares, and copies into absent pages (no block-on-fault). */
static void *
traffic_main(void *arg)
{
	struct traffic *t = arg;
	struct rte_sva_result res[32];
	unsigned int sent[2] = { 0 }, got[2] = { 0 };
	uint64_t deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();

	while ((got[0] < t->n || got[1] < t->n) && rte_get_timer_cycles() < deadline) {
		for (uint16_t q = 0; q < 2; q++) {
			uint8_t *s = t->src + q * 16 * PG, *d = t->dst + q * 16 * PG;
			uint16_t n;

			while (sent[q] < t->n && sent[q] - got[q] < 32) {
				unsigned int i = sent[q];
				uint32_t off = (i * 576) % (15 * PG);
				int ret;

				switch (i % 4) {
				case 0:
					ret = rte_sva_copy(t->dev, q, t->pasid, s + off, d + off,
							   512, 0);
					break;
				case 1:
					ret = rte_sva_fill(t->dev, q, t->pasid, i, d + off, 512, 0);
					break;
				case 2:
					ret = rte_sva_compare(t->dev, q, t->pasid, s, s, 2 * PG, 0);
					break;
				default:
					ret = rte_sva_copy(t->dev, q, t->pasid, s,
							   t->lazy + (q * 8 + i % 8) * PG - 64,
							   128, 0);
					break;
				}
				if (ret < 0)
					break;
				sent[q]++;
			}
			rte_sva_submit(t->dev, q);
			n = rte_sva_completed_results(t->dev, q, RTE_DIM(res), NULL, res);
			for (uint16_t k = 0; k < n; k++) {
				unsigned int i = got[q] + k;
				uint16_t want = i % 4 == 3 ? RTE_SVA_STATUS_PAGE_FAULT :
					RTE_SVA_STATUS_SUCCESS;

				if (res[k].status != want) {
					printf("    queue %u op %u: %s\n", q, i,
					       rte_sva_status_str(res[k].status));
					__atomic_store_n(&t->failed, 1, __ATOMIC_RELEASE);
				}
			}
			got[q] += n;
		}
	}
	if (got[0] < t->n || got[1] < t->n) {
		printf("    traffic timed out: %u, %u of %u\n", got[0], got[1], t->n);
		__atomic_store_n(&t->failed, 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* rte_sva_dump(), rte_sva_queue_idle() and rte_sva_stats_get() from
 * another thread while the engine and a producer run: every value they
 * read is either the reader's own or an atomic snapshot (a shared
 * queue's idle check also reads two of its producer's indices, which the
 * producer stores atomically for it). */
static int
observe_body(void)
{
	struct traffic t = {
		.dev = edev, .pasid = epasid, .n = 20000,
		.src = malloc(32 * PG), .dst = malloc(32 * PG), .lazy = fresh(16),
	};
	struct rte_sva_stats st, q0;
	unsigned int rounds = 0, idle = 0;
	FILE *f = fopen("/dev/null", "w");
	const char *bad = NULL;
	pthread_t th;
	int ret;

	TEST_ASSERT(t.src != NULL && t.dst != NULL && t.lazy != NULL && f != NULL, "buffers");
	memset(t.src, 9, 32 * PG);
	memset(t.dst, 0, 32 * PG);
	TEST_ASSERT_EQ(pthread_create(&th, NULL, traffic_main, &t), 0, "thread");
	/* No early return while the producer runs: note, join, then judge. */
	while (!__atomic_load_n(&t.done, __ATOMIC_ACQUIRE) && bad == NULL) {
		if (rte_sva_dump(edev, f) != 0)
			bad = "dump";
		ret = rte_sva_queue_idle(edev, 0);
		if (ret != 0 && ret != 1)
			bad = "queue_idle";
		idle += ret == 1;
		memset(&st, 0, sizeof(st));
		if (rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st) != 0 ||
		    st.completed + st.errors > st.submitted)
			bad = "stats";
		rounds++;
	}
	pthread_join(th, NULL);
	fclose(f);
	TEST_ASSERT(bad == NULL, "%s failed while traffic ran", bad);
	TEST_ASSERT(!t.failed, "traffic");
	TEST_ASSERT(rounds > 0, "observed");
	memset(&st, 0, sizeof(st));
	memset(&q0, 0, sizeof(q0));
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, 0, &q0), 0, "queue 0 stats");
	TEST_ASSERT_EQ(st.submitted, 2 * t.n, "submitted");
	TEST_ASSERT_EQ(st.page_faults, 2 * (t.n / 4), "one op in 4 faults");
	TEST_ASSERT_EQ(st.errors, st.page_faults, "no other error");
	TEST_ASSERT_EQ(st.completed, 2 * t.n - st.errors, "the rest completed");
	TEST_ASSERT_EQ(q0.submitted, t.n, "queue 0");
	TEST_ASSERT(st.atc_hits > 0 && st.atc_misses > 0, "translation cache counted");
	TEST_ASSERT_EQ(rte_sva_queue_idle(edev, 0), 1, "queue 0 idle at the end");
	TEST_ASSERT_EQ(rte_sva_queue_idle(edev, 1), 1, "queue 1 idle at the end");
	printf("    %u observations (%u idle)\n", rounds, idle);
	munmap(t.lazy, 16 * PG);
	free(t.src);
	free(t.dst);
	return TEST_OK;
}

EDGE_CASE(test_observe, "sva_sim22", "pri=1", 2, true, observe_body)

/* ------------------------------------- wide address-range invalidation */

/* One 2-page copy from src to dst; the translation-cache misses and hits
 * it took. */
static int
wide_copy(const uint8_t *src, uint8_t *dst, uint64_t *misses, uint64_t *hits)
{
	struct rte_sva_stats before, after;
	struct rte_sva_result r;

	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &before), 0, "stats");
	TEST_ASSERT(rte_sva_copy(edev, 0, epasid, src, dst, 2 * PG,
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, false), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "copy: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_stats_get(edev, RTE_SVA_ALL_QUEUES, &after), 0, "stats");
	*misses = after.atc_misses - before.atc_misses;
	*hits = after.atc_hits - before.atc_hits;
	return TEST_OK;
}

/* A range of more pages than the translation cache has entries takes the
 * other way through the cache (one pass over it, not a lookup per page):
 * it must drop exactly the pages of the range, of that PASID. src is the
 * first 2 pages of a mapping, dst its last 2; the range runs from page 2
 * to the end (4098 pages). */
static int
wide_inval_body(void)
{
	const size_t pages = 4100;
	uint8_t *map = fresh(pages), *src, *dst;
	struct rte_sva_cache_inv inv = {
		.cache = RTE_SVA_INV_DEV_IOTLB, .granularity = RTE_SVA_INV_GRANU_ADDR,
		.pasid = epasid, .granule_size = PG, .nb_granules = pages - 2,
	};
	uint64_t m, h;
	int ret = TEST_OK;

	TEST_ASSERT(map != NULL, "mmap");
	src = map;
	dst = map + (pages - 2) * PG;
	inv.addr = (uintptr_t)map + 2 * PG;
	memset(src, 0x5a, 2 * PG);
	memset(dst, 0, 2 * PG);
	ret = wide_copy(src, dst, &m, &h);
	if (ret == TEST_OK)
		ret = wide_copy(src, dst, &m, &h);
	if (ret == TEST_OK && (m != 0 || h != 4)) {
		printf("    warm copy: %" PRIu64 " misses, %" PRIu64 " hits\n", m, h);
		ret = TEST_FAILED;
	}
	/* Another PASID's range: nothing of ours goes. */
	inv.pasid = epasid + 1;
	if (ret == TEST_OK && rte_sva_cache_invalidate(edev, &inv) != 0)
		ret = TEST_FAILED;
	if (ret == TEST_OK)
		ret = wide_copy(src, dst, &m, &h);
	if (ret == TEST_OK && m != 0) {
		printf("    other PASID's range dropped %" PRIu64 " entries\n", m);
		ret = TEST_FAILED;
	}
	/* Ours: the two destination pages, not the source's. */
	inv.pasid = epasid;
	if (ret == TEST_OK && rte_sva_cache_invalidate(edev, &inv) != 0)
		ret = TEST_FAILED;
	if (ret == TEST_OK)
		ret = wide_copy(src, dst, &m, &h);
	if (ret == TEST_OK && (m != 2 || h != 2)) {
		printf("    after the range: %" PRIu64 " misses, %" PRIu64 " hits\n", m, h);
		ret = TEST_FAILED;
	}
	if (ret == TEST_OK && memcmp(src, dst, 2 * PG) != 0)
		ret = TEST_FAILED;
	munmap(map, pages * PG);
	return ret;
}

EDGE_CASE(test_wide_inval, "sva_sim23", "atc=1", 1, false, wide_inval_body)

static const struct test_case cases[] = {
	{ "bof: permission fault in the prefix run", test_bof_prefix_permission },
	{ "no bof: mismatch before an absent page", test_mismatch_before_fault },
	{ "bof: refused group, fault where still absent", test_bof_refused_group },
	{ "dualcast fault: nothing written past it", test_dualcast_fault_extent },
	{ "copy fault reported at the page's first byte", test_fault_first_byte },
	{ "no bof: descending copy fault, resume", test_descending_fault },
	{ "full fault queue, no worker: timeout", test_prq_timeout_full },
	{ "dump/idle/stats while traffic runs", test_observe },
	{ "wide range invalidation: only its pages", test_wide_inval },
};

const struct test_suite suite_sim_edge = { "sim_edge", cases, RTE_DIM(cases) };

/* The cases in which no device access takes a signal, for the TSan build. */
static const struct test_case lockless_cases[] = {
	{ "no bof: mismatch before an absent page", test_mismatch_before_fault },
	{ "bof: refused group, fault where still absent", test_bof_refused_group },
	{ "no bof: descending copy fault, resume", test_descending_fault },
	{ "refused before any page request", test_refused },
	{ "overlap=0: refused before any request", test_refused_overlap },
	{ "bound child: dualcast refusals", test_foreign_refused },
	{ "fence after a failure: ABORTED", test_fence },
	{ "fence after a failure, shared queue", test_fence_shared },
	{ "full fault queue, no worker: timeout", test_prq_timeout_full },
	{ "dump/idle/stats while traffic runs", test_observe },
	{ "wide range invalidation: only its pages", test_wide_inval },
};

const struct test_suite suite_sim_lockless = { "sim_lockless", lockless_cases,
						RTE_DIM(lockless_cases) };
