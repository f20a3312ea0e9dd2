/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Page requests (PCIe PRI) of the sim device: the protocol (groups, the
 * wait for the response, rounds); the translation pass that finds the
 * pages is sim_xlat_pages(). Before executing a descriptor the engine
 * translates every page the operation touches: a
 * translation-cache hit is a present page; a miss walks the bound address
 * space's page table (/proc/self/pagemap, or the /proc/pid/pagemap a
 * foreign bond opened). In a foreign address space, pages the access may
 * not reach (unmapped, read-only for a write, PROT_NONE) are requested too,
 * as an IOMMU raises a request on a permission fault; in our own they are
 * found when the access faults (sim_pri_permission_fault()). Absent pages
 * form one page request group (grpid = engine id, LAST_PAGE on the last
 * record) in the device's fault queue, in the order the operation reaches them. With
 * block-on-fault the engine waits for the group's response and retries;
 * without it, or when the answer is not SUCCESS (then after one more walk,
 * raising nothing), the descriptor executes up to the first page still
 * absent and completes PAGE_FAULT with that address and the bytes
 * completed (an overlapping copy with the destination above runs from the
 * end: up to the absent page nearest the end, its bytes counted from
 * there, result bit 0 set).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include "sim_xlat.h"

#define SIM_PRI_ROUNDS    8    /* SUCCESS answers before executing anyway */

static __rte_always_inline uint64_t
prq_pack(uint64_t gen, uint32_t code, uint32_t state)
{
	return gen << 8 | (uint64_t)code << 2 | state;
}

/* Stop, unbind, or the bound process exited: nobody may answer any more. */
static bool
prq_aborted(const struct sim_engine *e, const struct sim_pasid_entry *pe,
	    const struct rte_sva_mm *mm)
{
	return __atomic_load_n(&e->prq_abort, __ATOMIC_ACQUIRE) ||
		__atomic_load_n(&pe->refuse, __ATOMIC_ACQUIRE) ||
		__atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE);
}

/* Raise one group and wait for its single response, prq_timeout_ms at
 * most from the first record on: waiting for room in a full fault queue
 * counts too, so a queue nobody serves cannot hold the engine for ever.
 *
 * Every record of a group carries the same (PASID, grpid = engine id,
 * cookie = low 32 bits of the engine's group generation, new per group),
 * the last one LAST_PAGE. When the device gives up on a group (timeout,
 * stop, unbind, exit) part way through reporting it, it reports no more of
 * it: the records already queued form a partial group without LAST_PAGE,
 * and the engine's next group has the next cookie. Whatever response
 * carries a closed group's cookie is dropped as stale. */
static uint32_t
prq_round_trip(struct sim_engine *e, struct sim_pasid_entry *pe,
	       const struct rte_sva_mm *mm, const struct dsa_desc *d,
	       const struct sim_xlat_miss *m, unsigned int n)
{
	struct rte_sva_dev *dev = e->dev->sva;
	uint64_t gen = (__atomic_load_n(&e->prq_word, __ATOMIC_RELAXED) >> 8) + 1;
	uint64_t waiting = prq_pack(gen, 0, SIM_PRQ_WAITING), w;
	uint64_t deadline = rte_rdtsc() +
		e->dev->args.prq_timeout_ms * (rte_get_tsc_hz() / 1000);

	__atomic_store_n(&e->prq_word, waiting, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < n; i++) {
		struct rte_sva_fault f = {
			.type = RTE_SVA_FAULT_PAGE_REQ,
			.flags = RTE_SVA_FAULT_F_PASID_VALID |
				(i == n - 1 ? RTE_SVA_FAULT_F_LAST_PAGE : 0),
			.pasid = dsa_desc_pasid(d),
			.grpid = e->id,
			.perm = m[i].perm,
			.addr = m[i].page,
			.cookie = (uint32_t)gen,
			.dev_id = dev->dev_id,
			.tsc = rte_rdtsc(),
		};

		/* A full queue holds the device back (nothing is dropped),
		 * until the group's deadline. */
		while (rte_sva_pmd_fault_report(dev, &f) == -ENOSPC) {
			if (prq_aborted(e, pe, mm) || rte_rdtsc() > deadline)
				goto device_answers;
			rte_pause();
		}
	}
	for (;;) {
		w = __atomic_load_n(&e->prq_word, __ATOMIC_ACQUIRE);
		if ((w & 3) == SIM_PRQ_ANSWERED)
			return (uint32_t)(w >> 2) & 0x3f;
		if (prq_aborted(e, pe, mm) || rte_rdtsc() > deadline)
			break;
		rte_pause();
	}
device_answers:
	/* Stop, unbind, exit or timeout: the device completes the group INVALID
	 * itself, unless the response slipped in first. A later response
	 * finds the group closed and is dropped as stale. */
	w = waiting;
	if (!__atomic_compare_exchange_n(&e->prq_word, &w,
					 prq_pack(gen, RTE_SVA_PAGE_RESP_INVALID,
						  SIM_PRQ_IDLE),
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return (uint32_t)(w >> 2) & 0x3f;
	rte_sva_pmd_fault_event(dev, RTE_SVA_FAULT_EV_DEVICE_INVALID);
	return RTE_SVA_PAGE_RESP_INVALID;
}

int
sim_pri_response(struct sim_dev *sd, const struct rte_sva_page_response *r)
{
	struct sim_engine *e;
	uint64_t w;

	if (r->grpid >= sd->nb_engines)
		goto stale;
	e = sd->engines[r->grpid];
	w = prq_pack(r->cookie, 0, SIM_PRQ_WAITING);
	/* The cookie is the low 32 bits of the generation. */
	w |= (__atomic_load_n(&e->prq_word, __ATOMIC_ACQUIRE) >> 40) << 40;
	if (__atomic_compare_exchange_n(&e->prq_word, &w,
					prq_pack(w >> 8, r->code & 0x3f, SIM_PRQ_ANSWERED),
					false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return 0;
stale:
	rte_sva_pmd_fault_event(sd->sva, RTE_SVA_FAULT_EV_STALE_RESPONSE);
	return 0;
}

/* Translate every page of d's buffers; with block-on-fault, raise the
 * missing ones as a group and wait for its answer (at most SIM_PRI_ROUNDS
 * times). False: every page is there, execute. True: o holds the outcome
 * (a page fault at the first page still missing, *done the bytes before
 * it; or a PASID / translation failure, *done 0). */
bool
sim_pri_translate(struct sim_engine *e, struct sim_pasid_entry *pe,
		  struct rte_sva_mm *mm, const struct dsa_desc *d,
		  struct sim_outcome *o, uint32_t *done)
{
	struct sim_xlat_miss m[SIM_XLAT_MISS_MAX];
	bool bof = (dsa_desc_flags(d) & DSA_FLAG_BOF) != 0;
	bool refused = false;

	for (unsigned int round = 0;; round++) {
		unsigned int n;

		/* Answered SUCCESS every round yet still absent (reclaimed at
		 * once?): execute; the CPU's own faults bring the pages in. */
		if (round == SIM_PRI_ROUNDS && !refused)
			return false;
		if (sim_xlat_pages(e, mm, d,
				   e->dev->args.prq_all_misses && round == 0,
				   bof && round == 0, m, &n, o) != 0) {
			*done = 0;
			return true;
		}
		if (n == 0)
			return false;
		if (bof && !refused) {
			/* Not SUCCESS: walk once more, raising nothing. The
			 * worker may have resolved some of the group; the
			 * fault is the first page still missing. */
			refused = prq_round_trip(e, pe, mm, d, m, n) !=
				RTE_SVA_PAGE_RESP_SUCCESS;
			if (!refused && mm->self)
				sim_xlat_answered(e, dsa_desc_pasid(d), m, n);
			/* Not answered SUCCESS (nobody serving the queue?):
			 * walk every page again until one is. */
			if (refused)
				e->absent.bits = 0;
			continue;
		}
		o->status = (bof ? DSA_ST_PAGE_FAULT_IR : DSA_ST_PAGE_FAULT_NOBOF) |
			(m[0].perm & RTE_SVA_PERM_WRITE ? DSA_ST_WRITE : 0);
		o->fault_addr = m[0].addr;
		o->result = sim_xlat_descending(d);   /* DSA: result bit 0 = descending */
		*done = m[0].done;
		return true;
	}
}

/* A fault taken while executing on a present page (the access lacked the
 * permission, e.g. a write to a read-only page): with block-on-fault, ask
 * for that page with the permission the access needed. True when the
 * answer is SUCCESS and the descriptor may simply run again. */
bool
sim_pri_permission_fault(struct sim_engine *e)
{
	const struct dsa_desc *d = e->curp;
	struct sim_pasid_entry *pe = e->cur_pe;
	uint64_t page = e->guard.fault_addr & ~(uint64_t)(SIM_PAGE_SIZE - 1);
	uint32_t perm = e->guard.fault_write ? RTE_SVA_PERM_WRITE : RTE_SVA_PERM_READ;
	struct rte_sva_mm *mm;

	if (!e->dev->args.pri || !(dsa_desc_flags(d) & DSA_FLAG_BOF) ||
	    e->prq_retried || e->overlap_run)
		return false;
	mm = __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE);
	if (mm == NULL || !mm->self)
		return false;
	return prq_round_trip(e, pe, mm, d,
			      &(struct sim_xlat_miss){ .page = page, .perm = perm }, 1) ==
		RTE_SVA_PAGE_RESP_SUCCESS;
}
