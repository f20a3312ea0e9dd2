/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_FAULT_EDGE_H
#define SVA_TEST_FAULT_EDGE_H

/* What the fault_edge and teardown suites share. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include <rte_cycles.h>

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

#endif
