/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_FAULT_PRIV_H
#define RTE_SVA_FAULT_PRIV_H

/*
 * Library-internal: the fault queue and its open page-request groups, as
 * shared by rte_sva_fault.c (queue, groups, rte_sva_fault_process()),
 * rte_sva_fault_resolve.c (handlers), rte_sva_fault_worker.c (lcore
 * worker, service) and rte_sva_fault_stats.c (counters).
 */

#include <stdbool.h>
#include <stdint.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"

#define FQ_GROUPS       1024   /* open-group table slots (power of two) */
#define FQ_GROUP_PROBE  16     /* slots a (PASID, group id) may occupy */
#define FQ_BURST        32
#define FQ_DISCARDS     64     /* pending discard requests */

/* One open page-request group: its records came, its LAST_PAGE not yet.
 * Consumer side only (under rte_sva_fault_queue::busy). */
struct fq_group {
	uint32_t pasid;
	uint32_t grpid;
	uint32_t cookie;        /* of its first record: a new one is a new group */
	uint8_t open;
	uint8_t code;           /* worst answer so far */
	uint64_t tsc;           /* when its first record was raised */
};

struct fq_pasid {
	uint32_t pasid;             /* 0: free (PASID 0 is never bound) */
	struct rte_sva_fault_pasid_stats st;
};

/* A request to discard partial groups (RTE_SVA_FAULT_ANY: any), to be
 * applied where it came in the stream of records: once the consumer has
 * taken every record enqueued before it (ring position upto). */
struct fq_discard {
	uint32_t pasid;
	uint32_t grpid;
	uint32_t upto;
};

struct rte_sva_fault_queue {
	struct rte_ring *ring;       /* fault records: MP enqueue, SC dequeue */
	struct rte_ring *discards;   /* struct fq_discard: any thread -> consumer */
	uint32_t discard_all;        /* the discard ring was full: discard all */
	uint32_t busy;               /* a consumer is in process() */
	uint32_t size;
	uint32_t hwm;
	uint64_t queue_full;
	uint64_t stale;
	uint64_t late_dropped;       /* responses dropped because of a close */
	uint64_t device_invalid;
	uint64_t err_log_tsc;        /* last delivery error logged */
	char name[RTE_SVA_NAME_MAX_LEN];
	struct rte_sva_fault_stats st; /* consumer-side counters */
	/* Discards taken from the discard ring whose position the consumer
	 * has not reached yet (consumer side). */
	uint32_t nb_pending;
	uint32_t nb_open;            /* open groups in grp[] (consumer side) */
	struct fq_discard pending[FQ_DISCARDS];
	struct fq_group grp[FQ_GROUPS];
	struct fq_pasid pasids[RTE_SVA_FAULT_PASIDS_TRACKED];
};

struct rte_sva_dev;

/* rte_sva_fault.c. One poll of a device, without the public function's log
 * lines (a worker polls every device, with a fault queue or not). */
int sva_fault_process_dev(struct rte_sva_dev *dev, uint16_t max);

/* rte_sva_fault_resolve.c: the page requests of one burst, resolved
 * between begin and end (one entry to the address spaces' read side and
 * one lookup per PASID for the burst, not per request); one page of a
 * request (RTE_SVA_PAGE_RESP_*); the unrecoverable-fault callback. */
struct sva_resolve_ctx {
	const struct rte_sva_backend *be;
	struct rte_sva_mm *mm;       /* of pasid, valid while held */
	uint32_t pasid;
	uint32_t around;
	bool held;                   /* inside sva_mm_read_enter() */
};
void sva_fault_resolve_begin(struct sva_resolve_ctx *c, const struct rte_sva_dev *dev);
int sva_fault_resolve_page(struct sva_resolve_ctx *c, const struct rte_sva_fault *f);
void sva_fault_resolve_end(struct sva_resolve_ctx *c);
void sva_fault_unrecov_notify(const struct rte_sva_fault *f);
/* rte_sva_fault_resolve.c, under the control lock (rte_sva_advise.c):
 * whether [start, start + len) overlaps a handler's range, and where that
 * range starts. */
bool sva_fault_handler_overlaps(uint64_t start, uint64_t len, uint64_t *hstart);

/* rte_sva_fault_stats.c: the round trip of one answered group, from its
 * first request's tsc to now (a TSC value read once per delivery). */
void sva_fault_hist_add(struct rte_sva_fault_stats *st, uint64_t tsc, uint64_t now);

#endif
