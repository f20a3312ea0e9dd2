/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The device-access guard: a SIGSEGV/SIGBUS handler that turns a fault of
 * an armed thread's own access into a jump back to its guard, and hands
 * every other such signal to whatever would have got it without us.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <rte_common.h>

#include "sw_iommu_guard.h"
#include "sw_iommu_log.h"

static __thread struct sw_iommu_guard *tls_guard
	__attribute__((tls_model("initial-exec")));
/* The dispositions found at install time, which every signal that is not
 * a device fault goes to, and ours. */
static struct sigaction old_segv, old_bus, guard_sa;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static int guard_err;

/* A SIGSEGV or SIGBUS someone sent (kill, tgkill, sigqueue: si_code <= 0,
 * SI_USER/SI_QUEUE/SI_TKILL...) rather than a fault of the thread's own
 * access. */
static bool
guard_sent(const siginfo_t *si)
{
	return si->si_code <= 0;
}

/*
 * Not a device fault: the signal gets what it would have got without us,
 * and our handler stays installed whenever the process survives:
 * - the handler installed before ours is called, with its mask blocked;
 * - a sent signal that was ignored before us is ignored;
 * - the default action (also for a real fault that was ignored before us,
 *   which the kernel never ignores): for a sent signal, re-raised at once
 *   with SIG_DFL, so the process dies of it; for a real fault, return with
 *   SIG_DFL, so the faulting instruction re-executes and the process dies
 *   of it, as it would have without us.
 */
static void
guard_chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;
	const bool sent = guard_sent(si);
	const int saved_errno = errno;
	struct sigaction dfl;

	if (old->sa_handler == SIG_IGN && sent)
		return;
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		sigset_t mask = old->sa_mask, prev;

		if (!(old->sa_flags & SA_NODEFER))
			sigaddset(&mask, sig);
		pthread_sigmask(SIG_BLOCK, &mask, &prev);
		if (old->sa_flags & SA_SIGINFO)
			old->sa_sigaction(sig, si, uc);
		else
			old->sa_handler(sig);
		pthread_sigmask(SIG_SETMASK, &prev, NULL);
		if (old->sa_flags & SA_RESETHAND)
			old->sa_handler = SIG_DFL;   /* once, as the kernel would */
		errno = saved_errno;
		return;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	if (sent) {
		/* Not blocked in here (SA_NODEFER): delivered before tgkill
		 * returns, and SIGSEGV/SIGBUS by default end the process. */
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
		/* Still here (a debugger?): keep guarding device accesses. */
		sigaction(sig, &guard_sa, NULL);
	}
	errno = saved_errno;
}

static void
guard_handler(int sig, siginfo_t *si, void *uc)
{
	struct sw_iommu_guard *g = tls_guard;

	/* Only a fault of an armed thread's own access is a device fault:
	 * a signal sent to it while armed is not. */
	if (g == NULL || g->phase == 0 || guard_sent(si)) {
		guard_chain(sig, si, uc);
		return;
	}
	g->fault_addr = (uintptr_t)si->si_addr;
#if defined(__x86_64__)
	/* Page-fault error code bit 1: the access was a write. */
	g->fault_write = (((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
	g->fault_write = 0;
#endif
	/* SA_NODEFER keeps the signal unblocked, so jumping out is safe. */
	siglongjmp(g->env, 1);
}

static void
guard_do_install(void)
{
	memset(&guard_sa, 0, sizeof(guard_sa));
	guard_sa.sa_sigaction = guard_handler;
	guard_sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&guard_sa.sa_mask);
	if (sigaction(SIGSEGV, &guard_sa, &old_segv) != 0 ||
	    sigaction(SIGBUS, &guard_sa, &old_bus) != 0)
		guard_err = -errno;
}

int
sw_iommu_guard_install(void)
{
	pthread_once(&guard_once, guard_do_install);
	if (guard_err != 0)
		SW_IOMMU_LOG(ERR, "cannot install the device fault handler: %s",
			    strerror(-guard_err));
	return guard_err;
}

void
sw_iommu_guard_bind(struct sw_iommu_guard *g)
{
	tls_guard = g;
}

/* The touch keeps its own guard so it nests inside nothing: it saves and
 * restores whatever guard the thread had bound. Any address is valid input
 * (a device may ask for page 0): the access is the point, and a fault is
 * the answer, so UBSan's null-pointer check must not stop it first. */
__attribute__((no_sanitize_undefined))
int
sw_iommu_guard_touch(void *addr, int write)
{
	struct sw_iommu_guard g, *saved = tls_guard;
	volatile int ret = 0;

	g.phase = 0;
	tls_guard = &g;
	if (sigsetjmp(g.env, 0) == 0) {
		g.phase = 1;
		if (write)
			__atomic_fetch_add((uint8_t *)addr, 0, __ATOMIC_RELAXED);
		else
			(void)*(volatile uint8_t *)addr;
	} else {
		ret = -EFAULT;
	}
	g.phase = 0;
	tls_guard = saved;
	return ret;
}
