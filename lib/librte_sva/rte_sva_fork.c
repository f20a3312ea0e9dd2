/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fork semantics. After fork() the child shares the parent's DPDK heap
 * (hugepages, or the memfd of --no-huge) and the device's fds: the PASID
 * tables, containers and bonds it sees are the parent's own. A child may
 * therefore use its parent's devices and bonds (submit with the parent's
 * PASIDs), but every call that changes them would change the parent's
 * device under it: those calls fail -EPERM in a child.
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include <rte_common.h>

#include "sva_internal.h"
#include "rte_sva_pmd.h"

/* The process that initialised the library, and whether this process is a
 * fork() child of it. The atfork handler marks children of fork(); the pid
 * comparison also catches children of a raw clone() or syscall(SYS_fork),
 * which run no atfork handler. */
static pid_t sva_owner_pid;
static bool sva_forked;

static void
sva_fork_child(void)
{
	sva_forked = true;
}

RTE_INIT(sva_fork_init)
{
	sva_owner_pid = getpid();
	/* Only the child handler: the parent state is untouched by fork. */
	pthread_atfork(NULL, NULL, sva_fork_child);
}

int
sva_fork_check(const char *what)
{
	if (!sva_forked && getpid() == sva_owner_pid)
		return 0;
	RTE_SVA_LOG(ERR, "%s in a child of pid %d after fork(): a child may use its parent's devices and bonds, never change them",
		    what != NULL ? what : "control call", (int)sva_owner_pid);
	return -EPERM;
}
