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
 *   sva_iommufd_lab [EAL args] -- --rtt=N   (round trip through the kernel)
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
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include <rte_cycles.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_pmd.h>

#include "sva_iommufd.h"
#include "iommufd_seq.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* --rtt=N: N page requests one at a time through the real kernel: mock
 * TRIGGER_IOPF -> fault fd -> the library's fault queue -> resolver (bond
 * of this process) -> response accepted by the kernel, on one thread.
 * Prints p50/p99/max in microseconds. */
static int
rtt(unsigned int n)
{
	struct sva_iommufd ctx;
	struct rte_sva_dev *dev;
	uint64_t *ns = calloc(n, sizeof(*ns)), hz = rte_get_tsc_hz();
	uint32_t pasid;
	int cid, ret = 1;
	uint8_t *buf;

	buf = mmap((void *)0x50000000, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (ns == NULL || buf != (void *)0x50000000 || sva_iommufd_open_mock(&ctx) != 0) {
		printf("rtt: setup failed: %s\n", ctx.err);
		return 1;
	}
	memset(buf, 1, 4096);
	dev = sva_iommufd_dev_create(&ctx, "iommufd_rtt", 64);
	cid = rte_sva_container_create();
	if (dev == NULL || cid < 0 || rte_sva_container_add_dev(cid, dev->dev_id) != 0 ||
	    rte_sva_bind(cid, 0, &pasid) != 0) {
		printf("rtt: device/bond failed\n");
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct sva_iommufd_counters c;
		uint64_t want, t0, end;

		sva_iommufd_counters_get(&ctx, &c);
		want = c.responses + 1;
		t0 = rte_rdtsc();
		end = t0 + hz;
		if (sva_iommufd_mock_iopf(&ctx, pasid, i & 511, 3, 0x50000000) != 0)
			goto out;
		do {
			sva_iommufd_fault_poll(&ctx, dev, 64);
			rte_sva_fault_process(dev->dev_id, 64);
			sva_iommufd_counters_get(&ctx, &c);
		} while (c.responses < want && rte_rdtsc() < end);
		if (c.responses < want) {
			printf("rtt: request %u not answered within 1 s\n", i);
			goto out;
		}
		ns[i] = (rte_rdtsc() - t0) * 1000000000ull / hz;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("iommufd rtt through the kernel: %u requests, p50 %.2f us, p99 %.2f us, "
	       "max %.2f us\n", n, ns[n / 2] / 1e3, ns[(uint64_t)n * 99 / 100] / 1e3,
	       ns[n - 1] / 1e3);
	ret = 0;
out:
	rte_sva_unbind(cid, 0);
	if (dev != NULL) {
		rte_sva_container_remove_dev(cid, dev->dev_id);
		rte_sva_pmd_release(dev);
	}
	rte_sva_container_destroy(cid);
	sva_iommufd_close(&ctx);
	free(ns);
	return ret;
}

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
		else if (strncmp(argv[i], "--rtt=", 6) == 0)
			return rtt((unsigned int)atoi(argv[i] + 6) > 0 ?
				   (unsigned int)atoi(argv[i] + 6) : 1000);
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
