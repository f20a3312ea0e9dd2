/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The sva_iommufd sequence on the iommufd test mock device, for the real
 * kernel and for the kernel double alike (iommufd_seq.h). */

#define ALLOW_INTERNAL_API 1

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_pmd.h>

#include "sva_iommufd.h"
#include "sva_kdouble.h"
#include "iommufd_seq.h"

#define PG 4096ull
#define RW (SVA_PGFAULT_PERM_READ | SVA_PGFAULT_PERM_WRITE)
#define REC sizeof(struct sva_iommufd_pgfault)
#define RSP sizeof(struct sva_iommufd_page_response)

/* The failing check: where and why, and the case fails. */
#define CHECK(env, cond, fmt, ...) do { \
	if (!(cond)) { \
		snprintf((env)->why, sizeof((env)->why), "line %d: %.120s: " fmt, \
			 __LINE__, #cond, ##__VA_ARGS__); \
		ret = -1; \
		goto out; \
	} \
} while (0)

/* A value both backends must agree on. */
static void __rte_format_printf(3, 4)
obs(struct iseq_env *env, const char *name, const char *fmt, ...)
{
	char v[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (env->obs == NULL || env->obs_len >= env->obs_cap)
		return;
	n = snprintf(env->obs + env->obs_len, env->obs_cap - env->obs_len, "%s=%s\n",
		     name, v);
	if (n > 0)
		env->obs_len = RTE_MIN(env->obs_len + (size_t)n, env->obs_cap - 1);
}

/* Pages at fixed addresses inside the mock IOMMU's aperture [16 MiB, 2 GiB),
 * so that IOVA == VA can be mapped there. */
static uint8_t *
aperture_pages(unsigned int n, int prot)
{
	static uint64_t next = 0x40000000ull;

	for (int tries = 0; tries < 64; tries++) {
		uint64_t at = next;
		void *p;

		next += RTE_ALIGN_CEIL(n * PG, 1ull << 20) + (1ull << 20);
		if (next > SVA_MOCK_APERTURE_LAST)
			next = 0x40000000ull;
		p = mmap((void *)(uintptr_t)at, n * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_FIXED_NOREPLACE, -1, 0);
		if (p == (void *)(uintptr_t)at)
			return p;
		if (p != MAP_FAILED)
			munmap(p, n * PG);
	}
	return NULL;
}

static ssize_t
rd(struct sva_iommufd *ctx, void *buf, size_t n)
{
	ssize_t r = sva_kops_get()->read(ctx->fault_fd, buf, n);

	return r < 0 ? -errno : r;
}

static ssize_t
wr(struct sva_iommufd *ctx, uint32_t cookie, uint32_t code)
{
	struct sva_iommufd_page_response r = { .cookie = cookie, .code = code };
	ssize_t n = sva_kops_get()->write(ctx->fault_fd, &r, sizeof(r));

	return n < 0 ? -errno : n;
}

static struct sva_iommufd_counters
counters(const struct sva_iommufd *ctx)
{
	struct sva_iommufd_counters c;

	sva_iommufd_counters_get(ctx, &c);
	return c;
}

/* Feed the library from the fault fd and let it answer, until done
 * responses were accepted or refused (bounded: 5 s). A fault worker, when
 * running, answers; else this thread does. @return 0; -ETIMEDOUT. */
static int
serve(struct iseq_env *env, struct sva_iommufd *ctx, struct rte_sva_dev *dev,
      uint64_t done, bool worker)
{
	uint64_t end = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	RTE_SET_USED(env);
	for (;;) {
		struct sva_iommufd_counters c = counters(ctx);

		if (c.responses + c.refused >= done)
			return 0;
		if (rte_get_timer_cycles() > end)
			return -ETIMEDOUT;
		sva_iommufd_fault_wait(ctx, 1);
		sva_iommufd_fault_poll(ctx, dev, 64);
		if (!worker)
			rte_sva_fault_process(dev->dev_id, 64);
	}
}

/* The library counts a response once its delivery returned, which may be
 * after the kernel has it (the test sees the kernel's counter first): poll
 * the library's statistics, with a bound, until n responses are counted. */
static int
stats_settled(struct rte_sva_dev *dev, uint64_t n, struct rte_sva_fault_stats *st)
{
	uint64_t end = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	for (;;) {
		int ret = rte_sva_fault_stats_get(dev->dev_id, st);

		if (ret != 0)
			return ret;
		if (st->resp_success + st->resp_invalid >= n)
			return 0;
		if (rte_get_timer_cycles() > end)
			return -ETIMEDOUT;
		sched_yield();
	}
}

static int
open_mock(struct iseq_env *env, struct sva_iommufd *ctx)
{
	int ret = sva_iommufd_open_mock(ctx);

	if (ret != 0)
		snprintf(env->why, sizeof(env->why), "open_mock: %d: %.300s", ret, ctx->err);
	return ret;
}

/* ------------------------------------------------------------------ cases */

/* IOAS, mock device, fault queue, fault hwpt: what the kernel reports. */
static int
c_open_close(struct iseq_env *env)
{
	struct sva_iommufd ctx;
	struct rte_sva_capability cap;
	int ret = open_mock(env, &ctx);

	if (ret != 0)
		return -1;
	CHECK(env, ctx.ioas_id != 0 && ctx.hwpt_id != 0 && ctx.fault_id != 0 &&
	      ctx.stdev_id != 0 && ctx.dev_id != 0 && ctx.fault_fd >= 0, "ids");
	CHECK(env, ctx.hwpt_pasid, "hwpt with ALLOC_PASID");
	obs(env, "max_pasid_log2", "%u", ctx.max_pasid_log2);
	CHECK(env, ctx.max_pasid_log2 == SVA_MOCK_PASID_WIDTH, "%u", ctx.max_pasid_log2);
	sva_iommufd_capability(&ctx, &cap);
	CHECK(env, cap.pasid_bits == 20 && (cap.flags & RTE_SVA_IOMMU_CAP_PAGE_REQUEST), "cap");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 0) == 0, "an empty fault queue");
	sva_iommufd_close(&ctx);
	/* everything went: a second context opens the same way */
	ret = open_mock(env, &ctx);
	CHECK(env, ret == 0, "reopen");
out:
	sva_iommufd_close(&ctx);
	return ret;
}

/* IOVA == VA mirror in the IOAS, checked in the mock domain itself. */
static int
c_ioas_mirror(struct iseq_env *env)
{
	struct sva_iommufd ctx;
	uint8_t *b = aperture_pages(4, PROT_READ | PROT_WRITE);
	uint64_t va = (uint64_t)(uintptr_t)b;
	uint8_t *high = malloc(2 * PG);
	int ret = open_mock(env, &ctx), r;

	if (ret != 0 || b == NULL || high == NULL) {
		snprintf(env->why + strlen(env->why), 64, " (buffers %p %p)", b, high);
		ret = -1;
		goto out;
	}
	memset(b, 0x11, 4 * PG);
	CHECK(env, sva_iommufd_map(&ctx, va, 2 * PG, false) == 0, "map 2 pages RO");
	r = sva_iommufd_mock_check_map(&ctx, va, 2 * PG, va);
	obs(env, "check_mapped", "%d", r);
	CHECK(env, r == 0, "%d", r);
	r = sva_iommufd_mock_check_map(&ctx, va + 2 * PG, PG, va + 2 * PG);
	obs(env, "check_unmapped", "%d", r);
	CHECK(env, r < 0, "a page never mapped");
	r = sva_iommufd_mock_check_map(&ctx, va, PG, va + PG);
	obs(env, "check_other_page", "%d", r);
	CHECK(env, r < 0, "IOVA of page 0 is not page 1");
	/* a write fault on a read-only page: the mapping is replaced */
	CHECK(env, sva_iommufd_map(&ctx, va + 100, 1, true) == 0, "remap RW");
	CHECK(env, sva_iommufd_mock_check_map(&ctx, va, 2 * PG, va) == 0, "still mirrored");
	CHECK(env, sva_iommufd_map(&ctx, va, PG, false) == 0, "mapped already: fine");
	/* unaligned: every page touched */
	CHECK(env, sva_iommufd_map(&ctx, va + 2 * PG + 5, PG, true) == 0, "unaligned");
	CHECK(env, sva_iommufd_mock_check_map(&ctx, va + 2 * PG, 2 * PG, va + 2 * PG) == 0,
	      "pages 2 and 3");
	/* the mock translates [16 MiB, 2 GiB) only */
	r = sva_iommufd_map(&ctx, (uint64_t)(uintptr_t)high, PG, true);
	obs(env, "map_outside_aperture", "%s", strerror(-r));
	CHECK(env, r < 0, "a VA outside the aperture mapped");
	obs(env, "maps", "%" PRIu64, counters(&ctx).maps);
	obs(env, "map_failures", "%" PRIu64, counters(&ctx).map_failures);
out:
	sva_iommufd_close(&ctx);
	if (b != NULL)
		munmap(b, 4 * PG);
	free(high);
	return ret;
}

/* One page request through the kernel: the record, one response, a
 * duplicate refused. */
static int
c_fault_queue(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[16];
	struct sva_iommufd ctx;
	uint64_t addr = 0x40123000ull;
	ssize_t n;
	int ret = open_mock(env, &ctx);

	if (ret != 0)
		return -1;
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 7) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, 7, ctx.hwpt_id) == 0, "attached");
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 7, 3, RW, addr + 0x10) == 0, "trigger");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 1000) == 1, "POLLIN");
	memset(f, 0xee, sizeof(f));
	n = rd(&ctx, f, sizeof(f));
	obs(env, "read", "%zd", n);
	CHECK(env, n == (ssize_t)REC, "%zd", n);
	obs(env, "flags", "0x%x", f[0].flags);
	obs(env, "length", "%u", f[0].length);
	obs(env, "reserved", "%u", f[0].reserved);
	CHECK(env, f[0].flags == (SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE), "flags");
	CHECK(env, f[0].pasid == 7 && f[0].grpid == 3 && f[0].perm == RW, "pasid/grpid/perm");
	CHECK(env, f[0].addr == addr + 0x10, "addr 0x%" PRIx64, f[0].addr);
	CHECK(env, f[0].dev_id == ctx.dev_id, "dev_id %u, not %u", f[0].dev_id, ctx.dev_id);
	CHECK(env, f[0].cookie != 0, "a cookie");
	CHECK(env, rd(&ctx, f, sizeof(f)) == 0, "read once");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 0) == 0, "not readable now");
	n = wr(&ctx, f[0].cookie, SVA_IOMMUFD_RESP_SUCCESS);
	obs(env, "response", "%zd", n);
	CHECK(env, n == (ssize_t)RSP, "%zd", n);
	n = wr(&ctx, f[0].cookie, SVA_IOMMUFD_RESP_SUCCESS);
	obs(env, "duplicate", "%s", strerror((int)-n));
	CHECK(env, n == -EINVAL, "%zd", n);
out:
	sva_iommufd_close(&ctx);
	return ret;
}

/* PASID attach and detach as the kernel sees them. */
static int
c_pasid(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[4];
	struct sva_iommufd ctx;
	int ret = open_mock(env, &ctx), r;

	if (ret != 0)
		return -1;
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, 5, 0) == 0, "nothing at 5 yet");
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 5) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 5) == -EEXIST, "twice");
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 6) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, 5, ctx.hwpt_id) == 0, "5 attached");
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, 6, ctx.hwpt_id) == 0, "6 attached");
	CHECK(env, sva_iommufd_pasid_detach(&ctx, 5) == 0, "%s", ctx.err);
	r = sva_iommufd_mock_check_pasid(&ctx, 5, 0);
	obs(env, "check_detached", "%d", r);
	CHECK(env, r == 0, "5 detached");
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, 6, ctx.hwpt_id) == 0, "6 stays");
	CHECK(env, sva_iommufd_pasid_detach(&ctx, 5) == -ENOENT, "detach twice");
	r = sva_iommufd_pasid_attach(&ctx, 1u << 20);
	obs(env, "attach_too_wide", "%s", strerror(-r));
	CHECK(env, r < 0, "a 21-bit PASID");
	/* a page request at a detached PASID never reaches the fault fd */
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 5, 1, RW, 0x40000000ull) == 0, "trigger");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 50) == 0, "nothing");
	CHECK(env, rd(&ctx, f, sizeof(f)) == 0, "nothing read");
	/* at an attached one it does */
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 6, 1, RW, 0x40000000ull) == 0, "trigger");
	CHECK(env, rd(&ctx, f, sizeof(f)) == (ssize_t)REC, "one record");
	CHECK(env, wr(&ctx, f[0].cookie, SVA_IOMMUFD_RESP_INVALID) == (ssize_t)RSP, "answer");
out:
	sva_iommufd_close(&ctx);
	return ret;
}

/* The fault fd hands out whole groups only, and the backend's read buffer
 * holds more than any single read of SVA_IOMMUFD_READ_RECS. */
static int
c_whole_groups(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[32];
	struct sva_iommufd_page_response r[32];
	struct rte_sva_dev *dev = NULL;
	struct rte_sva_fault_stats st;
	struct sva_iommufd ctx;
	ssize_t n;
	int ret = open_mock(env, &ctx);

	if (ret != 0)
		return -1;
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 9) == 0, "%s", ctx.err);
	for (uint32_t i = 0; i < 20; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 9, i, RW, 0x40000000ull + i * PG) == 0, "");
	n = rd(&ctx, f, 100);
	obs(env, "read_100_bytes", "%s", strerror((int)-n));
	CHECK(env, n == -ESPIPE, "%zd", n);
	n = rd(&ctx, f, 0);
	obs(env, "read_0_bytes", "%zd", n);
	CHECK(env, n == -EINVAL, "no room for the first group: %zd", n);
	n = rd(&ctx, f, 16 * REC);
	obs(env, "read_room_16", "%zd", n / (ssize_t)REC);
	CHECK(env, n == 16 * (ssize_t)REC, "%zd", n);
	n = rd(&ctx, f + 16, 16 * REC);
	obs(env, "read_rest", "%zd", n / (ssize_t)REC);
	CHECK(env, n == 4 * (ssize_t)REC, "%zd", n);
	for (unsigned int i = 0; i < 20; i++) {
		CHECK(env, f[i].grpid == i && (f[i].flags & SVA_PGFAULT_F_LAST_PAGE), "order %u", i);
		r[i] = (struct sva_iommufd_page_response){ .cookie = f[i].cookie };
	}
	n = sva_kops_get()->write(ctx.fault_fd, r, 20 * RSP);
	obs(env, "write_20", "%zd", n);
	CHECK(env, n == 20 * (ssize_t)RSP, "%zd", n);

	/* 70 groups through the backend: a buffer of 64, so two reads. */
	dev = sva_iommufd_dev_create(&ctx, "iommufd_seq_wg", 128);
	CHECK(env, dev != NULL, "device");
	for (uint32_t i = 0; i < 70; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 9, i, RW, 0x40000000ull + i * PG) == 0, "");
	n = sva_iommufd_fault_poll(&ctx, dev, 128);
	obs(env, "poll_70", "%zd", n);
	CHECK(env, n == 70, "%zd", n);
	obs(env, "reads", "%" PRIu64, counters(&ctx).reads);
	obs(env, "groups", "%" PRIu64, counters(&ctx).groups);
	CHECK(env, counters(&ctx).reads == 2 && counters(&ctx).groups == 70, "reads");
	CHECK(env, serve(env, &ctx, dev, 70, false) == 0, "answered");
	CHECK(env, rte_sva_fault_stats_get(dev->dev_id, &st) == 0, "stats");
	obs(env, "lib_groups", "%" PRIu64, st.groups);
	obs(env, "accepted", "%" PRIu64, counters(&ctx).responses);
	CHECK(env, st.groups == 70 && counters(&ctx).responses == 70, "every group once");
	CHECK(env, counters(&ctx).writes < 70, "batched: %" PRIu64 " writes",
	      counters(&ctx).writes);
out:
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	sva_iommufd_close(&ctx);
	return ret;
}

/* The whole path: kernel page requests -> the library's fault queue ->
 * fault worker -> default resolver (bond of this process) -> batched
 * responses; SUCCESS maps the pages IOVA == VA. (A write request to a
 * read-only page is left out: the library's resolver touches the page
 * under the device-access guard, which only the sim's probe installs.) */
static int
c_fault_flow(struct iseq_env *env)
{
	const unsigned int np = 16;
	uint8_t *b = aperture_pages(np, PROT_READ | PROT_WRITE);
	uint8_t *ro = aperture_pages(1, PROT_READ);
	struct rte_sva_dev *dev = NULL;
	struct rte_sva_fault_stats st;
	struct sva_iommufd ctx;
	bool worker = false;
	uint32_t pasid = 0;
	int cid = -1, bound = 0;
	unsigned char vec[16];
	int ret = open_mock(env, &ctx);

	if (ret != 0 || b == NULL || ro == NULL) {
		ret = -1;
		goto out;
	}
	dev = sva_iommufd_dev_create(&ctx, "iommufd_seq_ff", 256);
	CHECK(env, dev != NULL, "device");
	cid = rte_sva_container_create();
	CHECK(env, cid >= 0, "container");
	CHECK(env, rte_sva_container_add_dev(cid, dev->dev_id) == 0, "add_dev");
	CHECK(env, rte_sva_bind(cid, 0, &pasid) == 0, "bind");
	bound = 1;
	CHECK(env, sva_iommufd_mock_check_pasid(&ctx, pasid, ctx.hwpt_id) == 0,
	      "the bond's PASID %u attached in the kernel", pasid);
	if (env->worker_lcore >= 0) {
		CHECK(env, rte_sva_fault_worker_start((unsigned int)env->worker_lcore) == 0,
		      "worker on lcore %d", env->worker_lcore);
		worker = true;
	}
	CHECK(env, mincore(b, np * PG, vec) == 0 && vec[0] == 0, "not present yet");
	for (unsigned int i = 0; i < np; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, pasid, i,
			i % 2 ? SVA_PGFAULT_PERM_READ : RW,
			(uint64_t)(uintptr_t)b + i * PG + 8) == 0, "trigger %u", i);
	CHECK(env, serve(env, &ctx, dev, np, worker) == 0, "answered in time");
	CHECK(env, stats_settled(dev, np, &st) == 0, "stats of %u responses", np);
	obs(env, "groups", "%" PRIu64, st.groups);
	obs(env, "resp_success", "%" PRIu64, st.resp_success);
	obs(env, "resp_invalid", "%" PRIu64, st.resp_invalid);
	obs(env, "accepted", "%" PRIu64, counters(&ctx).responses);
	CHECK(env, st.groups == np && st.resp_success == np && st.resp_invalid == 0,
	      "groups %" PRIu64 " success %" PRIu64, st.groups, st.resp_success);
	CHECK(env, counters(&ctx).responses == np && counters(&ctx).refused == 0,
	      "the kernel took them");
	CHECK(env, mincore(b, np * PG, vec) == 0, "mincore");
	for (unsigned int i = 0; i < np; i++) {
		CHECK(env, vec[i] & 1, "page %u faulted in by the resolver", i);
		CHECK(env, sva_iommufd_mock_check_map(&ctx, (uint64_t)(uintptr_t)b + i * PG, PG,
			(uint64_t)(uintptr_t)b + i * PG) == 0, "page %u mirrored", i);
	}
	CHECK(env, sva_iommufd_mock_check_map(&ctx, (uint64_t)(uintptr_t)ro, PG,
		(uint64_t)(uintptr_t)ro) != 0, "a page never asked for is not mapped");
	CHECK(env, counters(&ctx).writes <= np, "writes");
out:
	if (worker)
		rte_sva_fault_worker_stop();
	if (bound)
		rte_sva_unbind(cid, 0);
	if (cid >= 0) {
		if (dev != NULL)
			rte_sva_container_remove_dev(cid, dev->dev_id);
		rte_sva_container_destroy(cid);
	}
	if (bound && ret == 0 && sva_iommufd_mock_check_pasid(&ctx, pasid, 0) != 0) {
		snprintf(env->why, sizeof(env->why), "unbind left PASID %u attached", pasid);
		ret = -1;
	}
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	sva_iommufd_close(&ctx);
	if (b != NULL)
		munmap(b, np * PG);
	if (ro != NULL)
		munmap(ro, PG);
	return ret;
}

/* Responses the kernel refuses: stale, duplicate, a bad code. Handled
 * (errno, counted, logged), the others of the burst delivered. */
static int
c_bad_response(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[4];
	struct rte_sva_dev *dev = NULL;
	struct rte_sva_fault_stats st;
	struct sva_iommufd ctx;
	ssize_t n;
	int ret = open_mock(env, &ctx), r;

	if (ret != 0)
		return -1;
	dev = sva_iommufd_dev_create(&ctx, "iommufd_seq_br", 64);
	CHECK(env, dev != NULL, "device");
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 11) == 0, "%s", ctx.err);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 11, i, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, sizeof(f)) == 3 * (ssize_t)REC, "three groups");
	struct rte_sva_page_response burst[] = {
		{ .pasid = 11, .grpid = 0, .cookie = f[0].cookie, .code = RTE_SVA_PAGE_RESP_SUCCESS },
		{ .pasid = 11, .grpid = 7, .cookie = 0x7777, .code = RTE_SVA_PAGE_RESP_SUCCESS },
		{ .pasid = 11, .grpid = 1, .cookie = f[1].cookie, .code = RTE_SVA_PAGE_RESP_FAILURE },
	};
	r = sva_iommufd_page_response_burst(&ctx, dev, burst, RTE_DIM(burst));
	obs(env, "burst", "%d", r);
	obs(env, "accepted", "%" PRIu64, counters(&ctx).responses);
	obs(env, "refused", "%" PRIu64, counters(&ctx).refused);
	CHECK(env, r == 3, "the burst went");
	CHECK(env, counters(&ctx).responses == 2 && counters(&ctx).refused == 1, "2 + 1");
	CHECK(env, rte_sva_fault_stats_get(dev->dev_id, &st) == 0 && st.stale_responses == 1,
	      "counted stale");
	r = sva_iommufd_page_response(&ctx, &burst[0]);
	obs(env, "duplicate", "%s", strerror(-r));
	CHECK(env, r == -EINVAL && counters(&ctx).refused == 2, "duplicate refused");
	n = wr(&ctx, f[2].cookie, 2);
	obs(env, "bad_code", "%s", strerror((int)-n));
	CHECK(env, n == -EINVAL, "code 2 refused: %zd", n);
	n = sva_kops_get()->write(ctx.fault_fd, burst, 12);
	obs(env, "odd_size", "%s", n < 0 ? strerror(errno) : "accepted");
	CHECK(env, n < 0 && errno == ESPIPE, "12 bytes");
	/* still outstanding after the refusals: nothing lost */
	struct rte_sva_page_response last = { .pasid = 11, .grpid = 2, .cookie = f[2].cookie,
					      .code = RTE_SVA_PAGE_RESP_INVALID };
	CHECK(env, sva_iommufd_page_response(&ctx, &last) == 0, "the third group answered");
	CHECK(env, counters(&ctx).responses == 3 && counters(&ctx).write_errors == 0, "3");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 0) == 0, "empty");
out:
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	sva_iommufd_close(&ctx);
	return ret;
}

/* Detach with requests pending, read and not read: the kernel answers
 * them (INVALID); the library's late responses are refused, counted stale. */
static int
c_detach_pending(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[4];
	struct rte_sva_dev *dev = NULL;
	struct rte_sva_fault_stats st;
	struct sva_iommufd ctx;
	int ret = open_mock(env, &ctx), r;

	if (ret != 0)
		return -1;
	dev = sva_iommufd_dev_create(&ctx, "iommufd_seq_dp", 64);
	CHECK(env, dev != NULL, "device");
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 13) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 14) == 0, "%s", ctx.err);
	for (uint32_t i = 0; i < 2; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 13, i, RW, 0x40000000ull) == 0, "");
	r = sva_iommufd_fault_poll(&ctx, dev, 64);
	CHECK(env, r == 2, "read into the library: %d", r);
	for (uint32_t i = 2; i < 4; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 13, i, RW, 0x40000000ull) == 0, "");
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 14, 5, RW, 0x40000000ull) == 0, "");
	CHECK(env, sva_iommufd_pasid_detach(&ctx, 13) == 0, "%s", ctx.err);
	obs(env, "detach_dropped", "%" PRIu64, counters(&ctx).detach_dropped);
	CHECK(env, counters(&ctx).detach_dropped == 2, "the two pages read");
	/* the unread ones of 13 are gone; 14's stays */
	r = (int)rd(&ctx, f, sizeof(f));
	obs(env, "left", "%d", r / (int)REC);
	CHECK(env, r == (int)REC && f[0].pasid == 14, "only PASID 14's: %d", r);
	CHECK(env, wr(&ctx, f[0].cookie, SVA_IOMMUFD_RESP_SUCCESS) == (ssize_t)RSP, "14 answered");
	/* the library answers the two it holds: refused, dropped as stale */
	CHECK(env, rte_sva_fault_process(dev->dev_id, 64) == 2, "processed");
	CHECK(env, rte_sva_fault_stats_get(dev->dev_id, &st) == 0, "stats");
	obs(env, "stale", "%" PRIu64, st.stale_responses);
	obs(env, "refused", "%" PRIu64, counters(&ctx).refused);
	CHECK(env, st.groups == 2 && st.stale_responses == 2 && counters(&ctx).refused == 2,
	      "stale %" PRIu64, st.stale_responses);
	CHECK(env, st.resp_errors == 0, "no delivery error");
out:
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	sva_iommufd_close(&ctx);
	return ret;
}

/* Closing with requests pending answers them; a new context starts empty. */
static int
c_close_pending(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[4];
	struct sva_iommufd ctx;
	int ret = open_mock(env, &ctx);

	if (ret != 0)
		return -1;
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 15) == 0, "%s", ctx.err);
	for (uint32_t i = 0; i < 3; i++)
		CHECK(env, sva_iommufd_mock_iopf(&ctx, 15, i, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, REC) == (ssize_t)REC, "one read, two queued");
	sva_iommufd_close(&ctx);
	ret = open_mock(env, &ctx);
	CHECK(env, ret == 0, "reopen");
	CHECK(env, sva_iommufd_fault_wait(&ctx, 0) == 0, "a new queue is empty");
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 15) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 15, 0, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, sizeof(f)) == (ssize_t)REC, "the new one only");
	CHECK(env, wr(&ctx, f[0].cookie, SVA_IOMMUFD_RESP_SUCCESS) == (ssize_t)RSP, "answered");
out:
	sva_iommufd_close(&ctx);
	return ret;
}

/* Cookies: one per group, chosen when read; a free one is used again. */
static int
c_cookies(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[2];
	uint32_t a, b, c;
	struct sva_iommufd ctx;
	int ret = open_mock(env, &ctx);

	if (ret != 0)
		return -1;
	CHECK(env, sva_iommufd_pasid_attach(&ctx, 17) == 0, "%s", ctx.err);
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 17, 1, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, sizeof(f)) == (ssize_t)REC, "a");
	a = f[0].cookie;
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 17, 1, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, sizeof(f)) == (ssize_t)REC, "b");
	b = f[0].cookie;
	CHECK(env, wr(&ctx, a, SVA_IOMMUFD_RESP_SUCCESS) == (ssize_t)RSP, "answer a");
	CHECK(env, sva_iommufd_mock_iopf(&ctx, 17, 1, RW, 0x40000000ull) == 0, "");
	CHECK(env, rd(&ctx, f, sizeof(f)) == (ssize_t)REC, "c");
	c = f[0].cookie;
	obs(env, "cookies", "%u %u %u", a, b, c);
	CHECK(env, a != b && c != b, "distinct while outstanding");
	CHECK(env, wr(&ctx, b, SVA_IOMMUFD_RESP_SUCCESS) == (ssize_t)RSP, "answer b");
	CHECK(env, wr(&ctx, c, SVA_IOMMUFD_RESP_INVALID) == (ssize_t)RSP, "answer c");
out:
	sva_iommufd_close(&ctx);
	return ret;
}

/* A page request where no fault-capable hwpt is attached reaches nobody. */
static int
c_no_fault_hwpt(struct iseq_env *env)
{
	struct sva_iommufd_pgfault f[2];
	struct sva_iommufd ctx;
	int ret = open_mock(env, &ctx), r;

	if (ret != 0)
		return -1;
	r = sva_iommufd_mock_iopf(&ctx, 0, 1, RW, 0x40000000ull);   /* the RID's domain */
	obs(env, "trigger_rid", "%d", r);
	CHECK(env, r == 0, "%d", r);
	r = sva_iommufd_mock_iopf(&ctx, 21, 1, RW, 0x40000000ull);  /* nothing at 21 */
	obs(env, "trigger_unattached", "%d", r);
	CHECK(env, r == 0, "%d", r);
	CHECK(env, sva_iommufd_fault_wait(&ctx, 50) == 0, "nothing queued");
	CHECK(env, rd(&ctx, f, sizeof(f)) == 0, "nothing read");
out:
	sva_iommufd_close(&ctx);
	return ret;
}

const struct iseq_case iseq_cases[] = {
	{ "open_close", "IOAS, mock device, fault queue, fault hwpt; close and reopen", c_open_close },
	{ "ioas_mirror", "IOVA == VA mappings, checked in the mock domain", c_ioas_mirror },
	{ "fault_queue", "one page request: record, response, duplicate refused", c_fault_queue },
	{ "pasid", "PASID attach/detach as the kernel sees them", c_pasid },
	{ "whole_groups", "whole-group reads, ESPIPE, a 64-record buffer read twice", c_whole_groups },
	{ "fault_flow", "kernel -> fault queue -> worker -> resolver -> batched responses", c_fault_flow },
	{ "bad_response", "stale, duplicate, bad-code responses refused and counted", c_bad_response },
	{ "detach_pending", "detach answers pending groups; late responses stale", c_detach_pending },
	{ "close_pending", "close with requests pending; a new queue starts empty", c_close_pending },
	{ "cookies", "one cookie per group, reused once free", c_cookies },
	{ "no_fault_hwpt", "page requests without a fault hwpt reach nobody", c_no_fault_hwpt },
};
const unsigned int iseq_nb_cases = RTE_DIM(iseq_cases);

const struct iseq_case *
iseq_find(const char *name)
{
	for (unsigned int i = 0; i < iseq_nb_cases; i++)
		if (strcmp(iseq_cases[i].name, name) == 0)
			return &iseq_cases[i];
	return NULL;
}

int
iseq_run(const struct iseq_case *c, struct iseq_env *env)
{
	static struct sva_kdouble kd;
	int ret;

	env->why[0] = '\0';
	env->obs_len = 0;
	if (env->obs != NULL && env->obs_cap > 0)
		env->obs[0] = '\0';
	if (env->backend == ISEQ_KDOUBLE) {
		sva_kdouble_init(&kd);
		sva_kdouble_install(&kd);
	} else {
		sva_kdouble_install(NULL);
		if (access("/dev/iommu", F_OK) != 0) {
			snprintf(env->why, sizeof(env->why), "/dev/iommu missing: not a lab kernel");
			return 1;
		}
	}
	ret = c->fn(env);
	if (env->backend == ISEQ_KDOUBLE) {
		if (ret == 0 && kd.open_fds != 0) {
			snprintf(env->why, sizeof(env->why), "%d fds left open", kd.open_fds);
			ret = -1;
		}
		sva_kdouble_install(NULL);
	}
	return ret;
}
