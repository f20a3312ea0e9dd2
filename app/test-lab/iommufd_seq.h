/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef IOMMUFD_SEQ_H
#define IOMMUFD_SEQ_H

/*
 * One test sequence of the sva_iommufd backend on the iommufd test mock
 * device, run against the real kernel (the lab guest, CONFIG_IOMMUFD_TEST)
 * and against the kernel double (app/test/kdouble, a fast unit test):
 * compiled once into the lab program (app/test-lab/iommufd_lab.c, which can
 * run both and compare) and once into sva_autotest (suite iommufd_seq,
 * double only). Each case asserts real outcomes (statuses, errnos,
 * counters, bytes, the kernel's own view of mappings and attachments) and
 * records its observations -- only values that must be the same on both
 * backends -- so that the lab fails when the double drifts from the kernel.
 */

#include <stdbool.h>
#include <stddef.h>

enum iseq_backend {
	ISEQ_KDOUBLE = 0,
	ISEQ_KERNEL,
};

struct iseq_env {
	enum iseq_backend backend;
	int worker_lcore;      /**< an EAL lcore for the fault worker, or -1 */
	char *obs;             /**< observations, "name=value\n" each */
	size_t obs_len, obs_cap;
	char why[512];         /**< the failing check */
};

struct iseq_case {
	const char *name;
	const char *what;
	int (*fn)(struct iseq_env *env);
};

extern const struct iseq_case iseq_cases[];
extern const unsigned int iseq_nb_cases;

/** @return the case called name, or NULL. */
const struct iseq_case *iseq_find(const char *name);

/**
 * Run one case on a backend (installs the double for ISEQ_KDOUBLE and
 * removes it after). obs receives its observations.
 * @return 0 passed; -1 failed (env->why); 1 skipped (no such kernel).
 */
int iseq_run(const struct iseq_case *c, struct iseq_env *env);

#endif /* IOMMUFD_SEQ_H */
