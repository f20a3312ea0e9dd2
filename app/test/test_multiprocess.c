/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_multiprocess_test: DPDK primary and secondary processes over one
 * sva_sim device. The test process itself only prepares hugepages (a
 * secondary needs them, test_mp_huge.c) and starts the primary, which
 * starts each secondary (the same executable, its role in SVA_MP_ROLE),
 * reads what it reports on a pipe and checks it.
 *
 * Cases:
 *  - a secondary given a --vdev the primary does not have: its probe
 *    fails saying why, and no private device of that name exists;
 *  - a secondary probing the primary's device (the vdev bus asks the
 *    primary for its list) never gets a private device of the same name.
 *
 * Exit status: 0 passed, 1 failed, 77 skipped (no hugepages in the kernel).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>

#include "test.h"
#include "test_mp.h"

#define MP_DEV        "sva_sim_mp0"
#define MP_DEV_ARGS   MP_DEV ",pri=1,wqs=1,idle=yield"
#define MP_UNKNOWN    "sva_sim_mpx0"
#define MP_TIMEOUT_MS 120000

/* Exit statuses of a secondary. */
#define SEC_EXIT_OK       0
#define SEC_EXIT_FAILED   1
#define SEC_EXIT_REFUSED  3   /* the probes refused: no such device here */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait for pid with a bound; kill it when the bound passes.
 * @return its wait status, or -1 after a timeout. */
static int
wait_bounded(pid_t pid, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	struct timespec tick = { 0, 1000000 };
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > end) {
			printf("    pid %d still running after %" PRIu64 " ms: killed\n",
			       (int)pid, ms);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
}

/* Start this executable again in role, its stderr (DPDK's log) into
 * log_path. */
static pid_t
spawn_role(const char *role, const char *log_path)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setenv("SVA_MP_ROLE", role, 1);
	if (log_path != NULL) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(SEC_EXIT_FAILED);
	}
	execl("/proc/self/exe", "sva_multiprocess_test", (char *)NULL);
	_exit(127);
}

/* True if the file at path holds every one of the strings (a NULL-ended
 * list) on one line. */
static bool
log_has_line(const char *path, const char *const *words)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		found = true;
		for (unsigned int i = 0; words[i] != NULL; i++)
			if (strstr(line, words[i]) == NULL)
				found = false;
	}
	fclose(f);
	return found;
}

static void
print_file(const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		printf("      | %s", line);
	fclose(f);
}

/* ------------------------------------------------------------- secondary */

static int
secondary_eal_init(const char *extra_vdev)
{
	char vdev[64];
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"sva_multiprocess_test";
	argv[argc++] = (char *)"-l";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--no-pci";
	argv[argc++] = (char *)"--proc-type=secondary";
	argv[argc++] = (char *)"--file-prefix";
	argv[argc++] = getenv("SVA_MP_PREFIX");
	argv[argc++] = (char *)"--log-level=lib.eal:error";
	if (extra_vdev != NULL) {
		snprintf(vdev, sizeof(vdev), "--vdev=%s", extra_vdev);
		argv[argc++] = vdev;
	}
	argv[argc] = NULL;
	return rte_eal_init(argc, argv);
}

/* A secondary whose probes must be refused: DPDK logs a failed bus probe
 * and goes on, so EAL init may succeed, but no device of the names it was
 * given may exist in it. */
static int
secondary_refused(const char *extra_vdev)
{
	bool priv;

	if (secondary_eal_init(extra_vdev) < 0)
		return SEC_EXIT_REFUSED;
	priv = rte_sva_get_dev_id_by_name(MP_DEV) >= 0 ||
		(extra_vdev != NULL && rte_sva_get_dev_id_by_name(extra_vdev) >= 0);
	if (priv)
		printf("    secondary: got a private device %s\n",
		       rte_sva_get_dev_id_by_name(MP_DEV) >= 0 ? MP_DEV : extra_vdev);
	rte_eal_cleanup();
	return priv ? SEC_EXIT_FAILED : SEC_EXIT_REFUSED;
}

/* --------------------------------------------------------------- primary */

struct primary {
	int16_t dev;
	int cid;
	uint32_t pasid;
	char log[96];
};

static int
primary_eal_init(void)
{
	char huge[96];
	char *argv[] = {
		(char *)"sva_multiprocess_test", (char *)"-l", (char *)"0",
		(char *)"--no-pci", (char *)"--proc-type=primary",
		(char *)"--file-prefix", getenv("SVA_MP_PREFIX"), huge,
		(char *)"--log-level=lib.eal:error", (char *)"--vdev=" MP_DEV_ARGS,
		NULL,
	};

	snprintf(huge, sizeof(huge), "--huge-dir=%s", getenv("SVA_MP_HUGEDIR"));
	return rte_eal_init((int)RTE_DIM(argv) - 1, argv);
}

/* One copy on the primary's own memory through the shared WQ. */
static int
primary_copy(struct primary *p)
{
	uint8_t src[256], dst[256];
	uint16_t st = UINT16_MAX;
	uint64_t end = now_ms() + 10000;

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i ^ 0x5a);
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(p->dev, 0, p->pasid, src, dst, sizeof(dst),
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	while (rte_sva_completed_status(p->dev, 0, 1, NULL, &st) == 0)
		TEST_ASSERT(now_ms() < end, "no completion in 10 s");
	TEST_ASSERT_EQ(st, RTE_SVA_STATUS_SUCCESS, "copy status");
	TEST_ASSERT(memcmp(src, dst, sizeof(dst)) == 0, "copied bytes");
	return TEST_OK;
}

static int
primary_setup(struct primary *p)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 256, .mode = RTE_SVA_QUEUE_SHARED, .wq_id = 0,
		.socket_id = SOCKET_ID_ANY,
	};

	TEST_ASSERT(primary_eal_init() >= 0, "primary EAL init");
	p->dev = (int16_t)rte_sva_get_dev_id_by_name(MP_DEV);
	TEST_ASSERT(p->dev >= 0, "%s probed", MP_DEV);
	p->cid = rte_sva_container_create();
	TEST_ASSERT(p->cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(p->cid, p->dev), 0, "add dev");
	TEST_ASSERT_EQ(rte_sva_bind(p->cid, 0, &p->pasid), 0, "bind self");
	TEST_ASSERT_EQ(rte_sva_configure(p->dev, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_sva_queue_setup(p->dev, 0, &qconf), 0, "shared queue");
	TEST_ASSERT_EQ(rte_sva_start(p->dev), 0, "start");
	return primary_copy(p);
}

/* Run a secondary that must be refused; its log says why. */
static int
primary_expect_refusal(struct primary *p, const char *role,
		       const char *const *why)
{
	int st;
	pid_t pid = spawn_role(role, p->log);

	TEST_ASSERT(pid > 0, "fork");
	st = wait_bounded(pid, MP_TIMEOUT_MS);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != SEC_EXIT_REFUSED ||
	    !log_has_line(p->log, why)) {
		printf("    FAIL: secondary %s: status %#x (expected exit %d), its log:\n",
		       role, st, SEC_EXIT_REFUSED);
		print_file(p->log);
		return TEST_FAILED;
	}
	printf("    ok: secondary %s refused, log says why\n", role);
	return TEST_OK;
}

static int
primary_main(void)
{
	static const char *const why_unknown[] = { MP_UNKNOWN, "secondary", NULL };
	static const char *const why_dev[] = { MP_DEV, "secondary", NULL };
	struct primary p;
	int ret;

	snprintf(p.log, sizeof(p.log), "%s/../%s-secondary.log",
		 getenv("SVA_MP_HUGEDIR"), getenv("SVA_MP_PREFIX"));
	ret = primary_setup(&p);
	if (ret == TEST_OK)
		ret = primary_expect_refusal(&p, "secondary_unknown", why_unknown);
	if (ret == TEST_OK)
		ret = primary_expect_refusal(&p, "secondary_refused", why_dev);
	if (ret == TEST_OK)
		ret = primary_copy(&p);
	unlink(p.log);
	rte_eal_cleanup();
	return ret == TEST_OK ? 0 : 1;
}

/* ------------------------------------------------------------------ main */

int
main(void)
{
	const char *role = getenv("SVA_MP_ROLE");
	struct mp_huge h;
	pid_t pid;
	int ret, st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (role != NULL && strcmp(role, "primary") == 0)
		return primary_main();
	if (role != NULL && strcmp(role, "secondary_unknown") == 0)
		return secondary_refused(MP_UNKNOWN);
	if (role != NULL && strcmp(role, "secondary_refused") == 0)
		return secondary_refused(NULL);
	if (role != NULL) {
		printf("unknown SVA_MP_ROLE %s\n", role);
		return 1;
	}

	ret = mp_huge_setup(&h);
	if (ret != 0)
		return ret;
	setenv("SVA_MP_PREFIX", h.prefix, 1);
	setenv("SVA_MP_HUGEDIR", h.dir, 1);
	printf("multiprocess: hugetlbfs %s, file prefix %s\n", h.dir, h.prefix);
	pid = spawn_role("primary", NULL);
	st = pid > 0 ? wait_bounded(pid, 2 * MP_TIMEOUT_MS) : -1;
	ret = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	mp_huge_cleanup(&h);
	printf("multiprocess: %s\n", ret == 0 ? "passed" : "FAILED");
	return ret;
}
