/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* A case of the bonds suite: the system-wide PASID allocator seen from
 * two processes (this one and a fresh one from test_spawn(), role
 * "churn"), which bind and unbind at once and never hold the same PASID. */

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>

#include "test.h"
#include "test_bonds.h"

#define MP_K 3           /* PASIDs each process holds at once */
#define MP_ROUNDS 10
/* One PASID-table leaf (512 PASIDs), picked by pid so that concurrent runs
 * of this suite rarely meet in the system-wide allocator. */
static uint32_t mp_lo;
#define MP_LO mp_lo
#define MP_HI (mp_lo + 511)

/* MP_K sim devices sva_sim20.. in containers of their own, started, and
 * the PASID range MP_LO..MP_HI. */
static int
mp_devs_up(int16_t *devs, int *cids)
{
	for (int i = 0; i < MP_K; i++) {
		char name[32];

		snprintf(name, sizeof(name), "sva_sim%d", 20 + i);
		TEST_ASSERT_EQ(rte_vdev_init(name, NULL), 0, "probe %s", name);
		devs[i] = (int16_t)rte_sva_get_dev_id_by_name(name);
		TEST_ASSERT(devs[i] >= 0, "%s", name);
		cids[i] = rte_sva_container_create();
		TEST_ASSERT(cids[i] >= 0, "container %d: %d", i, cids[i]);
		TEST_ASSERT_EQ(rte_sva_container_add_dev(cids[i], devs[i]), 0, "add");
	}
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(MP_LO, MP_HI), 0, "range");
	return TEST_OK;
}

/* Role "churn", the other process (fresh: a fork() child may not bind):
 * bind MP_K bonds (one per container), report them, hold them until the
 * parent says so, unbind, repeat. Range and pipe ends from the
 * environment (SVA_MP_LO, SVA_MP_W, SVA_MP_R). */
int
role_churn(void)
{
	const char *lo = getenv("SVA_MP_LO"), *w = getenv("SVA_MP_W"), *rd = getenv("SVA_MP_R");
	int16_t devs[MP_K];
	int cids[MP_K], wfd, rfd;

	TEST_ASSERT(lo && w && rd, "role arguments");
	mp_lo = (uint32_t)atoi(lo);
	wfd = atoi(w);
	rfd = atoi(rd);
	TEST_RUN(mp_devs_up(devs, cids));
	for (int r = 0; r < MP_ROUNDS; r++) {
		uint32_t msg[2 * MP_K];
		char c = 0;

		for (int k = 0; k < MP_K; k++) {
			int ret = rte_sva_bind(cids[k], 0, &msg[k]);

			msg[MP_K + k] = (uint32_t)ret;
			if (ret != 0)
				msg[k] = UINT32_MAX;
		}
		TEST_ASSERT(write(wfd, msg, sizeof(msg)) == (ssize_t)sizeof(msg), "report");
		if (read(rfd, &c, 1) != 1)
			c = 'q';
		for (int k = 0; k < MP_K; k++)
			if (msg[MP_K + k] == 0)
				rte_sva_unbind(cids[k], 0);
		if (c != 'c')
			break;
	}
	return TEST_OK;
}

static int
mp_read(int fd, void *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		if (poll(&pfd, 1, 10000) <= 0)
			return -1;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

static int
mp_parent(const int *cids, pid_t child, int rfd, int wfd)
{
	int ret = TEST_OK;

	(void)child;
	for (int r = 0; r < MP_ROUNDS && ret == TEST_OK; r++) {
		uint32_t mine[MP_K], theirs[2 * MP_K];
		int bound = 0;

		for (int k = 0; k < MP_K; k++) {
			int b = rte_sva_bind(cids[k], 0, &mine[k]);

			if (b != 0) {
				printf("    round %d: parent bind %d: %d\n", r, k, b);
				ret = TEST_FAILED;
				break;
			}
			bound++;
		}
		if (mp_read(rfd, theirs, sizeof(theirs)) != 0) {
			printf("    round %d: no answer from the child\n", r);
			ret = TEST_FAILED;
		}
		for (int k = 0; k < MP_K && ret == TEST_OK; k++) {
			if (theirs[MP_K + k] != 0) {
				printf("    round %d: child bind %d: %d\n", r, k,
				       (int)theirs[MP_K + k]);
				ret = TEST_FAILED;
			} else if (theirs[k] < MP_LO || theirs[k] > MP_HI ||
				   mine[k] < MP_LO || mine[k] > MP_HI) {
				printf("    round %d: PASID %u / %u outside %u..%u\n", r,
				       mine[k], theirs[k], MP_LO, MP_HI);
				ret = TEST_FAILED;
			}
		}
		for (int a = 0; a < MP_K && ret == TEST_OK; a++) {
			for (int b = 0; b < MP_K; b++) {
				if (mine[a] == theirs[b]) {
					printf("    round %d: PASID %u is held by both "
					       "processes at once (parent %u %u %u, "
					       "child %u %u %u)\n", r, mine[a],
					       mine[0], mine[1], mine[2], theirs[0],
					       theirs[1], theirs[2]);
					ret = TEST_FAILED;
				}
			}
		}
		if (write(wfd, ret == TEST_OK && r + 1 < MP_ROUNDS ? "c" : "q", 1) != 1)
			ret = TEST_FAILED;
		for (int k = 0; k < bound; k++)
			rte_sva_unbind(cids[k], 0);
	}
	return ret;
}

static int
multiprocess_body(int16_t *devs, int *cids)
{
	char env[3][32];
	const char *envs[] = { env[0], env[1], env[2], NULL };
	int c2p[2], p2c[2], keep[3], st, ret;
	pid_t pid;

	mp_lo = 512u * (8 + (uint32_t)getpid() % 1000);
	TEST_RUN(mp_devs_up(devs, cids));
	TEST_ASSERT(pipe2(c2p, O_CLOEXEC) == 0 && pipe2(p2c, O_CLOEXEC) == 0, "pipes");
	snprintf(env[0], sizeof(env[0]), "SVA_MP_LO=%u", mp_lo);
	snprintf(env[1], sizeof(env[1]), "SVA_MP_W=%d", c2p[1]);
	snprintf(env[2], sizeof(env[2]), "SVA_MP_R=%d", p2c[0]);
	keep[0] = c2p[1];
	keep[1] = p2c[0];
	keep[2] = -1;
	pid = test_spawn("bonds", "churn", NULL, envs, -1, keep);
	close(c2p[1]);
	close(p2c[0]);
	ret = pid > 0 ? mp_parent(cids, pid, c2p[0], p2c[1]) : TEST_FAILED;
	close(c2p[0]);
	close(p2c[1]);
	if (pid <= 0)
		return TEST_FAILED;
	st = test_spawn_wait(pid, 60000);
	TEST_ASSERT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "the other process: status 0x%x", st);
	return ret;
}

int
test_multiprocess_alloc(void)
{
	int16_t devs[MP_K];
	int cids[MP_K];
	int ret;

	for (int i = 0; i < MP_K; i++) {
		devs[i] = -1;
		cids[i] = -1;
	}
	ret = multiprocess_body(devs, cids);
	for (int i = 0; i < MP_K; i++) {
		char name[32];

		if (cids[i] >= 0)
			rte_sva_container_destroy(cids[i]);
		snprintf(name, sizeof(name), "sva_sim%d", 20 + i);
		if (rte_sva_get_dev_id_by_name(name) >= 0)
			rte_vdev_uninit(name);
	}
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}
