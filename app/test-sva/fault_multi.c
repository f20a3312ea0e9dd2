/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fault mode's cases of one worker serving several devices: every device of
 * the process with page requests (--vdev=sva_sim0,pri=1 --vdev=sva_sim1,pri=1
 * ...), this thread polling their fault queues in turn
 * (rte_sva_fault_process(), as a run-to-completion worker does).
 *
 *  worker=N  page requests for present pages of this process, raised into
 *            the fault queues of N devices as a device raises them
 *            (rte_sva_pmd_fault_report(), one page per group, LAST_PAGE),
 *            a queue's worth per device at a time, then answered by the
 *            worker: its own throughput, the engines left out. PRQ/s counts
 *            the worker's polling time only; the round trip runs from the
 *            record's raise to its response, so it holds the wait in the
 *            queue. The sim has no group of that id waiting: it counts each
 *            response stale, after delivering it as any other.
 *  idle=N    one poll over N idle fault queues (N = 1, 2, 4, 8, as many as
 *            there are devices): poll_ns is its time, the rt columns those
 *            of samples of 64 polls, per poll.
 *
 * They run with the devices stopped (no engine shares the CPU); devices not
 * in the benchmark's container are added to it for the case (the bond is
 * replayed on them: the same PASID) and removed after.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>

#include "fault_priv.h"

#define PG 4096u
#define MULTI_MAX 8            /* devices a case uses at most */
#define INJECT_MAX 512         /* records per device per round */
#define IDLE_BATCH 64          /* polls per idle timing sample */
#define GRPID_BASE 0x10000u    /* no sim engine has such an id */
#define DRAIN_IDLE_MAX 10000000u /* empty rounds before a drain gives up */

struct multi {
	int16_t devs[MULTI_MAX];
	bool added[MULTI_MAX];     /* added to the container here */
	unsigned int nd;
	int cid;
};

/* The devices with page requests, dev first; each put in dev's container. */
static int
multi_setup(struct multi *m, int16_t dev)
{
	int16_t d;

	memset(m, 0, sizeof(*m));
	m->cid = rte_sva_dev_container(dev);
	if (m->cid < 0)
		return m->cid;
	m->devs[m->nd++] = dev;
	RTE_SVA_FOREACH_DEV(d) {
		struct rte_sva_info info;
		int cid;

		if (m->nd == MULTI_MAX)
			break;
		if (d == dev || rte_sva_info_get(d, &info) != 0 ||
		    !(info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST))
			continue;
		cid = rte_sva_dev_container(d);
		if (cid >= 0 && cid != m->cid)
			continue;   /* someone else's */
		if (cid < 0) {
			if (rte_sva_container_add_dev(m->cid, d) != 0)
				continue;
			m->added[m->nd] = true;
		}
		m->devs[m->nd++] = d;
	}
	return 0;
}

static void
multi_teardown(struct multi *m)
{
	for (unsigned int i = 0; i < m->nd; i++)
		if (m->added[i])
			rte_sva_container_remove_dev(m->cid, m->devs[i]);
}

/* Raise n page requests for pages of area (np pages, present) into dev's
 * fault queue, as the device would; how many went in. Not inlined, nor
 * are worker_drain() and idle_run(): a profile (valgrind --tool=callgrind
 * --toggle-collect=worker_drain) then counts each side on its own. */
static __rte_noinline unsigned int
inject(int16_t dev_id, uint8_t *area, uint64_t np, uint64_t *next, unsigned int n)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t k = (*next)++;
		struct rte_sva_fault f = {
			.type = RTE_SVA_FAULT_PAGE_REQ,
			.flags = RTE_SVA_FAULT_F_PASID_VALID | RTE_SVA_FAULT_F_LAST_PAGE,
			.pasid = bench_pasid,
			.grpid = GRPID_BASE + (uint32_t)(k & 0xffff),
			.perm = RTE_SVA_PERM_READ | RTE_SVA_PERM_WRITE,
			.addr = (uintptr_t)(area + (k % np) * PG),
			.cookie = (uint32_t)k,
			.dev_id = dev_id,
			.tsc = rte_rdtsc(),
		};

		if (rte_sva_pmd_fault_report(dev, &f) != 0)
			break;
	}
	return i;
}

/* Poll the first nd devices of m until want records are taken: the
 * records taken, or -1 when a poll failed or the queues stayed empty for
 * DRAIN_IDLE_MAX rounds short of want (a record lost: said, no hang). */
static __rte_noinline int64_t
worker_drain(const struct multi *m, unsigned int nd, uint64_t want)
{
	uint64_t got = 0, idle = 0;

	while (got < want) {
		uint64_t before = got;

		for (unsigned int i = 0; i < nd; i++) {
			int r = rte_sva_fault_process(m->devs[i], 64);

			if (r < 0)
				return -1;
			got += (uint64_t)r;
		}
		idle = got == before ? idle + 1 : 0;
		if (idle == DRAIN_IDLE_MAX) {
			printf("worker=%u: %" PRIu64 " of %" PRIu64 " records raised "
			       "never came out of the fault queues\n", nd,
			       want - got, want);
			return -1;
		}
	}
	return (int64_t)got;
}

/* worker=N: total page requests over the first nd devices of m. */
static void
worker_run(const struct multi *m, unsigned int nd, uint64_t total, uint8_t *area,
	   uint64_t np, struct fault_figures *f)
{
	uint64_t raised[MULTI_MAX] = { 0 }, answered = 0, polling = 0, next = 0;
	struct rte_sva_fault_stats st;
	bool ok = true;

	for (unsigned int i = 0; i < nd; i++)
		rte_sva_fault_stats_reset(m->devs[i]);
	while (answered < total && ok) {
		uint64_t want = 0, t0;
		int64_t got;

		for (unsigned int i = 0; i < nd; i++) {
			unsigned int n = (unsigned int)RTE_MIN((uint64_t)INJECT_MAX,
					(total - answered - want + nd - 1 - i) / (nd - i));
			unsigned int in = inject(m->devs[i], area, np, &next, n);

			raised[i] += in;
			want += in;
		}
		if (want == 0) {
			ok = false;   /* no queue takes a record */
			break;
		}
		t0 = rte_rdtsc();
		got = worker_drain(m, nd, want);
		polling += rte_rdtsc() - t0;
		if (got < 0) {
			ok = false;
			break;
		}
		answered += (uint64_t)got;
	}
	f->ops = answered;
	f->seconds = polling / (double)rte_get_tsc_hz();
	f->queues = nd;
	/* Every request answered once, SUCCESS, delivered; the round trip of
	 * all devices' requests in one histogram. */
	{
		struct rte_sva_fault_stats sum = { 0 };

		for (unsigned int i = 0; i < nd; i++) {
			if (rte_sva_fault_stats_get(m->devs[i], &st) != 0) {
				ok = false;
				continue;
			}
			ok &= st.requests == raised[i] && st.groups == raised[i] &&
				st.resp_success == raised[i] && st.resp_errors == 0;
			sum.requests += st.requests;
			for (unsigned int b = 0; b < RTE_SVA_FAULT_HIST_BUCKETS; b++)
				sum.hist[b] += st.hist[b];
		}
		f->requests = sum.requests;
		fault_fig_hist(f, &sum);
	}
	f->ok = ok && answered == total;
}

/* idle=N: polls of the first nd devices' empty fault queues. */
static __rte_noinline void
idle_run(const struct multi *m, unsigned int nd, uint64_t samples, struct fault_figures *f)
{
	uint64_t *lat = calloc(samples, sizeof(*lat));
	const double ns = 1e9 / rte_get_tsc_hz();
	uint64_t t0, sum = 0, work = 0;

	f->queues = nd;
	if (lat == NULL) {
		f->ok = false;
		return;
	}
	t0 = rte_rdtsc();
	for (uint64_t s = 0; s < samples; s++) {
		uint64_t s0 = rte_rdtsc();

		for (unsigned int k = 0; k < IDLE_BATCH; k++)
			for (unsigned int i = 0; i < nd; i++)
				work += (uint64_t)rte_sva_fault_process(m->devs[i], 64);
		lat[s] = (uint64_t)((rte_rdtsc() - s0) * ns / IDLE_BATCH);
		sum += lat[s];
	}
	f->seconds = (rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	f->ops = samples * IDLE_BATCH;
	f->poll_ns = (double)sum / (double)samples;
	fault_fig_percentiles(f, lat, samples);
	/* idle: nothing came, nothing failed */
	f->ok = work == 0;
	free(lat);
}

bool
fault_multi_cases(const struct bench_opts *o, int16_t dev, FILE *json, FILE *csv)
{
	static const unsigned int counts[] = { 1, 2, 4, 8 };
	const uint64_t np = 1024, total = RTE_MAX(o->fault_ops * 32, (uint64_t)1024);
	struct fault_figures f;
	struct multi m;
	char name[32];
	uint8_t *area;
	bool ok = true;

	if (multi_setup(&m, dev) != 0) {
		printf("worker: %d is in no container\n", dev);
		return false;
	}
	area = mmap(NULL, np * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("worker: cannot map %" PRIu64 " pages\n", np);
		multi_teardown(&m);
		return false;
	}
	memset(area, 1, np * PG);   /* present: no CPU fault in the resolve */
	for (unsigned int i = 0; i < RTE_DIM(counts) && counts[i] <= m.nd; i++) {
		memset(&f, 0, sizeof(f));
		snprintf(name, sizeof(name), "worker=%u", counts[i]);
		f.name = name;
		progress_sub(name);
		worker_run(&m, counts[i], total, area, np, &f);
		fault_print_fig(&f, json, csv, o->quiet);
		ok &= f.ok;
	}
	for (unsigned int i = 0; i < RTE_DIM(counts) && counts[i] <= m.nd; i++) {
		memset(&f, 0, sizeof(f));
		snprintf(name, sizeof(name), "idle=%u", counts[i]);
		f.name = name;
		progress_sub(name);
		idle_run(&m, counts[i], RTE_MAX(o->fault_ops * 8, (uint64_t)64), &f);
		fault_print_fig(&f, json, csv, o->quiet);
		if (!o->quiet)
			printf("idle poll of %u fault queue%s: %.1f ns (%.1f ns per queue)\n",
			       counts[i], counts[i] == 1 ? "" : "s", f.poll_ns,
			       f.poll_ns / counts[i]);
		ok &= f.ok;
	}
	if (m.nd < MULTI_MAX && !o->quiet)
		printf("worker, idle: %u device%s with page requests; more with "
		       "--vdev=sva_sim%u,pri=1 ... (up to %d)\n", m.nd,
		       m.nd == 1 ? "" : "s", m.nd, MULTI_MAX);
	munmap(area, np * PG);
	multi_teardown(&m);
	return ok;
}
