/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_CTRL_H
#define RTE_SVA_CTRL_H

/*
 * Library-internal: the control path's one lock and the one pattern every
 * public control function follows (rte_sva_ctrl.c).
 *
 * Thread safety (the statement rte_sva.h makes to users rests on this):
 * every control function of the library takes the control lock for its
 * whole run (the fault worker's start and stop and the fault service's
 * registration take a lock of their own instead: rte_sva_fault_worker.c
 * says why), so any of them may be called from any thread at any time,
 * also concurrently with each other and with device probe or removal; a
 * call sees and leaves the tables in a consistent state. The lock is
 * recursive, because a driver's close may run inside a locked call (EAL
 * bus cleanup). It is never taken on a data path: fast-path functions and
 * fault workers take no lock, and the lock's holders never wait for a
 * fault worker that would need it.
 *
 * Each public control function is one line, made by the macros below,
 * around a static <name>_locked() doing the work. Calls that change state
 * first refuse to run in a fork() child (sva_fork_check()), before the
 * lock: a child may have inherited it held.
 */

#include <stdint.h>

/** Take / release the control lock (recursive; control path only). */
void sva_ctrl_lock(void);
void sva_ctrl_unlock(void);

/* Library-internal (rte_sva_fork.c): 0 in the process that initialised the
 * library; -EPERM, logged with what, in a fork() child of it, which may use
 * its parent's devices and bonds but never change them. Control path only
 * (a syscall); call it before taking the control lock. */
int sva_fork_check(const char *what);

/** Define `type name params` as name##_locked args under the control lock. */
#define SVA_CTRL_READ(type, name, params, args) \
	type name params \
	{ \
		type ret__; \
		sva_ctrl_lock(); \
		ret__ = name##_locked args; \
		sva_ctrl_unlock(); \
		return ret__; \
	}

/** As SVA_CTRL_READ, for a function returning nothing. */
#define SVA_CTRL_VOID(name, params, args) \
	void name params \
	{ \
		sva_ctrl_lock(); \
		name##_locked args; \
		sva_ctrl_unlock(); \
	}

/** Define `int name params`, a call that changes state: refused (-EPERM)
 *  in a fork() child, else name##_locked args under the control lock. */
#define SVA_CTRL_CHANGE(name, params, args) \
	int name params \
	{ \
		int ret__ = sva_fork_check(#name); \
		if (ret__ != 0) \
			return ret__; \
		sva_ctrl_lock(); \
		ret__ = name##_locked args; \
		sva_ctrl_unlock(); \
		return ret__; \
	}

#endif
