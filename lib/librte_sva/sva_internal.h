/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_INTERNAL_H
#define SVA_INTERNAL_H

/*
 * Library-internal declarations shared between the library's files; not
 * installed, never included by drivers or applications.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "rte_sva_ctrl.h"

struct rte_sva_backend;
struct rte_sva_mm;

/* Bonds per container (rte_sva_bond.c). */
#define SVA_MAX_BONDS 64

/* ------------------------------------------ address spaces (rte_sva_mm.c) */

/* A new address space of pid (already normalised: never 0) reached by
 * backend be: for another process its pidfd, then the backend's mm_open
 * (the permission check). Control path, under the control lock.
 * @return 0 and *out; -ESRCH if the process does not exist (or exited);
 * -EPERM; -ENOMEM; another -errno as the backend or pidfd_open() gave it.
 * Logged. */
int sva_mm_create(pid_t pid, const struct rte_sva_backend *be,
		  struct rte_sva_mm **out);

/* Stop watching mm's process, let the backend close it, free it. The
 * caller has unpublished it (sva_mm_unpublish()) if it was published. */
void sva_mm_free(struct rte_sva_mm *mm);

/* Publish mm as the address space of (mm->backend, pasid) for fault
 * workers; unpublish returns once no worker still looks at it. Under the
 * control lock. Publishing cannot fail: the table has a slot for every
 * bond of every container. */
void sva_mm_publish(uint32_t pasid, struct rte_sva_mm *mm);
void sva_mm_unpublish(const struct rte_sva_mm *mm);

/* The fault workers' lookup, lock-free and wait-free: enter, look up (NULL:
 * no such bond), use the mm, leave. Between enter and leave the mm is not
 * freed; the caller must not wait for anything there (an unbind waits for
 * it to leave, under the control lock). */
void sva_mm_read_enter(void);
struct rte_sva_mm *sva_mm_lookup(const struct rte_sva_backend *be, uint32_t pasid);
void sva_mm_read_leave(void);

/* ------------------------------------------ exit monitor (rte_sva_monitor.c) */

/* Watch mm's process (mm->pidfd): when it exits, mm->defunct is set.
 * @return 0; -ENOSPC; another -errno (epoll, thread). Logged. */
int sva_monitor_add(struct rte_sva_mm *mm);
/* Stop watching mm; afterwards the monitor never touches it. */
void sva_monitor_del(struct rte_sva_mm *mm);

/* --------------------------------------------------- rte_sva_fp_stub.c */

/* Point a fast-path object at the functions of an empty slot (each logs
 * and fails). */
struct rte_sva_fp_object;
void sva_fp_obj_reset(struct rte_sva_fp_object *obj);

#endif
