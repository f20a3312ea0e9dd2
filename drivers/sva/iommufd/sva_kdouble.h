/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* Not part of the driver: the kernel test double moved to the tests
 * (app/test/kdouble/). This forwarding header only keeps test files that
 * still include it by its old path building; include
 * "kdouble/sva_kdouble.h" from app/test instead. */
#include "../../../app/test/kdouble/sva_kdouble.h"
