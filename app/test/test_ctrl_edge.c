/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Regressions of the control path: locking against telemetry, error
 * reporting, devargs. Signal-free (also run under TSan).
 *
 * Devices of its own: sva_sim40..42, sva_idxd40 (a fake sysfs/dev tree in a
 * temp dir, as the idxd suite builds), dma_sva40/41. The fixture's
 * sva_sim0 is used only for argument checks that leave it as it was.
 * Fixtures (fake idxd tree, telemetry client): test_ctrl_edge.h.
 */

#include <pthread.h>
#include <sched.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dmadev.h>
#include <rte_pause.h>
#include <rte_sva_iommu.h>
#include <rte_sva_pmd.h>

#include "dsa_hw.h"
#include "test.h"
#include "test_ctrl_edge.h"

int
own_setup(struct own_dev *o, const char *name, const char *args, bool start)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = { .nb_desc = NDESC,
		.mode = RTE_SVA_QUEUE_DEDICATED, .socket_id = SOCKET_ID_ANY };

	o->cid = -1;
	TEST_ASSERT_EQ(rte_vdev_init(name, args), 0, "probe %s,%s", name, args);
	o->id = (int16_t)rte_sva_get_dev_id_by_name(name);
	TEST_ASSERT(o->id >= 0, "%s registered", name);
	o->cid = rte_sva_container_create();
	TEST_ASSERT(o->cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(o->cid, o->id), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(o->cid, 0, &o->pasid), 0, "bind");
	TEST_ASSERT_EQ(rte_sva_configure(o->id, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_sva_queue_setup(o->id, 0, &qc), 0, "queue");
	if (start)
		TEST_ASSERT_EQ(rte_sva_start(o->id), 0, "start");
	return TEST_OK;
}

void
own_teardown(struct own_dev *o, const char *name)
{
	if (o->cid >= 0)
		rte_sva_container_destroy(o->cid);
	o->cid = -1;
	rte_vdev_uninit(name);
}

/* An idxd device on the tree, configured with one dedicated queue. */
static int
idxd_setup(struct own_dev *o, struct dsa_desc **portal, bool start)
{
	TEST_ASSERT_EQ(tree_build(), 0, "fake tree");
	*portal = test_idxd_portal_map("wq9.0");
	TEST_ASSERT(*portal != NULL, "portal mapped");
	return own_setup(o, IDXD, "wq_prefix=ctrl,submit=portal", start);
}

static void
idxd_teardown(struct own_dev *o, struct dsa_desc *portal)
{
	own_teardown(o, IDXD);
	if (portal != NULL)
		munmap(portal, 4096);
	tree_remove();
}

/* ---------------------------------- item 4: control calls against close */

/* Let a test thread run on every CPU, not only the main lcore's (which it
 * inherits), so that it really runs beside the main thread. */
static void
unpin_self(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	rte_cpuset_t all;

	CPU_ZERO(&all);
	for (long c = 0; c < n && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
}

/* The id of the device being churned, for the other thread (which does not
 * look it up by name: that lookup is not what these tests are about). */
static int churn_id = -1;

/* Probe and remove name iters times; each time the device lives until
 * the other thread has made a few calls on it (*progress moved), so
 * that the removal lands in the middle of its calls. */
static int
churn(const char *name, int iters, const uint64_t *progress, const bool *gone)
{
	for (int i = 0; i < iters; i++) {
		uint64_t deadline = rte_get_timer_cycles() + SEC(2);
		uint64_t p0;

		TEST_ASSERT_EQ(rte_vdev_init(name, NULL), 0, "probe %d", i);
		__atomic_store_n(&churn_id, rte_sva_get_dev_id_by_name(name),
				 __ATOMIC_RELEASE);
		p0 = __atomic_load_n(progress, __ATOMIC_ACQUIRE);
		while (__atomic_load_n(progress, __ATOMIC_ACQUIRE) < p0 + 3 &&
		       !__atomic_load_n(gone, __ATOMIC_ACQUIRE) &&
		       rte_get_timer_cycles() < deadline)
			rte_pause();
		TEST_ASSERT_EQ(rte_vdev_uninit(name), 0, "uninit %d", i);
	}
	return TEST_OK;
}

struct churn {
	bool stop, gone;
	uint64_t calls, ok;
	int bad;                 /* a return value that is neither 0 nor -EINVAL */
};

static void *
iommu_caller(void *arg)
{
	struct churn *ch = arg;
	const struct rte_sva_cache_inv inv = { .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_DOMAIN };
	struct rte_sva_capability cap;

	unpin_self();
	while (!__atomic_load_n(&ch->stop, __ATOMIC_ACQUIRE)) {
		int id = __atomic_load_n(&churn_id, __ATOMIC_ACQUIRE);
		int a, b;

		if (id < 0)
			continue;
		a = rte_sva_capability_get((int16_t)id, &cap);
		b = rte_sva_cache_invalidate((int16_t)id, &inv);
		if (a == 0 && b == 0)
			ch->ok++;
		if ((a != 0 && a != -EINVAL) || (b != 0 && b != -EINVAL))
			ch->bad = a != 0 && a != -EINVAL ? a : b;
		__atomic_store_n(&ch->calls, ch->calls + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Capability and invalidation calls on one thread while another probes
 * and closes the device under them: each call is whole (0 while the
 * device exists, -EINVAL once it is gone), never a driver op of a
 * device half closed. */
static int
t_iommu_vs_close(void)
{
	struct churn ch = { 0 };
	pthread_t th;
	int ret;

	TEST_ASSERT_EQ(pthread_create(&th, NULL, iommu_caller, &ch), 0, "thread");
	ret = churn(SIM_A, 200, &ch.calls, &ch.gone);
	__atomic_store_n(&ch.stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	TEST_ASSERT_EQ(ret, TEST_OK, "probe/uninit churn");
	TEST_ASSERT_EQ(ch.bad, 0, "a call returned neither 0 nor -EINVAL");
	TEST_ASSERT(ch.ok > 0, "no call on a live device");
	printf("    %" PRIu64 " call pairs, %" PRIu64 " on a live device\n",
	       ch.calls, ch.ok);
	return TEST_OK;
}

/* Our connection to this process's telemetry socket (tel_open()). */
static int tel_fd = -1;

/* {"<cmd>": null}: the answer to a refused request. */
static bool
tel_null(const char *cmd)
{
	char want[64];

	if (tel_send(tel_fd, cmd, tel_reply, sizeof(tel_reply)) != 0)
		return false;
	snprintf(want, sizeof(want), "{\"%.*s\":null}", (int)strcspn(cmd, ","), cmd);
	return strcmp(tel_reply, want) == 0;
}

static int
tel_open(void)
{
	if (tel_fd < 0)
		tel_fd = tel_connect();
	if (tel_fd < 0) {
		printf("    no telemetry socket of this process (--no-telemetry?)\n");
		return TEST_SKIPPED;
	}
	return TEST_OK;
}

struct tel_churn {
	bool stop, broken;
	int fd;
	uint64_t replies, named;
	char buf[16 * 1024];
};

static void *
tel_caller(void *arg)
{
	struct tel_churn *tc = arg;

	unpin_self();
	while (!__atomic_load_n(&tc->stop, __ATOMIC_ACQUIRE)) {
		int id = __atomic_load_n(&churn_id, __ATOMIC_ACQUIRE);
		char cmd[32];

		if (id < 0)
			continue;
		snprintf(cmd, sizeof(cmd), "/sva/info,%d", id);
		if (tel_send(tc->fd, cmd, tc->buf, sizeof(tc->buf)) != 0) {
			__atomic_store_n(&tc->broken, true, __ATOMIC_RELEASE);
			break;
		}
		__atomic_store_n(&tc->replies, tc->replies + 1, __ATOMIC_RELEASE);
		/* A reply is null or the whole device, never a half. */
		if (strstr(tc->buf, "null") != NULL)
			continue;
		if (strstr(tc->buf, "\"name\":\"" SIM_A "\"") == NULL ||
		    strstr(tc->buf, "\"inv_caches\"") == NULL) {
			printf("    partial reply: %s\n", tc->buf);
			__atomic_store_n(&tc->broken, true, __ATOMIC_RELEASE);
			break;
		}
		tc->named++;
	}
	return NULL;
}

/* /sva/info answered by the telemetry thread while the device is probed
 * and closed: each reply describes the whole device or is null. */
static int
t_telemetry_vs_close(void)
{
	struct tel_churn *tc = calloc(1, sizeof(*tc));
	pthread_t th;
	int ret;

	TEST_ASSERT(tc != NULL, "calloc");
	tc->fd = tel_connect();
	if (tc->fd < 0) {
		free(tc);
		printf("    no telemetry socket of this process\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_EQ(pthread_create(&th, NULL, tel_caller, tc), 0, "thread");
	ret = churn(SIM_A, 100, &tc->replies, &tc->broken);
	__atomic_store_n(&tc->stop, true, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	close(tc->fd);
	printf("    %" PRIu64 " replies, %" PRIu64 " with the device\n",
	       tc->replies, tc->named);
	if (tc->broken || tc->named == 0)
		ret = TEST_FAILED;
	free(tc);
	TEST_ASSERT_EQ(ret, TEST_OK, "churn, a broken reply or none with the device");
	return TEST_OK;
}

/* -------------------------------------------- item 4: idxd stop and close */

/* One copy handed to the (fake) device, which completes nothing: stop
 * times out, says so, and leaves the device started; once the device
 * writes the record, stop succeeds and the result is there. */
static int
idxd_stop_body(struct own_dev *o, struct dsa_desc *portal)
{
	static uint8_t src[256], dst[256];
	struct rte_sva_result res;
	const char *log;
	int r;

	r = rte_sva_copy(o->id, 0, o->pasid, src, dst, 256, RTE_SVA_OP_FLAG_SUBMIT);
	TEST_ASSERT_EQ(r, 0, "copy enqueued");
	TEST_ASSERT_EQ(dsa_desc_op(&portal[0]), DSA_OP_MEMMOVE, "in the portal");
	test_log_start();
	r = rte_sva_stop(o->id);
	log = test_log_stop();
	TEST_ASSERT_EQ(r, -ETIMEDOUT, "stop with a descriptor in flight");
	TEST_ASSERT(strstr(log, "in flight") != NULL, "stop says why: %s", log);
	TEST_ASSERT_EQ(rte_sva_close(o->id), -EBUSY, "still started: no close");
	test_idxd_complete(&portal[0], DSA_ST_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_stop(o->id), 0, "stop once the device is done");
	TEST_ASSERT_EQ(rte_sva_completed_results(o->id, 0, 1, NULL, &res), 1,
		       "reaped after stop");
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "status");
	return TEST_OK;
}

static int
t_idxd_stop_timeout(void)
{
	struct dsa_desc *portal = NULL;
	struct own_dev o = { .cid = -1 };
	uint64_t before = heap_used();
	int ret;

	ret = idxd_setup(&o, &portal, true);
	if (ret == TEST_OK)
		ret = idxd_stop_body(&o, portal);
	idxd_teardown(&o, portal);
	TEST_ASSERT_EQ(ret, TEST_OK, "body");
	TEST_ASSERT_EQ(heap_used(), before, "a drained device frees everything");
	return TEST_OK;
}

/* Removing the device (rte_vdev_uninit(), as EAL cleanup does) while the
 * device owns a completion record: its stop fails, so nothing is freed and
 * the device's late write lands in memory still ours; once it has written
 * the record, the removal goes through. */
static int
idxd_remove_body(struct own_dev *o, struct dsa_desc *portal)
{
	static uint8_t src[256], dst[256];
	void *records;
	size_t kept = 0;

	TEST_ASSERT_EQ(rte_sva_copy(o->id, 0, o->pasid, src, dst, 256,
				    RTE_SVA_OP_FLAG_SUBMIT), 0, "copy enqueued");
	/* op 0's record is the first of the queue's array */
	records = (void *)(uintptr_t)portal[0].cmpl_addr;
	TEST_ASSERT(rte_vdev_uninit(IDXD) < 0, "removed with a descriptor in flight");
	TEST_ASSERT(rte_sva_get_dev_id_by_name(IDXD) == o->id, "device kept");
	TEST_ASSERT_EQ(rte_malloc_validate(records, &kept), 0,
		       "the records were freed under the device");
	TEST_ASSERT(kept >= NDESC * sizeof(struct dsa_cmpl), "%zu bytes", kept);
	test_idxd_complete(&portal[0], DSA_ST_SUCCESS);
	TEST_ASSERT_EQ(rte_vdev_uninit(IDXD), 0, "removed once the device is done");
	return TEST_OK;
}

static int
t_idxd_remove_in_flight(void)
{
	struct dsa_desc *portal = NULL;
	struct own_dev o = { .cid = -1 };
	int ret = idxd_setup(&o, &portal, true);

	if (ret == TEST_OK)
		ret = idxd_remove_body(&o, portal);
	if (ret != TEST_OK && portal != NULL)
		test_idxd_complete(&portal[0], DSA_ST_SUCCESS);
	idxd_teardown(&o, portal);
	return ret;
}

/* The driver's own safety net, below the library (which closes only a
 * stopped device): a close that finds a record the device may still write
 * keeps that queue's records allocated (a leak its log line names) rather
 * than let the heap hand them out again, and frees everything else. */
static int
idxd_close_body(struct own_dev *o, struct dsa_desc *portal)
{
	static uint8_t src[256], dst[256];
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(o->id);
	size_t kept = 0;
	const char *log;
	void *records;
	char want[64];
	int r;

	TEST_ASSERT(dev != NULL, "device");
	TEST_ASSERT_EQ(rte_sva_copy(o->id, 0, o->pasid, src, dst, 256,
				    RTE_SVA_OP_FLAG_SUBMIT), 0, "copy enqueued");
	records = (void *)(uintptr_t)portal[0].cmpl_addr;
	snprintf(want, sizeof(want), "%zu bytes at %p",
		 NDESC * sizeof(struct dsa_cmpl), records);
	test_log_start();
	r = dev->dev_ops->dev_close(dev);
	log = test_log_stop();
	TEST_ASSERT_EQ(r, 0, "driver close");
	TEST_ASSERT(strstr(log, "leak") != NULL && strstr(log, want) != NULL,
		    "the leak is logged (\"%s\"): %s", want, log);
	TEST_ASSERT_EQ(rte_malloc_validate(records, &kept), 0,
		       "the records were freed under the device");
	TEST_ASSERT(kept >= NDESC * sizeof(struct dsa_cmpl), "%zu bytes", kept);
	/* The device's late write, then the test (knowing it is gone)
	 * gives the memory back. */
	test_idxd_complete(&portal[0], DSA_ST_SUCCESS);
	rte_free(records);
	return TEST_OK;
}

static int
t_idxd_close_keeps_records(void)
{
	struct dsa_desc *portal = NULL;
	struct own_dev o = { .cid = -1 };
	int ret = idxd_setup(&o, &portal, true);

	if (ret == TEST_OK)
		ret = idxd_close_body(&o, portal);
	/* The library then stops (nothing left to drain) and releases it. */
	idxd_teardown(&o, portal);
	TEST_ASSERT(rte_sva_get_dev_id_by_name(IDXD) < 0, "released");
	return ret;
}

/* -------------------------------- item 12: invalidation range arithmetic */

static int
inv_addr(uint64_t addr, uint64_t granule, uint64_t nb)
{
	struct rte_sva_cache_inv inv = { .cache = RTE_SVA_INV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_ADDR, .pasid = tenv.pasid,
		.addr = addr, .granule_size = granule, .nb_granules = nb };

	return rte_sva_cache_invalidate(tenv.dev_id, &inv);
}

/* Ranges end at 2^57 at most; no sum or product may wrap. */
static int
t_inv_range_edges(void)
{
	const uint64_t top = RTE_BIT64(57), pg = 4096;

	TEST_ASSERT_EQ(inv_addr(top - pg, pg, 1), 0, "last page below 2^57");
	TEST_ASSERT_EQ(inv_addr(0, RTE_BIT64(39), RTE_BIT64(18)), 0,
		       "exactly [0, 2^57)");
	TEST_ASSERT_EQ(inv_addr(top - pg, pg, 2), -EINVAL, "ends past 2^57");
	TEST_ASSERT_EQ(inv_addr(0, RTE_BIT64(39), RTE_BIT64(18) + 1), -EINVAL,
		       "one granule too many");
	TEST_ASSERT_EQ(inv_addr(top, pg, 1), -EINVAL, "starts at 2^57");
	TEST_ASSERT_EQ(inv_addr(top + pg, pg, 1), -EINVAL, "above 2^57");
	TEST_ASSERT_EQ(inv_addr(RTE_BIT64(63), pg, 1), -EINVAL, "2^63");
	TEST_ASSERT_EQ(inv_addr(UINT64_MAX - pg + 1, pg, 1), -EINVAL,
		       "addr + size wraps to 0");
	TEST_ASSERT_EQ(inv_addr(0, pg, UINT64_MAX), -EINVAL, "count wraps");
	TEST_ASSERT_EQ(inv_addr(0, RTE_BIT64(39), RTE_BIT64(25)), -EINVAL,
		       "size 2^64 wraps to 0");
	TEST_ASSERT_EQ(inv_addr(top + pg, pg, UINT64_MAX / pg), -EINVAL,
		       "both wrap");
	return TEST_OK;
}

/* ---------------------------- item 15: enqueue on a device not started */

/* Every enqueue function, submit and burst_capacity on a device that is
 * not started: -EINVAL (capacity 0), nothing logged at INFO or above. */
static int
refused_all(int16_t id, uint32_t pasid, const char *when)
{
	static uint8_t a[4096] __rte_aligned(4096), b[4096] __rte_aligned(4096),
		c[8192] __rte_aligned(4096);
	const uint64_t f = RTE_SVA_OP_FLAG_SUBMIT;
	int r[9];
	const char *log;

	test_log_start();
	r[0] = rte_sva_copy(id, 0, pasid, a, b, 64, f);
	r[1] = rte_sva_fill(id, 0, pasid, 7, b, 64, f);
	r[2] = rte_sva_compare(id, 0, pasid, a, b, 64, f);
	r[3] = rte_sva_compare_pattern(id, 0, pasid, a, 7, 64, f);
	r[4] = rte_sva_crc32c(id, 0, pasid, a, 0, 64, f);
	r[5] = rte_sva_copy_crc32c(id, 0, pasid, a, b, 0, 64, f);
	r[6] = rte_sva_dualcast(id, 0, pasid, a, c, c + 4096, 64, f);
	r[7] = rte_sva_submit(id, 0);
	r[8] = rte_sva_burst_capacity(id, 0);
	log = test_log_stop();
	for (int i = 0; i < 8; i++)
		TEST_ASSERT_EQ(r[i], -EINVAL, "%s: call %d", when, i);
	TEST_ASSERT_EQ(r[8], 0, "%s: burst capacity", when);
	TEST_ASSERT_EQ(strlen(log), 0, "%s: logged: %s", when, log);
	return TEST_OK;
}

/* One copy on a started device, completed by complete() if not NULL (the
 * fake idxd portal), and its ring index. */
int
one_copy(struct own_dev *o, int want_idx, struct dsa_desc *portal_slot)
{
	static uint8_t src[512], dst[512];
	struct rte_sva_result res;
	uint64_t deadline = rte_get_timer_cycles() + SEC(5);
	int r;

	test_fill_random(src, sizeof(src), (uint64_t)want_idx + 1);
	r = rte_sva_copy(o->id, 0, o->pasid, src, dst, sizeof(src),
			 RTE_SVA_OP_FLAG_SUBMIT);
	TEST_ASSERT_EQ(r, want_idx, "ring index");
	if (portal_slot != NULL) {
		memcpy(dst, src, sizeof(src));
		test_idxd_complete(portal_slot, DSA_ST_SUCCESS);
	}
	while (rte_sva_completed_results(o->id, 0, 1, NULL, &res) == 0) {
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "completion");
		rte_pause();
	}
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "status");
	TEST_ASSERT(memcmp(src, dst, sizeof(src)) == 0, "data");
	return TEST_OK;
}

static int
stopped_body(struct own_dev *o, struct dsa_desc *portal)
{
	struct rte_sva_stats st;

	TEST_RUN(refused_all(o->id, o->pasid, "configured, never started"));
	TEST_ASSERT_EQ(rte_sva_start(o->id), 0, "start");
	TEST_RUN(one_copy(o, 0, portal != NULL ? &portal[0] : NULL));
	TEST_ASSERT_EQ(rte_sva_stop(o->id), 0, "stop");
	TEST_RUN(refused_all(o->id, o->pasid, "stopped"));
	TEST_ASSERT_EQ(rte_sva_stats_get(o->id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, 1, "refused ops are not submitted");
	TEST_ASSERT_EQ(st.completed, 1, "completed");
	TEST_ASSERT_EQ(rte_sva_start(o->id), 0, "restart");
	TEST_RUN(one_copy(o, 1, portal != NULL ? &portal[1] : NULL));
	TEST_ASSERT_EQ(rte_sva_stop(o->id), 0, "stop again");
	return TEST_OK;
}

static int
t_enqueue_stopped_sim(void)
{
	struct own_dev o = { .cid = -1 };
	int ret = own_setup(&o, SIM_A, NULL, false);

	if (ret == TEST_OK)
		ret = stopped_body(&o, NULL);
	own_teardown(&o, SIM_A);
	return ret;
}

static int
t_enqueue_stopped_idxd(void)
{
	struct dsa_desc *portal = NULL;
	struct own_dev o = { .cid = -1 };
	int ret = idxd_setup(&o, &portal, false);

	if (ret == TEST_OK)
		ret = stopped_body(&o, portal);
	idxd_teardown(&o, portal);
	return ret;
}

/* dma_sva: an adapter stopped while another one keeps the SVA device
 * running refuses copies all the same. */
static int
dma_ready(int16_t *id, const char *name)
{
	struct rte_dma_conf conf = { .nb_vchans = 1 };
	struct rte_dma_vchan_conf vc = { .direction = RTE_DMA_DIR_MEM_TO_MEM,
		.nb_desc = NDESC };
	int d = rte_dma_get_dev_id_by_name(name);

	TEST_ASSERT(d >= 0, "%s registered", name);
	*id = (int16_t)d;
	TEST_ASSERT_EQ(rte_dma_configure(*id, &conf), 0, "%s configure", name);
	TEST_ASSERT_EQ(rte_dma_vchan_setup(*id, 0, &vc), 0, "%s vchan", name);
	return TEST_OK;
}

static int
dma_copy_done(int16_t id, uint8_t *src, uint8_t *dst)
{
	uint64_t deadline = rte_get_timer_cycles() + SEC(5);
	uint16_t last;
	bool err = false;
	int r;

	memset(dst, 0, 256);
	r = rte_dma_copy(id, 0, (rte_iova_t)(uintptr_t)src,
			 (rte_iova_t)(uintptr_t)dst, 256, RTE_DMA_OP_FLAG_SUBMIT);
	TEST_ASSERT(r >= 0, "copy on dmadev %d: %d", id, r);
	while (rte_dma_completed(id, 0, 1, &last, &err) == 0) {
		TEST_ASSERT(!err && rte_get_timer_cycles() < deadline, "done");
		rte_pause();
	}
	TEST_ASSERT(memcmp(src, dst, 256) == 0, "data");
	return TEST_OK;
}

static int
dma_body(void)
{
	static uint8_t src[256], dst[256];
	int16_t a, b;
	const char *log;
	int r, cap;

	test_fill_random(src, sizeof(src), 15);
	TEST_RUN(dma_ready(&a, DMA_A));
	TEST_RUN(dma_ready(&b, DMA_B));
	TEST_ASSERT_EQ(rte_dma_copy(a, 0, (uintptr_t)src, (uintptr_t)dst, 256, 0),
		       -EINVAL, "before start");
	TEST_ASSERT_EQ(rte_dma_start(a), 0, "start a");
	TEST_ASSERT_EQ(rte_dma_start(b), 0, "start b");
	TEST_RUN(dma_copy_done(a, src, dst));
	TEST_ASSERT_EQ(rte_dma_stop(a), 0, "stop a; b keeps the device running");
	test_log_start();
	r = rte_dma_copy(a, 0, (uintptr_t)src, (uintptr_t)dst, 256,
			 RTE_DMA_OP_FLAG_SUBMIT);
	cap = rte_dma_burst_capacity(a, 0);
	log = test_log_stop();
	TEST_ASSERT_EQ(r, -EINVAL, "copy on the stopped adapter");
	TEST_ASSERT_EQ(cap, 0, "no capacity while stopped");
	TEST_ASSERT_EQ(strlen(log), 0, "logged: %s", log);
	TEST_RUN(dma_copy_done(b, src, dst));
	TEST_ASSERT_EQ(rte_dma_stop(b), 0, "stop b: the device stops");
	TEST_ASSERT_EQ(rte_dma_copy(b, 0, (uintptr_t)src, (uintptr_t)dst, 256, 0),
		       -EINVAL, "copy on the last stopped adapter");
	TEST_ASSERT_EQ(rte_dma_start(a), 0, "restart a");
	TEST_RUN(dma_copy_done(a, src, dst));
	TEST_ASSERT_EQ(rte_dma_stop(a), 0, "stop a");
	return TEST_OK;
}

static int
t_enqueue_stopped_dma_sva(void)
{
	int ret = TEST_FAILED;

	TEST_ASSERT_EQ(rte_vdev_init(SIM_B, NULL), 0, "probe " SIM_B);
	if (rte_vdev_init(DMA_A, "dev=" SIM_B ",queue=0") == 0) {
		if (rte_vdev_init(DMA_B, "dev=" SIM_B ",queue=1") == 0) {
			ret = dma_body();
			rte_vdev_uninit(DMA_B);
		}
		rte_vdev_uninit(DMA_A);
	}
	rte_vdev_uninit(SIM_B);
	return ret;
}

/* ------------------------------------ item 17: telemetry parameters */

static int
t_telemetry_params(void)
{
	int ret = tel_open();

	if (ret != TEST_OK)
		return ret;
	TEST_ASSERT(!tel_null("/sva/list"), "list: %s", tel_reply);
	TEST_ASSERT(!tel_null("/sva/bonds"), "bonds: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/list,0"), "list takes no parameters: %s",
		    tel_reply);
	TEST_ASSERT(tel_null("/sva/list,x"), "list,x: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/bonds,0"), "bonds takes no parameters: %s",
		    tel_reply);
	TEST_ASSERT(tel_null("/sva/info,0,0"), "info,0,0: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/info,+0"), "info,+0: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/info,0x0"), "info,0x0: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/stats,0,0,0"), "stats,0,0,0: %s", tel_reply);
	TEST_ASSERT(tel_null("/sva/faults,0,0"), "faults,0,0: %s", tel_reply);
	return TEST_OK;
}

/* A lookup by name while another thread probes and removes a device: the
 * slot's name is rewritten at allocation, so the lookup takes the control
 * lock (TSan saw the race). */
struct name_reader {
	int stop, calls, wrong;   /* atomics */
};

static void *
name_reader_main(void *arg)
{
	struct name_reader *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		int id = rte_sva_get_dev_id_by_name("sva_sim42");

		if (rte_sva_get_dev_id_by_name("sva_sim0") != tenv.dev_id ||
		    (id != -ENODEV && (id < 0 || id >= RTE_SVA_MAX_DEVS)))
			__atomic_fetch_add(&r->wrong, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
t_lookup_vs_probe(void)
{
	struct name_reader r = { 0 };
	pthread_t th;
	int ret = TEST_OK;

	TEST_ASSERT_EQ(pthread_create(&th, NULL, name_reader_main, &r), 0, "reader");
	for (int i = 0; i < 200 && ret == TEST_OK; i++) {
		if (rte_vdev_init("sva_sim42", NULL) != 0 || rte_vdev_uninit("sva_sim42") != 0)
			ret = TEST_FAILED;
	}
	while (__atomic_load_n(&r.calls, __ATOMIC_RELAXED) == 0)
		rte_pause();
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	TEST_ASSERT_EQ(ret, TEST_OK, "probe/remove sva_sim42");
	TEST_ASSERT_EQ(r.wrong, 0, "lookups of sva_sim0 gone wrong (of %d)", r.calls);
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "ctrl_lookup_by_name_vs_probe", t_lookup_vs_probe },
	{ "ctrl_iommu_calls_vs_close", t_iommu_vs_close },
	{ "ctrl_telemetry_info_vs_close", t_telemetry_vs_close },
	{ "ctrl_idxd_stop_timeout", t_idxd_stop_timeout },
	{ "ctrl_idxd_remove_in_flight", t_idxd_remove_in_flight },
	{ "ctrl_idxd_close_keeps_records", t_idxd_close_keeps_records },
	{ "ctrl_inv_range_edges", t_inv_range_edges },
	{ "ctrl_enqueue_stopped_sim", t_enqueue_stopped_sim },
	{ "ctrl_enqueue_stopped_idxd", t_enqueue_stopped_idxd },
	{ "ctrl_enqueue_stopped_dma_sva", t_enqueue_stopped_dma_sva },
	{ "ctrl_devargs_sim", t_devargs_sim },
	{ "ctrl_devargs_engine_cpu", t_devargs_engine_cpu },
	{ "ctrl_devargs_engine_default", t_devargs_engine_default },
	{ "ctrl_devargs_idxd", t_devargs_idxd },
	{ "ctrl_devargs_dma_sva", t_devargs_dma_sva },
	{ "ctrl_telemetry_params", t_telemetry_params },
};

const struct test_suite suite_ctrl_edge = { "ctrl_edge", cases, RTE_DIM(cases),
	ctrl_devargs_roles };
