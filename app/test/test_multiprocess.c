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
 *  - a secondary given a --vdev the primary does not have: that probe
 *    fails saying why, and no private device of that name exists; the
 *    primary's device is attached all the same;
 *  - a secondary attaches to the primary's device, binds its own address
 *    space through the primary (its own PASID, not the primary's) and
 *    copies on the primary's shared work queue while the primary copies on
 *    it too: the bytes land in each process's own memory.
 *
 * Exit status: 0 passed, 1 failed, 77 skipped (no hugepages in the kernel).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
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
#include <rte_sva_fault.h>
#include <rte_sva_iommu.h>

#include "test.h"
#include "test_mp.h"

#define MP_DEV        "sva_sim_mp0"
#define MP_DEV_ARGS   MP_DEV ",pri=1,wqs=2,idle=yield"
#define MP_UNKNOWN    "sva_sim_mpx0"
#define MP_TIMEOUT_MS 120000

/* Exit statuses of a secondary. */
#define SEC_EXIT_OK       0
#define SEC_EXIT_FAILED   1
#define SEC_EXIT_REFUSED  3   /* its own --vdev refused, as it must */

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
 * log_path, with the pipe ends rd and wr (or -1) named in its
 * environment. */
static pid_t
spawn_role(const char *role, const char *log_path, int rd, int wr)
{
	char num[16];
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setenv("SVA_MP_ROLE", role, 1);
	snprintf(num, sizeof(num), "%d", rd);
	setenv("SVA_MP_RD", num, 1);
	snprintf(num, sizeof(num), "%d", wr);
	setenv("SVA_MP_WR", num, 1);
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

/* A secondary given a --vdev of its own that the primary lacks: that
 * probe is refused (DPDK logs the failed bus probe and goes on), and no
 * private device of that name exists; the primary's device is attached. */
static int
secondary_unknown(void)
{
	if (secondary_eal_init(MP_UNKNOWN) < 0) {
		printf("    secondary: EAL init failed\n");
		return SEC_EXIT_FAILED;
	}
	if (rte_sva_get_dev_id_by_name(MP_UNKNOWN) >= 0) {
		printf("    secondary: got a private device %s\n", MP_UNKNOWN);
		return SEC_EXIT_FAILED;
	}
	if (rte_sva_get_dev_id_by_name(MP_DEV) < 0) {
		printf("    secondary: %s not attached\n", MP_DEV);
		return SEC_EXIT_FAILED;
	}
	rte_eal_cleanup();
	return SEC_EXIT_REFUSED;
}

/* What the main secondary tells the primary (one write on its pipe). */
struct sec_report {
	int32_t status;     /* TEST_OK or TEST_FAILED */
	uint32_t pasid;
	uint32_t ops;       /* copies completed and checked */
};


#define SEC_OPS    4096   /* 16 wraps of its 256-descriptor ring */
#define SEC_BURST  32
#define SEC_OPLEN  64

static int
sec_wait(int16_t dev, uint16_t n, uint16_t *st)
{
	uint64_t end = now_ms() + 10000;
	uint16_t got = 0;

	while (got < n) {
		got += rte_sva_completed_status(dev, 0, n - got, NULL, st + got);
		TEST_ASSERT(now_ms() < end, "%u of %u completions in 10 s", got, n);
	}
	return TEST_OK;
}

/* Copies of our own (malloc) memory through the primary's device, in
 * bursts that wrap the ring many times. */
static int
sec_copies(int16_t dev, uint32_t pasid, struct sec_report *rep)
{
	size_t len = (size_t)SEC_OPS * SEC_OPLEN;
	uint8_t *src = malloc(len), *dst = malloc(len);
	uint16_t st[SEC_BURST];

	TEST_ASSERT(src != NULL && dst != NULL, "malloc");
	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 13 + 7);
	/* Not 0: malloc + memset(0) may become calloc, which leaves fresh
	 * pages untouched (absent), and without block-on-fault an absent
	 * page is a PAGE_FAULT completion. */
	memset(dst, 0xa5, len);
	for (uint32_t op = 0; op < SEC_OPS; op += SEC_BURST) {
		for (uint32_t k = 0; k < SEC_BURST; k++) {
			size_t off = (size_t)(op + k) * SEC_OPLEN;

			TEST_ASSERT(rte_sva_copy(dev, 0, pasid, src + off, dst + off,
						 SEC_OPLEN, k == SEC_BURST - 1 ?
						 RTE_SVA_OP_FLAG_SUBMIT : 0) >= 0,
				    "copy %u", op + k);
		}
		TEST_RUN(sec_wait(dev, SEC_BURST, st));
		for (uint32_t k = 0; k < SEC_BURST; k++)
			TEST_ASSERT_EQ(st[k], RTE_SVA_STATUS_SUCCESS, "copy %u", op + k);
	}
	TEST_ASSERT(memcmp(src, dst, len) == 0, "bytes copied in the secondary");
	rep->ops = SEC_OPS;
	free(src);
	free(dst);
	return TEST_OK;
}

static int
sec_run(struct sec_report *rep)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 256, .mode = RTE_SVA_QUEUE_SHARED, .wq_id = 0,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_info info;
	int16_t dev;
	int cid;

	TEST_ASSERT(secondary_eal_init(NULL) >= 0, "secondary EAL init");
	dev = (int16_t)rte_sva_get_dev_id_by_name(MP_DEV);
	TEST_ASSERT(dev >= 0, "%s attached", MP_DEV);
	TEST_ASSERT_EQ(rte_sva_info_get(dev, &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE, "shared WQs");
	TEST_ASSERT(!(info.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE),
		    "no dedicated WQ in a secondary");
	qconf.mode = RTE_SVA_QUEUE_DEDICATED;
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, dev), 0, "add dev");
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &rep->pasid), 0, "bind through the primary");
	TEST_ASSERT_EQ(rte_sva_configure(dev, &conf), 0, "configure");
	TEST_ASSERT(rte_sva_queue_setup(dev, 0, &qconf) < 0, "dedicated WQ refused");
	qconf.mode = RTE_SVA_QUEUE_SHARED;
	qconf.wq_id = 1;
	TEST_ASSERT(rte_sva_queue_setup(dev, 0, &qconf) < 0,
		    "a WQ the primary does not serve refused");
	qconf.wq_id = 0;
	TEST_ASSERT_EQ(rte_sva_queue_setup(dev, 0, &qconf), 0, "queue on the shared WQ");
	TEST_ASSERT_EQ(rte_sva_start(dev), 0, "start");
	TEST_RUN(sec_copies(dev, rep->pasid, rep));
	/* free() unmapped the copies' buffers, and the translation cache is
	 * not told of munmap: invalidate, as any application of the sim does
	 * (through the primary, whose device holds the cache). Else a fresh
	 * mapping at the same addresses would hit stale translations. */
	TEST_ASSERT_EQ(rte_sva_cache_invalidate(dev, &(struct rte_sva_cache_inv){
				.cache = RTE_SVA_INV_DEV_IOTLB | RTE_SVA_INV_IOTLB,
				.granularity = RTE_SVA_INV_GRANU_PASID,
				.pasid = rep->pasid }), 0, "invalidate");
	return TEST_OK;
}

/* The main secondary: reports on SVA_MP_WR, then waits for the primary's
 * word on SVA_MP_RD and exits without unbinding (the primary releases its
 * bond when it exits). */
static int
secondary_main(void)
{
	struct sec_report rep = { .status = TEST_FAILED };
	int rd = atoi(getenv("SVA_MP_RD")), wr = atoi(getenv("SVA_MP_WR"));
	struct pollfd pfd = { .fd = rd, .events = POLLIN };
	char go;

	rep.status = sec_run(&rep);
	if (write(wr, &rep, sizeof(rep)) != sizeof(rep))
		_exit(SEC_EXIT_FAILED);
	if (poll(&pfd, 1, MP_TIMEOUT_MS) != 1 || read(rd, &go, 1) != 1)
		_exit(SEC_EXIT_FAILED);
	_exit(rep.status == TEST_OK ? SEC_EXIT_OK : SEC_EXIT_FAILED);
}

/* --------------------------------------------------------------- primary */

struct primary {
	int16_t dev;
	int cid;
	uint32_t pasid;
	char log[96];
	pthread_t fault_thread;
	uint32_t fault_stop;
	bool fault_live;
};

/* The primary's fault worker: it answers the page requests of every
 * PASID of the device, the secondary's too. */
static void *
primary_fault_main(void *arg)
{
	struct primary *p = arg;

	while (!__atomic_load_n(&p->fault_stop, __ATOMIC_ACQUIRE))
		if (rte_sva_fault_process(p->dev, 32) <= 0)
			sched_yield();
	return NULL;
}

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
	TEST_ASSERT_EQ(pthread_create(&p->fault_thread, NULL, primary_fault_main, p), 0,
		       "fault worker thread");
	p->fault_live = true;
	return primary_copy(p);
}

/* Run a secondary whose probe of its own --vdev must be refused; its
 * log says why. */
static int
primary_expect_refusal(struct primary *p, const char *role,
		       const char *const *why)
{
	int st;
	pid_t pid = spawn_role(role, p->log, -1, -1);

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

/* The bond the primary made for pid in its container, or NULL. */
static bool
primary_bond_of(const struct primary *p, pid_t pid, struct rte_sva_bond_info *out)
{
	struct rte_sva_bond_info b[8];
	int n = rte_sva_container_bonds(p->cid, b, RTE_DIM(b));

	for (int i = 0; i < n && i < (int)RTE_DIM(b); i++) {
		if (b[i].pid == pid) {
			*out = b[i];
			return true;
		}
	}
	return false;
}

/* The main secondary: the primary copies on the same shared WQ until the
 * secondary reports, then checks what it reports. */
static int
primary_with_secondary(struct primary *p)
{
	int to_sec[2], from_sec[2];
	struct sec_report rep;
	struct rte_sva_bond_info bond;
	struct pollfd pfd;
	unsigned int own = 0;
	uint64_t end = now_ms() + MP_TIMEOUT_MS;
	pid_t pid;
	int st;

	TEST_ASSERT(pipe(to_sec) == 0 && pipe(from_sec) == 0, "pipe");
	pid = spawn_role("secondary", p->log, to_sec[0], from_sec[1]);
	TEST_ASSERT(pid > 0, "fork");
	close(to_sec[0]);
	close(from_sec[1]);
	pfd = (struct pollfd){ .fd = from_sec[0], .events = POLLIN };
	/* Beside the secondary: our own copies on the same WQ. */
	while (poll(&pfd, 1, 0) == 0) {
		if (primary_copy(p) != TEST_OK || now_ms() > end) {
			printf("    FAIL: primary copy %u (or no report in time)\n", own);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return TEST_FAILED;
		}
		own++;
	}
	if (read(from_sec[0], &rep, sizeof(rep)) != sizeof(rep) || rep.status != TEST_OK) {
		printf("    FAIL: the secondary failed; its log:\n");
		print_file(p->log);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return TEST_FAILED;
	}
	printf("    ok: secondary pid %d: PASID %u, %u copies checked; primary PASID %u, %u copies beside it\n",
	       (int)pid, rep.pasid, rep.ops, p->pasid, own);
	TEST_ASSERT(rep.pasid != p->pasid, "the secondary has its own PASID");
	TEST_ASSERT(primary_bond_of(p, pid, &bond), "the primary holds the secondary's bond");
	TEST_ASSERT_EQ(bond.pasid, rep.pasid, "bond PASID");
	TEST_ASSERT(!bond.self && !bond.defunct, "a live bond by pid");
	TEST_ASSERT(write(to_sec[1], "x", 1) == 1, "tell the secondary to exit");
	st = wait_bounded(pid, MP_TIMEOUT_MS);
	TEST_ASSERT(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == SEC_EXIT_OK,
		    "secondary exit status %#x", st);
	close(to_sec[1]);
	close(from_sec[0]);
	return TEST_OK;
}

static int
primary_main(void)
{
	static const char *const why_unknown[] = {
		MP_UNKNOWN, "secondary", "no sva_sim device of that name", NULL
	};
	struct primary p = { .dev = -1 };
	int ret;

	snprintf(p.log, sizeof(p.log), "/tmp/%s-secondary.log", getenv("SVA_MP_PREFIX"));
	ret = primary_setup(&p);
	if (ret == TEST_OK)
		ret = primary_expect_refusal(&p, "secondary_unknown", why_unknown);
	if (ret == TEST_OK)
		ret = primary_with_secondary(&p);
	if (ret == TEST_OK)
		ret = primary_copy(&p);
	unlink(p.log);
	if (p.fault_live) {
		__atomic_store_n(&p.fault_stop, 1, __ATOMIC_RELEASE);
		pthread_join(p.fault_thread, NULL);
	}
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
		return secondary_unknown();
	if (role != NULL && strcmp(role, "secondary") == 0)
		return secondary_main();
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
	pid = spawn_role("primary", NULL, -1, -1);
	st = pid > 0 ? wait_bounded(pid, 2 * MP_TIMEOUT_MS) : -1;
	ret = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	mp_huge_cleanup(&h);
	printf("multiprocess: %s\n", ret == 0 ? "passed" : "FAILED");
	return ret;
}
