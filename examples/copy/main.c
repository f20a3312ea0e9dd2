/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_copy: the first thing to try. Bind this process to an SVA device and
 * have the device copy a plain malloc() buffer by its virtual address:
 * nothing pinned, no IOVA, no rte_malloc.
 *
 *   ./sva_copy --no-huge -m 256 --no-pci --vdev=sva_sim0 [-- SIZE]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>

int
main(int argc, char **argv)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 64,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_result res;
	uint32_t pasid, size = 1 << 20;
	uint64_t deadline;
	char *src, *dst;
	int16_t dev;
	int ret, cid;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (argc - ret > 1)
		size = (uint32_t)strtoul(argv[ret + 1], NULL, 0);

	dev = rte_sva_next_dev(0);
	if (dev < 0) {
		fprintf(stderr, "no SVA device: add --vdev=sva_sim0\n");
		return 1;
	}
	/* 1. Bind our address space: one PASID for the container. */
	cid = rte_sva_container_create();
	if (cid < 0 || rte_sva_container_add_dev(cid, dev) != 0 ||
	    rte_sva_bind(cid, 0, &pasid) != 0) {
		fprintf(stderr, "cannot bind this process\n");
		return 1;
	}
	/* 2. One dedicated queue. */
	if (rte_sva_configure(dev, &conf) != 0 ||
	    rte_sva_queue_setup(dev, 0, &qconf) != 0 || rte_sva_start(dev) != 0) {
		fprintf(stderr, "cannot start the device\n");
		return 1;
	}
	/* 3. Ordinary memory. */
	src = malloc(size);
	dst = malloc(size);
	if (src == NULL || dst == NULL)
		return 1;
	for (uint32_t i = 0; i < size; i++)
		src[i] = (char)(i * 7);
	memset(dst, 0, size);

	/* 4. Copy by virtual address, ring the doorbell, wait. */
	ret = rte_sva_copy(dev, 0, pasid, src, dst, size, RTE_SVA_OP_FLAG_SUBMIT);
	if (ret < 0) {
		fprintf(stderr, "enqueue: %s\n", strerror(-ret));
		return 1;
	}
	deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	while (rte_sva_completed_results(dev, 0, 1, NULL, &res) == 0) {
		if (rte_get_timer_cycles() > deadline) {
			fprintf(stderr, "no completion\n");
			return 1;
		}
	}
	ret = res.status == RTE_SVA_STATUS_SUCCESS && memcmp(src, dst, size) == 0;
	printf("copied %u bytes with PASID %u: %s, data %s\n", size, pasid,
	       rte_sva_status_str(res.status), ret ? "verified" : "WRONG");

	rte_sva_stop(dev);
	rte_sva_container_destroy(cid);
	free(src);
	free(dst);
	rte_eal_cleanup();
	return ret ? 0 : 1;
}
