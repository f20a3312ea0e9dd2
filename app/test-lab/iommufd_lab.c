/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/*
 * iommufd lab cases: the sva_iommufd backend's real paths on the kernel's
 * iommufd test mock device (a lab guest kernel with CONFIG_IOMMUFD_TEST),
 * and the same sequence on the kernel double, compared.
 *
 *   sva_iommufd_lab [EAL args] -- [--backend=kernel|kdouble|both]
 *                   [--worker-lcore=N] [--list] [CASE...]
 *
 * both (the default): each case runs on the kernel, then on the double;
 * it passes when both pass and their observations are the same (a
 * difference means the double drifted from the kernel: fix the double).
 * Exit: 0 all passed; 1 a case failed or differed; 2 usage / EAL; 77 no
 * /dev/iommu (not in the lab guest) with the kernel backend asked for.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "iommufd_seq.h"

#define OBS_CAP 4096

static int
run_one(const struct iseq_case *c, enum iseq_backend b, int worker, char *obs,
	const char *tag)
{
	struct iseq_env env = { .backend = b, .worker_lcore = worker, .obs = obs,
				.obs_cap = OBS_CAP };
	int r = iseq_run(c, &env);

	printf("%s %-15s [%s]%s%s\n", r == 0 ? "ok  " : r > 0 ? "SKIP" : "FAIL", c->name,
	       tag, env.why[0] ? ": " : "", env.why);
	return r;
}

/* Print the lines of a that differ from b's. */
static void
diff(const char *a, const char *b)
{
	char *ca = strdup(a), *cb = strdup(b), *sa, *sb;
	char *la = strtok_r(ca, "\n", &sa), *lb = strtok_r(cb, "\n", &sb);

	while (la != NULL || lb != NULL) {
		if (la == NULL || lb == NULL || strcmp(la, lb) != 0)
			printf("    kernel: %-36s  kdouble: %s\n", la ? la : "-", lb ? lb : "-");
		la = la ? strtok_r(NULL, "\n", &sa) : NULL;
		lb = lb ? strtok_r(NULL, "\n", &sb) : NULL;
	}
	free(ca);
	free(cb);
}

int
main(int argc, char **argv)
{
	enum { KERNEL = 1, KDOUBLE = 2 } which = KERNEL | KDOUBLE;
	static char ok_obs[OBS_CAP], kd_obs[OBS_CAP];
	const struct iseq_case *sel[64];
	unsigned int nsel = 0, pass = 0, fail = 0;
	int worker = -1, n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	argc -= n;
	argv += n;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--backend=kernel") == 0)
			which = KERNEL;
		else if (strcmp(argv[i], "--backend=kdouble") == 0)
			which = KDOUBLE;
		else if (strcmp(argv[i], "--backend=both") == 0)
			which = KERNEL | KDOUBLE;
		else if (strncmp(argv[i], "--worker-lcore=", 15) == 0)
			worker = atoi(argv[i] + 15);
		else if (strcmp(argv[i], "--list") == 0) {
			for (unsigned int k = 0; k < iseq_nb_cases; k++)
				printf("%-15s %s\n", iseq_cases[k].name, iseq_cases[k].what);
			return 0;
		} else if (iseq_find(argv[i]) != NULL && nsel < RTE_DIM(sel)) {
			sel[nsel++] = iseq_find(argv[i]);
		} else {
			fprintf(stderr, "unknown argument or case '%s' (--list)\n", argv[i]);
			return 2;
		}
	}
	if (worker >= 0 && (!rte_lcore_is_enabled((unsigned int)worker) ||
			    (unsigned int)worker == rte_get_main_lcore())) {
		fprintf(stderr, "--worker-lcore=%d: not an EAL worker lcore\n", worker);
		return 2;
	}
	/* Outside the lab (no /dev/iommu) the kernel backend cannot run:
	 * 77, which meson counts as skipped and the lab as a failure. */
	if ((which & KERNEL) && access("/dev/iommu", F_OK) != 0) {
		printf("no /dev/iommu: not a lab guest (skipped)\n");
		rte_eal_cleanup();
		return 77;
	}
	if (nsel == 0)
		for (unsigned int k = 0; k < iseq_nb_cases && nsel < RTE_DIM(sel); k++)
			sel[nsel++] = &iseq_cases[k];
	for (unsigned int k = 0; k < nsel; k++) {
		int rk = 0, rd = 0;

		if (which & KERNEL)
			rk = run_one(sel[k], ISEQ_KERNEL, worker, ok_obs, "kernel");
		if (which & KDOUBLE)
			rd = run_one(sel[k], ISEQ_KDOUBLE, worker, kd_obs, "kdouble");
		/* A skip in the lab is a failure: the case did not run. */
		bool ok = rk == 0 && rd == 0;

		if (ok && which == (KERNEL | KDOUBLE) && strcmp(ok_obs, kd_obs) != 0) {
			printf("DIFF %-15s the double disagrees with the kernel:\n", sel[k]->name);
			diff(ok_obs, kd_obs);
			ok = false;
		}
		if (ok && getenv("SVA_LAB_VERBOSE") != NULL)
			printf("%s", which & KERNEL ? ok_obs : kd_obs);
		ok ? pass++ : fail++;
	}
	printf("iommufd lab: %u passed, %u failed\n", pass, fail);
	rte_eal_cleanup();
	return fail == 0 ? 0 : 1;
}
