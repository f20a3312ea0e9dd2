/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Producer side of sva_idxd: build DSA descriptors (dsa_hw.h encoders, the
 * same bytes the sim's producer writes) in the queue ring, hand them to the
 * kernel work queue at the doorbell, reap completion records in order.
 * What every DSA-format producer does the same is
 * drivers/common/dsa/dsa_producer.h's; this file holds idxd's hooks into
 * it: the portal and write() submission paths, the PASID tags, the fence.
 * Portal paths take no locks, make no system calls and allocate nothing;
 * the write() path makes one system call per descriptor.
 */

#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_pause.h>

#include "idxd_private.h"

/* ------------------------------------------------------------ CPU features */

static uint32_t
idxd_cpuid7_ecx(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0)
		return 0;
	return c;
}

bool
idxd_cpu_has_movdir64b(void)
{
	return (idxd_cpuid7_ecx() & RTE_BIT32(28)) != 0;
}

bool
idxd_cpu_has_enqcmd(void)
{
	return (idxd_cpuid7_ecx() & RTE_BIT32(29)) != 0;
}

/* MOVDIR64B src -> portal (64-byte direct store). Encoded by hand so older
 * assemblers do: 66 0F 38 F8 /r, reg = rax (destination address),
 * r/m = [rdx] (source). */
static __rte_always_inline void
idxd_movdir64b(volatile void *portal, const struct dsa_desc *d)
{
#if defined(RTE_ARCH_X86_64)
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a"(portal), "d"(d), "m"(*d) : "memory");
#else
	RTE_SET_USED(portal);
	RTE_SET_USED(d);
#endif
}

/* ENQCMD: F2 0F 38 F8 /r. Returns true when the device accepted it
 * (ZF = 0); ZF = 1 means the shared WQ refused it: retry. */
static __rte_always_inline bool
idxd_enqcmd(volatile void *portal, const struct dsa_desc *d)
{
#if defined(RTE_ARCH_X86_64)
	uint8_t refused;

	asm volatile(".byte 0xf2, 0x0f, 0x38, 0xf8, 0x02\n\t"
		     "setz %0"
		     : "=r"(refused)
		     : "a"(portal), "d"(d), "m"(*d) : "memory", "cc");
	return refused == 0;
#else
	RTE_SET_USED(portal);
	RTE_SET_USED(d);
	return false;
#endif
}

#define IDXD_ENQCMD_RETRIES 16

/* ------------------------------------------------------------- submission */

/* Hand one descriptor to the WQ. 1: accepted; 0: refused (retry later);
 * <0: the kernel rejected it for good (-errno). */
static __rte_always_inline int
idxd_push_one(struct idxd_wq *wq, const struct dsa_desc *d)
{
	uint8_t *slot;
	ssize_t n;

	switch (wq->path) {
	case IDXD_PATH_MOVDIR64B:
		idxd_movdir64b(wq->portal, d);
		return 1;
	case IDXD_PATH_ENQCMD:
		/* Any 64-byte slot of the portal page; cycling them spreads
		 * the write-combining buffers, as the kernel does. */
		slot = wq->portal + (wq->portal_slot++ % IDXD_PORTAL_SLOTS) *
			DSA_DESC_SIZE;
		/* A refusal is normal when the WQ is momentarily full: a
		 * few immediate retries, then report it (the caller keeps
		 * the descriptor staged and retries at the next call). */
		for (unsigned int i = 0; i < IDXD_ENQCMD_RETRIES; i++)
			if (idxd_enqcmd(slot, d))
				return 1;
		return 0;
	case IDXD_PATH_FAKE:
		slot = wq->portal + (wq->portal_slot++ % IDXD_PORTAL_SLOTS) *
			DSA_DESC_SIZE;
		memcpy(slot, d, DSA_DESC_SIZE);
		return 1;
	case IDXD_PATH_WRITE:
	default:
		n = write(wq->fd, d, DSA_DESC_SIZE);
		if (n == DSA_DESC_SIZE)
			return 1;
		if (n >= 0 || errno == EAGAIN || errno == EBUSY ||
		    errno == EINTR)
			return 0;
		return -errno;
	}
}

/* Complete op idx in software with a DSA status byte. */
static __rte_always_inline void
idxd_sw_complete(struct idxd_queue *q, uint16_t idx, uint8_t status)
{
	struct dsa_cmpl *c = dsa_ring_cmpl(&q->r, idx);

	q->tag[idx & q->r.mask] = IDXD_TAG_SW_DONE;
	c->result = 0;
	c->bytes_completed = 0;
	c->fault_addr = 0;
	c->crc_val = 0;
	__atomic_store_n(&c->status, status, __ATOMIC_RELEASE);
}

/* Every op before idx has its completion record (fence emulation). */
static bool
idxd_all_done_before(const struct idxd_queue *q, uint16_t idx)
{
	for (uint16_t i = q->r.read_idx; i != idx; i++)
		if (__atomic_load_n(&dsa_ring_cmpl(&q->r, i)->status,
				    __ATOMIC_ACQUIRE) == DSA_ST_NONE)
			return false;
	return true;
}

/*
 * The doorbell: hand every staged descriptor to the WQ, in order.
 * A descriptor whose PASID is no longer attached completes ABORTED; one
 * with FENCE waits until everything before it completed (DSA honours the
 * fence flag only inside a batch, so the driver holds it back instead).
 */
static int
idxd_doorbell(struct idxd_queue *q)
{
	struct dsa_ring *r = &q->r;
	struct idxd_wq *wq = q->wq;
	uint32_t pasid = __atomic_load_n(&q->dev->pasid, __ATOMIC_ACQUIRE);

	if (r->submit_idx == r->write_idx)
		return 0;
	/* Descriptors and cleared records visible before the device reads. */
	rte_wmb();
	while (r->submit_idx != r->write_idx) {
		uint16_t idx = r->submit_idx;
		struct dsa_desc *d = &r->ring[idx & r->mask];
		uint32_t tag = q->tag[idx & r->mask];
		int ret;

		if (tag == IDXD_TAG_SW_DONE) {
			r->submit_idx++;
			continue;
		}
		if (unlikely(tag != pasid)) {
			idxd_sw_complete(q, idx, DSA_ST_SW_ABORTED);
			r->submit_idx++;
			continue;
		}
		if (unlikely(dsa_desc_flags(d) & DSA_FLAG_FENCE)) {
			/* Held back: a later doorbell or reap goes on. */
			if (!idxd_all_done_before(q, idx))
				break;
			d->flags_op &= ~DSA_FLAG_FENCE;
			rte_wmb();
		}
		ret = idxd_push_one(wq, d);
		if (ret == 0) {
			rte_sva_counter_add(&r->st_retries, 1);
			return -EBUSY;
		}
		if (unlikely(ret < 0))
			idxd_sw_complete(q, idx, DSA_ST_SW_SUBMIT_FAILED);
		else
			rte_sva_counter_add(&r->st_submitted, 1);
		r->submit_idx++;
	}
	return 0;
}

/* ------------------------------------------------- dsa_producer.h hooks */

static __rte_always_inline bool
idxd_fp_pasid_ok(uint32_t pasid)
{
	return pasid <= DSA_PASID_MASK || pasid == RTE_SVA_PASID_KERNEL;
}

#define idxd_fp_pasid_rule "wider than 20 bits (and not RTE_SVA_PASID_KERNEL)"

/* Every op asks for a record (engines of a group may finish out of
 * order); BOF only where the WQ has block_on_fault enabled (else DSA
 * rejects the flag). */
static __rte_always_inline uint32_t
idxd_fp_desc_flags(const struct dsa_ring *r, uint64_t flags)
{
	const struct idxd_queue *q = container_of(r, const struct idxd_queue, r);

	return (dsa_flags_from_op(flags) & ~(DSA_FLAG_BOF ^ q->bof_ok)) |
		DSA_FLAG_RCR;
}

/* The PASID field stays 0: a dedicated WQ uses the PASID the kernel
 * programmed into it, ENQCMD (shared WQ) overwrites it with IA32_PASID,
 * and the kernel's write() path fills it for shared WQs. */
static __rte_always_inline uint32_t
idxd_fp_desc_pasid(uint32_t pasid)
{
	RTE_SET_USED(pasid);
	return 0;
}

static __rte_always_inline int
idxd_fp_doorbell(struct dsa_ring *r)
{
	return idxd_doorbell(container_of(r, struct idxd_queue, r));
}

/* Record the op's PASID; an unattached one completes INVALID_PASID
 * without reaching the device (the kernel PASID is the only one). */
static __rte_always_inline int
idxd_fp_finish(struct dsa_ring *r, uint16_t idx, uint32_t pasid,
	       uint64_t flags)
{
	struct idxd_queue *q = container_of(r, struct idxd_queue, r);

	dsa_ring_cmpl(r, idx)->status = DSA_ST_NONE;
	if (unlikely(pasid != __atomic_load_n(&q->dev->pasid, __ATOMIC_ACQUIRE)))
		idxd_sw_complete(q, idx, DSA_ST_SW_INVALID_PASID);
	else
		q->tag[idx & r->mask] = pasid;
	dsa_ring_commit(r, idx);
	if (flags & RTE_SVA_OP_FLAG_SUBMIT)
		idxd_doorbell(q);  /* -EBUSY keeps it staged */
	return idx;
}

/* A refused or fenced submission goes on before a reap; never on a
 * stopped device (reaping after stop must not hand it anything). */
static __rte_always_inline void
idxd_fp_reap_begin(struct dsa_ring *r)
{
	if (r->submit_idx != r->write_idx && dsa_ring_started(r))
		idxd_doorbell(container_of(r, struct idxd_queue, r));
}

static __rte_always_inline void
idxd_fp_reap_end(struct dsa_ring *r)
{
	RTE_SET_USED(r);
}

/* dsa_ring_reap()'s hook: op idx's record status; NONE while in flight
 * or still staged (a staged op's record may be stale). */
static __rte_always_inline unsigned int
idxd_fp_op_status(const struct dsa_ring *r, uint16_t idx)
{
	const struct idxd_queue *q = container_of(r, const struct idxd_queue, r);

	if ((int16_t)(idx - r->submit_idx) >= 0 &&
	    q->tag[idx & r->mask] != IDXD_TAG_SW_DONE)
		return DSA_ST_NONE;
	return __atomic_load_n(&dsa_ring_cmpl(r, idx)->status,
			       __ATOMIC_ACQUIRE);
}

/* idxd_copy() ... idxd_burst_capacity(), idxd_fastpath_install(). */
#define DSA_PRODUCER idxd
#define DSA_PRODUCER_DEV struct idxd_dev
#include "dsa_producer.h"

/* ----------------------------------------------------------------- drain */

int
idxd_queue_drain(struct idxd_queue *q, uint64_t timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() +
		timeout_ms * rte_get_timer_hz() / 1000;

	for (uint16_t i = q->r.read_idx; i != q->r.submit_idx; i++) {
		while (__atomic_load_n(&dsa_ring_cmpl(&q->r, i)->status,
				       __ATOMIC_ACQUIRE) == DSA_ST_NONE) {
			if (rte_get_timer_cycles() > deadline)
				return -ETIMEDOUT;
			rte_pause();
		}
	}
	return 0;
}
