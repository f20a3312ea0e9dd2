/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Every operation, verified byte for byte, at sizes from 1 B to 2 MiB,
 * aligned and unaligned, on plain malloc memory. */

#include <stdlib.h>

#include "test.h"

#define GUARD 64
static const uint32_t sizes[] = {
	1, 7, 8, 63, 64, 65, 255, 4095, 4096, 4097, 65536 + 13, 1u << 20,
	2u << 20,
};
static const uint32_t offsets[][2] = { {0, 0}, {3, 0}, {0, 5}, {13, 4093} };

struct bufs {
	uint8_t *src, *dst, *dst2, *ref;
	size_t cap;
};

static int
bufs_alloc(struct bufs *b, size_t cap)
{
	b->cap = cap + 2 * GUARD + 8192;
	b->src = malloc(b->cap);
	b->dst = aligned_alloc(4096, RTE_ALIGN_CEIL(b->cap, 4096));
	b->dst2 = aligned_alloc(4096, RTE_ALIGN_CEIL(b->cap, 4096));
	b->ref = malloc(b->cap);
	return b->src && b->dst && b->dst2 && b->ref ? 0 : -ENOMEM;
}

static void
bufs_free(struct bufs *b)
{
	free(b->src);
	free(b->dst);
	free(b->dst2);
	free(b->ref);
}

/* dst must equal ref over the whole buffer (guards included). */
static int
check_same(const uint8_t *got, const uint8_t *want, size_t n, const char *what,
	   uint32_t len, uint32_t off)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			printf("    %s len %u off %u: byte %zu is 0x%02x, want 0x%02x\n",
			       what, len, off, i, got[i], want[i]);
			return TEST_FAILED;
		}
	}
	return TEST_OK;
}

static int
run_one(int op, struct bufs *b, uint32_t len, uint32_t so, uint32_t dof,
	uint64_t seed)
{
	const uint64_t pattern = 0x0123456789abcdefull ^ seed;
	struct rte_sva_result r;
	uint8_t *src = b->src + GUARD + so;
	uint8_t *dst = b->dst + GUARD + dof;
	uint8_t *dst2 = b->dst2 + GUARD + dof;
	size_t span = len + 2 * GUARD + 64;
	int idx;

	test_fill_random(b->src, span, seed);
	test_fill_random(b->dst, span, seed + 1);
	memcpy(b->ref, b->dst, span);
	memcpy(b->dst2, b->dst, span);

	switch (op) {
	case 0: /* copy */
		idx = rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, len, 0);
		memcpy(b->ref + GUARD + dof, src, len);
		break;
	case 1: /* fill */
		idx = rte_sva_fill(tenv.dev_id, 0, tenv.pasid, pattern, dst, len, 0);
		for (uint32_t i = 0; i < len; i++)
			b->ref[GUARD + dof + i] = (uint8_t)(pattern >> ((i % 8) * 8));
		break;
	case 2: /* crc32c */
		idx = rte_sva_crc32c(tenv.dev_id, 0, tenv.pasid, src, 0, len, 0);
		break;
	case 3: /* copy + crc32c */
		idx = rte_sva_copy_crc32c(tenv.dev_id, 0, tenv.pasid, src, dst,
					  0, len, 0);
		memcpy(b->ref + GUARD + dof, src, len);
		break;
	default: /* dualcast */
		idx = rte_sva_dualcast(tenv.dev_id, 0, tenv.pasid, src, dst, dst2,
				       len, 0);
		memcpy(b->ref + GUARD + dof, src, len);
		break;
	}
	TEST_ASSERT(idx >= 0, "enqueue op %d len %u: %d", op, len, idx);
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "op %d len %u", op, len);
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "op %d len %u: %s", op,
		       len, rte_sva_status_str(r.status));
	TEST_RUN(check_same(b->dst, b->ref, span, "dst", len, dof));
	if (op == 4)
		TEST_RUN(check_same(b->dst2, b->ref, span, "dst2", len, dof));
	if (op == 2 || op == 3)
		TEST_ASSERT_EQ(r.crc, test_crc32c_ref(0, src, len), "crc len %u", len);
	return TEST_OK;
}

static int
test_all_ops_sizes(void)
{
	static const char *const names[] = { "copy", "fill", "crc32c",
					     "copy_crc32c", "dualcast" };
	struct bufs b;
	int ret = TEST_OK;

	if (bufs_alloc(&b, 2u << 20) != 0)
		return TEST_FAILED;
	for (int op = 0; op < 5 && ret == TEST_OK; op++) {
		for (unsigned int s = 0; s < RTE_DIM(sizes) && ret == TEST_OK; s++) {
			for (unsigned int o = 0; o < RTE_DIM(offsets) && ret == TEST_OK; o++) {
				/* dualcast needs equal page offsets: it uses
				 * the same offset for both destinations. */
				ret = run_one(op, &b, sizes[s], offsets[o][0],
					      offsets[o][1], s * 31 + o);
				if (ret != TEST_OK)
					printf("    op %s size %u offsets %u/%u\n",
					       names[op], sizes[s], offsets[o][0],
					       offsets[o][1]);
			}
		}
	}
	bufs_free(&b);
	return ret;
}

static int
test_compare(void)
{
	struct bufs b;
	struct rte_sva_result r;
	int ret = TEST_FAILED;

	if (bufs_alloc(&b, 2u << 20) != 0)
		return TEST_FAILED;
	for (unsigned int s = 0; s < RTE_DIM(sizes); s++) {
		uint32_t len = sizes[s];
		uint8_t *a = b.src + 3, *c = b.dst + 1;

		test_fill_random(a, len, s);
		memcpy(c, a, len);
		if (rte_sva_compare(tenv.dev_id, 0, tenv.pasid, a, c, len, 0) < 0 ||
		    test_wait_one(tenv.dev_id, 0, &r) != 0)
			goto out;
		if (r.status != RTE_SVA_STATUS_SUCCESS) {
			printf("    equal buffers len %u: %s\n", len,
			       rte_sva_status_str(r.status));
			goto out;
		}
		/* A difference in the last byte, then in the middle. */
		for (int k = 0; k < 2; k++) {
			uint32_t at = k == 0 ? len - 1 : len / 2;

			memcpy(c, a, len);
			c[at] ^= 0x40;
			if (rte_sva_compare(tenv.dev_id, 0, tenv.pasid, a, c, len, 0) < 0 ||
			    test_wait_one(tenv.dev_id, 0, &r) != 0)
				goto out;
			if (r.status != RTE_SVA_STATUS_COMPARE_MISMATCH ||
			    r.bytes_completed != at) {
				printf("    len %u diff at %u: status %s offset %u\n",
				       len, at, rte_sva_status_str(r.status),
				       r.bytes_completed);
				goto out;
			}
		}
	}
	ret = TEST_OK;
out:
	bufs_free(&b);
	return ret;
}

static int
test_compare_pattern(void)
{
	const uint64_t pat = 0xa5a55a5a01020304ull;
	struct rte_sva_result r;
	uint8_t *buf = malloc((2u << 20) + 16);

	TEST_ASSERT(buf != NULL, "malloc");
	for (unsigned int s = 0; s < RTE_DIM(sizes); s++) {
		uint32_t len = sizes[s];
		uint8_t *a = buf + 5;

		for (uint32_t i = 0; i < len; i++)
			a[i] = (uint8_t)(pat >> ((i % 8) * 8));
		TEST_ASSERT(rte_sva_compare_pattern(tenv.dev_id, 0, tenv.pasid, a,
						    pat, len, 0) >= 0, "enqueue");
		TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "wait");
		TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "len %u", len);
		a[len - 1] ^= 1;
		TEST_ASSERT(rte_sva_compare_pattern(tenv.dev_id, 0, tenv.pasid, a,
						    pat, len, 0) >= 0, "enqueue");
		TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "wait");
		TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_COMPARE_MISMATCH, "len %u", len);
		TEST_ASSERT_EQ(r.bytes_completed, len - 1, "len %u", len);
	}
	free(buf);
	return TEST_OK;
}

static int
test_crc_chaining(void)
{
	uint8_t *buf = malloc(100000);
	struct rte_sva_result r[2];
	uint32_t crc_a;

	TEST_ASSERT(buf != NULL, "malloc");
	test_fill_random(buf, 100000, 77);
	/* "123456789" has the well-known CRC32C check value 0xe3069283. */
	memcpy(buf, "123456789", 9);
	TEST_ASSERT(rte_sva_crc32c(tenv.dev_id, 0, tenv.pasid, buf, 0, 9, 0) >= 0, "enq");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, r), 0, "wait");
	TEST_ASSERT_EQ(r[0].crc, 0xe3069283u, "check value");
	test_fill_random(buf, 100000, 78);
	TEST_ASSERT(rte_sva_crc32c(tenv.dev_id, 0, tenv.pasid, buf, 0, 40000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, r), 0, "wait");
	crc_a = r[0].crc;
	TEST_ASSERT(rte_sva_crc32c(tenv.dev_id, 0, tenv.pasid, buf + 40000, crc_a,
				   60000, 0) >= 0, "enq");
	TEST_ASSERT(rte_sva_crc32c(tenv.dev_id, 0, tenv.pasid, buf, 0, 100000, 0) >= 0, "enq");
	TEST_ASSERT_EQ(rte_sva_submit(tenv.dev_id, 0), 0, "submit");
	TEST_ASSERT_EQ(test_wait_results(tenv.dev_id, 0, 2, r), 0, "wait");
	TEST_ASSERT_EQ(r[0].crc, r[1].crc, "chained CRC equals whole CRC");
	TEST_ASSERT_EQ(r[1].crc, test_crc32c_ref(0, buf, 100000), "reference");
	free(buf);
	return TEST_OK;
}

/* Overlapping copies behave as memmove, both directions, many distances,
 * across page boundaries. */
static int
test_overlap_copy(void)
{
	static const uint32_t lens[] = { 1, 100, 4096, 10000, 300000 };
	static const int32_t shifts[] = { 1, 7, 64, 4095, 4096, 5000, -1, -9,
					  -4096, -70001 };
	size_t cap = 300000 + 2 * 80000;
	uint8_t *buf = malloc(cap), *ref = malloc(cap);
	struct rte_sva_result r;

	TEST_ASSERT(buf != NULL && ref != NULL, "malloc");
	if (!(tenv.info.dev_capa & RTE_SVA_CAPA_OVERLAP_COPY)) {
		free(buf);
		free(ref);
		return TEST_SKIPPED;
	}
	for (unsigned int l = 0; l < RTE_DIM(lens); l++) {
		for (unsigned int s = 0; s < RTE_DIM(shifts); s++) {
			uint8_t *src = buf + 80000 + 11;
			uint8_t *dst = src + shifts[s];

			test_fill_random(buf, cap, l * 100 + s);
			memcpy(ref, buf, cap);
			memmove(ref + (dst - buf), ref + (src - buf), lens[l]);
			TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst,
						 lens[l], 0) >= 0, "enqueue");
			TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "wait");
			TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS,
				       "len %u shift %d", lens[l], shifts[s]);
			TEST_ASSERT(memcmp(buf, ref, cap) == 0,
				    "memmove semantics len %u shift %d", lens[l],
				    shifts[s]);
		}
	}
	free(buf);
	free(ref);
	return TEST_OK;
}

/* Stack memory and a fresh anonymous mmap work as well as malloc. */
static int
test_stack_and_mmap(void)
{
	uint8_t stack_src[512], stack_dst[512];
	struct rte_sva_result r;

	test_fill_random(stack_src, sizeof(stack_src), 5);
	memset(stack_dst, 0, sizeof(stack_dst));
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, stack_src, stack_dst,
				 sizeof(stack_src), RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enq");
	TEST_ASSERT_EQ(test_wait_results(tenv.dev_id, 0, 1, &r), 0, "wait");
	TEST_ASSERT_EQ(r.status, 0, "status");
	TEST_ASSERT(memcmp(stack_src, stack_dst, sizeof(stack_src)) == 0, "data");
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "copy/fill/crc/copy_crc/dualcast 1B..2MiB", test_all_ops_sizes },
	{ "compare, equal and first difference", test_compare },
	{ "compare with pattern", test_compare_pattern },
	{ "crc32c check value and chaining", test_crc_chaining },
	{ "overlapping copies are memmove", test_overlap_copy },
	{ "stack buffers", test_stack_and_mmap },
};

const struct test_suite suite_ops = { "ops", cases, RTE_DIM(cases) };
