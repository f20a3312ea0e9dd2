/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_FOREIGN_H
#define RTE_SVA_FOREIGN_H

/* Library-internal (rte_sva_foreign.c): address spaces of other processes
 * (bonds made by pid), their exit monitor, and the table fault workers
 * read them through. All of it is called under the control lock. */

#include <stdint.h>
#include <sys/types.h>

struct rte_sva_mm;

/* Bonds per container (rte_sva_bond.c). */
#define SVA_MAX_BONDS 64

/* Open pid's address space into mm (pidfd, /proc/pid/mem, maps, pagemap).
 * @return 0; -ESRCH if it does not exist (or exited); -EPERM without
 * ptrace-attach permission over it; another -errno as open() gave it
 * (-EMFILE, -ENOMEM...). Logged. */
int sva_foreign_mm_open(pid_t pid, struct rte_sva_mm *mm);

/* Watch mm's process: when it exits, mm->defunct is set. @return 0 or <0. */
int sva_monitor_add(struct rte_sva_mm *mm);

/* Close what sva_foreign_mm_open() opened, stop watching it, free mm.
 * Afterwards no thread of the library refers to mm. */
void sva_mm_free(struct rte_sva_mm *mm);

/* Publish mm as the address space of PASID pasid for fault workers;
 * unpublish waits until no worker still looks at it. */
void sva_foreign_publish(uint32_t pasid, struct rte_sva_mm *mm);
void sva_foreign_unpublish(const struct rte_sva_mm *mm);

#endif
