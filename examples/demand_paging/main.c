/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_demand_paging: the device reads memory nobody has loaded yet.
 *
 * A 256 MiB region is reserved (mmap, MAP_NORESERVE) and never touched by
 * the CPU. Its content is defined by a function of the page index: the
 * stand-in for "loaded from a file or the network on demand". The device
 * (sva_sim with pri=1) copies a scattered set of pages of the region into
 * a malloc'd buffer and computes their CRC32C, with
 * RTE_SVA_OP_FLAG_BLOCK_ON_FAULT: each absent page it meets becomes a page
 * request, the fault handler registered for the region "loads" the page
 * (fills it) and answers SUCCESS, and the device resumes. Only the pages
 * the device asked for are ever loaded.
 *
 * The fault path runs on an EAL worker lcore when one is given (-l 0,1),
 * else the completion loop polls it with rte_sva_fault_process().
 *
 *   ./sva_demand_paging --no-huge -m 256 --no-pci --no-shconf \
 *       --vdev=sva_sim0,pri=1 [-l 0,1] [-- EXTENTS]
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_fault.h>

#define REGION_SIZE (256ull << 20)
#define SLOT_PAGES 16u          /* one extent per slot: never overlap */
#define MAX_EXTENT_PAGES 4u
#define RING 512u

static size_t pg;               /* page size */
static uint8_t *region;         /* the lazily loaded region */
static uint64_t handler_calls;  /* written by the fault path */
static uint64_t handler_bad;    /* requests outside the region */

struct extent {
	uint64_t first_page;    /* page index in the region */
	uint32_t pages;
	uint32_t crc;           /* expected CRC32C */
	uint8_t *dst;
};

/* The content of the region: word w of page p. Any pure function of the
 * page index will do; this one makes every byte depend on page and offset. */
static inline uint64_t
content_word(uint64_t page, uint64_t w)
{
	uint64_t x = page * 0x9e3779b97f4a7c15ull + w * 0xbf58476d1ce4e5b9ull + 1;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 29;
	return x;
}

/* "Load" page p into place (what a read from a file would do). */
static void
load_page(uint64_t page, uint8_t *to)
{
	uint64_t *w = (uint64_t *)(void *)to;

	for (size_t i = 0; i < pg / 8; i++)
		w[i] = content_word(page, i);
}

/*
 * The fault handler: called by the fault path for every page request in
 * [region, region + REGION_SIZE). The page is absent (the device found it
 * so); filling it makes it present, then SUCCESS tells the device to
 * translate again and go on.
 */
static int
load_on_demand(const struct rte_sva_fault *f, void *arg)
{
	uint8_t *base = arg;
	uint64_t off = f->addr - (uintptr_t)base;

	if (f->addr < (uintptr_t)base || off >= REGION_SIZE) {
		__atomic_fetch_add(&handler_bad, 1, __ATOMIC_RELAXED);
		return RTE_SVA_PAGE_RESP_INVALID;
	}
	off &= ~(uint64_t)(pg - 1);
	load_page(off / pg, base + off);
	__atomic_fetch_add(&handler_calls, 1, __ATOMIC_RELAXED);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* CRC32C (Castagnoli), the device's convention: seed 0 to start. */
static uint32_t crc_table[256];

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
		crc_table[i] = c;
	}
}

static uint32_t
crc32c(uint32_t seed, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t crc = ~seed;

	while (n--)
		crc = (crc >> 8) ^ crc_table[(crc ^ *b++) & 0xff];
	return ~crc;
}

/* Region pages the kernel has in memory (mincore). */
static long
resident_pages(void)
{
	size_t n = REGION_SIZE / pg;
	unsigned char *vec = malloc(n);
	long count = 0;

	if (vec == NULL || mincore(region, REGION_SIZE, vec) != 0) {
		free(vec);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	free(vec);
	return count;
}

/*
 * Copy every extent into its place in dst with copy+CRC32C, blocking on
 * faults, polling the fault path here unless a worker lcore does it.
 * Returns the number of extents that completed wrong (or -1 on timeout).
 */
static int
run_pass(int16_t dev, uint32_t pasid, struct extent *ext, uint32_t n,
	 bool poll_faults)
{
	const uint64_t flags = RTE_SVA_OP_FLAG_BLOCK_ON_FAULT;
	struct rte_sva_result res[32];
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
	uint32_t enq = 0, done = 0;
	int bad = 0;

	while (done < n) {
		uint32_t before = enq;

		while (enq < n) {
			struct extent *e = &ext[enq];
			int ret = rte_sva_copy_crc32c(dev, 0, pasid,
					region + e->first_page * pg, e->dst, 0,
					e->pages * (uint32_t)pg, flags);

			if (ret == -ENOSPC)
				break;  /* ring full: reap first */
			if (ret < 0) {
				fprintf(stderr, "enqueue: %s\n", strerror(-ret));
				return -1;
			}
			enq++;
		}
		if (enq != before)
			rte_sva_submit(dev, 0);
		if (poll_faults)
			rte_sva_fault_process(dev, 64);
		uint16_t got = rte_sva_completed_results(dev, 0, RTE_DIM(res),
							 NULL, res);
		/* Completions come back in order: the k-th is extent done+k. */
		for (uint16_t k = 0; k < got; k++, done++) {
			struct extent *e = &ext[done];

			if (res[k].status != RTE_SVA_STATUS_SUCCESS) {
				if (bad++ < 5)
					fprintf(stderr, "extent %u (page %" PRIu64 "): %s at %#" PRIx64 "\n",
						done, e->first_page,
						rte_sva_status_str(res[k].status),
						res[k].fault_addr);
			} else if (res[k].crc != e->crc) {
				if (bad++ < 5)
					fprintf(stderr, "extent %u: CRC 0x%08x, want 0x%08x\n",
						done, res[k].crc, e->crc);
			}
		}
		if (got == 0 && rte_get_timer_cycles() > deadline) {
			fprintf(stderr, "timeout: %u of %u completed\n", done, n);
			return -1;
		}
		/* Nothing yet: with a worker lcore doing the fault path, give
		 * the CPU away in case the device engine shares ours. */
		if (got == 0) {
			if (poll_faults)
				rte_pause();
			else
				sched_yield();
		}
	}
	return bad;
}

int
main(int argc, char **argv)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = RING,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_fault_stats st;
	struct rte_sva_info info;
	struct extent *ext;
	uint32_t pasid, nb_ext = 256, slots;
	uint64_t total_pages = 0, t0, t1, wrong_bytes = 0, req_first;
	unsigned int worker;
	long resident;
	uint8_t *dst;
	int16_t dev;
	int ret, cid, bad;
	bool use_worker;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	pg = (size_t)sysconf(_SC_PAGESIZE);
	slots = (uint32_t)(REGION_SIZE / pg / SLOT_PAGES);
	if (argc - ret > 1)
		nb_ext = (uint32_t)strtoul(argv[ret + 1], NULL, 0);
	if (nb_ext == 0 || nb_ext > slots) {
		fprintf(stderr, "EXTENTS must be 1..%u\n", slots);
		return 1;
	}

	dev = rte_sva_next_dev(0);
	if (dev < 0 || rte_sva_info_get(dev, &info) != 0) {
		fprintf(stderr, "no SVA device: add --vdev=sva_sim0,pri=1\n");
		return 1;
	}
	if (!(info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST) ||
	    !(info.dev_capa & RTE_SVA_CAPA_BLOCK_ON_FAULT)) {
		fprintf(stderr, "%s raises no page requests: use --vdev=sva_sim0,pri=1\n",
			info.dev_name);
		return 1;
	}

	/* 1. The region: address space only. MADV_NOHUGEPAGE matters: with
	 * THP a handler's write to one page would make the whole 2 MiB around
	 * it present (zeroes) and the device would never ask for those pages. */
	region = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(region, REGION_SIZE, MADV_NOHUGEPAGE);
	ret = rte_sva_fault_handler_register((uintptr_t)region, REGION_SIZE,
					     load_on_demand, region);
	if (ret != 0) {
		fprintf(stderr, "fault handler: %s\n", strerror(-ret));
		return 1;
	}

	/* 2. A scattered set of extents of 1..4 pages: one per 16-page slot,
	 * slots visited in a scrambled order (odd multiplier, power-of-two
	 * modulus: a permutation), so no two extents share a page. */
	ext = calloc(nb_ext, sizeof(*ext));
	if (ext == NULL)
		return 1;
	for (uint32_t i = 0; i < nb_ext; i++) {
		uint64_t h = content_word(i, 12345);
		uint32_t slot = (uint32_t)(((uint64_t)i * 2654435761u + 17) % slots);

		ext[i].pages = 1 + (uint32_t)(h % MAX_EXTENT_PAGES);
		ext[i].first_page = (uint64_t)slot * SLOT_PAGES +
			(h >> 8) % (SLOT_PAGES - ext[i].pages + 1);
		total_pages += ext[i].pages;
	}
	/* The destination: plain malloc, written here so that its pages are
	 * present and every page request is one for the region. (Not with
	 * zeroes: the compiler would make malloc+memset(0) a calloc, which
	 * leaves fresh pages untouched.) */
	dst = malloc(total_pages * pg);
	if (dst == NULL)
		return 1;
	memset(dst, 0xa5, total_pages * pg);
	crc_init();
	{
		uint8_t *d = dst, *page = malloc(pg);

		for (uint32_t i = 0; i < nb_ext; i++) {
			uint32_t crc = 0;

			ext[i].dst = d;
			for (uint32_t p = 0; p < ext[i].pages; p++) {
				load_page(ext[i].first_page + p, page);
				crc = crc32c(crc, page, pg);
			}
			ext[i].crc = crc;
			d += ext[i].pages * pg;
		}
		free(page);
	}

	/* 3. Bind, one dedicated queue, start. */
	cid = rte_sva_container_create();
	if (cid < 0 || rte_sva_container_add_dev(cid, dev) != 0 ||
	    rte_sva_bind(cid, 0, &pasid) != 0) {
		fprintf(stderr, "cannot bind this process\n");
		return 1;
	}
	if (rte_sva_configure(dev, &conf) != 0 ||
	    rte_sva_queue_setup(dev, 0, &qconf) != 0 || rte_sva_start(dev) != 0) {
		fprintf(stderr, "cannot start the device\n");
		return 1;
	}
	rte_sva_fault_stats_reset(dev);

	/* 4. The fault path: a worker lcore if we have one. */
	worker = rte_get_next_lcore(-1, 1, 0);
	use_worker = worker < RTE_MAX_LCORE;
	if (use_worker && rte_sva_fault_worker_start(worker) != 0) {
		fprintf(stderr, "cannot start the fault worker on lcore %u\n", worker);
		return 1;
	}

	printf("region: %llu MiB at %p, %zu pages of %zu bytes, %ld resident\n",
	       REGION_SIZE >> 20, (void *)region, (size_t)(REGION_SIZE / pg), pg,
	       resident_pages());
	printf("device %s, PASID %u; fault path: %s %u\n", info.dev_name, pasid,
	       use_worker ? "worker on lcore" : "polled by the main lcore",
	       use_worker ? worker : rte_lcore_id());
	printf("copy+CRC32C of %u extents (%" PRIu64 " pages, %" PRIu64 " KiB) scattered over the region, block-on-fault\n",
	       nb_ext, total_pages, total_pages * pg >> 10);

	/* 5. Cold pass: every page is a page request. */
	t0 = rte_get_timer_cycles();
	bad = run_pass(dev, pasid, ext, nb_ext, !use_worker);
	t1 = rte_get_timer_cycles();
	if (rte_sva_fault_stats_get(dev, &st) != 0)
		memset(&st, 0, sizeof(st));
	req_first = st.requests;
	resident = resident_pages();

	/* 6. Verify every byte against the content function. */
	{
		uint8_t *page = malloc(pg);

		for (uint32_t i = 0; i < nb_ext && bad >= 0; i++)
			for (uint32_t p = 0; p < ext[i].pages; p++) {
				const uint8_t *got = ext[i].dst + p * pg;

				load_page(ext[i].first_page + p, page);
				if (memcmp(got, page, pg) != 0)
					for (size_t b = 0; b < pg; b++)
						wrong_bytes += got[b] != page[b];
			}
		free(page);
	}

	printf("cold pass: %.2f ms, %s\n",
	       (double)(t1 - t0) * 1e3 / (double)rte_get_timer_hz(),
	       bad == 0 ? "all completed SUCCESS, CRCs match" :
	       bad < 0 ? "TIMEOUT" : "ERRORS");
	printf("  pages touched by the device: %" PRIu64 " (of the region)\n", total_pages);
	printf("  handler calls:               %" PRIu64 "%s\n",
	       __atomic_load_n(&handler_calls, __ATOMIC_RELAXED),
	       handler_bad ? " (some outside the region!)" : "");
	printf("  page requests:               %" PRIu64 " in %" PRIu64 " groups (success %" PRIu64
	       ", invalid %" PRIu64 ", device-answered %" PRIu64 ")\n",
	       st.requests, st.groups, st.resp_success, st.resp_invalid,
	       st.device_invalid);
	printf("  round trip (request -> response): p50 %.1f us, p99 %.1f us\n",
	       rte_sva_fault_hist_percentile(&st, 50) / 1e3,
	       rte_sva_fault_hist_percentile(&st, 99) / 1e3);
	printf("  region pages resident now:   %ld of %zu\n", resident,
	       (size_t)(REGION_SIZE / pg));

	/* 7. Warm pass: the same pages are present now; no new request. */
	if (bad == 0)
		bad = run_pass(dev, pasid, ext, nb_ext, !use_worker);
	if (rte_sva_fault_stats_get(dev, &st) != 0)
		memset(&st, 0, sizeof(st));
	printf("warm pass (same extents again): %s, %" PRIu64 " new page requests\n",
	       bad == 0 ? "SUCCESS" : "ERRORS", st.requests - req_first);

	ret = bad == 0 && wrong_bytes == 0 && handler_bad == 0 &&
	      handler_calls == total_pages && req_first == total_pages &&
	      st.requests == req_first && resident == (long)total_pages;
	printf("data: %" PRIu64 " bytes %s\n", total_pages * pg,
	       ret ? "verified" : "WRONG");
	if (wrong_bytes)
		printf("  %" PRIu64 " bytes differ\n", wrong_bytes);

	if (use_worker)
		rte_sva_fault_worker_stop();
	rte_sva_stop(dev);
	rte_sva_fault_handler_unregister((uintptr_t)region);
	rte_sva_container_destroy(cid);
	munmap(region, REGION_SIZE);
	free(dst);
	free(ext);
	rte_eal_cleanup();
	return ret ? 0 : 1;
}
