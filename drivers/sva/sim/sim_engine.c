/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The engine loop of the sim device: threads (or EAL lcores) that poll work
 * queues, hand each descriptor to sim_exec() (sim_exec.c: checks,
 * translation, execution, completion record) and recover from the faults
 * it takes on application memory.
 *
 * The engine touches application memory directly (zero-copy). A bad address
 * must become a device fault, not a crash: while an engine touches operation
 * buffers it is "armed", and a SIGSEGV/SIGBUS it takes then jumps back to
 * this loop (sigsetjmp in sim_engine_main()), which has the descriptor
 * completed with a page-fault status, the faulting address and the bytes
 * completed (sim_exec_fault()), counts it done and polls on. Buffers are
 * processed in chunks that never cross a page boundary, and progress is
 * recorded before each chunk, so "bytes completed" is exact at page
 * granularity.
 */

#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <sched.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memcpy.h>
#include <rte_pause.h>

#include "sim_exec.h"
#include "sim_private.h"

/* The lines a dedicated queue shares between its producer and its engine
 * (sim_private.h): the producer's indices, the doorbell and the engine's
 * index each on a line of its own, so that per descriptor the engine takes
 * only the descriptor's line, which the producer streamed to memory (and,
 * per doorbell group, the doorbell's line from the producer and a
 * record's). */
static_assert(offsetof(struct sim_queue, r) == 0 &&
	      offsetof(struct dsa_ring, write_idx) % RTE_CACHE_LINE_SIZE == 0,
	      "producer indices start a line after the ring's setup fields");
static_assert(offsetof(struct sim_queue, swq) / RTE_CACHE_LINE_SIZE >
	      (offsetof(struct dsa_ring, st_bytes) + 7) / RTE_CACHE_LINE_SIZE,
	      "sim producer fields on a line after the ring's");
static_assert(offsetof(struct sim_queue, doorbell) % RTE_CACHE_LINE_SIZE == 0 &&
	      offsetof(struct sim_queue, doorbell) / RTE_CACHE_LINE_SIZE >
	      (offsetof(struct sim_queue, ends_tail) + 1) / RTE_CACHE_LINE_SIZE,
	      "the doorbell on a line of its own");
static_assert(offsetof(struct sim_queue, eng_head) % RTE_CACHE_LINE_SIZE == 0 &&
	      offsetof(struct sim_queue, eng_head) / RTE_CACHE_LINE_SIZE >
	      offsetof(struct sim_queue, doorbell) / RTE_CACHE_LINE_SIZE,
	      "the engine's index on a line of its own");
static_assert(sizeof(struct dsa_desc) == RTE_CACHE_LINE_SIZE &&
	      RTE_CACHE_LINE_SIZE / sizeof(struct dsa_cmpl) == 2,
	      "one line per descriptor, two records per line");

#define SIM_ENGINE_BURST   32
#define SIM_IDLE_SPINS     256

/* A burst of descriptors ends: its time since e->burst_tsc (set when it
 * began) into the busy counter, rte_sva_stats.busy_ns. */
static inline void
sim_burst_end(struct sim_engine *e)
{
	rte_sva_counter_add(&e->busy_tsc, rte_rdtsc() - e->burst_tsc);
}

/* Back from a fault the engine took on process memory (via siglongjmp):
 * the descriptor's outcome (sim_exec_fault()), then the poll loop's
 * bookkeeping it left. */
static void
sim_fault_recover(struct sim_engine *e)
{
	sim_exec_fault(e);
	/* The burst ends here: its time counts as a burst's would. */
	sim_burst_end(e);
	/* The poll loop this descriptor came from was left: count it done. */
	if (e->cur_dq != NULL)
		__atomic_store_n(&e->cur_dq->eng_head, e->cur_dq->eng_head + 1,
				 __ATOMIC_RELEASE);
	else
		__atomic_store_n(&e->cur_wq->done, e->cur_wq->done + 1,
				 __ATOMIC_RELEASE);
}

static unsigned int
sim_poll_dq(struct sim_engine *e, struct sim_queue *q)
{
	uint16_t head = q->eng_head;
	uint16_t tail = __atomic_load_n(&q->doorbell, __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	e->cur_dq = q;
	e->cur_wq = NULL;
	if (head != tail) {
		/* Busy time by the burst, two TSC reads per up to
		 * SIM_ENGINE_BURST descriptors; an idle poll reads none. */
		e->burst_tsc = rte_rdtsc();
		n = sim_exec_dq(e, q, head, tail, SIM_ENGINE_BURST);
		sim_burst_end(e);
	}
	return n;
}

static unsigned int
sim_poll_sq(struct sim_engine *e, struct sim_wq *wq)
{
	uint32_t head = wq->head;
	unsigned int n = 0;

	e->cur_dq = NULL;
	e->cur_wq = wq;
	while (n < SIM_ENGINE_BURST) {
		uint32_t slot = head & wq->mask;

		if (__atomic_load_n(&wq->seq[slot], __ATOMIC_ACQUIRE) != head + 1)
			break;
		if (n == 0)
			e->burst_tsc = rte_rdtsc();
		rte_memcpy(&e->cur, &wq->slots[slot], sizeof(e->cur));
		e->curp = &e->cur;
		/* The descriptor is inside the device now: free the slot. */
		__atomic_store_n(&wq->seq[slot], head + wq->mask + 1,
				 __ATOMIC_RELEASE);
		head++;
		__atomic_store_n(&wq->head, head, __ATOMIC_RELEASE);
		sim_exec(e);
		__atomic_store_n(&wq->done, wq->done + 1, __ATOMIC_RELEASE);
		n++;
	}
	if (n != 0)
		sim_burst_end(e);
	return n;
}

static void
sim_engine_poll(struct sim_engine *e)
{
	unsigned int idle = 0;

	for (;;) {
		/* Read the run flag before the pass: a doorbell rung before
		 * stop cleared it is then seen by this pass at the latest. */
		bool stopping = !__atomic_load_n(&e->run, __ATOMIC_ACQUIRE);
		unsigned int work = 0;

		for (uint16_t i = 0; i < e->nb_dq; i++)
			work += sim_poll_dq(e, e->dq[i]);
		for (uint16_t i = 0; i < e->nb_sq; i++)
			work += sim_poll_sq(e, e->sq[i]);
		/* Quiescent point: no descriptor in flight. */
		__atomic_store_n(&e->qs_epoch, e->qs_epoch + 1, __ATOMIC_SEQ_CST);
		if (work != 0) {
			idle = 0;
			continue;
		}
		if (stopping)
			return;  /* stopping, and a full pass found nothing */
		if (++idle < SIM_IDLE_SPINS || !e->dev->args.idle_yield)
			rte_pause();
		else
			sched_yield();
	}
}

/* An engine's body, on its thread or EAL lcore, until stopped. */
int
sim_engine_main(void *arg)
{
	struct sim_engine *e = arg;

	sw_iommu_guard_bind(&e->guard);
	e->guard.phase = SIM_PHASE_IDLE;
	if (sigsetjmp(e->guard.env, 0) != 0)
		sim_fault_recover(e);
	sim_engine_poll(e);
	sw_iommu_guard_bind(NULL);
	__atomic_store_n(&e->qs_epoch, e->qs_epoch + 1, __ATOMIC_SEQ_CST);
	return 0;
}

