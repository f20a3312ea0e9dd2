/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The lab's iommufd sequence (app/test-lab/iommufd_seq.c,
 * compiled into this program too) on the kernel double, as cases seq_* of
 * suite iommufd. The lab runs the
 * very same cases on the real kernel and fails when the two disagree. */

#include "test.h"
#include "../test-lab/iommufd_seq.h"

/* Case i of the sequence on the double (test_iommufd.c lists them in
 * suite iommufd as seq_<name>). */
int test_iommufd_seq_run(unsigned int i);

int
test_iommufd_seq_run(unsigned int i)
{
	static char obs[4096];
	struct iseq_env env = { .backend = ISEQ_KDOUBLE, .worker_lcore = -1,
				.obs = obs, .obs_cap = sizeof(obs) };
	int r;

	if (i >= iseq_nb_cases)
		return TEST_FAILED;
	r = iseq_run(&iseq_cases[i], &env);
	if (r != 0)
		printf("    %s: %s\n", iseq_cases[i].name, env.why);
	return r == 0 ? TEST_OK : TEST_FAILED;
}

unsigned int test_iommufd_seq_count(void);

unsigned int
test_iommufd_seq_count(void)
{
	return iseq_nb_cases;
}
