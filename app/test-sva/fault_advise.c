/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fault mode's advise cases (rte_sva_advise.h): page requests that need
 * not happen.
 *
 *  advise  a fresh region as large as the cold case's, never touched,
 *          advised (PREFETCH_WRITE | F_SYNC) and then copied into (from a
 *          page of its own, see round_run()), a
 *          window of 32 in flight: no page request, and throughput near
 *          the warm case's; the advise call itself is timed apart (a
 *          line of text: JSON and CSV keep one set of keys for every
 *          case)
 *  warm    the same region again, every page present and cached, after
 *          the same (now idle) advise call: the throughput the advised
 *          burst is compared to
 *
 * Both in 5 rounds, a fresh region each (the last one's unmapped and its
 * translations invalidated first), each row the median round by time: on
 * a shared 2-vCPU machine one burst of a few ms can lose its CPU for a
 * scheduler slice.
 *
 * Run with the device started, after the cold cases, in fault.c.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_sva_advise.h>
#include <rte_sva_iommu.h>

#include "fault_priv.h"
#include "test_sva.h"

#define PG     4096u
#define WINDOW 32u
#define ROUNDS 5u   /* each case's row: the median round (odd: a round's own) */

/* The i-th page of the burst's destination, dst (fault_measure()'s dst). */
static uint8_t *
advised_page(uint64_t i, void *dst)
{
	return (uint8_t *)dst + i * PG;
}

/* One case: fault.c's, WINDOW in flight, with the translation walks it
 * took and its first and last page's bytes checked. */
static void
measure(int16_t dev, bool serve, uint64_t n, uint8_t *src, uint8_t *dst,
	struct fault_figures *f, uint64_t *walks)
{
	struct rte_sva_stats ds;
	uint64_t miss0 = 0;

	if (rte_sva_stats_get(dev, RTE_SVA_ALL_QUEUES, &ds) == 0)
		miss0 = ds.atc_misses;
	fault_measure(dev, serve, n, src, advised_page, dst, WINDOW, f);
	if (rte_sva_stats_get(dev, RTE_SVA_ALL_QUEUES, &ds) == 0)
		*walks = ds.atc_misses - miss0;
	f->ok &= memcmp(dst + (n - 1) * PG, src, PG) == 0 && memcmp(dst, src, PG) == 0;
}

/* One round: a fresh region of n + 1 pages, its first page the source
 * (written by the CPU), the n others never touched; all of it advised,
 * the n copied into (advise), and again (warm); then unmapped and its
 * translations invalidated, as an application must before the next
 * round's region takes its addresses. The source inside the region keeps
 * every page of the burst in the advised range: a page from elsewhere
 * could share a translation-cache entry with one of the region's (sva_sim's
 * cache is direct mapped) and miss, which a device raising a request on
 * every miss (prq_all_misses=1) would turn into page requests. */
static bool
round_run(int16_t dev, bool serve, uint64_t n, struct fault_figures *adv,
	  struct fault_figures *warm, uint64_t *call_ns, uint64_t walks[2])
{
	const uint64_t len = (n + 1) * PG;
	uint8_t *r = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;
	int ret;

	if (r == MAP_FAILED) {
		printf("advise: no memory for %" PRIu64 " pages\n", n + 1);
		return false;
	}
	/* As the cold region: one 4 KiB page per request. */
	madvise(r, len, MADV_NOHUGEPAGE);
	memset(r, 0xa5, PG);
	t0 = rte_rdtsc();
	ret = rte_sva_advise(dev, bench_pasid, r, len,
			     RTE_SVA_ADVISE_PREFETCH_WRITE | RTE_SVA_ADVISE_F_SYNC);
	*call_ns = (rte_rdtsc() - t0) * 1000000000ull / rte_get_tsc_hz();
	if (ret != 0)
		printf("advise: rte_sva_advise() failed: %s\n", strerror(-ret));
	measure(dev, serve, n, r, r + PG, adv, &walks[0]);
	/* Zero page requests is what the advice is for. */
	adv->ok &= ret == 0 && adv->requests == 0;
	/* The same call before the warm burst (a no-op by now): both bursts
	 * then start after the control thread spent a while in the kernel
	 * and the engine idled, which on a loaded machine costs the first
	 * burst after it a scheduler slice or more. */
	rte_sva_advise(dev, bench_pasid, r, len,
		       RTE_SVA_ADVISE_PREFETCH_WRITE | RTE_SVA_ADVISE_F_SYNC);
	measure(dev, serve, n, r, r + PG, warm, &walks[1]);
	warm->ok &= warm->requests == 0;
	munmap(r, len);
	rte_sva_cache_invalidate(dev, &(struct rte_sva_cache_inv){
		.cache = RTE_SVA_INV_DEV_IOTLB, .granularity = RTE_SVA_INV_GRANU_ADDR,
		.pasid = bench_pasid, .addr = (uintptr_t)r, .granule_size = PG,
		.nb_granules = n + 1 });
	return ret == 0;
}

bool
fault_advise_cases(int16_t dev, bool serve, uint64_t n, FILE *json, FILE *csv,
		   bool quiet)
{
	struct fault_figures adv[ROUNDS], warm[ROUNDS];
	double adv_s[ROUNDS], warm_s[ROUNDS], call_ns[ROUNDS];
	uint64_t walks[2] = { 0 }, w[2] = { 0 }, ns = 0;
	struct fault_figures *pa = NULL, *pw = NULL;
	bool ok = true;
	double ma, mw;

	progress_sub("advise");
	for (unsigned int k = 0; k < ROUNDS; k++) {
		adv[k] = (struct fault_figures){ .name = "advise" };
		warm[k] = (struct fault_figures){ .name = "warm" };
		ok &= round_run(dev, serve, n, &adv[k], &warm[k], &ns, w);
		ok &= adv[k].ok && warm[k].ok;
		adv_s[k] = adv[k].seconds;
		warm_s[k] = warm[k].seconds;
		call_ns[k] = (double)ns;
		walks[0] += w[0];
		walks[1] += w[1];
	}
	/* Each row is its median round (by time); its verdict all rounds'. */
	ma = bench_median(adv_s, ROUNDS);
	mw = bench_median(warm_s, ROUNDS);
	for (unsigned int k = 0; k < ROUNDS; k++) {
		if (pa == NULL && adv[k].seconds == ma)
			pa = &adv[k];
		if (pw == NULL && warm[k].seconds == mw)
			pw = &warm[k];
	}
	pa->ok = pw->ok = ok;
	fault_print_fig(pa, json, csv, quiet);
	fault_print_fig(pw, json, csv, quiet);
	progress_clear();
	if (!quiet)
		printf("advise: medians of %u rounds: the call %.0f ns a page (%" PRIu64
		       " pages); the advised burst at %.2fx the warm one's ops/s, with %"
		       PRIu64 " page requests and %" PRIu64 " translation walks in all "
		       "(warm: %" PRIu64 ")\n", ROUNDS, bench_median(call_ns, ROUNDS) / n, n,
		       ma > 0 ? mw / ma : 0, pa->requests, walks[0], walks[1]);
	return ok;
}
