/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite dma_sva_shared: several dma_sva adapters over one sva_sim, each on
 * its own queue, configured, started and stopped one after the other as
 * dmafwd does (configure + vchan setup + start of one dmadev, then the
 * next). Each copy is checked byte for byte and by ring index; stopping one
 * adapter must not disturb the operations in flight on another, and a
 * restarted adapter counts its ring indexes from 0 again (rte_dmadev.h).
 *
 * Devices: sva_sim_dsh (numa_node=0, so the dmadev must report node 0),
 * dma_sva70..72; sva_sim_dcq and dma_sva73 for the container query; names
 * no other suite uses.
 */

#include <errno.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_pause.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>

#include "test.h"

#define DSH_SIM "sva_sim_dsh"
#define DSH_NB_MAX 3
#define DSH_LEN 1024
#define DSH_BATCH 32
#define DSH_NDESC 64

static const char *const dsh_names[DSH_NB_MAX] = {
	"dma_sva70", "dma_sva71", "dma_sva72",
};

/* Per adapter: its buffers and the ring index its next operation gets. */
struct dsh_adapter {
	int16_t id;
	uint16_t next_idx;
	uint8_t src[DSH_BATCH * DSH_LEN];
	uint8_t dst[DSH_BATCH * DSH_LEN];
};

static struct dsh_adapter dsh[DSH_NB_MAX];

/* configure + vchan setup + start of one adapter, as dmafwd does it. */
static int
dsh_bring_up(struct dsh_adapter *d)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = DSH_NDESC };

	TEST_ASSERT_EQ(rte_dma_configure(d->id, &conf), 0, "configure %d", d->id);
	TEST_ASSERT_EQ(rte_dma_vchan_setup(d->id, 0, &vc), 0, "vchan %d", d->id);
	TEST_ASSERT_EQ(rte_dma_start(d->id), 0, "start %d", d->id);
	d->next_idx = 0;
	return TEST_OK;
}

/* Enqueue n copies and submit them; each must get the expected index. */
static int
dsh_enqueue(struct dsh_adapter *d, unsigned int n, uint64_t seed)
{
	test_fill_random(d->src, (size_t)n * DSH_LEN, seed);
	memset(d->dst, 0, (size_t)n * DSH_LEN);
	for (unsigned int i = 0; i < n; i++) {
		int r = rte_dma_copy(d->id, 0,
				     (rte_iova_t)(uintptr_t)(d->src + i * DSH_LEN),
				     (rte_iova_t)(uintptr_t)(d->dst + i * DSH_LEN),
				     DSH_LEN, 0);

		TEST_ASSERT_EQ(r, (uint16_t)(d->next_idx + i),
			       "ring index of copy %u on dmadev %d", i, d->id);
	}
	TEST_ASSERT_EQ(rte_dma_submit(d->id, 0), 0, "submit on %d", d->id);
	return TEST_OK;
}

/* Reap n completions (bounded wait) and check indexes and bytes. */
static int
dsh_reap(struct dsh_adapter *d, unsigned int n)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	unsigned int done = 0;
	uint16_t last = 0;
	bool err = false;

	while (done < n) {
		uint16_t k = rte_dma_completed(d->id, 0, (uint16_t)(n - done),
					       &last, &err);

		TEST_ASSERT(!err, "error on dmadev %d", d->id);
		done += k;
		if (k == 0) {
			TEST_ASSERT(rte_get_timer_cycles() < deadline,
				    "dmadev %d: %u of %u done", d->id, done, n);
			rte_pause();
		}
	}
	TEST_ASSERT_EQ(last, (uint16_t)(d->next_idx + n - 1),
		       "last index on dmadev %d", d->id);
	d->next_idx = (uint16_t)(d->next_idx + n);
	TEST_ASSERT(memcmp(d->src, d->dst, (size_t)n * DSH_LEN) == 0,
		    "bytes copied by dmadev %d", d->id);
	return TEST_OK;
}

static int
dsh_copy(struct dsh_adapter *d, unsigned int n, uint64_t seed)
{
	TEST_RUN(dsh_enqueue(d, n, seed));
	return dsh_reap(d, n);
}

/* Probe the sim and nb adapters on queues 0..nb-1. */
static int
dsh_probe(unsigned int nb)
{
	char args[64];

	TEST_ASSERT_EQ(rte_vdev_init(DSH_SIM, "numa_node=0"), 0, "probe " DSH_SIM);
	for (unsigned int i = 0; i < nb; i++) {
		int id;

		snprintf(args, sizeof(args), "dev=" DSH_SIM ",queue=%u", i);
		TEST_ASSERT_EQ(rte_vdev_init(dsh_names[i], args), 0, "probe %s",
			       dsh_names[i]);
		id = rte_dma_get_dev_id_by_name(dsh_names[i]);
		TEST_ASSERT(id >= 0, "%s registered", dsh_names[i]);
		dsh[i].id = (int16_t)id;
	}
	return TEST_OK;
}

static void
dsh_remove(unsigned int nb)
{
	for (unsigned int i = nb; i-- > 0;)
		rte_vdev_uninit(dsh_names[i]);
	rte_vdev_uninit(DSH_SIM);
}

/* The body shared by the two- and three-adapter cases. */
static int
dsh_body(unsigned int nb)
{
	struct dsh_adapter *a = &dsh[0], *b = &dsh[1];
	struct rte_dma_info info;

	/* One after the other, each started before the next is configured. */
	for (unsigned int i = 0; i < nb; i++) {
		TEST_RUN(dsh_bring_up(&dsh[i]));
		TEST_RUN(dsh_copy(&dsh[i], DSH_BATCH, 100 + i));
		/* The ones started before keep working. */
		for (unsigned int j = 0; j < i; j++)
			TEST_RUN(dsh_copy(&dsh[j], DSH_BATCH, 200 + i * 8 + j));
	}
	TEST_ASSERT_EQ(rte_dma_info_get(a->id, &info), 0, "info");
	TEST_ASSERT_EQ(info.numa_node, 0, "the SVA device's NUMA node");
	/* No scatter-gather (doc/guides/dma_sva.rst says why): not offered,
	 * and refused without taking a ring index. */
	TEST_ASSERT(!(info.dev_capa & RTE_DMA_CAPA_OPS_COPY_SG), "no COPY_SG");
	{
		struct rte_dma_sge sg = { .addr = (uintptr_t)a->src,
			.length = 64 };
		struct rte_dma_sge dg = { .addr = (uintptr_t)a->dst,
			.length = 64 };

		TEST_ASSERT(rte_dma_copy_sg(a->id, 0, &sg, &dg, 1, 1, 0) < 0,
			    "copy_sg refused");
	}

	/* Copies in flight on every adapter, then a stops: the others'
	 * operations all complete, and they keep copying. */
	for (unsigned int i = 0; i < nb; i++)
		TEST_RUN(dsh_enqueue(&dsh[i], DSH_BATCH, 300 + i));
	TEST_ASSERT_EQ(rte_dma_stop(a->id), 0, "stop a");
	TEST_ASSERT_EQ(rte_dma_copy(a->id, 0, (uintptr_t)a->src,
				    (uintptr_t)a->dst, 64, 0),
		       -EINVAL, "copy on the stopped adapter");
	for (unsigned int i = 1; i < nb; i++) {
		TEST_RUN(dsh_reap(&dsh[i], DSH_BATCH));
		TEST_RUN(dsh_copy(&dsh[i], DSH_BATCH, 400 + i));
	}
	/* a's batch was submitted before the stop: it completed (the device
	 * kept running), bytes and all. */
	TEST_ASSERT(memcmp(a->src, a->dst, DSH_BATCH * DSH_LEN) == 0,
		    "a's batch submitted before its stop");

	/* Restart a without reconfiguring: indexes from 0 again. */
	TEST_ASSERT_EQ(rte_dma_start(a->id), 0, "restart a");
	a->next_idx = 0;
	TEST_RUN(dsh_copy(a, DSH_BATCH, 500));
	TEST_RUN(dsh_copy(b, DSH_BATCH, 501));

	/* Stop, reconfigure and start b while the others run. */
	TEST_ASSERT_EQ(rte_dma_stop(b->id), 0, "stop b");
	TEST_RUN(dsh_bring_up(b));
	for (unsigned int i = 0; i < nb; i++)
		TEST_RUN(dsh_copy(&dsh[i], DSH_BATCH, 600 + i));

	/* A ring deeper than the running device's queue is refused with a
	 * reason, not set up behind the other adapters' backs. */
	if (nb > 2) {
		struct rte_dma_conf conf = { .nb_vchans = 1 };
		struct rte_dma_vchan_conf vc = {
			.direction = RTE_DMA_DIR_MEM_TO_MEM,
			.nb_desc = DSH_NDESC * 4 };
		const char *log;
		int r;

		TEST_ASSERT_EQ(rte_dma_stop(dsh[2].id), 0, "stop c");
		TEST_ASSERT_EQ(rte_dma_configure(dsh[2].id, &conf), 0, "configure c");
		test_log_start();
		r = rte_dma_vchan_setup(dsh[2].id, 0, &vc);
		log = test_log_stop();
		TEST_ASSERT_EQ(r, -EBUSY, "deeper ring while the device runs");
		TEST_ASSERT(strstr(log, "descriptors") != NULL, "reason: %s", log);
		TEST_RUN(dsh_bring_up(&dsh[2]));
		TEST_RUN(dsh_copy(&dsh[2], DSH_BATCH, 700));
	}

	/* All stopped, the last stop stops the device; then all start again. */
	for (unsigned int i = 0; i < nb; i++)
		TEST_ASSERT_EQ(rte_dma_stop(dsh[i].id), 0, "stop %u", i);
	for (unsigned int i = 0; i < nb; i++)
		TEST_RUN(dsh_bring_up(&dsh[i]));
	for (unsigned int i = 0; i < nb; i++)
		TEST_RUN(dsh_copy(&dsh[i], DSH_BATCH, 800 + i));
	for (unsigned int i = 0; i < nb; i++)
		TEST_ASSERT_EQ(rte_dma_stop(dsh[i].id), 0, "final stop %u", i);
	return TEST_OK;
}

static int
dsh_run(unsigned int nb)
{
	int ret = dsh_probe(nb);

	if (ret == TEST_OK)
		ret = dsh_body(nb);
	dsh_remove(nb);
	return ret;
}

static int
t_two_adapters(void)
{
	return dsh_run(2);
}

static int
t_three_adapters(void)
{
	return dsh_run(3);
}

/* rte_sva_dev_container(): which container a device is in. dma_sva puts
 * its adapter in the application's container when there is one (a bind
 * reference there), else in one of its own, gone with the last adapter. */
#define DCQ_SIM "sva_sim_dcq"
#define DCQ_DMA "dma_sva73"

static int
dcq_body(int16_t sid)
{
	struct rte_sva_bond_info bi[2];
	int cid, own;

	TEST_ASSERT_EQ(rte_sva_dev_container(sid), -ENOENT, "in no container");
	/* The adapter makes a container of its own when there is none. */
	TEST_ASSERT_EQ(rte_vdev_init(DCQ_DMA, "dev=" DCQ_SIM), 0, "adapter");
	own = rte_sva_dev_container(sid);
	TEST_ASSERT(own >= 0, "in the adapter's container: %d", own);
	TEST_ASSERT(rte_sva_container_is_valid(own), "a live container");
	TEST_ASSERT_EQ(rte_vdev_uninit(DCQ_DMA), 0, "adapter removed");
	TEST_ASSERT_EQ(rte_sva_dev_container(sid), -ENOENT,
		       "the adapter's container went with it");

	/* The application's own container: the adapter joins it. */
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, sid), 0, "add");
	TEST_ASSERT_EQ(rte_sva_dev_container(sid), cid, "the application's");
	TEST_ASSERT_EQ(rte_vdev_init(DCQ_DMA, "dev=" DCQ_SIM), 0, "adapter");
	TEST_ASSERT_EQ(rte_sva_dev_container(sid), cid, "still the application's");
	TEST_ASSERT_EQ(rte_sva_container_bonds(cid, bi, RTE_DIM(bi)), 1, "one bond");
	TEST_ASSERT(bi[0].self && bi[0].refs == 1, "the adapter's bind");
	TEST_ASSERT_EQ(rte_vdev_uninit(DCQ_DMA), 0, "adapter removed");
	TEST_ASSERT_EQ(rte_sva_dev_container(sid), cid, "left to the application");
	TEST_ASSERT_EQ(rte_sva_container_bonds(cid, bi, RTE_DIM(bi)), 0,
		       "its bind dropped");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(cid, sid), 0, "remove");
	TEST_ASSERT_EQ(rte_sva_dev_container(sid), -ENOENT, "removed");
	TEST_ASSERT_EQ(rte_sva_container_destroy(cid), 0, "destroy");
	return TEST_OK;
}

static int
t_dev_container(void)
{
	int16_t sid;
	int ret;

	TEST_LOGGED(rte_sva_dev_container(-1), -EINVAL, "invalid device id");
	TEST_ASSERT_EQ(rte_sva_dev_container(RTE_SVA_MAX_DEVS), -EINVAL, "id too big");
	TEST_ASSERT_EQ(rte_vdev_init(DCQ_SIM, NULL), 0, "probe " DCQ_SIM);
	sid = (int16_t)rte_sva_get_dev_id_by_name(DCQ_SIM);
	ret = dcq_body(sid);
	rte_vdev_uninit(DCQ_DMA);
	rte_vdev_uninit(DCQ_SIM);
	if (ret == TEST_OK)
		TEST_ASSERT_EQ(rte_sva_dev_container(sid), -EINVAL,
			       "a removed device is no device");
	return ret;
}

static const struct test_case cases[] = {
	{ "dma_sva_shared_two", t_two_adapters },
	{ "dma_sva_shared_three", t_three_adapters },
	{ "dma_sva_shared_dev_container", t_dev_container },
};

const struct test_suite suite_dma_sva_shared = {
	"dma_sva_shared", cases, RTE_DIM(cases)
};
