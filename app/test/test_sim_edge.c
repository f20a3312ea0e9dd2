/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of the sim device's execution and page-request paths under adversarial descriptors. */

#include "test.h"

static const struct test_case cases[] = {
};

const struct test_suite suite_sim_edge = { "sim_edge", cases, RTE_DIM(cases) };

/* The cases in which no device access takes a signal, for the TSan build. */
static const struct test_case lockless_cases[] = {
};

const struct test_suite suite_sim_lockless = { "sim_lockless", lockless_cases,
						RTE_DIM(lockless_cases) };
