/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Page requests (PCIe PRI) of the sim device. Before executing a descriptor
 * the engine translates every page the operation touches: a
 * translation-cache hit is a present page; a miss walks the bound address
 * space's page table (/proc/self/pagemap, or the /proc/pid/pagemap a
 * foreign bond opened). In a foreign address space, pages the access may
 * not reach (unmapped, read-only for a write, PROT_NONE) are requested too,
 * as an IOMMU raises a request on a permission fault; in our own they are
 * found when the access faults (sim_pri_permission_fault()). Absent pages
 * form one page request group (grpid = engine id, LAST_PAGE on the last record) in the
 * device's fault queue. With block-on-fault the engine waits for the group's
 * response and retries; without it, or when the answer is INVALID, the
 * descriptor executes up to the first absent page and completes PAGE_FAULT
 * with that address and the bytes completed.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_pause.h>

#include "sim_private.h"

#define SIM_PRI_GROUP_MAX 64   /* pages per group; more wait a next round */
#define SIM_PRI_ROUNDS    8    /* SUCCESS answers before executing anyway */

struct pri_range {
	uint64_t start;
	uint32_t len;
	uint32_t perm;
};

static unsigned int
op_ranges(const struct dsa_desc *d, struct pri_range r[3])
{
	const uint32_t R = RTE_SVA_PERM_READ, W = RTE_SVA_PERM_WRITE;
	uint32_t len = d->xfer_size;

	switch (dsa_desc_op(d)) {
	case DSA_OP_MEMMOVE:
	case DSA_OP_COPY_CRC:
		r[0] = (struct pri_range){ d->src, len, R };
		r[1] = (struct pri_range){ d->dst, len, W };
		return 2;
	case DSA_OP_MEMFILL:
		r[0] = (struct pri_range){ d->dst, len, W };
		return 1;
	case DSA_OP_COMPARE:
		r[0] = (struct pri_range){ d->src, len, R };
		r[1] = (struct pri_range){ d->dst, len, R };
		return 2;
	case DSA_OP_COMPVAL:
	case DSA_OP_CRCGEN:
		r[0] = (struct pri_range){ d->src, len, R };
		return 1;
	case DSA_OP_DUALCAST:
		r[0] = (struct pri_range){ d->src, len, R };
		r[1] = (struct pri_range){ d->dst, len, W };
		r[2] = (struct pri_range){ d->dst2, len, W };
		return 3;
	default:
		return 0;
	}
}

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

/* Raise one group and wait for its single response. */
static uint32_t
prq_round_trip(struct sim_engine *e, struct sim_pasid_entry *pe,
	       const struct rte_sva_mm *mm, const struct dsa_desc *d,
	       const uint64_t *pages,
	       const uint32_t *perms, unsigned int n)
{
	struct rte_sva_dev *dev = e->dev->sva;
	uint64_t gen = (__atomic_load_n(&e->prq_word, __ATOMIC_RELAXED) >> 8) + 1;
	uint64_t waiting = prq_pack(gen, 0, SIM_PRQ_WAITING), w;
	uint64_t deadline;

	__atomic_store_n(&e->prq_word, waiting, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < n; i++) {
		struct rte_sva_fault f = {
			.type = RTE_SVA_FAULT_PAGE_REQ,
			.flags = RTE_SVA_FAULT_F_PASID_VALID |
				(i == n - 1 ? RTE_SVA_FAULT_F_LAST_PAGE : 0),
			.pasid = dsa_desc_pasid(d),
			.grpid = e->id,
			.perm = perms[i],
			.addr = pages[i],
			.cookie = (uint32_t)gen,
			.dev_id = dev->dev_id,
			.tsc = rte_rdtsc(),
		};

		/* A full queue holds the device back; nothing is dropped. */
		while (rte_sva_pmd_fault_report(dev, &f) == -ENOSPC) {
			if (prq_aborted(e, pe, mm))
				goto device_answers;
			rte_pause();
		}
	}
	deadline = rte_rdtsc() + e->dev->args.prq_timeout_ms * (rte_get_tsc_hz() / 1000);
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

bool
sim_pri_translate(struct sim_engine *e, struct sim_pasid_entry *pe,
		  struct rte_sva_mm *mm, const struct dsa_desc *d,
		  struct sim_outcome *o, uint32_t *prefix)
{
	struct sim_iommu *io = &e->dev->iommu;
	uint32_t pasid = dsa_desc_pasid(d), phash = pasid * 0x9e3779b1u;
	uint64_t pages[SIM_PRI_GROUP_MAX];
	uint32_t perms[SIM_PRI_GROUP_MAX];
	struct pri_range r[3];
	unsigned int nr = op_ranges(d, r);
	bool bof = (dsa_desc_flags(d) & DSA_FLAG_BOF) != 0;
	uint32_t code = RTE_SVA_PAGE_RESP_SUCCESS;

	for (unsigned int round = 0; round < SIM_PRI_ROUNDS; round++) {
		uint32_t first_miss = UINT32_MAX, miss_perm = 0;
		uint64_t miss_addr = 0;
		unsigned int n = 0;

		for (unsigned int i = 0; i < nr; i++) {
			uint64_t vpn = r[i].start >> 12;
			uint64_t end = r[i].start + r[i].len, last = (end - 1) >> 12;
			uint64_t allowed_end = end;

			if (!mm->self) {
				struct rte_sva_vma vc = { 0 };
				int64_t ok = rte_sva_mm_accessible(mm, r[i].start,
							r[i].len, r[i].perm, &vc);

				if (ok == -ESRCH) {
					__atomic_store_n(&mm->defunct, 1, __ATOMIC_RELEASE);
					o->status = DSA_ST_SIM_BAD_PASID_ENTRY;
					*prefix = 0;
					return true;
				}
				if (ok < 0) {
					/* Mappings unreadable: untranslatable,
					 * not a fault a resume could fix. */
					SIM_LOG(ERR, "pid %d: mapping lookup at 0x%" PRIx64 " failed: %s",
						mm->pid, r[i].start, strerror((int)-ok));
					o->status = DSA_ST_TRANSLATION_FAIL;
					o->fault_addr = r[i].start;
					*prefix = 0;
					return true;
				}
				allowed_end = r[i].start + (uint64_t)RTE_MAX(ok, 0);
			}
			for (; vpn <= last; vpn++) {
				uint64_t *slot = &io->atc[(vpn ^ phash) & (SIM_ATC_SIZE - 1)];
				uint64_t a = vpn << 12;
				bool forbidden = allowed_end < RTE_MIN(a + SIM_PAGE_SIZE, end);
				uint32_t off;

				if (!forbidden && (__atomic_load_n(slot, __ATOMIC_RELAXED) &
				     SIM_ATC_TAG_MASK) == SIM_ATC_TAG(pasid, vpn)) {
					e->atc_hits++;
					continue;
				}
				if (!forbidden && sim_atc_walk(e, pasid, vpn, mm, slot) &&
				    (!e->dev->args.prq_all_misses || round > 0))
					continue;
				off = a > r[i].start ? (uint32_t)(a - r[i].start) : 0;
				if (off < first_miss) {
					first_miss = off;
					miss_addr = RTE_MAX(a, r[i].start);
					miss_perm = r[i].perm;
				}
				if (n < SIM_PRI_GROUP_MAX) {
					pages[n] = a;
					perms[n++] = r[i].perm;
				}
			}
		}
		if (n == 0)
			return false;
		if (bof)
			code = prq_round_trip(e, pe, mm, d, pages, perms, n);
		if (!bof || code != RTE_SVA_PAGE_RESP_SUCCESS) {
			o->status = (bof ? DSA_ST_PAGE_FAULT_IR : DSA_ST_PAGE_FAULT_NOBOF) |
				(miss_perm & RTE_SVA_PERM_WRITE ? DSA_ST_WRITE : 0);
			o->fault_addr = miss_addr;
			*prefix = first_miss;
			return true;
		}
	}
	/* Answered SUCCESS every round yet still absent (reclaimed at once?):
	 * execute; the CPU's own faults bring the pages in. */
	return false;
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
	    e->prq_retried || e->overlap_run || pe == NULL)
		return false;
	mm = __atomic_load_n(&pe->mm, __ATOMIC_ACQUIRE);
	if (mm == NULL || !mm->self)
		return false;
	return prq_round_trip(e, pe, mm, d, &page, &perm, 1) == RTE_SVA_PAGE_RESP_SUCCESS;
}
