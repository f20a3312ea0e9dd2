/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of the sim device's execution and page-request paths under adversarial descriptors. */

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

#include "test.h"

#define PG 4096u
#define NONCANON(p) ((const void *)((uintptr_t)(p) | (0xa5ull << 56)))

/* The device a case hot-plugs (sva_sim20..22), its container and our PASID. */
static const char *ename;
static int16_t edev = -1;
static int ecid = -1;
static uint32_t epasid;

/* Queues 0.. dedicated, of depth 64; with shared, the last one on a
 * shared work queue. */
static int
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

static void
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

#define EDGE_CASE(fn, name, args, queues, shared, body) \
static int fn(void) \
{ \
	int ret = edge_up(name, args, queues, shared); \
	if (ret == TEST_OK) \
		ret = body(); \
	edge_down(); \
	return ret; \
}

/* Wait (bounded) for n results of queue qid of dev, serving its fault
 * queue in this thread unless told not to. */
static int
edge_wait(int16_t dev, uint16_t qid, uint16_t n, struct rte_sva_result *res, bool serve)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	uint16_t got = 0;

	while (got < n) {
		if (serve)
			rte_sva_fault_process(dev, 64);
		got += rte_sva_completed_results(dev, qid, n - got, NULL, res + got);
		if (rte_get_timer_cycles() > deadline) {
			printf("    timeout: %u of %u completions\n", got, n);
			return -ETIMEDOUT;
		}
		rte_pause();
	}
	return 0;
}

static uint8_t *
fresh(size_t pages)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
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

/* ------------------------------------------------------------ item 8 */

/* One refused descriptor: its status, nothing written, no page request. */
static int
refused(int (*enq)(uint64_t flags), uint64_t flags, uint16_t want,
	const uint8_t *area, const uint8_t *snap, size_t present, size_t absent,
	const char *what)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;

	TEST_ASSERT(enq(flags | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "%s: enqueue", what);
	TEST_ASSERT_EQ(edge_wait(edev, 0, 1, &r, true), 0, "%s: wait", what);
	TEST_ASSERT_EQ(r.status, want, "%s%s: %s (bytes %u)", what,
		       flags ? " (block-on-fault)" : "", rte_sva_status_str(r.status),
		       r.bytes_completed);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(edev, &st), 0, "stats");
	TEST_ASSERT_EQ(st.requests, 0, "%s: no page request", what);
	TEST_ASSERT(memcmp(area, snap, present) == 0, "%s: nothing written", what);
	TEST_ASSERT(all_zero(area + present, absent), "%s: absent part untouched", what);
	return TEST_OK;
}

/* Pages 0-1 present (snapshot), pages 2-3 absent. */
static uint8_t *ar, *ar2, snap[2 * PG], snap2[2 * PG];

static int
enq_copy_crc_overlap(uint64_t flags)
{
	return rte_sva_copy_crc32c(edev, 0, epasid, ar, ar + 6000, 0, 2 * PG, flags);
}

static int
enq_dualcast_dst_overlap(uint64_t flags)
{
	return rte_sva_dualcast(edev, 0, epasid, ar2, ar, ar + PG, 2 * PG, flags);
}

static int
enq_dualcast_src_overlap(uint64_t flags)
{
	return rte_sva_dualcast(edev, 0, epasid, ar, ar + PG, ar2 + 2 * PG, 2 * PG, flags);
}

static int
enq_dualcast_align(uint64_t flags)
{
	return rte_sva_dualcast(edev, 0, epasid, ar2, ar + 8, ar2 + 2 * PG, 2 * PG, flags);
}

static int
enq_copy_overlap(uint64_t flags)
{
	return rte_sva_copy(edev, 0, epasid, ar, ar + 100, 3 * PG, flags);
}

static int
refused_setup(void)
{
	ar = fresh(4);
	ar2 = fresh(4);
	TEST_ASSERT(ar != NULL && ar2 != NULL, "buffers");
	test_fill_random(ar, 2 * PG, 8);
	test_fill_random(ar2, 2 * PG, 9);
	memcpy(snap, ar, 2 * PG);
	memcpy(snap2, ar2, 2 * PG);
	return TEST_OK;
}

static void
refused_teardown(void)
{
	munmap(ar, 4 * PG);
	munmap(ar2, 4 * PG);
}

/* Descriptors DSA refuses before touching memory: copy+CRC with
 * overlapping buffers, dualcast with overlapping buffers or destinations
 * whose bits 11:0 differ. Part of each lies on absent pages: they must be
 * refused before any page request or byte written, with block-on-fault
 * and without. */
static int
refused_body(void)
{
	static const uint64_t fl[2] = { 0, RTE_SVA_OP_FLAG_BLOCK_ON_FAULT };
	int ret = TEST_OK;

	TEST_RUN(refused_setup());
	for (int i = 0; i < 2 && ret == TEST_OK; i++) {
		ret = refused(enq_copy_crc_overlap, fl[i], RTE_SVA_STATUS_OVERLAP,
			      ar, snap, 2 * PG, 2 * PG, "copy+CRC, overlapping");
		if (ret == TEST_OK)
			ret = refused(enq_dualcast_dst_overlap, fl[i], RTE_SVA_STATUS_OVERLAP,
				      ar, snap, 2 * PG, 2 * PG, "dualcast, destinations overlap");
		if (ret == TEST_OK)
			ret = refused(enq_dualcast_src_overlap, fl[i], RTE_SVA_STATUS_OVERLAP,
				      ar, snap, 2 * PG, 2 * PG, "dualcast, source overlaps");
		if (ret == TEST_OK)
			ret = refused(enq_dualcast_align, fl[i], RTE_SVA_STATUS_INVALID_ADDR,
				      ar2, snap2, 2 * PG, 2 * PG, "dualcast, bits 11:0 differ");
		if (ret == TEST_OK)
			ret = refused(enq_dualcast_align, fl[i], RTE_SVA_STATUS_INVALID_ADDR,
				      ar, snap, 2 * PG, 2 * PG, "dualcast, bits 11:0 differ (dst1)");
	}
	refused_teardown();
	return ret;
}
EDGE_CASE(test_refused, "sva_sim20", "pri=1", 1, false, refused_body)

/* The same for an overlapping copy on a device that refuses overlap. */
static int
refused_overlap_body(void)
{
	int ret;

	TEST_RUN(refused_setup());
	ret = refused(enq_copy_overlap, 0, RTE_SVA_STATUS_OVERLAP, ar, snap, 2 * PG, 2 * PG,
		      "copy, overlapping (overlap=0)");
	if (ret == TEST_OK)
		ret = refused(enq_copy_overlap, RTE_SVA_OP_FLAG_BLOCK_ON_FAULT,
			      RTE_SVA_STATUS_OVERLAP, ar, snap, 2 * PG, 2 * PG,
			      "copy, overlapping (overlap=0)");
	refused_teardown();
	return ret;
}
EDGE_CASE(test_refused_overlap, "sva_sim21", "pri=1,overlap=0", 1, false,
	  refused_overlap_body)

/* ----------------------------------------------------------- item 12 */

/* A bound child's memory: the same refusals as in ours. */
static int
foreign_refused_body(void)
{
	const uint32_t len = 2 * PG;
	uint8_t *area = fresh(6), *got = malloc(6 * PG), *want = malloc(6 * PG);
	struct rte_sva_result r[3];
	char path[64];
	uint32_t cpasid;
	pid_t pid;
	int fd = -1, ret = TEST_FAILED;

	TEST_ASSERT(area != NULL && got != NULL && want != NULL, "buffers");
	test_fill_random(area, 6 * PG, 10);
	memcpy(want, area, 6 * PG);
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	memset(area, 0xee, 6 * PG);  /* ours differs from the child's now */
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || rte_sva_bind(ecid, pid, &cpasid) != 0) {
		printf("    cannot open %s or bind the child\n", path);
		goto out;
	}
	if (rte_sva_dualcast(edev, 0, cpasid, area, area + PG, area + 4 * PG, len, 0) < 0 ||
	    rte_sva_dualcast(edev, 0, cpasid, area + 4 * PG, area, area + PG, len, 0) < 0 ||
	    rte_sva_dualcast(edev, 0, cpasid, area, area + 2 * PG, area + 4 * PG + 8, len,
			     RTE_SVA_OP_FLAG_SUBMIT) < 0 ||
	    edge_wait(edev, 0, 3, r, false) != 0) {
		printf("    enqueue/wait failed\n");
		goto out;
	}
	if (r[0].status != RTE_SVA_STATUS_OVERLAP || r[1].status != RTE_SVA_STATUS_OVERLAP ||
	    r[2].status != RTE_SVA_STATUS_INVALID_ADDR) {
		printf("    statuses %s, %s, %s (want overlap, overlap, invalid address)\n",
		       rte_sva_status_str(r[0].status), rte_sva_status_str(r[1].status),
		       rte_sva_status_str(r[2].status));
		goto out;
	}
	if (pread(fd, got, 6 * PG, (off_t)(uintptr_t)area) != 6 * PG ||
	    memcmp(got, want, 6 * PG) != 0) {
		printf("    the child's memory changed\n");
		goto out;
	}
	ret = TEST_OK;
out:
	rte_sva_unbind(ecid, pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (fd >= 0)
		close(fd);
	munmap(area, 6 * PG);
	free(got);
	free(want);
	return ret;
}
EDGE_CASE(test_foreign_refused, "sva_sim21", "queues=1", 1, false, foreign_refused_body)

/* Bits 56..63 set over pages the translation cache holds: the address is
 * outside the address width whatever the cache says. */
static int
noncanonical_on(int16_t dev, uint32_t pasid)
{
	struct rte_sva_result r;
	uint8_t *a = malloc(2 * PG), *b = malloc(2 * PG);

	TEST_ASSERT(a != NULL && b != NULL, "buffers");
	memset(a, 1, 2 * PG);
	memset(b, 2, 2 * PG);
	/* Warm: both pages now in the translation cache. */
	TEST_ASSERT(rte_sva_copy(dev, 0, pasid, a, b, 64, 0) >= 0, "enqueue");
	TEST_ASSERT_EQ(test_wait_one(dev, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "warm copy");
	memset(b, 2, 64);
	TEST_ASSERT(rte_sva_copy(dev, 0, pasid, NONCANON(a), b, 64, 0) >= 0, "enqueue");
	TEST_ASSERT_EQ(test_wait_one(dev, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "source: %s at %#" PRIx64,
		       rte_sva_status_str(r.status), r.fault_addr);
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)NONCANON(a), "source address");
	TEST_ASSERT(rte_sva_copy(dev, 0, pasid, a, (void *)(uintptr_t)NONCANON(b), 64, 0) >= 0,
		    "enqueue");
	TEST_ASSERT_EQ(test_wait_one(dev, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "destination: %s at %#" PRIx64,
		       rte_sva_status_str(r.status), r.fault_addr);
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)NONCANON(b), "destination address");
	TEST_ASSERT(rte_sva_compare(dev, 0, pasid, a, NONCANON(b), 64, 0) >= 0, "enqueue");
	TEST_ASSERT_EQ(test_wait_one(dev, 0, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_TRANSLATION_FAIL, "compare: %s at %#" PRIx64,
		       rte_sva_status_str(r.status), r.fault_addr);
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)NONCANON(b), "compare address");
	TEST_ASSERT_EQ(b[0], 2, "nothing written");
	free(a);
	free(b);
	return TEST_OK;
}

static int
test_noncanonical(void)
{
	return noncanonical_on(tenv.dev_id, tenv.pasid);
}

static int
noncanonical_pri_body(void)
{
	return noncanonical_on(edev, epasid);
}
EDGE_CASE(test_noncanonical_pri, "sva_sim20", "pri=1", 1, false, noncanonical_pri_body)

/* FENCE after a failed operation of the same doorbell: ABORTED, and so is
 * the rest of that doorbell; the next doorbell starts afresh. A compare
 * mismatch is an outcome, not a failure. */
static int
fence_on(int16_t dev, uint16_t qid, uint32_t pasid)
{
	static const struct { int op; uint64_t fl; uint16_t want; } plan[] = {
		/* doorbell 1 */
		{ 1, 0, RTE_SVA_STATUS_INVALID_PASID },
		{ 0, RTE_SVA_OP_FLAG_FENCE, RTE_SVA_STATUS_ABORTED },
		{ 0, 0, RTE_SVA_STATUS_ABORTED },
		{ 0, RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT, RTE_SVA_STATUS_ABORTED },
		/* doorbell 2 */
		{ 0, RTE_SVA_OP_FLAG_FENCE, RTE_SVA_STATUS_SUCCESS },
		{ 2, 0, RTE_SVA_STATUS_COMPARE_MISMATCH },
		{ 0, RTE_SVA_OP_FLAG_FENCE, RTE_SVA_STATUS_SUCCESS },
		{ 1, 0, RTE_SVA_STATUS_INVALID_PASID },
		{ 0, 0, RTE_SVA_STATUS_SUCCESS },
		{ 0, RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT, RTE_SVA_STATUS_ABORTED },
		/* doorbell 3 */
		{ 0, RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT, RTE_SVA_STATUS_SUCCESS },
	};
	const unsigned int n = RTE_DIM(plan);
	struct rte_sva_result r[RTE_DIM(plan)];
	uint8_t src[256], dst[RTE_DIM(plan)][256];

	memset(src, 0x77, sizeof(src));
	memset(dst, 0, sizeof(dst));
	for (unsigned int i = 0; i < n; i++) {
		int ret = plan[i].op == 2 ?
			rte_sva_compare(dev, qid, pasid, src, dst[i], sizeof(src), plan[i].fl) :
			rte_sva_copy(dev, qid, plan[i].op == 1 ? pasid ^ 0x55 : pasid, src,
				     dst[i], sizeof(src), plan[i].fl);

		TEST_ASSERT(ret >= 0, "enqueue %u", i);
	}
	TEST_ASSERT_EQ(test_wait_results(dev, qid, n, r), 0, "wait");
	for (unsigned int i = 0; i < n; i++) {
		bool ran = r[i].status == RTE_SVA_STATUS_SUCCESS && plan[i].op == 0;

		TEST_ASSERT_EQ(r[i].status, plan[i].want, "op %u: %s", i,
			       rte_sva_status_str(r[i].status));
		TEST_ASSERT_EQ(dst[i][0], ran ? 0x77 : 0, "op %u: destination", i);
	}
	return TEST_OK;
}

static int
test_fence(void)
{
	return fence_on(tenv.dev_id, 0, tenv.pasid);
}

static int
fence_shared_body(void)
{
	return fence_on(edev, 1, epasid);
}
EDGE_CASE(test_fence_shared, "sva_sim22", "wqs=1", 2, true, fence_shared_body)

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

static const struct test_case cases[] = {
	{ "bof: permission fault in the prefix run", test_bof_prefix_permission },
	{ "no bof: mismatch before an absent page", test_mismatch_before_fault },
	{ "bof: refused group, fault where still absent", test_bof_refused_group },
	{ "dualcast fault: nothing written past it", test_dualcast_fault_extent },
	{ "no bof: descending copy fault, resume", test_descending_fault },
	{ "refused before any page request", test_refused },
	{ "overlap=0: refused before any request", test_refused_overlap },
	{ "bound child: dualcast refusals", test_foreign_refused },
	{ "non-canonical address over a cached page", test_noncanonical },
	{ "non-canonical address, pri=1", test_noncanonical_pri },
	{ "fence after a failure: ABORTED", test_fence },
	{ "fence after a failure, shared queue", test_fence_shared },
	{ "full fault queue, no worker: timeout", test_prq_timeout_full },
	{ "dump/idle/stats while traffic runs", test_observe },
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
};

const struct test_suite suite_sim_lockless = { "sim_lockless", lockless_cases,
						RTE_DIM(lockless_cases) };
