/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The secondaries of the multiprocess test (test_multiprocess.c): each
 * attaches to the primary's sva_sim device through its vdev bus, as any
 * DPDK secondary does, and reports to the primary on a pipe. */

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_iommu.h>

#include "test.h"
#include "test_mp.h"

static int
secondary_eal_init(const char *extra_vdev)
{
	char vdev[64];
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"sva_multiprocess_test";
	argv[argc++] = (char *)"-l";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--no-pci";
	argv[argc++] = (char *)"--proc-type=secondary";
	argv[argc++] = (char *)"--file-prefix";
	argv[argc++] = getenv("SVA_MP_PREFIX");
	argv[argc++] = (char *)"--log-level=lib.eal:error";
	if (extra_vdev != NULL) {
		snprintf(vdev, sizeof(vdev), "--vdev=%s", extra_vdev);
		argv[argc++] = vdev;
	}
	argv[argc] = NULL;
	return rte_eal_init(argc, argv);
}

/* A secondary given a --vdev of its own that the primary lacks: that
 * probe is refused (DPDK logs the failed bus probe and goes on), and no
 * private device of that name exists; so is the probe of the primary's
 * device that is in no container; the primary's other device is
 * attached. */
int
secondary_unknown(void)
{
	if (secondary_eal_init(MP_UNKNOWN) < 0) {
		printf("    secondary: EAL init failed\n");
		return SEC_EXIT_FAILED;
	}
	if (rte_sva_get_dev_id_by_name(MP_UNKNOWN) >= 0) {
		printf("    secondary: got a private device %s\n", MP_UNKNOWN);
		return SEC_EXIT_FAILED;
	}
	if (rte_sva_get_dev_id_by_name(MP_DEV) < 0) {
		printf("    secondary: %s not attached\n", MP_DEV);
		return SEC_EXIT_FAILED;
	}
	/* The primary has it, in no container: refused too. */
	if (rte_sva_get_dev_id_by_name(MP_LONE) >= 0) {
		printf("    secondary: attached to %s, which is in no container\n", MP_LONE);
		return SEC_EXIT_FAILED;
	}
	rte_eal_cleanup();
	return SEC_EXIT_REFUSED;
}

#define SEC_OPS    4096   /* 16 wraps of its 256-descriptor ring */
#define SEC_BURST  32
#define SEC_OPLEN  64

static int
sec_wait(int16_t dev, uint16_t n, uint16_t *st)
{
	uint64_t end = mp_now_ms() + 10000;
	uint16_t got = 0;

	while (got < n) {
		got += rte_sva_completed_status(dev, 0, n - got, NULL, st + got);
		TEST_ASSERT(mp_now_ms() < end, "%u of %u completions in 10 s", got, n);
	}
	return TEST_OK;
}

/* Copies of our own (malloc) memory through the primary's device, in
 * bursts that wrap the ring many times. */
static int
sec_copies(int16_t dev, uint32_t pasid, struct sec_report *rep)
{
	size_t len = (size_t)SEC_OPS * SEC_OPLEN;
	uint8_t *src = malloc(len), *dst = malloc(len);
	uint16_t st[SEC_BURST];

	TEST_ASSERT(src != NULL && dst != NULL, "malloc");
	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 13 + 7);
	/* Not 0: malloc + memset(0) may become calloc, which leaves fresh
	 * pages untouched (absent), and without block-on-fault an absent
	 * page is a PAGE_FAULT completion. */
	memset(dst, 0xa5, len);
	for (uint32_t op = 0; op < SEC_OPS; op += SEC_BURST) {
		for (uint32_t k = 0; k < SEC_BURST; k++) {
			size_t off = (size_t)(op + k) * SEC_OPLEN;

			TEST_ASSERT(rte_sva_copy(dev, 0, pasid, src + off, dst + off,
						 SEC_OPLEN, k == SEC_BURST - 1 ?
						 RTE_SVA_OP_FLAG_SUBMIT : 0) >= 0,
				    "copy %u", op + k);
		}
		TEST_RUN(sec_wait(dev, SEC_BURST, st));
		for (uint32_t k = 0; k < SEC_BURST; k++)
			TEST_ASSERT_EQ(st[k], RTE_SVA_STATUS_SUCCESS, "copy %u", op + k);
	}
	TEST_ASSERT(memcmp(src, dst, len) == 0, "bytes copied in the secondary");
	rep->ops = SEC_OPS;
	free(src);
	free(dst);
	return TEST_OK;
}

/* A FENCE after a failed operation of the same doorbell is ABORTED on a
 * secondary's queue too, and so is the rest of that doorbell; the next
 * doorbell starts afresh. The failure: a PASID nobody has. */
static int
sec_fence(int16_t dev, uint32_t pasid)
{
	static const struct { bool bad; uint64_t fl; uint16_t want; } plan[] = {
		{ true, 0, RTE_SVA_STATUS_INVALID_PASID },
		{ false, RTE_SVA_OP_FLAG_FENCE, RTE_SVA_STATUS_ABORTED },
		{ false, 0, RTE_SVA_STATUS_ABORTED },
		{ false, RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT, RTE_SVA_STATUS_ABORTED },
		{ false, RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT, RTE_SVA_STATUS_SUCCESS },
	};
	uint8_t src[256], dst[RTE_DIM(plan)][256];
	uint16_t st[RTE_DIM(plan)];

	memset(src, 0x77, sizeof(src));
	memset(dst, 0, sizeof(dst));
	for (unsigned int i = 0; i < RTE_DIM(plan); i++)
		TEST_ASSERT(rte_sva_copy(dev, 0, plan[i].bad ? pasid ^ 0x55 : pasid, src,
					 dst[i], sizeof(src), plan[i].fl) >= 0, "enqueue %u", i);
	TEST_RUN(sec_wait(dev, RTE_DIM(plan), st));
	for (unsigned int i = 0; i < RTE_DIM(plan); i++) {
		TEST_ASSERT_EQ(st[i], plan[i].want, "fence plan op %u: %s", i,
			       rte_sva_status_str(st[i]));
		TEST_ASSERT_EQ(dst[i][0], plan[i].want == RTE_SVA_STATUS_SUCCESS ? 0x77 : 0,
			       "fence plan op %u: destination", i);
	}
	return TEST_OK;
}

/* A copy into a region mapped now and never touched: every page of it is
 * absent until the primary's fault worker resolves the page requests in
 * our address space. */
static int
sec_fresh(int16_t dev, uint32_t pasid, struct sec_report *rep)
{
	size_t len = (size_t)SEC_FRESH_PAGES * PG;
	unsigned char vec[SEC_FRESH_PAGES];
	uint8_t *src = malloc(len), *fresh;
	uint16_t st;

	TEST_ASSERT(src != NULL, "malloc");
	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 31 + 3);
	fresh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(fresh != MAP_FAILED, "mmap");
	TEST_ASSERT_EQ(mincore(fresh, len, vec), 0, "mincore");
	for (unsigned int i = 0; i < SEC_FRESH_PAGES; i++)
		TEST_ASSERT_EQ(vec[i] & 1, 0, "fresh page %u resident before the copy", i);
	TEST_ASSERT(rte_sva_copy(dev, 0, pasid, src, fresh, (uint32_t)len,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy into the fresh region");
	TEST_RUN(sec_wait(dev, 1, &st));
	TEST_ASSERT_EQ(st, RTE_SVA_STATUS_SUCCESS, "copy into the fresh region");
	TEST_ASSERT(memcmp(src, fresh, len) == 0, "bytes in the fresh region");
	rep->fresh = SEC_FRESH_PAGES;
	munmap(fresh, len);
	free(src);
	return TEST_OK;
}

/* Attach, bind through the primary, one queue on its shared WQ 0. */
static int
sec_setup(int16_t *devp, uint32_t *pasid)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 256, .mode = RTE_SVA_QUEUE_SHARED, .wq_id = 0,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_info info;
	int16_t dev;
	int cid;

	TEST_ASSERT(secondary_eal_init(NULL) >= 0, "secondary EAL init");
	dev = (int16_t)rte_sva_get_dev_id_by_name(MP_DEV);
	TEST_ASSERT(dev >= 0, "%s attached", MP_DEV);
	TEST_ASSERT_EQ(rte_sva_info_get(dev, &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE, "shared WQs");
	TEST_ASSERT(!(info.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE),
		    "no dedicated WQ in a secondary");
	qconf.mode = RTE_SVA_QUEUE_DEDICATED;
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, dev), 0, "add dev");
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, pasid), 0, "bind through the primary");
	TEST_ASSERT_EQ(rte_sva_configure(dev, &conf), 0, "configure");
	TEST_ASSERT(rte_sva_queue_setup(dev, 0, &qconf) < 0, "dedicated WQ refused");
	qconf.mode = RTE_SVA_QUEUE_SHARED;
	qconf.wq_id = 1;
	TEST_ASSERT(rte_sva_queue_setup(dev, 0, &qconf) < 0,
		    "a WQ the primary does not serve refused");
	qconf.wq_id = 0;
	TEST_ASSERT_EQ(rte_sva_queue_setup(dev, 0, &qconf), 0, "queue on the shared WQ");
	TEST_ASSERT_EQ(rte_sva_start(dev), 0, "start");
	*devp = dev;
	return TEST_OK;
}

static int
sec_run(struct sec_report *rep)
{
	int16_t dev;

	TEST_RUN(sec_setup(&dev, &rep->pasid));
	TEST_RUN(sec_copies(dev, rep->pasid, rep));
	TEST_RUN(sec_fence(dev, rep->pasid));
	/* free() unmapped the copies' buffers, and the translation cache is
	 * not told of munmap: invalidate, as any application of the sim does
	 * (through the primary, whose device holds the cache). Else a fresh
	 * mapping at the same addresses would hit stale translations. */
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(dev, &(struct rte_sva_cache_inv){
				.cache = RTE_SVA_INV_DEV_IOTLB | RTE_SVA_INV_IOTLB,
				.granularity = RTE_SVA_INV_GRANU_PASID,
				.pasid = rep->pasid }), 0, "invalidate");
	return sec_fresh(dev, rep->pasid, rep);
}

/* A secondary killed while its copy waits for page requests: it reports
 * once the copy is submitted, then waits to be killed. */
int
secondary_killed(void)
{
	struct sec_report rep = { .status = TEST_FAILED };
	int wr = atoi(getenv("SVA_MP_WR"));
	size_t len = (size_t)SEC_FRESH_PAGES * PG;
	uint8_t *src = malloc(len), *fresh;
	int16_t dev;

	rep.status = sec_setup(&dev, &rep.pasid);
	fresh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rep.status == TEST_OK && src != NULL && fresh != MAP_FAILED) {
		memset(src, 0x3c, len);
		if (rte_sva_copy(dev, 0, rep.pasid, src, fresh, (uint32_t)len,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) < 0)
			rep.status = TEST_FAILED;
	} else {
		rep.status = TEST_FAILED;
	}
	if (write(wr, &rep, sizeof(rep)) != sizeof(rep))
		_exit(SEC_EXIT_FAILED);
	for (;;)
		pause();
}

/* The main secondary: reports on SVA_MP_WR, then waits for the primary's
 * word on SVA_MP_RD and exits without unbinding (the primary releases its
 * bond when it exits). */
int
secondary_main(void)
{
	struct sec_report rep = { .status = TEST_FAILED };
	int rd = atoi(getenv("SVA_MP_RD")), wr = atoi(getenv("SVA_MP_WR"));
	struct pollfd pfd = { .fd = rd, .events = POLLIN };
	char go;

	rep.status = sec_run(&rep);
	if (write(wr, &rep, sizeof(rep)) != sizeof(rep))
		_exit(SEC_EXIT_FAILED);
	if (poll(&pfd, 1, MP_TIMEOUT_MS) != 1 || read(rd, &go, 1) != 1)
		_exit(SEC_EXIT_FAILED);
	_exit(rep.status == TEST_OK ? SEC_EXIT_OK : SEC_EXIT_FAILED);
}

