/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fault mode: the page-request round trip and throughput under faults, on a
 * device with page requests (--vdev=sva_sim0,pri=1), beside the CPU's own
 * first-touch fault and a userfaultfd round trip measured in the same run.
 *
 *  cold      copies into never-touched pages, one in flight: every copy
 *            raises one page request; round trip from the fault histogram
 *  dontneed  the same pages dropped with MADV_DONTNEED (and the device's
 *            translation cache invalidated) between passes
 *  rate=R    a stream of copies with a fraction R into cold pages
 *  miss      present pages the device has not cached (page requests only
 *            with prq_all_misses=1: the worker's throughput)
 *  first-touch  the CPU's own fault of the same kind of page: the first
 *            write to each page of a fresh anonymous region as big as the
 *            cold case's; the floor the cold round trip is compared to
 *            (the "ratio" row)
 *  touch-amid  the same fault with one device copy into a present page
 *            after each, the producer's loop of the cold case without its
 *            page request (fault_touch.c says why)
 *  uffd      a CPU fault on a userfaultfd-registered page, resolved by a
 *            handler thread on another CPU (UFFDIO_ZEROPAGE), timed by the
 *            faulting thread; also with the handler spinning, and with it
 *            on the faulting CPU (see uffd_cases())
 *  iommufd-mock  a page request through the real kernel's iommufd fault
 *            queue on its test mock device (fault_iommufd.c), skipped with
 *            a line saying why on a kernel without the mock
 *
 * The fault worker polls in the producer's loop (rte_sva_fault_process())
 * unless --fault-worker names an EAL lcore for rte_sva_fault_worker_start().
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>

#include "fault_priv.h"
#include "test_sva.h"

#define PG 4096u

void
fault_print_fig(const struct fault_figures *f, FILE *json, FILE *csv, bool quiet)
{
	double s = f->seconds > 0 ? f->seconds : 1;

	progress_clear();
	if (!quiet)
		printf("%-12s %9" PRIu64 " %11.0f %11.0f %9.2f %9.2f %9.2f %9.2f  %s\n",
		       f->name, f->ops, f->ops / s, f->requests / s, f->p50 / 1e3,
		       f->p99 / 1e3, f->p999 / 1e3, f->max / 1e3,
		       f->ok ? "ok" : "FAILED");
	if (json)
		fprintf(json, "{\"mode\":\"fault\",\"case\":\"%s\",\"ops\":%" PRIu64
			",\"ops_per_s\":%.1f,\"prq_per_s\":%.1f,"
			"\"rt_p50_us\":%.3f,\"rt_p99_us\":%.3f,\"rt_p999_us\":%.3f,"
			"\"rt_max_us\":%.3f,\"verified\":%s,\"queues\":%u,"
			"\"poll_ns\":%.1f}\n", f->name, f->ops,
			f->ops / s, f->requests / s, f->p50 / 1e3, f->p99 / 1e3,
			f->p999 / 1e3, f->max / 1e3, f->ok ? "true" : "false",
			f->queues, f->poll_ns);
	if (csv)
		fprintf(csv, "fault,%s,%" PRIu64 ",%.1f,%.1f,%.3f,%.3f,%.3f,%.3f,%d,%u,%.1f\n",
			f->name, f->ops, f->ops / s, f->requests / s, f->p50 / 1e3,
			f->p99 / 1e3, f->p999 / 1e3, f->max / 1e3, f->ok,
			f->queues, f->poll_ns);
}

void
fault_fig_hist(struct fault_figures *f, const struct rte_sva_fault_stats *st)
{
	f->p50 = rte_sva_fault_hist_percentile(st, 50);
	f->p99 = rte_sva_fault_hist_percentile(st, 99);
	f->p999 = rte_sva_fault_hist_percentile(st, 99.9);
	f->max = rte_sva_fault_hist_percentile(st, 100);
	f->resolve_p50 = rte_sva_fault_resolve_percentile(st, 50);
}

/* Keep up to depth-1 copies in flight, serving the fault queue when no
 * worker lcore does; dst(i) picks each destination. */
static bool
stream(int16_t dev, bool serve, uint64_t n, uint8_t *src,
       uint8_t *(*dst)(uint64_t i, void *arg), void *arg, uint16_t window)
{
	uint64_t enq = 0, done = 0;
	uint16_t status[64];
	bool ok = true;

	while (done < n) {
		uint64_t before = enq;

		while (enq < n && enq - done < window) {
			int ret = rte_sva_copy(dev, 0, bench_pasid, src, dst(enq, arg),
					       PG, RTE_SVA_OP_FLAG_BLOCK_ON_FAULT);

			if (ret == -ENOSPC)
				break;   /* ring full: reap first */
			if (ret < 0) {
				/* Refused outright: waiting would never end. */
				printf("copy refused: %s\n", strerror(-ret));
				return false;
			}
			enq++;
		}
		/* The doorbell only for new work: when this loop is also the
		 * fault worker, each pass is one poll of the fault queue, and
		 * a doorbell per pass would stretch the time between polls. */
		if (enq != before)
			rte_sva_submit(dev, 0);
		if (serve)
			rte_sva_fault_process(dev, 64);
		{
			uint16_t m = rte_sva_completed_status(dev, 0, 64, NULL, status);

			for (uint16_t i = 0; i < m; i++)
				ok &= status[i] == RTE_SVA_STATUS_SUCCESS;
			done += m;
		}
	}
	return ok;
}

struct region {
	uint8_t *base;
	uint64_t pages;
};

static uint8_t *
region_page(uint64_t i, void *arg)
{
	struct region *r = arg;

	return r->base + (i % r->pages) * PG;
}

struct mix {
	struct region cold;
	uint8_t *hot;
	uint32_t cold_every;   /* 0: never */
	uint64_t next_cold;
};

static uint8_t *
mix_page(uint64_t i, void *arg)
{
	struct mix *m = arg;

	if (m->cold_every != 0 && i % m->cold_every == 0)
		return m->cold.base + (m->next_cold++ % m->cold.pages) * PG;
	return m->hot + (i % 64) * PG;
}

void
fault_measure(int16_t dev, bool serve, uint64_t n, uint8_t *src,
	      uint8_t *(*dst)(uint64_t i, void *arg), void *arg, uint16_t window,
	      struct fault_figures *f)
{
	struct rte_sva_fault_stats st;
	uint64_t t0;

	rte_sva_fault_stats_reset(dev);
	t0 = rte_rdtsc();
	f->ok = stream(dev, serve, n, src, dst, arg, window);
	f->seconds = (rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	f->ops = n;
	if (rte_sva_fault_stats_get(dev, &st) == 0) {
		f->requests = st.requests;
		fault_fig_hist(f, &st);
	}
}

/* Drop everything the device cached for our PASID. */
static void
invalidate_pasid(int16_t dev)
{
	rte_sva_cache_invalidate(dev, &(struct rte_sva_cache_inv){
		.cache = RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_PASID, .pasid = bench_pasid });
}

static int
dev_setup(int16_t dev)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = { .nb_desc = 1024, .socket_id = SOCKET_ID_ANY };

	rte_sva_stop(dev);
	if (rte_sva_configure(dev, &conf) != 0 || rte_sva_queue_setup(dev, 0, &qc) != 0)
		return -EINVAL;
	return rte_sva_start(dev);
}

/* ---------------------------------------------------------- userfaultfd */

/*
 * The baseline: a read fault on a userfaultfd-registered page, resolved with
 * UFFDIO_ZEROPAGE by a handler thread and timed by the faulting thread. The
 * handler runs on another CPU than the faulting thread, as our fault worker
 * runs on another CPU than the device engine; it blocks in read() as uffd
 * handlers usually do (uffd) or spins on a non-blocking read (uffd-spin). A
 * handler on the faulting thread's own CPU (uffd-same) is only a context
 * switch away, which no real deployment can count on; it is printed for
 * context. The EAL pins the calling thread, and a thread created from it
 * inherits that CPU, so the handler is pinned explicitly.
 */
enum uffd_handler_kind { UFFD_BLOCKING, UFFD_SPINNING };

struct uffd_ctx {
	int fd;
	int cpu;
	enum uffd_handler_kind kind;
	volatile int stop;
	uint64_t served;
};

static void *
uffd_handler(void *arg)
{
	struct uffd_ctx *u = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(u->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (!u->stop) {
		struct uffd_msg msg;

		if (u->kind == UFFD_BLOCKING) {
			struct pollfd p = { .fd = u->fd, .events = POLLIN };

			/* poll() with a timeout only so that stop is seen; the
			 * wakeup costs what a blocking read() costs. */
			if (poll(&p, 1, 100) <= 0)
				continue;
		}
		if (read(u->fd, &msg, sizeof(msg)) != sizeof(msg) ||
		    msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		struct uffdio_zeropage zp = {
			.range = { .start = msg.arg.pagefault.address & ~(uint64_t)(PG - 1),
				   .len = PG },
		};
		ioctl(u->fd, UFFDIO_ZEROPAGE, &zp);
		u->served++;
	}
	return NULL;
}

void
fault_fig_percentiles(struct fault_figures *f, uint64_t *lat, uint64_t n)
{
	qsort(lat, n, sizeof(*lat), bench_cmp_u64);
	f->p50 = lat[n / 2];
	f->p99 = lat[n * 99 / 100];
	f->p999 = lat[RTE_MIN(n - 1, n * 999 / 1000)];
	f->max = lat[n - 1];
}

/* A CPU for the handler other than the calling thread's, or -1. */
static int
uffd_other_cpu(void)
{
	int self = sched_getcpu();
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	for (int c = 0; c < n; c++)
		if (c != self)
			return c;
	return -1;
}

static void
uffd_run(uint64_t n, const char *name, int cpu, enum uffd_handler_kind kind,
	 struct fault_figures *f)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffd_ctx u = { .fd = -1, .cpu = cpu, .kind = kind };
	uint64_t *lat = calloc(n, sizeof(*lat));
	uint8_t *area = NULL;
	pthread_t th;
	double hz = rte_get_tsc_hz();
	uint64_t t0;

	f->name = name;
	u.fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u.fd < 0 || ioctl(u.fd, UFFDIO_API, &api) != 0 || lat == NULL) {
		printf("userfaultfd unavailable here: %s\n", strerror(errno));
		goto out;
	}
	area = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)area, .len = n * PG },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (area == MAP_FAILED || ioctl(u.fd, UFFDIO_REGISTER, &reg) != 0) {
		printf("userfaultfd register failed: %s\n", strerror(errno));
		area = NULL;
		goto out;
	}
	if (pthread_create(&th, NULL, uffd_handler, &u) != 0) {
		printf("cannot start the userfaultfd handler\n");
		goto out;
	}
	rte_delay_us_sleep(10000);   /* let the handler reach its CPU */
	t0 = rte_rdtsc();
	for (uint64_t i = 0; i < n; i++) {
		uint64_t s = rte_rdtsc();

		(void)*(volatile uint8_t *)(area + i * PG);
		lat[i] = (uint64_t)((rte_rdtsc() - s) / hz * 1e9);
	}
	f->seconds = (rte_rdtsc() - t0) / hz;
	u.stop = 1;
	pthread_join(th, NULL);
	f->ops = n;
	f->requests = u.served;
	fault_fig_percentiles(f, lat, n);
	f->ok = u.served == n;
out:
	if (area != NULL)
		munmap(area, n * PG);
	if (u.fd >= 0)
		close(u.fd);
	free(lat);
}

/* Run the userfaultfd cases and print each; ratio[i]: case i's p50 over
 * the cold round trip's (0: not run). False if a case lost a fault (its
 * handler served fewer than it took). */
static bool
uffd_cases(uint64_t n, uint64_t cold_p50, FILE *json, FILE *csv, bool quiet,
	   double ratio[3])
{
	const int other = uffd_other_cpu(), self = sched_getcpu();
	const struct {
		const char *name;
		int cpu;
		enum uffd_handler_kind kind;
	} cases[] = {
		{ "uffd", other, UFFD_BLOCKING },
		{ "uffd-spin", other, UFFD_SPINNING },
		{ "uffd-same", self, UFFD_BLOCKING },
	};
	bool ok = true;

	if (other < 0 && !quiet)
		printf("one CPU online: the userfaultfd handler can only share it\n");
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		struct fault_figures uf;

		if (cases[i].cpu < 0)
			continue;
		memset(&uf, 0, sizeof(uf));
		progress_sub(cases[i].name);
		uffd_run(n, cases[i].name, cases[i].cpu, cases[i].kind, &uf);
		if (uf.ops == 0)
			return true;   /* no userfaultfd here: said, not a failure */
		fault_print_fig(&uf, json, csv, quiet);
		ok &= uf.ok;
		if (cold_p50 != 0)
			ratio[i] = (double)uf.p50 / (double)cold_p50;
	}
	return ok;
}

/* ---------------------------------------------------- cold vs first touch */

/*
 * The cold and first-touch cases, --repeat rounds of each, alternating:
 * round k's cold case on a fresh never-touched region with the device (and
 * the worker lcore) started, then its first touch with them stopped, so
 * that each round's ratio pairs two measurements moments apart and a slow
 * phase of the host falls on both. The rows are the rounds' medians.
 */
struct cold_rounds {
	unsigned int n;
	struct fault_figures cold[BENCH_REPEAT_MAX], touch[BENCH_REPEAT_MAX];
	struct fault_figures amid[BENCH_REPEAT_MAX];
	double ratio[BENCH_REPEAT_MAX];    /* cold p50 / first-touch p50 */
	double resolve[BENCH_REPEAT_MAX];  /* cold resolve p50 / first-touch p50 */
	double amid_ratio[BENCH_REPEAT_MAX];  /* cold p50 / touch-amid p50 */
	double amid_touch[BENCH_REPEAT_MAX];  /* touch-amid p50 / first-touch p50 */
	struct fault_figures cold_med, touch_med, amid_med;
};

/* out: the median of each figure of the n rounds f, every round's verdict. */
static void
fig_median(struct fault_figures *out, const struct fault_figures *f, unsigned int n)
{
	double v[7][BENCH_REPEAT_MAX];

	*out = f[0];
	for (unsigned int i = 0; i < n; i++) {
		v[0][i] = f[i].seconds;
		v[1][i] = (double)f[i].requests;
		v[2][i] = (double)f[i].p50;
		v[3][i] = (double)f[i].p99;
		v[4][i] = (double)f[i].p999;
		v[5][i] = (double)f[i].max;
		v[6][i] = (double)f[i].resolve_p50;
		out->ok &= f[i].ok;
	}
	out->seconds = bench_median(v[0], n);
	out->requests = (uint64_t)bench_median(v[1], n);
	out->p50 = (uint64_t)bench_median(v[2], n);
	out->p99 = (uint64_t)bench_median(v[3], n);
	out->p999 = (uint64_t)bench_median(v[4], n);
	out->max = (uint64_t)bench_median(v[5], n);
	out->resolve_p50 = (uint64_t)bench_median(v[6], n);
}

/* A round's p50 over another's, NaN when the other measured nothing. */
static double
p50_over(uint64_t num, uint64_t den)
{
	return den != 0 ? (double)num / (double)den : NAN;
}

/* Start the device and, when one runs the fault queue, the worker lcore. */
static int
cold_start(int16_t dev, int worker_lcore, const char *name)
{
	if (dev_setup(dev) != 0) {
		printf("cannot set up %s\n", name);
		return -EINVAL;
	}
	if (worker_lcore >= 0 &&
	    rte_sva_fault_worker_start((unsigned int)worker_lcore) != 0) {
		printf("cannot start the fault worker on lcore %d (an EAL worker lcore, not the main one)\n",
		       worker_lcore);
		rte_sva_stop(dev);
		return -EINVAL;
	}
	return 0;
}

static void
cold_stop(int16_t dev, int worker_lcore)
{
	if (worker_lcore >= 0)
		rte_sva_fault_worker_stop();
	rte_sva_stop(dev);
}

/* The rounds; r: the last round's cold region, left mapped (the cases
 * after it reuse it). 0, or <0 when the device or memory failed (said). */
static int
cold_touch_rounds(int16_t dev, int worker_lcore, const char *name, uint64_t n,
		  uint8_t *src, struct region *r, struct cold_rounds *cr)
{
	for (unsigned int k = 0; k < cr->n; k++) {
		struct fault_figures *f = &cr->cold[k];
		char sub[32];
		int ret;

		if (r->base != NULL)
			munmap(r->base, n * PG);
		r->pages = n;
		r->base = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r->base == MAP_FAILED) {
			r->base = NULL;
			printf("cold: cannot map %" PRIu64 " pages\n", n);
			return -ENOMEM;
		}
		/* One page request per cold copy: with transparent huge pages
		 * "always" (the lab guest), the resolver's first touch would
		 * bring a 2 MiB page in and its 511 neighbours would never
		 * fault. */
		madvise(r->base, n * PG, MADV_NOHUGEPAGE);
		ret = cold_start(dev, worker_lcore, name);
		if (ret != 0)
			return ret;
		/* one in flight, every op one page request */
		memset(f, 0, sizeof(*f));
		f->name = "cold";
		progress_sub(bench_round_label(sub, sizeof(sub), "cold", k, cr->n));
		fault_measure(dev, worker_lcore < 0, n, src, region_page, r, 1, f);
		f->ok &= f->requests >= n && memcmp(r->base + (n - 1) * PG, src, PG) == 0;
		/* the CPU's fault amid the same loop, the device still up;
		 * its copies go to the cold region's first page, present */
		memset(&cr->amid[k], 0, sizeof(cr->amid[k]));
		progress_sub(bench_round_label(sub, sizeof(sub), "touch-amid", k, cr->n));
		fault_touch_amid_run(dev, worker_lcore < 0, n, src, r->base, &cr->amid[k]);
		/* the next round's region may take these addresses */
		rte_sva_cache_invalidate(dev, &(struct rte_sva_cache_inv){
			.cache = RTE_SVA_INV_DEV_IOTLB,
			.granularity = RTE_SVA_INV_GRANU_ADDR, .pasid = bench_pasid,
			.addr = (uintptr_t)r->base, .granule_size = PG,
			.nb_granules = n });
		cold_stop(dev, worker_lcore);
		memset(&cr->touch[k], 0, sizeof(cr->touch[k]));
		progress_sub(bench_round_label(sub, sizeof(sub), "first-touch", k, cr->n));
		fault_first_touch_run(n, &cr->touch[k]);
		cr->ratio[k] = p50_over(f->p50, cr->touch[k].p50);
		cr->amid_ratio[k] = p50_over(f->p50, cr->amid[k].p50);
		/* a resolve or touch-amid not measured is no ratio either */
		cr->resolve[k] = f->resolve_p50 != 0 ?
			p50_over(f->resolve_p50, cr->touch[k].p50) : NAN;
		cr->amid_touch[k] = cr->amid[k].p50 != 0 ?
			p50_over(cr->amid[k].p50, cr->touch[k].p50) : NAN;
	}
	fig_median(&cr->cold_med, cr->cold, cr->n);
	fig_median(&cr->touch_med, cr->touch, cr->n);
	fig_median(&cr->amid_med, cr->amid, cr->n);
	return 0;
}

/* The ratio row: the cold round trip over the CPU's first touch (issue
 * 14's floor: the target is <= 1.25x), the median of the rounds' own
 * ratios, and the userfaultfd cases over the cold round trip when they
 * ran. JSON only: no CSV row (not a case). */
static void
ratio_row(const struct cold_rounds *cr, const double uffd[3], FILE *json,
	  bool quiet)
{
	const uint64_t cold_p50 = cr->cold_med.p50, touch_p50 = cr->touch_med.p50;
	double touch = bench_median(cr->ratio, cr->n);

	if (cold_p50 == 0)
		return;
	if (isnan(touch))
		touch = 0;
	if (!quiet && cr->n > 1) {
		/* the rounds' ratios in order, their median in the middle */
		double sorted[BENCH_REPEAT_MAX];
		unsigned int m = bench_sorted(sorted, cr->ratio, cr->n);

		printf("cold page request round trip vs CPU first-touch fault, p50: %.2fx "
		       "(median of %u:", touch, m);
		for (unsigned int i = 0; i < m; i++)
			printf(" %.2f", sorted[i]);
		printf("; rows: medians %.2f us / %.2f us)\n", cold_p50 / 1e3,
		       touch_p50 / 1e3);
	} else if (!quiet) {
		printf("cold page request round trip vs CPU first-touch fault, p50: %.2fx "
		       "(%.2f us / %.2f us)\n", touch, cold_p50 / 1e3, touch_p50 / 1e3);
	}
	if (!quiet && cr->cold_med.resolve_p50 != 0) {
		/* Where the round trip goes: the resolver's own time is the
		 * kernel's fault taken by the worker (the default resolver
		 * touches the page), the rest the framework's (record to
		 * dequeue, group handling, response). Both medians come
		 * from the same histogram buckets, so the difference is
		 * good to a bucket (under 12.5%). Its ratio to the first
		 * touch is the median of the rounds' own, as the line above. */
		double resolve = bench_median(cr->resolve, cr->n);

		printf("of the cold round trip's p50, the resolve alone (the worker's fault-in): "
		       "p50 %.2f us (%.2fx the first touch); the rest, the framework's: ~%.2f us\n",
		       cr->cold_med.resolve_p50 / 1e3, isnan(resolve) ? 0 : resolve,
		       cold_p50 > cr->cold_med.resolve_p50 ?
		       (cold_p50 - cr->cold_med.resolve_p50) / 1e3 : 0);
	}
	if (!quiet && cr->amid_med.p50 != 0) {
		/* The same CPU fault with the producer's loop between two
		 * (touch-amid): what the code around a fault costs it, and
		 * the round trip over that, the framework's own share. */
		double amid = bench_median(cr->amid_ratio, cr->n);
		double loop = bench_median(cr->amid_touch, cr->n);

		printf("cold page request round trip vs CPU first-touch fault amid the producer's "
		       "loop (touch-amid), p50: %.2fx (%.2f us; touch-amid itself %.2fx first-touch)\n",
		       isnan(amid) ? 0 : amid, cr->amid_med.p50 / 1e3, isnan(loop) ? 0 : loop);
	}
	if (!quiet) {
		if (uffd[0] != 0)
			printf("cold page request round trip vs userfaultfd fault, p50: %.1fx faster "
			       "(handler spinning: %.1fx, on the faulting CPU: %.1fx)\n",
			       uffd[0], uffd[1], uffd[2]);
	}
	if (json == NULL)
		return;
	fprintf(json, "{\"mode\":\"fault\",\"case\":\"ratio\","
		"\"prq_p50_over_first_touch_p50\":%.3f,\"cold_resolve_p50_us\":%.3f,",
		touch, cr->cold_med.resolve_p50 / 1e3);
	output_json_ratio(json, "prq_p50_over_touch_amid_p50",
			  bench_median(cr->amid_ratio, cr->n));
	fprintf(json, ",");
	output_json_ratio(json, "touch_amid_p50_over_first_touch_p50",
			  bench_median(cr->amid_touch, cr->n));
	fprintf(json, ",\"rounds\":[");
	for (unsigned int i = 0; i < cr->n; i++) {
		fprintf(json, "%s{\"cold_p50_us\":%.3f,\"cold_resolve_p50_us\":%.3f,"
			"\"first_touch_p50_us\":%.3f,\"touch_amid_p50_us\":%.3f,"
			"\"prq_p50_over_first_touch_p50\":",
			i ? "," : "", cr->cold[i].p50 / 1e3,
			cr->cold[i].resolve_p50 / 1e3, cr->touch[i].p50 / 1e3,
			cr->amid[i].p50 / 1e3);
		if (isnan(cr->ratio[i]))
			fprintf(json, "null}");
		else
			fprintf(json, "%.3f}", cr->ratio[i]);
	}
	fprintf(json, "]");
	if (uffd[0] != 0)
		fprintf(json, ",\"uffd_p50_over_prq_p50\":%.3f,"
			"\"uffd_spin_p50_over_prq_p50\":%.3f,"
			"\"uffd_same_cpu_p50_over_prq_p50\":%.3f",
			uffd[0], uffd[1], uffd[2]);
	fprintf(json, "}\n");
}

/* --------------------------------------------------------------- cases */

int
bench_fault_run(const struct bench_opts *o, int16_t dev, int worker_lcore,
		FILE *json, FILE *csv)
{
	static const double rates[] = { 0.0, 0.01, 0.1, 0.5, 1.0 };
	static struct cold_rounds cr;
	const uint64_t n = o->fault_ops;
	struct rte_sva_info info;
	struct fault_figures f;
	double uffd_ratio[3] = { 0 };
	struct region r = { 0 };
	struct mix m = { 0 };
	uint8_t *src = NULL;
	bool serve = worker_lcore < 0, all_ok = true, started = false;
	char name[32];
	int ret = 0;

	if (rte_sva_info_get(dev, &info) != 0 ||
	    !(info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST)) {
		printf("fault mode needs a device with page requests: --vdev=sva_sim0,pri=1\n");
		return -ENOTSUP;
	}
	memset(&cr, 0, sizeof(cr));
	cr.n = bench_rounds(o);
	src = aligned_alloc(PG, PG);
	m.hot = aligned_alloc(PG, 64 * PG);
	if (src == NULL || m.hot == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	memset(src, 0x5a, PG);
	memset(m.hot, 0, 64 * PG);
	progress_clear();
	if (!o->quiet) {
		printf("fault mode on %s, worker %s, %" PRIu64 " operations of 4 KiB per case\n",
		       info.dev_name, serve ? "polling in the producer loop" : "on an lcore", n);
		if (cr.n > 1)
			printf("cold and first-touch: medians of %u rounds, alternating "
			       "(a fresh region each); the other cases once\n", cr.n);
		printf("%-12s %9s %11s %11s %9s %9s %9s %9s\n", "case", "ops", "ops/s",
		       "PRQ/s", "rt p50us", "p99us", "p99.9us", "maxus");
	}

	/* cold and first-touch, alternating; cold printed here, first-touch
	 * in its place after the cases of several devices */
	ret = cold_touch_rounds(dev, worker_lcore, info.dev_name, n, src, &r, &cr);
	if (ret != 0)
		goto out;
	fault_print_fig(&cr.cold_med, json, csv, o->quiet);
	all_ok &= cr.cold_med.ok;
	ret = cold_start(dev, worker_lcore, info.dev_name);
	if (ret != 0)
		goto out;
	started = true;

	/* dontneed: drop the pages, invalidate the device's cache, again */
	memset(&f, 0, sizeof(f));
	f.name = "dontneed";
	progress_sub(f.name);
	madvise(r.base, n * PG, MADV_DONTNEED);
	{
		struct rte_sva_cache_inv inv = {
			.cache = RTE_SVA_INV_DEV_IOTLB,
			.granularity = RTE_SVA_INV_GRANU_ADDR,
			.pasid = bench_pasid, .addr = (uintptr_t)r.base,
			.granule_size = PG, .nb_granules = n,
		};

		rte_sva_cache_invalidate(dev, &inv);
	}
	fault_measure(dev, serve, n, src, region_page, &r, 1, &f);
	f.ok &= f.requests >= n;
	fault_print_fig(&f, json, csv, o->quiet);
	all_ok &= f.ok;

	/* injected fault rate sweep, a window of 32 in flight */
	m.cold.pages = n;
	m.cold.base = r.base;
	for (unsigned int i = 0; i < RTE_DIM(rates); i++) {
		memset(&f, 0, sizeof(f));
		snprintf(name, sizeof(name), "rate=%g", rates[i]);
		f.name = name;
		progress_sub(name);
		madvise(r.base, n * PG, MADV_DONTNEED);
		invalidate_pasid(dev);
		m.cold_every = rates[i] > 0 ? (uint32_t)(1.0 / rates[i] + 0.5) : 0;
		m.next_cold = 0;
		fault_measure(dev, serve, n, src, mix_page, &m, 32, &f);
		fault_print_fig(&f, json, csv, o->quiet);
		all_ok &= f.ok;
	}

	/* miss: present pages the device has not cached; page requests come
	 * only from devices that raise them on every translation miss
	 * (sva_sim prq_all_misses=1): the worker's own throughput. */
	memset(&f, 0, sizeof(f));
	f.name = "miss";
	progress_sub(f.name);
	memset(r.base, 1, n * PG);
	invalidate_pasid(dev);
	fault_measure(dev, serve, n, src, region_page, &r, 32, &f);
	fault_print_fig(&f, json, csv, o->quiet);
	if (f.requests == 0 && !o->quiet)
		printf("miss: no page requests: this device raises them only for "
		       "absent pages; sva_sim raises one on every translation "
		       "miss with prq_all_misses=1\n");
	all_ok &= f.ok;

	/* advise, warm: a fresh region advised before the burst */
	all_ok &= fault_advise_cases(dev, serve, n, json, csv, o->quiet);

out:
	if (started)
		cold_stop(dev, worker_lcore);
	/* The baselines run with the device stopped, so that its engine does
	 * not share a CPU with the faulting thread or the userfaultfd
	 * handler; so do the cases of several devices on one worker. */
	if (ret == 0) {
		all_ok &= fault_multi_cases(o, dev, json, csv);
		fault_print_fig(&cr.touch_med, json, csv, o->quiet);
		fault_print_fig(&cr.amid_med, json, csv, o->quiet);
		all_ok &= cr.touch_med.ok && cr.amid_med.ok;
		all_ok &= uffd_cases(n, cr.cold_med.p50, json, csv, o->quiet,
				     uffd_ratio);
		ratio_row(&cr, uffd_ratio, json, o->quiet);
		/* Through the real kernel, when it has the iommufd mock. */
		all_ok &= fault_iommufd_case(o, worker_lcore, json, csv);
	}
	progress_clear();
	if (r.base != NULL)
		munmap(r.base, n * PG);
	free(src);
	free(m.hot);
	if (ret != 0)
		return ret;
	return all_ok ? 0 : 1;
}
