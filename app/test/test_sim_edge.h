/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_SIM_EDGE_H
#define SVA_TEST_SIM_EDGE_H

/* What the sim_edge and sim_checks suites share: a hot-plugged sim device
 * (sva_sim20..22) in a container of its own, ourselves bound. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "test.h"

#define PG 4096u
#define NONCANON(p) ((const void *)((uintptr_t)(p) | (0xa5ull << 56)))

extern const char *ename;
extern int16_t edev;
extern int ecid;
extern uint32_t epasid;

/* Queues 0.. dedicated, of depth 64; with shared, the last one on a
 * shared work queue. */
int edge_up(const char *name, const char *args, uint16_t nb_queues, bool shared);
void edge_down(void);
/* Wait (bounded) for n results of queue qid of dev, serving its fault
 * queue in this thread unless told not to. */
#define edge_wait(dev, qid, n, res, serve) test_wait_served(dev, qid, n, res, serve, 5)

#define EDGE_CASE(fn, name, args, queues, shared, body) \
int fn(void) \
{ \
	int ret = edge_up(name, args, queues, shared); \
	if (ret == TEST_OK) \
		ret = body(); \
	edge_down(); \
	return ret; \
}

static inline uint8_t *
fresh(size_t pages)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static inline bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* test_sim_checks.c: the signal-free ones also run in sim_lockless. */
int test_refused(void);
int test_refused_overlap(void);
int test_foreign_refused(void);
int test_fence(void);
int test_fence_shared(void);

#endif
