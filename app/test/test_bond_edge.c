/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Regressions of bonds: the exit monitor, fork semantics, the system-wide
 * PASID allocator. Signal-free (also run under TSan). Devices of its own:
 * sva_sim50, sva_sim51, sva_sim52. */

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

/* Probe (if needed) and start vdev name with one queue; *dev its id. */
static int
vdev_start(const char *name, int16_t *dev)
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

static void
vdev_remove(const char *name)
{
	if (rte_sva_get_dev_id_by_name(name) >= 0)
		rte_vdev_uninit(name);
}

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

	TEST_RUN(vdev_start("sva_sim50", &d));
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
	vdev_remove("sva_sim50");
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

	TEST_RUN(vdev_start("sva_sim50", &d));
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
	vdev_remove("sva_sim50");
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

	TEST_RUN(vdev_start("sva_sim51", &d51));
	TEST_RUN(vdev_start("sva_sim52", &d52));
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
	vdev_remove("sva_sim51");
	vdev_remove("sva_sim52");
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

	TEST_RUN(vdev_start("sva_sim50", &d));
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
	vdev_remove("sva_sim50");
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

	TEST_RUN(vdev_start("sva_sim51", &d51));
	ret = container_walk_body(&r, d51);
	if (r.cid >= 0)
		rte_sva_container_destroy(r.cid);
	vdev_remove("sva_sim51");
	return ret;
}

/* ---------------------------------------------- the system-wide PASID pool */

/*
 * The pool is opened once per process, at its first bind (the fixture's):
 * tests of how it is opened run this test binary again, as a fresh process
 * with the same EAL arguments, RTE_SVA_PASID_LOCK set and a role.
 */

/* Role "hold": bind PASIDs of range SVA_BE_RANGE=lo,hi on sva_sim50..52,
 * one container each, write them (and the binds' returns) to fd SVA_BE_W,
 * then hold them until fd SVA_BE_R reads EOF. */
static int
role_hold(void)
{
	const char *range = getenv("SVA_BE_RANGE"), *w = getenv("SVA_BE_W"),
		*r = getenv("SVA_BE_R");
	uint32_t lo, hi;
	int32_t msg[6];
	char c;

	TEST_ASSERT(range && w && r && sscanf(range, "%u,%u", &lo, &hi) == 2, "role args");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	for (int k = 0; k < 3; k++) {
		char name[16];
		uint32_t p = 0;
		int16_t d;
		int cid;

		snprintf(name, sizeof(name), "sva_sim%d", 50 + k);
		TEST_RUN(vdev_start(name, &d));
		cid = rte_sva_container_create();
		TEST_ASSERT(cid >= 0 && rte_sva_container_add_dev(cid, d) == 0, "container");
		msg[3 + k] = rte_sva_bind(cid, 0, &p);
		msg[k] = (int32_t)p;
	}
	TEST_ASSERT(write(atoi(w), msg, sizeof(msg)) == (ssize_t)sizeof(msg), "report");
	while (read(atoi(r), &c, 1) > 0)
		;
	return TEST_OK;
}

/* Role "none": only the fixture, whose bind opened the pool. */
static int
role_none(void)
{
	return TEST_OK;
}

/* Run role "none" (only the fixture, whose bind opens the pool) with the
 * pool at path. @return its exit status (0: the pool was usable, 1: the
 * fixture's bind failed) or -1; its output in out (NUL-terminated). */
static int
pool_try(const char *dir, const char *path, char *out, size_t outlen)
{
	char env[PATH_MAX + 32], outpath[PATH_MAX];
	const char *envs[] = { env, NULL };
	int fd, st;
	ssize_t n;
	pid_t pid;

	snprintf(env, sizeof(env), "RTE_SVA_PASID_LOCK=%s", path);
	snprintf(outpath, sizeof(outpath), "%s.out", dir);
	fd = open(outpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = test_spawn("bond_edge", "none", NULL, envs, fd, NULL);
	st = pid > 0 ? test_spawn_wait(pid, 120000) : -1;
	n = pread(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(outpath);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	fchmod(fd, mode);
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#define POOL_OUT 65536

/* A symbolic link planted at the pool's path (here to a private file of
 * ours, standing for /etc/shadow) is not followed: the pool is refused,
 * the target keeps its bytes and its mode. */
static int
pool_symlink_body(const char *dir, char *out)
{
	char target[PATH_MAX], link[PATH_MAX], buf[32] = "";
	struct stat st;
	int fd;

	snprintf(target, sizeof(target), "%s/precious", dir);
	snprintf(link, sizeof(link), "%s/pasid.lock", dir);
	TEST_ASSERT_EQ(write_file(target, "precious", 0600), 0, "target");
	TEST_ASSERT_EQ(symlink(target, link), 0, "plant the link");
	TEST_ASSERT_EQ(pool_try(dir, link, out, POOL_OUT), 1,
		       "a fresh process with the pool behind a symlink: its bind fails");
	TEST_ASSERT(strstr(out, "is a symbolic link: refusing to follow it") != NULL,
		    "it says why");
	TEST_ASSERT_EQ(stat(target, &st), 0, "target");
	TEST_ASSERT_EQ(st.st_mode & 07777, 0600, "target mode");
	TEST_ASSERT_EQ(st.st_size, 8, "target size");
	fd = open(target, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open target");
	TEST_ASSERT_EQ(read(fd, buf, sizeof(buf)), 8, "read target");
	close(fd);
	TEST_ASSERT(strcmp(buf, "precious") == 0, "target bytes: %s", buf);
	/* A symlinked directory is refused too. */
	unlink(link);
	snprintf(link, sizeof(link), "%s/sub", dir);
	TEST_ASSERT_EQ(symlink(dir, link), 0, "directory link");
	snprintf(link, sizeof(link), "%s/sub/pasid.lock", dir);
	TEST_ASSERT_EQ(pool_try(dir, link, out, POOL_OUT), 1, "pool in a symlinked directory");
	TEST_ASSERT(strstr(out, "is a symbolic link or not a directory") != NULL,
		    "it says why");
	return TEST_OK;
}

static int
pool_cleanup(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static int
test_pool_symlink(void)
{
	char dir[] = "/tmp/sva_pool.XXXXXX";
	char *out = malloc(POOL_OUT);
	int ret;

	TEST_ASSERT(out != NULL && mkdtemp(dir) != NULL, "private directory");
	ret = pool_symlink_body(dir, out);
	pool_cleanup(dir);
	free(out);
	return ret;
}

/* A pool file others may write, or someone else's, or in a directory
 * others may write, is refused with a reason, and left as it was; a fresh
 * private directory gets a private pool. */
static int
pool_perm_body(const char *dir, char *out)
{
	char path[PATH_MAX], sub[PATH_MAX - 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/pasid.lock", dir);
	TEST_ASSERT_EQ(write_file(path, "", 0666), 0, "world-writable pool file");
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "world-writable pool");
	TEST_ASSERT(strstr(out, "mode 0666") != NULL &&
		    strstr(out, "is not a private file of uid") != NULL, "it says why");
	TEST_ASSERT_EQ(stat(path, &st), 0, "stat");
	TEST_ASSERT_EQ(st.st_mode & 07777, 0666, "left as it was");
	TEST_ASSERT_EQ(chmod(path, 0600), 0, "chmod");
	if (chown(path, 65534, 65534) == 0) {
		TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "someone else's pool");
		TEST_ASSERT(strstr(out, "owner uid 65534") != NULL, "it says why");
	} else {
		printf("    cannot chown (not root?): foreign owner not tried\n");
	}
	unlink(path);
	/* Others may write the directory. */
	snprintf(sub, sizeof(sub), "%s/open", dir);
	TEST_ASSERT_EQ(mkdir(sub, 0700), 0, "mkdir");
	TEST_ASSERT_EQ(chmod(sub, 01777), 0, "chmod 1777");
	snprintf(path, sizeof(path), "%s/pasid.lock", sub);
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "pool in a world-writable directory");
	TEST_ASSERT(strstr(out, "may be written by others") != NULL, "it says why");
	TEST_ASSERT(access(path, F_OK) != 0, "no file created there");
	/* A private directory: the pool is created there, 0600, ours. */
	TEST_ASSERT_EQ(chmod(sub, 0700), 0, "chmod 0700");
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 0, "private pool: the fresh process runs");
	TEST_ASSERT_EQ(stat(path, &st), 0, "pool created");
	TEST_ASSERT(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
		    st.st_uid == geteuid(), "pool mode %o owner %u", st.st_mode & 07777,
		    (unsigned int)st.st_uid);
	return TEST_OK;
}

static int
test_pool_permissions(void)
{
	char dir[] = "/tmp/sva_pool.XXXXXX";
	char *out = malloc(POOL_OUT);
	int ret;

	TEST_ASSERT(out != NULL && mkdtemp(dir) != NULL, "private directory");
	ret = pool_perm_body(dir, out);
	pool_cleanup(dir);
	free(out);
	return ret;
}

/* A range of 4 PASIDs, picked by pid so that concurrent runs rarely meet. */
static uint32_t
pool_range_lo(uint32_t salt)
{
	return 8192u + ((uint32_t)getpid() % 20000u) * 32u + salt * 8u;
}

/* Another process of ours holds 3 of 4 PASIDs: we get the 4th; then the
 * pool is exhausted and the error names who holds what; when that process
 * exits, its PASIDs come back. */
static int
pool_exhaust_body(int *cids, int *to_child, pid_t *child)
{
	const uint32_t lo = pool_range_lo(0), hi = lo + 3;
	char range[48], wenv[32], renv[32], want[64];
	const char *envs[] = { range, wenv, renv, NULL };
	int c2p[2], p2c[2], keep[3] = { -1, -1, -1 };
	int32_t theirs[6];
	uint32_t p = 0, q = 0;
	const char *log;
	int16_t d;
	int st, ret;

	TEST_ASSERT(pipe2(c2p, O_CLOEXEC) == 0 && pipe2(p2c, O_CLOEXEC) == 0, "pipes");
	snprintf(range, sizeof(range), "SVA_BE_RANGE=%u,%u", lo, hi);
	snprintf(wenv, sizeof(wenv), "SVA_BE_W=%d", c2p[1]);
	snprintf(renv, sizeof(renv), "SVA_BE_R=%d", p2c[0]);
	keep[0] = c2p[1];
	keep[1] = p2c[0];
	*child = test_spawn("bond_edge", "hold", NULL, envs, -1, keep);
	close(c2p[1]);
	close(p2c[0]);
	*to_child = p2c[1];
	TEST_ASSERT(*child > 0, "spawn");
	ret = (int)read(c2p[0], theirs, sizeof(theirs));
	close(c2p[0]);
	TEST_ASSERT_EQ(ret, (int)sizeof(theirs), "the other process's report");
	for (int k = 0; k < 3; k++) {
		TEST_ASSERT_EQ(theirs[3 + k], 0, "its bind %d", k);
		TEST_ASSERT((uint32_t)theirs[k] >= lo && (uint32_t)theirs[k] <= hi,
			    "its PASID %d", theirs[k]);
	}
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	TEST_RUN(vdev_start("sva_sim50", &d));
	cids[0] = rte_sva_container_create();
	TEST_ASSERT(cids[0] >= 0 && rte_sva_container_add_dev(cids[0], d) == 0, "container");
	TEST_RUN(vdev_start("sva_sim51", &d));
	cids[1] = rte_sva_container_create();
	TEST_ASSERT(cids[1] >= 0 && rte_sva_container_add_dev(cids[1], d) == 0, "container");
	TEST_ASSERT_EQ(rte_sva_bind(cids[0], 0, &p), 0, "bind the free one");
	for (int k = 0; k < 3; k++)
		TEST_ASSERT(p != (uint32_t)theirs[k], "PASID %u held by both processes", p);
	test_log_start();
	ret = rte_sva_bind(cids[1], 0, &q);
	log = test_log_stop();
	TEST_ASSERT_EQ(ret, -ENOSPC, "exhausted");
	snprintf(want, sizeof(want), "all PASIDs in %u..%u", lo, hi);
	TEST_ASSERT(strstr(log, want) != NULL, "names the range");
	snprintf(want, sizeof(want), "1 by this process (pid %d)", (int)getpid());
	TEST_ASSERT(strstr(log, want) != NULL, "names us");
	snprintf(want, sizeof(want), "3 by pid %d (uid %u)", (int)*child,
		 (unsigned int)getuid());
	TEST_ASSERT(strstr(log, want) != NULL, "names the other process");
	/* It exits: its PASIDs are free again. */
	close(*to_child);
	*to_child = -1;
	st = test_spawn_wait(*child, 120000);
	*child = -1;
	TEST_ASSERT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other process ended");
	TEST_ASSERT_EQ(rte_sva_bind(cids[1], 0, &q), 0, "bind after it left");
	TEST_ASSERT(q >= lo && q <= hi && q != p, "PASID %u", q);
	return TEST_OK;
}

static int
test_pool_exhaustion(void)
{
	int cids[2] = { -1, -1 }, to_child = -1, ret;
	pid_t child = -1;

	ret = pool_exhaust_body(cids, &to_child, &child);
	if (to_child >= 0)
		close(to_child);
	if (child > 0)
		test_spawn_wait(child, 120000);
	for (int k = 0; k < 2; k++)
		if (cids[k] >= 0)
			rte_sva_container_destroy(cids[k]);
	vdev_remove("sva_sim50");
	vdev_remove("sva_sim51");
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}

/* The attacker: the path of our pool (found as root, among the parent's
 * descriptors), then uid 65534, then every way to take the PASIDs lo..hi
 * from it: open it (write, else read: a read lock blocks a write lock),
 * lock each PASID's byte (the old layout) and record (the new one), plant
 * a link beside it. Reports a byte of ATK_* bits; waits until fd r reads
 * EOF, holding what it took. */
#define ATK_OPENED 1
#define ATK_LOCKED 2
#define ATK_PLANTED 4
#define ATK_NOPOOL 0x40
#define ATK_NOSETUID 0x80

static __rte_noreturn void
attacker(int w, int r, uint32_t lo, uint32_t hi)
{
	char fdpath[64], path[PATH_MAX] = "", dirpath[PATH_MAX], *slash;
	struct dirent *e;
	char rep = 0, c;
	DIR *d;
	int fd;

	snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd", (int)getppid());
	d = opendir(fdpath);
	while (d != NULL && path[0] == '\0' && (e = readdir(d)) != NULL) {
		char lp[PATH_MAX];
		ssize_t n;

		snprintf(lp, sizeof(lp), "%s/%s", fdpath, e->d_name);
		n = readlink(lp, path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
		if (strstr(path, "pasid") == NULL || strstr(path, "lock") == NULL)
			path[0] = '\0';
	}
	if (d != NULL)
		closedir(d);
	if (path[0] == '\0')
		rep = ATK_NOPOOL;
	else if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		 setresuid(65534, 65534, 65534) != 0)
		rep = ATK_NOSETUID;
	if (rep == 0) {
		short type = F_WRLCK;

		fd = open(path, O_RDWR);
		if (fd < 0) {
			fd = open(path, O_RDONLY);
			type = F_RDLCK;
		}
		if (fd >= 0)
			rep |= ATK_OPENED;
		for (uint32_t p = lo; fd >= 0 && p <= hi; p++) {
			struct flock b = { .l_type = type, .l_whence = SEEK_SET,
					   .l_start = p, .l_len = 1 };
			struct flock rec = { .l_type = type, .l_whence = SEEK_SET,
					     .l_start = (off_t)p * 16, .l_len = 16 };

			if (fcntl(fd, F_OFD_SETLK, &b) == 0 ||
			    fcntl(fd, F_OFD_SETLK, &rec) == 0)
				rep |= ATK_LOCKED;
		}
		snprintf(dirpath, sizeof(dirpath), "%s", path);
		slash = strrchr(dirpath, '/');
		if (slash != NULL) {
			strcpy(slash, "/planted-by-65534");
			if (symlink("/etc/passwd", dirpath) == 0) {
				unlink(dirpath);
				rep |= ATK_PLANTED;
			}
		}
	}
	if (write(w, &rep, 1) != 1)
		_exit(1);
	while (read(r, &c, 1) > 0)
		;
	_exit(0);
}

static int
pool_attack_body(int *cid, int *to_child, pid_t *child)
{
	const uint32_t lo = pool_range_lo(1), hi = lo + 3;
	int c2p[2], p2c[2];
	uint32_t p = 0;
	char rep = 0;
	int16_t d;
	int ret;

	TEST_ASSERT(pipe(c2p) == 0 && pipe(p2c) == 0, "pipes");
	fflush(stdout);
	*child = test_fork();
	TEST_ASSERT(*child >= 0, "fork");
	if (*child == 0) {
		close(c2p[0]);
		close(p2c[1]);
		attacker(c2p[1], p2c[0], lo, hi);
	}
	close(c2p[1]);
	close(p2c[0]);
	*to_child = p2c[1];
	TEST_ASSERT_EQ(read(c2p[0], &rep, 1), 1, "the attacker's report");
	close(c2p[0]);
	if (rep & ATK_NOSETUID) {
		printf("    cannot become uid 65534 (not root?)\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT(!(rep & ATK_NOPOOL), "the attacker found no pool file among our descriptors");
	/* Root still gets PASIDs of the range from its pool. */
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	TEST_RUN(vdev_start("sva_sim50", &d));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0 && rte_sva_container_add_dev(*cid, d) == 0, "container");
	ret = rte_sva_bind(*cid, 0, &p);
	TEST_ASSERT(!(rep & ATK_OPENED), "uid 65534 opened root's PASID pool%s",
		    rep & ATK_LOCKED ? " and locked PASIDs in it" : "");
	TEST_ASSERT(!(rep & ATK_PLANTED), "uid 65534 planted a link beside root's pool");
	TEST_ASSERT_EQ(ret, 0, "root's bind while the attacker waits");
	TEST_ASSERT(p >= lo && p <= hi, "PASID %u", p);
	return TEST_OK;
}

static int
test_pool_unprivileged(void)
{
	int cid = -1, to_child = -1, ret;
	pid_t child = -1;

	ret = pool_attack_body(&cid, &to_child, &child);
	if (to_child >= 0)
		close(to_child);
	if (child > 0)
		test_spawn_wait(child, 120000);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	vdev_remove("sva_sim50");
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}

static const struct test_case cases[] = {
	{ "monitor: child exits race unbind (no UAF)", test_monitor_unbind_race },
	{ "monitor: exited child -> defunct bond", test_monitor_defunct },
	{ "fork: a child changes nothing, uses the bonds", test_fork_child_changes_nothing },
	{ "bind out of descriptors -> -EMFILE, not -EPERM", test_bind_emfile },
	{ "bonds/devs with NULL and max > 0 logged", test_list_null },
	{ "container calls while its devices change", test_container_walk_locked },
	{ "pool: a planted symlink is not followed", test_pool_symlink },
	{ "pool: others' or world-writable files refused", test_pool_permissions },
	{ "pool: exhaustion names who holds the PASIDs", test_pool_exhaustion },
	{ "pool: uid 65534 cannot take root's PASIDs", test_pool_unprivileged },
};

/* Fresh processes of the PASID pool tests (test_spawn()). */
static const struct test_role roles[] = {
	{ "none", role_none },
	{ "hold", role_hold },
	{ NULL, NULL },
};

const struct test_suite suite_bond_edge = { "bond_edge", cases, RTE_DIM(cases), roles };
