/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of the fault path: groups, handlers, responses, errors (issue 10
 * items 9-12, 17); teardown is in test_teardown.c. */

#define ALLOW_INTERNAL_API 1

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>

#include "test_fault_edge.h"

/* What the library logged in the last capture (test_log_stop()). */
static const char *log_copy = "";

int
pdev_up(struct pdev *p, const char *name, const char *args)
{
	p->name = name;
	p->cid = -1;
	TEST_ASSERT_EQ(rte_vdev_init(name, args), 0, "probe %s,%s", name, args);
	p->id = (int16_t)rte_sva_get_dev_id_by_name(name);
	TEST_ASSERT(p->id >= 0, "dev id");
	p->cid = rte_sva_container_create();
	TEST_ASSERT(p->cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(p->cid, p->id), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(p->cid, 0, &p->pasid), 0, "bind");
	TEST_ASSERT_EQ(test_dev_setup(p->id, 1, 64), 0, "start");
	if (strstr(args, "pri=1") != NULL)
		TEST_ASSERT_EQ(rte_sva_fault_stats_reset(p->id), 0, "stats reset");
	return TEST_OK;
}

void
pdev_down(struct pdev *p)
{
	if (rte_sva_get_dev_id_by_name(p->name) >= 0)
		rte_sva_stop(p->id);
	if (p->cid >= 0)
		rte_sva_container_destroy(p->cid);
	rte_vdev_uninit(p->name);
}


/* ---------------------------------------------------- item 9: groups */

/* Groups are keyed by PASID and group id; a new cookie starts a new group. */
static int
groups_body(struct rte_sva_dev *dev, uint32_t a, uint32_t b)
{
	struct rte_sva_fault_stats st;
	uint64_t g = good_pg, hole = bad_pg;

	/* Two address spaces use group 5 at once. */
	TEST_ASSERT_EQ(fk_raise(dev, a, 5, hole, 1, false), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, b, 5, g, 7, true), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, a, 5, g, 1, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 3, "process");
	TEST_ASSERT_EQ(fk.nb, 2, "two groups, two responses");
	FK_RESP(0, b, 5, 7, RTE_SVA_PAGE_RESP_SUCCESS);
	FK_RESP(1, a, 5, 1, RTE_SVA_PAGE_RESP_INVALID);
	/* A group left partial (its device gave it up): the next one of the
	 * same PASID and group id, with its own cookie, stands alone. */
	TEST_ASSERT_EQ(fk_raise(dev, a, 3, hole, 10, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(fk_raise(dev, a, 3, g, 11, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	FK_RESP(2, a, 3, 11, RTE_SVA_PAGE_RESP_SUCCESS);
	/* Discarded on request, even with the same cookie (the seeds' records
	 * have none). */
	TEST_ASSERT_EQ(fk_raise(dev, a, 4, hole, 0, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	rte_sva_pmd_fault_discard(dev, a, 4);
	TEST_ASSERT_EQ(fk_raise(dev, a, 4, g, 0, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	FK_RESP(3, a, 4, 0, RTE_SVA_PAGE_RESP_SUCCESS);
	/* Every group of a PASID (its bond went). */
	TEST_ASSERT_EQ(fk_raise(dev, a, 6, hole, 0, false), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, a, 7, hole, 0, false), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, b, 6, hole, 0, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 3, "process");
	rte_sva_pmd_fault_discard(dev, a, RTE_SVA_FAULT_ANY);
	TEST_ASSERT_EQ(fk_raise(dev, a, 6, g, 0, true), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, a, 7, g, 0, true), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, b, 6, g, 0, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 3, "process");
	FK_RESP(4, a, 6, 0, RTE_SVA_PAGE_RESP_SUCCESS);
	FK_RESP(5, a, 7, 0, RTE_SVA_PAGE_RESP_SUCCESS);
	FK_RESP(6, b, 6, 0, RTE_SVA_PAGE_RESP_INVALID);   /* b's stayed */
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 4, "discarded: cookie 1, request 1, PASID 2");
	TEST_ASSERT_EQ(st.groups, 7, "groups");
	TEST_ASSERT_EQ(st.resp_success, 5, "SUCCESS");
	TEST_ASSERT_EQ(st.resp_invalid, 2, "INVALID");
	return TEST_OK;
}

/* A second PASID of our own address space (the handlers' and the default
 * resolver's rules are the same for both). */
static int
second_self_pasid(struct pdev *p)
{
	TEST_RUN(pdev_up(p, "sva_sim32", "pri=0"));
	TEST_ASSERT(p->pasid != tenv.pasid, "a second PASID");
	return TEST_OK;
}

static int
test_groups_keyed(void)
{
	struct rte_sva_dev *dev;
	struct pdev p2;
	int r;

	TEST_RUN(pages_up());
	r = second_self_pasid(&p2);
	dev = r == TEST_OK ? fk_up("iommufd_fe0", &fk_ops, 64) : NULL;
	if (dev != NULL)
		r = groups_body(dev, tenv.pasid, p2.pasid);
	else
		r = TEST_FAILED;
	fk_down(dev);
	pdev_down(&p2);
	pages_down();
	return r;
}

/* A device stop discards the partial groups: one the worker holds, and
 * (queued) one whose record is still in the queue when the device stops:
 * the discard applies where the stop came in the stream of records, so
 * the record before it never merges with the next group of the same
 * PASID and group id, even one with the same cookie (backends whose
 * records carry no per-group cookie). */
static int
stop_discards(struct rte_sva_dev *dev, bool queued)
{
	struct rte_sva_fault_stats st;

	TEST_ASSERT_EQ(test_dev_setup(dev->dev_id, 1, 64), 0, "start");
	TEST_ASSERT_EQ(fk_raise(dev, tenv.pasid, 9, bad_pg, 0, false), 0, "raise");
	if (!queued)
		TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(rte_sva_stop(dev->dev_id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_start(dev->dev_id), 0, "start");
	TEST_ASSERT_EQ(fk_raise(dev, tenv.pasid, 9, good_pg, 0, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), queued ? 2 : 1, "process");
	TEST_ASSERT_EQ(fk.nb, 1, "one response");
	FK_RESP(0, tenv.pasid, 9, 0, RTE_SVA_PAGE_RESP_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 1, "discarded by the stop");
	return TEST_OK;
}

static int
stop_discards_held(struct rte_sva_dev *dev)
{
	return stop_discards(dev, false);
}

static int
stop_discards_queued(struct rte_sva_dev *dev)
{
	return stop_discards(dev, true);
}

/* Run body on a fake device with ops (queue of 64) and the judged pages. */
static int
with_fake(const struct rte_sva_dev_ops *ops, int (*body)(struct rte_sva_dev *dev))
{
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	dev = fk_up("iommufd_fe0", ops, 64);
	if (dev != NULL)
		r = body(dev);
	rte_sva_stop(dev != NULL ? dev->dev_id : -1);
	fk_down(dev);
	pages_down();
	return r;
}

static int
test_stop_discards(void)
{
	return with_fake(&fk_ops, stop_discards_held);
}

static int
test_stop_discards_queued(void)
{
	return with_fake(&fk_ops, stop_discards_queued);
}

/* An unbind discards the partial groups of its PASID: what the worker
 * holds of them never merges with a group of the next bond that gets the
 * same PASID, even with the same group id and cookie. */
static int
unbind_discards_body(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_stats st;
	uint32_t pasid, again;
	int cid = rte_sva_container_create();

	TEST_ASSERT(cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, dev->dev_id), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &pasid), 0, "bind");
	TEST_ASSERT_EQ(fk_raise(dev, pasid, 9, bad_pg, 0, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(rte_sva_unbind(cid, 0), 0, "unbind");
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &again), 0, "bind again");
	TEST_ASSERT_EQ(fk_raise(dev, again, 9, good_pg, 0, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(rte_sva_container_destroy(cid), 0, "destroy");
	TEST_ASSERT_EQ(fk.nb, 1, "one response");
	FK_RESP(0, again, 9, 0, RTE_SVA_PAGE_RESP_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 1, "discarded by the unbind");
	return TEST_OK;
}

static int
test_unbind_discards(void)
{
	return with_fake(&fk_bond_ops, unbind_discards_body);
}

/* The sim end to end: a group half reported into a full fault queue when
 * the device stops (its first page answered INVALID); after a
 * restart the same engine's next group, one resolvable page, SUCCESS. */
static int
sim_abort_body(struct pdev *p)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint8_t *src = malloc(64 * PG), *dst = fresh(64), *next = fresh(1);
	uint64_t dl = deadline_ms(5000);

	TEST_ASSERT(src && dst && next, "buffers");
	memset(src, 0x3c, 64 * PG);
	/* page 0 answered INVALID by a handler (no signal, for TSan) */
	bad_pg = (uintptr_t)dst;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register(bad_pg, PG, judge, NULL), 0, "handler");
	TEST_ASSERT(rte_sva_copy(p->id, 0, p->pasid, src, dst, 64 * PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	do {
		TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->id, &st), 0, "stats");
		TEST_ASSERT(!past(dl), "the queue did not fill");
	} while (st.queue_full == 0);
	TEST_ASSERT_EQ(rte_sva_stop(p->id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_completed_results(p->id, 0, 1, NULL, &r), 1, "completed");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(rte_sva_start(p->id), 0, "restart");
	TEST_ASSERT(rte_sva_copy(p->id, 0, p->pasid, src, next, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	TEST_ASSERT_EQ(wait_results(p->id, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "next group: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(next, src, PG) == 0, "data");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 1, "the aborted group");
	TEST_ASSERT_EQ(st.groups, 1, "one group answered");
	TEST_ASSERT_EQ(st.resp_success, 1, "SUCCESS");
	TEST_ASSERT_EQ(st.device_invalid, 1, "the device answered the aborted one");
	TEST_ASSERT_EQ(st.requests, st.queue_hwm + 1, "every record seen");
	rte_sva_fault_handler_unregister(bad_pg);
	munmap(dst, 64 * PG);
	munmap(next, PG);
	free(src);
	return TEST_OK;
}

static int
test_sim_aborted_group(void)
{
	struct pdev p;
	int r;

	TEST_RUN(pdev_up(&p, "sva_sim30", "pri=1,fq_size=16,prq_timeout_ms=60000"));
	r = sim_abort_body(&p);
	pdev_down(&p);
	return r;
}

/* -------------------------------------- item 10: handlers, own PASIDs */

static unsigned int foreign_handler_calls;

static int
lying_handler(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	foreign_handler_calls++;
	return RTE_SVA_PAGE_RESP_SUCCESS;   /* fills nothing */
}

/* A child bound by pid: the same addresses as ours (forked), its page 2
 * never touched. Our handler over that range is ours only. */
static int
foreign_handler_body(struct pdev *p, uint8_t *area, pid_t child, int memfd)
{
	struct rte_sva_fault_pasid_stats ps;
	struct rte_sva_result r;
	uint32_t cpasid;
	uint8_t got[PG];

	TEST_ASSERT_EQ(rte_sva_bind(p->cid, child, &cpasid), 0, "bind the child");
	TEST_ASSERT(rte_sva_copy(p->id, 0, cpasid, area, area + 2 * PG, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	TEST_ASSERT_EQ(wait_results(p->id, 1, &r, true), 0, "wait");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(foreign_handler_calls, 0, "our handler called for the child's pages");
	TEST_ASSERT_EQ(pread(memfd, got, PG, (off_t)(uintptr_t)(area + 2 * PG)), PG, "read");
	for (uint32_t i = 0; i < PG; i++)
		TEST_ASSERT_EQ(got[i], (uint8_t)(i + 3), "child byte %u", i);
	TEST_ASSERT_EQ(rte_sva_fault_pasid_stats_get(p->id, cpasid, &ps), 0, "stats");
	TEST_ASSERT_EQ(ps.resp_success, 1, "resolved in the child's address space");
	TEST_ASSERT_EQ(rte_sva_unbind(p->cid, child), 0, "unbind");
	return TEST_OK;
}

static int
test_handler_own_pasid(void)
{
	uint8_t *area = fresh(3);
	struct pdev p;
	char path[64];
	pid_t child;
	int memfd, r;

	TEST_ASSERT(area != NULL, "mmap");
	for (uint32_t i = 0; i < PG; i++)
		area[i] = (uint8_t)(i + 3);
	child = test_fork();
	TEST_ASSERT(child >= 0, "fork");
	if (child == 0) {
		for (;;)
			pause();
	}
	memset(area, 0xee, PG);              /* ours differs from the child's */
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)child);
	memfd = open(path, O_RDONLY);
	r = pdev_up(&p, "sva_sim30", "pri=1");
	foreign_handler_calls = 0;
	if (r == TEST_OK && memfd >= 0 &&
	    rte_sva_fault_handler_register((uintptr_t)area, 3 * PG, lying_handler, NULL) == 0) {
		r = foreign_handler_body(&p, area, child, memfd);
		rte_sva_fault_handler_unregister((uintptr_t)area);
	} else {
		r = TEST_FAILED;
	}
	pdev_down(&p);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (memfd >= 0)
		close(memfd);
	munmap(area, 3 * PG);
	return r;
}

/* ------------------------------ item 11: failed response deliveries */

static int
resp_errors_body(struct rte_sva_dev *dev, bool burst)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_fault_pasid_stats ps;
	uint64_t g = good_pg;

	/* Three groups in one burst; the driver fails from the second on. */
	if (burst)
		fk.burst_ret = 1;
	else
		fk.resp_ret = -EIO;
	for (uint32_t i = 0; i < 3; i++)
		TEST_ASSERT_EQ(fk_raise(dev, tenv.pasid, i, g, i, true), 0, "raise");
	test_log_start();
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 3, "process");
	log_copy = test_log_stop();
	TEST_ASSERT(strstr(log_copy, "not delivered") != NULL, "log: '%s'", log_copy);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.groups, 3, "groups");
	TEST_ASSERT_EQ(st.resp_success, burst ? 1 : 0, "delivered SUCCESS");
	TEST_ASSERT_EQ(st.resp_errors, burst ? 2 : 3, "delivery errors");
	TEST_ASSERT_EQ(rte_sva_fault_pasid_stats_get(dev->dev_id, tenv.pasid, &ps), 0, "ps");
	TEST_ASSERT_EQ(ps.resp_success, burst ? 1 : 0, "per PASID SUCCESS");
	TEST_ASSERT_EQ(ps.resp_errors, burst ? 2 : 3, "per PASID errors");
	return TEST_OK;
}

static int
test_response_errors(void)
{
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	dev = fk_up("iommufd_fe0", &fk_ops, 64);
	if (dev != NULL)
		r = resp_errors_body(dev, false);
	fk_down(dev);
	dev = r == TEST_OK ? fk_up("iommufd_fe1", &fk_burst_ops, 64) : NULL;
	if (dev != NULL)
		r = resp_errors_body(dev, true);
	fk_down(dev);
	pages_down();
	return r;
}

/* ------------------------------------ item 12: unknown unrecoverable */

static int
test_unrecov_unknown(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_dev *dev = fk_up("iommufd_fe0", &fk_ops, 64);
	struct rte_sva_fault f = { .type = RTE_SVA_FAULT_UNRECOV, .reason = 77 };
	int r = TEST_FAILED;

	TEST_ASSERT(dev != NULL, "device");
	f.dev_id = dev->dev_id;
	if (rte_sva_pmd_fault_report(dev, &f) == 0 &&
	    rte_sva_fault_process(dev->dev_id, 64) == 1 &&
	    rte_sva_fault_stats_get(dev->dev_id, &st) == 0) {
		if (st.unrecoverable[RTE_SVA_FAULT_REASON_UNKNOWN] == 1 &&
		    st.unrecoverable[RTE_SVA_FAULT_REASON_OOR_ADDRESS] == 0)
			r = TEST_OK;
		else
			printf("    UNKNOWN %" PRIu64 ", OOR_ADDRESS %" PRIu64 "\n",
			       st.unrecoverable[RTE_SVA_FAULT_REASON_UNKNOWN],
			       st.unrecoverable[RTE_SVA_FAULT_REASON_OOR_ADDRESS]);
	}
	fk_down(dev);
	return r;
}

/* ---------------------------------- item 17: every error says why */

static int
test_errors_logged(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_fault_pasid_stats ps;
	struct rte_sva_result res = { .status = RTE_SVA_STATUS_SUCCESS };
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .mode = RTE_SVA_QUEUE_DEDICATED };
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_dev *dev;
	struct pdev p;
	int16_t id;
	int r;

	TEST_LOGGED(rte_sva_fault_process(99, 8), -EINVAL, "invalid dev_id 99");
	TEST_LOGGED(rte_sva_fault_process(tenv.dev_id, 8), -ENOTSUP, "no fault queue");
	TEST_LOGGED(rte_sva_fault_worker_stop(), -ENOENT, "no fault worker");
	TEST_LOGGED(rte_sva_fault_service_register(NULL), -EINVAL, "NULL");
	TEST_LOGGED(rte_sva_fault_stats_get(tenv.dev_id, &st), -ENOTSUP, "no fault queue");
	TEST_LOGGED(rte_sva_fault_stats_reset(99), -EINVAL, "invalid dev_id 99");
	TEST_LOGGED(rte_sva_fault_stats_reset(tenv.dev_id), -ENOTSUP, "no fault queue");
	TEST_LOGGED(rte_sva_fault_pasid_stats_get(tenv.dev_id, 1, &ps), -ENOTSUP,
		    "no fault queue");
	TEST_LOGGED(rte_sva_copy_resume(tenv.dev_id, 0, tenv.pasid, &res, &res, 64, &res, 0),
		    -EINVAL, "not a partial page fault");
	TEST_LOGGED(rte_sva_copy_resume(tenv.dev_id, 0, tenv.pasid, &res, &res, 64, NULL, 0),
		    -EINVAL, "NULL result");
	/* A PASID that raised nothing on a device with a fault queue. */
	TEST_RUN(pdev_up(&p, "sva_sim30", "pri=1"));
	test_log_start();
	r = rte_sva_fault_pasid_stats_get(p.id, p.pasid + 1, &ps);
	log_copy = test_log_stop();
	/* A socket that does not exist. */
	if (r == -ENOENT && strstr(log_copy, "no page request") != NULL) {
		rte_sva_stop(p.id);
		test_log_start();
		qc.socket_id = 1000;
		r = rte_sva_configure(p.id, &conf) == 0 ? rte_sva_queue_setup(p.id, 0, &qc) : 0;
		qc.socket_id = -7;
		r = r == -EINVAL ? rte_sva_queue_setup(p.id, 0, &qc) : 0;
		qc.socket_id = SOCKET_ID_ANY;
		r = r == -EINVAL ? rte_sva_queue_setup(p.id, 0, &qc) : -1;
		log_copy = test_log_stop();
		if (r != 0 || strstr(log_copy, "socket_id 1000") == NULL ||
		    strstr(log_copy, "socket_id -7") == NULL) {
			printf("    bad socket_id accepted (%d; log: '%s')\n", r, log_copy);
			r = -1;
		}
	} else {
		printf("    unknown PASID: %d (log: '%s')\n", r, log_copy);
		r = -1;
	}
	pdev_down(&p);
	TEST_ASSERT_EQ(r, 0, "see above");
	/* A driver whose stop, then close, fails: release says so and keeps
	 * the device (the driver may still own memory the device writes). */
	dev = fk_up("iommufd_fe0", &fk_ops, 64);
	TEST_ASSERT(dev != NULL, "device");
	r = test_dev_setup(dev->dev_id, 1, 64);
	fk.stop_ret = -EIO;
	test_log_start();
	r = r == 0 ? rte_sva_pmd_release(dev) : 0;
	log_copy = test_log_stop();
	if (r != -EIO || !rte_sva_is_valid(dev->dev_id) ||
	    strstr(log_copy, "stop failed") == NULL) {
		printf("    release with a failing stop: %d (log: '%s')\n", r, log_copy);
		r = -1;
	} else {
		fk.stop_ret = 0;
		fk.close_ret = -EIO;
		test_log_start();
		r = rte_sva_pmd_release(dev);
		log_copy = test_log_stop();
		if (r != -EIO || !rte_sva_is_valid(dev->dev_id) ||
		    strstr(log_copy, "close failed") == NULL) {
			printf("    release with a failing close: %d (log: '%s')\n", r, log_copy);
			r = -1;
		} else {
			r = 0;
		}
	}
	id = dev->dev_id;
	fk_down(dev);
	TEST_ASSERT_EQ(r, 0, "see above");
	TEST_ASSERT(!rte_sva_is_valid(id), "released at last");
	return TEST_OK;
}

/* ---------------------------- fork: a child never changes a device */

static int
fork_child_calls(void)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .mode = RTE_SVA_QUEUE_DEDICATED,
					 .socket_id = SOCKET_ID_ANY };
	int16_t d = tenv.dev_id;
	int got[9];

	got[0] = rte_sva_configure(d, &conf);
	got[1] = rte_sva_queue_setup(d, 0, &qc);
	got[2] = rte_sva_start(d);
	got[3] = rte_sva_stop(d);
	got[4] = rte_sva_close(d);
	got[5] = rte_sva_stats_reset(d, RTE_SVA_ALL_QUEUES);
	got[6] = rte_sva_fault_worker_start(1);
	got[7] = rte_sva_fault_worker_stop();
	got[8] = rte_sva_fault_stats_reset(d);
	for (int i = 0; i < (int)RTE_DIM(got); i++)
		if (got[i] != -EPERM)
			return 10 + i;
	return 0;
}

static int
test_fork_child_refused(void)
{
	struct rte_sva_stats st;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0)
		_exit(fork_child_calls());
	TEST_ASSERT_EQ(waitpid(pid, &status, 0), pid, "wait");
	TEST_ASSERT(WIFEXITED(status), "child died");
	TEST_ASSERT_EQ(WEXITSTATUS(status), 0, "call %d of the child not refused -EPERM",
		       WEXITSTATUS(status) - 10);
	/* The parent's device is as it was. */
	TEST_ASSERT(rte_sva_is_valid(tenv.dev_id), "device");
	TEST_ASSERT_EQ(rte_sva_stats_get(tenv.dev_id, RTE_SVA_ALL_QUEUES, &st), 0, "stats");
	TEST_ASSERT(rte_sva_burst_capacity(tenv.dev_id, 0) > 0, "still started");
	return TEST_OK;
}

/* ------------------------------- the sim's absent hint (sim_xlat.c) */

/* One block-on-fault copy of src into dst, served or not; its status. */
static int
hint_copy(struct pdev *p, const uint8_t *src, uint8_t *dst, bool serve, uint8_t *status)
{
	struct rte_sva_result r;

	TEST_ASSERT(rte_sva_copy(p->id, 0, p->pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT | RTE_SVA_OP_FLAG_SUBMIT) >= 0,
		    "copy");
	TEST_ASSERT_EQ(wait_results(p->id, 1, &r, serve), 0, "wait");
	*status = r.status;
	return TEST_OK;
}

/* The walk for page 0 holds pages 1.. as absent; the CPU then brings
 * pages 1 and 2 in. Served, the copy into page 1 completes as before; not
 * served, the one into page 2 too (the device gives up the request it
 * raised for it and finds the page there): a stale hint changes no
 * outcome. Page 3, absent and not served, still faults. */
static int
hint_body(struct pdev *p, uint8_t *area, uint8_t *src)
{
	struct rte_sva_fault_stats st;
	uint8_t status;

	TEST_RUN(hint_copy(p, src, area, true, &status));
	TEST_ASSERT_EQ(status, RTE_SVA_STATUS_SUCCESS, "page 0: %s", rte_sva_status_str(status));
	area[PG] = 1;
	area[2 * PG] = 2;
	TEST_RUN(hint_copy(p, src, area + PG, true, &status));
	TEST_ASSERT_EQ(status, RTE_SVA_STATUS_SUCCESS, "page 1: %s", rte_sva_status_str(status));
	TEST_RUN(hint_copy(p, src, area + 2 * PG, false, &status));
	TEST_ASSERT_EQ(status, RTE_SVA_STATUS_SUCCESS, "page 2: %s", rte_sva_status_str(status));
	TEST_RUN(hint_copy(p, src, area + 3 * PG, false, &status));
	TEST_ASSERT_EQ(status, RTE_SVA_STATUS_PAGE_FAULT, "page 3: %s", rte_sva_status_str(status));
	for (unsigned int k = 0; k < 3; k++)
		TEST_ASSERT_EQ(memcmp(area + k * PG, src, PG), 0, "page %u's bytes", k);
	for (unsigned int i = 0; i < PG; i++)
		TEST_ASSERT_EQ(area[3 * PG + i], 0, "page 3 written at %u", i);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->id, &st), 0, "stats");
	TEST_ASSERT(st.resp_success >= 1, "page 0 answered");
	return TEST_OK;
}

static int
test_sim_stale_hint(void)
{
	uint8_t *area = fresh(4), *src = malloc(PG);
	struct pdev p;
	int r = TEST_FAILED;

	TEST_ASSERT(area != NULL && src != NULL, "memory");
	for (uint32_t i = 0; i < PG; i++)
		src[i] = (uint8_t)(i * 7 + 1);
	madvise(area, 4 * PG, MADV_NOHUGEPAGE);
	if (pdev_up(&p, "sva_sim31", "pri=1,prq_timeout_ms=50") == TEST_OK)
		r = hint_body(&p, area, src);
	pdev_down(&p);
	munmap(area, 4 * PG);
	free(src);
	return r;
}

static const struct test_case cases[] = {
	{ "groups keyed by PASID, group id and cookie", test_groups_keyed },
	{ "device stop discards partial groups", test_stop_discards },
	{ "... also one still queued when it stopped", test_stop_discards_queued },
	{ "unbind discards its PASID's partial groups", test_unbind_discards },
	{ "sim: group aborted in a full queue", test_sim_aborted_group },
	{ "sim: a stale absent hint changes no outcome", test_sim_stale_hint },
	{ "handlers serve their own address space only", test_handler_own_pasid },
	{ "failed response deliveries are not answers", test_response_errors },
	{ "unknown unrecoverable reason counted UNKNOWN", test_unrecov_unknown },
	{ "fault-path errors return why they failed", test_errors_logged },
	{ "fork child: device and worker calls -EPERM", test_fork_child_refused },
};

const struct test_suite suite_fault_edge = { "fault_edge", cases, RTE_DIM(cases) };

/* The cases in which no device access takes a signal, for the TSan build. */
static const struct test_case lockless_cases[] = {
	{ "groups keyed by PASID, group id and cookie", test_groups_keyed },
	{ "device stop discards partial groups", test_stop_discards },
	{ "... also one still queued when it stopped", test_stop_discards_queued },
	{ "unbind discards its PASID's partial groups", test_unbind_discards },
	{ "sim: group aborted in a full queue", test_sim_aborted_group },
	{ "sim: a stale absent hint changes no outcome", test_sim_stale_hint },
	{ "handlers serve their own address space only", test_handler_own_pasid },
	{ "failed response deliveries are not answers", test_response_errors },
	{ "unknown unrecoverable reason counted UNKNOWN", test_unrecov_unknown },
	{ "fork child: device and worker calls -EPERM", test_fork_child_refused },
};

const struct test_suite suite_fault_lockless = { "fault_lockless", lockless_cases,
						RTE_DIM(lockless_cases) };
