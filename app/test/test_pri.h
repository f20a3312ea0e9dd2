/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_PRI_H
#define SVA_TEST_PRI_H

/* What the pri suite's files share (test_pri.c: page requests of our own
 * address space; test_pri_foreign.c: of a bound child's). */

#include <stdbool.h>
#include <stdint.h>

#include "test.h"

#define PG 4096u

/* The case's device (sva_sim4 with page requests), its container and our
 * PASID there, set up by pri_dev_up() and removed by pri_dev_down(). */
extern int16_t pri_dev;
extern int pri_cid;
extern uint32_t pri_pasid;

int pri_dev_up(const char *args);
void pri_dev_down(void);
/* Run body on a fresh device probed with args. */
int pri_case(const char *args, int (*body)(void));
/* Wait for n results, serving the fault queue unless told not to. */
int pri_wait(uint16_t n, struct rte_sva_result *res, bool serve);
/* Wait (bounded) until the device raised at least min_hwm records (and,
 * with full, met the queue full). */
int pri_wait_raised(uint32_t min_hwm, bool full);
/* pages of anonymous memory never touched, with prot; NULL if not. */
uint8_t *pri_fresh(size_t pages, int prot);

/* test_pri_foreign.c */
int test_foreign(void);
int test_foreign_exit(void);
int test_foreign_unbind_other(void);

#endif
