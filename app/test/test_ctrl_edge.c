/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of the control path: locking against telemetry, error reporting, devargs. */

#include "test.h"

static const struct test_case cases[] = {
};

const struct test_suite suite_ctrl_edge = { "ctrl_edge", cases, RTE_DIM(cases) };
