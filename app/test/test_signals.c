/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Signals the device did not cause: default action kept, the device-fault
 * guard kept.
 *
 * A SIGSEGV or SIGBUS someone sends (kill, tgkill, sigqueue: si_code <= 0)
 * and a fault outside any device access are not the device's: they get
 * what they would have got without the library, the handler installed
 * before it or the default action. Where that action is to die, a forked
 * child shows it. Where the process survives (the signal ignored, or a
 * handler of the application's), a fresh process shows that the guard
 * survives too and still turns a device access to an unmapped page into
 * PAGE_FAULT: this suite re-executes the test binary with SVA_SIGNALS_ROLE
 * set, and a constructor installs the disposition before EAL init, i.e.
 * before the sim installs the guard on top of it. */

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include "test.h"

#define PAGE 4096u
#define ROLE_ENV TEST_ROLE_ENV

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static pid_t
gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static int
tgkill_(pid_t tid, int sig)
{
	return (int)syscall(SYS_tgkill, getpid(), tid, sig);
}

/* --------------------------------------------------- the application's */

/* What the role's own handler saw. */
static uint32_t app_calls;
static int app_last_code;
static pid_t app_last_tid;

static void
app_handler(int sig, siginfo_t *si, void *uc)
{
	RTE_SET_USED(sig);
	RTE_SET_USED(uc);
	__atomic_store_n(&app_last_code, si->si_code, __ATOMIC_RELAXED);
	__atomic_store_n(&app_last_tid, gettid_(), __ATOMIC_RELAXED);
	__atomic_fetch_add(&app_calls, 1, __ATOMIC_RELEASE);
}

/* Before main(), so before EAL init probes the sim and installs the guard:
 * the disposition the guard finds and must honour. */
__attribute__((constructor)) static void
role_disposition(void)
{
	const char *role = getenv(ROLE_ENV);
	struct sigaction sa;

	if (role == NULL)
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	if (strcmp(role, "sig_ignore") == 0) {
		sa.sa_handler = SIG_IGN;
	} else if (strcmp(role, "sig_handler") == 0) {
		sa.sa_sigaction = app_handler;
		sa.sa_flags = SA_SIGINFO;
	}
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* ------------------------------------------------------------- helpers */

/* Wait (bounded) until the application's handler has run n times. */
static bool
poll_calls(uint32_t n)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	while (__atomic_load_n(&app_calls, __ATOMIC_ACQUIRE) < n)
		if (rte_get_timer_cycles() > deadline)
			return false;
	return true;
}
#define POLL_CALLS(n) poll_calls(n)

static const char *
sig_name(int sig)
{
	return sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "signal";
}

enum how { BY_TGKILL, BY_KILL, BY_SIGQUEUE, BY_PTHREAD_KILL };

static const char *
how_name(enum how h)
{
	static const char *const n[] = { "tgkill", "kill", "sigqueue", "pthread_kill" };

	return n[h];
}

/* The si_code a receiver sees for h. */
static int
how_code(enum how h)
{
	return h == BY_KILL ? SI_USER : h == BY_SIGQUEUE ? SI_QUEUE : SI_TKILL;
}

/* A thread of the test's own (no device access): it sleeps until told. */
static uint32_t helper_stop;
static pid_t helper_tid;

static void *
helper_main(void *arg)
{
	RTE_SET_USED(arg);
	__atomic_store_n(&helper_tid, gettid_(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&helper_stop, __ATOMIC_ACQUIRE))
		usleep(1000);
	return NULL;
}

/* Send sig by h: to the thread tid (tgkill), to the process (kill,
 * sigqueue) or to the pthread th (pthread_kill). */
static int
send_sig(enum how h, int sig, pid_t tid, pthread_t th)
{
	union sigval v = { .sival_int = 7 };

	switch (h) {
	case BY_TGKILL:
		return tgkill_(tid, sig);
	case BY_KILL:
		return kill(getpid(), sig);
	case BY_SIGQUEUE:
		return sigqueue(getpid(), sig, v);
	default:
		return pthread_kill(th, sig) == 0 ? 0 : -1;
	}
}


/* A copy from an unmapped page on sva_sim0 is a device fault: PAGE_FAULT
 * at that address, nothing written, and the process lives on. */
static int
device_fault_caught(void)
{
	uint8_t *hole = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t dst[256];
	struct rte_sva_result r;

	TEST_ASSERT(hole != MAP_FAILED, "mmap");
	TEST_ASSERT_EQ(munmap(hole, PAGE), 0, "munmap");
	memset(dst, 0x5a, sizeof(dst));
	TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, hole, dst, sizeof(dst),
				 0) >= 0, "enqueue");
	TEST_ASSERT_EQ(test_wait_one(tenv.dev_id, 0, &r), 0, "completion");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_PAGE_FAULT, "device fault: %s",
		       rte_sva_status_str(r.status));
	TEST_ASSERT_EQ(r.fault_addr, (uintptr_t)hole, "fault address");
	for (unsigned int i = 0; i < sizeof(dst); i++)
		TEST_ASSERT_EQ(dst[i], 0x5a, "byte %u written", i);
	return TEST_OK;
}

/* The disposition of sig now, to compare with one taken earlier. */
static void *
disposition(int sig)
{
	struct sigaction cur;

	sigaction(sig, NULL, &cur);
	return (cur.sa_flags & SA_SIGINFO) ? (void *)(uintptr_t)cur.sa_sigaction :
		(void *)(uintptr_t)cur.sa_handler;
}

/* ------------------------------------------- roles of the fresh process */

#define ENG_INFLIGHT 64
#define ENG_LEN (256u * 1024)
#define ENG_SIGS 200

/* Copies run on sva_sim0 while its engine thread, inside the copies, gets
 * SIGSEGV and SIGBUS sent: the guard must not take them for device faults
 * (the copies all succeed) and, with a handler, passes each one on. The
 * engine is kept busy until every signal is sent. */
static int
role_engine_signals(bool handler)
{
	uint8_t *src = malloc(ENG_LEN), *dst = malloc(ENG_LEN);
	uint32_t before = __atomic_load_n(&app_calls, __ATOMIC_ACQUIRE);
	pid_t eng = test_thread_by_name("sva-sim0-e0");
	unsigned int inflight = 0, done = 0;
	uint64_t deadline;
	int sent = 0;

	TEST_ASSERT(src && dst, "malloc");
	TEST_ASSERT(eng > 0, "engine thread sva-sim0-e0 found");
	test_fill_random(src, ENG_LEN, 17);
	deadline = rte_get_timer_cycles() + 30 * rte_get_timer_hz();
	while ((sent < ENG_SIGS || inflight > 0) && rte_get_timer_cycles() < deadline) {
		uint16_t st[ENG_INFLIGHT], n;

		while (sent < ENG_SIGS && inflight < ENG_INFLIGHT) {
			TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst,
						 ENG_LEN, 0) >= 0, "enqueue");
			inflight++;
		}
		TEST_ASSERT_EQ(rte_sva_submit(tenv.dev_id, 0), 0, "submit");
		/* One at a time: a signal sent while the last one is still
		 * pending would merge with it. With a handler, the next goes
		 * once it has run. */
		if (sent < ENG_SIGS && handler && !POLL_CALLS(before + (uint32_t)sent)) {
			printf("    signal %d to the engine never reached the handler\n",
			       sent);
			sent = ENG_SIGS + 1;   /* no more; collect the copies */
		}
		if (sent < ENG_SIGS && tgkill_(eng, sent % 2 ? SIGBUS : SIGSEGV) == 0)
			sent++;
		n = rte_sva_completed_status(tenv.dev_id, 0, ENG_INFLIGHT, NULL, st);
		for (uint16_t i = 0; i < n; i++)
			TEST_ASSERT_EQ(st[i], RTE_SVA_STATUS_SUCCESS,
				       "copy %u (after %d signals): %s", done + i, sent,
				       rte_sva_status_str(st[i]));
		inflight -= n;
		done += n;
	}
	TEST_ASSERT_EQ(inflight, 0, "copies left after 30 s (%u done)", done);
	TEST_ASSERT(memcmp(src, dst, ENG_LEN) == 0, "bytes");
	free(src);
	free(dst);
	printf("    %d signals sent to the engine during %u copies\n", sent, done);
	TEST_ASSERT_EQ(sent, ENG_SIGS, "signals sent");
	if (handler) {
		TEST_ASSERT(POLL_CALLS(before + (uint32_t)sent),
			    "the application's handler got all %d (got %u)", sent,
			    __atomic_load_n(&app_calls, __ATOMIC_ACQUIRE) - before);
		TEST_ASSERT_EQ(__atomic_load_n(&app_calls, __ATOMIC_ACQUIRE), before + sent,
			       "handler calls");
		TEST_ASSERT_EQ(app_last_tid, eng, "on the engine thread");
		TEST_ASSERT_EQ(app_last_code, SI_TKILL, "si_code");
	}
	return TEST_OK;
}

/* Every way of sending both signals to the main thread, another thread
 * and the process: each one reaches the application's handler (on the
 * thread it was sent to, with its si_code) or is ignored; the guard stays
 * installed; then a device fault is still caught. */
static int
role_body(bool handler, pthread_t th)
{
	void *segv = disposition(SIGSEGV), *bus = disposition(SIGBUS);

	TEST_ASSERT(segv != (void *)(uintptr_t)SIG_DFL &&
		    segv != (void *)(uintptr_t)SIG_IGN, "the guard is installed");
	TEST_RUN(device_fault_caught());
	for (int s = 0; s < 2; s++) {
		const int sig = s == 0 ? SIGSEGV : SIGBUS;

		for (int h = BY_TGKILL; h <= BY_PTHREAD_KILL; h++) {
			for (int t = 0; t < 2; t++) {
				uint32_t before = __atomic_load_n(&app_calls, __ATOMIC_ACQUIRE);
				pid_t tid = t == 0 ? gettid_() :
					__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE);
				pthread_t pth = t == 0 ? pthread_self() : th;

				if (t == 1 && (h == BY_KILL || h == BY_SIGQUEUE))
					continue;  /* to the process: one target */
				TEST_ASSERT_EQ(send_sig(h, sig, tid, pth), 0, "%s %s",
					       how_name(h), sig_name(sig));
				if (handler) {
					TEST_ASSERT(POLL_CALLS(before + 1),
						    "%s %s to %s: handler not called",
						    how_name(h), sig_name(sig),
						    t ? "a helper thread" : "the main thread");
					TEST_ASSERT_EQ(app_last_code, how_code(h), "si_code");
					if (h != BY_KILL && h != BY_SIGQUEUE)
						TEST_ASSERT_EQ(app_last_tid, tid, "on its target");
				}
				TEST_ASSERT(disposition(SIGSEGV) == segv &&
					    disposition(SIGBUS) == bus,
					    "%s %s: the guard was uninstalled", how_name(h),
					    sig_name(sig));
				TEST_RUN(device_fault_caught());
			}
		}
	}
	TEST_RUN(role_engine_signals(handler));
	TEST_RUN(device_fault_caught());
	return TEST_OK;
}

static int
role_main(bool handler)
{
	pthread_t th;
	int ret;

	TEST_ASSERT_EQ(pthread_create(&th, NULL, helper_main, NULL), 0, "helper");
	while (__atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	ret = role_body(handler, th);
	__atomic_store_n(&helper_stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	return ret;
}

static int
role_ignore(void)
{
	return role_main(false);
}

static int
role_handler(void)
{
	return role_main(true);
}

static int
expect_role_ok(const char *role)
{
	pid_t pid = test_spawn("signals", role, NULL, NULL, -1, NULL);
	int st = pid > 0 ? test_spawn_wait(pid, 120000) : -1;

	TEST_ASSERT(st != -1, "run the role");
	TEST_ASSERT(!WIFSIGNALED(st), "role %s: the fresh process died of signal %d (%s)",
		    role, WTERMSIG(st), strsignal(WTERMSIG(st)));
	TEST_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "role %s: exit status %d",
		    role, WEXITSTATUS(st));
	return TEST_OK;
}

static int
test_ignored_guard_survives(void)
{
	return expect_role_ok("sig_ignore");
}

static int
test_handler_guard_survives(void)
{
	return expect_role_ok("sig_handler");
}

/* ------------------------------------------------- the default action */

/* A child about to die on purpose: under ASan the sanitizer's handler
 * (the one before ours) reports the signal it is killed by; that report
 * is expected, not a finding, so it goes nowhere. */
static void
quiet(void)
{
	int fd;

	if (!UNDER_ASAN)
		return;
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
}

/* In a forked child (which has the guard, over SIG_DFL), send sig by h
 * (to the main thread, or to a second thread) and report surviving it. */
static __rte_noreturn void
die_child(enum how h, int sig, bool other_thread)
{
	struct rlimit no_core = { 0, 0 };
	pthread_t th = pthread_self();
	pid_t tid = gettid_();

	setrlimit(RLIMIT_CORE, &no_core);
	quiet();
	if (other_thread) {
		if (pthread_create(&th, NULL, helper_main, NULL) != 0)
			_exit(2);
		while ((tid = __atomic_load_n(&helper_tid, __ATOMIC_ACQUIRE)) == 0)
			rte_pause();
	}
	if (send_sig(h, sig, tid, th) != 0)
		_exit(3);
	/* A signal sent to another thread may take a moment to land. */
	for (int i = 0; i < 2000; i++)
		usleep(1000);
	_exit(77);    /* swallowed */
}

/* The child must die of sig, as it would without the library. Under ASan
 * the handler before ours is the sanitizer's, which reports the signal
 * and exits non-zero: that is its "default". */
static int
expect_death(int st, int sig, const char *what)
{
	TEST_ASSERT(!(WIFEXITED(st) && WEXITSTATUS(st) == 77),
		    "%s: the signal was swallowed", what);
	if (UNDER_ASAN && WIFEXITED(st) && WEXITSTATUS(st) != 0 &&
	    WEXITSTATUS(st) != 2 && WEXITSTATUS(st) != 3)
		return TEST_OK;
	TEST_ASSERT(WIFSIGNALED(st), "%s: child exited with status %d", what,
		    WEXITSTATUS(st));
	TEST_ASSERT_EQ(WTERMSIG(st), sig, "%s: died of %s", what,
		       strsignal(WTERMSIG(st)));
	return TEST_OK;
}

static int
test_sent_signal_default_action(void)
{
	for (int s = 0; s < 2; s++) {
		const int sig = s == 0 ? SIGSEGV : SIGBUS;

		for (int h = BY_TGKILL; h <= BY_PTHREAD_KILL; h++) {
			for (int t = 0; t < 2; t++) {
				char what[96];
				int st;
				pid_t pid;

				if (t == 1 && (h == BY_KILL || h == BY_SIGQUEUE))
					continue;
				snprintf(what, sizeof(what), "%s %s to %s", how_name(h),
					 sig_name(sig), t ? "a second thread" : "itself");
				fflush(stdout);
				pid = test_fork();
				TEST_ASSERT(pid >= 0, "fork");
				if (pid == 0)
					die_child((enum how)h, sig, t == 1);
				TEST_ASSERT_EQ(waitpid(pid, &st, 0), pid, "waitpid");
				TEST_RUN(expect_death(st, sig, what));
			}
		}
	}
	return TEST_OK;
}

/* A real fault outside any device access (the guard is not armed) is the
 * program's own bug: it still kills, with SIGSEGV. */
static int
test_unarmed_fault_default_action(void)
{
	struct rlimit no_core = { 0, 0 };
	int st;
	pid_t pid;

	fflush(stdout);
	pid = test_fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		uint8_t *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);

		setrlimit(RLIMIT_CORE, &no_core);
		quiet();
		if (p == MAP_FAILED)
			_exit(2);
		*(volatile uint8_t *)p = 1;
		_exit(77);
	}
	TEST_ASSERT_EQ(waitpid(pid, &st, 0), pid, "waitpid");
	TEST_RUN(expect_death(st, SIGSEGV, "a write to a PROT_NONE page"));
	/* And the guard of this process still catches a device fault. */
	return device_fault_caught();
}

static const struct test_case cases[] = {
	{ "sent SIGSEGV/SIGBUS: default action (dies)", test_sent_signal_default_action },
	{ "fault outside a device access: dies", test_unarmed_fault_default_action },
	{ "sent signals ignored: guard survives", test_ignored_guard_survives },
	{ "sent signals to a handler: guard survives", test_handler_guard_survives },
};

/* Fresh processes whose constructor set a disposition first. */
static const struct test_role roles[] = {
	{ "sig_ignore", role_ignore },
	{ "sig_handler", role_handler },
	{ NULL, NULL },
};

const struct test_suite suite_signals = { "signals", cases, RTE_DIM(cases), roles };
