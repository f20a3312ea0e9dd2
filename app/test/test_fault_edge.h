/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_FAULT_EDGE_H
#define SVA_TEST_FAULT_EDGE_H

/* What the fault_edge, fault_edge_iommufd and teardown suites share. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_sva_fault.h>

#include "test.h"

#define PG 4096u

static inline uint64_t
deadline_ms(unsigned int ms)
{
	return rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
}

static inline bool
past(uint64_t deadline)
{
	return rte_get_timer_cycles() > deadline;
}

static inline uint8_t *
fresh(size_t pages)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A sim device with page requests, in a container, ourselves bound. */
struct pdev {
	const char *name;
	int16_t id;
	int cid;
	uint32_t pasid;
};

/* Probe name with args, bind, start one queue of 64. */
int pdev_up(struct pdev *p, const char *name, const char *args);
void pdev_down(struct pdev *p);
/* Wait (bounded) for n results of queue 0, serving the fault queue or not. */
#define wait_results(dev, n, res, serve) test_wait_served(dev, 0, n, res, serve, 10)

/* ---- the fake fault device (test_fault_fake.c) */
struct rte_sva_dev;
struct rte_sva_dev_ops;

/* What the fake device's ops return, and the responses it was given. */
struct test_fk {
	int stop_ret, close_ret, resp_ret, burst_ret;
	unsigned int nb;
	struct rte_sva_page_response r[64];
};
extern struct test_fk fk;
/* Ops: responses one by one; also in bursts; with a PASID table. */
extern const struct rte_sva_dev_ops fk_ops, fk_burst_ops, fk_bond_ops;
int fk_close(struct rte_sva_dev *d);
int fk_resp(struct rte_sva_dev *d, const struct rte_sva_page_response *r);
/* Allocate device name with ops and a fault queue of fq_size; NULL if not. */
struct rte_sva_dev *fk_up(const char *name, const struct rte_sva_dev_ops *ops,
			  uint32_t fq_size);
void fk_down(struct rte_sva_dev *dev);
/* Report one page request record of group grpid (last: LAST_PAGE). */
int fk_raise(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid, uint64_t addr,
	     uint32_t cookie, bool last);
/* Response i the fake device got must be this one. */
#define FK_RESP(i, pasid_, grpid_, cookie_, code_) do { \
	TEST_ASSERT((i) < fk.nb, "response %d missing (%u sent)", (int)(i), fk.nb); \
	TEST_ASSERT_EQ(fk.r[i].pasid, pasid_, "response %d pasid", (int)(i)); \
	TEST_ASSERT_EQ(fk.r[i].grpid, grpid_, "response %d grpid", (int)(i)); \
	TEST_ASSERT_EQ(fk.r[i].cookie, cookie_, "response %d cookie", (int)(i)); \
	TEST_ASSERT_EQ(fk.r[i].code, code_, "response %d code", (int)(i)); \
} while (0)

/* Two pages of ours a handler judges without touching them (no signal,
 * for TSan): bad_pg INVALID, good_pg SUCCESS. */
extern uint64_t bad_pg, good_pg;
/* The handler pages_up() registers: INVALID for bad_pg, else SUCCESS. */
int judge(const struct rte_sva_fault *f, void *arg);
int pages_up(void);
void pages_down(void);

#endif
