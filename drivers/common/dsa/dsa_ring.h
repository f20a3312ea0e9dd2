/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_DSA_RING_H
#define SVA_DSA_RING_H

/*
 * The producer side every DSA-format driver shares (sim, idxd): a ring of
 * 64-byte descriptors with one 32-byte completion record per slot, 16-bit
 * indices, in-order reaping. The drivers keep only how descriptors reach the
 * device (doorbell) and how a slot's completion is known (a hook); the
 * fast-path functions built on it are dsa_producer.h's.
 *
 *   read_idx <= submit_idx <= write_idx      (mod 2^16, distance < mask)
 *   [read_idx, submit_idx)  handed to the device, reaped in order
 *   [submit_idx, write_idx) staged, waiting for the doorbell
 *
 * Started flag (both drivers): enqueue and the doorbell work only between
 * dsa_ring_start() and dsa_ring_stop(); outside, enqueue returns -EINVAL
 * (dsa_ring_refused()) and nothing reaches the device, while reaping what
 * completed goes on. The flag is enq_limit, on the producer's own line: the
 * full check compares against it, so a stopped ring looks full and the
 * started check costs the fast path no branch of its own.
 *
 * Everything is static inline: the drivers' fast-path functions are the one
 * indirect call per operation, as the library promises.
 */

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "dsa_hw.h"
#include "rte_sva_pmd.h"

struct dsa_ring {
	/* Set at setup; read by the producer and by the device (the sim's
	 * engine: mask; ring itself is the producer's, dsa_ring_slot()). */
	struct dsa_desc *ring;
	struct dsa_cmpl *cmpl;      /* cmpl[i] belongs to ring[i] */
	uint32_t max_xfer;
	uint16_t mask;              /* nb_desc - 1, nb_desc a power of 2 */
	uint16_t qid;
	/* Producer only, on its own line: the device never misses on it. */
	alignas(RTE_CACHE_LINE_SIZE) uint16_t write_idx; /* next to fill */
	uint16_t submit_idx;        /* handed to the device up to here */
	uint16_t read_idx;          /* next to reap */
	/* mask while started, 0 while not: most ops in flight + staged. The
	 * control thread writes it (start/stop), the producer reads it. */
	uint16_t enq_limit;
	uint64_t st_submitted;
	uint64_t st_completed;
	uint64_t st_errors;
	uint64_t st_faults;
	uint64_t st_retries;
	uint64_t st_bytes;
};

/* ------------------------------------------------------------ control path */

/* Allocate ring and records for nb_desc (a power of two) slots on node.
 * 0, or -ENOMEM with nothing left allocated. */
static inline int
dsa_ring_alloc(struct dsa_ring *r, uint16_t qid, uint16_t nb_desc,
	       uint32_t max_xfer, int node)
{
	r->ring = rte_zmalloc_socket("dsa_ring", sizeof(*r->ring) * nb_desc,
				     RTE_CACHE_LINE_SIZE, node);
	r->cmpl = rte_zmalloc_socket("dsa_cmpl", sizeof(*r->cmpl) * nb_desc,
				     RTE_CACHE_LINE_SIZE, node);
	if (r->ring == NULL || r->cmpl == NULL) {
		rte_free(r->ring);
		rte_free(r->cmpl);
		r->ring = NULL;
		r->cmpl = NULL;
		return -ENOMEM;
	}
	r->mask = nb_desc - 1;
	r->qid = qid;
	r->max_xfer = max_xfer;
	return 0;
}

static inline void
dsa_ring_free(struct dsa_ring *r)
{
	rte_free(r->ring);
	rte_free(r->cmpl);
	r->ring = NULL;
	r->cmpl = NULL;
}

/* The device runs: enqueue and doorbell accepted from now on. */
static inline void
dsa_ring_start(struct dsa_ring *r)
{
	__atomic_store_n(&r->enq_limit, r->mask, __ATOMIC_RELEASE);
}

/* The device stops: enqueue and doorbell refused from now on (what the
 * producer does at the same time is the caller's to exclude). */
static inline void
dsa_ring_stop(struct dsa_ring *r)
{
	__atomic_store_n(&r->enq_limit, 0, __ATOMIC_RELEASE);
}

static __rte_always_inline bool
dsa_ring_started(const struct dsa_ring *r)
{
	return __atomic_load_n(&r->enq_limit, __ATOMIC_RELAXED) != 0;
}

/* Slots handed to the device and not yet complete-and-reaped. */
static inline uint16_t
dsa_ring_in_flight(const struct dsa_ring *r)
{
	return (uint16_t)(r->submit_idx - r->read_idx);
}

/* Read while the producer runs: what it reaped first, what it submitted
 * last, so that completed + errors <= submitted holds in the snapshot too
 * (an op is counted submitted before the device can complete it; the
 * producer stores them in that order, which x86 keeps for the loads). */
static inline void
dsa_ring_stats_add(const struct dsa_ring *r, struct rte_sva_stats *s)
{
	s->completed += rte_sva_counter_read(&r->st_completed);
	s->errors += rte_sva_counter_read(&r->st_errors);
	s->submitted += rte_sva_counter_read(&r->st_submitted);
	s->page_faults += rte_sva_counter_read(&r->st_faults);
	s->submit_retries += rte_sva_counter_read(&r->st_retries);
	s->bytes += rte_sva_counter_read(&r->st_bytes);
}

static inline void
dsa_ring_stats_reset(struct dsa_ring *r)
{
	rte_sva_counter_reset(&r->st_submitted);
	rte_sva_counter_reset(&r->st_completed);
	rte_sva_counter_reset(&r->st_errors);
	rte_sva_counter_reset(&r->st_faults);
	rte_sva_counter_reset(&r->st_retries);
	rte_sva_counter_reset(&r->st_bytes);
}

/* --------------------------------------------------------------- enqueue */

/* Free slots; 0 while not started. One slot stays empty so that a full
 * ring and an empty one have different indices. */
static __rte_always_inline uint16_t
dsa_ring_capacity(const struct dsa_ring *r)
{
	uint16_t used = (uint16_t)(r->write_idx - r->read_idx);
	uint16_t lim = __atomic_load_n(&r->enq_limit, __ATOMIC_RELAXED);

	return used < lim ? lim - used : 0;
}

/* Fetch a line for writing (PREFETCHW; a hint: never faults). DPDK's
 * x86 baseline (-march=corei7) lacks the PRFCHW flag with which GCC would
 * emit it for __builtin_prefetch(p, 1); x86-64 CPUs without the
 * instruction run it as a NOP. */
static __rte_always_inline void
dsa_prefetch_w(const void *p)
{
#if defined(RTE_ARCH_X86)
	asm volatile("prefetchw %0" : : "m" (*(const volatile char *)p));
#else
	rte_prefetch0(p);
#endif
}

/* Reserve the next slot: its descriptor, or NULL when the ring is full or
 * not started (then dsa_ring_refused() tells which). Nothing changes until
 * dsa_ring_commit(). The ring is the producer's own: the device gets each
 * descriptor by a 64-byte write (MOVDIR64B to idxd's portal, streaming
 * stores into the ring of a sim dedicated work queue, a copy into a sim
 * shared one), never by reading these lines, so they stay in the
 * producer's cache and nothing is fetched ahead. */
static __rte_always_inline struct dsa_desc *
dsa_ring_slot(const struct dsa_ring *r, uint16_t *idx)
{
	*idx = r->write_idx;
	if (unlikely((uint16_t)(*idx - r->read_idx) >=
		     __atomic_load_n(&r->enq_limit, __ATOMIC_RELAXED)))
		return NULL;
	return &r->ring[*idx & r->mask];
}

/* Out of line, DEBUG only (enqueue is the fast path, and an application
 * polling a stopped device must not flood the log): an op refused because
 * the device is not started. */
static __rte_noinline __rte_cold __rte_unused int
dsa_ring_log_stopped(int logtype, const char *name, uint16_t qid)
{
	rte_log(RTE_LOG_DEBUG, logtype, "%s: queue %u: device not started\n",
		name, qid);
	return -EINVAL;
}

/* Why dsa_ring_slot() gave no slot: -ENOSPC for a full ring (reap, then
 * retry), -EINVAL for a device not started (retrying cannot help; it is
 * also what rte_dma users get from a dmadev whose fast path they cannot
 * use). */
static __rte_always_inline int
dsa_ring_refused(const struct dsa_ring *r, int logtype, const char *name)
{
	if (likely(dsa_ring_started(r)))
		return -ENOSPC;
	return dsa_ring_log_stopped(logtype, name, r->qid);
}

static __rte_always_inline struct dsa_cmpl *
dsa_ring_cmpl(const struct dsa_ring *r, uint16_t idx)
{
	return &r->cmpl[idx & r->mask];
}

/* The completion record address a descriptor carries (a process VA:
 * the device works in our address space). */
static __rte_always_inline uint64_t
dsa_ring_cmpl_addr(const struct dsa_ring *r, uint16_t idx)
{
	return (uint64_t)(uintptr_t)dsa_ring_cmpl(r, idx);
}

/* The slot is written: it is staged for the next doorbell. */
static __rte_always_inline void
dsa_ring_commit(struct dsa_ring *r, uint16_t idx)
{
	r->write_idx = idx + 1;
}

/* ------------------------------------------------------------------- reap */

/* What the caller of dsa_ring_reap() wants per op; a constant in every
 * caller, so the inlined loop keeps only its own branch. */
enum dsa_reap_mode {
	DSA_REAP_STOP_ON_ERROR,  /* completed(): stop before a failed op */
	DSA_REAP_STATUS,         /* completed_status(): a status each */
	DSA_REAP_RESULTS,        /* completed_results(): a result each */
};

/* A driver's op_status hook returns the status byte of op idx's record,
 * read with acquire; DSA_ST_NONE while the op is in flight; or this value
 * when the op is known complete without a record of its own (the sim
 * writes records for successes only at group ends). */
#define DSA_RAW_DONE_NO_RECORD 0x100u

typedef unsigned int (*dsa_op_status_t)(const struct dsa_ring *r,
					uint16_t idx);

/*
 * Reap up to nb_cpls finished ops in order, from read_idx. Counts them in
 * the stats, hands their records back (status NONE) and advances read_idx;
 * *last_idx is the index of the last op reaped. Per mode, fills status[],
 * res[] or, at the first failed op (left unreaped), *has_error.
 * op_status must be a static inline function: with this function always
 * inlined it is called directly, not through the pointer.
 */
static __rte_always_inline uint16_t
dsa_ring_reap(struct dsa_ring *r, dsa_op_status_t op_status,
	      enum dsa_reap_mode mode, uint16_t nb_cpls, uint16_t *last_idx,
	      bool *has_error, uint16_t *status, struct rte_sva_result *res)
{
	uint16_t idx = r->read_idx, n;
	/* Counted locally, stored once: the loop keeps them in registers. */
	uint64_t completed = 0, bytes = 0, errors = 0, faults = 0;

	for (n = 0; n < nb_cpls; n++, idx++) {
		unsigned int raw = op_status(r, idx);
		struct dsa_cmpl *c = dsa_ring_cmpl(r, idx);
		bool record = raw != DSA_RAW_DONE_NO_RECORD;
		uint16_t st;

		if (raw == DSA_ST_NONE)
			break;
		if (mode == DSA_REAP_RESULTS) {
			if (record)
				dsa_cmpl_to_result(c, (uint8_t)raw,
					dsa_desc_op(&r->ring[idx & r->mask]),
					&res[n]);
			else
				res[n] = (struct rte_sva_result){
					.status = RTE_SVA_STATUS_SUCCESS };
			st = res[n].status;
		} else {
			st = record ? dsa_status_to_sva(c) :
				RTE_SVA_STATUS_SUCCESS;
			if (mode == DSA_REAP_STOP_ON_ERROR &&
			    st > RTE_SVA_STATUS_COMPARE_MISMATCH) {
				*has_error = true;
				break;
			}
			if (mode == DSA_REAP_STATUS)
				status[n] = st;
		}
		if (st <= RTE_SVA_STATUS_COMPARE_MISMATCH) {
			completed++;
			bytes += r->ring[idx & r->mask].xfer_size;
		} else {
			errors++;
			faults += st == RTE_SVA_STATUS_PAGE_FAULT;
		}
		/* Only a written record needs clearing: not touching the
		 * others keeps their lines out of the device's way. */
		if (record)
			c->status = DSA_ST_NONE;
	}
	r->read_idx = idx;
	*last_idx = (uint16_t)(idx - 1);
	if (n != 0) {
		rte_sva_counter_add(&r->st_completed, completed);
		rte_sva_counter_add(&r->st_bytes, bytes);
		if (unlikely(errors != 0)) {
			rte_sva_counter_add(&r->st_errors, errors);
			rte_sva_counter_add(&r->st_faults, faults);
		}
	}
	return n;
}

#endif /* SVA_DSA_RING_H */
