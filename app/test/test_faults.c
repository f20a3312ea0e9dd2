/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Page faults: memory the device finds unmapped or without the permission
 * completes with PAGE_FAULT, the faulting address, the exact bytes done
 * before it and whether it was a write; the process carries on, and the
 * operation can be resumed after the fault is fixed. */

#include <stdlib.h>
#include <sys/mman.h>

#include "test.h"

#define PAGE 4096u

static void *
map_pages(unsigned int n)
{
	void *p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* An address range of n pages with nothing mapped; use it at once. */
static uint8_t *
hole(unsigned int n)
{
	uint8_t *p = map_pages(n);

	if (p != NULL)
		munmap(p, (size_t)n * PAGE);
	return p;
}

static int
wait_result(struct rte_sva_result *r)
{
	return test_wait_one(tenv.dev_id, 0, r);
}

static int
expect_fault(const struct rte_sva_result *r, const void *lo, size_t span,
	     bool write, const char *what)
{
	uintptr_t a = (uintptr_t)lo;

	TEST_ASSERT_EQ(r->status, RTE_SVA_STATUS_PAGE_FAULT, "%s: %s", what,
		       rte_sva_status_str(r->status));
	TEST_ASSERT(r->fault_addr >= a && r->fault_addr < a + span,
		    "%s: fault_addr 0x%llx outside 0x%llx+%zu", what,
		    (unsigned long long)r->fault_addr, (unsigned long long)a, span);
	TEST_ASSERT_EQ(!!(r->flags & RTE_SVA_RESULT_F_WRITE), write,
		       "%s: write flag (flags 0x%x)", what, r->flags);
	return TEST_OK;
}

/* A good copy after a fault: the device and the process carry on. */
static int
good_copy(uint64_t seed)
{
	uint8_t src[2000], dst[2000];
	struct rte_sva_result r;

	test_fill_random(src, sizeof(src), seed);
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, sizeof(src),
				 0) >= 0, "enq good copy");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "good copy after a fault: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, sizeof(src)) == 0, "good copy data");
	return TEST_OK;
}

static int
resume_body(uint8_t *src, uint8_t *dst, uint8_t *ref)
{
	const uint32_t len = 4 * PAGE;
	struct rte_sva_result r;
	void *p;

	test_fill_random(src, len, 21);
	memcpy(ref, src, len);
	memset(dst, 0xee, len);
	TEST_ASSERT_EQ(munmap(src + 3 * PAGE, PAGE), 0, "munmap 4th page");
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, len, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, src + 3 * PAGE, PAGE, false, "4th page unmapped"));
	TEST_ASSERT_EQ(r.bytes_completed, 3 * PAGE, "bytes_completed");
	TEST_ASSERT(memcmp(dst, ref, 3 * PAGE) == 0, "the 3 pages before the fault");

	/* Fix the fault and resume from bytes_completed. */
#ifdef MAP_FIXED_NOREPLACE
	p = mmap(src + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#else
	p = mmap(src + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
#endif
	TEST_ASSERT(p == src + 3 * PAGE, "map the page back");
	test_fill_random(src + 3 * PAGE, PAGE, 22);
	memcpy(ref + 3 * PAGE, src + 3 * PAGE, PAGE);
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src + r.bytes_completed,
				 dst + r.bytes_completed, len - r.bytes_completed,
				 0) >= 0, "enq resume");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "resume: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(dst, ref, len) == 0, "whole destination after resume");
	return good_copy(1);
}

static int
test_fault_and_resume(void)
{
	uint8_t *src = map_pages(4), *dst = map_pages(4), *ref = malloc(4 * PAGE);
	int ret;

	TEST_ASSERT(src && dst && ref, "buffers");
	ret = resume_body(src, dst, ref);
	munmap(src, 4 * PAGE);
	munmap(dst, 4 * PAGE);
	free(ref);
	return ret;
}

static int
test_readonly_dst(void)
{
	uint8_t *src = map_pages(2), *dst = map_pages(2), *ref = malloc(2 * PAGE);
	struct rte_sva_result r;
	int ret = TEST_FAILED;

	TEST_ASSERT(src && dst && ref, "buffers");
	test_fill_random(src, 2 * PAGE, 31);
	memset(dst, 0x42, 2 * PAGE);
	memcpy(ref, dst, 2 * PAGE);
	TEST_ASSERT_EQ(mprotect(dst, 2 * PAGE, PROT_READ), 0, "mprotect");
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, 2 * PAGE, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	if (expect_fault(&r, dst, PAGE, true, "read-only destination") != TEST_OK)
		goto out;
	if (r.bytes_completed != 0) {
		printf("    bytes_completed %u, want 0\n", r.bytes_completed);
		goto out;
	}
	if (memcmp(dst, ref, 2 * PAGE) != 0) {
		printf("    read-only destination changed\n");
		goto out;
	}
	/* A fill into it: a write fault too. */
	TEST_ASSERT(rte_sva_fill(tenv.dev_id, 0, tenv.pasid, 0, dst + 100, 500, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	if (expect_fault(&r, dst, PAGE, true, "fill read-only") != TEST_OK)
		goto out;
	if (memcmp(dst, ref, 2 * PAGE) != 0) {
		printf("    read-only destination changed by fill\n");
		goto out;
	}
	ret = good_copy(2);
out:
	mprotect(dst, 2 * PAGE, PROT_READ | PROT_WRITE);
	munmap(src, 2 * PAGE);
	munmap(dst, 2 * PAGE);
	free(ref);
	return ret;
}

/* Each kind of operation meeting memory it cannot use. */
static int
test_fault_kinds(void)
{
	const int16_t d = tenv.dev_id;
	const uint32_t p = tenv.pasid;
	uint8_t *buf = map_pages(4), *none = map_pages(2), *h;
	uint8_t *ref = malloc(4 * PAGE);
	struct rte_sva_result r;

	TEST_ASSERT(buf && none && ref, "buffers");
	TEST_ASSERT_EQ(mprotect(none, 2 * PAGE, PROT_NONE), 0, "PROT_NONE");
	test_fill_random(buf, 4 * PAGE, 41);
	memcpy(ref, buf, 4 * PAGE);

	/* PROT_NONE source. */
	TEST_ASSERT(rte_sva_copy(d, 0, p, none, buf + 2 * PAGE, 3000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, none, PAGE, false, "PROT_NONE source"));
	TEST_ASSERT_EQ(r.bytes_completed, 0, "bytes_completed");
	TEST_RUN(good_copy(3));

	/* NULL source. */
	TEST_ASSERT(rte_sva_copy(d, 0, p, NULL, buf + 2 * PAGE, 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, NULL, PAGE, false, "NULL source"));
	TEST_ASSERT_EQ(r.bytes_completed, 0, "bytes_completed");
	TEST_RUN(good_copy(4));
	TEST_ASSERT(memcmp(buf, ref, 4 * PAGE) == 0, "faulting copies wrote nothing");

	/* Fill into an unmapped range. */
	h = hole(2);
	TEST_ASSERT(h != NULL, "hole");
	TEST_ASSERT(rte_sva_fill(d, 0, p, 0x0102030405060708ull, h + 8, 5000, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, h, PAGE, true, "fill into a hole"));
	TEST_ASSERT_EQ(r.bytes_completed, 0, "bytes_completed");
	TEST_RUN(good_copy(5));

	/* A fill that runs from a writable page into a PROT_NONE one. */
	{
		uint8_t *two = map_pages(2);
		const uint64_t pat = 0x1122334455667788ull;

		TEST_ASSERT(two != NULL, "mmap");
		memset(two, 0, 2 * PAGE);
		TEST_ASSERT_EQ(mprotect(two + PAGE, PAGE, PROT_NONE), 0, "mprotect");
		TEST_ASSERT(rte_sva_fill(d, 0, p, pat, two + PAGE - 16, 1000, 0) >= 0,
			    "enq");
		TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
		TEST_RUN(expect_fault(&r, two + PAGE, PAGE, true, "fill into PROT_NONE"));
		TEST_ASSERT_EQ(r.bytes_completed, 16, "bytes_completed");
		for (unsigned int i = 0; i < 16; i++)
			TEST_ASSERT_EQ(two[PAGE - 16 + i], (uint8_t)(pat >> (i % 8 * 8)),
				       "filled byte %u", i);
		for (unsigned int i = 0; i < PAGE - 16; i++)
			TEST_ASSERT_EQ(two[i], 0, "byte %u before the fill", i);
		munmap(two, 2 * PAGE);
	}

	/* Compare with an unmapped second buffer. */
	h = hole(1);
	TEST_ASSERT(h != NULL, "hole");
	TEST_ASSERT(rte_sva_compare(d, 0, p, buf, h, 2000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, h, PAGE, false, "compare with a hole"));
	TEST_ASSERT_EQ(r.bytes_completed, 0, "bytes_completed");
	TEST_RUN(good_copy(6));

	/* Compare equal for a page, then a hole: the fault comes after one page. */
	{
		uint8_t *two = map_pages(2), *cmp = map_pages(2);

		TEST_ASSERT(two && cmp, "mmap");
		memset(two, 7, 2 * PAGE);
		memset(cmp, 7, 2 * PAGE);
		TEST_ASSERT_EQ(munmap(cmp + PAGE, PAGE), 0, "munmap");
		TEST_ASSERT(rte_sva_compare(d, 0, p, two, cmp, 2 * PAGE, 0) >= 0, "enq");
		TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
		TEST_RUN(expect_fault(&r, cmp + PAGE, PAGE, false, "compare into a hole"));
		TEST_ASSERT_EQ(r.bytes_completed, PAGE, "bytes_completed");
		munmap(two, 2 * PAGE);
		munmap(cmp, PAGE);
	}

	/* CRC32C over an unmapped range. */
	h = hole(3);
	TEST_ASSERT(h != NULL, "hole");
	TEST_ASSERT(rte_sva_crc32c(d, 0, p, h, 0, 3 * PAGE, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, h, PAGE, false, "crc32c over a hole"));
	TEST_ASSERT_EQ(r.bytes_completed, 0, "bytes_completed");
	TEST_ASSERT_EQ(r.crc, 0, "no CRC reported for a fault");
	TEST_RUN(good_copy(7));

	/* copy_crc32c into a PROT_NONE destination. */
	TEST_ASSERT(rte_sva_copy_crc32c(d, 0, p, buf, none, 0, 100, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, none, PAGE, true, "copy_crc32c into PROT_NONE"));
	TEST_RUN(good_copy(8));

	/* Dualcast whose second destination is not writable. */
	TEST_ASSERT(rte_sva_dualcast(d, 0, p, buf, buf + 2 * PAGE, none, 64, 0) >= 0,
		    "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, none, PAGE, true, "dualcast second destination"));
	TEST_RUN(good_copy(9));

	/* Compare-pattern over PROT_NONE. */
	TEST_ASSERT(rte_sva_compare_pattern(d, 0, p, none, 0, 64, 0) >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, none, PAGE, false, "compare_pattern PROT_NONE"));
	TEST_RUN(good_copy(10));

	munmap(buf, 4 * PAGE);
	munmap(none, 2 * PAGE);
	free(ref);
	return TEST_OK;
}

static int
test_unaligned_fault(void)
{
	uint8_t *src = map_pages(2), *dst = map_pages(2);
	struct rte_sva_result r;

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, 2 * PAGE, 51);
	memset(dst, 0, 2 * PAGE);
	TEST_ASSERT_EQ(munmap(src + PAGE, PAGE), 0, "munmap 2nd page");
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src + 100, dst, 5000, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, src + PAGE, PAGE, false, "source offset 100"));
	TEST_ASSERT_EQ(r.bytes_completed, PAGE - 100, "bytes_completed");
	TEST_ASSERT(memcmp(dst, src + 100, PAGE - 100) == 0, "bytes before the fault");
	/* Unaligned destination, aligned source: the fault is a write. */
	memset(dst, 0, PAGE);
	TEST_ASSERT_EQ(munmap(dst + PAGE, PAGE), 0, "munmap dst 2nd page");
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst + 300, 4000, 0)
		    >= 0, "enq");
	TEST_ASSERT_EQ(wait_result(&r), 0, "wait");
	TEST_RUN(expect_fault(&r, dst + PAGE, PAGE, true, "destination offset 300"));
	TEST_ASSERT_EQ(r.bytes_completed, PAGE - 300, "bytes_completed");
	TEST_ASSERT(memcmp(dst + 300, src, PAGE - 300) == 0, "bytes before the fault");
	munmap(src, PAGE);
	munmap(dst, PAGE);
	return good_copy(11);
}

#define IL_PAIRS 1000
#define IL_BURST 100   /* pairs per burst */
#define IL_LEN 64

static int
test_interleaved(void)
{
	const int16_t d = tenv.dev_id;
	uint8_t *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *src = malloc(IL_BURST * IL_LEN), *dst = malloc(IL_BURST * IL_LEN);
	struct rte_sva_result *res = calloc(2 * IL_BURST, sizeof(*res));
	struct rte_sva_stats s;

	TEST_ASSERT(none != MAP_FAILED && src && dst && res, "buffers");
	TEST_ASSERT_EQ(rte_sva_stats_reset(d, 0), 0, "reset");
	for (int b = 0; b < IL_PAIRS / IL_BURST; b++) {
		test_fill_random(src, IL_BURST * IL_LEN, 100 + b);
		memset(dst, 0, IL_BURST * IL_LEN);
		for (int i = 0; i < IL_BURST; i++) {
			TEST_ASSERT(rte_sva_copy(d, 0, tenv.pasid, none + i, dst + i * IL_LEN,
						 IL_LEN, 0) >= 0, "enq bad");
			TEST_ASSERT(rte_sva_copy(d, 0, tenv.pasid, src + i * IL_LEN,
						 dst + i * IL_LEN, IL_LEN, 0) >= 0, "enq good");
		}
		TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
		TEST_ASSERT_EQ(test_wait_results(d, 0, 2 * IL_BURST, res), 0, "reap");
		for (int i = 0; i < IL_BURST; i++) {
			TEST_RUN(expect_fault(&res[2 * i], none, PAGE, false, "bad op"));
			TEST_ASSERT_EQ(res[2 * i].bytes_completed, 0, "bad op %d", i);
			TEST_ASSERT_EQ(res[2 * i + 1].status, RTE_SVA_STATUS_SUCCESS,
				       "burst %d good op %d: %s", b, i,
				       rte_sva_status_str(res[2 * i + 1].status));
		}
		TEST_ASSERT(memcmp(src, dst, IL_BURST * IL_LEN) == 0, "burst %d data", b);
	}
	TEST_ASSERT_EQ(rte_sva_stats_get(d, 0, &s), 0, "stats");
	TEST_ASSERT_EQ(s.submitted, 2 * IL_PAIRS, "submitted");
	TEST_ASSERT_EQ(s.completed, IL_PAIRS, "completed");
	TEST_ASSERT_EQ(s.errors, IL_PAIRS, "errors");
	TEST_ASSERT_EQ(s.page_faults, IL_PAIRS, "page_faults");
	TEST_ASSERT_EQ(s.bytes, IL_PAIRS * IL_LEN, "bytes");
	munmap(none, PAGE);
	free(src);
	free(dst);
	free(res);
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "fault in the 4th page, resume", test_fault_and_resume },
	{ "read-only destination", test_readonly_dst },
	{ "faults of every operation kind", test_fault_kinds },
	{ "unaligned buffers: exact bytes_completed", test_unaligned_fault },
	{ "1000 faults interleaved with 1000 good ops", test_interleaved },
};

const struct test_suite suite_faults = { "faults", cases, RTE_DIM(cases) };
