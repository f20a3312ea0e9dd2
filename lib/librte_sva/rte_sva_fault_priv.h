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

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_pmd.h"

#define FQ_GROUPS       1024   /* open-group table slots (power of two) */
#define FQ_GROUP_PROBE  16     /* slots a (PASID, group id) may occupy */
#define FQ_BURST        32
#define FQ_DISCARDS     64     /* pending discard requests */

/*
 * The histograms, as the consumer counts them: one slot per bucket of
 * rte_sva_fault_hist_bucket_ns() and, past the last bucket (2^34 ns up),
 * the slots the same formula gives any 64-bit time, so that counting
 * needs no clamp; sva_hist_read() folds those into the last bucket.
 */
#define SVA_HIST_SLOTS (8 * 60 + 16)

/*
 * The slot of a time in ns (rte_sva_fault_hist_bucket_ns() is the
 * inverse): s, the octave above [0, 16), from one clz; the value's top
 * four bits (8..15) shifted down by s pick one of the octave's eight
 * buckets. Below 16 ns, s is 0 and the slot is ns itself. No branch;
 * at most 8 * 60 + 15 (s <= 60).
 */
static inline unsigned int
sva_hist_slot(uint64_t ns)
{
	unsigned int s = 60 - (unsigned int)__builtin_clzll(ns | 8);

	return (s << 3) + (unsigned int)(ns >> s);
}

/*
 * Count the time from TSC value from to TSC value to in slots (of
 * SVA_HIST_SLOTS). ns = cycles * mul >> 32 (mul:
 * rte_sva_fault_queue::tsc_ns_mul): a multiply instead of a 64-bit
 * division, rounded down (off by less than a part in 2^30 for a TSC up
 * to 4 GHz). The 128-bit product's top half fits 64 bits for any TSC of
 * 1 GHz or more; of a slower one, after centuries. A TSC read on another
 * CPU (the device's record) may lie a little ahead of ours: 0 then.
 */
static __rte_always_inline void
sva_hist_count(uint64_t *slots, uint64_t mul, uint64_t from, uint64_t to)
{
	uint64_t cyc = to > from ? to - from : 0;
	uint64_t ns = (uint64_t)(((unsigned __int128)cyc * mul) >> 32);

	rte_sva_counter_add(&slots[sva_hist_slot(ns)], 1);
}

/* A histogram's RTE_SVA_FAULT_HIST_BUCKETS buckets from its slots (any
 * thread: the consumer may be counting meanwhile). */
static inline void
sva_hist_read(uint64_t *dst, const uint64_t *slots)
{
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		dst[i] = rte_sva_counter_read(&slots[i]);
	for (unsigned int i = RTE_SVA_FAULT_HIST_BUCKETS; i < SVA_HIST_SLOTS; i++)
		dst[RTE_SVA_FAULT_HIST_BUCKETS - 1] += rte_sva_counter_read(&slots[i]);
}

/* The counters the consumer of a fault queue adds to
 * (rte_sva_counter_*()): those of struct rte_sva_fault_stats that are
 * its, by the same names, and the histograms' slots. Only uint64_t, so
 * that a reset can zero it counter by counter as an array. */
struct fq_counters {
	uint64_t requests;
	uint64_t groups;
	uint64_t resp_success;
	uint64_t resp_invalid;
	uint64_t resp_failure;
	uint64_t resp_errors;
	uint64_t partial_discarded;
	uint64_t unrecoverable[RTE_SVA_FAULT_REASON_NB];
	uint64_t hist[SVA_HIST_SLOTS];         /* round trip per group */
	uint64_t resolve_hist[SVA_HIST_SLOTS]; /* resolve per page */
};

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
	uint64_t tsc_ns_mul;         /* ns = TSC cycles * this >> 32 */
	char name[RTE_SVA_NAME_MAX_LEN];
	struct fq_counters st;       /* consumer-side counters */
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

#endif
