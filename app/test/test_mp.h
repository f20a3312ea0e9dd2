/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_MP_H
#define SVA_TEST_MP_H

/* The multiprocess test (sva_multiprocess_test): a DPDK primary and
 * secondaries over one sva_sim device. test_mp_huge.c prepares what DPDK
 * needs for a secondary (hugepages and a private hugetlbfs) and cleans up. */

#include <stdbool.h>

/* Hugepages the test needs free (2 MiB each). */
#define MP_HUGEPAGES 64

struct mp_huge {
	char dir[64];          /* private hugetlbfs mount point */
	char prefix[32];       /* EAL --file-prefix */
	long added;            /* pages added to nr_hugepages */
	bool mounted;
};

/* Reserve MP_HUGEPAGES 2 MiB pages (adding to nr_hugepages what is not free
 * already) and mount a hugetlbfs of them in a temporary directory.
 * @return 0; 77 (skip) when the kernel has no hugepages at all; 1 on
 * another failure, after a line saying why. */
int mp_huge_setup(struct mp_huge *h);

/* Unmount, remove the directory and DPDK's runtime files of the prefix,
 * give the added pages back. */
void mp_huge_cleanup(struct mp_huge *h);

#endif
