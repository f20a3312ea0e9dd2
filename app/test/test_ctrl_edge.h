/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_CTRL_EDGE_H
#define TEST_CTRL_EDGE_H

/*
 * Fixtures of the ctrl_edge suite (test_ctrl_edge.c, its only user): heap
 * accounting, a fake idxd sysfs/dev tree with one fake portal, and a
 * client of this process's own telemetry socket.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "dsa_hw.h"
#include "test_idxd_tree.h"

/* ------------------------------------------- devices of the suite */

#define SIM_A "sva_sim40"
#define SIM_B "sva_sim41"
#define SIM_C_NAME "sva_sim42"
#define IDXD "sva_idxd40"
#define DMA_A "dma_sva40"
#define DMA_B "dma_sva41"
#define NDESC 64
#define SEC(n) ((uint64_t)(n) * rte_get_timer_hz())

/* A sim device of our own, configured with one queue, in a new container
 * with the process bound. */
struct own_dev {
	int16_t id;
	int cid;
	uint32_t pasid;
};

int own_setup(struct own_dev *o, const char *name, const char *args, bool start);
void own_teardown(struct own_dev *o, const char *name);
/* One copy on a started device, completed by test_idxd_complete() if
 * portal_slot is not NULL (the fake idxd portal), at ring index want_idx. */
int one_copy(struct own_dev *o, int want_idx, struct dsa_desc *portal_slot);

/* test_ctrl_devargs.c */
int t_devargs_sim(void);
int t_devargs_engine_cpu(void);
int t_devargs_engine_default(void);
/* What a process test_spawn() made for ctrl_edge does. */
extern const struct test_role ctrl_devargs_roles[];
int t_devargs_idxd(void);
int t_devargs_dma_sva(void);

/* ---------------------------------------------------------------- heap */

/* Bytes allocated in every DPDK heap. */
static inline uint64_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;
	uint64_t n = 0;

	for (unsigned int s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			n += st.heap_allocsz_bytes;
	return n;
}

/* ---------------------------------------------------- fake idxd tree */

/* One enabled dedicated user WQ, wq9.0 "ctrl_d", with a fake portal. */
static inline int
tree_build(void)
{
	int ret = test_idxd_tree_create("dsa9");

	if (ret != 0)
		return ret;
	return test_idxd_add_wq("wq9.0", "user", "ctrl_d", "enabled", "dedicated",
				TEST_IDXD_NODE_PORTAL);
}

static inline void
tree_remove(void)
{
	test_idxd_tree_remove();
}

/* ------------------------------------------------------ telemetry socket */

static char tel_reply[64 * 1024];

/* Connect to this process's own telemetry socket (":<n>" when another
 * process of the prefix holds the plain path). -1 if there is none. */
static inline int
tel_connect(void)
{
	const char *dir = rte_eal_get_runtime_dir();

	for (int i = 0; i < 32; i++) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		struct timeval tv = { .tv_sec = 5 };
		char want[32];
		ssize_t n;
		int fd;

		if (i == 0)
			snprintf(sun.sun_path, sizeof(sun.sun_path),
				 "%s/dpdk_telemetry.v2", dir);
		else
			snprintf(sun.sun_path, sizeof(sun.sun_path),
				 "%s/dpdk_telemetry.v2:%d", dir, i);
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			close(fd);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		n = recv(fd, tel_reply, sizeof(tel_reply) - 1, 0);
		snprintf(want, sizeof(want), "\"pid\":%d,", (int)getpid());
		if (n > 0) {
			tel_reply[n] = '\0';
			if (strstr(tel_reply, want) != NULL)
				return fd;
		}
		close(fd);
	}
	return -1;
}

/* Send cmd on fd; the reply in tel_reply. 0 or -1. */
static inline int
tel_send(int fd, const char *cmd, char *buf, size_t len)
{
	ssize_t n;

	if (send(fd, cmd, strlen(cmd), 0) < 0)
		return -1;
	n = recv(fd, buf, len - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

#endif /* TEST_CTRL_EDGE_H */
