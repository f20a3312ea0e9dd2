/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Advise (rte_sva_advise.h): a cold region advised before a burst takes no
 * page request and the bytes land; every bad input is refused with its
 * errno and a log line; advised translations go with the invalidation
 * that follows a remap; a bond made by pid is advised in its own address
 * space. On a sim device of its own with page requests (sva_sim_adv0),
 * its fault queue served by the test thread. And the other way to spare
 * page requests: fault-around from a request's length hint. */

#define ALLOW_INTERNAL_API 1

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_sva_advise.h>
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>
#include <rte_sva_pmd.h>

#include "../../drivers/sva/iommufd/sva_iommufd.h"
#include "test.h"
#include "test_fault_edge.h"

#define PG       4096u
#define NPAGES   64u
#define ADV_NAME "sva_sim_adv0"
#define W_SYNC   (RTE_SVA_ADVISE_PREFETCH_WRITE | RTE_SVA_ADVISE_F_SYNC)

static int16_t adv_dev = -1;
static int adv_cid = -1;
static uint32_t adv_pasid;

static int
adv_up(const char *args)
{
	TEST_ASSERT_EQ(rte_vdev_init(ADV_NAME, args), 0, "probe %s,%s", ADV_NAME, args);
	adv_dev = (int16_t)rte_sva_get_dev_id_by_name(ADV_NAME);
	TEST_ASSERT(adv_dev >= 0, "dev id");
	adv_cid = rte_sva_container_create();
	TEST_ASSERT(adv_cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(adv_cid, adv_dev), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(adv_cid, 0, &adv_pasid), 0, "bind");
	TEST_ASSERT_EQ(test_dev_setup(adv_dev, 1, 256), 0, "start");
	return TEST_OK;
}

static void
adv_down(void)
{
	rte_sva_stop(adv_dev);
	rte_sva_container_destroy(adv_cid);
	rte_vdev_uninit(ADV_NAME);
	adv_dev = -1;
}

static int
adv_case(const char *args, int (*body)(void))
{
	int ret = adv_up(args);

	if (ret == TEST_OK)
		ret = body();
	adv_down();
	return ret;
}

static uint8_t *
adv_fresh(size_t pages, int prot)
{
	void *p = mmap(NULL, pages * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* One 4 KiB page per request, whatever THP says. */
	madvise(p, pages * PG, MADV_NOHUGEPAGE);
	return p;
}

static uint64_t
prq_count(void)
{
	struct rte_sva_fault_stats st;

	return rte_sva_fault_stats_get(adv_dev, &st) == 0 ? st.requests : UINT64_MAX;
}

static uint64_t
atc_misses(void)
{
	struct rte_sva_stats st;

	return rte_sva_stats_get(adv_dev, RTE_SVA_ALL_QUEUES, &st) == 0 ?
		st.atc_misses : UINT64_MAX;
}

/* Copy src into each page of dst (pages pages, one 4 KiB copy each, with
 * block-on-fault), serving page requests; every copy must succeed. */
static int
copy_pages(uint32_t pasid, const uint8_t *src, uint8_t *dst, uint32_t pages)
{
	struct rte_sva_result res[NPAGES];

	TEST_ASSERT(pages <= NPAGES, "pages");
	for (uint32_t i = 0; i < pages; i++)
		TEST_ASSERT(rte_sva_copy(adv_dev, 0, pasid, src + i * PG, dst + i * PG, PG,
					 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT) >= 0, "enqueue %u", i);
	TEST_ASSERT_EQ(rte_sva_submit(adv_dev, 0), 0, "submit");
	TEST_ASSERT_EQ(test_wait_served(adv_dev, 0, (uint16_t)pages, res, true, 10), 0,
		       "wait");
	for (uint32_t i = 0; i < pages; i++)
		TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS, "copy %u: %s", i,
			       rte_sva_status_str(res[i].status));
	return TEST_OK;
}

/* ------------------------------------------------------------ the point */

/* A cold region copied into without advice raises a page request per
 * page; advised first (destination for writing, source for reading), none,
 * and no translation walk either: the advice filled the cache. */
static int
cold_body(void)
{
	/* Four regions the device never saw; none unmapped before the end,
	 * so no address is reused (a reused one would hit what the device
	 * cached of the old mapping, which only an invalidation drops). */
	uint8_t *src = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint8_t *dst = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint8_t *src2 = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint8_t *dst2 = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint8_t *ref = malloc(NPAGES * PG);
	uint64_t prq0, miss0;

	TEST_ASSERT(src && dst && src2 && dst2 && ref, "buffers");
	test_fill_random(ref, NPAGES * PG, 11);
	memcpy(src, ref, NPAGES * PG);
	memcpy(src2, ref, NPAGES * PG);

	/* The control: the same kind of regions, no advice. */
	prq0 = prq_count();
	miss0 = atc_misses();
	TEST_RUN(copy_pages(adv_pasid, src, dst, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, NPAGES, "a request per cold page without advice");
	TEST_ASSERT(atc_misses() - miss0 >= 2 * NPAGES, "every page walked without advice");
	TEST_ASSERT(memcmp(dst, ref, NPAGES * PG) == 0, "data without advice");

	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, dst2, NPAGES * PG, W_SYNC), 0,
		       "advise dst");
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, src2, NPAGES * PG,
				      RTE_SVA_ADVISE_PREFETCH | RTE_SVA_ADVISE_F_SYNC), 0,
		       "advise src");
	prq0 = prq_count();
	miss0 = atc_misses();
	TEST_RUN(copy_pages(adv_pasid, src2, dst2, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, 0, "no page request after advice");
	TEST_ASSERT_EQ(atc_misses() - miss0, 0, "no translation walk after advice");
	TEST_ASSERT(memcmp(dst2, ref, NPAGES * PG) == 0, "data after advice");
	munmap(src, NPAGES * PG);
	munmap(dst, NPAGES * PG);
	munmap(src2, NPAGES * PG);
	munmap(dst2, NPAGES * PG);
	free(ref);
	return TEST_OK;
}

static int
test_cold(void)
{
	return adv_case("pri=1", cold_body);
}

/* Without F_SYNC the sim still does the work before returning; a range
 * that does not start or end on a page advises every page it touches; the
 * container variant advises every device of the container. */
static int
async_body(void)
{
	uint8_t *src = malloc(NPAGES * PG);
	uint8_t *dst = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint64_t prq0;

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, NPAGES * PG, 12);
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, dst + 100, 8 * PG - 200,
				      RTE_SVA_ADVISE_PREFETCH_WRITE), 0, "advise, no sync");
	TEST_ASSERT_EQ(rte_sva_container_advise(adv_cid, adv_pasid, dst + 8 * PG,
						(NPAGES - 8) * PG, W_SYNC), 0,
		       "container advise");
	TEST_ASSERT_EQ(rte_sva_container_advise(adv_cid, adv_pasid, src, NPAGES * PG,
						RTE_SVA_ADVISE_PREFETCH), 0,
		       "container advise src");
	prq0 = prq_count();
	TEST_RUN(copy_pages(adv_pasid, src, dst, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, 0, "no page request");
	TEST_ASSERT(memcmp(dst, src, NPAGES * PG) == 0, "data");
	munmap(dst, NPAGES * PG);
	free(src);
	return TEST_OK;
}

static int
test_async(void)
{
	return adv_case("pri=1", async_body);
}

/* A range longer than the device's cache (sva_sim: 4096 entries, direct
 * mapped: 4096 consecutive pages take every entry): every page is
 * populated, so none raises a page request; the first 4096 are cached,
 * the last ones are walked once each. The copies' source lies in the
 * cached head too, so nothing from elsewhere evicts a head entry. */
#define BIG_PAGES (4096u + NPAGES)
static int
big_body(void)
{
	uint8_t *ref = malloc(NPAGES * PG);
	uint8_t *big = adv_fresh(BIG_PAGES, PROT_READ | PROT_WRITE);
	uint8_t *src = big + NPAGES * PG, *tail = big + (BIG_PAGES - NPAGES) * PG;
	uint64_t prq0, miss0;

	TEST_ASSERT(ref && big, "buffers");
	test_fill_random(ref, NPAGES * PG, 15);
	memcpy(src, ref, NPAGES * PG);
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, big, BIG_PAGES * PG, W_SYNC), 0,
		       "advise %u pages", BIG_PAGES);
	prq0 = prq_count();
	miss0 = atc_misses();
	TEST_RUN(copy_pages(adv_pasid, src, big, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, 0, "head: no page request");
	TEST_ASSERT_EQ(atc_misses() - miss0, 0, "head: cached");
	TEST_RUN(copy_pages(adv_pasid, src, tail, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, 0, "tail: no page request (populated)");
	TEST_ASSERT(atc_misses() - miss0 >= NPAGES, "tail: walked (beyond the cache)");
	TEST_ASSERT(memcmp(big, ref, NPAGES * PG) == 0 && memcmp(tail, ref, NPAGES * PG) == 0,
		    "data");
	munmap(big, BIG_PAGES * PG);
	free(ref);
	return TEST_OK;
}

static int
test_big(void)
{
	return adv_case("pri=1", big_body);
}

/* ------------------------------------------------------------ bad input */

static int
fk_judge(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
bad_body(void)
{
	uint8_t *a = adv_fresh(4, PROT_READ | PROT_WRITE);
	uint8_t *ro = adv_fresh(2, PROT_READ);
	const uint32_t R = RTE_SVA_ADVISE_PREFETCH;
	char hole[32];
	int cid2;

	TEST_ASSERT(a && ro, "mmap");
	TEST_ASSERT_EQ(munmap(a + 2 * PG, PG), 0, "hole");
	snprintf(hole, sizeof(hole), "0x%" PRIxPTR, (uintptr_t)(a + 2 * PG));

	TEST_LOGGED(rte_sva_advise(RTE_SVA_MAX_DEVS - 1, adv_pasid, a, PG, R), -EINVAL,
		    "invalid dev_id");
	TEST_LOGGED(rte_sva_advise(-1, adv_pasid, a, PG, R), -EINVAL, "invalid dev_id");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid + 1, a, PG, R), -ENOENT,
		    "is not bound");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, 0, R), -EINVAL, "empty range");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, (void *)(uintptr_t)(UINT64_MAX - PG),
				   2 * PG, R), -EINVAL, "wraps");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, PG, 0), -EINVAL, "no advice");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, PG,
				   R | RTE_SVA_ADVISE_PREFETCH_WRITE), -EINVAL,
		    "two kinds");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, PG, R | RTE_BIT32(5)), -EINVAL,
		    "unknown flags 0x20");
	/* The first bad address named: the hole after two good pages. */
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, 4 * PG, W_SYNC), -EFAULT, hole);
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a + 2 * PG + 5, 10, R), -EFAULT,
		    "unmapped or not readable");
	/* A read-only mapping takes read advice, not write advice. */
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, ro, 2 * PG, R), 0, "read advice");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, ro, 2 * PG, W_SYNC), -EFAULT,
		    "not writable");
	/* Beyond the device's 47-bit address width. */
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, (void *)(uintptr_t)(RTE_BIT64(47) - PG),
				   2 * PG, R), -EFAULT, "address width");
	/* A range a fault handler fills is the handler's. */
	TEST_ASSERT_EQ(rte_sva_fault_handler_register((uintptr_t)a, PG, fk_judge, NULL), 0,
		       "handler");
	TEST_LOGGED(rte_sva_advise(adv_dev, adv_pasid, a, 2 * PG, R), -EBUSY,
		    "fault handler");
	TEST_ASSERT_EQ(rte_sva_fault_handler_unregister((uintptr_t)a), 0, "unregister");
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, a, 2 * PG, R), 0, "after it");
	/* Containers: a bad id, an empty one, one without the PASID. */
	TEST_LOGGED(rte_sva_container_advise(RTE_SVA_MAX_CONTAINERS, adv_pasid, a, PG, R),
		    -EINVAL, "invalid container");
	cid2 = rte_sva_container_create();
	TEST_ASSERT(cid2 >= 0, "container");
	TEST_LOGGED(rte_sva_container_advise(cid2, adv_pasid, a, PG, R), -EINVAL,
		    "has no device");
	TEST_ASSERT_EQ(rte_sva_container_destroy(cid2), 0, "destroy");
	TEST_LOGGED(rte_sva_container_advise(adv_cid, adv_pasid + 1, a, PG, R), -ENOENT,
		    "is not bound");
	munmap(a, 2 * PG);
	munmap(a + 3 * PG, PG);
	munmap(ro, 2 * PG);
	return TEST_OK;
}

static int
test_bad(void)
{
	return adv_case("pri=1", bad_body);
}

/* A device whose driver has no translation fetch (the fault suites' fake
 * device), alone and in a container with the sim. */
static int
notsup_body(void)
{
	struct rte_sva_dev *fake = fk_up("sva_fake_adv", &fk_bond_ops, 64);
	uint8_t *a = adv_fresh(1, PROT_READ | PROT_WRITE);
	int cid;
	uint32_t pasid;
	int ret = TEST_FAILED;

	TEST_ASSERT(fake != NULL && a != NULL, "fake device");
	cid = rte_sva_container_create();
	if (cid < 0 || rte_sva_container_add_dev(cid, fake->dev_id) != 0 ||
	    rte_sva_bind(cid, 0, &pasid) != 0) {
		printf("    cannot bind on the fake device\n");
		goto out;
	}
	test_log_start();
	if (rte_sva_advise(fake->dev_id, pasid, a, PG, RTE_SVA_ADVISE_PREFETCH) != -ENOTSUP ||
	    strstr(test_log_stop(), "no translation cache") == NULL) {
		printf("    advise on a device without translation fetch: not -ENOTSUP\n");
		goto out;
	}
	test_log_start();
	if (rte_sva_container_advise(cid, pasid, a, PG, RTE_SVA_ADVISE_PREFETCH) != -ENOTSUP ||
	    strstr(test_log_stop(), "sva_fake_adv") == NULL) {
		printf("    container advise with such a device: not -ENOTSUP\n");
		goto out;
	}
	ret = TEST_OK;
out:
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	fk_down(fake);
	munmap(a, PG);
	return ret;
}

static int
test_notsup(void)
{
	return notsup_body();
}

/* A fork() child may use its parent's bonds, not advise them. */
static int
fork_body(void)
{
	uint8_t *a = adv_fresh(1, PROT_READ | PROT_WRITE);
	pid_t pid;
	int st = -1;

	TEST_ASSERT(a != NULL, "mmap");
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0)
		_exit(rte_sva_advise(adv_dev, adv_pasid, a, PG, RTE_SVA_ADVISE_PREFETCH) ==
		      -EPERM ? 0 : 1);
	TEST_ASSERT_EQ(waitpid(pid, &st, 0), pid, "wait");
	TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child got -EPERM");
	munmap(a, PG);
	return TEST_OK;
}

static int
test_fork_child(void)
{
	return adv_case("pri=1", fork_body);
}

/* ------------------------------------------------- no stale translations */

/* Advised pages unmapped and mapped again (fresh, absent) at the same
 * address: the invalidation the application owes after a remap
 * (rte_sva_cache_invalidate()) drops the advised entries with the rest, so
 * the device walks again and asks for every new page instead of trusting
 * the advice; the bytes land in the new pages. The detach of an unbind
 * drops them too: a new bond's PASID finds nothing cached. */
static int
stale_body(void)
{
	uint8_t *src = malloc(NPAGES * PG);
	uint8_t *dst = adv_fresh(NPAGES, PROT_READ | PROT_WRITE), *again;
	uint64_t prq0, miss0;

	TEST_ASSERT(src && dst, "buffers");
	test_fill_random(src, NPAGES * PG, 13);
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, src, NPAGES * PG,
				      RTE_SVA_ADVISE_PREFETCH | RTE_SVA_ADVISE_F_SYNC), 0,
		       "advise src");
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, dst, NPAGES * PG, W_SYNC), 0,
		       "advise dst");
	TEST_ASSERT_EQ(munmap(dst, NPAGES * PG), 0, "munmap");
	again = mmap(dst, NPAGES * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	TEST_ASSERT(again == dst, "mmap again at %p (got %p)", (void *)dst, (void *)again);
	madvise(dst, NPAGES * PG, MADV_NOHUGEPAGE);
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(adv_dev, &(struct rte_sva_cache_inv){
				.cache = RTE_SVA_INV_DEV_IOTLB,
				.granularity = RTE_SVA_INV_GRANU_ADDR,
				.pasid = adv_pasid, .addr = (uintptr_t)dst,
				.granule_size = PG, .nb_granules = NPAGES }), 0,
		       "invalidate the remapped range");
	prq0 = prq_count();
	miss0 = atc_misses();
	TEST_RUN(copy_pages(adv_pasid, src, dst, NPAGES));
	TEST_ASSERT_EQ(prq_count() - prq0, NPAGES, "a request per new page");
	TEST_ASSERT(atc_misses() - miss0 >= NPAGES, "the new pages walked");
	TEST_ASSERT(memcmp(dst, src, NPAGES * PG) == 0, "data in the new pages");

	/* Unbind: the detach drops what the advice cached for the PASID;
	 * the next bond's copies walk every page again. */
	TEST_ASSERT_EQ(rte_sva_advise(adv_dev, adv_pasid, dst, NPAGES * PG, W_SYNC), 0,
		       "advise again");
	TEST_ASSERT_EQ(rte_sva_unbind(adv_cid, 0), 0, "unbind");
	TEST_ASSERT_EQ(rte_sva_bind(adv_cid, 0, &adv_pasid), 0, "bind again");
	miss0 = atc_misses();
	TEST_RUN(copy_pages(adv_pasid, src, dst, 1));
	TEST_ASSERT(atc_misses() - miss0 >= 2, "nothing cached for the new bond");
	munmap(dst, NPAGES * PG);
	free(src);
	return TEST_OK;
}

static int
test_stale(void)
{
	return adv_case("pri=1", stale_body);
}

/* ------------------------------------------------------- a bond by pid */

/* A child's never-touched pages, advised through its bond: populated in
 * its address space (not ours), cached, and filled with no page request;
 * the bytes are in the child's pages, ours untouched. */
static int
foreign_body(void)
{
	uint8_t *area = adv_fresh(NPAGES, PROT_READ | PROT_WRITE);
	uint8_t *ro = adv_fresh(2, PROT_READ | PROT_WRITE);
	uint8_t *got = malloc(NPAGES * PG);
	char bad[32];
	uint32_t pasid = 0;
	uint64_t prq0;
	char path[64];
	int memfd = -1, ret = TEST_FAILED;
	pid_t pid;

	TEST_ASSERT(area && ro && got, "buffers");
	/* The child's second page of ro is read-only; ours stays writable. */
	TEST_ASSERT_EQ(mprotect(ro + PG, PG, PROT_READ), 0, "mprotect");
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	/* Our own copy of the area: present here, never in the child. */
	memset(area, 0xee, NPAGES * PG);
	TEST_ASSERT_EQ(mprotect(ro + PG, PG, PROT_READ | PROT_WRITE), 0, "mprotect back");
	snprintf(bad, sizeof(bad), "0x%" PRIxPTR, (uintptr_t)(ro + PG));
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	memfd = open(path, O_RDONLY);
	if (memfd < 0 || rte_sva_bind(adv_cid, pid, &pasid) != 0) {
		printf("    cannot bind the child\n");
		goto out;
	}
	/* Fills, not copies: a source would have to be the child's memory
	 * too, and its pages would raise requests of their own. */
	if (rte_sva_advise(adv_dev, pasid, area, NPAGES * PG, W_SYNC) != 0) {
		printf("    advise through the child's bond failed\n");
		goto out;
	}
	prq0 = prq_count();
	for (uint32_t i = 0; i < NPAGES; i++)
		if (rte_sva_fill(adv_dev, 0, pasid, 0x0101010101010101ull * (i + 1),
				 area + i * PG, PG, RTE_SVA_OP_FLAG_BLOCK_ON_FAULT) < 0) {
			printf("    enqueue %u\n", i);
			goto out;
		}
	{
		struct rte_sva_result res[NPAGES];

		if (rte_sva_submit(adv_dev, 0) != 0 ||
		    test_wait_served(adv_dev, 0, NPAGES, res, true, 10) != 0) {
			printf("    fills did not complete\n");
			goto out;
		}
		for (uint32_t i = 0; i < NPAGES; i++)
			if (res[i].status != RTE_SVA_STATUS_SUCCESS) {
				printf("    fill %u: %s\n", i, rte_sva_status_str(res[i].status));
				goto out;
			}
	}
	if (prq_count() - prq0 != 0) {
		printf("    %" PRIu64 " page requests after advice (want 0)\n",
		       prq_count() - prq0);
		goto out;
	}
	if (pread(memfd, got, NPAGES * PG, (off_t)(uintptr_t)area) != (ssize_t)(NPAGES * PG)) {
		printf("    cannot read the child's memory\n");
		goto out;
	}
	for (uint32_t i = 0; i < NPAGES * PG; i++)
		if (got[i] != (uint8_t)(i / PG + 1)) {
			printf("    child byte %u: %02x\n", i, got[i]);
			goto out;
		}
	if (area[0] != 0xee || area[NPAGES * PG - 1] != 0xee) {
		printf("    our own pages were written\n");
		goto out;
	}
	/* The child's page permissions, not ours: its read-only page refuses
	 * write advice, naming the address; read advice is taken. */
	test_log_start();
	if (rte_sva_advise(adv_dev, pasid, ro, 2 * PG, W_SYNC) != -EFAULT ||
	    strstr(test_log_stop(), bad) == NULL) {
		printf("    write advice on the child's read-only page: not -EFAULT at %s\n", bad);
		goto out;
	}
	if (rte_sva_advise(adv_dev, pasid, ro, 2 * PG, RTE_SVA_ADVISE_PREFETCH) != 0) {
		printf("    read advice on the child's pages refused\n");
		goto out;
	}
	/* The child gone: its bond is defunct (or about to be), -ESRCH
	 * either way, never a bad address. */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	test_log_start();
	if (rte_sva_advise(adv_dev, pasid, area, PG, RTE_SVA_ADVISE_PREFETCH) != -ESRCH ||
	    strstr(test_log_stop(), "exited") == NULL) {
		printf("    advice through a dead child's bond: not -ESRCH\n");
		goto out;
	}
	ret = TEST_OK;
out:
	if (pasid != 0)
		rte_sva_unbind(adv_cid, pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (memfd >= 0)
		close(memfd);
	munmap(area, NPAGES * PG);
	munmap(ro, 2 * PG);
	free(got);
	return ret;
}

static int
test_foreign_bond(void)
{
	return adv_case("pri=1", foreign_body);
}

/* -------------------------------------- fault-around from a length hint */

/* Resident pages of [p, p + pages), as a bit mask (mincore). */
static uint64_t
resident(const uint8_t *p, unsigned int pages)
{
	unsigned char v[64];
	uint64_t m = 0;

	if (pages > 64 || mincore((void *)(uintptr_t)p, pages * PG, v) != 0)
		return UINT64_MAX;
	for (unsigned int i = 0; i < pages; i++)
		if (v[i] & 1)
			m |= RTE_BIT64(i);
	return m;
}

static int
raise_hint(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid, const uint8_t *addr,
	   uint16_t hint)
{
	struct rte_sva_fault f = {
		.type = RTE_SVA_FAULT_PAGE_REQ,
		.flags = RTE_SVA_FAULT_F_PASID_VALID | RTE_SVA_FAULT_F_LAST_PAGE,
		.pasid = pasid, .grpid = grpid, .perm = RTE_SVA_PERM_WRITE,
		.addr = (uintptr_t)addr, .cookie = grpid, .dev_id = dev->dev_id,
		.hint_pages = hint,
	};

	return rte_sva_pmd_fault_report(dev, &f);
}

/* A page request whose producer says how far it will go (hint_pages)
 * has the resolver bring that many pages in, as fault-around does; the
 * fault-around setting wins when it asks for more; without a hint only
 * the page asked for comes in. On the fault suites' fake device (its
 * fault queue filled by hand, its backend sw_iommu's). */
static int
around_body(struct rte_sva_dev *fake, uint32_t pasid)
{
	uint8_t *a = adv_fresh(48, PROT_READ | PROT_WRITE);

	TEST_ASSERT(a != NULL, "mmap");
	TEST_ASSERT_EQ(rte_sva_fault_around_set(0), 0, "no fault-around");
	TEST_ASSERT_EQ(resident(a, 48), 0, "fresh");
	TEST_ASSERT_EQ(raise_hint(fake, pasid, 1, a + 100, 8), 0, "raise, hint 8");
	TEST_ASSERT_EQ(raise_hint(fake, pasid, 2, a + 16 * PG, 0), 0, "raise, no hint");
	TEST_ASSERT_EQ(rte_sva_fault_process(fake->dev_id, 16), 2, "process");
	TEST_ASSERT_EQ(fk.nb, 2, "two responses");
	TEST_ASSERT_EQ(fk.r[0].code, RTE_SVA_PAGE_RESP_SUCCESS, "hinted answered SUCCESS");
	TEST_ASSERT_EQ(fk.r[1].code, RTE_SVA_PAGE_RESP_SUCCESS, "unhinted answered SUCCESS");
	TEST_ASSERT_EQ(resident(a, 48), 0xffull | RTE_BIT64(16),
		       "pages 0..7 (the hint) and 16 (no hint) in");
	/* fault-around 4 beats a hint of 2; a hint of 6 beats fault-around 4 */
	TEST_ASSERT_EQ(rte_sva_fault_around_set(4), 0, "fault-around 4");
	TEST_ASSERT_EQ(raise_hint(fake, pasid, 3, a + 24 * PG, 2), 0, "raise, hint 2");
	TEST_ASSERT_EQ(raise_hint(fake, pasid, 4, a + 32 * PG, 6), 0, "raise, hint 6");
	TEST_ASSERT_EQ(rte_sva_fault_process(fake->dev_id, 16), 2, "process");
	TEST_ASSERT_EQ(rte_sva_fault_around_set(0), 0, "fault-around back to 0");
	TEST_ASSERT_EQ(resident(a + 24 * PG, 24), 0x1full | (0x3full << 8),
		       "5 pages from 24 (fault-around), 6 from 32 (hint)");
	munmap(a, 48 * PG);
	return TEST_OK;
}

static int
test_around_hint(void)
{
	struct rte_sva_dev *fake = fk_up("sva_fake_around", &fk_bond_ops, 64);
	uint32_t pasid;
	int cid, ret = TEST_FAILED;

	TEST_ASSERT(fake != NULL, "fake device");
	cid = rte_sva_container_create();
	if (cid >= 0 && rte_sva_container_add_dev(cid, fake->dev_id) == 0 &&
	    rte_sva_bind(cid, 0, &pasid) == 0)
		ret = around_body(fake, pasid);
	else
		printf("    cannot bind on the fake device\n");
	rte_sva_fault_around_set(0);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	fk_down(fake);
	return ret;
}

/* iommufd's record length becomes the hint, in pages from addr's on. */
static int
test_around_iommufd(void)
{
	struct sva_iommufd_pgfault in = {
		.flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		.pasid = 5, .perm = SVA_PGFAULT_PERM_WRITE,
		.addr = 0x7f0012345010ull, .length = 3 * PG + 1,
	};
	struct rte_sva_fault f;

	sva_iommufd_fault_convert(&in, 3, &f);
	TEST_ASSERT_EQ(f.hint_pages, 4, "3 pages + 1 byte from offset 0x10: 4 pages");
	in.length = 0;
	sva_iommufd_fault_convert(&in, 3, &f);
	TEST_ASSERT_EQ(f.hint_pages, 1, "no length: the page itself");
	in.length = UINT32_MAX;
	sva_iommufd_fault_convert(&in, 3, &f);
	TEST_ASSERT_EQ(f.hint_pages, UINT16_MAX, "capped");
	return TEST_OK;
}

static const struct test_case advise_cases[] = {
	{ "advise_cold", test_cold },
	{ "advise_async_container", test_async },
	{ "advise_beyond_cache", test_big },
	{ "advise_bad_input", test_bad },
	{ "advise_notsup", test_notsup },
	{ "advise_fork_child", test_fork_child },
	{ "advise_no_stale", test_stale },
	{ "advise_foreign_bond", test_foreign_bond },
	{ "fault_around_hint", test_around_hint },
	{ "fault_around_iommufd_length", test_around_iommufd },
};

const struct test_suite suite_advise = {
	.name = "advise",
	.cases = advise_cases,
	.nb_cases = RTE_DIM(advise_cases),
};
