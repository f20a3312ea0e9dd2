/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <rte_common.h>

#include "rte_sva_guard.h"
#include "rte_sva_pmd.h"

static __thread struct rte_sva_guard *tls_guard
	__attribute__((tls_model("initial-exec")));
static struct sigaction old_segv, old_bus;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static int guard_err;

static void
guard_chain(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_bus;

	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/* Not ours and nobody else's: restore the default action and return,
	 * so the faulting instruction re-executes and the process dies with
	 * the signal as it would have without us. */
	signal(sig, SIG_DFL);
}

static void
guard_handler(int sig, siginfo_t *si, void *uc)
{
	struct rte_sva_guard *g = tls_guard;

	if (g == NULL || g->phase == 0) {
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
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = guard_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old_segv) != 0 ||
	    sigaction(SIGBUS, &sa, &old_bus) != 0)
		guard_err = -errno;
}

int
rte_sva_guard_install(void)
{
	pthread_once(&guard_once, guard_do_install);
	if (guard_err != 0)
		RTE_SVA_LOG(ERR, "cannot install the device fault handler: %s",
			    strerror(-guard_err));
	return guard_err;
}

void
rte_sva_guard_bind(struct rte_sva_guard *g)
{
	tls_guard = g;
}

/* The touch keeps its own guard so it nests inside nothing: it saves and
 * restores whatever guard the thread had bound. */
int
rte_sva_guard_touch(void *addr, int write)
{
	struct rte_sva_guard g, *saved = tls_guard;
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
