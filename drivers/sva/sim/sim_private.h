/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_SIM_PRIVATE_H
#define SVA_SIM_PRIVATE_H

/*
 * The software SVA device ("sva_sim"): a model of a DSA-like accelerator with
 * its own software IOMMU.
 *
 *   producer lcore                       engine thread (another core)
 *   --------------                       ----------------------------
 *   sim_queue.r.ring[] 64 B descriptors,   dedicated WQ: read dring up to
 *   built there; each copied to dring[]    doorbell;
 *   in one 64 B streaming write -------->
 *   doorbell (sfence, release store)
 *                                        shared WQ: slots taken with CAS by
 *   sim_wq (shared) <-- ENQCMD-style --    many producers, seq per slot
 *   push, refused when full                 |  (sim_engine.c)
 *                                           v
 *                                        checks before any access
 *                                        (sim_check.h)
 *                                           |
 *                                           v
 *                                        sim_iommu: PASID table entry;
 *                                        sim_xlat: address width,
 *                                        translation cache, page walk,
 *                                        page requests (sim_pri.c)
 *                                           |
 *                                           v
 *                                        execute on process VAs, guarded:
 *                                        a SIGSEGV/SIGBUS becomes a fault
 *   sim_queue.cmpl[] 32 B records  <--   completion record, status last
 *                                        (sim_exec.c)
 *
 * Queue state machine: set up (stopped) -> started (engine polls) ->
 * stopped (engine drained every submitted descriptor, then exited).
 */

#include <pthread.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include "dsa_hw.h"
#include "dsa_ring.h"
#include "sw_iommu.h"
#include "rte_sva_pmd.h"

#define SIM_DRIVER_NAME     sva_sim
#define SIM_MAX_QUEUES      RTE_SVA_MAX_QUEUES
#define SIM_MAX_WQS         8
#define SIM_MAX_ENGINES     8
#define SIM_MIN_DESC        32
#define SIM_MAX_DESC        4096
#define SIM_DEFAULT_WQ_SIZE 128
#define SIM_PAGE_SIZE       4096u
#define SIM_ADDR_WIDTH      47     /* x86-64 user space, 4-level paging */
#define SIM_MP_QUEUES       64     /* secondaries' queues per device */

/* ----------------------------------------------------------- software IOMMU */

#define SIM_PASID_LEAF_BITS 9
#define SIM_PASID_LEAF_SIZE (1u << SIM_PASID_LEAF_BITS)
#define SIM_PASID_DIR_SIZE  ((1u << RTE_SVA_PASID_BITS_MAX) / SIM_PASID_LEAF_SIZE)

/* One PASID-table entry. */
struct sim_pasid_entry {
	struct rte_sva_mm *mm;     /* NULL: not present */
	uint32_t refuse;           /* set by detach: complete as ABORTED */
	uint32_t atc_used;         /* the translation cache holds entries */
};

/* Translation cache (the device IOTLB / ATC) entries: its format and use
 * are in sim_xlat.h. */
#define SIM_ATC_BITS 12
#define SIM_ATC_SIZE (1u << SIM_ATC_BITS)

/* Two-level PASID table (a directory of 512-entry leaves), as the PASID
 * tables of VT-d and SMMUv3, so 20-bit PASIDs cost memory only where used. */
struct sim_iommu {
	struct sim_pasid_entry *dir[SIM_PASID_DIR_SIZE];
	uint32_t nb_attached;
	int pagemap_fd;            /* /proc/self/pagemap, or -1 */
	uint64_t invalidations;
	uint32_t hint_gen;         /* bumped by every clear: engines' absent hints */
	uint64_t atc[SIM_ATC_SIZE];
};

/* ------------------------------------------------------------------ queues */

struct sim_dev;
struct sim_wq;

/* One API queue: owned by a single producer thread. Fields are grouped by
 * who writes them, one cache line each, so the engine never reads a line
 * the producer keeps writing. */
struct sim_queue {
	/* The producer state shared with the idxd driver (dsa_ring.h):
	 * setup line, then the producer's line. */
	struct dsa_ring r;

	/* Producer-only, sim specific. */
	alignas(RTE_CACHE_LINE_SIZE) struct sim_wq *swq; /* or NULL: dedicated */
	uint16_t *ends;             /* FIFO of group-end indices */
	uint16_t submit_target;     /* submission asked up to here */
	/* Completion tracking: only the last descriptor of each doorbell
	 * asks for a record (RCR); the others write one only on failure. So
	 * ops before a finished group end are done, records or not. */
	uint16_t done_idx;          /* ops before it are known complete */
	uint16_t ends_head, ends_tail;
	uint16_t posted;            /* dedicated WQ: ops before it are in dring */

	/* Producer-written, engine-read: the doorbell (dedicated WQ), and
	 * the ring the engine reads, set at setup: the descriptors as
	 * MOVDIR64B would put them in a device's work queue, written whole
	 * with streaming stores (sim_fastpath.c). The producer builds each in
	 * r.ring first, which stays its own (the group-end mark, the reap's
	 * byte count), as a hardware driver's ring does. */
	alignas(RTE_CACHE_LINE_SIZE) uint16_t doorbell;
	struct dsa_desc *dring;

	/* Engine-written. */
	alignas(RTE_CACHE_LINE_SIZE) uint16_t eng_head;
	/* Fence scope of the doorbell group being executed (enum
	 * sim_grp_state), engine-only: a shared WQ's queues are all served
	 * by the one engine of that WQ. */
	uint8_t eng_grp;
} __rte_cache_aligned;

/* A shared work queue: many producers, one engine, ENQCMD-like. Each slot
 * has a sequence number (Vyukov-style bounded MPSC queue): slot i is free for
 * position p when seq == p, holds a descriptor when seq == p + 1. */
struct sim_wq {
	struct dsa_desc *slots;
	uint32_t *seq;
	uint32_t mask;
	uint16_t wq_id;
	uint16_t nb_attached;
	alignas(RTE_CACHE_LINE_SIZE) uint32_t tail;  /* producers, CAS */
	alignas(RTE_CACHE_LINE_SIZE) uint32_t head;  /* engine: slots taken */
	uint32_t done;             /* engine: descriptors taken and completed */
} __rte_cache_aligned;

/* Whether d came from queue sq on shared WQ wq: d's completion record is
 * in sq's completion ring (the fence scope's owner, sim_fence.c; the
 * secondaries' queues too, sim_mp.c). */
static inline bool
sim_queue_holds(const struct sim_queue *sq, const struct sim_wq *wq,
		const struct dsa_desc *d)
{
	return sq->swq == wq && d->cmpl_addr - (uintptr_t)sq->r.cmpl <
		((uint64_t)sq->r.mask + 1) * sizeof(struct dsa_cmpl);
}

/* --------------------------------------------------------------- engines */

/* What executing a descriptor produced, before it becomes a record. */
struct sim_outcome {
	uint8_t status;
	uint8_t result;
	uint32_t bytes;
	uint64_t fault_addr;
	uint64_t crc;
};

enum sim_phase {
	SIM_PHASE_IDLE = 0,
	SIM_PHASE_DATA,        /* touching operation buffers */
	SIM_PHASE_CMPL,        /* writing the completion record */
};

/* Fence scope of a queue's doorbell group (the descriptors up to the next
 * one that asks for a completion record, see sim_engine.c). */
enum sim_grp_state {
	SIM_GRP_OK = 0,
	SIM_GRP_FAILED,        /* a descriptor of the group failed */
	SIM_GRP_ABANDON,       /* a fence met that failure: the rest is ABORTED */
};

struct sim_engine {
	struct sim_dev *dev;
	unsigned int id;
	int cpu;                  /* pinned CPU, or -1 */
	int lcore;                /* EAL lcore, or -1 for an own thread */
	pthread_t thread;
	bool thread_live;
	uint32_t run;             /* 1 while the device is started */
	uint16_t nb_dq;
	uint16_t nb_sq;
	struct sim_queue *dq[SIM_MAX_QUEUES];
	struct sim_wq *sq[SIM_MAX_WQS];

	/* State of the descriptor being executed, in memory so the fault
	 * handler's longjmp finds it. */
	alignas(RTE_CACHE_LINE_SIZE) struct dsa_desc cur; /* shared WQ copy */
	const struct dsa_desc *curp;    /* descriptor being executed: its record */
	const struct dsa_desc *datap;   /* what the data stage runs: curp or &pfx */
	struct sim_queue *cur_dq;       /* dedicated WQ it came from, or NULL */
	struct sim_wq *cur_wq;          /* shared WQ it came from, or NULL */
	struct sim_pasid_entry *cur_pe;
	volatile uint32_t progress;     /* bytes done before the current chunk */
	volatile uint8_t descending;
	volatile uint8_t precise;       /* page-sized chunks (see engine) */
	volatile uint8_t overlap_run;   /* overlapping copy: no re-run */
	volatile uint8_t prq_retried;   /* permission fault resolved once */
	volatile uint8_t part;          /* datap is the part before a fault (pend) */
	volatile uint8_t from_end;      /* ...the tail of a descending copy */
	uint16_t nb_grp_dirty;          /* queues not in SIM_GRP_OK */
	struct sim_outcome pend;        /* part: the outcome once it has run */
	struct sw_iommu_guard guard;     /* phase: enum sim_phase */

	uint8_t *bounce;                /* 2 x SIM_FOREIGN_CHUNK, foreign bonds */

	/* Pages a walk of our own address space found absent just after the
	 * one it was for (sim_xlat.c): engine-only. */
	struct sim_absent_hint {
		uint64_t vpn;           /* bit i: page vpn + i absent */
		uint32_t bits;
		uint32_t pasid;
		uint32_t gen;           /* sim_iommu.hint_gen when walked */
	} absent;

	/* Counters: written by the engine only (rte_sva_counter_add()), read
	 * by any thread (rte_sva_counter_read()). */
	uint64_t executed;
	uint64_t faults;
	uint64_t sw_errors;             /* descriptors with no usable record */
	uint64_t atc_hits;
	uint64_t atc_misses;
	uint64_t busy_tsc;              /* TSC cycles spent executing bursts */
	uint64_t burst_tsc;             /* when the burst being run began */
	/* Page request group in flight (one per engine: its grpid is the
	 * engine id). Written by the responder, so on its own line: packs
	 * generation (cookie) << 8 | response code << 2 | state. */
	alignas(RTE_CACHE_LINE_SIZE) uint64_t prq_word;
	uint32_t prq_abort;             /* set by stop: answer waits INVALID */
	alignas(RTE_CACHE_LINE_SIZE) struct dsa_desc pfx; /* a part run (datap) */
	/* Bumped at every quiescent point (no descriptor in flight), so
	 * PASID detach can wait for engines to stop using an entry. */
	alignas(RTE_CACHE_LINE_SIZE) uint64_t qs_epoch;
} __rte_cache_aligned;

/* ----------------------------------------------------------------- device */

struct sim_devargs {
	uint16_t max_queues;
	uint16_t max_wqs;
	uint16_t max_desc;
	uint32_t max_xfer;
	uint8_t pasid_bits;
	uint8_t nb_engines;
	int engine_cpu[SIM_MAX_ENGINES];
	int engine_lcore[SIM_MAX_ENGINES];
	uint8_t nb_cpus;
	uint8_t nb_lcores;
	int numa_node;
	bool idle_yield;
	bool overlap;
	bool atc;                /* consult the translation cache per page */
	bool pri;                /* raise page requests for absent pages */
	bool prq_all_misses;     /* ...and for every translation miss */
	uint32_t fq_size;        /* fault queue records */
	uint32_t prq_timeout_ms; /* then the device answers INVALID itself */
};

struct sim_dev {
	struct rte_sva_dev *sva;        /* back pointer */
	struct sim_devargs args;
	uint16_t nb_queues;          /* configured */
	uint16_t fp_nb_queues;       /* visible to the fast path: set at start */
	struct sim_queue *queues[SIM_MAX_QUEUES];
	struct sim_wq *wqs[SIM_MAX_WQS];
	struct sim_engine *engines[SIM_MAX_ENGINES];
	uint8_t nb_engines;
	bool started;
	/* Queues of secondary processes on our shared WQs, with their
	 * owners (primary only, sim_mp.c): fence scopes live there too. */
	struct sim_queue *mp_queues[SIM_MP_QUEUES];
	int mp_queue_pid[SIM_MP_QUEUES];
	struct sim_iommu iommu;
};

#define SIM_FOREIGN_CHUNK   65536u

/* sim_devargs.c: fill *a from the vdev's args (defaults for what is not
 * given). 0, or -EINVAL after a log line naming the device, key and reason. */
int sim_devargs_parse(const char *name, const char *args, struct sim_devargs *a);

/* sim_fastpath.c */
void sim_fastpath_install(struct rte_sva_fp_object *obj);

/* sim_engine.c: an engine's body, on its thread or EAL lcore, until
 * stopped. */
int sim_engine_main(void *arg);

/* sim_exec.c: run the descriptor e->curp to its completion record (the
 * engine's per-descriptor call); after a fault the data stage took, decide
 * its outcome (may run the data stage again, and fault again). */
void sim_exec(struct sim_engine *e);
void sim_exec_fault(struct sim_engine *e);

/* sim_lifecycle.c */
int sim_engines_start(struct sim_dev *sd);
void sim_engines_stop(struct sim_dev *sd);
void sim_engines_quiesce(struct sim_dev *sd);
void sim_engines_drain(struct sim_dev *sd);

/* sim_crc.c (sim_crc.h) */
uint32_t sim_crc32c_update(uint32_t crc, const uint8_t *p, uint32_t n);

/* sim_fence.c: the fence scope of the queue d came from. */
bool sim_fence_abandon(struct sim_engine *e, const struct dsa_desc *d);
void sim_fence_track(struct sim_engine *e, const struct dsa_desc *d, uint8_t status);

/* sim_pri.c */
#define SIM_PRQ_IDLE     0u
#define SIM_PRQ_WAITING  1u
#define SIM_PRQ_ANSWERED 2u
bool sim_pri_translate(struct sim_engine *e, struct sim_pasid_entry *pe,
		       struct rte_sva_mm *mm,
		       const struct dsa_desc *d, struct sim_outcome *o,
		       uint32_t *done);
int sim_pri_response(struct sim_dev *sd, const struct rte_sva_page_response *r);
bool sim_pri_permission_fault(struct sim_engine *e);

/* sim_foreign.c */
void sim_exec_foreign(struct sim_engine *e, const struct dsa_desc *d,
		      struct rte_sva_mm *mm, struct sim_outcome *o);

/* sim_mp.c: the probe of a secondary process (attach to the primary's
 * device, or fail saying why); in the primary, serving secondaries'
 * attach requests, and whether one is attached to sd (then what would
 * free memory they use is refused: logged, naming what). */
struct rte_vdev_device;
int sim_mp_probe_secondary(struct rte_vdev_device *vdev);
void sim_mp_serve_secondaries(void);
bool sim_mp_busy(const struct sim_dev *sd, const char *what);
/* The fence scope of the secondary's queue on wq whose completion ring
 * holds d's record, or NULL (engines, lock-free). */
uint8_t *sim_mp_grp_state(const struct sim_dev *sd, const struct sim_wq *wq,
			  const struct dsa_desc *d);

/* sim_probe.c: ops a secondary's device shares with the primary's. */
int sim_info_get(const struct rte_sva_dev *dev, struct rte_sva_info *info);
int sim_stats_get(const struct rte_sva_dev *dev, uint16_t qid,
		  struct rte_sva_stats *stats);
int sim_stats_reset(struct rte_sva_dev *dev, uint16_t qid);
int sim_dump(const struct rte_sva_dev *dev, FILE *f);
int sim_queue_idle(const struct rte_sva_dev *dev, uint16_t qid);
void sim_queue_free_new(struct sim_queue *q);

/* sim_iommu.c */
int sim_iommu_attach(struct sim_dev *sd, uint32_t pasid, struct rte_sva_mm *mm);
int sim_iommu_detach(struct sim_dev *sd, uint32_t pasid);
void sim_iommu_release(struct sim_dev *sd);

/* The PASID-table entry of pasid, or NULL; lock-free (engines). */
static __rte_always_inline struct sim_pasid_entry *
sim_iommu_lookup(struct sim_iommu *io, uint32_t pasid)
{
	struct sim_pasid_entry *leaf =
		__atomic_load_n(&io->dir[pasid >> SIM_PASID_LEAF_BITS],
				__ATOMIC_ACQUIRE);

	if (leaf == NULL)
		return NULL;
	return &leaf[pasid & (SIM_PASID_LEAF_SIZE - 1)];
}

extern int sim_logtype;
#define SIM_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, sim_logtype, "sva_sim: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* SVA_SIM_PRIVATE_H */
