/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fault mode's CPU faults: what the cold page-request round trip is
 * compared to.
 *
 *  first-touch  the CPU's own fault of the kind of page a cold request
 *            brings in: the first write to each page of a fresh private
 *            anonymous region, page after page with nothing between (the
 *            floor of issue 14's target ratio)
 *  touch-amid  the same fault with the producer's loop between two: after
 *            each page, one 4 KiB copy through the device into a present
 *            page, submitted and reaped as the cold case does its copies
 *            (the work the cold case's worker thread does between two
 *            resolves, less the fault queue's). A CPU fault can cost
 *            more when other code ran just before it (measured standalone
 *            on the development VM: test_sva.rst), so the cold round trip
 *            over this case is the framework's own share, and this case
 *            over first-touch what the loop around a fault costs.
 *
 * Both timed with the TSC around the write and summed into the fault
 * histogram's buckets, as the round trip's percentiles are.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_sva.h>

#include "fault_priv.h"
#include "test_sva.h"

#define PG 4096u

/* Percentiles of n samples (ns) through the fault histogram's buckets, as
 * the cold round trip gets them (bucket upper bounds): exact percentiles
 * of a CPU fault beside bucketed ones of the round trip would bias their
 * ratio by up to a bucket. The buckets are log-linear, eight to an octave
 * from 16 ns (neighbouring bounds 1.07x to 1.13x apart); the library's
 * RTE_SVA_FAULT_HIST_BUCKETS and rte_sva_fault_hist_bucket_ns() say where
 * they lie, so nothing here assumes how many there are. */
static void
hist_percentiles(struct fault_figures *f, const uint64_t *lat, uint64_t n)
{
	struct rte_sva_fault_stats st = { 0 };

	for (uint64_t i = 0; i < n; i++) {
		unsigned int b = 0;

		while (b + 1 < RTE_SVA_FAULT_HIST_BUCKETS &&
		       lat[i] >= rte_sva_fault_hist_bucket_ns(b + 1))
			b++;
		st.hist[b]++;
	}
	fault_fig_hist(f, &st);
}

/* One reaped copy of src into warm (a present page), the fault queue
 * polled meanwhile when serve; false if it failed or never completed. */
static bool
amid_copy(int16_t dev, bool serve, uint8_t *src, uint8_t *warm)
{
	const uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz();
	uint16_t status;
	int ret;

	ret = rte_sva_copy(dev, 0, bench_pasid, src, warm, PG,
			   RTE_SVA_OP_FLAG_BLOCK_ON_FAULT);
	if (ret < 0) {
		printf("touch-amid: copy refused: %s\n", strerror(-ret));
		return false;
	}
	rte_sva_submit(dev, 0);
	while (rte_sva_completed_status(dev, 0, 1, NULL, &status) == 0) {
		if (serve)
			rte_sva_fault_process(dev, 64);
		if (rte_rdtsc() > deadline) {
			printf("touch-amid: a copy not completed in 1 s\n");
			return false;
		}
	}
	return status == RTE_SVA_STATUS_SUCCESS;
}

/* n first writes, one a page, of a fresh region (no huge pages, as the
 * cold region has none), timed; with dev >= 0 one copy through it after
 * each. */
static void
touch_run(const char *name, uint64_t n, int16_t dev, bool serve, uint8_t *src,
	  uint8_t *warm, struct fault_figures *f)
{
	uint64_t *lat = calloc(n, sizeof(*lat));
	double hz = rte_get_tsc_hz();
	uint8_t *area;
	uint64_t t0;
	bool ok = true;

	f->name = name;
	area = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (lat == NULL || area == MAP_FAILED) {
		printf("%s: cannot map %" PRIu64 " pages: %s\n", name, n,
		       strerror(errno));
		f->ok = false;
		free(lat);
		if (area != MAP_FAILED)
			munmap(area, n * PG);
		return;
	}
	madvise(area, n * PG, MADV_NOHUGEPAGE);
	t0 = rte_rdtsc();
	for (uint64_t i = 0; i < n && ok; i++) {
		uint64_t s = rte_rdtsc();

		*(volatile uint8_t *)(area + i * PG) = 0x5a;
		lat[i] = (uint64_t)((rte_rdtsc() - s) / hz * 1e9);
		if (dev >= 0)
			ok = amid_copy(dev, serve, src, warm);
	}
	f->seconds = (rte_rdtsc() - t0) / hz;
	f->ops = n;
	hist_percentiles(f, lat, n);
	/* every page written: the last one holds what was stored */
	f->ok = ok && area[(n - 1) * PG] == 0x5a &&
		(dev < 0 || memcmp(warm, src, PG) == 0);
	munmap(area, n * PG);
	free(lat);
}

void
fault_first_touch_run(uint64_t n, struct fault_figures *f)
{
	touch_run("first-touch", n, -1, false, NULL, NULL, f);
}

void
fault_touch_amid_run(int16_t dev, bool serve, uint64_t n, uint8_t *src,
		     uint8_t *warm, struct fault_figures *f)
{
	touch_run("touch-amid", n, dev, serve, src, warm, f);
}
