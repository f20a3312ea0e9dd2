/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The conformance suite's data-path cases (see test_conformance.c): every
 * operation a device advertises, on malloc, stack and mmap memory, checked
 * byte for byte against a software reference with guard bytes around each
 * buffer; completion statuses of bad memory and unbound PASIDs; page
 * requests served by a fault worker on a cold mmap region; a bond made by
 * pid reaching that process's memory.
 */

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>

#include "test_conformance.h"

#define PG 4096u
#define GUARD 64u
/* Buffers per region: src, src2, dst, dst2, ref; each page-aligned, so
 * that dst and dst2 at the same offset have equal bits 11:0 (dualcast). */
#define NB_AREAS 5
#define HEAP_AREA (20 * PG)   /* the largest size, guards and offsets */
#define STACK_AREA (3 * PG)

enum mem_kind { MEM_MALLOC, MEM_STACK, MEM_MMAP };
static const char *const mem_names[] = { "malloc", "stack", "mmap" };

struct region {
	uint8_t *src, *src2, *dst, *dst2, *ref;
	size_t area;
};

static void
region_carve(struct region *r, uint8_t *base, size_t area)
{
	r->area = area;
	r->src = base;
	r->src2 = base + area;
	r->dst = base + 2 * area;
	r->dst2 = base + 3 * area;
	r->ref = base + 4 * area;
}

enum op {
	OP_COPY, OP_FILL, OP_COMPARE, OP_COMPARE_PATTERN, OP_CRC32C, OP_COPY_CRC32C,
	OP_DUALCAST, OP_NB,
};

static const struct {
	const char *name;
	const char *capa_name;
	uint64_t capa;
} ops[OP_NB] = {
	[OP_COPY] = { "copy", "RTE_SVA_OP_CAPA_COPY", RTE_SVA_OP_CAPA_COPY },
	[OP_FILL] = { "fill", "RTE_SVA_OP_CAPA_FILL", RTE_SVA_OP_CAPA_FILL },
	[OP_COMPARE] = { "compare", "RTE_SVA_OP_CAPA_COMPARE", RTE_SVA_OP_CAPA_COMPARE },
	[OP_COMPARE_PATTERN] = { "compare_pattern", "RTE_SVA_OP_CAPA_COMPARE_PATTERN",
				 RTE_SVA_OP_CAPA_COMPARE_PATTERN },
	[OP_CRC32C] = { "crc32c", "RTE_SVA_OP_CAPA_CRC32C", RTE_SVA_OP_CAPA_CRC32C },
	[OP_COPY_CRC32C] = { "copy_crc32c", "RTE_SVA_OP_CAPA_COPY_CRC32C",
			     RTE_SVA_OP_CAPA_COPY_CRC32C },
	[OP_DUALCAST] = { "dualcast", "RTE_SVA_OP_CAPA_DUALCAST", RTE_SVA_OP_CAPA_DUALCAST },
};

/* Operations run_wait() saw enqueued, for the checks of the counters. */
static uint64_t ops_enqueued;

static int
run_wait(const struct cdev *c, int idx, struct rte_sva_result *res)
{
	TEST_ASSERT(idx >= 0, "enqueue: %d", idx);
	ops_enqueued++;
	TEST_ASSERT_EQ(rte_sva_submit(c->id, 0) == 0 || conf_shared_mode(), 1, "submit");
	TEST_ASSERT_EQ(conf_wait(c, 0, 1, res), 0, "completion");
	return TEST_OK;
}

/* got must equal want over n bytes (the whole area, guards included). */
static int
same(const uint8_t *got, const uint8_t *want, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			printf("    %s: byte %zu is 0x%02x, want 0x%02x\n", what, i,
			       got[i], want[i]);
			return TEST_FAILED;
		}
	return TEST_OK;
}

/* One operation of len bytes: src at offset so, destinations at dof. */
static int
one_op(const struct cdev *c, enum op op, struct region *r, uint32_t len,
       uint32_t so, uint32_t dof, uint64_t seed)
{
	const uint64_t pat = 0xa5c3e10f96b4d287ull ^ seed;
	uint8_t *src = r->src + GUARD + so, *src2 = r->src2 + GUARD + so;
	uint8_t *dst = r->dst + GUARD + dof, *dst2 = r->dst2 + GUARD + dof;
	uint32_t diff = len / 2, crc_seed = (uint32_t)seed * 2654435761u;
	struct rte_sva_result res;
	int idx;

	test_fill_random(r->src, r->area, seed);
	test_fill_random(r->dst, r->area, seed + 1);
	memcpy(r->ref, r->dst, r->area);
	memcpy(r->dst2, r->dst, r->area);
	switch (op) {
	case OP_COPY:
		memcpy(r->ref + GUARD + dof, src, len);
		idx = rte_sva_copy(c->id, 0, c->pasid, src, dst, len, 0);
		break;
	case OP_FILL:
		for (uint32_t i = 0; i < len; i++)
			r->ref[GUARD + dof + i] = (uint8_t)(pat >> (8 * (i % 8)));
		idx = rte_sva_fill(c->id, 0, c->pasid, pat, dst, len, 0);
		break;
	case OP_COMPARE:
		memcpy(src2, src, len);
		TEST_RUN(run_wait(c, rte_sva_compare(c->id, 0, c->pasid, src, src2, len, 0),
				  &res));
		TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "equal buffers");
		src2[diff] ^= 0x10;
		idx = rte_sva_compare(c->id, 0, c->pasid, src, src2, len, 0);
		break;
	case OP_COMPARE_PATTERN:
		for (uint32_t i = 0; i < len; i++)
			src[i] = (uint8_t)(pat >> (8 * (i % 8)));
		TEST_RUN(run_wait(c, rte_sva_compare_pattern(c->id, 0, c->pasid, src, pat,
							     len, 0), &res));
		TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "the pattern");
		src[diff] ^= 0x01;
		idx = rte_sva_compare_pattern(c->id, 0, c->pasid, src, pat, len, 0);
		break;
	case OP_CRC32C:
		idx = rte_sva_crc32c(c->id, 0, c->pasid, src, crc_seed, len, 0);
		break;
	case OP_COPY_CRC32C:
		memcpy(r->ref + GUARD + dof, src, len);
		idx = rte_sva_copy_crc32c(c->id, 0, c->pasid, src, dst, crc_seed, len, 0);
		break;
	default:
		memcpy(r->ref + GUARD + dof, src, len);
		idx = rte_sva_dualcast(c->id, 0, c->pasid, src, dst, dst2, len, 0);
		break;
	}
	TEST_RUN(run_wait(c, idx, &res));
	if (op == OP_COMPARE || op == OP_COMPARE_PATTERN) {
		TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_COMPARE_MISMATCH, "a difference");
		TEST_ASSERT_EQ(res.bytes_completed, diff, "offset of the first difference");
	} else {
		TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "%s",
			       rte_sva_status_str(res.status));
	}
	TEST_RUN(same(r->dst, r->ref, r->area, "dst"));
	if (op == OP_DUALCAST)
		TEST_RUN(same(r->dst2, r->ref, r->area, "dst2"));
	if (op == OP_CRC32C || op == OP_COPY_CRC32C)
		TEST_ASSERT_EQ(res.crc, test_crc32c_ref(crc_seed, src, len), "crc");
	return TEST_OK;
}

static const uint32_t sizes[] = { 1, 7, 64, 4095, 4097, 3 * PG + 5, 65536 + 13 };

static int
ops_on(const struct cdev *c, enum mem_kind kind, struct region *r)
{
	int ret;

	for (enum op op = 0; op < OP_NB; op++) {
		if ((c->info.op_capa & ops[op].capa) == 0)
			continue;   /* said once per device, in ops_body() */
		for (unsigned int s = 0; s < RTE_DIM(sizes); s++) {
			uint32_t len = sizes[s];

			if (len + 2 * GUARD + 16 > r->area || len > c->info.max_xfer_size)
				continue;
			ret = one_op(c, op, r, len, 3, op == OP_DUALCAST ? 5 : 13, s * 7 + op);
			if (ret != TEST_OK) {
				printf("    %s of %u bytes on %s memory\n", ops[op].name, len,
				       mem_names[kind]);
				return ret;
			}
		}
	}
	return TEST_OK;
}

static int
ops_stack(const struct cdev *c)
{
	uint8_t mem[NB_AREAS * STACK_AREA + PG];
	struct region r;

	region_carve(&r, RTE_PTR_ALIGN_CEIL((uint8_t *)mem, PG), STACK_AREA);
	return ops_on(c, MEM_STACK, &r);
}

/* The mappings of our address space changed (unmapped, remapped,
 * protected): drop what the device may have cached for our PASID, as the
 * application must where the capability report asks for it (inv_caches):
 * no IOMMU driver tells a software device's cache about munmap(), and a
 * later case's mapping may take the same addresses. */
static void
conf_forget(const struct cdev *c)
{
	struct rte_sva_capability cap;

	if (rte_sva_capability_get(c->id, &cap) != 0 || cap.inv_caches == 0)
		return;
	rte_sva_cache_invalidate(c->id, &(struct rte_sva_cache_inv){
		.cache = cap.inv_caches, .granularity = RTE_SVA_INV_GRANU_PASID,
		.pasid = c->pasid });
}

static int
ops_body(struct cdev *c)
{
	size_t len = NB_AREAS * HEAP_AREA;
	struct rte_sva_stats st;
	struct region r;
	uint8_t *heap, *map;
	int ret;

	CONF_NEED_ENGINE(c);
	for (enum op op = 0; op < OP_NB; op++)
		if ((c->info.op_capa & ops[op].capa) == 0)
			printf("    skipped: device %s lacks %s\n", c->info.dev_name,
			       ops[op].capa_name);
	TEST_RUN(conf_queues_up(c, 1, 64));
	ops_enqueued = 0;
	heap = malloc(len + PG);
	TEST_ASSERT(heap != NULL, "malloc");
	region_carve(&r, RTE_PTR_ALIGN_CEIL(heap, PG), HEAP_AREA);
	ret = ops_on(c, MEM_MALLOC, &r);
	free(heap);
	conf_forget(c);
	TEST_RUN(ret);
	TEST_RUN(ops_stack(c));
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(map != MAP_FAILED, "mmap");
	region_carve(&r, map, HEAP_AREA);
	ret = ops_on(c, MEM_MMAP, &r);
	munmap(map, len);
	conf_forget(c);
	TEST_RUN(ret);
	/* Every operation counted once; a mismatch is an outcome, not an error. */
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, ops_enqueued, "submitted");
	TEST_ASSERT_EQ(st.completed, ops_enqueued, "completed");
	TEST_ASSERT_EQ(st.errors, 0, "errors");
	return TEST_OK;
}

int
test_conf_ops(void)
{
	return conf_each_dev(ops_body);
}

/* ------------------------------------------------------------ statuses */

/* Drain page requests a bad access raised (the default resolver answers
 * them), so that none is left for the next case. */
static void
drain_faults(const struct cdev *c)
{
	if (c->info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST)
		for (int k = 0; k < 100; k++)
			rte_sva_fault_process(c->id, 64);
}

static int
status_body(struct cdev *c)
{
	struct rte_sva_result res[3];
	struct rte_sva_stats st;
	uint16_t status[2], last;
	uint8_t *m, ok[256];
	uint32_t unbound;
	bool err;

	CONF_NEED_ENGINE(c);
	CONF_NEED(c, op_capa, RTE_SVA_OP_CAPA_COPY);
	TEST_RUN(conf_queues_up(c, 1, 64));
	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(m != MAP_FAILED, "mmap");
	test_fill_random(m, 3 * PG, 5);
	TEST_ASSERT_EQ(munmap(m + PG, PG), 0, "a hole");
	TEST_ASSERT_EQ(mprotect(m + 2 * PG, PG, PROT_READ), 0, "a read-only page");
	conf_forget(c);

	/* A read running into the hole: PAGE_FAULT where it begins. */
	TEST_RUN(run_wait(c, rte_sva_copy(c->id, 0, c->pasid, m + PG - 100, ok, 200, 0),
			  &res[0]));
	drain_faults(c);
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_PAGE_FAULT, "%s",
		       rte_sva_status_str(res[0].status));
	TEST_ASSERT_EQ(res[0].fault_addr, (uintptr_t)(m + PG), "fault address");
	TEST_ASSERT_EQ(res[0].bytes_completed, 100, "bytes before the hole");
	TEST_ASSERT((res[0].flags & RTE_SVA_RESULT_F_WRITE) == 0, "a read fault");
	TEST_ASSERT(memcmp(ok, m + PG - 100, 100) == 0, "the bytes before the hole");

	/* Map the hole again: the rest of the copy resumes from there. */
	TEST_ASSERT(mmap(m + PG, PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m + PG, "refill");
	conf_forget(c);
	memset(m + PG, 0x6b, PG);
	TEST_RUN(run_wait(c, rte_sva_copy_resume(c->id, 0, c->pasid, m + PG - 100, ok, 200,
						 &res[0], 0), &res[1]));
	TEST_ASSERT_EQ(res[1].status, RTE_SVA_STATUS_SUCCESS, "resumed");
	TEST_ASSERT(memcmp(ok, m + PG - 100, 200) == 0, "the whole copy");

	/* A write to the read-only page: PAGE_FAULT flagged as a write. */
	TEST_RUN(run_wait(c, rte_sva_copy(c->id, 0, c->pasid, ok, m + 2 * PG, 64, 0),
			  &res[0]));
	drain_faults(c);
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_PAGE_FAULT, "%s",
		       rte_sva_status_str(res[0].status));
	TEST_ASSERT_EQ(res[0].fault_addr, (uintptr_t)(m + 2 * PG), "fault address");
	TEST_ASSERT(res[0].flags & RTE_SVA_RESULT_F_WRITE, "a write fault");
	TEST_ASSERT_EQ(res[0].bytes_completed, 0, "nothing written");

	/* rte_sva_completed() stops before the first failure. */
	TEST_ASSERT_EQ(rte_sva_stats_reset(c->id, 0), 0, "reset");
	TEST_ASSERT(rte_sva_copy(c->id, 0, c->pasid, m, ok, 64, 0) >= 0, "good");
	TEST_ASSERT(rte_sva_copy(c->id, 0, c->pasid, ok, m + 2 * PG, 64, 0) >= 0, "bad");
	TEST_ASSERT(rte_sva_copy(c->id, 0, c->pasid, m, ok + 64, 64, 0) >= 0, "good");
	rte_sva_submit(c->id, 0);
	{
		uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
		uint16_t got = 0;

		err = false;
		while (got == 0 && !err && rte_get_timer_cycles() < deadline) {
			drain_faults(c);
			got = rte_sva_completed(c->id, 0, 3, &last, &err);
		}
		TEST_ASSERT_EQ(got, 1, "only the operation before the failure");
		if (!err) {   /* its successor may not have completed yet */
			while (!err && rte_get_timer_cycles() < deadline) {
				drain_faults(c);
				TEST_ASSERT_EQ(rte_sva_completed(c->id, 0, 3, &last, &err), 0,
					       "nothing past the failure");
			}
		}
		TEST_ASSERT(err, "has_error");
		got = 0;
		while (got < 2 && rte_get_timer_cycles() < deadline)
			got += rte_sva_completed_status(c->id, 0, 2 - got, &last, status + got);
		TEST_ASSERT_EQ(got, 2, "the failure and the one after");
	}
	TEST_ASSERT_EQ(status[0], RTE_SVA_STATUS_PAGE_FAULT, "the failure");
	TEST_ASSERT_EQ(status[1], RTE_SVA_STATUS_SUCCESS, "the one after");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, 3, "submitted");
	TEST_ASSERT_EQ(st.completed, 2, "completed");
	TEST_ASSERT_EQ(st.errors, 1, "errors");
	TEST_ASSERT_EQ(st.page_faults, 1, "page faults");
	TEST_ASSERT_EQ(st.bytes, 128, "bytes of the successful ones");

	/* A PASID bound to nothing on this device. */
	unbound = (c->pasid + 1) & ((1u << c->info.pasid_bits) - 1);
	if (unbound == 0)
		unbound = 1;
	TEST_RUN(run_wait(c, rte_sva_copy(c->id, 0, unbound, m, ok, 64, 0), &res[0]));
	drain_faults(c);
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_INVALID_PASID, "unbound PASID %u: %s",
		       unbound, rte_sva_status_str(res[0].status));
	munmap(m, 3 * PG);
	conf_forget(c);
	return TEST_OK;
}

int
test_conf_statuses(void)
{
	return conf_each_dev(status_body);
}

/* ------------------------------------------------------- page requests */

#define COLD_PAGES 32u

/* Copy len bytes to (or from) cold memory while the worker serves the
 * fault queue: in one operation that waits in the device when it can,
 * else resuming after each PAGE_FAULT. */
static int
cold_copy(const struct cdev *c, const uint8_t *src, uint8_t *dst, uint32_t len)
{
	bool block = (c->info.dev_capa & RTE_SVA_CAPA_BLOCK_ON_FAULT) != 0;
	uint64_t flags = block ? RTE_SVA_OP_FLAG_BLOCK_ON_FAULT : 0;
	struct rte_sva_result res;
	int k;

	TEST_RUN(run_wait(c, rte_sva_copy(c->id, 0, c->pasid, src, dst, len, flags), &res));
	for (k = 0; k < 10000 && res.status == RTE_SVA_STATUS_PAGE_FAULT; k++) {
		TEST_ASSERT(!block, "a blocking copy completed PAGE_FAULT at 0x%" PRIx64,
			    res.fault_addr);
		TEST_RUN(run_wait(c, rte_sva_copy_resume(c->id, 0, c->pasid, src, dst, len,
							 &res, 0), &res));
	}
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "%s after %d resumes",
		       rte_sva_status_str(res.status), k);
	return TEST_OK;
}

static int
pri_body(struct cdev *c)
{
	const size_t len = COLD_PAGES * PG;
	struct rte_sva_capability cap;
	struct rte_sva_fault_stats fs;
	unsigned int lcore;
	uint8_t *hot, *cold;
	int r;

	CONF_NEED_ENGINE(c);
	CONF_NEED(c, dev_capa, RTE_SVA_CAPA_PAGE_REQUEST);
	CONF_NEED(c, op_capa, RTE_SVA_OP_CAPA_COPY);
	TEST_ASSERT_EQ(rte_sva_capability_get(c->id, &cap), 0, "caps");
	if ((cap.flags & RTE_SVA_IOMMU_CAP_PAGE_REQUEST) == 0)
		return conf_skip(c, "sits behind an IOMMU path lacking "
				 "RTE_SVA_IOMMU_CAP_PAGE_REQUEST");
	lcore = rte_get_next_lcore(-1, 1, 0);
	if (lcore >= RTE_MAX_LCORE)
		return conf_skip(c, "has no worker lcore for a fault worker (run with -l 0,1)");
	TEST_RUN(conf_queues_up(c, 1, 64));
	TEST_ASSERT_EQ(rte_sva_fault_stats_reset(c->id), 0, "fault stats reset");
	hot = malloc(len);
	cold = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(hot != NULL && cold != MAP_FAILED, "memory");
	test_fill_random(hot, len, 99);
	TEST_ASSERT_EQ(rte_sva_fault_worker_start(lcore), 0, "worker on lcore %u", lcore);
	/* Into never-touched pages, then out of never-touched pages (zeros). */
	r = cold_copy(c, hot, cold, len);
	if (r == TEST_OK && memcmp(hot, cold, len) != 0) {
		printf("    the cold destination does not hold the source\n");
		r = TEST_FAILED;
	}
	if (r == TEST_OK)
		r = cold_copy(c, cold + len, hot, len);
	for (size_t i = 0; r == TEST_OK && i < len; i++)
		if (hot[i] != 0) {
			printf("    byte %zu from a cold source is 0x%02x\n", i, hot[i]);
			r = TEST_FAILED;
		}
	TEST_ASSERT_EQ(rte_sva_fault_worker_stop(), 0, "worker stop");
	free(hot);
	munmap(cold, 2 * len);
	conf_forget(c);
	TEST_RUN(r);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(c->id, &fs), 0, "fault stats");
	TEST_ASSERT(fs.requests >= 1 && fs.groups >= 1, "requests %" PRIu64 ", groups %" PRIu64,
		    fs.requests, fs.groups);
	TEST_ASSERT(fs.resp_success >= 1, "answered SUCCESS: %" PRIu64, fs.resp_success);
	TEST_ASSERT_EQ(fs.resp_errors, 0, "every answer delivered");
	return TEST_OK;
}

int
test_conf_page_requests(void)
{
	return conf_each_dev(pri_body);
}

/* ------------------------------------------------------- foreign bonds */

/*
 * A bond made by pid reaches that process's memory, not ours: a forked
 * child holds a pattern in page 0 of an area whose copy in this process is
 * poisoned after the fork; a copy tagged with the child's PASID moves page
 * 0 to page 1 in the child, read back through /proc/<pid>/mem.
 */
static int
foreign_copy(const struct cdev *c, pid_t child, uint8_t *area)
{
	struct rte_sva_result res;
	uint8_t got[PG];
	char path[64];
	uint32_t pasid;
	ssize_t n;
	int fd;

	TEST_ASSERT_EQ(rte_sva_bind(c->cid, child, &pasid), 0, "bind pid %d", (int)child);
	TEST_ASSERT(pasid != c->pasid, "a PASID of its own");
	TEST_RUN(run_wait(c, rte_sva_copy(c->id, 0, pasid, area, area + PG, PG, 0), &res));
	drain_faults(c);
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(res.status));
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)child);
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open %s", path);
	n = pread(fd, got, PG, (off_t)(uintptr_t)(area + PG));
	close(fd);
	TEST_ASSERT_EQ(n, PG, "read the child's page 1");
	for (uint32_t i = 0; i < PG; i++)
		TEST_ASSERT_EQ(got[i], (uint8_t)(i * 13 + 7), "the child's byte %u", i);
	for (uint32_t i = 0; i < 2 * PG; i++)
		TEST_ASSERT_EQ(area[i], 0xee, "our own copy untouched at %u", i);
	TEST_ASSERT_EQ(rte_sva_unbind(c->cid, child), 0, "unbind pid");
	return TEST_OK;
}

static int
foreign_body(struct cdev *c)
{
	struct rte_sva_capability cap;
	uint8_t *area;
	pid_t child;
	int r;

	CONF_NEED_ENGINE(c);
	CONF_NEED(c, dev_capa, RTE_SVA_CAPA_FOREIGN_BIND);
	CONF_NEED(c, op_capa, RTE_SVA_OP_CAPA_COPY);
	TEST_ASSERT_EQ(rte_sva_capability_get(c->id, &cap), 0, "caps");
	if ((cap.flags & RTE_SVA_IOMMU_CAP_FOREIGN_BIND) == 0)
		return conf_skip(c, "sits behind an IOMMU path lacking "
				 "RTE_SVA_IOMMU_CAP_FOREIGN_BIND");
	TEST_RUN(conf_queues_up(c, 1, 64));
	area = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(area != MAP_FAILED, "mmap");
	for (uint32_t i = 0; i < PG; i++)
		area[i] = (uint8_t)(i * 13 + 7);
	memset(area + PG, 0, PG);
	fflush(stdout);
	child = test_fork();
	TEST_ASSERT(child >= 0, "fork");
	if (child == 0) {
		for (;;)
			pause();
	}
	memset(area, 0xee, 2 * PG);
	r = foreign_copy(c, child, area);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	munmap(area, 2 * PG);
	conf_forget(c);
	TEST_RUN(r);
	/* An exited process cannot be bound. */
	TEST_ASSERT_EQ(rte_sva_bind(c->cid, child, &(uint32_t){ 0 }), -ESRCH, "exited pid");
	return TEST_OK;
}

int
test_conf_foreign(void)
{
	return conf_each_dev(foreign_body);
}
