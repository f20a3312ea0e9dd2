/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The fault queue's batched consumer (issue 14 items 3 and 5): a group of
 * one page answered without a slot in the group table, but only while no
 * group is open; groups of several pages answered once; a queue per
 * device (a burst never answers another device's group); a driver that
 * takes responses one at a time gets each as soon as its group is
 * resolved, one that takes bursts gets the burst's together; an idle
 * queue's shortcut still applies the discard requests posted to it. On
 * the fake fault device (test_fault_fake.c): no device access, no signal. */

#define ALLOW_INTERNAL_API 1

#include <inttypes.h>

#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>

#include "test_fault_edge.h"

#define OK  RTE_SVA_PAGE_RESP_SUCCESS
#define BAD RTE_SVA_PAGE_RESP_INVALID

/* A group of three pages, its middle one refused: one response, INVALID;
 * groups of one page before and between it stand alone. */
static int
multi_page_body(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_stats st;
	uint32_t p = tenv.pasid;

	TEST_ASSERT_EQ(fk_raise(dev, p, 20, good_pg, 1, true), 0, "raise");   /* alone */
	TEST_ASSERT_EQ(fk_raise(dev, p, 21, good_pg, 2, false), 0, "raise");  /* opens 21 */
	TEST_ASSERT_EQ(fk_raise(dev, p, 22, good_pg, 3, true), 0, "raise");   /* alone */
	TEST_ASSERT_EQ(fk_raise(dev, p, 21, bad_pg, 2, false), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, p, 23, bad_pg, 4, true), 0, "raise");    /* alone */
	TEST_ASSERT_EQ(fk_raise(dev, p, 21, good_pg, 2, true), 0, "raise");   /* closes 21 */
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 6, "process");
	TEST_ASSERT_EQ(fk.nb, 4, "one response per group (got %u)", fk.nb);
	FK_RESP(0, p, 20, 1, OK);
	FK_RESP(1, p, 22, 3, OK);
	FK_RESP(2, p, 23, 4, BAD);
	FK_RESP(3, p, 21, 2, BAD);
	/* Split over two polls: the group stays open between them, and the
	 * group of one page after it does not close it. */
	TEST_ASSERT_EQ(fk_raise(dev, p, 24, good_pg, 5, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(fk.nb, 4, "no response for a group still open");
	TEST_ASSERT_EQ(fk_raise(dev, p, 25, good_pg, 6, true), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, p, 24, good_pg, 5, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 2, "process");
	FK_RESP(4, p, 25, 6, OK);
	FK_RESP(5, p, 24, 5, OK);
	/* A group of one page with the key of an open group and a new cookie:
	 * the open one was given up, discarded, never answered. */
	TEST_ASSERT_EQ(fk_raise(dev, p, 26, bad_pg, 7, false), 0, "raise");
	TEST_ASSERT_EQ(fk_raise(dev, p, 26, good_pg, 8, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 2, "process");
	FK_RESP(6, p, 26, 8, OK);
	/* Then nothing is open: a group of one page of the same key and
	 * cookie 7 stands alone (the discarded one does not come back). */
	TEST_ASSERT_EQ(fk_raise(dev, p, 26, good_pg, 7, true), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	FK_RESP(7, p, 26, 7, OK);
	TEST_ASSERT_EQ(fk.nb, 8, "eight groups answered, once each (got %u)", fk.nb);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.requests, 12, "requests");
	TEST_ASSERT_EQ(st.groups, 8, "groups");
	TEST_ASSERT_EQ(st.resp_success, 6, "SUCCESS");
	TEST_ASSERT_EQ(st.resp_invalid, 2, "INVALID");
	TEST_ASSERT_EQ(st.partial_discarded, 1, "the given-up group");
	return TEST_OK;
}

static int
test_multi_page_groups(void)
{
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	dev = fk_up("fault_fb0", &fk_ops, 64);
	if (dev != NULL)
		r = multi_page_body(dev);
	fk_down(dev);
	dev = r == TEST_OK ? fk_up("fault_fb1", &fk_burst_ops, 64) : NULL;
	if (dev != NULL)
		r = multi_page_body(dev);
	else
		r = TEST_FAILED;
	fk_down(dev);
	pages_down();
	return r;
}

/* Two devices, the same (PASID, group id, cookie) on both: each queue has
 * its own groups. A's group stays open while B's group of one page is
 * answered; then A's closes, once. More records than one burst holds on A
 * (FQ_BURST is 32): each group still answered once. */
static int
two_devices_body(struct rte_sva_dev *a, struct rte_sva_dev *b)
{
	struct rte_sva_fault_stats sa, sb;
	uint32_t p = tenv.pasid;

	TEST_ASSERT_EQ(fk_raise(a, p, 30, bad_pg, 9, false), 0, "raise A");
	TEST_ASSERT_EQ(fk_raise(b, p, 30, good_pg, 9, true), 0, "raise B");
	TEST_ASSERT_EQ(rte_sva_fault_process(a->dev_id, 64), 1, "process A");
	TEST_ASSERT_EQ(rte_sva_fault_process(b->dev_id, 64), 1, "process B");
	TEST_ASSERT_EQ(fk.nb, 1, "B's group alone answered");
	FK_RESP(0, p, 30, 9, OK);
	for (uint32_t i = 0; i < 40; i++)
		TEST_ASSERT_EQ(fk_raise(a, p, 30, good_pg, 9, i == 39), 0, "raise A %u", i);
	TEST_ASSERT_EQ(fk_raise(b, p, 31, bad_pg, 10, true), 0, "raise B");
	TEST_ASSERT_EQ(rte_sva_fault_process(a->dev_id, 64), 40, "process A: two bursts");
	TEST_ASSERT_EQ(rte_sva_fault_process(b->dev_id, 64), 1, "process B");
	TEST_ASSERT_EQ(fk.nb, 3, "A's group answered once, B's once (got %u)", fk.nb);
	FK_RESP(1, p, 30, 9, BAD);   /* its first page was refused */
	FK_RESP(2, p, 31, 10, BAD);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(a->dev_id, &sa), 0, "stats A");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(b->dev_id, &sb), 0, "stats B");
	TEST_ASSERT(sa.requests == 41 && sa.groups == 1 && sa.resp_invalid == 1 &&
		    sa.partial_discarded == 0, "A: 41 requests, 1 group INVALID (%" PRIu64
		    ", %" PRIu64 ", %" PRIu64 ")", sa.requests, sa.groups, sa.resp_invalid);
	TEST_ASSERT(sb.requests == 2 && sb.groups == 2 && sb.resp_success == 1 &&
		    sb.resp_invalid == 1, "B: 2 groups, one each");
	return TEST_OK;
}

static int
test_two_devices(void)
{
	struct rte_sva_dev *a, *b = NULL;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	a = fk_up("fault_fb2", &fk_ops, 64);
	if (a != NULL)
		b = fk_up("fault_fb3", &fk_ops, 64);   /* clears the recorder too */
	if (b != NULL)
		r = two_devices_body(a, b);
	fk_down(b);
	fk_down(a);
	pages_down();
	return r;
}

/* How many responses the device had when each request was resolved. */
static unsigned int seen[8], nb_seen;
static uint64_t seen_pg;

static int
seen_handler(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	if (nb_seen < RTE_DIM(seen))
		seen[nb_seen++] = fk.nb;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
delivery_body(const char *name, const struct rte_sva_dev_ops *ops, bool at_once)
{
	struct rte_sva_dev *dev = fk_up(name, ops, 64);
	int r = TEST_OK;

	TEST_ASSERT(dev != NULL, "fake device");
	nb_seen = 0;
	for (uint32_t g = 0; g < 3 && r == TEST_OK; g++)
		if (fk_raise(dev, tenv.pasid, 40 + g, seen_pg, g, true) != 0)
			r = TEST_FAILED;
	if (r == TEST_OK && rte_sva_fault_process(dev->dev_id, 64) != 3)
		r = TEST_FAILED;
	if (r == TEST_OK && (fk.nb != 3 || nb_seen != 3))
		r = TEST_FAILED;
	/* One at a time: each group's response before the next is resolved.
	 * In bursts: the burst's together, after the last resolve. */
	for (unsigned int i = 0; r == TEST_OK && i < 3; i++)
		if (seen[i] != (at_once ? i : 0))
			r = TEST_FAILED;
	if (r != TEST_OK)
		printf("%s: %u responses, resolved with %u, %u, %u delivered before (want %s)\n",
		       name, fk.nb, seen[0], seen[1], seen[2], at_once ? "0, 1, 2" : "0, 0, 0");
	fk_down(dev);
	return r;
}

static int
test_delivery(void)
{
	uint8_t *pg = fresh(1);
	int r;

	TEST_ASSERT(pg != NULL, "mmap");
	seen_pg = (uintptr_t)pg;
	r = rte_sva_fault_handler_register(seen_pg, PG, seen_handler, NULL);
	if (r == 0) {
		r = delivery_body("fault_fb4", &fk_ops, true);
		if (r == TEST_OK)
			r = delivery_body("fault_fb5", &fk_burst_ops, false);
		rte_sva_fault_handler_unregister(seen_pg);
	}
	munmap(pg, PG);
	return r;
}

/* An idle queue (no record) still applies a discard request posted to it:
 * the partial group it discards is counted by that poll. */
static int
idle_discard_body(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_stats st;

	TEST_ASSERT_EQ(fk_raise(dev, tenv.pasid, 50, good_pg, 1, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 0, "idle");
	rte_sva_pmd_fault_discard(dev, tenv.pasid, 50);
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 0, "idle, a discard");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 1, "discarded by the idle poll");
	/* The same, every group at once (the request ring's overflow path
	 * sets discard_all: reached through a device stop). */
	TEST_ASSERT_EQ(fk_raise(dev, tenv.pasid, 51, good_pg, 1, false), 0, "raise");
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 1, "process");
	rte_sva_pmd_fault_discard(dev, RTE_SVA_FAULT_ANY, RTE_SVA_FAULT_ANY);
	TEST_ASSERT_EQ(rte_sva_fault_process(dev->dev_id, 64), 0, "idle, a discard");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(dev->dev_id, &st), 0, "stats");
	TEST_ASSERT_EQ(st.partial_discarded, 2, "discarded by the idle poll");
	TEST_ASSERT_EQ(fk.nb, 0, "no response for a discarded group");
	return TEST_OK;
}

static int
test_idle_discard(void)
{
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_RUN(pages_up());
	dev = fk_up("fault_fb6", &fk_ops, 64);
	if (dev != NULL)
		r = idle_discard_body(dev);
	fk_down(dev);
	pages_down();
	return r;
}

static const struct test_case cases[] = {
	{ "groups of several pages answered once, of one page alone", test_multi_page_groups },
	{ "two devices: groups per queue, each answered once", test_two_devices },
	{ "responses one by one at once, bursts together", test_delivery },
	{ "an idle queue applies its discard requests", test_idle_discard },
};

const struct test_suite suite_fault_batch = { "fault_batch", cases, RTE_DIM(cases) };
