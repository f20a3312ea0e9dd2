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

#include <pthread.h>
#include <sched.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_prefetch.h>

#include "sim_private.h"

#define SIM_ENGINE_BURST   32
#define SIM_IDLE_SPINS     256
/* How far ahead the engine fetches, in descriptors: their lines (written
 * by the producer's core: a cross-core transfer, measured at 136-454 ns
 * on a 2-vCPU VM, where a 64-byte copy takes ~20 ns) and the
 * completion-record lines of those that will write one. */
#define SIM_DESC_AHEAD     16
#define SIM_CMPL_AHEAD     8

/* Fetch a line for writing (PREFETCHW; a hint: never faults). The
 * driver's baseline (-march=corei7) lacks the PRFCHW flag, with which GCC
 * would emit it for __builtin_prefetch(p, 1), but x86-64 CPUs without the
 * instruction run it as a NOP. */
static __rte_always_inline void
sim_prefetch_w(const void *p)
{
#if defined(RTE_ARCH_X86)
	asm volatile("prefetchw %0" : : "m" (*(const volatile char *)p));
#else
	rte_prefetch0(p);
#endif
}

/* Back from a fault the engine took on process memory (via siglongjmp):
 * the descriptor's outcome (sim_exec_fault()), then the poll loop's
 * bookkeeping it left. */
static void
sim_fault_recover(struct sim_engine *e)
{
	sim_exec_fault(e);
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
	while (head != tail && n < SIM_ENGINE_BURST) {
		/* Descriptors of a dedicated WQ stay put until reaped, so the
		 * engine reads them in place. Fetch ahead: the ring lines and
		 * the source of the next operation come from the producer's
		 * core. */
		uint16_t ahead = (uint16_t)(tail - head);

		/* Never prefetch past the doorbell: those lines are the
		 * producer's to write next, and taking them costs it an RFO. */
		if (ahead > SIM_DESC_AHEAD)
			rte_prefetch0(&q->r.ring[(uint16_t)(head + SIM_DESC_AHEAD) &
						 q->r.mask]);
		/* A descriptor that will write its completion record (a
		 * group end, a CRC): the record's line was last written by
		 * the producer (it clears a status when it reaps), so ask
		 * for it now; the transfer then overlaps the operations in
		 * between instead of holding up the record's stores. Only
		 * those: taking the line of a record that stays unwritten
		 * would cost the producer a miss when it polls it. */
		if (ahead > SIM_CMPL_AHEAD) {
			const struct dsa_desc *f = &q->r.ring[(uint16_t)(head + SIM_CMPL_AHEAD) &
							     q->r.mask];

			if (f->flags_op & DSA_FLAG_RCR)
				sim_prefetch_w((const void *)(uintptr_t)f->cmpl_addr);
		}
		if (ahead > 1)
			rte_prefetch0((const void *)(uintptr_t)
				      q->r.ring[(uint16_t)(head + 1) & q->r.mask].src);
		e->curp = &q->r.ring[head & q->r.mask];
		sim_exec(e);
		head++;
		n++;
		__atomic_store_n(&q->eng_head, head, __ATOMIC_RELEASE);
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

