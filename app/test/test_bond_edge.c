/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of bonds: the exit monitor, fork semantics, the system-wide PASID allocator. */

#include "test.h"

static const struct test_case cases[] = {
};

const struct test_suite suite_bond_edge = { "bond_edge", cases, RTE_DIM(cases) };
