/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite "conformance": the public API's contract, checked on EVERY SVA
 * device of the process (rte_sva_next_dev()), whatever its driver. Each
 * case runs on each device; what a device does not advertise (dev_capa,
 * op_capa, the IOMMU path's caps) is skipped with a line saying why, as
 * DPDK's test_dmadev does. Only public headers: what a driver does inside
 * is the white-box suites' business (sim_edge, idxd, iommufd, ...).
 *
 * meson runs it over several device sets (app/test/meson.build):
 * sva_sim with its defaults, with page requests, with all queues on one
 * shared work queue (SVA_CONFORMANCE_QUEUES=shared), and an sva_idxd
 * device on the fake sysfs/dev tree (SVA_CONFORMANCE_IDXD=1), whose portal
 * is plain memory: nothing executes its descriptors, so the cases that
 * need completions are skipped there, saying so.
 */

#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_sva_iommu.h>

#include "test.h"
#include "test_conformance.h"
#include "test_idxd_tree.h"

#define IDXD_NAME "sva_idxd_conf0"

static bool idxd_probed;

int
conf_skip(const struct cdev *c, const char *why)
{
	printf("    skipped: device %s %s\n", c->info.dev_name, why);
	return TEST_SKIPPED;
}

bool
conf_shared_mode(void)
{
	const char *m = getenv("SVA_CONFORMANCE_QUEUES");

	return m != NULL && strcmp(m, "shared") == 0;
}

uint16_t
conf_depth(const struct cdev *c, uint16_t want)
{
	return RTE_MIN(RTE_MAX(want, c->info.min_desc), c->info.max_desc);
}

int
conf_queues_up(struct cdev *c, uint16_t nb_queues, uint16_t depth)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qc = {
		.nb_desc = conf_depth(c, depth), .socket_id = SOCKET_ID_ANY,
	};

	if (conf_shared_mode()) {
		CONF_NEED(c, dev_capa, RTE_SVA_CAPA_SHARED_QUEUE);
		qc.mode = RTE_SVA_QUEUE_SHARED;   /* every queue on work queue 0 */
	} else {
		CONF_NEED(c, dev_capa, RTE_SVA_CAPA_DEDICATED_QUEUE);
		qc.mode = RTE_SVA_QUEUE_DEDICATED;
	}
	rte_sva_stop(c->id);
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), 0, "configure %u queues", nb_queues);
	for (uint16_t q = 0; q < nb_queues; q++)
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, q, &qc), 0, "queue %u", q);
	TEST_ASSERT_EQ(rte_sva_start(c->id), 0, "start");
	TEST_ASSERT_EQ(rte_sva_stats_reset(c->id, RTE_SVA_ALL_QUEUES), 0, "stats reset");
	return TEST_OK;
}

int
conf_wait(const struct cdev *c, uint16_t qid, uint16_t n, struct rte_sva_result *res)
{
	/* A device with page requests may raise one for any page: serve. */
	return test_wait_served(c->id, qid, n, res,
				(c->info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST) != 0, 10);
}

/* The fake idxd tree: one user dedicated WQ whose portal the driver maps. */
static void
idxd_probe(void)
{
	if (getenv("SVA_CONFORMANCE_IDXD") == NULL || idxd_probed)
		return;
	idxd_probed = true;
	atexit(test_idxd_tree_remove);   /* the device keeps the portal mapped */
	if (test_idxd_tree_create("dsa0") != 0 ||
	    test_idxd_add_wq("wq0.0", "user", "conf_d", "enabled", "dedicated",
			     TEST_IDXD_NODE_PORTAL) != 0 ||
	    rte_vdev_init(IDXD_NAME, "wq_prefix=conf") != 0)
		printf("    cannot set up the fake idxd tree: the idxd device is missing\n");
}

static int
cdev_open(int16_t id, struct cdev *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->cid = -1;
	TEST_ASSERT_EQ(rte_sva_info_get(id, &c->info), 0, "info of device %d", id);
	c->passive = strcmp(c->info.dev_name, IDXD_NAME) == 0;
	if (id == tenv.dev_id) {   /* the runner's fixture: already bound */
		c->cid = tenv.cid;
		c->pasid = tenv.pasid;
		return TEST_OK;
	}
	c->cid = rte_sva_container_create();
	TEST_ASSERT(c->cid >= 0, "container: %d", c->cid);
	c->own_cid = true;
	r = rte_sva_container_add_dev(c->cid, id);
	if (r == -EEXIST)
		return conf_skip(c, "is in a container this suite does not own");
	TEST_ASSERT_EQ(r, 0, "add %s", c->info.dev_name);
	TEST_ASSERT_EQ(rte_sva_bind(c->cid, 0, &c->pasid), 0, "bind to %s", c->info.dev_name);
	return TEST_OK;
}

static int
cdev_close(struct cdev *c)
{
	if (c->own_cid) {
		rte_sva_stop(c->id);
		rte_sva_container_destroy(c->cid);
		return TEST_OK;
	}
	if (c->id == tenv.dev_id &&
	    test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH) != 0) {
		printf("    FAIL: cannot restore the fixture's device\n");
		return TEST_FAILED;
	}
	return TEST_OK;
}

int
conf_each_dev(int (*fn)(struct cdev *c))
{
	unsigned int ran = 0;
	int16_t id;

	idxd_probe();
	RTE_SVA_FOREACH_DEV(id) {
		struct cdev c;
		int r = cdev_open(id, &c);

		if (r == TEST_OK)
			r = fn(&c);
		if (cdev_close(&c) != TEST_OK)
			r = TEST_FAILED;
		if (r == TEST_FAILED) {
			printf("    on device %s (%s)\n", c.info.dev_name, c.info.driver_name);
			return TEST_FAILED;
		}
		ran += r == TEST_OK;
	}
	return ran > 0 ? TEST_OK : TEST_SKIPPED;
}

/* -------------------------------------------------------------- info */

static int
info_body(struct cdev *c)
{
	const struct rte_sva_info *i = &c->info;
	char name[RTE_SVA_NAME_MAX_LEN];

	TEST_ASSERT(rte_sva_is_valid(c->id), "valid");
	TEST_ASSERT(i->dev_name != NULL && i->driver_name != NULL, "names");
	snprintf(name, sizeof(name), "%s", i->dev_name);
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name(name), c->id, "id by name %s", name);
	TEST_ASSERT(i->max_queues >= 1 && i->max_queues <= RTE_SVA_MAX_QUEUES,
		    "max_queues %u", i->max_queues);
	TEST_ASSERT(rte_is_power_of_2(i->min_desc) && rte_is_power_of_2(i->max_desc) &&
		    i->min_desc <= i->max_desc, "depths %u..%u", i->min_desc, i->max_desc);
	TEST_ASSERT(i->pasid_bits >= 1 && i->pasid_bits <= RTE_SVA_PASID_BITS_MAX,
		    "pasid_bits %u", i->pasid_bits);
	TEST_ASSERT(i->max_xfer_size > 0, "max_xfer_size");
	TEST_ASSERT(i->dev_capa & (RTE_SVA_CAPA_DEDICATED_QUEUE | RTE_SVA_CAPA_SHARED_QUEUE),
		    "some queue mode");
	TEST_ASSERT((i->dev_capa & RTE_SVA_CAPA_SHARED_QUEUE) == 0 || i->max_wqs >= 1,
		    "shared queues need a work queue");
	TEST_ASSERT_EQ(rte_sva_info_get(c->id, NULL), -EINVAL, "NULL info");
	TEST_ASSERT_EQ(rte_sva_dump(c->id, NULL), -EINVAL, "dump to NULL");
	return TEST_OK;
}

static int
test_info(void)
{
	struct rte_sva_info i;
	unsigned int n = 0;
	int16_t id;

	RTE_SVA_FOREACH_DEV(id)
		n++;
	TEST_ASSERT_EQ(rte_sva_count_avail(), n, "count_avail agrees with next_dev");
	TEST_ASSERT_EQ(rte_sva_info_get(-1, &i), -EINVAL, "dev -1");
	TEST_ASSERT_EQ(rte_sva_info_get(RTE_SVA_MAX_DEVS, &i), -EINVAL, "dev MAX");
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name(NULL), -EINVAL, "NULL name");
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("no_such_sva_dev"), -ENODEV, "no name");
	TEST_ASSERT_EQ(rte_sva_next_dev(RTE_SVA_MAX_DEVS), -1, "past the end");
	return conf_each_dev(info_body);
}

/* ---------------------------------------------------------- lifecycle */

static int
lifecycle_body(struct cdev *c)
{
	const struct rte_sva_info *i = &c->info;
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = {
		.nb_desc = conf_depth(c, 64), .socket_id = SOCKET_ID_ANY,
	};
	uint8_t b[64];

	qc.mode = i->dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE ? RTE_SVA_QUEUE_DEDICATED :
							       RTE_SVA_QUEUE_SHARED;
	TEST_ASSERT_EQ(rte_sva_stop(c->id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_stop(c->id), 0, "stop again");
	/* configure: every bad field refused */
	TEST_ASSERT_EQ(rte_sva_configure(c->id, NULL), -EINVAL, "NULL conf");
	conf.nb_queues = 0;
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), -EINVAL, "0 queues");
	conf.nb_queues = i->max_queues + 1;
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), -EINVAL, "max_queues + 1");
	conf.nb_queues = 1;
	conf.flags = 1;
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), -EINVAL, "flags");
	conf.flags = 0;
	conf.reserved[3] = 1;
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), -EINVAL, "reserved");
	conf.reserved[3] = 0;
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), 0, "configure");
	/* a queue not set up: no start */
	TEST_ASSERT_EQ(rte_sva_start(c->id), -EINVAL, "start before queue setup");
	/* queue setup: every bad field refused */
	TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, NULL), -EINVAL, "NULL qconf");
	TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 1, &qc), -EINVAL, "qid 1 of 1");
	qc.nb_desc = i->min_desc + 1;
	if (!rte_is_power_of_2(qc.nb_desc))
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EINVAL, "depth %u",
			       qc.nb_desc);
	if (i->min_desc > 1) {
		qc.nb_desc = i->min_desc / 2;
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EINVAL, "below min");
	}
	if (i->max_desc < 32768) {
		qc.nb_desc = i->max_desc * 2;
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EINVAL, "above max");
	}
	qc.nb_desc = conf_depth(c, 64);
	qc.reserved[0] = 1;
	TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EINVAL, "reserved");
	qc.reserved[0] = 0;
	qc.mode = 7;
	TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EINVAL, "mode 7");
	qc.mode = RTE_SVA_QUEUE_SHARED;
	if ((i->dev_capa & RTE_SVA_CAPA_SHARED_QUEUE) == 0)
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -ENOTSUP, "shared");
	else
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), 0, "shared");
	qc.mode = RTE_SVA_QUEUE_DEDICATED;
	if ((i->dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE) == 0)
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -ENOTSUP, "dedicated");
	else
		TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), 0, "dedicated");
	/* started: the device refuses changes, also its close */
	TEST_ASSERT_EQ(rte_sva_start(c->id), 0, "start");
	TEST_ASSERT_EQ(rte_sva_start(c->id), 0, "start again");
	TEST_ASSERT_EQ(rte_sva_info_get(c->id, &c->info), 0, "info");
	TEST_ASSERT_EQ(c->info.nb_queues, 1, "nb_queues reported");
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), -EBUSY, "configure started");
	TEST_ASSERT_EQ(rte_sva_queue_setup(c->id, 0, &qc), -EBUSY, "queue setup started");
	TEST_ASSERT_EQ(rte_sva_close(c->id), -EBUSY, "close started");
	TEST_ASSERT(rte_sva_burst_capacity(c->id, 0) > 0, "capacity when started");
	/* stopped: the fast path refuses, the device may be reconfigured */
	TEST_ASSERT_EQ(rte_sva_stop(c->id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(c->id, 0), 0, "capacity when stopped");
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, c->pasid, b, b + 32, 32, 0), -EINVAL,
		       "enqueue when stopped");
	TEST_ASSERT_EQ(rte_sva_submit(c->id, 0), -EINVAL, "submit when stopped");
	conf.nb_queues = RTE_MIN(i->max_queues, 2);
	TEST_ASSERT_EQ(rte_sva_configure(c->id, &conf), 0, "reconfigure");
	return TEST_OK;
}

static int
test_lifecycle(void)
{
	return conf_each_dev(lifecycle_body);
}

/* ------------------------------------------------------ bad arguments */

static int
badargs_body(struct cdev *c)
{
	struct rte_sva_stats st;
	uint16_t status;
	uint8_t b[128];
	const char *log;

	TEST_RUN(conf_queues_up(c, 1, 64));
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 1, &st), -EINVAL, "stats of qid 1");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, NULL), -EINVAL, "NULL stats");
	TEST_ASSERT_EQ(rte_sva_stats_reset(c->id, 5), -EINVAL, "reset qid 5");
	test_log_start();
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, c->pasid, b, b + 64, 0, 0), -EINVAL, "len 0");
	log = test_log_stop();
	TEST_ASSERT(log[0] != '\0', "a refused length is logged");
	if (c->info.max_xfer_size < UINT32_MAX)
		TEST_ASSERT_EQ(rte_sva_fill(c->id, 0, c->pasid, 0, b,
					    c->info.max_xfer_size + 1, 0), -EINVAL,
			       "len max_xfer_size + 1");
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, c->pasid, b, b + 64, 8, RTE_BIT64(40)),
		       -EINVAL, "unknown flag");
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, 1u << RTE_SVA_PASID_BITS_MAX, b, b + 64, 8, 0),
		       -EINVAL, "a PASID wider than 20 bits");
	TEST_ASSERT_EQ(rte_sva_crc32c(c->id, 0, c->pasid, b, 0, 0, 0), -EINVAL, "crc len 0");
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 1, c->pasid, b, b + 64, 8, 0), -EINVAL, "qid 1");
	TEST_ASSERT_EQ(rte_sva_copy_resume(c->id, 0, c->pasid, b, b + 64, 8, NULL, 0),
		       -EINVAL, "resume without a result");
	/* Nothing of the above reached the device. */
	TEST_ASSERT_EQ(rte_sva_submit(c->id, 0), 0, "submit nothing");
	for (int k = 0; k < 1000; k++)
		TEST_ASSERT_EQ(rte_sva_completed_status(c->id, 0, 1, NULL, &status), 0,
			       "a completion of nothing");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, 0, "nothing submitted");
	return TEST_OK;
}

static int
test_badargs(void)
{
	return conf_each_dev(badargs_body);
}

/* ------------------------------------------------------ ring and stats */

/* Enough operations to wrap the 16-bit ring index; every index in turn. */
#define WRAP_OPS 70000u

static int
wrap_body(struct cdev *c)
{
	struct rte_sva_result res[32];
	struct rte_sva_stats st, all;
	uint8_t src[64], dst[64];
	uint32_t done = 0;
	uint16_t want = 0, cap;
	int idx;

	CONF_NEED_ENGINE(c);
	TEST_RUN(conf_queues_up(c, 1, 64));
	/* The ring holds what burst_capacity says, then -ENOSPC. */
	cap = rte_sva_burst_capacity(c->id, 0);
	TEST_ASSERT(cap > 0, "capacity");
	for (uint16_t k = 0; k < cap; k++, want++)
		TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, c->pasid, src, dst, 64, 0), want,
			       "index %u", want);
	TEST_ASSERT_EQ(rte_sva_copy(c->id, 0, c->pasid, src, dst, 64, 0), -ENOSPC, "full");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(c->id, 0), 0, "no capacity");
	rte_sva_submit(c->id, 0);
	for (uint32_t k = 0; k < cap; k += 32)
		TEST_ASSERT_EQ(conf_wait(c, 0, RTE_MIN(32u, cap - k), res), 0, "reap");
	done = cap;
	test_fill_random(src, sizeof(src), 11);
	while (done < WRAP_OPS) {
		uint16_t n = RTE_MIN(32u, WRAP_OPS - done);

		for (uint16_t k = 0; k < n; k++, want++) {
			idx = rte_sva_copy(c->id, 0, c->pasid, src, dst, 64, 0);
			TEST_ASSERT_EQ(idx, want, "index after %u operations", done + k);
		}
		TEST_ASSERT(rte_sva_submit(c->id, 0) == 0 || conf_shared_mode(), "submit");
		TEST_ASSERT_EQ(conf_wait(c, 0, n, res), 0, "reap at %u", done);
		for (uint16_t k = 0; k < n; k++)
			TEST_ASSERT_EQ(res[k].status, RTE_SVA_STATUS_SUCCESS, "op %u", done + k);
		done += n;
	}
	TEST_ASSERT(memcmp(src, dst, sizeof(src)) == 0, "the last copy's bytes");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, &st), 0, "stats");
	TEST_ASSERT_EQ(st.submitted, WRAP_OPS, "submitted");
	TEST_ASSERT_EQ(st.completed, WRAP_OPS, "completed");
	TEST_ASSERT_EQ(st.errors, 0, "errors");
	TEST_ASSERT_EQ(st.bytes, (uint64_t)WRAP_OPS * 64, "bytes");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, RTE_SVA_ALL_QUEUES, &all), 0, "all");
	TEST_ASSERT_EQ(all.completed, st.completed, "the device's sum");
	TEST_ASSERT_EQ(rte_sva_stats_reset(c->id, RTE_SVA_ALL_QUEUES), 0, "reset");
	TEST_ASSERT_EQ(rte_sva_stats_get(c->id, 0, &st), 0, "stats");
	TEST_ASSERT(st.submitted == 0 && st.completed == 0 && st.bytes == 0, "reset to 0");
	idx = rte_sva_queue_idle(c->id, 0);
	TEST_ASSERT(idx == 1 || idx == -ENOTSUP, "idle after every completion: %d", idx);
	return TEST_OK;
}

static int
test_ring_wrap_stats(void)
{
	return conf_each_dev(wrap_body);
}

/* ---------------------------------------------------------- IOMMU caps */

static int
caps_body(struct cdev *c)
{
	struct rte_sva_capability cap, ccap;
	int cid;

	TEST_ASSERT_EQ(rte_sva_capability_get(c->id, NULL), -EINVAL, "NULL cap");
	TEST_ASSERT_EQ(rte_sva_capability_get(c->id, &cap), 0, "capability");
	TEST_ASSERT(cap.pasid_bits >= 1 && cap.pasid_bits <= RTE_SVA_PASID_BITS_MAX,
		    "pasid_bits %u", cap.pasid_bits);
	TEST_ASSERT(cap.addr_width >= 32 && cap.addr_width <= 64, "addr_width %u",
		    cap.addr_width);
	/* A container of this one device reports the device's caps. */
	if (c->own_cid) {
		cid = c->cid;
	} else {
		TEST_ASSERT_EQ(rte_sva_container_devs(c->cid, NULL, 0), 1,
			       "the fixture's container holds its device only");
		cid = c->cid;
	}
	TEST_ASSERT_EQ(rte_sva_container_capability_get(cid, &ccap), 0, "container caps");
	TEST_ASSERT_EQ(ccap.flags, cap.flags, "flags");
	TEST_ASSERT_EQ(ccap.inv_caches, cap.inv_caches, "inv_caches");
	TEST_ASSERT_EQ(ccap.pasid_bits, cap.pasid_bits, "pasid_bits");
	TEST_ASSERT_EQ(ccap.addr_width, cap.addr_width, "addr_width");
	/* The PASID we hold fits the widths both report, unless the kernel
	 * owns it and did not say which it is. */
	if (c->pasid != CONF_PASID_KERNEL)
		TEST_ASSERT(c->pasid < (1u << cap.pasid_bits) &&
			    c->pasid < (1u << c->info.pasid_bits), "PASID %u fits", c->pasid);
	return TEST_OK;
}

static int
test_caps(void)
{
	struct rte_sva_capability cap;

	TEST_ASSERT_EQ(rte_sva_capability_get(-1, &cap), -EINVAL, "dev -1");
	return conf_each_dev(caps_body);
}

/* ------------------------------------------------------------- bonds */

static int
bind_body(struct cdev *c)
{
	struct rte_sva_bond_info bi[4];
	struct rte_sva_result res;
	uint32_t p2, p3;
	uint8_t src[64] = { 1 }, dst[64];
	int cid, other;

	CONF_NEED_ENGINE(c);
	if (!c->own_cid)
		return conf_skip(c, "is the runner's fixture (its bond stays as it is)");
	cid = c->cid;
	/* one container per device */
	other = rte_sva_container_create();
	TEST_ASSERT(other >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(other, c->id), -EEXIST, "in a second one");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, c->id), -EEXIST, "twice");
	TEST_ASSERT_EQ(rte_sva_bind(other, 0, &p2), -EINVAL, "bind in an empty container");
	TEST_ASSERT_EQ(rte_sva_container_destroy(other), 0, "destroy");
	/* binding again takes a reference on the same PASID */
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &p2), 0, "bind again");
	TEST_ASSERT_EQ(p2, c->pasid, "the same PASID");
	TEST_ASSERT_EQ(rte_sva_container_bonds(cid, bi, RTE_DIM(bi)), 1, "one bond");
	TEST_ASSERT_EQ(bi[0].refs, 2, "two references");
	TEST_ASSERT(bi[0].self && bi[0].pasid == c->pasid && bi[0].pid == getpid(), "self");
	TEST_ASSERT_EQ(rte_sva_unbind(cid, 0), 0, "unbind one");
	TEST_RUN(conf_queues_up(c, 1, 64));
	TEST_ASSERT(rte_sva_copy(c->id, 0, c->pasid, src, dst, 64, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy");
	TEST_ASSERT_EQ(conf_wait(c, 0, 1, &res), 0, "wait");
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "bound: %s",
		       rte_sva_status_str(res.status));
	TEST_ASSERT(memcmp(src, dst, 64) == 0, "bytes");
	/* the last reference gone: the PASID no longer reaches us */
	TEST_ASSERT_EQ(rte_sva_unbind(cid, 0), 0, "unbind last");
	TEST_ASSERT_EQ(rte_sva_unbind(cid, 0), -ENOENT, "unbind unbound");
	TEST_ASSERT_EQ(rte_sva_container_bonds(cid, bi, RTE_DIM(bi)), 0, "no bond");
	TEST_ASSERT(rte_sva_copy(c->id, 0, c->pasid, src, dst, 64, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy with the old PASID");
	TEST_ASSERT_EQ(conf_wait(c, 0, 1, &res), 0, "wait");
	TEST_ASSERT(res.status == RTE_SVA_STATUS_INVALID_PASID ||
		    res.status == RTE_SVA_STATUS_BAD_PASID_ENTRY, "unbound: %s",
		    rte_sva_status_str(res.status));
	/* bind again: a PASID that works */
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &p3), 0, "rebind");
	c->pasid = p3;
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(c->id, 0, p3, src, dst, 64, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy");
	TEST_ASSERT_EQ(conf_wait(c, 0, 1, &res), 0, "wait");
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "rebound");
	TEST_ASSERT(memcmp(src, dst, 64) == 0, "bytes");
	/* removing the device unbinds it there */
	TEST_ASSERT_EQ(rte_sva_stop(c->id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(cid, c->id), 0, "remove");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(cid, c->id), -ENOENT, "remove again");
	TEST_ASSERT_EQ(rte_sva_container_devs(cid, NULL, 0), 0, "empty");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, c->id), 0, "add back: replays the bond");
	TEST_RUN(conf_queues_up(c, 1, 64));
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(c->id, 0, p3, src, dst, 64, RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy");
	TEST_ASSERT_EQ(conf_wait(c, 0, 1, &res), 0, "wait");
	TEST_ASSERT_EQ(res.status, RTE_SVA_STATUS_SUCCESS, "replayed bond");
	TEST_ASSERT(memcmp(src, dst, 64) == 0, "bytes");
	return TEST_OK;
}

static int
test_bind(void)
{
	return conf_each_dev(bind_body);
}

/* --------------------------------------------------------------- close */

static int
close_body(struct cdev *c)
{
	int16_t id = c->id;

	if (!c->own_cid)
		return conf_skip(c, "is the runner's fixture (it stays open)");
	TEST_RUN(conf_queues_up(c, 1, 64));
	TEST_ASSERT_EQ(rte_sva_close(id), -EBUSY, "close started");
	TEST_ASSERT_EQ(rte_sva_stop(id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(c->cid, id), 0, "out of its container");
	TEST_ASSERT_EQ(rte_sva_close(id), 0, "close");
	TEST_ASSERT(!rte_sva_is_valid(id), "gone");
	TEST_ASSERT_EQ(rte_sva_info_get(id, &c->info), -EINVAL, "no info");
	TEST_ASSERT_EQ(rte_sva_close(id), -EINVAL, "close again");
	TEST_ASSERT_EQ(rte_sva_start(id), -EINVAL, "start after close");
	return TEST_OK;
}

static int
test_close(void)
{
	return conf_each_dev(close_body);
}

static const struct test_case cases[] = {
	{ "info: consistent on every device", test_info },
	{ "lifecycle: order, refusals, reconfigure", test_lifecycle },
	{ "bad arguments: -EINVAL, nothing enqueued", test_badargs },
	{ "every advertised op on malloc/stack/mmap", test_conf_ops },
	{ "completion statuses and first error", test_conf_statuses },
	{ "ring full, 16-bit index wrap, stats", test_ring_wrap_stats },
	{ "IOMMU caps: device and its container", test_caps },
	{ "page requests: cold mmap, fault worker", test_conf_page_requests },
	{ "bind/unbind/remove/replay in a container", test_bind },
	{ "bond by pid reaches that process only", test_conf_foreign },
	{ "close: refused started, then the id is gone", test_close },
};

const struct test_suite suite_conformance = { "conformance", cases, RTE_DIM(cases) };
