/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_BONDS_H
#define SVA_TEST_BONDS_H

/* test_bonds_multiprocess.c, for the bonds suite's table (test_bonds.c). */
int test_multiprocess_alloc(void);
/* The fresh process's side of it (role "churn"). */
int role_churn(void);

#endif
