/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The fault path: per-device fault queues (an rte_ring of 64-byte records:
 * many device producers, one consumer at a time), the resolver (registered
 * handlers, else fault the page in), one response per group, counters and
 * the round-trip histogram, and the ways to run it (lcore worker, service,
 * direct polling).
 */

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_service_component.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_guard.h"
#include "rte_sva_pasid.h"
#include "rte_sva_pmd.h"

static_assert(sizeof(struct rte_sva_fault) == 64, "fault record size");
static_assert(sizeof(struct rte_sva_page_response) == 16, "response size");

#define FQ_GROUPS   512        /* group slots (PRI's 9-bit group index) */
#define FQ_BURST    32
#define PAGE_SZ     4096u
#define MAX_HANDLERS 16

struct fq_group {
	bool open;
	uint8_t code;
	uint64_t tsc;
};

struct fq_pasid {
	uint32_t pasid;             /* 0: free (PASID 0 is never bound) */
	struct rte_sva_fault_pasid_stats st;
};

struct rte_sva_fault_queue {
	struct rte_ring *ring;
	uint32_t busy;               /* a consumer is in process() */
	uint32_t size;
	uint32_t hwm;
	uint64_t queue_full;
	uint64_t stale;
	uint64_t device_invalid;
	struct rte_sva_fault_stats st; /* consumer-side counters */
	struct fq_group grp[FQ_GROUPS];
	struct fq_pasid pasids[RTE_SVA_FAULT_PASIDS_TRACKED];
};

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

struct handler {
	uint64_t start, end;
	rte_sva_fault_handler_t fn;
	void *arg;
};

static struct handler handlers[MAX_HANDLERS];
static rte_sva_unrecov_cb_t unrecov_cb;
static void *unrecov_arg;
static uint32_t fault_around;

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
	if (dev->fq != NULL)
		return -EEXIST;
	fq = rte_zmalloc_socket("sva_fq", sizeof(*fq), RTE_CACHE_LINE_SIZE,
				dev->numa_node);
	if (fq == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "sva_fq_%d_%p", dev->dev_id, (void *)fq);
	/* The ring holds nb_entries - 1 records; ask for one more slot. */
	fq->ring = rte_ring_create_elem(name, sizeof(struct rte_sva_fault),
					nb_entries, dev->numa_node,
					RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (fq->ring == NULL) {
		RTE_SVA_LOG(ERR, "%s: cannot create fault queue: %s", dev->name,
			    rte_strerror(rte_errno));
		rte_free(fq);
		return -ENOMEM;
	}
	fq->size = nb_entries;
	__atomic_store_n(&dev->fq, fq, __ATOMIC_RELEASE);
	return 0;
}

/* Pollers inside rte_sva_fault_process() per device. Outside the device
 * struct, which is zeroed when the device is released. */
static uint32_t fq_pollers[RTE_SVA_MAX_DEVS];

void
sva_fault_queue_free(struct rte_sva_dev *dev)
{
	struct rte_sva_fault_queue *fq = dev->fq;

	if (fq == NULL)
		return;
	/* A worker may be polling this device right now: unpublish the
	 * queue, then wait until no poller is left inside (both sides
	 * sequentially consistent: one always sees the other). */
	__atomic_store_n(&dev->fq, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&fq_pollers[dev->dev_id], __ATOMIC_SEQ_CST) != 0)
		rte_pause();
	rte_ring_free(fq->ring);
	rte_free(fq);
}

int
rte_sva_pmd_fault_report(struct rte_sva_dev *dev, const struct rte_sva_fault *f)
{
	struct rte_sva_fault_queue *fq = dev->fq;
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
	if (dev->fq == NULL)
		return;
	if (ev == RTE_SVA_FAULT_EV_STALE_RESPONSE)
		__atomic_fetch_add(&dev->fq->stale, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&dev->fq->device_invalid, 1, __ATOMIC_RELAXED);
}

/* -------------------------------------------------------------- resolver */

int
rte_sva_fault_handler_register(uint64_t start, uint64_t len,
			       rte_sva_fault_handler_t fn, void *arg)
{
	struct handler *free_slot = NULL;

	if (fn == NULL || len == 0 || start + len < start) {
		RTE_SVA_LOG(ERR, "fault handler: %s", fn == NULL ? "NULL function" :
			    "empty or wrapping range");
		return -EINVAL;
	}
	for (int i = 0; i < MAX_HANDLERS; i++) {
		struct handler *h = &handlers[i];

		if (h->fn == NULL) {
			if (free_slot == NULL)
				free_slot = h;
			continue;
		}
		if (start < h->end && h->start < start + len) {
			RTE_SVA_LOG(ERR, "fault handler: range overlaps 0x%" PRIx64 "..0x%" PRIx64,
				    h->start, h->end);
			return -EINVAL;
		}
	}
	if (free_slot == NULL) {
		RTE_SVA_LOG(ERR, "fault handler: all %d slots in use", MAX_HANDLERS);
		return -ENOSPC;
	}
	free_slot->start = start;
	free_slot->end = start + len;
	free_slot->arg = arg;
	__atomic_store_n(&free_slot->fn, fn, __ATOMIC_RELEASE);
	return 0;
}

int
rte_sva_fault_handler_unregister(uint64_t start)
{
	for (int i = 0; i < MAX_HANDLERS; i++) {
		if (handlers[i].fn != NULL && handlers[i].start == start) {
			__atomic_store_n(&handlers[i].fn, NULL, __ATOMIC_RELEASE);
			return 0;
		}
	}
	RTE_SVA_LOG(ERR, "fault handler: no range starts at 0x%" PRIx64, start);
	return -ENOENT;
}

int
rte_sva_fault_unrecov_callback_set(rte_sva_unrecov_cb_t cb, void *arg)
{
	unrecov_arg = arg;
	__atomic_store_n(&unrecov_cb, cb, __ATOMIC_RELEASE);
	return 0;
}

int
rte_sva_fault_around_set(uint32_t n)
{
	if (n > 512) {
		RTE_SVA_LOG(ERR, "fault-around of %u pages (max 512)", n);
		return -EINVAL;
	}
	fault_around = n;
	return 0;
}

/* One page of a request: a handler's range, else fault it in ourselves:
 * in our own address space by touching it, in a foreign bond's through its
 * /proc/pid/mem (sva_foreign_page_resolve()). */
static int
resolve_page(const struct rte_sva_fault *f)
{
	int write = (f->perm & RTE_SVA_PERM_WRITE) != 0;

	for (int i = 0; i < MAX_HANDLERS; i++) {
		rte_sva_fault_handler_t fn =
			__atomic_load_n(&handlers[i].fn, __ATOMIC_ACQUIRE);

		if (fn != NULL && f->addr >= handlers[i].start &&
		    f->addr < handlers[i].end)
			return fn(f, handlers[i].arg);
	}
	if (!sva_pasid_is_self(f->pasid))
		return sva_foreign_page_resolve(f->pasid, f->addr & ~(uint64_t)(PAGE_SZ - 1),
						f->perm, fault_around);
	if (rte_sva_guard_touch((void *)(uintptr_t)f->addr, write) != 0)
		return RTE_SVA_PAGE_RESP_INVALID;
	for (uint32_t k = 1; k <= fault_around; k++)
		if (rte_sva_guard_touch((void *)(uintptr_t)(f->addr + k * PAGE_SZ),
					write) != 0)
			break;
	return RTE_SVA_PAGE_RESP_SUCCESS;
}

/* Log-linear buckets: 4 per octave, octave o >= 2 starting at bucket
 * 4 * (o - 2); values below 4 ns go to bucket 0. */
static unsigned int
hist_bucket(uint64_t ns)
{
	unsigned int o, b;

	if (ns < 4)
		return 0;
	o = 63 - __builtin_clzll(ns);
	b = 4 * (o - 2) + (unsigned int)((ns >> (o - 2)) & 3);
	return RTE_MIN(b, RTE_SVA_FAULT_HIST_BUCKETS - 1u);
}

uint64_t
rte_sva_fault_hist_bucket_ns(unsigned int i)
{
	unsigned int o = i / 4 + 2;

	return (4ull + (i & 3)) << (o - 2);
}

uint64_t
rte_sva_fault_hist_percentile(const struct rte_sva_fault_stats *st, double pct)
{
	uint64_t total = 0, want, acc = 0;

	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		total += st->hist[i];
	if (total == 0)
		return 0;
	want = (uint64_t)(pct / 100.0 * total + 0.5);
	want = RTE_MAX(want, 1ull);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++) {
		acc += st->hist[i];
		if (acc >= want)
			return rte_sva_fault_hist_bucket_ns(i + 1);
	}
	return rte_sva_fault_hist_bucket_ns(RTE_SVA_FAULT_HIST_BUCKETS);
}

static void
hist_add(struct rte_sva_fault_stats *st, uint64_t tsc)
{
	uint64_t now = rte_rdtsc();
	uint64_t ns = now > tsc ? (now - tsc) * 1000000000ull / rte_get_tsc_hz() : 0;

	rte_sva_counter_add(&st->hist[hist_bucket(ns)], 1);
}

/* The responses of one dequeued burst, delivered together: one call of
 * the driver's page_response_burst (one write() for a kernel IOMMU). */
struct resp_batch {
	uint16_t n;
	struct rte_sva_page_response r[FQ_BURST];
	uint64_t tsc[FQ_BURST];     /* when each group's first request came */
};

static void
resp_flush(struct rte_sva_dev *dev, struct rte_sva_fault_queue *fq,
	   struct resp_batch *b)
{
	if (b->n == 0)
		return;
	if (dev->dev_ops->page_response_burst != NULL)
		dev->dev_ops->page_response_burst(dev, b->r, b->n);
	else
		for (uint16_t i = 0; i < b->n; i++)
			dev->dev_ops->page_response(dev, &b->r[i]);
	for (uint16_t i = 0; i < b->n; i++)
		hist_add(&fq->st, b->tsc[i]);
	b->n = 0;
}

static void
handle_record(struct rte_sva_fault_queue *fq, const struct rte_sva_fault *f,
	      struct resp_batch *b)
{
	struct rte_sva_fault_pasid_stats *ps;
	struct fq_group *g;
	int code;

	if (f->type == RTE_SVA_FAULT_UNRECOV) {
		rte_sva_unrecov_cb_t cb = __atomic_load_n(&unrecov_cb, __ATOMIC_ACQUIRE);

		rte_sva_counter_add(&fq->st.unrecoverable[RTE_MIN(f->reason,
					RTE_SVA_FAULT_REASON_NB - 1u)], 1);
		if (cb != NULL)
			cb(f, unrecov_arg);
		return;
	}
	rte_sva_counter_add(&fq->st.requests, 1);
	ps = pasid_stats(fq, f->pasid);
	if (ps != NULL)
		rte_sva_counter_add(&ps->requests, 1);
	g = &fq->grp[f->grpid % FQ_GROUPS];
	if (!g->open) {
		g->open = true;
		g->code = RTE_SVA_PAGE_RESP_SUCCESS;
		g->tsc = f->tsc;
	}
	/* Once a page of the group fails, the rest are not worth resolving. */
	if (g->code == RTE_SVA_PAGE_RESP_SUCCESS) {
		code = resolve_page(f);
		if (code != RTE_SVA_PAGE_RESP_SUCCESS)
			g->code = code == RTE_SVA_PAGE_RESP_FAILURE ?
				RTE_SVA_PAGE_RESP_FAILURE : RTE_SVA_PAGE_RESP_INVALID;
	}
	if (f->flags & RTE_SVA_FAULT_F_LAST_PAGE) {
		/* A burst holds at most FQ_BURST records: room for each. */
		b->r[b->n] = (struct rte_sva_page_response){
			.pasid = f->pasid, .grpid = f->grpid, .code = g->code,
			.cookie = f->cookie,
		};
		b->tsc[b->n++] = g->tsc;
		rte_sva_counter_add(&fq->st.groups, 1);
		if (g->code == RTE_SVA_PAGE_RESP_SUCCESS)
			rte_sva_counter_add(&fq->st.resp_success, 1);
		else if (g->code == RTE_SVA_PAGE_RESP_INVALID)
			rte_sva_counter_add(&fq->st.resp_invalid, 1);
		else
			rte_sva_counter_add(&fq->st.resp_failure, 1);
		if (ps != NULL) {
			if (g->code == RTE_SVA_PAGE_RESP_SUCCESS)
				rte_sva_counter_add(&ps->resp_success, 1);
			else if (g->code == RTE_SVA_PAGE_RESP_INVALID)
				rte_sva_counter_add(&ps->resp_invalid, 1);
			else
				rte_sva_counter_add(&ps->resp_failure, 1);
		}
		g->open = false;
	}
}

int
rte_sva_fault_process(int16_t dev_id, uint16_t max)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	struct rte_sva_fault recs[FQ_BURST];
	struct resp_batch batch;
	struct rte_sva_fault_queue *fq;
	uint32_t expected = 0;
	int done = 0;

	if (dev == NULL)
		return -EINVAL;
	/* Announced before the queue is read: sva_fault_queue_free() waits. */
	__atomic_fetch_add(&fq_pollers[dev_id], 1, __ATOMIC_SEQ_CST);
	fq = __atomic_load_n(&dev->fq, __ATOMIC_SEQ_CST);
	if (fq == NULL || dev->dev_ops->page_response == NULL) {
		__atomic_fetch_sub(&fq_pollers[dev_id], 1, __ATOMIC_RELEASE);
		return -ENOTSUP;
	}
	/* One consumer at a time (workers, services and pollers may race). */
	if (!__atomic_compare_exchange_n(&fq->busy, &expected, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		__atomic_fetch_sub(&fq_pollers[dev_id], 1, __ATOMIC_RELEASE);
		return 0;
	}
	while (done < max) {
		unsigned int n = rte_ring_sc_dequeue_burst_elem(fq->ring, recs,
					sizeof(recs[0]),
					RTE_MIN((unsigned int)(max - done), (unsigned int)FQ_BURST),
					NULL);

		if (n == 0)
			break;
		batch.n = 0;
		for (unsigned int i = 0; i < n; i++)
			handle_record(fq, &recs[i], &batch);
		resp_flush(dev, fq, &batch);
		done += n;
	}
	__atomic_store_n(&fq->busy, 0, __ATOMIC_RELEASE);
	__atomic_fetch_sub(&fq_pollers[dev_id], 1, __ATOMIC_RELEASE);
	return done;
}

/* ------------------------------------------------------- workers, service */

static uint32_t worker_run;
static int worker_lcore = -1;

static unsigned int
poll_all(void)
{
	unsigned int work = 0;
	int16_t d;

	RTE_SVA_FOREACH_DEV(d) {
		int n = rte_sva_fault_process(d, FQ_BURST);

		if (n > 0)
			work += n;
	}
	return work;
}

static int
worker_main(void *arg)
{
	unsigned int idle = 0;

	RTE_SET_USED(arg);
	while (__atomic_load_n(&worker_run, __ATOMIC_ACQUIRE)) {
		if (poll_all() != 0) {
			idle = 0;
			continue;
		}
		/* Stay hot for a while, then let a sharing thread run. */
		if (++idle < 1024)
			rte_pause();
		else
			sched_yield();
	}
	poll_all();
	return 0;
}

int
rte_sva_fault_worker_start(unsigned int lcore_id)
{
	int ret;

	if (worker_lcore >= 0) {
		RTE_SVA_LOG(ERR, "a fault worker already runs on lcore %d",
			    worker_lcore);
		return -EBUSY;
	}
	if (lcore_id >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore_id) ||
	    lcore_id == rte_get_main_lcore()) {
		RTE_SVA_LOG(ERR, "fault worker: lcore %u is not a worker lcore",
			    lcore_id);
		return -EINVAL;
	}
	__atomic_store_n(&worker_run, 1, __ATOMIC_RELEASE);
	ret = rte_eal_remote_launch(worker_main, NULL, lcore_id);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "fault worker: lcore %u is busy", lcore_id);
		return -EINVAL;
	}
	worker_lcore = (int)lcore_id;
	return 0;
}

int
rte_sva_fault_worker_stop(void)
{
	if (worker_lcore < 0)
		return -ENOENT;
	__atomic_store_n(&worker_run, 0, __ATOMIC_RELEASE);
	rte_eal_wait_lcore((unsigned int)worker_lcore);
	worker_lcore = -1;
	return 0;
}

static int32_t
service_cb(void *arg)
{
	RTE_SET_USED(arg);
	return poll_all() != 0 ? 0 : -EAGAIN;
}

int
rte_sva_fault_service_register(uint32_t *service_id)
{
	struct rte_service_spec spec = {
		.callback = service_cb,
		.capabilities = RTE_SERVICE_CAP_MT_SAFE,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	if (service_id == NULL)
		return -EINVAL;
	snprintf(spec.name, sizeof(spec.name), "sva_fault");
	ret = rte_service_component_register(&spec, service_id);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "cannot register the fault service: %s",
			    strerror(-ret));
		return ret;
	}
	rte_service_component_runstate_set(*service_id, 1);
	return 0;
}

/* ----------------------------------------------------------------- stats */

/* The counters a worker adds to while others read or reset them (see
 * rte_sva_counter_add()). */
static void
fault_stats_copy(struct rte_sva_fault_stats *dst, const struct rte_sva_fault_stats *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->requests = rte_sva_counter_read(&src->requests);
	dst->groups = rte_sva_counter_read(&src->groups);
	dst->resp_success = rte_sva_counter_read(&src->resp_success);
	dst->resp_invalid = rte_sva_counter_read(&src->resp_invalid);
	dst->resp_failure = rte_sva_counter_read(&src->resp_failure);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_REASON_NB; i++)
		dst->unrecoverable[i] = rte_sva_counter_read(&src->unrecoverable[i]);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		dst->hist[i] = rte_sva_counter_read(&src->hist[i]);
}

static void
fault_counters_zero(struct rte_sva_fault_stats *st)
{
	rte_sva_counter_reset(&st->requests);
	rte_sva_counter_reset(&st->groups);
	rte_sva_counter_reset(&st->resp_success);
	rte_sva_counter_reset(&st->resp_invalid);
	rte_sva_counter_reset(&st->resp_failure);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_REASON_NB; i++)
		rte_sva_counter_reset(&st->unrecoverable[i]);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		rte_sva_counter_reset(&st->hist[i]);
}

static void
pasid_counters_zero(struct rte_sva_fault_pasid_stats *st)
{
	rte_sva_counter_reset(&st->requests);
	rte_sva_counter_reset(&st->resp_success);
	rte_sva_counter_reset(&st->resp_invalid);
	rte_sva_counter_reset(&st->resp_failure);
}

static int
rte_sva_fault_stats_get_locked(int16_t dev_id, struct rte_sva_fault_stats *st)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);

	if (dev == NULL || st == NULL) {
		RTE_SVA_LOG(ERR, "fault stats: %s", dev == NULL ? "invalid dev_id" :
			    "NULL stats");
		return -EINVAL;
	}
	if (dev->fq == NULL)
		return -ENOTSUP;
	fault_stats_copy(st, &dev->fq->st);
	st->queue_size = dev->fq->size;
	st->queue_hwm = __atomic_load_n(&dev->fq->hwm, __ATOMIC_RELAXED);
	st->queue_full = __atomic_load_n(&dev->fq->queue_full, __ATOMIC_RELAXED);
	st->stale_responses = __atomic_load_n(&dev->fq->stale, __ATOMIC_RELAXED);
	st->device_invalid = __atomic_load_n(&dev->fq->device_invalid,
					     __ATOMIC_RELAXED);
	return 0;
}

static int
rte_sva_fault_stats_reset_locked(int16_t dev_id)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);

	if (dev == NULL)
		return -EINVAL;
	if (dev->fq == NULL)
		return -ENOTSUP;
	/* A worker may be counting meanwhile: atomic stores, field by field. */
	fault_counters_zero(&dev->fq->st);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_PASIDS_TRACKED; i++) {
		struct fq_pasid *p = &dev->fq->pasids[i];

		pasid_counters_zero(&p->st);
		__atomic_store_n(&p->pasid, 0, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&dev->fq->hwm, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->fq->queue_full, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->fq->stale, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->fq->device_invalid, 0, __ATOMIC_RELAXED);
	return 0;
}

static int
rte_sva_fault_pasid_stats_get_locked(int16_t dev_id, uint32_t pasid,
			      struct rte_sva_fault_pasid_stats *st)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);

	if (dev == NULL || st == NULL) {
		RTE_SVA_LOG(ERR, "fault PASID stats: %s",
			    dev == NULL ? "invalid dev_id" : "NULL stats");
		return -EINVAL;
	}
	if (dev->fq == NULL)
		return -ENOTSUP;
	for (unsigned int i = 0; i < RTE_SVA_FAULT_PASIDS_TRACKED; i++) {
		const struct fq_pasid *p = &dev->fq->pasids[i];

		if (__atomic_load_n(&p->pasid, __ATOMIC_RELAXED) == pasid && pasid != 0) {
			st->requests = rte_sva_counter_read(&p->st.requests);
			st->resp_success = rte_sva_counter_read(&p->st.resp_success);
			st->resp_invalid = rte_sva_counter_read(&p->st.resp_invalid);
			st->resp_failure = rte_sva_counter_read(&p->st.resp_failure);
			return 0;
		}
	}
	return -ENOENT;
}

/* Under the control lock: a device released meanwhile takes its fault
 * queue with it. */
int
rte_sva_fault_stats_get(int16_t dev_id, struct rte_sva_fault_stats *st)
{
	int ret;

	sva_ctrl_lock();
	ret = rte_sva_fault_stats_get_locked(dev_id, st);
	sva_ctrl_unlock();
	return ret;
}

int
rte_sva_fault_stats_reset(int16_t dev_id)
{
	int ret;

	sva_ctrl_lock();
	ret = rte_sva_fault_stats_reset_locked(dev_id);
	sva_ctrl_unlock();
	return ret;
}

int
rte_sva_fault_pasid_stats_get(int16_t dev_id, uint32_t pasid,
			      struct rte_sva_fault_pasid_stats *st)
{
	int ret;

	sva_ctrl_lock();
	ret = rte_sva_fault_pasid_stats_get_locked(dev_id, pasid, st);
	sva_ctrl_unlock();
	return ret;
}
