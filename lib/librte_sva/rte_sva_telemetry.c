/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Telemetry endpoints of librte_sva, built on the public API only:
 *
 *   /sva/list                     array of device ids
 *   /sva/info,<dev_id>            device information and capabilities
 *   /sva/stats,<dev_id>[,<qid>]   statistics (all queues without qid)
 *   /sva/bonds                    containers: devices and bonds
 *   /sva/faults,<dev_id>          fault-queue statistics and histograms
 *
 * A callback returning < 0 makes the telemetry library answer
 * {"<cmd>":null}: bad, missing or extra parameters give -EINVAL (also for
 * the commands that take none), a device without a fault queue -ENOTSUP.
 *
 * The callbacks run on the telemetry thread, beside the application's
 * control threads, and are built on the public API. Every call they make
 * takes the control lock; /sva/info, /sva/stats and /sva/bonds also hold
 * it (sva_ctrl_lock(), recursive) over the whole reply, so that a device
 * closed meanwhile gives null, never a reply that is half of it (its name
 * and driver strings live in the device), and a container's devices and
 * bonds are those of one moment. /sva/list reads device states only
 * (atomics) and /sva/faults one locked copy of the statistics. The
 * counters are a snapshot: the data path updates them without the lock.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_fault.h"
#include "rte_sva_iommu.h"
#include "sva_compat.h"
#include "sva_internal.h"

/* Most bonds listed per container (the output is limited to 16 KB). */
#define SVA_TEL_MAX_BONDS 64

struct sva_tel_flag {
	uint64_t bit;
	const char *name;
};

static const struct sva_tel_flag op_flags[] = {
	{ RTE_SVA_OP_CAPA_COPY, "copy" },
	{ RTE_SVA_OP_CAPA_FILL, "fill" },
	{ RTE_SVA_OP_CAPA_COMPARE, "compare" },
	{ RTE_SVA_OP_CAPA_COMPARE_PATTERN, "compare_pattern" },
	{ RTE_SVA_OP_CAPA_CRC32C, "crc32c" },
	{ RTE_SVA_OP_CAPA_COPY_CRC32C, "copy_crc32c" },
	{ RTE_SVA_OP_CAPA_DUALCAST, "dualcast" },
};

static const struct sva_tel_flag dev_flags[] = {
	{ RTE_SVA_CAPA_PAGE_REQUEST, "page_request" },
	{ RTE_SVA_CAPA_ATS, "ats" },
	{ RTE_SVA_CAPA_BLOCK_ON_FAULT, "block_on_fault" },
	{ RTE_SVA_CAPA_SHARED_QUEUE, "shared_queue" },
	{ RTE_SVA_CAPA_DEDICATED_QUEUE, "dedicated_queue" },
	{ RTE_SVA_CAPA_OVERLAP_COPY, "overlap_copy" },
	{ RTE_SVA_CAPA_SYSWIDE_PASID, "syswide_pasid" },
	{ RTE_SVA_CAPA_FOREIGN_BIND, "foreign_bind" },
	{ RTE_SVA_CAPA_SOFTWARE, "software" },
};

static const struct sva_tel_flag iommu_flags[] = {
	{ RTE_SVA_IOMMU_CAP_SYSWIDE_PASID, "syswide_pasid" },
	{ RTE_SVA_IOMMU_CAP_PAGE_REQUEST, "page_request" },
	{ RTE_SVA_IOMMU_CAP_CACHE_INVLD, "cache_invld" },
	{ RTE_SVA_IOMMU_CAP_FOREIGN_BIND, "foreign_bind" },
};

static const struct sva_tel_flag inv_flags[] = {
	{ RTE_SVA_INV_IOTLB, "iotlb" },
	{ RTE_SVA_INV_DEV_IOTLB, "dev_iotlb" },
	{ RTE_SVA_INV_PASID, "pasid" },
};

static const char *const reason_names[RTE_SVA_FAULT_REASON_NB] = {
	[RTE_SVA_FAULT_REASON_UNKNOWN] = "unknown",
	[RTE_SVA_FAULT_REASON_PASID_FETCH] = "pasid_fetch",
	[RTE_SVA_FAULT_REASON_BAD_PASID_ENTRY] = "bad_pasid_entry",
	[RTE_SVA_FAULT_REASON_PASID_INVALID] = "pasid_invalid",
	[RTE_SVA_FAULT_REASON_WALK_EABT] = "walk_eabt",
	[RTE_SVA_FAULT_REASON_PTE_FETCH] = "pte_fetch",
	[RTE_SVA_FAULT_REASON_PERMISSION] = "permission",
	[RTE_SVA_FAULT_REASON_ACCESS] = "access",
	[RTE_SVA_FAULT_REASON_OOR_ADDRESS] = "oor_address",
};

/*
 * Parse one decimal number at *p, up to max, followed by ',' or the end.
 * Advances *p past the number and a ','. @return 0 or -EINVAL.
 */
static int
parse_num(const char **p, unsigned long max, unsigned long *val)
{
	const char *s = *p;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno != 0 || *val > max || (*end != '\0' && *end != ','))
		return -EINVAL;
	if (*end == ',') {
		end++;
		if (*end == '\0')
			return -EINVAL;	/* "3," */
	}
	*p = end;
	return 0;
}

/* A valid device id at *p. @return 0 or -EINVAL. */
static int
parse_dev(const char **p, int16_t *dev_id)
{
	unsigned long v;

	if (parse_num(p, INT16_MAX, &v) != 0 || !rte_sva_is_valid((int16_t)v))
		return -EINVAL;
	*dev_id = (int16_t)v;
	return 0;
}

/* Add capa as a hex string under name and its flag names under
 * name_flags (unknown bits as "bit<n>"). */
static int
add_flags(struct rte_tel_data *d, const char *name, uint64_t capa,
	  const struct sva_tel_flag *flags, unsigned int nb)
{
	struct rte_tel_data *arr;
	char buf[RTE_TEL_MAX_STRING_LEN];
	uint64_t known = 0;

	snprintf(buf, sizeof(buf), "0x%" PRIx64, capa);
	rte_tel_data_add_dict_string(d, name, buf);
	arr = rte_tel_data_alloc();
	if (arr == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(arr, RTE_TEL_STRING_VAL);
	for (unsigned int i = 0; i < nb; i++) {
		known |= flags[i].bit;
		if (capa & flags[i].bit)
			rte_tel_data_add_array_string(arr, flags[i].name);
	}
	for (unsigned int b = 0; b < 64; b++)
		if ((capa & ~known) & RTE_BIT64(b)) {
			snprintf(buf, sizeof(buf), "bit%u", b);
			rte_tel_data_add_array_string(arr, buf);
		}
	snprintf(buf, sizeof(buf), "%s_flags", name);
	if (rte_tel_data_add_dict_container(d, buf, arr, 0) != 0) {
		rte_tel_data_free(arr);
		return -EINVAL;
	}
	return 0;
}

/* The telemetry library passes NULL when the command has no parameters
 * ("/sva/list" and "/sva/list," alike). */
static bool
no_params(const char *params)
{
	return params == NULL || params[0] == '\0';
}

static int
sva_tel_list(const char *cmd __rte_unused, const char *params,
	     struct rte_tel_data *d)
{
	int16_t id;

	if (!no_params(params))
		return -EINVAL;
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	RTE_SVA_FOREACH_DEV(id)
		rte_tel_data_add_array_int(d, id);
	return 0;
}

static int
sva_tel_info_locked(const char *params, struct rte_tel_data *d)
{
	struct rte_sva_capability cap;
	struct rte_sva_info info;
	const char *p = params;
	int16_t dev_id;
	int ret;

	if (parse_dev(&p, &dev_id) != 0 || *p != '\0')
		return -EINVAL;
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "dev_id", dev_id);
	rte_tel_data_add_dict_string(d, "name", info.dev_name);
	rte_tel_data_add_dict_string(d, "driver", info.driver_name);
	rte_tel_data_add_dict_int(d, "numa_node", info.numa_node);
	rte_tel_data_add_dict_int(d, "nb_queues", info.nb_queues);
	rte_tel_data_add_dict_int(d, "max_queues", info.max_queues);
	rte_tel_data_add_dict_int(d, "max_wqs", info.max_wqs);
	rte_tel_data_add_dict_int(d, "min_desc", info.min_desc);
	rte_tel_data_add_dict_int(d, "max_desc", info.max_desc);
	sva_tel_add_dict_u64(d, "max_xfer_size", info.max_xfer_size);
	rte_tel_data_add_dict_int(d, "pasid_bits", info.pasid_bits);
	rte_tel_data_add_dict_int(d, "addr_width", info.addr_width);
	ret = add_flags(d, "op_capa", info.op_capa, op_flags, RTE_DIM(op_flags));
	if (ret == 0)
		ret = add_flags(d, "dev_capa", info.dev_capa, dev_flags,
				RTE_DIM(dev_flags));
	if (ret == 0 && rte_sva_capability_get(dev_id, &cap) == 0) {
		ret = add_flags(d, "iommu_cap", cap.flags, iommu_flags,
				RTE_DIM(iommu_flags));
		if (ret == 0)
			ret = add_flags(d, "inv_caches", cap.inv_caches,
					inv_flags, RTE_DIM(inv_flags));
	}
	return ret;
}

static int
sva_tel_info(const char *cmd __rte_unused, const char *params,
	     struct rte_tel_data *d)
{
	int ret;

	sva_ctrl_lock();
	ret = sva_tel_info_locked(params, d);
	sva_ctrl_unlock();
	return ret;
}

static void
add_stats(struct rte_tel_data *d, const struct rte_sva_stats *st, bool dev)
{
	sva_tel_add_dict_u64(d, "submitted", st->submitted);
	sva_tel_add_dict_u64(d, "completed", st->completed);
	sva_tel_add_dict_u64(d, "errors", st->errors);
	sva_tel_add_dict_u64(d, "page_faults", st->page_faults);
	sva_tel_add_dict_u64(d, "submit_retries", st->submit_retries);
	sva_tel_add_dict_u64(d, "bytes", st->bytes);
	if (dev) {
		sva_tel_add_dict_u64(d, "atc_hits", st->atc_hits);
		sva_tel_add_dict_u64(d, "atc_misses", st->atc_misses);
		sva_tel_add_dict_u64(d, "busy_ns", st->busy_ns);
	}
}

static int
sva_tel_stats_locked(const char *params, struct rte_tel_data *d)
{
	struct rte_sva_stats st;
	struct rte_sva_info info;
	uint16_t qid = RTE_SVA_ALL_QUEUES;
	const char *p = params;
	unsigned long v;
	int16_t dev_id;
	int ret;

	if (parse_dev(&p, &dev_id) != 0 || rte_sva_info_get(dev_id, &info) != 0)
		return -EINVAL;
	if (*p != '\0') {
		if (parse_num(&p, UINT16_MAX, &v) != 0 || *p != '\0' ||
		    v >= info.nb_queues)
			return -EINVAL;
		qid = (uint16_t)v;
	} else if (info.nb_queues == 0) {
		return -EINVAL;		/* not configured: no statistics */
	}
	ret = rte_sva_stats_get(dev_id, qid, &st);
	if (ret != 0)
		return ret;
	rte_tel_data_start_dict(d);
	add_stats(d, &st, qid == RTE_SVA_ALL_QUEUES);
	return 0;
}

static int
sva_tel_stats(const char *cmd __rte_unused, const char *params,
	      struct rte_tel_data *d)
{
	int ret;

	sva_ctrl_lock();
	ret = sva_tel_stats_locked(params, d);
	sva_ctrl_unlock();
	return ret;
}

static struct rte_tel_data *
bond_dict(const struct rte_sva_bond_info *b)
{
	struct rte_tel_data *t = rte_tel_data_alloc();

	if (t == NULL)
		return NULL;
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_int(t, "pid", b->pid);
	sva_tel_add_dict_u64(t, "pasid", b->pasid);
	sva_tel_add_dict_u64(t, "refs", b->refs);
	rte_tel_data_add_dict_int(t, "self", b->self);
	rte_tel_data_add_dict_int(t, "defunct", b->defunct);
	rte_tel_data_add_dict_int(t, "kernel_pasid", b->kernel_pasid);
	return t;
}

/* One container: {"devs":[...],"nb_bonds":n,"bonds":{"<pid>":{...}}}. */
static struct rte_tel_data *
container_dict(int cid)
{
	struct rte_sva_bond_info bonds[SVA_TEL_MAX_BONDS];
	int16_t devs[RTE_SVA_MAX_DEVS];
	struct rte_tel_data *c, *a, *b, *t;
	char key[RTE_TEL_MAX_STRING_LEN];
	int nd, nb;

	nd = rte_sva_container_devs(cid, devs, RTE_DIM(devs));
	nb = rte_sva_container_bonds(cid, bonds, RTE_DIM(bonds));
	if (nd < 0 || nb < 0)
		return NULL;	/* destroyed meanwhile */
	c = rte_tel_data_alloc();
	a = rte_tel_data_alloc();
	b = rte_tel_data_alloc();
	if (c == NULL || a == NULL || b == NULL)
		goto fail;
	rte_tel_data_start_dict(c);
	rte_tel_data_start_array(a, RTE_TEL_INT_VAL);
	rte_tel_data_start_dict(b);
	for (int i = 0; i < RTE_MIN(nd, (int)RTE_DIM(devs)); i++)
		rte_tel_data_add_array_int(a, devs[i]);
	for (int i = 0; i < RTE_MIN(nb, (int)RTE_DIM(bonds)); i++) {
		t = bond_dict(&bonds[i]);
		if (t == NULL)
			goto fail;
		snprintf(key, sizeof(key), "%d", bonds[i].pid);
		if (rte_tel_data_add_dict_container(b, key, t, 0) != 0)
			rte_tel_data_free(t);
	}
	rte_tel_data_add_dict_int(c, "cid", cid);
	rte_tel_data_add_dict_container(c, "devs", a, 0);
	rte_tel_data_add_dict_int(c, "nb_bonds", nb);
	rte_tel_data_add_dict_container(c, "bonds", b, 0);
	return c;
fail:
	rte_tel_data_free(b);
	rte_tel_data_free(a);
	rte_tel_data_free(c);
	return NULL;
}

static int
sva_tel_bonds(const char *cmd __rte_unused, const char *params,
	      struct rte_tel_data *d)
{
	char key[RTE_TEL_MAX_STRING_LEN];

	if (!no_params(params))
		return -EINVAL;
	rte_tel_data_start_dict(d);
	/* One snapshot: a container's devices and bonds as of one moment. */
	sva_ctrl_lock();
	for (int cid = 0; cid < RTE_SVA_MAX_CONTAINERS; cid++) {
		struct rte_tel_data *c;

		if (!rte_sva_container_is_valid(cid))
			continue;
		c = container_dict(cid);
		if (c == NULL)
			continue;
		snprintf(key, sizeof(key), "%d", cid);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
	sva_ctrl_unlock();
	return 0;
}

/* A histogram's non-empty buckets: lower bound in ns -> count. At most
 * RTE_SVA_FAULT_HIST_BUCKETS (256) entries, what a dict holds
 * (RTE_TEL_MAX_DICT_ENTRIES). */
static_assert(RTE_SVA_FAULT_HIST_BUCKETS <= RTE_TEL_MAX_DICT_ENTRIES,
	      "a histogram's buckets fit a telemetry dict");

static void
hist_dict(struct rte_tel_data *h, const uint64_t *hist)
{
	char key[RTE_TEL_MAX_STRING_LEN];

	rte_tel_data_start_dict(h);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++) {
		if (hist[i] == 0)
			continue;
		snprintf(key, sizeof(key), "%" PRIu64,
			 rte_sva_fault_hist_bucket_ns(i));
		sva_tel_add_dict_u64(h, key, hist[i]);
	}
}

/* One latency histogram of st into d: its percentiles <prefix>p50_ns,
 * <prefix>p99_ns and <prefix>p99_9_ns (keys may not contain '.': p99_9
 * is the 99.9th percentile), from pct_fn, then its buckets hist as the
 * dict <prefix>hist, built in h, which d takes. */
static void
latency_add(struct rte_tel_data *d, struct rte_tel_data *h, const char *prefix,
	    const struct rte_sva_fault_stats *st, const uint64_t *hist,
	    uint64_t (*pct_fn)(const struct rte_sva_fault_stats *, double))
{
	static const struct { double pct; const char *key; } pcts[] = {
		{ 50.0, "p50_ns" }, { 99.0, "p99_ns" }, { 99.9, "p99_9_ns" },
	};
	char key[RTE_TEL_MAX_STRING_LEN];

	for (unsigned int i = 0; i < RTE_DIM(pcts); i++) {
		snprintf(key, sizeof(key), "%s%s", prefix, pcts[i].key);
		sva_tel_add_dict_u64(d, key, pct_fn(st, pcts[i].pct));
	}
	hist_dict(h, hist);
	snprintf(key, sizeof(key), "%shist", prefix);
	rte_tel_data_add_dict_container(d, key, h, 0);
}

static int
sva_tel_faults(const char *cmd __rte_unused, const char *params,
	       struct rte_tel_data *d)
{
	struct rte_sva_fault_stats *st;
	struct rte_tel_data *u = NULL, *h = NULL, *rh = NULL;
	const char *p = params;
	int16_t dev_id;
	int ret;

	if (parse_dev(&p, &dev_id) != 0 || *p != '\0')
		return -EINVAL;
	st = malloc(sizeof(*st));	/* 4.2 KB: keep it off the stack */
	if (st == NULL)
		return -ENOMEM;
	ret = rte_sva_fault_stats_get(dev_id, st);
	if (ret != 0)
		goto out;	/* -ENOTSUP: no fault queue */
	u = rte_tel_data_alloc();
	h = rte_tel_data_alloc();
	rh = rte_tel_data_alloc();
	if (u == NULL || h == NULL || rh == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	rte_tel_data_start_dict(d);
	sva_tel_add_dict_u64(d, "requests", st->requests);
	sva_tel_add_dict_u64(d, "groups", st->groups);
	sva_tel_add_dict_u64(d, "resp_success", st->resp_success);
	sva_tel_add_dict_u64(d, "resp_invalid", st->resp_invalid);
	sva_tel_add_dict_u64(d, "resp_failure", st->resp_failure);
	sva_tel_add_dict_u64(d, "stale_responses", st->stale_responses);
	sva_tel_add_dict_u64(d, "device_invalid", st->device_invalid);
	rte_tel_data_start_dict(u);
	for (unsigned int r = 0; r < RTE_SVA_FAULT_REASON_NB; r++)
		sva_tel_add_dict_u64(u, reason_names[r],
					  st->unrecoverable[r]);
	rte_tel_data_add_dict_container(d, "unrecoverable", u, 0);
	u = NULL;
	sva_tel_add_dict_u64(d, "queue_full", st->queue_full);
	sva_tel_add_dict_u64(d, "queue_size", st->queue_size);
	sva_tel_add_dict_u64(d, "queue_hwm", st->queue_hwm);
	latency_add(d, h, "", st, st->hist, rte_sva_fault_hist_percentile);
	h = NULL;
	/* The resolve's share of those round trips, per page request. */
	latency_add(d, rh, "resolve_", st, st->resolve_hist,
		    rte_sva_fault_resolve_percentile);
	rh = NULL;
out:
	rte_tel_data_free(rh);
	rte_tel_data_free(h);
	rte_tel_data_free(u);
	free(st);
	return ret;
}

RTE_INIT(sva_telemetry_init)
{
	rte_telemetry_register_cmd("/sva/list", sva_tel_list,
		"Returns list of SVA device ids. Takes no parameters");
	rte_telemetry_register_cmd("/sva/info", sva_tel_info,
		"Returns information for an SVA device. Parameters: int dev_id");
	rte_telemetry_register_cmd("/sva/stats", sva_tel_stats,
		"Returns statistics of an SVA device, of all queues or one. Parameters: int dev_id, [int qid]");
	rte_telemetry_register_cmd("/sva/bonds", sva_tel_bonds,
		"Returns every SVA container with its devices and bonds. Takes no parameters");
	rte_telemetry_register_cmd("/sva/faults", sva_tel_faults,
		"Returns page-fault statistics of an SVA device with a fault queue. Parameters: int dev_id");
}
