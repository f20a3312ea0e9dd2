/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The control path's one lock (see rte_sva_ctrl.h for what it covers). */

#include <pthread.h>

#include <rte_common.h>

#include "rte_sva_ctrl.h"

static pthread_mutex_t ctrl_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* A fork() child has one thread: if another thread of the parent held the
 * lock at fork time, it would never be released in the child. The child
 * changes nothing (sva_fork_check()), but may still read its copy of the
 * tables (rte_sva_container_bonds() and the like). */
static void
ctrl_atfork_child(void)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&ctrl_lock, &a);
	pthread_mutexattr_destroy(&a);
}

RTE_INIT(ctrl_init)
{
	pthread_atfork(NULL, NULL, ctrl_atfork_child);
}

void
sva_ctrl_lock(void)
{
	pthread_mutex_lock(&ctrl_lock);
}

void
sva_ctrl_unlock(void)
{
	pthread_mutex_unlock(&ctrl_lock);
}
