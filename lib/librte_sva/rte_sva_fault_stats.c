/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Counters of the fault path: per device, per PASID, and the histograms
 * of the round trip and of the resolve. The consumer of a fault queue
 * adds; any thread reads or resets under the control lock
 * (rte_sva_counter_*()).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "rte_sva.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_fault.h"
#include "rte_sva_fault_priv.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

/* Percentile pct of histogram h (RTE_SVA_FAULT_HIST_BUCKETS buckets):
 * the upper bound of the bucket the pct-th value falls in; 0 for an
 * empty histogram. pct outside 0..100 is the nearer end, NaN 0: a
 * negative double converted to an unsigned integer is undefined (on x86
 * -10 gave the last bound, 2^34 ns), and above 100 the loop found no
 * bucket (the last bound again, whatever the histogram held). */
static uint64_t
hist_percentile(const uint64_t *h, double pct)
{
	uint64_t total = 0, want, acc = 0;

	if (!(pct > 0))
		pct = 0;
	else if (pct > 100)
		pct = 100;
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++)
		total += h[i];
	if (total == 0)
		return 0;
	want = (uint64_t)(pct / 100.0 * total + 0.5);
	want = RTE_MAX(want, 1ull);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++) {
		acc += h[i];
		if (acc >= want)
			return rte_sva_fault_hist_bucket_ns(i + 1);
	}
	return rte_sva_fault_hist_bucket_ns(RTE_SVA_FAULT_HIST_BUCKETS);
}

uint64_t
rte_sva_fault_hist_bucket_ns(unsigned int i)
{
	i = RTE_MIN(i, (unsigned int)RTE_SVA_FAULT_HIST_BUCKETS);
	/* The inverse of sva_hist_slot() (rte_sva_fault_priv.h): eight
	 * mantissas 8..15 shifted by the octave, i itself below 16. */
	return i < 16 ? i : (uint64_t)(8 | (i & 7)) << ((i >> 3) - 1);
}

uint64_t
rte_sva_fault_hist_percentile(const struct rte_sva_fault_stats *st, double pct)
{
	return hist_percentile(st->hist, pct);
}

uint64_t
rte_sva_fault_resolve_percentile(const struct rte_sva_fault_stats *st, double pct)
{
	return hist_percentile(st->resolve_hist, pct);
}

/* The counters a worker adds to while others read or reset them (see
 * rte_sva_counter_add()). */
static void
fault_stats_copy(struct rte_sva_fault_stats *dst, const struct fq_counters *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->requests = rte_sva_counter_read(&src->requests);
	dst->groups = rte_sva_counter_read(&src->groups);
	dst->resp_success = rte_sva_counter_read(&src->resp_success);
	dst->resp_invalid = rte_sva_counter_read(&src->resp_invalid);
	dst->resp_failure = rte_sva_counter_read(&src->resp_failure);
	dst->resp_errors = rte_sva_counter_read(&src->resp_errors);
	dst->partial_discarded = rte_sva_counter_read(&src->partial_discarded);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_REASON_NB; i++)
		dst->unrecoverable[i] = rte_sva_counter_read(&src->unrecoverable[i]);
	sva_hist_read(dst->hist, src->hist);
	sva_hist_read(dst->resolve_hist, src->resolve_hist);
}

static void
fault_counters_zero(struct fq_counters *st)
{
	uint64_t *c = (uint64_t *)st;

	for (size_t i = 0; i < sizeof(*st) / sizeof(*c); i++)
		rte_sva_counter_reset(&c[i]);
}

static void
pasid_counters_zero(struct rte_sva_fault_pasid_stats *st)
{
	rte_sva_counter_reset(&st->requests);
	rte_sva_counter_reset(&st->resp_success);
	rte_sva_counter_reset(&st->resp_invalid);
	rte_sva_counter_reset(&st->resp_failure);
	rte_sva_counter_reset(&st->resp_errors);
}

/* The device's fault queue for a statistics call, or NULL (logged, *err
 * set). Under the control lock: a close detaches the queue under it. */
static struct rte_sva_fault_queue *
stats_fq(int16_t dev_id, const char *what, int *err)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);

	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "%s: invalid dev_id %d", what, dev_id);
		*err = -EINVAL;
		return NULL;
	}
	if (dev->fq == NULL) {
		RTE_SVA_LOG(ERR, "%s: %s has no fault queue", what, dev->name);
		*err = -ENOTSUP;
		return NULL;
	}
	return dev->fq;
}

static int
rte_sva_fault_stats_get_locked(int16_t dev_id, struct rte_sva_fault_stats *st)
{
	struct rte_sva_fault_queue *fq;
	int ret;

	if (st == NULL) {
		RTE_SVA_LOG(ERR, "fault stats: NULL stats");
		return -EINVAL;
	}
	fq = stats_fq(dev_id, "fault stats", &ret);
	if (fq == NULL)
		return ret;
	fault_stats_copy(st, &fq->st);
	st->queue_size = fq->size;
	st->queue_hwm = __atomic_load_n(&fq->hwm, __ATOMIC_RELAXED);
	st->queue_full = __atomic_load_n(&fq->queue_full, __ATOMIC_RELAXED);
	st->stale_responses = __atomic_load_n(&fq->stale, __ATOMIC_RELAXED);
	st->device_invalid = __atomic_load_n(&fq->device_invalid, __ATOMIC_RELAXED);
	return 0;
}

static int
rte_sva_fault_stats_reset_locked(int16_t dev_id)
{
	struct rte_sva_fault_queue *fq;
	int ret;

	fq = stats_fq(dev_id, "fault stats reset", &ret);
	if (fq == NULL)
		return ret;
	/* A worker may be counting meanwhile: atomic stores, field by field. */
	fault_counters_zero(&fq->st);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_PASIDS_TRACKED; i++) {
		struct fq_pasid *p = &fq->pasids[i];

		pasid_counters_zero(&p->st);
		__atomic_store_n(&p->pasid, 0, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&fq->hwm, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fq->queue_full, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fq->stale, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fq->device_invalid, 0, __ATOMIC_RELAXED);
	return 0;
}

static int
rte_sva_fault_pasid_stats_get_locked(int16_t dev_id, uint32_t pasid,
				     struct rte_sva_fault_pasid_stats *st)
{
	struct rte_sva_fault_queue *fq;
	int ret;

	if (st == NULL) {
		RTE_SVA_LOG(ERR, "fault PASID stats: NULL stats");
		return -EINVAL;
	}
	fq = stats_fq(dev_id, "fault PASID stats", &ret);
	if (fq == NULL)
		return ret;
	for (unsigned int i = 0; i < RTE_SVA_FAULT_PASIDS_TRACKED; i++) {
		const struct fq_pasid *p = &fq->pasids[i];

		if (__atomic_load_n(&p->pasid, __ATOMIC_RELAXED) == pasid && pasid != 0) {
			st->requests = rte_sva_counter_read(&p->st.requests);
			st->resp_success = rte_sva_counter_read(&p->st.resp_success);
			st->resp_invalid = rte_sva_counter_read(&p->st.resp_invalid);
			st->resp_failure = rte_sva_counter_read(&p->st.resp_failure);
			st->resp_errors = rte_sva_counter_read(&p->st.resp_errors);
			return 0;
		}
	}
	RTE_SVA_LOG(ERR, "fault PASID stats: PASID %u raised no page request on %s (or is not tracked)",
		    pasid, fq->name);
	return -ENOENT;
}

/* Under the control lock: a device released meanwhile takes its fault
 * queue with it. */
SVA_CTRL_READ(int,
	rte_sva_fault_stats_get, (int16_t dev_id, struct rte_sva_fault_stats *st), (dev_id, st))
SVA_CTRL_CHANGE(rte_sva_fault_stats_reset, (int16_t dev_id), (dev_id))
SVA_CTRL_READ(int,
	rte_sva_fault_pasid_stats_get, (int16_t dev_id, uint32_t pasid, struct rte_sva_fault_pasid_stats *st), (dev_id, pasid, st))
