/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Bind-churn mode: bind and unbind the calling process on a container of
 * SVA devices, as fast as possible. Every cycle is a real bind (PASID
 * allocation, PASID-table attach on every device) and a real last unbind
 * (refuse, drain, flush, free), since nothing else holds a reference.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_sva_bond.h>

#include "test_sva.h"

int
bench_churn_run(const struct bench_opts *o, const int16_t *devs,
		uint16_t nb_devs, FILE *json, FILE *csv)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .socket_id = SOCKET_ID_ANY };
	const uint32_t max_samples = 1u << 20;
	uint64_t *lat = malloc(sizeof(*lat) * max_samples);
	uint64_t start, end, t0, n = 0, errors = 0;
	double secs, hz = rte_get_tsc_hz();
	int cid, ret = 0;

	if (lat == NULL)
		return -ENOMEM;
	cid = rte_sva_container_create();
	if (cid < 0) {
		free(lat);
		return cid;
	}
	/* Devices running, engines polling: unbind must quiesce them. */
	for (uint16_t i = 0; i < nb_devs; i++) {
		rte_sva_stop(devs[i]);
		if (rte_sva_configure(devs[i], &conf) != 0 ||
		    rte_sva_queue_setup(devs[i], 0, &qc) != 0 ||
		    rte_sva_start(devs[i]) != 0 ||
		    rte_sva_container_add_dev(cid, devs[i]) != 0) {
			printf("bind-churn: cannot set up device %d\n", devs[i]);
			ret = -EINVAL;
			goto out;
		}
	}
	start = rte_rdtsc();
	end = start + (uint64_t)(o->duration * hz);
	do {
		uint32_t pasid;

		t0 = rte_rdtsc();
		if (rte_sva_bind(cid, 0, &pasid) != 0 || rte_sva_unbind(cid, 0) != 0)
			errors++;
		if (n < max_samples)
			lat[n] = rte_rdtsc() - t0;
		n++;
	} while (rte_rdtsc() < end);
	secs = (rte_rdtsc() - start) / hz;
	qsort(lat, RTE_MIN(n, max_samples), sizeof(*lat), bench_cmp_u64);
	{
		uint64_t m = RTE_MIN(n, max_samples);
		double p50 = lat[m / 2] / hz * 1e6, p99 = lat[m * 99 / 100] / hz * 1e6;
		double rate = n / secs;

		progress_clear();
		if (!o->quiet) {
			printf("%-10s %7s %14s %12s %12s %8s\n", "mode", "devices",
			       "bind+unbind/s", "p50 us", "p99 us", "errors");
			printf("%-10s %7u %14.0f %12.2f %12.2f %8" PRIu64 "\n",
			       "bind-churn", nb_devs, rate, p50, p99, errors);
		}
		if (json)
			fprintf(json, "{\"mode\":\"bind-churn\",\"devices\":%u,"
				"\"cycles_per_s\":%.1f,\"p50_us\":%.3f,\"p99_us\":%.3f,"
				"\"cycles\":%" PRIu64 ",\"errors\":%" PRIu64 "}\n",
				nb_devs, rate, p50, p99, n, errors);
		if (csv)
			fprintf(csv, "bind-churn,%u,%.1f,%.3f,%.3f,%" PRIu64 "\n",
				nb_devs, rate, p50, p99, errors);
	}
	if (errors != 0)
		ret = 1;
out:
	rte_sva_container_destroy(cid);
	for (uint16_t i = 0; i < nb_devs; i++)
		rte_sva_stop(devs[i]);
	free(lat);
	return ret;
}
