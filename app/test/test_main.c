/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_autotest: the librte_sva test runner. Starts a real EAL with the sim
 * device on the vdev bus, then runs the suites named on the command line
 * after "--" (all when none is named).
 *
 *   sva_autotest [EAL args] -- [suite ...]
 */

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_pause.h>
#include <rte_sva_fault.h>

#include "test.h"

struct test_env tenv;

/* Declared here, not in test.h: only the runner needs it. */
extern const struct test_suite suite_conformance;
extern const struct test_suite suite_fault_edge_iommufd;
extern const struct test_suite suite_sw_iommu;
extern const struct test_suite suite_dma_sva_shared;
extern const struct test_suite suite_dma_sva_silent;
extern const struct test_suite suite_advise;
extern const struct test_suite suite_sim_fastpath;
extern const struct test_suite suite_fault_hist;

static const struct test_suite *const all_suites[] = {
	&suite_api, &suite_ops, &suite_faults, &suite_badinput, &suite_queues,
	&suite_bonds, &suite_foreign, &suite_iommu,
	&suite_lockless, &suite_pri, &suite_pri_lockless,
	&suite_telemetry,
	&suite_idxd,
	&suite_iommufd,
	&suite_sim_edge, &suite_fault_edge, &suite_fault_batch, &suite_ctrl_edge,
	&suite_bond_edge, &suite_signals, &suite_soak,
	&suite_sim_lockless, &suite_fault_lockless, &suite_teardown,
	&suite_pasid_pool, &suite_sim_checks,
	&suite_fault_edge_iommufd, &suite_sw_iommu, &suite_dma_sva_shared, &suite_dma_sva_silent,
	&suite_advise, &suite_sim_fastpath,
	&suite_fault_hist,
	&suite_log_capture, &suite_bench_bufs,
	&suite_conformance,   /* last: it closes the devices it did not get from the runner */
};

int
test_dev_setup(int16_t dev_id, uint16_t nb_queues, uint16_t depth)
{
	struct rte_sva_conf conf = { .nb_queues = nb_queues };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = depth,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	rte_sva_stop(dev_id);
	ret = rte_sva_configure(dev_id, &conf);
	if (ret != 0) {
		printf("    configure: %d\n", ret);
		return ret;
	}
	for (uint16_t q = 0; q < nb_queues; q++) {
		ret = rte_sva_queue_setup(dev_id, q, &qconf);
		if (ret != 0) {
			printf("    queue_setup %u: %d\n", q, ret);
			return ret;
		}
	}
	return rte_sva_start(dev_id);
}

int
test_restoring(int (*body)(void))
{
	int ret = body();

	if (test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH) != 0) {
		printf("    FAIL: cannot restore sva_sim0 after the test\n");
		return TEST_FAILED;
	}
	return ret;
}

void
test_dev_stop(int16_t dev_id)
{
	rte_sva_stop(dev_id);
}

int
test_wait_served(int16_t dev_id, uint16_t qid, uint16_t n, struct rte_sva_result *res,
		 bool serve, unsigned int timeout_s)
{
	uint64_t deadline = rte_get_timer_cycles() + timeout_s * rte_get_timer_hz();
	uint16_t got = 0;

	while (got < n) {
		if (serve)
			rte_sva_fault_process(dev_id, 64);
		got += rte_sva_completed_results(dev_id, qid, n - got, NULL,
						 res + got);
		if (rte_get_timer_cycles() > deadline) {
			printf("    timeout: %u of %u completions\n", got, n);
			return -ETIMEDOUT;
		}
		rte_pause();
	}
	return 0;
}

int
test_wait_results(int16_t dev_id, uint16_t qid, uint16_t n,
		  struct rte_sva_result *res)
{
	return test_wait_served(dev_id, qid, n, res, false, 10);
}

int
test_wait_one(int16_t dev_id, uint16_t qid, struct rte_sva_result *res)
{
	int ret = rte_sva_submit(dev_id, qid);

	if (ret != 0)
		return ret;
	return test_wait_results(dev_id, qid, 1, res);
}

uint32_t
test_crc32c_ref(uint32_t seed, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t crc = ~seed;

	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

void
test_fill_random(void *p, size_t n, uint64_t seed)
{
	uint8_t *b = p;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (uint8_t)x;
	}
}

/* Probe (if needed) and start vdev name with one queue; *dev its id. */
int
test_vdev_start(const char *name, int16_t *dev)
{
	int id = rte_sva_get_dev_id_by_name(name);

	if (id < 0) {
		TEST_ASSERT_EQ(rte_vdev_init(name, NULL), 0, "probe %s", name);
		id = rte_sva_get_dev_id_by_name(name);
	}
	TEST_ASSERT(id >= 0, "%s has an id", name);
	*dev = (int16_t)id;
	TEST_ASSERT_EQ(test_dev_setup(*dev, 1, 256), 0, "start %s", name);
	return TEST_OK;
}

void
test_vdev_remove(const char *name)
{
	if (rte_sva_get_dev_id_by_name(name) >= 0)
		rte_vdev_uninit(name);
}

/* One stream for the whole run, rewound at each start and never closed:
 * a thread may still write to it (rte_log() takes the stream, then
 * writes) after logging switched back, so it must stay valid. Read
 * under the stream's lock: such a late write may grow (move) the buffer.
 * A stream per capture, never closed, leaked one each (LeakSanitizer). */
static FILE *log_f;
static char *log_buf;
static size_t log_len;
static char log_copy[16384];

void
test_log_start(void)
{
	if (log_f == NULL)
		log_f = open_memstream(&log_buf, &log_len);
	if (log_f == NULL)
		return;
	/* From the start: what came since the last capture is dropped. */
	flockfile(log_f);
	fseek(log_f, 0, SEEK_SET);
	funlockfile(log_f);
	rte_openlog_stream(log_f);
}

const char *
test_log_stop(void)
{
	rte_openlog_stream(NULL);
	log_copy[0] = '\0';
	if (log_f != NULL) {
		flockfile(log_f);
		fflush(log_f);   /* log_len: the position, this capture's end */
		snprintf(log_copy, sizeof(log_copy), "%.*s", (int)log_len,
			 log_buf != NULL ? log_buf : "");
		funlockfile(log_f);
		fputs(log_copy, stdout);   /* still shown, as it would have been */
	}
	return log_copy;
}

pid_t
test_thread_by_name(const char *comm)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	pid_t tid = -1;

	if (d == NULL)
		return -1;
	while (tid < 0 && (e = readdir(d)) != NULL) {
		char path[300], name[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(name, sizeof(name), f) != NULL) {
			name[strcspn(name, "\n")] = '\0';
			if (strcmp(name, comm) == 0)
				tid = (pid_t)atoi(e->d_name);
		}
		fclose(f);
	}
	closedir(d);
	return tid;
}

pid_t
test_spawn(const char *suite, const char *role, const char *lcores,
	   const char *const *env, int out_fd, const int *keep)
{
	static char buf[8192];
	char *argv[128];
	int fd, argc = 0;
	ssize_t n, len = 0;
	pid_t pid;

	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (char *p = buf; p < buf + len && argc < 120; p += strlen(p) + 1) {
		if (strcmp(p, "--") == 0)
			break;
		if (lcores != NULL && argc > 0) {
			if (strcmp(p, "-l") == 0 || strcmp(p, "-c") == 0 ||
			    strcmp(p, "--lcores") == 0) {
				p += strlen(p) + 1;   /* and its value */
				continue;
			}
			if (strncmp(p, "-l", 2) == 0 || strncmp(p, "--lcores=", 9) == 0)
				continue;
		}
		argv[argc++] = p;
	}
	if (lcores != NULL) {
		argv[argc++] = (char *)(uintptr_t)"--lcores";
		argv[argc++] = (char *)(uintptr_t)lcores;
	}
	/* Its thread would outlive a role's own rte_eal_cleanup(). */
	argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
	argv[argc++] = (char *)(uintptr_t)"--";
	argv[argc++] = (char *)(uintptr_t)suite;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = test_fork();
	if (pid != 0)
		return pid;
	setenv(TEST_ROLE_ENV, role, 1);
	for (int i = 0; env != NULL && env[i] != NULL; i++)
		putenv((char *)(uintptr_t)env[i]);
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(out_fd, 2);
	}
	for (int i = 0; keep != NULL && keep[i] >= 0; i++)
		fcntl(keep[i], F_SETFD, 0);
	execv("/proc/self/exe", argv);
	_exit(127);
}

int
test_spawn_wait(pid_t pid, unsigned int timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() +
		(uint64_t)timeout_ms * rte_get_timer_hz() / 1000;
	int st;
	pid_t w;

	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && rte_get_timer_cycles() < deadline)
		usleep(1000);
	if (w == pid)
		return st;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("    the fresh process did not finish within %u ms\n", timeout_ms);
	return -1;
}

int
test_spawn_run(const char *suite, const char *role, const char *lcores,
	       unsigned int timeout_ms)
{
	pid_t pid = test_spawn(suite, role, lcores, NULL, -1, NULL);
	int st;

	TEST_ASSERT(pid > 0, "spawn %s/%s", suite, role);
	st = test_spawn_wait(pid, timeout_ms);
	TEST_ASSERT(st != -1, "%s/%s did not finish", suite, role);
	TEST_ASSERT(WIFEXITED(st), "%s/%s died of signal %d", suite, role,
		    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	TEST_ASSERT_EQ(WEXITSTATUS(st), 0, "%s/%s failed", suite, role);
	return TEST_OK;
}

/* In a process test_spawn() made: play the role, exit with its outcome. */
static void
role_play(const char *role, int argc, char **argv)
{
	int r = TEST_FAILED;
	bool found = false;

	for (unsigned int s = 0; s < RTE_DIM(all_suites) && !found; s++) {
		const struct test_suite *st = all_suites[s];

		if (argc != 1 || strcmp(st->name, argv[0]) != 0 || st->roles == NULL)
			continue;
		for (const struct test_role *ro = st->roles; ro->name != NULL; ro++) {
			if (strcmp(ro->name, role) == 0) {
				found = true;
				r = ro->fn();
				break;
			}
		}
	}
	if (!found)
		printf("no role %s in suite %s\n", role, argc == 1 ? argv[0] : "?");
	printf("  role %s: %s\n", role, r == TEST_OK ? "ok" : "FAILED");
	fflush(stdout);
	_exit(r == TEST_OK ? 0 : 1);
}

static bool
suite_selected(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return true;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

pid_t
test_fork(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)   /* died before prctl took effect */
			_exit(1);
	}
	return pid;
}

int
main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, skipped = 0;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	/* EAL leaves the program name in front of the remaining arguments. */
	argc -= ret + 1;
	argv += ret + 1;
	if (argc > 0 && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	for (int i = 0; i < argc; i++) {
		bool known = false;

		for (unsigned int s = 0; s < RTE_DIM(all_suites); s++)
			known |= strcmp(all_suites[s]->name, argv[i]) == 0;
		if (!known) {
			printf("unknown suite %s\n", argv[i]);
			return 1;
		}
	}

	tenv.dev_id = rte_sva_get_dev_id_by_name("sva_sim0");
	if (tenv.dev_id < 0) {
		printf("no sva_sim0 device: run with --vdev=sva_sim0\n");
		return 1;
	}
	rte_sva_info_get(tenv.dev_id, &tenv.info);
	tenv.cid = rte_sva_container_create();
	if (tenv.cid < 0 || rte_sva_container_add_dev(tenv.cid, tenv.dev_id) != 0 ||
	    rte_sva_bind(tenv.cid, 0, &tenv.pasid) != 0) {
		printf("cannot bind the test process to sva_sim0\n");
		return 1;
	}
	if (test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH) != 0) {
		printf("cannot start sva_sim0\n");
		return 1;
	}

	if (getenv(TEST_ROLE_ENV) != NULL)
		role_play(getenv(TEST_ROLE_ENV), argc, argv);
	for (unsigned int s = 0; s < RTE_DIM(all_suites); s++) {
		const struct test_suite *st = all_suites[s];

		if (!suite_selected(st->name, argc, argv))
			continue;
		printf("suite %s\n", st->name);
		for (unsigned int c = 0; c < st->nb_cases; c++) {
			int r;

			fflush(stdout);
			r = st->cases[c].fn();
			printf("  %-44s %s\n", st->cases[c].name,
			       r == TEST_OK ? "ok" : r == TEST_SKIPPED ? "skipped" : "FAILED");
			if (r == TEST_OK)
				passed++;
			else if (r == TEST_SKIPPED)
				skipped++;
			else
				failed++;
		}
	}
	rte_sva_stop(tenv.dev_id);
	rte_sva_container_destroy(tenv.cid);
	printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	rte_eal_cleanup();
	return failed == 0 ? 0 : 1;
}
