/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite dma_sva_silent: dma_sva in silent mode (rte_dma_conf::enable_silent).
 * The application never calls completed(): the copies must land, the
 * adapter must free its ring slots from the device's progress (more than
 * one ring's worth of copies goes through), and the statistics count every
 * operation. Devices that cannot run silent (an operation on a page not
 * present would complete as a partial page fault nobody sees) do not
 * offer RTE_DMA_CAPA_SILENT and say why.
 *
 * Devices: sva_sim_dsil, sva_sim_dsilp (pri=1), sva_idxd_dsil on a fake
 * tree, dma_sva74..77; names no other suite uses.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_pause.h>
#include <rte_sva.h>

#include "sva_compat.h"
#include "test.h"
#include "test_idxd_tree.h"

#define DSIL_SIM "sva_sim_dsil"
#define DSIL_DMA "dma_sva74"
#define DSIL_NDESC 64
#define DSIL_NB 300          /* copies: more than four rings' worth */
#define DSIL_LEN 256

static uint8_t dsil_src[DSIL_NB * DSIL_LEN];
static uint8_t dsil_dst[DSIL_NB * DSIL_LEN];

static int16_t
dsil_dma_id(const char *name)
{
	return (int16_t)rte_dma_get_dev_id_by_name(name);
}

/* Enqueue DSIL_NB copies, each submitted; a full ring is retried (with a
 * bound) until the adapter has reclaimed slots the device finished. */
static int
dsil_enqueue_all(int16_t id)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	unsigned int full = 0;

	for (unsigned int i = 0; i < DSIL_NB; i++) {
		int r;

		while ((r = rte_dma_copy(id, 0,
					 (rte_iova_t)(uintptr_t)(dsil_src + i * DSIL_LEN),
					 (rte_iova_t)(uintptr_t)(dsil_dst + i * DSIL_LEN),
					 DSIL_LEN, RTE_DMA_OP_FLAG_SUBMIT)) == -ENOSPC) {
			full++;
			TEST_ASSERT(rte_get_timer_cycles() < deadline,
				    "copy %u: ring stays full (%u retries)", i, full);
			rte_pause();
		}
		TEST_ASSERT_EQ(r, (int)i, "ring index of copy %u", i);
	}
	return TEST_OK;
}

static int
dsil_body(int16_t id)
{
	struct rte_dma_conf conf = { .nb_vchans = 1, SVA_DMA_CONF_SILENT_INIT };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = DSIL_NDESC };
	struct rte_dma_info info;
	struct rte_dma_stats st;
	uint64_t deadline;
	uint16_t cap0, last = 0;
	bool err = true;

	TEST_ASSERT_EQ(rte_dma_info_get(id, &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_SILENT, "silent offered");
	TEST_ASSERT_EQ(rte_dma_configure(id, &conf), 0, "configure silent");
	TEST_ASSERT_EQ(rte_dma_vchan_setup(id, 0, &vc), 0, "vchan");
	TEST_ASSERT_EQ(rte_dma_start(id), 0, "start");
	cap0 = rte_dma_burst_capacity(id, 0);
	TEST_ASSERT(cap0 > 0 && cap0 < DSIL_NB, "capacity %u below the copies",
		    cap0);

	test_fill_random(dsil_src, sizeof(dsil_src), 74);
	memset(dsil_dst, 0, sizeof(dsil_dst));
	TEST_RUN(dsil_enqueue_all(id));
	/* The ring is free again once the device has finished: the adapter
	 * reaps the device's progress (its completion records, read with
	 * acquire order) without reporting it. Only then are the bytes read:
	 * polling them while the engine writes them would be a data race
	 * (TSan saw one), and nothing would order them against the engine. */
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (rte_dma_burst_capacity(id, 0) != cap0) {
		TEST_ASSERT(rte_get_timer_cycles() < deadline,
			    "capacity back to %u", cap0);
		rte_pause();
	}
	TEST_ASSERT(memcmp(dsil_src, dsil_dst, sizeof(dsil_dst)) == 0,
		    "bytes copied");
	TEST_ASSERT_EQ(rte_dma_completed(id, 0, 8, &last, &err), 0,
		       "silent: no completions reported");
	TEST_ASSERT(!err, "and no error");
	TEST_ASSERT_EQ(rte_dma_stats_get(id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, DSIL_NB, "submitted");
	TEST_ASSERT_EQ(st.completed, DSIL_NB, "completed, reaped unreported");
	TEST_ASSERT_EQ(st.errors, 0, "errors");

	/* A second round after a stop and restart: indexes from 0 again,
	 * the counters go on. */
	TEST_ASSERT_EQ(rte_dma_stop(id), 0, "stop");
	TEST_ASSERT_EQ(rte_dma_start(id), 0, "restart");
	memset(dsil_dst, 0, sizeof(dsil_dst));
	TEST_RUN(dsil_enqueue_all(id));
	TEST_ASSERT_EQ(rte_dma_stop(id), 0, "stop drains");
	TEST_ASSERT(memcmp(dsil_src, dsil_dst, sizeof(dsil_dst)) == 0,
		    "second round copied");
	TEST_ASSERT_EQ(rte_dma_stats_get(id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, 2 * DSIL_NB, "submitted");
	TEST_ASSERT_EQ(st.completed, 2 * DSIL_NB, "all counted after the stop");
	TEST_ASSERT_EQ(st.errors, 0, "errors");

	/* Back to reporting mode: completions are reported again. */
	sva_dma_conf_set_silent(&conf, false);
	TEST_ASSERT_EQ(rte_dma_configure(id, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_dma_vchan_setup(id, 0, &vc), 0, "vchan");
	TEST_ASSERT_EQ(rte_dma_start(id), 0, "start");
	TEST_ASSERT_EQ(rte_dma_copy(id, 0, (uintptr_t)dsil_src,
				    (uintptr_t)dsil_dst, 64,
				    RTE_DMA_OP_FLAG_SUBMIT), 0, "copy");
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (rte_dma_completed(id, 0, 1, &last, &err) == 0) {
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "reported");
		rte_pause();
	}
	TEST_ASSERT(!err && last == 0, "completion of index 0");
	TEST_ASSERT_EQ(rte_dma_stop(id), 0, "stop");
	return TEST_OK;
}

static int
t_silent_copy(void)
{
	int ret;

	TEST_ASSERT_EQ(rte_vdev_init(DSIL_SIM, NULL), 0, "probe " DSIL_SIM);
	ret = rte_vdev_init(DSIL_DMA, "dev=" DSIL_SIM);
	if (ret == 0)
		ret = dsil_body(dsil_dma_id(DSIL_DMA));
	else
		printf("probe " DSIL_DMA " failed: %d\n", ret);
	rte_vdev_uninit(DSIL_DMA);
	rte_vdev_uninit(DSIL_SIM);
	return ret;
}

/* A sim with page requests waits for them in the device (block-on-fault):
 * silent mode is offered. */
static int
t_silent_pri(void)
{
	struct rte_dma_info info;
	int ret;

	TEST_ASSERT_EQ(rte_vdev_init("sva_sim_dsilp", "pri=1"), 0, "probe sim");
	ret = rte_vdev_init("dma_sva75", "dev=sva_sim_dsilp");
	if (ret == 0) {
		ret = rte_dma_info_get(dsil_dma_id("dma_sva75"), &info);
		if (ret == 0 && !(info.dev_capa & RTE_DMA_CAPA_SILENT))
			ret = -1;
	}
	rte_vdev_uninit("dma_sva75");
	rte_vdev_uninit("sva_sim_dsilp");
	TEST_ASSERT_EQ(ret, 0, "silent offered over a pri=1 sim");
	return TEST_OK;
}

/* An idxd work queue without block_on_fault would complete a copy that
 * meets a page not present as a partial page fault: no silent mode, and
 * the probe says why (rte_dma_configure() only says "don't support"). */
static int
dsil_idxd_body(void)
{
	struct rte_dma_conf conf = { .nb_vchans = 1, SVA_DMA_CONF_SILENT_INIT };
	struct rte_dma_info info;
	char wq[256];
	const char *log;
	int16_t id;
	int ret;

	test_log_start();
	ret = rte_vdev_init("dma_sva76", "dev=sva_idxd_dsil");
	log = test_log_stop();
	TEST_ASSERT_EQ(ret, 0, "adapter on the idxd WQ");
	TEST_ASSERT(strstr(log, "no silent mode") != NULL &&
		    strstr(log, "block-on-fault") != NULL, "reason: %s", log);
	id = dsil_dma_id("dma_sva76");
	TEST_ASSERT_EQ(rte_dma_info_get(id, &info), 0, "info");
	TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_SILENT), "no silent capa");
	/* The dmadev library refuses it before the driver sees it. */
	TEST_ASSERT_EQ(rte_dma_configure(id, &conf), -EINVAL, "silent refused");
	sva_dma_conf_set_silent(&conf, false);
	TEST_ASSERT_EQ(rte_dma_configure(id, &conf), 0, "reporting mode");
	TEST_ASSERT_EQ(rte_vdev_uninit("dma_sva76"), 0, "adapter removed");
	TEST_ASSERT_EQ(rte_vdev_uninit("sva_idxd_dsil"), 0, "idxd removed");

	/* The same WQ with block_on_fault: offered. */
	snprintf(wq, sizeof(wq), "%s/sys/bus/dsa/devices/wq0.0", test_idxd_root);
	TEST_ASSERT_EQ(test_idxd_attr(wq, "block_on_fault", "1"), 0, "bof");
	TEST_ASSERT_EQ(rte_vdev_init("sva_idxd_dsil", "wq_prefix=dsil"), 0, "idxd");
	TEST_ASSERT_EQ(rte_vdev_init("dma_sva76", "dev=sva_idxd_dsil"), 0, "adapter");
	TEST_ASSERT_EQ(rte_dma_info_get(dsil_dma_id("dma_sva76"), &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_SILENT, "silent with block_on_fault");
	return TEST_OK;
}

static int
t_silent_refused(void)
{
	int ret;

	TEST_ASSERT_EQ(test_idxd_tree_create("dsa0"), 0, "fake idxd tree");
	ret = test_idxd_add_wq("wq0.0", "user", "dsil_d", "enabled", "dedicated",
			       TEST_IDXD_NODE_PORTAL);
	if (ret == 0)
		ret = rte_vdev_init("sva_idxd_dsil", "wq_prefix=dsil");
	if (ret == 0)
		ret = dsil_idxd_body();
	else
		printf("sva_idxd_dsil on the fake tree failed: %d\n", ret);
	rte_vdev_uninit("dma_sva76");
	rte_vdev_uninit("sva_idxd_dsil");
	test_idxd_tree_remove();
	return ret;
}

/* silent=0 withholds the capability where the device could offer it
 * (dmadev_autotest of DPDK 23.11..25.11 expects every device to refuse
 * enable_silent); silent=1 is the default; anything else fails the probe
 * with a line naming the key. */
static int
dsil_devarg_body(void)
{
	struct rte_dma_conf conf = { .nb_vchans = 1, SVA_DMA_CONF_SILENT_INIT };
	struct rte_dma_info info;
	const char *log;
	int16_t id;
	int ret;

	test_log_start();
	ret = rte_vdev_init("dma_sva77", "dev=" DSIL_SIM ",silent=0");
	log = test_log_stop();
	TEST_ASSERT_EQ(ret, 0, "adapter with silent=0");
	TEST_ASSERT(strstr(log, "no silent mode") != NULL &&
		    strstr(log, "silent=0") != NULL, "reason: %s", log);
	id = dsil_dma_id("dma_sva77");
	TEST_ASSERT_EQ(rte_dma_info_get(id, &info), 0, "info");
	TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_SILENT), "capa withheld");
	TEST_ASSERT_EQ(rte_dma_configure(id, &conf), -EINVAL, "silent refused");
	TEST_ASSERT_EQ(rte_vdev_uninit("dma_sva77"), 0, "adapter removed");

	TEST_ASSERT_EQ(rte_vdev_init("dma_sva77", "dev=" DSIL_SIM ",silent=1"), 0,
		       "adapter with silent=1");
	TEST_ASSERT_EQ(rte_dma_info_get(dsil_dma_id("dma_sva77"), &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_DMA_CAPA_SILENT, "capa offered");
	TEST_ASSERT_EQ(rte_vdev_uninit("dma_sva77"), 0, "adapter removed");

	for (unsigned int i = 0; i < 3; i++) {
		static const char *const bad[] = { "silent=2", "silent=yes", "silent=" };
		char args[64];

		snprintf(args, sizeof(args), "dev=" DSIL_SIM ",%s", bad[i]);
		test_log_start();
		ret = rte_vdev_init("dma_sva77", args);
		log = test_log_stop();
		TEST_ASSERT_EQ(ret, -EINVAL, "%s refused", bad[i]);
		TEST_ASSERT(strstr(log, "silent") != NULL, "%s: log names the key: %s",
			    bad[i], log);
	}
	return TEST_OK;
}

static int
t_silent_devarg(void)
{
	int ret;

	TEST_ASSERT_EQ(rte_vdev_init(DSIL_SIM, NULL), 0, "probe " DSIL_SIM);
	ret = dsil_devarg_body();
	rte_vdev_uninit("dma_sva77");
	rte_vdev_uninit(DSIL_SIM);
	return ret;
}

static const struct test_case cases[] = {
	{ "dma_sva_silent_devarg", t_silent_devarg },
	{ "dma_sva_silent_copy", t_silent_copy },
	{ "dma_sva_silent_pri", t_silent_pri },
	{ "dma_sva_silent_refused", t_silent_refused },
};

const struct test_suite suite_dma_sva_silent = {
	"dma_sva_silent", cases, RTE_DIM(cases)
};
