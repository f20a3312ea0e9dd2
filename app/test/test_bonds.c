/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Containers and bonds: references, replay on add, removal, error codes,
 * foreign pids, the PASID range, draining unbind, and the system-wide PASID
 * allocator seen from two processes.
 *
 * The fixture's container (tenv.cid, sva_sim0, tenv.pasid) is left as it
 * was; the tests use sva_sim1 and vdevs of their own. */

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>

#include "test.h"
#include "test_bonds.h"

#define PAGE 4096u

static int16_t
sim1(void)
{
	return (int16_t)rte_sva_get_dev_id_by_name("sva_sim1");
}

static int
sim1_start(void)
{
	int16_t d = sim1();

	TEST_ASSERT(d >= 0, "sva_sim1 is probed (--vdev=sva_sim1)");
	TEST_ASSERT_EQ(test_dev_setup(d, 1, TEST_DEPTH), 0, "start sva_sim1");
	return TEST_OK;
}

/* Copy one page on (dev, 0) with pasid and return its status; the data is
 * checked: copied on success, untouched otherwise. */
static int
copy_status(int16_t dev, uint32_t pasid, uint16_t *status)
{
	uint8_t *src = malloc(PAGE), *dst = malloc(PAGE);
	struct rte_sva_result r;
	int ret = TEST_FAILED;

	TEST_ASSERT(src && dst, "malloc");
	test_fill_random(src, PAGE, pasid);
	memset(dst, 0xd7, PAGE);
	if (rte_sva_copy(dev, 0, pasid, src, dst, PAGE, 0) < 0 ||
	    test_wait_one(dev, 0, &r) != 0) {
		printf("    copy on dev %d PASID %u did not complete\n", dev, pasid);
		goto out;
	}
	*status = r.status;
	if (r.status == RTE_SVA_STATUS_SUCCESS) {
		if (memcmp(src, dst, PAGE) != 0) {
			printf("    dev %d PASID %u: SUCCESS but data differs\n", dev,
			       pasid);
			goto out;
		}
	} else {
		for (unsigned int i = 0; i < PAGE; i++)
			if (dst[i] != 0xd7) {
				printf("    dev %d PASID %u: %s but byte %u written\n",
				       dev, pasid, rte_sva_status_str(r.status), i);
				goto out;
			}
	}
	ret = TEST_OK;
out:
	free(src);
	free(dst);
	return ret;
}

#define EXPECT_COPY(dev, pasid, want) do { \
	uint16_t st_ = 0xffff; \
	TEST_RUN(copy_status((dev), (pasid), &st_)); \
	TEST_ASSERT_EQ(st_, (want), "copy on dev %d PASID %u: %s", (dev), \
		       (pasid), rte_sva_status_str(st_)); \
} while (0)

/* ------------------------------------------------------------ references */

static int
refcount_body(int *cid)
{
	const int16_t d = sim1();
	uint32_t p1, p2, p3;

	TEST_RUN(sim1_start());
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container: %d", *cid);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add sva_sim1");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &p1), 0, "bind self");
	TEST_ASSERT(p1 != 0 && p1 < RTE_BIT32(20), "PASID %u", p1);
	TEST_ASSERT(p1 != tenv.pasid, "two bonds of this process share PASID %u", p1);
	TEST_ASSERT_EQ(rte_sva_bind(*cid, getpid(), &p2), 0, "bind self by pid");
	TEST_ASSERT_EQ(p2, p1, "second bind returns the same PASID");
	EXPECT_COPY(d, p1, RTE_SVA_STATUS_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, 0), 0, "first unbind");
	EXPECT_COPY(d, p1, RTE_SVA_STATUS_SUCCESS);   /* one reference left */
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, getpid()), 0, "second unbind");
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, 0), -ENOENT, "third unbind");
	EXPECT_COPY(d, p1, RTE_SVA_STATUS_INVALID_PASID);
	/* The fixture's bond on sva_sim0 is independent. */
	EXPECT_COPY(tenv.dev_id, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &p3), 0, "bind again");
	EXPECT_COPY(d, p3, RTE_SVA_STATUS_SUCCESS);
	if (p3 != p1)
		EXPECT_COPY(d, p1, RTE_SVA_STATUS_INVALID_PASID);
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid), 0, "destroy unbinds");
	*cid = -1;
	EXPECT_COPY(d, p3, RTE_SVA_STATUS_INVALID_PASID);
	return TEST_OK;
}

static int
test_refcount(void)
{
	int cid = -1;
	int ret = refcount_body(&cid);

	if (cid >= 0)
		rte_sva_container_destroy(cid);
	rte_sva_stop(sim1());
	return ret;
}

/* ------------------------------------------------------ replay on add_dev */

static int
replay_body(void)
{
	const int16_t d = sim1();

	TEST_RUN(sim1_start());
	EXPECT_COPY(d, tenv.pasid, RTE_SVA_STATUS_INVALID_PASID);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(tenv.cid, d), 0, "add sva_sim1");
	EXPECT_COPY(d, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	EXPECT_COPY(tenv.dev_id, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(tenv.cid, d), 0, "remove");
	EXPECT_COPY(d, tenv.pasid, RTE_SVA_STATUS_INVALID_PASID);
	EXPECT_COPY(tenv.dev_id, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(tenv.cid, d), -ENOENT,
		       "remove twice");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(-1, d), -EINVAL, "bad cid");
	/* Bonds made while the device is in: a bind of the same pid is a
	 * reference, valid on both devices. */
	TEST_ASSERT_EQ(rte_sva_container_add_dev(tenv.cid, d), 0, "add again");
	{
		uint32_t p;

		TEST_ASSERT_EQ(rte_sva_bind(tenv.cid, 0, &p), 0, "bind ref");
		TEST_ASSERT_EQ(p, tenv.pasid, "same PASID");
		TEST_ASSERT_EQ(rte_sva_unbind(tenv.cid, 0), 0, "drop ref");
	}
	EXPECT_COPY(d, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(tenv.cid, d), 0, "remove");
	EXPECT_COPY(tenv.dev_id, tenv.pasid, RTE_SVA_STATUS_SUCCESS);
	return TEST_OK;
}

static int
test_replay(void)
{
	int ret = replay_body();

	rte_sva_container_remove_dev(tenv.cid, sim1());
	rte_sva_stop(sim1());
	return ret;
}

/* ------------------------------------------------------------ error codes */

static int
errors_body(int *cid, int *cid2)
{
	const int16_t d = sim1();
	uint32_t p = 12345;

	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	/* Empty container. */
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &p), -EINVAL, "bind on empty container");
	TEST_ASSERT_EQ(p, 12345, "pasid written on failure");
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, 0), -ENOENT, "unbind not bound");
	/* Devices already in a container. */
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, tenv.dev_id), -EEXIST,
		       "sva_sim0 is in the fixture's container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add sva_sim1");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), -EEXIST, "add twice");
	*cid2 = rte_sva_container_create();
	TEST_ASSERT(*cid2 >= 0 && *cid2 != *cid, "second container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid2, d), -EEXIST,
		       "add to another container");
	/* Bad ids. */
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, -1), -EINVAL, "dev -1");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, RTE_SVA_MAX_DEVS - 1), -EINVAL,
		       "unused dev id");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(-1, d), -EINVAL, "cid -1");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(RTE_SVA_MAX_CONTAINERS, d), -EINVAL,
		       "cid 16");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(*cid2, d), -ENOENT,
		       "remove from a container it is not in");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, NULL), -EINVAL, "NULL pasid");
	TEST_ASSERT_EQ(rte_sva_bind(-1, 0, &p), -EINVAL, "bind cid -1");
	TEST_ASSERT_EQ(rte_sva_bind(RTE_SVA_MAX_CONTAINERS, 0, &p), -EINVAL,
		       "bind cid 16");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, -5, &p), -EINVAL, "negative pid");
	TEST_ASSERT_EQ(rte_sva_unbind(-1, 0), -EINVAL, "unbind cid -1");
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, 0), -ENOENT, "unbind not bound");
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid2), 0, "destroy empty");
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid2), -EINVAL, "destroy twice");
	*cid2 = -1;
	TEST_ASSERT_EQ(rte_sva_container_destroy(RTE_SVA_MAX_CONTAINERS), -EINVAL,
		       "destroy cid 16");
	/* After destroy, the device can join another container. */
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid), 0, "destroy");
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "device free again");
	return TEST_OK;
}

static int
test_errors(void)
{
	int cid = -1, cid2 = -1;
	int ret = errors_body(&cid, &cid2);

	if (cid >= 0)
		rte_sva_container_destroy(cid);
	if (cid2 >= 0)
		rte_sva_container_destroy(cid2);
	return ret;
}

/* All containers can be created, and one more is -ENOSPC. */
static int
test_container_exhaustion(void)
{
	int ids[RTE_SVA_MAX_CONTAINERS];
	int n = 0, ret = TEST_OK, c;

	while (n < RTE_SVA_MAX_CONTAINERS && (c = rte_sva_container_create()) >= 0)
		ids[n++] = c;
	if (n == RTE_SVA_MAX_CONTAINERS) {
		printf("    %d containers free although the fixture uses one\n", n);
		ret = TEST_FAILED;
	} else if (c != -ENOSPC) {
		printf("    create returned %d, want -ENOSPC\n", c);
		ret = TEST_FAILED;
	}
	while (n > 0)
		rte_sva_container_destroy(ids[--n]);
	c = rte_sva_container_create();
	if (c < 0) {
		printf("    no container after destroying all: %d\n", c);
		ret = TEST_FAILED;
	} else {
		rte_sva_container_destroy(c);
	}
	return ret;
}

/* ----------------------------------------------------------- foreign pids */

static int
foreign_unsupported(const char *what)
{
	printf("    sva_sim lacks RTE_SVA_CAPA_FOREIGN_BIND: rte_sva_bind() returns "
	       "-ENOTSUP for any other pid before %s, so that path is untestable\n",
	       what);
	return TEST_SKIPPED;
}

static int
dead_pid_body(int *cid)
{
	struct rte_sva_info info;
	uint32_t p;
	pid_t pid;
	int st, ret;

	TEST_ASSERT_EQ(rte_sva_info_get(sim1(), &info), 0, "info");
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, sim1()), 0, "add");
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0)
		_exit(0);
	TEST_ASSERT_EQ(waitpid(pid, &st, 0), pid, "waitpid");
	ret = rte_sva_bind(*cid, pid, &p);
	if (ret == -ENOTSUP && !(info.dev_capa & RTE_SVA_CAPA_FOREIGN_BIND))
		return foreign_unsupported("checking that the pid exists (-ESRCH)");
	TEST_ASSERT_EQ(ret, -ESRCH, "bind to exited pid %d", (int)pid);
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, pid), -ENOENT, "nothing bound");
	return TEST_OK;
}

static int
test_bind_dead_pid(void)
{
	int cid = -1;
	int ret = dead_pid_body(&cid);

	if (cid >= 0)
		rte_sva_container_destroy(cid);
	return ret;
}

/* Role "unpriv", a fresh process (a fork() child may not bind at all):
 * drop to uid 65534, then bind the process SVA_PARENT_PID: -EPERM, for
 * want of ptrace-attach permission over it. */
static int
role_unpriv(void)
{
	const char *pp = getenv("SVA_PARENT_PID");
	uint32_t p;
	int cid;

	TEST_ASSERT(pp != NULL, "role argument");
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, sim1()), 0, "add");
	TEST_ASSERT(setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 &&
		    setresuid(65534, 65534, 65534) == 0, "drop privileges: %s", strerror(errno));
	TEST_ASSERT_EQ(rte_sva_bind(cid, (pid_t)atoi(pp), &p), -EPERM,
		       "unprivileged bind to pid %s", pp);
	return TEST_OK;
}

static int
test_bind_foreign_eperm(void)
{
	struct rte_sva_info info;
	char env[32];
	const char *envs[] = { env, NULL };
	pid_t pid;
	int st;

	TEST_ASSERT_EQ(rte_sva_info_get(sim1(), &info), 0, "info");
	if (!(info.dev_capa & RTE_SVA_CAPA_FOREIGN_BIND))
		return foreign_unsupported("checking ptrace permission (-EPERM)");
	if (geteuid() != 0) {
		printf("    cannot drop privileges to uid 65534 (not root)\n");
		return TEST_SKIPPED;
	}
	snprintf(env, sizeof(env), "SVA_PARENT_PID=%d", (int)getpid());
	pid = test_spawn("bonds", "unpriv", NULL, envs, -1, NULL);
	TEST_ASSERT(pid > 0, "spawn");
	st = test_spawn_wait(pid, 60000);
	TEST_ASSERT(st != -1 && WIFEXITED(st), "the unprivileged process: status 0x%x", st);
	TEST_ASSERT_EQ(WEXITSTATUS(st), 0, "the unprivileged process's bind (its log above)");
	return TEST_OK;
}

/* ------------------------------------------------------------ PASID range */

static int
range_body(int *c1, int *c2)
{
	const int16_t d = sim1();
	/* PASIDs are system-wide: pick values other runs are unlikely to
	 * hold at the same time. */
	const uint32_t big = 3000 + (uint32_t)getpid() % 100000 * 2;
	const uint32_t small = 100 + (uint32_t)getpid() % 150;
	uint32_t p = 0, q = 0;
	int16_t d6;

	TEST_ASSERT_EQ(rte_sva_pasid_range_set(0, 10), -EINVAL, "min 0");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(0, 0), -EINVAL, "0..0");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(11, 10), -EINVAL, "min > max");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(1, RTE_BIT32(20)), -EINVAL, "max 2^20");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(1, UINT32_MAX), -EINVAL, "max 2^32-1");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(RTE_BIT32(20), RTE_BIT32(20)), -EINVAL,
		       "2^20..2^20");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(RTE_BIT32(20) - 1, RTE_BIT32(20) - 1), 0,
		       "single largest PASID");

	/* Allocations follow the range. */
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(big, big), 0, "big..big");
	TEST_RUN(sim1_start());
	*c1 = rte_sva_container_create();
	TEST_ASSERT(*c1 >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*c1, d), 0, "add sva_sim1");
	TEST_ASSERT_EQ(rte_sva_bind(*c1, 0, &p), 0, "bind");
	TEST_ASSERT_EQ(p, big, "PASID from the range");
	EXPECT_COPY(d, p, RTE_SVA_STATUS_SUCCESS);

	/* A device with 8-bit PASIDs cannot join a container whose bond has
	 * a PASID above 255, and nothing changes when it is refused. */
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim6", "pasid_bits=8"), 0, "probe sva_sim6");
	d6 = (int16_t)rte_sva_get_dev_id_by_name("sva_sim6");
	TEST_ASSERT(d6 >= 0, "sva_sim6");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*c1, d6), -ERANGE, "8-bit device");
	EXPECT_COPY(d, p, RTE_SVA_STATUS_SUCCESS);
	*c2 = rte_sva_container_create();
	TEST_ASSERT(*c2 >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*c2, d6), 0, "refused device is free");
	/* Range big..big and a device limit of 255: nothing to allocate. */
	TEST_ASSERT_EQ(rte_sva_bind(*c2, 0, &q), -ENOSPC, "no PASID <= 255 in range");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(small, small), 0, "small..small");
	TEST_ASSERT_EQ(rte_sva_bind(*c2, 0, &q), 0, "bind on the 8-bit device");
	TEST_ASSERT_EQ(q, small, "PASID small");
	/* Exhausted: the only PASID in range is held. */
	TEST_ASSERT_EQ(rte_sva_unbind(*c1, 0), 0, "unbind big");
	TEST_ASSERT_EQ(rte_sva_bind(*c1, 0, &p), -ENOSPC, "only PASID small is in range");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(big, big + 1), 0, "big..big+1");
	TEST_ASSERT_EQ(rte_sva_bind(*c1, 0, &p), 0, "bind");
	TEST_ASSERT(p == big || p == big + 1, "PASID %u outside %u..%u", p, big, big + 1);
	EXPECT_COPY(d, p, RTE_SVA_STATUS_SUCCESS);
	return TEST_OK;
}

static int
test_pasid_range(void)
{
	int c1 = -1, c2 = -1;
	int ret = range_body(&c1, &c2);

	if (c1 >= 0)
		rte_sva_container_destroy(c1);
	if (c2 >= 0)
		rte_sva_container_destroy(c2);
	if (rte_sva_get_dev_id_by_name("sva_sim6") >= 0)
		rte_vdev_uninit("sva_sim6");
	rte_sva_stop(sim1());
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}

/* -------------------------------------------------------- draining unbind */

#define DR_N 500
#define DR_LEN 65536u

/* Unbinding the last reference completes the operations in flight on the
 * PASID before it returns: executed ones with their status, the others
 * ABORTED. */
static int
unbind_drain_body(int *cid, uint8_t *src, uint8_t *dst)
{
	const int16_t d = sim1();
	static uint16_t st[DR_N];
	unsigned int counts[256] = { 0 };
	uint16_t got, more = 0;
	bool aborted_seen = false;
	uint32_t p;

	TEST_RUN(sim1_start());
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &p), 0, "bind");
	test_fill_random(src, DR_LEN, 61);
	for (int i = 0; i < DR_N; i++)
		TEST_ASSERT(rte_sva_copy(d, 0, p, src, dst, DR_LEN, 0) >= 0, "enq %d", i);
	TEST_ASSERT_EQ(rte_sva_submit(d, 0), 0, "submit");
	/* Let the engine get going: unbind lands mid-stream. */
	rte_delay_us_block(300);
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, 0), 0, "unbind (last reference)");
	got = rte_sva_completed_status(d, 0, DR_N, NULL, st);
	if (got < DR_N) {
		/* Collect the rest, to tell how they ended. */
		uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();

		while (got + more < DR_N && rte_get_timer_cycles() < deadline)
			more += rte_sva_completed_status(d, 0, DR_N - got - more, NULL,
							 st + got + more);
	}
	for (int i = 0; i < got + more; i++)
		counts[st[i] & 0xff]++;
	if (got < DR_N || counts[RTE_SVA_STATUS_SUCCESS] +
	    counts[RTE_SVA_STATUS_ABORTED] != DR_N) {
		printf("    %u of %u ops complete when unbind returned; %u more later;"
		       " SUCCESS %u ABORTED %u INVALID_PASID %u other %u\n", got, DR_N,
		       more, counts[RTE_SVA_STATUS_SUCCESS],
		       counts[RTE_SVA_STATUS_ABORTED],
		       counts[RTE_SVA_STATUS_INVALID_PASID],
		       got + more - counts[RTE_SVA_STATUS_SUCCESS] -
		       counts[RTE_SVA_STATUS_ABORTED] -
		       counts[RTE_SVA_STATUS_INVALID_PASID]);
		return TEST_FAILED;
	}
	for (int i = 0; i < DR_N; i++) {
		if (st[i] == RTE_SVA_STATUS_ABORTED)
			aborted_seen = true;
		else
			TEST_ASSERT(!aborted_seen, "op %d SUCCESS after an ABORTED one", i);
	}
	if (counts[RTE_SVA_STATUS_SUCCESS] > 0)
		TEST_ASSERT(memcmp(src, dst, DR_LEN) == 0, "data of the executed copies");
	EXPECT_COPY(d, p, RTE_SVA_STATUS_INVALID_PASID);
	return TEST_OK;
}

static int
test_unbind_drains(void)
{
	uint8_t *src = malloc(DR_LEN), *dst = malloc(DR_LEN);
	int cid = -1;
	int ret;

	TEST_ASSERT(src && dst, "malloc");
	ret = unbind_drain_body(&cid, src, dst);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	rte_sva_stop(sim1());
	free(src);
	free(dst);
	return ret;
}

/* ---------------------------------------------- devices that go away */

/* A device closed (or unplugged) while in a container must not stay a
 * member: a new device in the same slot is in no container. */
static int
closed_member_body(int *c1, int *c2, int how)
{
	int id, id2, ret;

	TEST_ASSERT_EQ(rte_vdev_init("sva_sim8", NULL), 0, "probe sva_sim8");
	id = rte_sva_get_dev_id_by_name("sva_sim8");
	TEST_ASSERT(id >= 0, "id");
	*c1 = rte_sva_container_create();
	TEST_ASSERT(*c1 >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*c1, id), 0, "add");
	if (how == 0) {
		TEST_ASSERT_EQ(rte_sva_close(id), 0, "close");
		TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim8"), 0, "uninit");
	} else {
		TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim8"), 0, "uninit");
	}
	TEST_ASSERT(!rte_sva_is_valid(id), "gone");
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim8", NULL), 0, "probe again");
	id2 = rte_sva_get_dev_id_by_name("sva_sim8");
	TEST_ASSERT(id2 >= 0, "id");
	if (id2 != id) {
		printf("    new device got slot %d, not %d: cannot test slot reuse\n",
		       id2, id);
		return TEST_SKIPPED;
	}
	*c2 = rte_sva_container_create();
	TEST_ASSERT(*c2 >= 0, "container");
	ret = rte_sva_container_add_dev(*c2, id2);
	TEST_ASSERT_EQ(ret, 0, "fresh device (slot %d, old one %s while in container %d)",
		       id2, how == 0 ? "closed" : "unplugged", *c1);
	return TEST_OK;
}

static int
test_closed_member(void)
{
	int ret = TEST_OK;

	for (int how = 0; how < 2; how++) {
		int c1 = -1, c2 = -1;
		int r = closed_member_body(&c1, &c2, how);

		if (c2 >= 0)
			rte_sva_container_destroy(c2);
		if (c1 >= 0)
			rte_sva_container_destroy(c1);
		if (rte_sva_get_dev_id_by_name("sva_sim8") >= 0)
			rte_vdev_uninit("sva_sim8");
		if (r != TEST_OK)
			ret = r;
		if (r == TEST_FAILED)
			break;
	}
	return ret;
}

static const struct test_case cases[] = {
	{ "bind references and unbind", test_refcount },
	{ "add_dev replays bonds, remove_dev drops them", test_replay },
	{ "container and bind error codes", test_errors },
	{ "container exhaustion", test_container_exhaustion },
	{ "bind to an exited pid -> -ESRCH", test_bind_dead_pid },
	{ "unprivileged bind to a foreign pid -> -EPERM", test_bind_foreign_eperm },
	{ "PASID range and 8-bit devices", test_pasid_range },
	{ "last unbind completes in-flight ops", test_unbind_drains },
	{ "closed device leaves its container", test_closed_member },
	{ "two processes never share a PASID", test_multiprocess_alloc },
};

/* Fresh processes (test_spawn()). */
static const struct test_role roles[] = {
	{ "churn", role_churn },
	{ "unpriv", role_unpriv },
	{ NULL, NULL },
};

const struct test_suite suite_bonds = { "bonds", cases, RTE_DIM(cases), roles };
