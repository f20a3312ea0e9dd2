/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The fault queue: per-device fault queues (an rte_ring of 64-byte records:
 * many device producers, one consumer at a time), the page-request groups
 * still open, and rte_sva_fault_process(), which resolves each group and
 * sends its one response. Handlers are in rte_sva_fault_resolve.c, the
 * lcore worker and the service in rte_sva_fault_worker.c, the counters in
 * rte_sva_fault_stats.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_string_fns.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_fault_priv.h"
#include "rte_sva_lifecycle.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

static_assert(sizeof(struct rte_sva_fault) == 64, "fault record size");
static_assert(sizeof(struct rte_sva_page_response) == 16, "response size");
static_assert((FQ_GROUPS & (FQ_GROUPS - 1)) == 0, "group table size");

/* Pollers inside rte_sva_fault_process() per device. Outside the device
 * struct, which is zeroed when the device is released. */
static uint32_t fq_pollers[RTE_SVA_MAX_DEVS];

/* ---------------------------------------------------------- device side */

int
rte_sva_pmd_fault_queue_create(struct rte_sva_dev *dev, uint32_t nb_entries)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_sva_fault_queue *fq;

	if (dev == NULL || !rte_is_power_of_2(nb_entries) || nb_entries < 2) {
		RTE_SVA_LOG(ERR, "fault queue: %u entries (want a power of two >= 2)",
			    nb_entries);
		return -EINVAL;
	}
	if (dev->fq != NULL) {
		RTE_SVA_LOG(ERR, "%s: the device has a fault queue already", dev->name);
		return -EEXIST;
	}
	fq = rte_zmalloc_socket("sva_fq", sizeof(*fq), RTE_CACHE_LINE_SIZE,
				dev->numa_node);
	if (fq == NULL) {
		RTE_SVA_LOG(ERR, "%s: no memory for a fault queue", dev->name);
		return -ENOMEM;
	}
	rte_strscpy(fq->name, dev->name, sizeof(fq->name));
	snprintf(name, sizeof(name), "sva_fq_%d_%p", dev->dev_id, (void *)fq);
	fq->ring = rte_ring_create_elem(name, sizeof(struct rte_sva_fault),
					nb_entries, dev->numa_node,
					RING_F_SC_DEQ | RING_F_EXACT_SZ);
	snprintf(name, sizeof(name), "sva_fqd_%d_%p", dev->dev_id, (void *)fq);
	fq->discards = rte_ring_create_elem(name, sizeof(struct fq_discard),
					    FQ_DISCARDS, dev->numa_node,
					    RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (fq->ring == NULL || fq->discards == NULL) {
		RTE_SVA_LOG(ERR, "%s: cannot create fault queue: %s", dev->name,
			    rte_strerror(rte_errno));
		rte_ring_free(fq->ring);
		rte_ring_free(fq->discards);
		rte_free(fq);
		return -ENOMEM;
	}
	fq->size = nb_entries;
	/* After EAL's timer init (devices are probed after it). */
	fq->tsc_ns_mul = (1000000000ull << 32) / RTE_MAX(rte_get_tsc_hz(), 1ull);
	__atomic_store_n(&dev->fq, fq, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Device close, in three steps (lifecycle events of the device layer,
 * under the control lock):
 * - CLOSING, before the driver's close: unpublish the device's fault queue
 *   and wait until no thread is inside it. After it no response reaches
 *   the driver: a poller resolving one meanwhile drops it, counted stale.
 * - CLOSE_FAILED: the driver refused; the device keeps its queue.
 * - RELEASED: the queue is freed with the device.
 * Between CLOSING and the outcome the queue is held here.
 */
static struct rte_sva_fault_queue *fq_detached[RTE_SVA_MAX_DEVS];

static void
fq_detach(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_queue *fq = dev->fq;

	fq_detached[dev->dev_id] = fq;
	if (fq == NULL)
		return;
	/* A worker may be polling this device right now, even inside a
	 * handler: unpublish the queue, then wait until no poller is left
	 * inside (both sides sequentially consistent: one always sees the
	 * other). Pollers never take the control lock we hold. */
	__atomic_store_n(&dev->fq, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&fq_pollers[dev->dev_id], __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

static void
fq_reattach(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_queue *fq = fq_detached[dev->dev_id];

	fq_detached[dev->dev_id] = NULL;
	if (fq != NULL)
		__atomic_store_n(&dev->fq, fq, __ATOMIC_RELEASE);
}

static void
fq_destroy(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_queue *fq = fq_detached[dev->dev_id];
	uint64_t late;

	fq_detached[dev->dev_id] = NULL;
	if (fq == NULL)
		return;
	/* The counters go with the device; say what nobody can read now. */
	late = __atomic_load_n(&fq->late_dropped, __ATOMIC_RELAXED);
	if (late > 0)
		RTE_SVA_LOG(INFO, "%s: %" PRIu64 " late page response%s dropped: resolved while the device was closed",
			    dev->name, late, late == 1 ? "" : "s");
	rte_ring_free(fq->discards);
	rte_ring_free(fq->ring);
	rte_free(fq);
}

static void
fq_lifecycle(struct rte_sva_dev *dev, enum sva_lifecycle_event ev)
{
	switch (ev) {
	case SVA_LC_STOPPED:
		/* The device answered its pending groups itself: what the
		 * consumer holds of a partly reported one will never be
		 * completed. */
		rte_sva_pmd_fault_discard(dev, RTE_SVA_FAULT_ANY, RTE_SVA_FAULT_ANY);
		break;
	case SVA_LC_CLOSING:
		fq_detach(dev);
		break;
	case SVA_LC_CLOSE_FAILED:
		fq_reattach(dev);
		break;
	case SVA_LC_RELEASED:
		fq_destroy(dev);
		break;
	}
}

static const struct sva_lifecycle_hook fq_hook = {
	.name = "fault queue", .rank = SVA_LC_RANK_FAULT, .fn = fq_lifecycle,
};

RTE_INIT(fq_hook_init)
{
	sva_lifecycle_register(&fq_hook);
}

int
rte_sva_pmd_fault_report(struct rte_sva_dev *dev, const struct rte_sva_fault *f)
{
	struct rte_sva_fault_queue *fq = __atomic_load_n(&dev->fq, __ATOMIC_ACQUIRE);
	unsigned int free_space;
	uint32_t used, hwm;

	if (fq == NULL)
		return -ENOTSUP;
	/* The free space comes back from the enqueue itself: counting the
	 * ring afterwards would read indices other threads are moving. */
	if (rte_ring_mp_enqueue_bulk_elem(fq->ring, (void *)(uintptr_t)f,
					  sizeof(*f), 1, &free_space) != 1) {
		__atomic_fetch_add(&fq->queue_full, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	used = rte_ring_get_capacity(fq->ring) - free_space;
	hwm = __atomic_load_n(&fq->hwm, __ATOMIC_RELAXED);
	while (used > hwm &&
	       !__atomic_compare_exchange_n(&fq->hwm, &hwm, used, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return 0;
}

void
rte_sva_pmd_fault_event(struct rte_sva_dev *dev, enum rte_sva_fault_event ev)
{
	/* Loaded once: a close may unpublish the queue meanwhile. */
	struct rte_sva_fault_queue *fq = __atomic_load_n(&dev->fq, __ATOMIC_ACQUIRE);

	if (fq == NULL)
		return;
	if (ev == RTE_SVA_FAULT_EV_STALE_RESPONSE)
		__atomic_fetch_add(&fq->stale, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&fq->device_invalid, 1, __ATOMIC_RELAXED);
}

void
rte_sva_pmd_fault_discard(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid)
{
	struct fq_discard d = { .pasid = pasid, .grpid = grpid };
	struct rte_sva_fault_queue *fq;

	if (dev == NULL)
		return;
	fq = __atomic_load_n(&dev->fq, __ATOMIC_ACQUIRE);
	if (fq == NULL)
		return;
	/* Every record the caller reported is below the producer tail now
	 * (a multi-producer tail passes a record only once it is written):
	 * the records of the groups it gives up come before this position. */
	d.upto = __atomic_load_n(&fq->ring->prod.tail, __ATOMIC_ACQUIRE);
	/* The groups belong to the consumer: it applies the request. Too
	 * many at once, it discards every partial group instead. */
	if (rte_ring_mp_enqueue_elem(fq->discards, &d, sizeof(d)) != 0)
		__atomic_store_n(&fq->discard_all, 1, __ATOMIC_RELEASE);
}

/* --------------------------------------------------------------- groups */

/* The counters of pasid, found or claimed by linear probing; NULL when the
 * table is full of other PASIDs. Consumer side only. */
static struct rte_sva_fault_pasid_stats *
pasid_stats(struct rte_sva_fault_queue *fq, uint32_t pasid)
{
	unsigned int h = (pasid * 0x9e3779b1u) % RTE_SVA_FAULT_PASIDS_TRACKED;

	for (unsigned int i = 0; i < RTE_SVA_FAULT_PASIDS_TRACKED; i++) {
		struct fq_pasid *p = &fq->pasids[(h + i) % RTE_SVA_FAULT_PASIDS_TRACKED];
		uint32_t owner = __atomic_load_n(&p->pasid, __ATOMIC_RELAXED);

		if (owner == pasid)
			return &p->st;
		if (owner == 0) {
			__atomic_store_n(&p->pasid, pasid, __ATOMIC_RELAXED);
			return &p->st;
		}
	}
	return NULL;
}

static unsigned int
grp_hash(uint32_t pasid, uint32_t grpid)
{
	uint32_t h = pasid * 0x9e3779b1u ^ grpid * 0x85ebca6bu;

	return (h ^ (h >> 15)) & (FQ_GROUPS - 1);
}

/* A partial group whose last page will never come. */
static void
grp_discard(struct rte_sva_fault_queue *fq, struct fq_group *g)
{
	g->open = false;
	fq->nb_open--;
	rte_sva_counter_add(&fq->st.partial_discarded, 1);
}

/*
 * The open group of f's (PASID, group id) -- the device is the queue's --
 * else a new one. A record with another cookie than its open group's
 * starts a new group: the open one was given up by its device (stopped,
 * timed out) and is discarded, never merged. A full probe window makes
 * room by discarding its oldest group.
 */
static struct fq_group *
grp_get(struct rte_sva_fault_queue *fq, const struct rte_sva_fault *f)
{
	unsigned int h = grp_hash(f->pasid, f->grpid);
	struct fq_group *slot = NULL, *oldest = NULL;

	for (unsigned int i = 0; i < FQ_GROUP_PROBE; i++) {
		struct fq_group *g = &fq->grp[(h + i) & (FQ_GROUPS - 1)];

		if (!g->open) {
			if (slot == NULL)
				slot = g;
			continue;
		}
		if (g->pasid == f->pasid && g->grpid == f->grpid) {
			if (g->cookie == f->cookie)
				return g;
			grp_discard(fq, g);
			slot = g;
			break;
		}
		if (oldest == NULL || g->tsc < oldest->tsc)
			oldest = g;
	}
	if (slot == NULL) {
		grp_discard(fq, oldest);
		slot = oldest;
	}
	*slot = (struct fq_group){
		.pasid = f->pasid, .grpid = f->grpid, .cookie = f->cookie,
		.open = 1, .code = RTE_SVA_PAGE_RESP_SUCCESS, .tsc = f->tsc,
	};
	fq->nb_open++;
	return slot;
}

static void
grp_discard_matching(struct rte_sva_fault_queue *fq, const struct fq_discard *d)
{
	if (fq->nb_open == 0)
		return;
	for (unsigned int i = 0; i < FQ_GROUPS; i++) {
		struct fq_group *g = &fq->grp[i];

		if (g->open && (d->pasid == RTE_SVA_FAULT_ANY || d->pasid == g->pasid) &&
		    (d->grpid == RTE_SVA_FAULT_ANY || d->grpid == g->grpid))
			grp_discard(fq, g);
	}
}

/* Apply the pending discards whose position pos (the next record the
 * consumer takes) has reached. */
static void
discards_due(struct rte_sva_fault_queue *fq, uint32_t pos)
{
	for (uint32_t i = 0; i < fq->nb_pending; ) {
		if ((int32_t)(pos - fq->pending[i].upto) >= 0) {
			grp_discard_matching(fq, &fq->pending[i]);
			fq->pending[i] = fq->pending[--fq->nb_pending];
		} else {
			i++;
		}
	}
}

/* Take the discard requests posted since the last poll (usually none: one
 * dequeue that finds the ring empty, one load) into the pending list, and
 * apply those due before the next record at pos. */
static void
discards_take(struct rte_sva_fault_queue *fq, uint32_t pos)
{
	static const struct fq_discard all = { RTE_SVA_FAULT_ANY, RTE_SVA_FAULT_ANY, 0 };
	struct fq_discard d[8];
	unsigned int n;

	while ((n = rte_ring_sc_dequeue_burst_elem(fq->discards, d, sizeof(d[0]),
						   RTE_DIM(d), NULL)) > 0) {
		for (unsigned int i = 0; i < n; i++) {
			if (fq->nb_pending < FQ_DISCARDS)
				fq->pending[fq->nb_pending++] = d[i];
			else
				grp_discard_matching(fq, &d[i]);  /* early, not lost */
		}
	}
	if (__atomic_load_n(&fq->discard_all, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&fq->discard_all, 0, __ATOMIC_ACQUIRE))
		grp_discard_matching(fq, &all);
	discards_due(fq, pos);
}

/* ------------------------------------------------------------ responses */

/* The responses of one dequeued burst, delivered together: one call of
 * the driver's page_response_burst (one write() for a kernel IOMMU). */
struct resp_batch {
	uint16_t n;
	struct rte_sva_page_response r[FQ_BURST];
	uint64_t tsc[FQ_BURST];     /* when each group's first request came */
	struct rte_sva_fault_pasid_stats *ps[FQ_BURST];
};

/* Count response i of b: answered with its code, or not delivered; now:
 * the TSC after the delivery. Inline: once per group, in a loop. */
static __rte_always_inline void
resp_count(struct rte_sva_fault_queue *fq, const struct resp_batch *b, uint16_t i,
	   bool delivered, uint64_t now)
{
	struct rte_sva_fault_pasid_stats *ps = b->ps[i];
	uint32_t code = b->r[i].code;

	if (!delivered) {
		rte_sva_counter_add(&fq->st.resp_errors, 1);
		if (ps != NULL)
			rte_sva_counter_add(&ps->resp_errors, 1);
		return;
	}
	rte_sva_counter_add(code == RTE_SVA_PAGE_RESP_SUCCESS ? &fq->st.resp_success :
			    code == RTE_SVA_PAGE_RESP_INVALID ? &fq->st.resp_invalid :
			    &fq->st.resp_failure, 1);
	if (ps != NULL)
		rte_sva_counter_add(code == RTE_SVA_PAGE_RESP_SUCCESS ? &ps->resp_success :
				    code == RTE_SVA_PAGE_RESP_INVALID ? &ps->resp_invalid :
				    &ps->resp_failure, 1);
	sva_hist_count(fq->st.hist, fq->tsc_ns_mul, b->tsc[i], now);
}

/* Deliver the responses of b; the TSC read after the last delivery (the
 * next resolve's start), 0 when b is empty. */
static uint64_t
resp_flush(struct rte_sva_dev *dev, struct rte_sva_fault_queue *fq,
	   struct resp_batch *b)
{
	unsigned int failed = 0;
	uint64_t now = 0;
	int ret = 0;

	if (b->n == 0)
		return 0;
	/* Unpublished: the device is being closed, and its driver is about
	 * to free what a response refers to. It answered these groups
	 * itself when it stopped: drop them, as it would, counted stale. */
	if (__atomic_load_n(&dev->fq, __ATOMIC_SEQ_CST) != fq) {
		__atomic_fetch_add(&fq->stale, b->n, __ATOMIC_RELAXED);
		__atomic_fetch_add(&fq->late_dropped, b->n, __ATOMIC_RELAXED);
		b->n = 0;
		return rte_rdtsc();
	}
	if (dev->dev_ops->page_response_burst != NULL) {
		int done = dev->dev_ops->page_response_burst(dev, b->r, b->n);

		now = rte_rdtsc();

		ret = done < 0 ? done : 0;
		done = RTE_MAX(RTE_MIN(done, (int)b->n), 0);
		for (uint16_t i = 0; i < b->n; i++)
			resp_count(fq, b, i, i < done, now);
		failed = b->n - (unsigned int)done;
	} else {
		for (uint16_t i = 0; i < b->n; i++) {
			int r = dev->dev_ops->page_response(dev, &b->r[i]);

			now = rte_rdtsc();
			resp_count(fq, b, i, r == 0, now);
			if (r != 0) {
				failed++;
				ret = r;
			}
		}
	}
	/* Once a second at most: a broken driver must not flood the log. */
	if (failed > 0 && rte_rdtsc() - fq->err_log_tsc > rte_get_tsc_hz()) {
		fq->err_log_tsc = rte_rdtsc();
		RTE_SVA_LOG(ERR, "%s: %u page response%s not delivered (driver error%s%s); %" PRIu64 " so far",
			    fq->name, failed, failed == 1 ? "" : "s", ret < 0 ? ": " : "",
			    ret < 0 ? strerror(-ret) : "",
			    rte_sva_counter_read(&fq->st.resp_errors));
		now = rte_rdtsc();
	}
	b->n = 0;
	return now;
}

/* The consumer's state over one poll: the resolves' context, the PASID
 * whose counters were looked up last (a burst is mostly one PASID) and
 * the TSC read last. */
struct poll_ctx {
	struct sva_resolve_ctx rc;
	uint32_t ps_pasid;
	struct rte_sva_fault_pasid_stats *ps;
	/* The last TSC read, with nothing since but the bookkeeping of a
	 * record or two (counters, group lookup): the start of the next
	 * resolve. Whoever does more -- a response's delivery, an
	 * unrecoverable fault's callback, discards -- reads it again. */
	uint64_t tsc;
};

static struct rte_sva_fault_pasid_stats *
poll_pasid_stats(struct rte_sva_fault_queue *fq, struct poll_ctx *p, uint32_t pasid)
{
	if (p->ps == NULL || p->ps_pasid != pasid) {
		p->ps = pasid_stats(fq, pasid);
		p->ps_pasid = pasid;
	}
	return p->ps;
}

/* Resolve f's page and count the time it took in resolve_hist: one TSC
 * read, the end of this resolve and the start of the next. */
static __rte_always_inline int
resolve_timed(struct rte_sva_fault_queue *fq, struct poll_ctx *p,
	      const struct rte_sva_fault *f)
{
	int code = sva_fault_resolve_page(&p->rc, f);
	uint64_t now = rte_rdtsc();

	sva_hist_count(fq->st.resolve_hist, fq->tsc_ns_mul, p->tsc, now);
	p->tsc = now;
	return code;
}

/* The answer of a group once one of its pages got code: once a page
 * fails, the rest are not worth resolving. */
static uint8_t
grp_code(uint8_t code, int page_code)
{
	if (code != RTE_SVA_PAGE_RESP_SUCCESS || page_code == RTE_SVA_PAGE_RESP_SUCCESS)
		return code;
	return page_code == RTE_SVA_PAGE_RESP_FAILURE ?
		RTE_SVA_PAGE_RESP_FAILURE : RTE_SVA_PAGE_RESP_INVALID;
}

static void
handle_record(struct rte_sva_fault_queue *fq, struct poll_ctx *p,
	      const struct rte_sva_fault *f, struct resp_batch *b)
{
	struct rte_sva_fault_pasid_stats *ps;
	struct fq_group *g;
	uint64_t tsc;
	uint8_t code;

	if (f->type == RTE_SVA_FAULT_UNRECOV) {
		/* A reason we do not know is not some other known one. */
		rte_sva_counter_add(&fq->st.unrecoverable[f->reason < RTE_SVA_FAULT_REASON_NB ?
				    f->reason : RTE_SVA_FAULT_REASON_UNKNOWN], 1);
		sva_fault_unrecov_notify(f);
		p->tsc = rte_rdtsc();   /* the callback's time is not a resolve */
		return;
	}
	rte_sva_counter_add(&fq->st.requests, 1);
	ps = poll_pasid_stats(fq, p, f->pasid);
	if (ps != NULL)
		rte_sva_counter_add(&ps->requests, 1);
	if ((f->flags & RTE_SVA_FAULT_F_LAST_PAGE) && fq->nb_open == 0) {
		/* A group of one page (no group is open, so none of its key
		 * either): answered without a slot in the table. */
		code = grp_code(RTE_SVA_PAGE_RESP_SUCCESS, resolve_timed(fq, p, f));
		tsc = f->tsc;
	} else {
		g = grp_get(fq, f);
		if (g->code == RTE_SVA_PAGE_RESP_SUCCESS)
			g->code = grp_code(g->code, resolve_timed(fq, p, f));
		if (!(f->flags & RTE_SVA_FAULT_F_LAST_PAGE))
			return;
		code = g->code;
		tsc = g->tsc;
		g->open = false;
		fq->nb_open--;
	}
	/* A burst holds at most FQ_BURST records: room for each. */
	b->r[b->n] = (struct rte_sva_page_response){
		.pasid = f->pasid, .grpid = f->grpid, .code = code,
		.cookie = f->cookie,
	};
	b->tsc[b->n] = tsc;
	b->ps[b->n++] = ps;
	rte_sva_counter_add(&fq->st.groups, 1);
}

/* Whether a poll would find nothing to do: no record, no discard request.
 * Pending discards cannot be due then: the last poll applied every one
 * whose position it reached, and an empty ring is at the position of
 * every request since. Read without the consumer's busy flag: a record
 * or request that comes just after is the next poll's. */
static bool
fq_idle(const struct rte_sva_fault_queue *fq)
{
	return __atomic_load_n(&fq->ring->prod.tail, __ATOMIC_ACQUIRE) ==
		__atomic_load_n(&fq->ring->cons.tail, __ATOMIC_RELAXED) &&
		__atomic_load_n(&fq->discards->prod.tail, __ATOMIC_ACQUIRE) ==
		__atomic_load_n(&fq->discards->cons.tail, __ATOMIC_RELAXED) &&
		__atomic_load_n(&fq->discard_all, __ATOMIC_RELAXED) == 0;
}

/* Up to max records of fq, which this thread consumes (busy): each group
 * resolved and answered. Out of line: the burst's arrays stay off the
 * idle poll's path. */
static __rte_noinline int
fq_consume(struct rte_sva_dev *dev, struct rte_sva_fault_queue *fq, uint16_t max)
{
	struct rte_sva_fault recs[FQ_BURST];
	struct resp_batch batch;
	struct poll_ctx pc = { .ps = NULL };
	/* The position of the next record: the single consumer's own tail. */
	uint32_t pos = fq->ring->cons.tail;
	/* A driver that takes responses one at a time gets each as soon as
	 * its group is resolved: its device resumes without waiting for the
	 * rest of the burst. One that takes a burst (one write() to a
	 * kernel) gets the burst's together. */
	const bool at_once = dev->dev_ops->page_response_burst == NULL;
	int done = 0;

	discards_take(fq, pos);
	sva_fault_resolve_begin(&pc.rc, dev);
	while (done < max) {
		unsigned int n = rte_ring_sc_dequeue_burst_elem(fq->ring, recs,
					sizeof(recs[0]),
					RTE_MIN((unsigned int)(max - done), (unsigned int)FQ_BURST),
					NULL);

		if (n == 0)
			break;
		batch.n = 0;
		pc.tsc = rte_rdtsc();
		for (unsigned int i = 0; i < n; i++, pos++) {
			if (unlikely(fq->nb_pending != 0)) {
				discards_due(fq, pos);
				pc.tsc = rte_rdtsc();
			}
			handle_record(fq, &pc, &recs[i], &batch);
			/* The delivery's TSC read starts the next resolve. */
			if (at_once && batch.n != 0)
				pc.tsc = resp_flush(dev, fq, &batch);
		}
		/* Left before a burst's delivery, which may block (a
		 * write()): an unbind waits for the resolves only. A
		 * driver without page_response_burst was served above,
		 * amid them (rte_sva_pmd.h: its page_response must not
		 * block). */
		sva_fault_resolve_end(&pc.rc);
		resp_flush(dev, fq, &batch);
		done += n;
	}
	/* Each burst left the read side above; a poll that dequeued
	 * nothing never entered it. */
	if (unlikely(fq->nb_pending != 0))
		discards_due(fq, pos);
	return done;
}

int
sva_fault_process_dev(struct rte_sva_dev *dev, uint16_t max)
{
	uint32_t *pollers = &fq_pollers[dev->dev_id];
	struct rte_sva_fault_queue *fq;
	uint32_t expected = 0;
	int done;

	/* Announced before the queue is read: sva_fault_queue_detach() waits. */
	__atomic_fetch_add(pollers, 1, __ATOMIC_SEQ_CST);
	fq = __atomic_load_n(&dev->fq, __ATOMIC_SEQ_CST);
	if (unlikely(fq == NULL || dev->dev_ops->page_response == NULL)) {
		__atomic_fetch_sub(pollers, 1, __ATOMIC_RELEASE);
		return -ENOTSUP;
	}
	/* An idle queue costs these loads: no busy flag taken, no ring
	 * dequeue tried. */
	if (fq_idle(fq)) {
		__atomic_fetch_sub(pollers, 1, __ATOMIC_RELEASE);
		return 0;
	}
	/* One consumer at a time (workers, services and pollers may race). */
	if (!__atomic_compare_exchange_n(&fq->busy, &expected, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		__atomic_fetch_sub(pollers, 1, __ATOMIC_RELEASE);
		return 0;
	}
	done = fq_consume(dev, fq, max);
	__atomic_store_n(&fq->busy, 0, __ATOMIC_RELEASE);
	__atomic_fetch_sub(pollers, 1, __ATOMIC_RELEASE);
	return done;
}

int
rte_sva_fault_process(int16_t dev_id, uint16_t max)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	int ret;

	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "fault_process: invalid dev_id %d", dev_id);
		return -EINVAL;
	}
	ret = sva_fault_process_dev(dev, max);
	/* By id: the name is the control path's, rewritten when a closed
	 * device's slot is reused. */
	if (ret == -ENOTSUP)
		RTE_SVA_LOG(ERR, "device %d: no fault queue (no page requests, or the device is being closed)",
			    dev_id);
	return ret;
}
