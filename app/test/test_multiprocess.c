/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_multiprocess_test: DPDK primary and secondary processes over one
 * sva_sim device. The test process itself only prepares hugepages (a
 * secondary needs them, test_mp_huge.c) and starts the primary, which
 * starts each secondary (the same executable, its role in SVA_MP_ROLE;
 * the roles are in test_mp_secondary.c), reads what it reports on a pipe
 * and checks it.
 *
 * Cases:
 *  - a secondary given a --vdev the primary does not have: that probe
 *    fails saying why, and no private device of that name exists; so does
 *    its probe of the primary's device that is in no container; the
 *    primary's other device is attached all the same;
 *  - a secondary attaches to the primary's device, binds its own address
 *    space through the primary (its own PASID, not the primary's) and
 *    copies on the primary's shared work queue while the primary copies on
 *    it too: the bytes land in each process's own memory; a dedicated
 *    queue and a WQ the primary does not serve are refused; a FENCE after
 *    a failure of its doorbell is ABORTED; the primary, stopped, may not
 *    reconfigure or close the device while the secondary is attached;
 *  - its copy into a fresh mmap'ed region it never touched raises page
 *    requests with its PASID, which the primary's fault worker resolves in
 *    the secondary's address space: the bytes land there, the PASID's
 *    counters show the requests answered SUCCESS;
 *  - when it exits (without unbinding), the primary releases its bond, and
 *    every page request group got exactly one response;
 *  - a secondary killed while its copy into fresh memory waits for page
 *    requests (the primary's fault worker held back): its bond is
 *    released, every group raised still gets exactly one response, and
 *    the primary's device goes on working;
 *  - a secondary that takes every slot the primary's device has for
 *    secondaries' queues: one queue more is refused with the primary's
 *    -ENOSPC, its log line says why (test_mp_refusals.c);
 *  - more processes than the primary serves at once, each refused once (a
 *    probe of a device it lacks), then one more with a good request: it is
 *    served (a refusal holds no slot of the primary);
 *  - the primary's sva-mp thread (test_mp_thread.c): signals interrupt its
 *    wait and it waits again; its epoll descriptor broken, it stops, and a
 *    secondary's probe is refused saying so (no request left unanswered
 *    for the 5 s a request waits); a device probed then starts it again,
 *    and a secondary attaches.
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

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>
#include <rte_sva_fault.h>

#include "test.h"
#include "test_mp.h"

uint64_t
mp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Set by SIGTERM/SIGINT in the test process (meson's timeout): the
 * processes are killed and the hugepages given back all the same. */
static volatile sig_atomic_t mp_terminated;

static void
mp_on_term(int sig)
{
	(void)sig;
	mp_terminated = 1;
}

/* Wait for pid with a bound; kill it when the bound passes.
 * @return its wait status, or -1 after a timeout. */
static int
wait_bounded(pid_t pid, uint64_t ms)
{
	uint64_t end = mp_now_ms() + ms;
	struct timespec tick = { 0, 1000000 };
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (mp_terminated) {
			printf("    terminated: killing pid %d and its group\n", (int)pid);
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		if (mp_now_ms() > end) {
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
	if (strcmp(role, "primary") == 0)
		setpgid(0, 0);
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

/* --------------------------------------------------------------- primary */

struct primary {
	int16_t dev;
	int cid;
	uint32_t pasid;
	char log[96];
	pthread_t fault_thread;
	uint32_t fault_stop;
	uint32_t fault_hold;       /* the worker polls nothing while set */
	bool fault_live;
};

/* The primary's fault worker: it answers the page requests of every
 * PASID of the device, the secondary's too. */
static void *
primary_fault_main(void *arg)
{
	struct primary *p = arg;

	while (!__atomic_load_n(&p->fault_stop, __ATOMIC_ACQUIRE))
		if (__atomic_load_n(&p->fault_hold, __ATOMIC_ACQUIRE) ||
		    rte_sva_fault_process(p->dev, 32) <= 0)
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
		/* A secondary maps the primary's memory at the same addresses.
		 * EAL's default base (4 GiB) lies in ASan's shadow, so an ASan
		 * primary got wherever the kernel put it, near the libraries,
		 * where a secondary's own (randomised) mappings sometimes sat:
		 * "Cannot preallocate VA space" about 1 run in 7. 32 TiB is
		 * free in both, with or without ASan. */
		(char *)"--base-virtaddr=0x200000000000",
		(char *)"--log-level=lib.eal:error", (char *)"--vdev=" MP_DEV_ARGS,
		(char *)"--vdev=" MP_LONE_ARGS, NULL,
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
	uint64_t end = mp_now_ms() + 10000;

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i ^ 0x5a);
	memset(dst, 0, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(p->dev, 0, p->pasid, src, dst, sizeof(dst),
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "copy");
	while (rte_sva_completed_status(p->dev, 0, 1, NULL, &st) == 0)
		TEST_ASSERT(mp_now_ms() < end, "no completion in 10 s");
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

/* Run a secondary in role that must exit with status exit_st, a line of
 * its log holding every word of why. */
static int
primary_expect_exit(struct primary *p, const char *role, int exit_st,
		    const char *const *why)
{
	int st;
	pid_t pid = spawn_role(role, p->log, -1, -1);

	TEST_ASSERT(pid > 0, "fork");
	st = wait_bounded(pid, MP_TIMEOUT_MS);
	if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != exit_st ||
	    !log_has_line(p->log, why)) {
		printf("    FAIL: secondary %s: status %#x (expected exit %d), its log:\n",
		       role, st, exit_st);
		print_file(p->log);
		return TEST_FAILED;
	}
	printf("    ok: secondary %s: exit %d, its log says why\n", role, exit_st);
	return TEST_OK;
}

/* Run a secondary whose probe of its own --vdev must be refused; its
 * log says why. */
static int
primary_expect_refusal(struct primary *p, const char *role,
		       const char *const *why)
{
	return primary_expect_exit(p, role, SEC_EXIT_REFUSED, why);
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

/* The secondary's page requests: raised with its PASID, each answered
 * SUCCESS (resolved in its address space, where its bytes were checked). */
static int
primary_check_faults(struct primary *p, const struct sec_report *rep)
{
	struct rte_sva_fault_pasid_stats ps;

	TEST_ASSERT_EQ(rep->fresh, SEC_FRESH_PAGES, "fresh pages checked");
	TEST_ASSERT_EQ(rte_sva_fault_pasid_stats_get(p->dev, rep->pasid, &ps), 0,
		       "the secondary's PASID raised page requests");
	printf("    ok: secondary PASID %u: %" PRIu64 " page requests, %" PRIu64
	       " groups answered SUCCESS\n", rep->pasid, ps.requests, ps.resp_success);
	TEST_ASSERT(ps.requests >= 1 && ps.requests <= SEC_FRESH_PAGES, "requests");
	TEST_ASSERT(ps.resp_success >= 1, "answered SUCCESS");
	TEST_ASSERT_EQ(ps.resp_invalid + ps.resp_failure + ps.resp_errors, 0,
		       "no other answer");
	return TEST_OK;
}

/* After a secondary's exit: its bond goes (the primary unbinds it), ours
 * stays; *stp: the device's fault counters then. */
static int
primary_check_exit(struct primary *p, pid_t pid, struct rte_sva_fault_stats *stp)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_bond_info bond;
	uint64_t end = mp_now_ms() + 10000;

	while (primary_bond_of(p, pid, &bond)) {
		TEST_ASSERT(mp_now_ms() < end, "the bond of pid %d still there after 10 s",
			    (int)pid);
		sched_yield();
	}
	TEST_ASSERT(primary_bond_of(p, getpid(), &bond) && bond.pasid == p->pasid,
		    "the primary's own bond stays");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->dev, &st), 0, "fault stats");
	printf("    ok: bond of pid %d released; device: %" PRIu64 " requests, %" PRIu64
	       " groups, %" PRIu64 " SUCCESS %" PRIu64 " INVALID %" PRIu64
	       " FAILURE, %" PRIu64 " stale, %" PRIu64 " answered by the device, %" PRIu64
	       " undelivered, %" PRIu64 " partial discarded\n", (int)pid, st.requests,
	       st.groups, st.resp_success, st.resp_invalid, st.resp_failure,
	       st.stale_responses, st.device_invalid, st.resp_errors, st.partial_discarded);
	*stp = st;
	return TEST_OK;
}

/* The secondary exited after its requests were answered: each group had
 * one response, from the worker, delivered. */
static int
primary_check_answered(const struct rte_sva_fault_stats *st)
{
	TEST_ASSERT(st->groups >= 1, "groups answered");
	TEST_ASSERT_EQ(st->groups, st->resp_success + st->resp_invalid + st->resp_failure,
		       "one delivered response per group");
	TEST_ASSERT_EQ(st->resp_errors + st->stale_responses + st->device_invalid, 0,
		       "no undelivered, stale or device-answered group");
	return TEST_OK;
}

/* The main secondary: the primary copies on the same shared WQ until the
 * secondary reports, then checks what it reports. */
static int
primary_with_secondary(struct primary *p)
{
	int to_sec[2], from_sec[2];
	struct sec_report rep;
	struct rte_sva_bond_info bond;
	struct rte_sva_fault_stats fst;
	struct pollfd pfd;
	unsigned int own = 0;
	uint64_t end = mp_now_ms() + MP_TIMEOUT_MS;
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
		if (primary_copy(p) != TEST_OK || mp_now_ms() > end) {
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
	TEST_RUN(primary_check_faults(p, &rep));
	/* Stopped, the device still may not be reconfigured or closed: that
	 * would free the WQ the secondary pushes into. */
	TEST_ASSERT_EQ(rte_sva_stop(p->dev), 0, "stop with a secondary attached");
	TEST_ASSERT_EQ(rte_sva_configure(p->dev, &(struct rte_sva_conf){ .nb_queues = 1 }),
		       -EBUSY, "configure with a secondary attached");
	TEST_ASSERT_EQ(rte_sva_close(p->dev), -EBUSY, "close with a secondary attached");
	TEST_ASSERT_EQ(rte_sva_start(p->dev), 0, "restart");
	TEST_RUN(primary_copy(p));
	TEST_ASSERT(write(to_sec[1], "x", 1) == 1, "tell the secondary to exit");
	st = wait_bounded(pid, MP_TIMEOUT_MS);
	TEST_ASSERT(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == SEC_EXIT_OK,
		    "secondary exit status %#x", st);
	close(to_sec[1]);
	close(from_sec[0]);
	TEST_RUN(primary_check_exit(p, pid, &fst));
	return primary_check_answered(&fst);
}

/* Kill a secondary whose copy waits for its page requests, with the
 * fault worker held back until it is dead. */
static int
primary_killed_secondary(struct primary *p)
{
	struct rte_sva_fault_stats before, after;
	struct rte_sva_bond_info bond;
	struct pollfd pfd;
	struct sec_report rep;
	int from_sec[2], st;
	int64_t answered;
	pid_t pid;

	/* From zero: the queue's high-water mark then tells when the
	 * secondary's group is raised. */
	TEST_ASSERT_EQ(rte_sva_fault_stats_reset(p->dev), 0, "fault stats reset");
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(p->dev, &before), 0, "fault stats");
	TEST_ASSERT(pipe(from_sec) == 0, "pipe");
	__atomic_store_n(&p->fault_hold, 1, __ATOMIC_RELEASE);
	pid = spawn_role("secondary_killed", p->log, -1, from_sec[1]);
	TEST_ASSERT(pid > 0, "fork");
	close(from_sec[1]);
	pfd = (struct pollfd){ .fd = from_sec[0], .events = POLLIN };
	st = poll(&pfd, 1, MP_TIMEOUT_MS) == 1 &&
		read(from_sec[0], &rep, sizeof(rep)) == sizeof(rep) &&
		rep.status == TEST_OK;
	close(from_sec[0]);
	if (st)
		st = primary_bond_of(p, pid, &bond) && bond.pasid == rep.pasid;
	/* Kill it only once its group waits in the fault queue. */
	for (uint64_t end = mp_now_ms() + 10000; st; ) {
		struct rte_sva_fault_stats now;

		if (rte_sva_fault_stats_get(p->dev, &now) != 0 || mp_now_ms() > end) {
			printf("    FAIL: the killed secondary's page requests never came\n");
			st = false;
		} else if (now.queue_hwm > 0) {
			break;
		}
		sched_yield();
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	__atomic_store_n(&p->fault_hold, 0, __ATOMIC_RELEASE);
	if (!st) {
		printf("    FAIL: the killed secondary did not wait for page requests; its log:\n");
		print_file(p->log);
		return TEST_FAILED;
	}
	TEST_RUN(primary_check_exit(p, pid, &after));
	/* Its one group got one response: the worker's (delivered), or the
	 * device's own INVALID when it saw the process gone first; a worker
	 * answer arriving after that is dropped as stale, not taken. */
	answered = (after.resp_success + after.resp_invalid + after.resp_failure) -
		(before.resp_success + before.resp_invalid + before.resp_failure) -
		(after.stale_responses - before.stale_responses) +
		(after.device_invalid - before.device_invalid);
	printf("    ok: killed secondary pid %d (PASID %u) with its copy waiting: %" PRIu64
	       " more requests, %" PRId64 " response(s) taken\n", (int)pid, rep.pasid,
	       after.requests - before.requests, answered);
	TEST_ASSERT_EQ(answered, 1, "one response for its group");
	TEST_ASSERT_EQ(after.resp_errors, before.resp_errors, "no undelivered response");
	TEST_ASSERT_EQ(after.resp_success, before.resp_success, "nothing resolved in a dead process");
	return primary_copy(p);
}

/* The sva-mp thread: signals do not stop it; stopped (its epoll fd
 * broken), a secondary's requests are refused saying so, not left
 * unanswered; a driver's next serve (a device probed) starts it again,
 * and it serves. */
static int
primary_mp_thread(struct primary *p)
{
	static const char *const why_stopped[] = {
		MP_DEV, "secondary", "sva-mp thread stopped", NULL
	};
	static const char *const why_unknown[] = {
		MP_UNKNOWN, "secondary", "no sva_sim device of that name", NULL
	};
	uint64_t end;

	TEST_RUN(mp_thread_interrupt(100));
	TEST_RUN(primary_expect_refusal(p, "secondary_unknown", why_unknown));
	TEST_RUN(mp_thread_break());
	TEST_RUN(primary_expect_refusal(p, "secondary_stopped", why_stopped));
	TEST_ASSERT_EQ(rte_vdev_init(MP_THIRD, MP_THIRD_ARGS), 0, "probe %s", MP_THIRD);
	for (end = mp_now_ms() + 10000; mp_thread_tid() < 0; sched_yield())
		TEST_ASSERT(mp_now_ms() < end, "no sva-mp thread 10 s after %s was probed",
			    MP_THIRD);
	printf("    ok: the sva-mp thread runs again after %s was probed\n", MP_THIRD);
	TEST_RUN(primary_expect_refusal(p, "secondary_unknown", why_unknown));
	TEST_ASSERT_EQ(rte_vdev_uninit(MP_THIRD), 0, "remove %s", MP_THIRD);
	return TEST_OK;
}

static int
primary_main(void)
{
	static const char *const why_unknown[] = {
		MP_UNKNOWN, "secondary", "no sva_sim device of that name", NULL
	};
	static const char *const why_lone[] = {
		MP_LONE, "secondary", "no container of the primary", NULL
	};
	/* Its queue setup refused with the primary's own errno, the
	 * secondary's log line says why (the primary's reason). */
	static const char *const why_queues[] = {
		MP_DEV, "queue registration", "No space left on device",
		"all its slots", NULL
	};
	static const char *const why_slots[] = {
		"secondary_slots", "refused, then one served", NULL
	};
	struct primary p = { .dev = -1 };
	int ret;

	snprintf(p.log, sizeof(p.log), "/tmp/%s-secondary.log", getenv("SVA_MP_PREFIX"));
	ret = primary_setup(&p);
	if (ret == TEST_OK)
		ret = primary_expect_refusal(&p, "secondary_unknown", why_unknown);
	if (ret == TEST_OK)
		ret = log_has_line(p.log, why_lone) ? TEST_OK : TEST_FAILED;
	if (ret != TEST_OK)
		printf("    FAIL: no log line on %s in no container\n", MP_LONE);
	if (ret == TEST_OK)
		ret = primary_with_secondary(&p);
	if (ret == TEST_OK)
		ret = primary_killed_secondary(&p);
	if (ret == TEST_OK)
		ret = primary_expect_exit(&p, "secondary_queues", SEC_EXIT_OK, why_queues);
	if (ret == TEST_OK)
		ret = primary_expect_exit(&p, "secondary_slots", SEC_EXIT_OK, why_slots);
	if (ret == TEST_OK)
		ret = primary_mp_thread(&p);
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
	if (role != NULL && strcmp(role, "secondary_killed") == 0)
		return secondary_killed();
	if (role != NULL && strcmp(role, "secondary_queues") == 0)
		return secondary_queues();
	if (role != NULL && strcmp(role, "secondary_stopped") == 0)
		return secondary_stopped();
	if (role != NULL && strcmp(role, "secondary_slots") == 0)
		return secondary_slots();
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
	signal(SIGTERM, mp_on_term);
	signal(SIGINT, mp_on_term);
	pid = spawn_role("primary", NULL, -1, -1);
	if (pid > 0)
		setpgid(pid, pid);  /* its secondaries too, for a kill */
	st = pid > 0 ? wait_bounded(pid, 2 * MP_TIMEOUT_MS) : -1;
	ret = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	mp_huge_cleanup(&h);
	printf("multiprocess: %s\n", ret == 0 ? "passed" : "FAILED");
	return ret;
}
