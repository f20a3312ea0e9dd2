/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SW_IOMMU_GUARD_H
#define SW_IOMMU_GUARD_H

/**
 * @file
 * The device-access guard of the sw_iommu component (internal, for
 * software devices): lets a thread touch memory that may be unmapped or
 * read-only and get the fault back as a value instead of a crash, as a
 * device behind an IOMMU does.
 *
 * A thread binds a guard, arms it (phase != 0) around its accesses after a
 * sigsetjmp(guard->env, 0); a SIGSEGV or SIGBUS taken while armed records
 * the address and access type and jumps back. Faults in unarmed code go to
 * the handler installed before ours, or to the default action.
 */

#include <setjmp.h>
#include <stdint.h>

#include <rte_compat.h>

/** A thread's guard: where a fault jumps back to, and what faulted. */
struct sw_iommu_guard {
	sigjmp_buf env;                 /**< sigsetjmp(env, 0) before arming */
	volatile int phase;             /**< 0: unarmed; else caller-defined */
	volatile uintptr_t fault_addr;  /**< address of the access that faulted */
	volatile int fault_write;       /**< 1 if the access was a write */
};

/**
 * Install the process-wide SIGSEGV/SIGBUS handler (once; later calls
 * return the first one's result). Signals that are not a fault of an armed
 * thread's own access go to the disposition found at install time.
 * @return 0; -errno from sigaction() (logged).
 */
__rte_internal
int sw_iommu_guard_install(void);

/**
 * Make g the calling thread's guard (NULL to unbind).
 * @param g the guard, valid while bound; or NULL.
 */
__rte_internal
void sw_iommu_guard_bind(struct sw_iommu_guard *g);

/**
 * Touch one byte at addr as a read or a (value-preserving) write through
 * the calling thread's own internal guard; faults the page in. Needs
 * sw_iommu_guard_install() first. Keeps the thread's bound guard as it was.
 * @param addr the byte.
 * @param write nonzero: a write access (the byte keeps its value).
 * @return 0; -EFAULT if the access faulted.
 */
__rte_internal
int sw_iommu_guard_touch(void *addr, int write);

#endif
