/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of bonds: the exit monitor, fork semantics, error reports,
 * container calls (issue 10 items 3, 4, 13, 17); the PASID pool is in
 * test_pasid_pool.c. Signal-free (also run under TSan). Devices of its
 * own: sva_sim50, sva_sim51, sva_sim52. */

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_sva_iommu.h>

#include "test.h"

#define PAGE 4096u

/* Poll cond with a deadline of sec seconds. */
#define POLL_UNTIL(cond, sec) ({ \
	uint64_t dl_ = rte_get_timer_cycles() + (sec) * rte_get_timer_hz(); \
	bool ok_; \
	while (!(ok_ = (cond)) && rte_get_timer_cycles() < dl_) \
		rte_pause(); \
	ok_; \
})

/* A child that waits until killed; it only sleeps in pause(). */
static pid_t
idle_child(void)
{
	pid_t pid = test_fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* ------------------------------------------------------- the exit monitor */

/* Make the bond monitor a poor competitor: on the other CPU, at the
 * lowest priority, beside a thread that spins there, it is preempted at
 * random points, also between taking exit events and acting on them,
 * while this thread unbinds. restore puts it back. */
static cpu_set_t mon_cpus;
static int mon_nice;
static int hog_cpu;
static uint32_t hog_run;
static pthread_t hog_thread;

static void *
hog_main(void *arg)
{
	cpu_set_t c;

	RTE_SET_USED(arg);
	CPU_ZERO(&c);
	CPU_SET(hog_cpu, &c);
	pthread_setaffinity_np(pthread_self(), sizeof(c), &c);
	while (__atomic_load_n(&hog_run, __ATOMIC_RELAXED))
		rte_pause();
	return NULL;
}

static int
monitor_squeeze(pid_t tid, bool restore)
{
	cpu_set_t here;

	if (restore) {
		if (__atomic_exchange_n(&hog_run, 0, __ATOMIC_RELAXED))
			pthread_join(hog_thread, NULL);
		sched_setaffinity(tid, sizeof(mon_cpus), &mon_cpus);
		setpriority(PRIO_PROCESS, (id_t)tid, mon_nice);
		return 0;
	}
	if (sched_getaffinity(tid, sizeof(mon_cpus), &mon_cpus) != 0)
		return -errno;
	errno = 0;
	mon_nice = getpriority(PRIO_PROCESS, (id_t)tid);
	if (errno != 0)
		return -errno;
	hog_cpu = sched_getcpu() == 0 && sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;
	CPU_ZERO(&here);
	CPU_SET(hog_cpu, &here);
	if (sched_setaffinity(tid, sizeof(here), &here) != 0 ||
	    setpriority(PRIO_PROCESS, (id_t)tid, 19) != 0)
		return -errno;
	hog_run = 1;
	if (pthread_create(&hog_thread, NULL, hog_main, NULL) != 0) {
		hog_run = 0;
		return -EAGAIN;
	}
	return 0;
}

#define MON_ROUNDS 60
#define MON_KIDS 12

/* Bound children exit while the parent unbinds them: the monitor thread
 * that sees them exit must never touch a bond unbind already freed (the
 * ASan build catches a write into freed memory). Each round kills every
 * child at once and unbinds at once, so exit events are in flight while
 * their bonds are released. */
static int
monitor_race_body(int *cid, pid_t *kids, pid_t *mon)
{
	int16_t d;

	TEST_RUN(test_vdev_start("sva_sim50", &d));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container: %d", *cid);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add sva_sim50");
	for (int r = 0; r < MON_ROUNDS; r++) {
		if (r == 1) {
			/* Round 0 started the monitor thread. */
			*mon = test_thread_by_name("sva-bond-mon");
			TEST_ASSERT(*mon > 0, "bond monitor thread found");
			TEST_ASSERT_EQ(monitor_squeeze(*mon, false), 0, "squeeze it");
		}
		for (int k = 0; k < MON_KIDS; k++) {
			uint32_t p;

			kids[k] = idle_child();
			TEST_ASSERT(kids[k] > 0, "fork");
			TEST_ASSERT_EQ(rte_sva_bind(*cid, kids[k], &p), 0,
				       "round %d: bind child %d", r, kids[k]);
		}
		/* Half the rounds unbind from the last child backwards, so
		 * some bonds go before and some after their exit event. */
		for (int k = 0; k < MON_KIDS; k++)
			kill(kids[k], SIGKILL);
		for (int k = 0; k < MON_KIDS; k++) {
			int i = r % 2 ? MON_KIDS - 1 - k : k;
			siginfo_t si;

			/* Odd rounds: as soon as it is a zombie, i.e. when the
			 * monitor is being woken for it. */
			if (r % 2)
				waitid(P_PID, (id_t)kids[i], &si, WEXITED | WNOWAIT);
			TEST_ASSERT_EQ(rte_sva_unbind(*cid, kids[i]), 0,
				       "round %d: unbind child %d", r, kids[i]);
		}
		for (int k = 0; k < MON_KIDS; k++) {
			waitpid(kids[k], NULL, 0);
			kids[k] = -1;
		}
		TEST_ASSERT_EQ(rte_sva_container_bonds(*cid, NULL, 0), 0,
			       "round %d: bonds left", r);
	}
	return TEST_OK;
}

static int
test_monitor_unbind_race(void)
{
	pid_t kids[MON_KIDS], mon = -1;
	int cid = -1, ret;

	for (int k = 0; k < MON_KIDS; k++)
		kids[k] = -1;
	ret = monitor_race_body(&cid, kids, &mon);
	if (mon > 0)
		monitor_squeeze(mon, true);
	for (int k = 0; k < MON_KIDS; k++) {
		if (kids[k] > 0) {
			kill(kids[k], SIGKILL);
			waitpid(kids[k], NULL, 0);
		}
	}
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	test_vdev_remove("sva_sim50");
	return ret;
}

/* The monitor still does its job: a bound child that exits leaves a
 * defunct bond, whose copies fail cleanly, and unbind then frees it. */
static int
monitor_defunct_body(int *cid, pid_t *kid)
{
	struct rte_sva_bond_info bi;
	uint32_t p, p2;
	int16_t d;

	TEST_RUN(test_vdev_start("sva_sim50", &d));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container: %d", *cid);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add sva_sim50");
	*kid = idle_child();
	TEST_ASSERT(*kid > 0, "fork");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, *kid, &p), 0, "bind child");
	TEST_ASSERT_EQ(rte_sva_container_bonds(*cid, &bi, 1), 1, "one bond");
	TEST_ASSERT_EQ(bi.defunct, 0, "live child");
	kill(*kid, SIGKILL);
	waitpid(*kid, NULL, 0);
	*kid = -1;
	TEST_ASSERT(POLL_UNTIL(rte_sva_container_bonds(*cid, &bi, 1) == 1 &&
			       bi.defunct, 10), "bond defunct within 10 s");
	TEST_ASSERT_EQ(bi.pasid, p, "same bond");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, bi.pid, &p2), -ESRCH, "rebind a defunct bond");
	TEST_ASSERT_EQ(rte_sva_unbind(*cid, bi.pid), 0, "unbind the defunct bond");
	TEST_ASSERT_EQ(rte_sva_container_bonds(*cid, NULL, 0), 0, "no bond left");
	return TEST_OK;
}

static int
test_monitor_defunct(void)
{
	pid_t kid = -1;
	int cid = -1, ret;

	ret = monitor_defunct_body(&cid, &kid);
	if (kid > 0) {
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
	}
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	test_vdev_remove("sva_sim50");
	return ret;
}

/* ---------------------------------------------------------- fork semantics */

/* Copy len bytes on (dev, qid) with pasid; @return the status, or -1 if
 * it did not complete (bounded wait). Usable in a fork() child. */
static int
copy_once(int16_t dev, uint16_t qid, uint32_t pasid, const void *src, void *dst,
	  uint32_t len)
{
	struct rte_sva_result r;

	if (rte_sva_copy(dev, qid, pasid, src, dst, len, RTE_SVA_OP_FLAG_SUBMIT) < 0)
		return -1;
	if (!POLL_UNTIL(rte_sva_completed_results(dev, qid, 1, NULL, &r) == 1, 10))
		return -1;
	return r.status;
}

/* The parent's bond and device work: a copy on (dev, 0) with pasid lands. */
static int
parent_copy_ok(int16_t dev, uint32_t pasid, uint8_t *src, uint8_t *dst, uint64_t seed)
{
	test_fill_random(src, PAGE, seed);
	memset(dst, 0, PAGE);
	TEST_ASSERT_EQ(copy_once(dev, 0, pasid, src, dst, PAGE), RTE_SVA_STATUS_SUCCESS,
		       "parent's copy on PASID %u", pasid);
	TEST_ASSERT(memcmp(src, dst, PAGE) == 0, "parent's copy: bytes");
	return TEST_OK;
}

/* Child exit codes: 0 all as expected, else the number of the step that
 * was not. */
#define CHILD_EXPECT(step, cond) do { \
	if (!(cond)) \
		_exit(step); \
} while (0)

/* In a fork() child: every call that would change the parent's bonds or
 * containers is refused with -EPERM; queries see the parent's state; and
 * the parent's PASID still submits, on memory shared with the parent. */
static __rte_noreturn void
fork_child(int cid, int16_t d51, int16_t d52, uint32_t pasid, uint8_t *src,
	   uint8_t *dst)
{
	struct rte_sva_bond_info bi;
	int16_t devs[4];
	uint32_t p = 777;

	CHILD_EXPECT(1, rte_sva_bind(cid, 0, &p) == -EPERM && p == 777);
	CHILD_EXPECT(2, rte_sva_bind(cid, getppid(), &p) == -EPERM && p == 777);
	CHILD_EXPECT(3, rte_sva_unbind(cid, getppid()) == -EPERM);
	CHILD_EXPECT(4, rte_sva_unbind(cid, 0) == -EPERM);
	CHILD_EXPECT(5, rte_sva_container_create() == -EPERM);
	CHILD_EXPECT(6, rte_sva_container_add_dev(cid, d52) == -EPERM);
	CHILD_EXPECT(7, rte_sva_container_remove_dev(cid, d51) == -EPERM);
	CHILD_EXPECT(8, rte_sva_container_destroy(cid) == -EPERM);
	CHILD_EXPECT(9, rte_sva_unbind(tenv.cid, getppid()) == -EPERM);
	/* Bad arguments too: the child is refused before anything else. */
	CHILD_EXPECT(10, rte_sva_container_destroy(-1) == -EPERM);
	/* Its copy of the tables: the parent's bond, as of fork(). */
	CHILD_EXPECT(11, rte_sva_container_bonds(cid, &bi, 1) == 1 &&
		     bi.pid == getppid() && bi.pasid == pasid && !bi.self);
	CHILD_EXPECT(12, rte_sva_container_devs(cid, devs, 4) == 1 && devs[0] == d51);
	/* The parent's PASID reaches the parent's address space: DPDK heap
	 * memory is shared with it, so the copy is visible here too. */
	test_fill_random(src, PAGE, 5151);
	memset(dst, 0, PAGE);
	CHILD_EXPECT(13, copy_once(d51, 0, pasid, src, dst, PAGE) == RTE_SVA_STATUS_SUCCESS);
	CHILD_EXPECT(14, memcmp(src, dst, PAGE) == 0);
	/* Nor may it stop, reconfigure or close the parent's devices. */
	{
		struct rte_sva_conf conf = { .nb_queues = 1 };

		CHILD_EXPECT(15, rte_sva_stop(d51) == -EPERM);
		CHILD_EXPECT(16, rte_sva_configure(d52, &conf) == -EPERM);
		CHILD_EXPECT(17, rte_sva_start(d52) == -EPERM);
		CHILD_EXPECT(18, rte_sva_close(d52) == -EPERM);
	}
	_exit(0);
}

static int
fork_body(int *cid, uint8_t *src, uint8_t *dst)
{
	struct rte_sva_bond_info bi;
	int16_t d51, d52, devs[4];
	uint32_t pasid;
	int st;
	pid_t pid;

	TEST_RUN(test_vdev_start("sva_sim51", &d51));
	TEST_RUN(test_vdev_start("sva_sim52", &d52));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container: %d", *cid);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d51), 0, "add sva_sim51");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &pasid), 0, "bind self");
	TEST_RUN(parent_copy_ok(d51, pasid, src, dst, 1));
	fflush(stdout);
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0)
		fork_child(*cid, d51, d52, pasid, src + PAGE, dst + PAGE);
	TEST_ASSERT_EQ(waitpid(pid, &st, 0), pid, "waitpid");
	TEST_ASSERT(WIFEXITED(st), "child died of signal %d", WTERMSIG(st));
	TEST_ASSERT_EQ(WEXITSTATUS(st), 0, "child: step %d not as expected",
		       WEXITSTATUS(st));
	/* Nothing changed for the parent. */
	TEST_ASSERT_EQ(rte_sva_container_bonds(*cid, &bi, 1), 1, "one bond");
	TEST_ASSERT(bi.pid == getpid() && bi.pasid == pasid && bi.refs == 1 && bi.self,
		    "bond pid %d PASID %u refs %u", bi.pid, bi.pasid, bi.refs);
	TEST_ASSERT_EQ(rte_sva_container_devs(*cid, devs, 4), 1, "one device");
	TEST_ASSERT_EQ(devs[0], d51, "sva_sim51");
	/* Reaping a copy of ours queued after the child's also orders the
	 * engine's writes for the child before our reads (for TSan, which
	 * sees no other process). */
	TEST_RUN(parent_copy_ok(d51, pasid, src, dst, 2));
	/* The child's copy landed in our memory (its own pages, which we
	 * never touched). */
	{
		uint8_t *ref = malloc(PAGE);

		TEST_ASSERT(ref != NULL, "malloc");
		test_fill_random(ref, PAGE, 5151);
		st = memcmp(ref, dst + PAGE, PAGE);
		free(ref);
		TEST_ASSERT_EQ(st, 0, "the child's copy, seen by the parent");
	}
	TEST_RUN(parent_copy_ok(tenv.dev_id, tenv.pasid, src, dst, 3));
	/* The free device is still free. */
	{
		int c2 = rte_sva_container_create();

		TEST_ASSERT(c2 >= 0, "container");
		st = rte_sva_container_add_dev(c2, d52);
		rte_sva_container_destroy(c2);
		TEST_ASSERT_EQ(st, 0, "sva_sim52 joins a container");
	}
	return TEST_OK;
}

static int
test_fork_child_changes_nothing(void)
{
	/* Two pages each: the first for the parent's copies, the second for
	 * the child's. */
	uint8_t *src = rte_malloc(NULL, 2 * PAGE, 64), *dst = rte_malloc(NULL, 2 * PAGE, 64);
	int cid = -1, ret = TEST_FAILED;

	if (src != NULL && dst != NULL)
		ret = fork_body(&cid, src, dst);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	rte_free(src);
	rte_free(dst);
	test_vdev_remove("sva_sim51");
	test_vdev_remove("sva_sim52");
	return ret;
}

/* ---------------------------------------------------------- error reports */

/* The highest open file descriptor of this process. */
static int
highest_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int hi = 2;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && atoi(e->d_name) > hi)
			hi = atoi(e->d_name);
	closedir(d);
	return hi;
}

/* Out of file descriptors, binding a pid is -EMFILE, not -EPERM "no
 * ptrace-attach permission": the pidfd takes the last free descriptor
 * and /proc/pid/mem finds none. */
static int
emfile_body(int *cid, pid_t *kid, int *fill, int *nfill)
{
	struct rlimit rl;
	uint32_t p = 4242;
	int16_t d;
	int hi, fd, ret;

	TEST_RUN(test_vdev_start("sva_sim50", &d));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container: %d", *cid);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, d), 0, "add sva_sim50");
	*kid = idle_child();
	TEST_ASSERT(*kid > 0, "fork");
	hi = highest_fd();
	TEST_ASSERT(hi > 0, "fds");
	/* Descriptors 0..hi+1 allowed; every free one below hi+1 taken. */
	rl.rlim_cur = (rlim_t)hi + 2;
	rl.rlim_max = RLIM_INFINITY;
	{
		struct rlimit cur;

		TEST_ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &cur), 0, "getrlimit");
		rl.rlim_max = cur.rlim_max;
	}
	TEST_ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0, "setrlimit");
	while ((fd = dup(2)) >= 0 && fd < hi + 1 && *nfill < 4096)
		fill[(*nfill)++] = fd;
	if (fd >= 0)
		close(fd);    /* hi + 1: the one left for the pidfd */
	ret = rte_sva_bind(*cid, *kid, &p);
	for (int i = 0; i < *nfill; i++)
		close(fill[i]);
	*nfill = 0;
	TEST_ASSERT_EQ(ret, -EMFILE, "bind with no descriptor left");
	TEST_ASSERT_EQ(p, 4242, "pasid untouched");
	TEST_ASSERT_EQ(rte_sva_container_bonds(*cid, NULL, 0), 0, "nothing bound");
	return TEST_OK;
}

static int
test_bind_emfile(void)
{
	static int fill[4096];
	struct rlimit rl;
	int cid = -1, nfill = 0, ret;
	pid_t kid = -1;

	getrlimit(RLIMIT_NOFILE, &rl);
	ret = emfile_body(&cid, &kid, fill, &nfill);
	for (int i = 0; i < nfill; i++)
		close(fill[i]);
	setrlimit(RLIMIT_NOFILE, &rl);
	if (kid > 0) {
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
	}
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	test_vdev_remove("sva_sim50");
	return ret;
}

/* NULL arrays with room for entries are -EINVAL with a log line saying so;
 * max 0 just counts. */
static int
test_list_null(void)
{
	const char *log;
	int rb, rd;

	test_log_start();
	rb = rte_sva_container_bonds(tenv.cid, NULL, 4);
	rd = rte_sva_container_devs(tenv.cid, NULL, 4);
	log = test_log_stop();
	TEST_ASSERT_EQ(rb, -EINVAL, "bonds(NULL, 4)");
	TEST_ASSERT_EQ(rd, -EINVAL, "devs(NULL, 4)");
	TEST_ASSERT(strstr(log, "bonds: NULL info with max 4") != NULL, "bonds logged why");
	TEST_ASSERT(strstr(log, "devs: NULL devs with max 4") != NULL, "devs logged why");
	TEST_ASSERT_EQ(rte_sva_container_bonds(tenv.cid, NULL, 0), 1, "count bonds");
	TEST_ASSERT_EQ(rte_sva_container_devs(tenv.cid, NULL, 0), 1, "count devices");
	return TEST_OK;
}

/* ------------------------------------------ container calls vs its devices */

/* rte_sva_container_capability_get() and _cache_invalidate() walk the
 * container's device list while another thread adds and removes a device
 * (TSan saw the unlocked walk race; a device removed meanwhile could be
 * asked after it left). */
struct cont_reader {
	int cid, stop, calls, bad;   /* atomics */
};

static void *
cont_reader_main(void *arg)
{
	struct cont_reader *r = arg;
	struct rte_sva_cache_inv inv = { .cache = RTE_SVA_INV_DEV_IOTLB,
		.granularity = RTE_SVA_INV_GRANU_PASID, .pasid = 1 };

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		struct rte_sva_capability cap;

		if (rte_sva_container_capability_get(r->cid, &cap) != 0 ||
		    rte_sva_container_cache_invalidate(r->cid, &inv) != 0)
			__atomic_fetch_add(&r->bad, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
container_walk_body(struct cont_reader *r, int16_t d51)
{
	pthread_t th;
	int ret = TEST_OK;

	r->cid = rte_sva_container_create();
	TEST_ASSERT(r->cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(r->cid, tenv.dev_id == 0 ? 1 : 0), 0, "add");
	TEST_ASSERT_EQ(pthread_create(&th, NULL, cont_reader_main, r), 0, "reader");
	for (int i = 0; i < 300 && ret == TEST_OK; i++) {
		if (rte_sva_container_add_dev(r->cid, d51) != 0 ||
		    rte_sva_container_remove_dev(r->cid, d51) != 0)
			ret = TEST_FAILED;
	}
	TEST_ASSERT(POLL_UNTIL(__atomic_load_n(&r->calls, __ATOMIC_RELAXED) > 0, 5), "reader ran");
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	TEST_ASSERT_EQ(ret, TEST_OK, "add/remove");
	TEST_ASSERT_EQ(r->bad, 0, "container calls failed %d of %d times", r->bad, r->calls);
	return TEST_OK;
}

static int
test_container_walk_locked(void)
{
	struct cont_reader r = { .cid = -1 };
	int16_t d51;
	int ret;

	TEST_RUN(test_vdev_start("sva_sim51", &d51));
	ret = container_walk_body(&r, d51);
	if (r.cid >= 0)
		rte_sva_container_destroy(r.cid);
	test_vdev_remove("sva_sim51");
	return ret;
}

static const struct test_case cases[] = {
	{ "monitor: child exits race unbind (no UAF)", test_monitor_unbind_race },
	{ "monitor: exited child -> defunct bond", test_monitor_defunct },
	{ "fork: a child changes nothing, uses the bonds", test_fork_child_changes_nothing },
	{ "bind out of descriptors -> -EMFILE, not -EPERM", test_bind_emfile },
	{ "bonds/devs with NULL and max > 0 logged", test_list_null },
	{ "container calls while its devices change", test_container_walk_locked },
};

const struct test_suite suite_bond_edge = { "bond_edge", cases, RTE_DIM(cases) };
