/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_SVA_FAULT_PRIV_H
#define TEST_SVA_FAULT_PRIV_H

/* What fault mode's files share: fault.c (the device and userfaultfd
 * cases), fault_touch.c (the CPU's own faults), fault_iommufd.c (the round
 * trip through the kernel), fault_multi.c (one worker, several devices)
 * and fault_advise.c (advised regions). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_sva_fault.h>

#include "test_sva.h"

/* Figures of one fault case: one table row, CSV row and JSON object. */
struct fault_figures {
	const char *name;
	uint64_t ops, requests;
	double seconds;
	uint64_t p50, p99, p999, max;   /* ns */
	/* p50 of the resolves alone (rte_sva_fault_resolve_percentile()): the
	 * worker's fault-in of each page, inside the round trip; 0 where no
	 * page request was resolved. */
	uint64_t resolve_p50;
	bool ok;
	/* worker=N and idle=N (fault_multi.c): the fault queues polled, and
	 * the time of one poll over them when idle; 0 in the other cases. */
	unsigned int queues;
	double poll_ns;
};

/* Print one case as a table row (not when quiet), a JSON object and a CSV
 * row (when the files are open). */
void fault_print_fig(const struct fault_figures *f, FILE *json, FILE *csv, bool quiet);

/* Percentiles of n samples (ns) into f, nearest rank; sorts lat. */
void fault_fig_percentiles(struct fault_figures *f, uint64_t *lat, uint64_t n);

/* The round-trip percentiles (ns) of a fault counter snapshot's histogram
 * into f (fault.c). */
void fault_fig_hist(struct fault_figures *f, const struct rte_sva_fault_stats *st);

/* One case (fault.c): the fault counters reset, n copies of the page src
 * streamed with up to window in flight, dst(i, arg) each one's destination
 * (serve: the fault queue polled here, when no worker lcore does), timed;
 * f's ops, seconds, requests and percentiles filled, f->ok false if a copy
 * was refused or failed. f->name is set by the caller. */
void fault_measure(int16_t dev, bool serve, uint64_t n, uint8_t *src,
		   uint8_t *(*dst)(uint64_t i, void *arg), void *arg, uint16_t window,
		   struct fault_figures *f);

/* Case first-touch (fault_touch.c): the CPU's first write to each of n
 * pages of a fresh region, one after the other; f's ops, seconds and
 * percentiles (through the fault histogram's buckets) filled, f->ok false
 * if memory failed. */
void fault_first_touch_run(uint64_t n, struct fault_figures *f);

/* Case touch-amid (fault_touch.c): the same n first writes, each followed
 * by one 4 KiB copy of src into warm (a page present and cached) through
 * dev (started), submitted and reaped (serve: its fault queue polled
 * meanwhile); f->ok false if a copy failed. */
void fault_touch_amid_run(int16_t dev, bool serve, uint64_t n, uint8_t *src,
			  uint8_t *warm, struct fault_figures *f);

/* The iommufd-mock case (fault_iommufd.c) as o->fault_backend asks: run
 * when the kernel has the mock, else one line saying why it is skipped.
 * worker_lcore >= 0: a fault worker there answers; else this thread.
 * @return false if it ran and failed (a request unanswered, a response
 * refused or lost, a page not mapped). */
bool fault_iommufd_case(const struct bench_opts *o, int worker_lcore,
			FILE *json, FILE *csv);

/* The cases of one worker serving several devices (fault_multi.c):
 * worker=N (page requests on present pages through N fault queues) and
 * idle=N (one poll over N idle queues), N = 1, 2, 4, 8 up to the devices
 * with page requests, dev first. Run with the devices stopped.
 * @return false if a case failed (a request not answered once, SUCCESS). */
bool fault_multi_cases(const struct bench_opts *o, int16_t dev, FILE *json, FILE *csv);

/* The advise cases (fault_advise.c): a fresh region advised, then copied
 * into (case advise: no page request), and again (case warm), printed as
 * the other cases. Device started; serve: poll its fault queue here.
 * @return false if a case failed (page requests after advice, a copy
 * failed, bytes wrong). */
bool fault_advise_cases(int16_t dev, bool serve, uint64_t n, FILE *json, FILE *csv,
			bool quiet);

#endif
