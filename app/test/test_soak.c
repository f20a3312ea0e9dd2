/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Soak: every operation mixed with page drops, resumes, unbinds, stops and child exits. */

#include "test.h"

static const struct test_case cases[] = {
};

const struct test_suite suite_soak = { "soak", cases, RTE_DIM(cases) };
