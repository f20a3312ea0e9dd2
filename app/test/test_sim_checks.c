/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The checks a device makes before it touches memory or raises a page
 * request (issue 10 items 8, 12): overlapping or misaligned buffers, in
 * our own memory and in a bound child's, non-canonical addresses over a
 * cached page, and a fence after a failure. */

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>

#include "test_sim_edge.h"

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

int
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

static const struct test_case cases[] = {
	{ "refused before any page request", test_refused },
	{ "overlap=0: refused before any request", test_refused_overlap },
	{ "bound child: dualcast refusals", test_foreign_refused },
	{ "non-canonical address over a cached page", test_noncanonical },
	{ "non-canonical address, pri=1", test_noncanonical_pri },
	{ "fence after a failure: ABORTED", test_fence },
	{ "fence after a failure, shared queue", test_fence_shared },
};

const struct test_suite suite_sim_checks = { "sim_checks", cases, RTE_DIM(cases) };
