/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_GUARD_H
#define RTE_SVA_GUARD_H

/**
 * @file
 * Fault guard (internal, for drivers and the fault path): lets a thread
 * touch memory that may be unmapped or read-only and get the fault back as
 * a value instead of a crash, as a device does.
 *
 * A thread binds a guard, arms it (phase != 0) around its accesses after a
 * sigsetjmp(guard->env, 0); a SIGSEGV or SIGBUS taken while armed records
 * the address and access type and jumps back. Faults in unarmed code go to
 * the handler installed before ours, or to the default action.
 */

#include <setjmp.h>
#include <stdint.h>

#include <rte_compat.h>

struct rte_sva_guard {
	sigjmp_buf env;
	volatile int phase;             /**< 0: unarmed; else caller-defined */
	volatile uintptr_t fault_addr;
	volatile int fault_write;       /**< 1 if the access was a write */
};

/** Install the process-wide handler once. @return 0 or -errno. */
__rte_internal
int rte_sva_guard_install(void);

/** Make g the calling thread's guard (NULL to unbind). */
__rte_internal
void rte_sva_guard_bind(struct rte_sva_guard *g);

/**
 * Touch one byte at addr as a read or a (value-preserving) write through
 * the calling thread's own internal guard; faults the page in.
 * @return 0; -EFAULT if the access faulted.
 */
__rte_internal
int rte_sva_guard_touch(void *addr, int write);

#endif
