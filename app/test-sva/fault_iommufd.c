/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fault mode's iommufd-mock case: the page-request round trip through the
 * real kernel, on the kernel's iommufd test mock device (a kernel with
 * CONFIG_IOMMUFD_TEST: IOMMU_TEST_CMD on /dev/iommu), driven through the
 * backend's helper library (drivers/sva/iommufd/sva_iommufd.h):
 *
 *   TRIGGER_IOPF (the mock device raises a page request at our PASID)
 *   -> the kernel's fault queue -> read from the fault fd
 *      (sva_iommufd_fault_poll(), the poll a device PMD runs)
 *   -> librte_sva's fault queue -> the fault worker -> the default
 *      resolver (the bond of this process faults the page in)
 *   -> IOAS map (IOVA == VA) -> {cookie, code} written to the fault fd
 *   -> accepted by the kernel (the context's counters say so).
 *
 * One request in flight, timed by the triggering thread from the trigger
 * to the kernel's acceptance, so the figure holds both system calls of
 * the kernel side and the library's whole path. Every request is for a
 * page of its own (up to PAGES_MAX, then they repeat), so each first
 * answer maps a page as a cold page request would.
 *
 * Nothing here can run without the mock: on any other host (no /dev/iommu,
 * or no IOMMU_TEST_CMD) the case is skipped with a line saying why, unless
 * --fault-backend iommufd-mock asked for it (main.c: exit 2, before any
 * case runs).
 */

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>

#include "sva_iommufd.h"

#include "fault_priv.h"

#define PG 4096u
/* Pages asked for (16 MiB pinned at most: the mock's IOAS pins them). */
#define PAGES_MAX 4096u

/* Whether the worker lcore may run on a CPU of this thread's lcore (the
 * lab guest has one vCPU): then, after SPINS_BEFORE_YIELD spins, waiting
 * yields the CPU. The round trip is then the scheduler's: the worker
 * itself spins 1024 idle polls before it yields (rte_sva_fault_worker.c).
 * Short sleeps instead of sched_yield() measured no better under TCG. */
#define SPINS_BEFORE_YIELD 64
static bool
worker_shares_cpu(int worker_lcore)
{
	rte_cpuset_t a = rte_lcore_cpuset((unsigned int)worker_lcore);
	rte_cpuset_t b = rte_lcore_cpuset(rte_lcore_id());

	CPU_AND(&a, &a, &b);
	return CPU_COUNT(&a) > 0;
}

int
fault_backend_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return FAULT_BACKEND_AUTO;
	if (strcmp(s, "iommufd-mock") == 0)
		return FAULT_BACKEND_IOMMUFD_MOCK;
	if (strcmp(s, "none") == 0)
		return FAULT_BACKEND_NONE;
	return -EINVAL;
}

int
fault_iommufd_available(char *why, size_t len)
{
	struct sva_iommufd ctx;
	int ret = sva_iommufd_open_mock(&ctx);

	if (ret != 0)
		snprintf(why, len, "%s", ctx.err);
	sva_iommufd_close(&ctx);
	return ret;
}

/* n pages inside the mock IOMMU's aperture (it translates IOVAs in
 * [16 MiB, 2 GiB) only, and IOVA == VA), or NULL. */
static uint8_t *
aperture_alloc(uint64_t n)
{
	for (uint64_t at = 1ull << 30; at + n * PG <= SVA_MOCK_APERTURE_LAST;
	     at += RTE_ALIGN_CEIL(n * PG, 1ull << 24)) {
		void *p = mmap((void *)(uintptr_t)at, n * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p == (void *)(uintptr_t)at)
			return p;
		if (p != MAP_FAILED)
			munmap(p, n * PG);
	}
	return NULL;
}

static uint64_t
settled(const struct sva_iommufd_counters *c)
{
	return c->responses + c->refused + c->write_errors;
}

/* One page request through the kernel; the round trip in ns, or 0 when it
 * could not be raised or was not answered within a second (said why). */
static uint64_t
one_request(struct sva_iommufd *ctx, struct rte_sva_dev *dev, bool worker,
	    bool yield, uint32_t pasid, uint64_t i, uint64_t addr)
{
	const uint64_t hz = rte_get_tsc_hz();
	struct sva_iommufd_counters c;
	uint64_t want, t0, end;
	bool reported = false;
	int ret;

	sva_iommufd_counters_get(ctx, &c);
	want = settled(&c) + 1;
	t0 = rte_rdtsc();
	end = t0 + hz;
	ret = sva_iommufd_mock_iopf(ctx, pasid, (uint32_t)(i & 511),
				    SVA_PGFAULT_PERM_READ | SVA_PGFAULT_PERM_WRITE, addr);
	if (ret != 0) {
		printf("iommufd-mock: request %" PRIu64 ": TRIGGER_IOPF failed: %s\n",
		       i, strerror(-ret));
		return 0;
	}
	for (unsigned int spins = 0;;) {
		/* The fault fd is read until the request is in the library's
		 * queue; after that an empty read would only cost a syscall. */
		if (!reported)
			reported = sva_iommufd_fault_poll(ctx, dev, 64) > 0;
		if (!worker)
			rte_sva_fault_process(dev->dev_id, 64);
		sva_iommufd_counters_get(ctx, &c);
		if (settled(&c) >= want)
			break;
		if (rte_rdtsc() > end) {
			printf("iommufd-mock: request %" PRIu64 " not answered within 1 s (%s)\n",
			       i, reported ? "in the fault queue" : "never read from the fault fd");
			return 0;
		}
		if (yield && reported && ++spins >= SPINS_BEFORE_YIELD)
			sched_yield();
		else
			rte_pause();
	}
	return RTE_MAX((rte_rdtsc() - t0) * 1000000000ull / hz, (uint64_t)1);
}

/* What the kernel and the library say about the run; JSON like the ratio
 * line: its own object, no table row. The library's histogram starts when
 * the backend converts a record read from the fault fd and ends when the
 * response was written: the part of the round trip without the trigger
 * and without the hand-back to the waiting thread (which, on a CPU shared
 * with the worker, waits for the worker to yield). */
static bool
kernel_verdict(struct sva_iommufd *ctx, int16_t dev_id, uint64_t n, uint64_t done,
	       const struct sva_iommufd_counters *c0, uint8_t *pages, uint64_t np,
	       FILE *json, bool quiet)
{
	struct sva_iommufd_counters c;
	struct rte_sva_fault_stats st = { 0 };
	uint64_t last = RTE_MIN(done, np) - 1;
	bool mapped, ok;

	sva_iommufd_counters_get(ctx, &c);
	rte_sva_fault_stats_get(dev_id, &st);
	/* The kernel's own mock domain must map what was asked for. */
	mapped = done > 0 &&
		sva_iommufd_mock_check_map(ctx, (uintptr_t)pages, PG, (uintptr_t)pages) == 0 &&
		sva_iommufd_mock_check_map(ctx, (uintptr_t)(pages + last * PG), PG,
					   (uintptr_t)(pages + last * PG)) == 0;
	c.responses -= c0->responses;
	c.refused -= c0->refused;
	c.write_errors -= c0->write_errors;
	c.groups -= c0->groups;
	c.maps -= c0->maps;
	ok = done == n && c.responses == n && c.refused == 0 && c.write_errors == 0 &&
	     c.groups == n && st.resp_success == n && mapped;
	if (!quiet || !ok)
		printf("iommufd-mock: the kernel accepted %" PRIu64 " of %" PRIu64
		       " responses (refused %" PRIu64 ", lost to write errors %" PRIu64
		       "), %" PRIu64 " groups read, %" PRIu64 " pages mapped, library "
		       "SUCCESS %" PRIu64 "; pages mirrored in the mock domain: %s; "
		       "record read -> response written (library histogram): p50 %.2f us, "
		       "p99 %.2f us\n",
		       c.responses, n, c.refused, c.write_errors, c.groups, c.maps,
		       st.resp_success, mapped ? "yes" : "NO",
		       rte_sva_fault_hist_percentile(&st, 50) / 1e3,
		       rte_sva_fault_hist_percentile(&st, 99) / 1e3);
	if (json)
		fprintf(json, "{\"mode\":\"fault\",\"case\":\"iommufd-mock-kernel\","
			"\"requests\":%" PRIu64 ",\"responses_accepted\":%" PRIu64
			",\"responses_refused\":%" PRIu64 ",\"write_errors\":%" PRIu64
			",\"groups_read\":%" PRIu64 ",\"pages_mapped\":%" PRIu64
			",\"resp_success\":%" PRIu64 ",\"mirrored\":%s,"
			"\"lib_rt_p50_us\":%.3f,\"lib_rt_p99_us\":%.3f}\n", n, c.responses,
			c.refused, c.write_errors, c.groups, c.maps, st.resp_success,
			mapped ? "true" : "false",
			rte_sva_fault_hist_percentile(&st, 50) / 1e3,
			rte_sva_fault_hist_percentile(&st, 99) / 1e3);
	return ok;
}

bool
fault_iommufd_case(const struct bench_opts *o, int worker_lcore, FILE *json, FILE *csv)
{
	const uint64_t n = o->fault_ops, np = RTE_MIN(n, (uint64_t)PAGES_MAX);
	struct fault_figures f = { .name = "iommufd-mock" };
	struct sva_iommufd_counters c0;
	struct rte_sva_dev *dev = NULL;
	struct sva_iommufd ctx;
	uint64_t *lat = NULL, done = 0, t0;
	uint8_t *pages = NULL;
	bool worker = false, yield = false, bound = false, ok = false;
	uint32_t pasid = 0;
	int cid = -1, ret;

	if (o->fault_backend == FAULT_BACKEND_NONE)
		return true;
	ret = sva_iommufd_open_mock(&ctx);
	if (ret != 0) {
		/* auto: said, not a failure (this kernel has no mock to drive).
		 * Required, it opened when main.c checked: a failure now. */
		bool required = o->fault_backend == FAULT_BACKEND_IOMMUFD_MOCK;

		printf("iommufd-mock: %s: %s\n", required ? "FAILED to open the mock" :
		       "skipped (not a failure): no iommufd test mock here", ctx.err);
		sva_iommufd_close(&ctx);
		return !required;
	}
	progress_sub(f.name);
	lat = calloc(n, sizeof(*lat));
	pages = aperture_alloc(np);
	if (lat == NULL || pages == NULL) {
		printf("iommufd-mock: no memory for %" PRIu64 " samples / %" PRIu64
		       " pages in the mock's aperture\n", n, np);
		goto out;
	}
	dev = sva_iommufd_dev_create(&ctx, "tsva_iommufd_mock", 256);
	cid = rte_sva_container_create();
	if (dev == NULL || cid < 0 || rte_sva_container_add_dev(cid, dev->dev_id) != 0 ||
	    rte_sva_bind(cid, 0, &pasid) != 0) {
		printf("iommufd-mock: cannot make the device or bind this process to it\n");
		goto out;
	}
	bound = true;
	if (worker_lcore >= 0) {
		if (rte_sva_fault_worker_start((unsigned int)worker_lcore) != 0) {
			printf("iommufd-mock: cannot start the fault worker on lcore %d\n",
			       worker_lcore);
			goto out;
		}
		worker = true;
		yield = worker_shares_cpu(worker_lcore);
	}
	sva_iommufd_counters_get(&ctx, &c0);
	rte_sva_fault_stats_reset(dev->dev_id);
	t0 = rte_rdtsc();
	for (; done < n; done++) {
		lat[done] = one_request(&ctx, dev, worker, yield, pasid, done,
					(uintptr_t)(pages + (done % np) * PG));
		if (lat[done] == 0)
			break;
	}
	f.seconds = (rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	f.ops = done;
	ok = kernel_verdict(&ctx, dev->dev_id, n, done, &c0, pages, np, json, o->quiet);
	{
		struct sva_iommufd_counters c;

		sva_iommufd_counters_get(&ctx, &c);
		f.requests = c.responses - c0.responses;
	}
	if (done > 0)
		fault_fig_percentiles(&f, lat, done);
	f.ok = ok;
	fault_print_fig(&f, json, csv, o->quiet);
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
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	sva_iommufd_close(&ctx);
	if (pages != NULL)
		munmap(pages, np * PG);
	free(lat);
	return ok;
}
