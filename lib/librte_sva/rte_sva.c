/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_string_fns.h>

#include "rte_sva.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_lifecycle.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

RTE_LOG_REGISTER(rte_sva_logtype, lib.sva, INFO);

static struct rte_sva_dev sva_devs[RTE_SVA_MAX_DEVS];
static struct rte_sva_fp_object sva_fp_array[RTE_SVA_MAX_DEVS];
struct rte_sva_fp_object *rte_sva_fp_objs = sva_fp_array;

RTE_INIT(sva_fp_init)
{
	for (unsigned int i = 0; i < RTE_DIM(sva_fp_array); i++) {
		sva_fp_obj_reset(&sva_fp_array[i]);
		sva_devs[i].dev_id = (int16_t)i;
	}
}

/* ------------------------------------------------------------- PMD side */

/*
 * Three fields of a device are read without the control lock: its state,
 * by rte_sva_is_valid(), rte_sva_next_dev() and rte_sva_count_avail() on
 * any thread (fault workers among them); its fault queue pointer fq, by
 * the fault path (rte_sva_fault.c); and its dev_id, constant per slot.
 * state and fq change only by atomic stores, under the lock. Every other
 * field is read and written under the control lock (sva_ctrl_lock()),
 * which the public control functions take, so that a telemetry request
 * never sees a device half configured.
 */
static __rte_always_inline enum rte_sva_dev_state
dev_state(const struct rte_sva_dev *dev)
{
	return __atomic_load_n(&dev->state, __ATOMIC_ACQUIRE);
}

static __rte_always_inline void
dev_state_set(struct rte_sva_dev *dev, enum rte_sva_dev_state st)
{
	__atomic_store_n(&dev->state, st, __ATOMIC_RELEASE);
}

/* Whether byte off of a device lies in a field that threads without the
 * control lock read (see above): dev_id, constant per slot, and state and
 * fq, which only atomic stores change. */
static bool
dev_lockfree_byte(size_t off)
{
#define IN_FIELD(f) (off >= offsetof(struct rte_sva_dev, f) && \
		     off < offsetof(struct rte_sva_dev, f) + sizeof(((struct rte_sva_dev *)0)->f))
	return IN_FIELD(dev_id) || IN_FIELD(state) || IN_FIELD(fq);
#undef IN_FIELD
}

/* Zero a free slot for its next device, under the control lock. A fault
 * worker may still look at it (it passed rte_sva_is_valid() before the
 * slot was freed): the fields it reads are left to their atomic owners,
 * never rewritten by a plain store. */
static void
dev_slot_clear(struct rte_sva_dev *dev)
{
	uint8_t *b = (uint8_t *)dev;

	for (size_t off = 0; off < sizeof(*dev); off++)
		if (!dev_lockfree_byte(off))
			b[off] = 0;
}

/* Under the control lock: a slot's name is rewritten when another thread
 * allocates it. */
static struct rte_sva_dev *
dev_by_name_locked(const char *name)
{
	if (name == NULL)
		return NULL;
	for (unsigned int i = 0; i < RTE_DIM(sva_devs); i++)
		if (dev_state(&sva_devs[i]) != RTE_SVA_DEV_UNUSED &&
		    strcmp(sva_devs[i].name, name) == 0)
			return &sva_devs[i];
	return NULL;
}

static struct rte_sva_dev *
rte_sva_pmd_get_dev_by_name_locked(const char *name)
{
	return dev_by_name_locked(name);
}

struct rte_sva_dev *
rte_sva_pmd_get_dev(int16_t dev_id)
{
	if (!rte_sva_is_valid(dev_id))
		return NULL;
	return &sva_devs[dev_id];
}

static struct rte_sva_dev *
rte_sva_pmd_allocate_locked(const char *name, int numa_node, size_t private_size)
{
	struct rte_sva_dev *dev = NULL;
	size_t len;

	if (name == NULL || private_size == 0) {
		RTE_SVA_LOG(ERR, "allocate needs a name and private data size");
		rte_errno = EINVAL;
		return NULL;
	}
	len = strnlen(name, RTE_SVA_NAME_MAX_LEN);
	if (len == 0 || len >= RTE_SVA_NAME_MAX_LEN) {
		RTE_SVA_LOG(ERR, "device name must be 1..%d characters",
			    RTE_SVA_NAME_MAX_LEN - 1);
		rte_errno = EINVAL;
		return NULL;
	}
	if (dev_by_name_locked(name) != NULL) {
		RTE_SVA_LOG(ERR, "device %s already exists", name);
		rte_errno = EEXIST;
		return NULL;
	}
	for (unsigned int i = 0; i < RTE_DIM(sva_devs); i++) {
		if (dev_state(&sva_devs[i]) == RTE_SVA_DEV_UNUSED &&
		    sva_devs[i].dev_private == NULL) {
			dev = &sva_devs[i];
			break;
		}
	}
	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "no free device slot for %s (max %d)", name,
			    RTE_SVA_MAX_DEVS);
		rte_errno = ENOSPC;
		return NULL;
	}

	dev_slot_clear(dev);
	dev->dev_private = rte_zmalloc_socket(name, private_size,
					      RTE_CACHE_LINE_SIZE, numa_node);
	if (dev->dev_private == NULL && numa_node != SOCKET_ID_ANY)
		dev->dev_private = rte_zmalloc_socket(name, private_size,
						      RTE_CACHE_LINE_SIZE,
						      SOCKET_ID_ANY);
	if (dev->dev_private == NULL) {
		RTE_SVA_LOG(ERR, "cannot allocate %zu bytes for %s",
			    private_size, name);
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strscpy(dev->name, name, sizeof(dev->name));
	dev->numa_node = numa_node;
	dev->fp_obj = &sva_fp_array[dev->dev_id];
	/* Stays invisible (UNUSED) until probing finishes. */
	return dev;
}

static void
rte_sva_pmd_probing_finish_locked(struct rte_sva_dev *dev)
{
	if (dev == NULL || dev->dev_private == NULL) {
		RTE_SVA_LOG(ERR, "probing_finish of a device never allocated");
		return;
	}
	dev->fp_obj->dev_private = dev->dev_private;
	dev_state_set(dev, RTE_SVA_DEV_READY);
}

static int rte_sva_stop_locked(int16_t dev_id);

/*
 * Close a stopped device and free it. The layers above are told first
 * (SVA_LC_CLOSING): the fault layer unpublishes the device's fault queue
 * and waits for every poller to leave, before the driver's close runs; a
 * worker still resolving a page request (in a slow handler, say) would
 * otherwise send its response into an engine the close has freed. That
 * late response is dropped and counted stale instead. A close the driver
 * refuses gives the queue back (SVA_LC_CLOSE_FAILED) and keeps the device.
 * Once closed, the device leaves its container and its fault queue is
 * freed (SVA_LC_RELEASED, bonds before faults), then the slot.
 */
static int
dev_close_free(struct rte_sva_dev *dev)
{
	int ret = 0;

	sva_lifecycle_notify(dev, SVA_LC_CLOSING);
	/* A device whose probe failed before probing_finish() was never
	 * opened: the driver has nothing to close (its ops may be unset). */
	if (dev->state != RTE_SVA_DEV_UNUSED && dev->dev_ops->dev_close != NULL)
		ret = dev->dev_ops->dev_close(dev);
	if (ret != 0) {
		sva_lifecycle_notify(dev, SVA_LC_CLOSE_FAILED);
		RTE_SVA_LOG(ERR, "%s: close failed: %s", dev->name, strerror(-ret));
		return ret;
	}
	sva_lifecycle_notify(dev, SVA_LC_RELEASED);
	dev_state_set(dev, RTE_SVA_DEV_UNUSED);
	sva_fp_obj_reset(dev->fp_obj);
	rte_free(dev->dev_private);
	dev_slot_clear(dev);
	return 0;
}

static int
rte_sva_pmd_release_locked(struct rte_sva_dev *dev)
{
	int ret;

	if (dev == NULL || dev->dev_private == NULL) {
		RTE_SVA_LOG(ERR, "release of an unallocated device");
		return -EINVAL;
	}
	if (dev->state == RTE_SVA_DEV_STARTED) {
		ret = rte_sva_stop_locked(dev->dev_id);
		if (ret != 0) {
			/* Closing would free what the device may still use. */
			RTE_SVA_LOG(ERR, "%s: not released: its stop failed", dev->name);
			return ret;
		}
	}
	ret = dev_close_free(dev);
	if (ret != 0)
		RTE_SVA_LOG(ERR, "%s: not released: its close failed", dev->name);
	return ret;
}

/* ------------------------------------------------------------ public API */

bool
rte_sva_is_valid(int16_t dev_id)
{
	return dev_id >= 0 && dev_id < RTE_SVA_MAX_DEVS &&
		dev_state(&sva_devs[dev_id]) != RTE_SVA_DEV_UNUSED;
}

uint16_t
rte_sva_count_avail(void)
{
	uint16_t n = 0;

	for (unsigned int i = 0; i < RTE_DIM(sva_devs); i++)
		if (dev_state(&sva_devs[i]) != RTE_SVA_DEV_UNUSED)
			n++;
	return n;
}

static int
rte_sva_get_dev_id_by_name_locked(const char *name)
{
	struct rte_sva_dev *dev;

	if (name == NULL) {
		RTE_SVA_LOG(ERR, "NULL device name");
		return -EINVAL;
	}
	dev = dev_by_name_locked(name);
	return dev == NULL ? -ENODEV : dev->dev_id;
}

int16_t
rte_sva_next_dev(int16_t start_dev_id)
{
	for (int i = RTE_MAX(start_dev_id, 0); i < RTE_SVA_MAX_DEVS; i++)
		if (dev_state(&sva_devs[i]) != RTE_SVA_DEV_UNUSED)
			return (int16_t)i;
	return -1;
}

/* Look a device up for a control function; logs on failure. */
static struct rte_sva_dev *
dev_lookup(int16_t dev_id, const char *what)
{
	if (!rte_sva_is_valid(dev_id)) {
		RTE_SVA_LOG(ERR, "%s: invalid dev_id %d", what, dev_id);
		return NULL;
	}
	return &sva_devs[dev_id];
}

static int
rte_sva_info_get_locked(int16_t dev_id, struct rte_sva_info *info)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "info_get");
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (info == NULL) {
		RTE_SVA_LOG(ERR, "info_get: NULL info for %s", dev->name);
		return -EINVAL;
	}
	memset(info, 0, sizeof(*info));
	ret = dev->dev_ops->dev_info_get(dev, info);
	if (ret != 0)
		return ret;
	info->dev_name = dev->name;
	info->driver_name = dev->device != NULL &&
		rte_dev_driver(dev->device) != NULL ?
		rte_driver_name(rte_dev_driver(dev->device)) : "unknown";
	info->nb_queues = dev->nb_queues;
	info->numa_node = dev->numa_node;
	return 0;
}

static bool
all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static int
rte_sva_configure_locked(int16_t dev_id, const struct rte_sva_conf *conf)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "configure");
	struct rte_sva_info info;
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (conf == NULL) {
		RTE_SVA_LOG(ERR, "%s: NULL conf", dev->name);
		return -EINVAL;
	}
	if (dev->state == RTE_SVA_DEV_STARTED) {
		RTE_SVA_LOG(ERR, "%s: stop the device before configuring it",
			    dev->name);
		return -EBUSY;
	}
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;
	if (conf->nb_queues == 0 ||
	    conf->nb_queues > RTE_MIN(info.max_queues, RTE_SVA_MAX_QUEUES)) {
		RTE_SVA_LOG(ERR, "%s: nb_queues %u out of range 1..%u",
			    dev->name, conf->nb_queues, info.max_queues);
		return -EINVAL;
	}
	if (conf->flags != 0 || !all_zero(conf->reserved, sizeof(conf->reserved))) {
		RTE_SVA_LOG(ERR, "%s: conf flags and reserved fields must be 0",
			    dev->name);
		return -EINVAL;
	}
	ret = dev->dev_ops->dev_configure(dev, conf);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "%s: driver refused the configuration: %s",
			    dev->name, strerror(-ret));
		return ret;
	}
	dev->nb_queues = conf->nb_queues;
	dev->queues_ready = 0;
	dev_state_set(dev, RTE_SVA_DEV_CONFIGURED);
	return 0;
}

/* SOCKET_ID_ANY, or a socket EAL found. */
static bool
socket_exists(int socket_id)
{
	if (socket_id == SOCKET_ID_ANY)
		return true;
	for (unsigned int i = 0; i < rte_socket_count(); i++)
		if (rte_socket_id_by_idx(i) == socket_id)
			return true;
	return false;
}

static int
rte_sva_queue_setup_locked(int16_t dev_id, uint16_t qid,
		    const struct rte_sva_queue_conf *conf)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "queue_setup");
	struct rte_sva_info info;
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (conf == NULL) {
		RTE_SVA_LOG(ERR, "%s: NULL queue conf", dev->name);
		return -EINVAL;
	}
	if (dev->state == RTE_SVA_DEV_STARTED) {
		RTE_SVA_LOG(ERR, "%s: stop the device before setting up queues",
			    dev->name);
		return -EBUSY;
	}
	if (dev->state != RTE_SVA_DEV_CONFIGURED) {
		RTE_SVA_LOG(ERR, "%s: configure the device first", dev->name);
		return -EINVAL;
	}
	if (qid >= dev->nb_queues) {
		RTE_SVA_LOG(ERR, "%s: qid %u out of range (%u queues)",
			    dev->name, qid, dev->nb_queues);
		return -EINVAL;
	}
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;
	if (!rte_is_power_of_2(conf->nb_desc) || conf->nb_desc < info.min_desc ||
	    conf->nb_desc > info.max_desc) {
		RTE_SVA_LOG(ERR, "%s: nb_desc %u must be a power of two in %u..%u",
			    dev->name, conf->nb_desc, info.min_desc,
			    info.max_desc);
		return -EINVAL;
	}
	if (conf->mode == RTE_SVA_QUEUE_DEDICATED) {
		if (!(info.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE)) {
			RTE_SVA_LOG(ERR, "%s: no dedicated work queues",
				    dev->name);
			return -ENOTSUP;
		}
	} else if (conf->mode == RTE_SVA_QUEUE_SHARED) {
		if (!(info.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE)) {
			RTE_SVA_LOG(ERR, "%s: no shared work queues", dev->name);
			return -ENOTSUP;
		}
		if (conf->wq_id >= info.max_wqs) {
			RTE_SVA_LOG(ERR, "%s: wq_id %u out of range (%u WQs)",
				    dev->name, conf->wq_id, info.max_wqs);
			return -EINVAL;
		}
	} else {
		RTE_SVA_LOG(ERR, "%s: unknown queue mode %u", dev->name,
			    conf->mode);
		return -EINVAL;
	}
	if (!all_zero(conf->reserved, sizeof(conf->reserved))) {
		RTE_SVA_LOG(ERR, "%s: queue conf reserved fields must be 0",
			    dev->name);
		return -EINVAL;
	}
	if (!socket_exists(conf->socket_id)) {
		RTE_SVA_LOG(ERR, "%s: queue %u: socket_id %d is neither SOCKET_ID_ANY nor one of the %u sockets",
			    dev->name, qid, conf->socket_id, rte_socket_count());
		return -EINVAL;
	}
	ret = dev->dev_ops->queue_setup(dev, qid, conf);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "%s: queue %u setup failed: %s", dev->name,
			    qid, strerror(-ret));
		return ret;
	}
	dev->queues_ready |= RTE_BIT64(qid);
	return 0;
}

static int
rte_sva_start_locked(int16_t dev_id)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "start");
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (dev->state == RTE_SVA_DEV_STARTED)
		return 0;
	if (dev->state != RTE_SVA_DEV_CONFIGURED) {
		RTE_SVA_LOG(ERR, "%s: configure the device before starting it",
			    dev->name);
		return -EINVAL;
	}
	for (uint16_t q = 0; q < dev->nb_queues; q++) {
		if (!(dev->queues_ready & RTE_BIT64(q))) {
			RTE_SVA_LOG(ERR, "%s: queue %u is not set up",
				    dev->name, q);
			return -EINVAL;
		}
	}
	ret = dev->dev_ops->dev_start(dev);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "%s: start failed: %s", dev->name,
			    strerror(-ret));
		return ret;
	}
	dev_state_set(dev, RTE_SVA_DEV_STARTED);
	return 0;
}

static int
rte_sva_stop_locked(int16_t dev_id)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "stop");
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (dev->state != RTE_SVA_DEV_STARTED)
		return 0;
	ret = dev->dev_ops->dev_stop(dev);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "%s: stop failed: %s", dev->name,
			    strerror(-ret));
		return ret;
	}
	dev_state_set(dev, RTE_SVA_DEV_CONFIGURED);
	sva_lifecycle_notify(dev, SVA_LC_STOPPED);
	return 0;
}

static int
rte_sva_close_locked(int16_t dev_id)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "close");

	if (dev == NULL)
		return -EINVAL;
	if (dev->state == RTE_SVA_DEV_STARTED) {
		RTE_SVA_LOG(ERR, "%s: stop the device before closing it",
			    dev->name);
		return -EBUSY;
	}
	/* As rte_dma_close(): the device is gone; the bus's remove later
	 * finds nothing to release. */
	return dev_close_free(dev);
}

static int
stats_args(struct rte_sva_dev *dev, uint16_t qid, const char *what)
{
	if (dev->state == RTE_SVA_DEV_READY) {
		RTE_SVA_LOG(ERR, "%s: %s: device not configured", dev->name,
			    what);
		return -EINVAL;
	}
	if (qid != RTE_SVA_ALL_QUEUES && qid >= dev->nb_queues) {
		RTE_SVA_LOG(ERR, "%s: %s: qid %u out of range (%u queues)",
			    dev->name, what, qid, dev->nb_queues);
		return -EINVAL;
	}
	return 0;
}

static int
rte_sva_stats_get_locked(int16_t dev_id, uint16_t qid, struct rte_sva_stats *stats)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "stats_get");
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (stats == NULL) {
		RTE_SVA_LOG(ERR, "%s: NULL stats", dev->name);
		return -EINVAL;
	}
	ret = stats_args(dev, qid, "stats_get");
	if (ret != 0)
		return ret;
	memset(stats, 0, sizeof(*stats));
	return dev->dev_ops->stats_get(dev, qid, stats);
}

static int
rte_sva_stats_reset_locked(int16_t dev_id, uint16_t qid)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "stats_reset");
	int ret;

	if (dev == NULL)
		return -EINVAL;
	ret = stats_args(dev, qid, "stats_reset");
	if (ret != 0)
		return ret;
	return dev->dev_ops->stats_reset(dev, qid);
}

static const char *
state_str(enum rte_sva_dev_state st)
{
	switch (st) {
	case RTE_SVA_DEV_READY: return "ready";
	case RTE_SVA_DEV_CONFIGURED: return "configured";
	case RTE_SVA_DEV_STARTED: return "started";
	default: return "unused";
	}
}

static int
rte_sva_dump_locked(int16_t dev_id, FILE *f)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "dump");
	struct rte_sva_info info;
	int ret;

	if (dev == NULL)
		return -EINVAL;
	if (f == NULL) {
		RTE_SVA_LOG(ERR, "%s: NULL file", dev->name);
		return -EINVAL;
	}
	ret = rte_sva_info_get(dev_id, &info);
	if (ret != 0)
		return ret;
	fprintf(f, "SVA device %s (id %d, driver %s): %s\n", dev->name,
		dev->dev_id, info.driver_name, state_str(dev->state));
	fprintf(f, "  op_capa 0x%" PRIx64 " dev_capa 0x%" PRIx64
		" pasid_bits %u addr_width %u numa %d\n", info.op_capa,
		info.dev_capa, info.pasid_bits, info.addr_width,
		info.numa_node);
	fprintf(f, "  queues %u/%u wqs %u depth %u..%u max_xfer %u\n",
		dev->nb_queues, info.max_queues, info.max_wqs, info.min_desc,
		info.max_desc, info.max_xfer_size);
	if (dev->dev_ops->dev_dump != NULL)
		return dev->dev_ops->dev_dump(dev, f);
	return 0;
}

/* Under the control lock: a configure on another thread frees the queues
 * the driver reads. */
static int
rte_sva_queue_idle_locked(int16_t dev_id, uint16_t qid)
{
	struct rte_sva_dev *dev = dev_lookup(dev_id, "queue_idle");

	if (dev == NULL)
		return -EINVAL;
	/* nb_queues is 0 until the first configure. */
	if (qid >= dev->nb_queues || !(dev->queues_ready & RTE_BIT64(qid))) {
		RTE_SVA_LOG(ERR, "%s: queue_idle: qid %u is not set up", dev->name, qid);
		return -EINVAL;
	}
	if (dev->dev_ops->queue_idle == NULL)
		return -ENOTSUP;
	return dev->dev_ops->queue_idle(dev, qid);
}

int
rte_sva_copy_resume_refuse(const struct rte_sva_result *res, uint32_t len)
{
	if (res == NULL)
		RTE_SVA_LOG(ERR, "copy_resume: NULL result");
	else if (res->status != RTE_SVA_STATUS_PAGE_FAULT)
		RTE_SVA_LOG(ERR, "copy_resume: not a partial page fault (status %s)",
			    rte_sva_status_str(res->status));
	else
		RTE_SVA_LOG(ERR, "copy_resume: not a partial page fault of %u bytes (%u completed)",
			    len, res->bytes_completed);
	return -EINVAL;
}

const char *
rte_sva_status_str(enum rte_sva_status_code status)
{
	switch (status) {
	case RTE_SVA_STATUS_SUCCESS: return "success";
	case RTE_SVA_STATUS_COMPARE_MISMATCH: return "compare mismatch";
	case RTE_SVA_STATUS_PAGE_FAULT: return "page fault";
	case RTE_SVA_STATUS_TRANSLATION_FAIL: return "translation failed";
	case RTE_SVA_STATUS_INVALID_PASID: return "invalid PASID";
	case RTE_SVA_STATUS_BAD_PASID_ENTRY: return "bad PASID entry";
	case RTE_SVA_STATUS_INVALID_OPCODE: return "invalid opcode";
	case RTE_SVA_STATUS_INVALID_FLAGS: return "invalid flags";
	case RTE_SVA_STATUS_INVALID_LENGTH: return "invalid length";
	case RTE_SVA_STATUS_INVALID_ADDR: return "invalid address";
	case RTE_SVA_STATUS_OVERLAP: return "overlapping buffers";
	case RTE_SVA_STATUS_RESERVED_NONZERO: return "reserved field not zero";
	case RTE_SVA_STATUS_ABORTED: return "aborted";
	default: return "unknown error";
	}
}

/* ------------------------------------------- locked control entry points */
SVA_CTRL_READ(struct rte_sva_dev *,
	rte_sva_pmd_get_dev_by_name, (const char *name), (name))
SVA_CTRL_READ(int, rte_sva_get_dev_id_by_name, (const char *name), (name))
SVA_CTRL_READ(struct rte_sva_dev *,
	rte_sva_pmd_allocate, (const char *name, int numa_node, size_t private_size), (name, numa_node, private_size))
SVA_CTRL_VOID(rte_sva_pmd_probing_finish, (struct rte_sva_dev *dev), (dev))
SVA_CTRL_READ(int, rte_sva_pmd_release, (struct rte_sva_dev *dev), (dev))
SVA_CTRL_READ(int, rte_sva_info_get, (int16_t dev_id, struct rte_sva_info *info), (dev_id, info))
SVA_CTRL_CHANGE(rte_sva_configure,
	(int16_t dev_id, const struct rte_sva_conf *conf), (dev_id, conf))
SVA_CTRL_CHANGE(rte_sva_queue_setup,
	(int16_t dev_id, uint16_t qid, const struct rte_sva_queue_conf *conf), (dev_id, qid, conf))
SVA_CTRL_CHANGE(rte_sva_start, (int16_t dev_id), (dev_id))
SVA_CTRL_CHANGE(rte_sva_stop, (int16_t dev_id), (dev_id))
SVA_CTRL_CHANGE(rte_sva_close, (int16_t dev_id), (dev_id))
SVA_CTRL_READ(int,
	rte_sva_stats_get, (int16_t dev_id, uint16_t qid, struct rte_sva_stats *stats), (dev_id, qid, stats))
SVA_CTRL_CHANGE(rte_sva_stats_reset, (int16_t dev_id, uint16_t qid), (dev_id, qid))
SVA_CTRL_READ(int, rte_sva_dump, (int16_t dev_id, FILE *f), (dev_id, f))
SVA_CTRL_READ(int, rte_sva_queue_idle, (int16_t dev_id, uint16_t qid), (dev_id, qid))
