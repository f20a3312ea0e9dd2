/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_CONFORMANCE_H
#define SVA_TEST_CONFORMANCE_H

/* What the conformance suite's files share (test_conformance.c: the
 * device loop, lifecycle, bonds; test_conformance_ops.c: operations,
 * statuses, page requests). Public headers only. */

#include <stdbool.h>
#include <stdint.h>

#include "test.h"

/* The PASID a bond reports when the kernel owns it (idxd work queues).
 * RTE_SVA_PASID_KERNEL is new in rte_sva_bond.h: until every tree this
 * builds in has it, no bond reports it where it is missing. */
#ifdef RTE_SVA_PASID_KERNEL
#define CONF_PASID_KERNEL RTE_SVA_PASID_KERNEL
#else
#define CONF_PASID_KERNEL RTE_SVA_PASID_INVALID
#endif

/* One device under test, bound in a container of its own (or, for the
 * runner's sva_sim0, in the fixture's). */
struct cdev {
	int16_t id;
	struct rte_sva_info info;
	int cid;
	bool own_cid;     /* the container was made for this device here */
	bool passive;     /* nothing executes its descriptors (fake portal) */
	uint32_t pasid;
};

/* Run fn on every SVA device of the process: TEST_OK if it passed on at
 * least one device and failed on none, TEST_SKIPPED if every device was
 * skipped (each skip said why), TEST_FAILED naming the device. */
int conf_each_dev(int (*fn)(struct cdev *c));
/* Configure nb_queues queues of depth (clamped to the device's range) in
 * the suite's queue mode, start, reset the stats; TEST_SKIPPED (said why)
 * if the device lacks that mode. */
int conf_queues_up(struct cdev *c, uint16_t nb_queues, uint16_t depth);
/* Whether the queues are shared (SVA_CONFORMANCE_QUEUES=shared). */
bool conf_shared_mode(void);
/* want clamped to the device's depth range. */
uint16_t conf_depth(const struct cdev *c, uint16_t want);
/* Wait (bounded) for n results of qid, serving the fault queue on a
 * device with page requests. */
int conf_wait(const struct cdev *c, uint16_t qid, uint16_t n, struct rte_sva_result *res);

/* Print why the device skips a case. @return TEST_SKIPPED. */
int conf_skip(const struct cdev *c, const char *why);

/* Skip unless the device advertises bit in field (dev_capa, op_capa). */
#define CONF_NEED(c, field, bit) do { \
	if (((c)->info.field & (bit)) == 0) \
		return conf_skip(c, "lacks " #bit); \
} while (0)

/* Skip on a device nothing executes (the fake idxd portal). */
#define CONF_NEED_ENGINE(c) do { \
	if ((c)->passive) \
		return conf_skip(c, "is a fake portal: nothing executes its descriptors"); \
} while (0)

int test_conf_ops(void);
int test_conf_statuses(void);
int test_conf_page_requests(void);
int test_conf_foreign(void);

#endif
