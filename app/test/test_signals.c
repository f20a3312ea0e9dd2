/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Signals the device did not cause: default action kept, the device-fault guard kept. */

#include "test.h"

static const struct test_case cases[] = {
};

const struct test_suite suite_signals = { "signals", cases, RTE_DIM(cases) };
