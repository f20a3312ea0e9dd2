/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_PMD_H
#define RTE_SVA_PMD_H

/**
 * @file
 * Driver interface of librte_sva: what an SVA PMD implements and calls.
 * Internal to drivers (needs ALLOW_INTERNAL_API); applications use rte_sva.h.
 *
 * Device states (rte_sva_dev::state):
 *
 *   UNUSED --allocate--> READY --configure--> CONFIGURED --start--> STARTED
 *                         ^                       ^   |                 |
 *                         |                       |   +--queue_setup    |
 *                         |                       +-------stop----------+
 *                         +------------- close (from READY/CONFIGURED) --> UNUSED
 *
 * The library checks every state transition before calling a driver op, so
 * drivers see only valid sequences.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_compat.h>
#include <rte_dev.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_iommu.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_sva_dev;

/** What a PASID-table entry refers to (see drivers' pasid_attach op). */
struct rte_sva_mm {
	int pid;            /**< Process whose address space it is. */
	int pidfd;          /**< pidfd of that process, or -1 for ourselves. */
	/** /proc/pid/mem of that process opened at bind time, or -1 for
	 *  ourselves. The file is tied to the address space it was opened
	 *  on, never to a later process that reuses the pid; reading it
	 *  needs the same ptrace-attach permission the seeds' bind checks. */
	int memfd;
	/** /proc/pid/maps of that process opened at bind time, or -1 for
	 *  ourselves: the page permissions a device must respect (see
	 *  rte_sva_mm_accessible()). */
	int mapsfd;
	/** /proc/pid/pagemap of that process opened at bind time, or -1 for
	 *  ourselves: which pages are present, for a device's page walk. */
	int pagemapfd;
	bool self;          /**< The calling process's own address space. */
	/** Set (release) when the process has exited: the bond is defunct and
	 *  the device must not touch its address space any more. */
	volatile uint32_t defunct;
};

struct rte_sva_dev_ops {
	int (*dev_info_get)(const struct rte_sva_dev *dev,
			    struct rte_sva_info *info);
	int (*dev_configure)(struct rte_sva_dev *dev,
			     const struct rte_sva_conf *conf);
	int (*queue_setup)(struct rte_sva_dev *dev, uint16_t qid,
			   const struct rte_sva_queue_conf *conf);
	int (*dev_start)(struct rte_sva_dev *dev);
	/** Must drain: every submitted operation completes before it returns. */
	int (*dev_stop)(struct rte_sva_dev *dev);
	int (*dev_close)(struct rte_sva_dev *dev);
	int (*stats_get)(const struct rte_sva_dev *dev, uint16_t qid,
			 struct rte_sva_stats *stats);
	int (*stats_reset)(struct rte_sva_dev *dev, uint16_t qid);
	int (*dev_dump)(const struct rte_sva_dev *dev, FILE *f);
	/**
	 * Install a PASID-table entry: descriptors tagged with pasid now reach
	 * mm. Optional for drivers whose PASIDs the kernel owns.
	 * @return 0; -EEXIST if pasid is in use; -ENOSPC; other <0.
	 */
	int (*pasid_attach)(struct rte_sva_dev *dev, uint32_t pasid,
			    struct rte_sva_mm *mm);
	/**
	 * Remove a PASID-table entry. Before returning, the driver has refused
	 * new descriptors for pasid, completed in-flight ones (ABORTED when not
	 * executed) and flushed every cached translation for it.
	 */
	int (*pasid_detach)(struct rte_sva_dev *dev, uint32_t pasid);
	/** Fill the capability report (flags, inv_caches); the library sets
	 *  the widths from dev_info. Optional. */
	int (*capability_get)(const struct rte_sva_dev *dev,
			      struct rte_sva_capability *cap);
	/** Apply an invalidation the library has validated. Optional. */
	int (*cache_invalidate)(struct rte_sva_dev *dev,
				const struct rte_sva_cache_inv *inv);
	/** Deliver the response of a page request group (devices with a
	 *  fault queue). The device drops a response that matches no
	 *  outstanding group (stale) and counts it.
	 *  @return 0 (delivered or dropped as stale); <0 when the driver
	 *  could not deliver it (counted in resp_errors, not as answered). */
	int (*page_response)(struct rte_sva_dev *dev,
			     const struct rte_sva_page_response *resp);
	/** Deliver n responses at once, in order (e.g. one write() to an
	 *  iommufd fault fd). Optional: the library loops on page_response
	 *  without it. Stale ones are dropped and counted, as there.
	 *  @return how many of them, from the first, were delivered or
	 *  dropped as stale: n; fewer, or a negative errno (none), when the
	 *  driver failed to deliver the rest (counted in resp_errors). */
	int (*page_response_burst)(struct rte_sva_dev *dev,
				   const struct rte_sva_page_response *resp,
				   uint16_t n);
	/** 1 if everything submitted on qid has executed, else 0. Optional. */
	int (*queue_idle)(const struct rte_sva_dev *dev, uint16_t qid);
};

struct rte_sva_fault_queue;

enum rte_sva_dev_state {
	RTE_SVA_DEV_UNUSED = 0,
	RTE_SVA_DEV_READY,       /**< probed, not configured */
	RTE_SVA_DEV_CONFIGURED,  /**< configured, stopped */
	RTE_SVA_DEV_STARTED,
};

/** A device, as the library and its driver see it. */
struct rte_sva_dev {
	char name[RTE_SVA_NAME_MAX_LEN];
	int16_t dev_id;
	enum rte_sva_dev_state state;
	struct rte_device *device;       /**< Bus device (vdev, PCI). */
	const struct rte_sva_dev_ops *dev_ops;
	void *dev_private;
	int numa_node;
	uint16_t nb_queues;
	/** Bit qid set once queue qid was set up since the last configure. */
	uint64_t queues_ready;
	struct rte_sva_fp_object *fp_obj; /**< Filled by the driver at probe. */
	struct rte_sva_fault_queue *fq;   /**< Page requests, or NULL. */
} __rte_cache_aligned;

/**
 * Allocate a device slot and private data of private_size bytes (zeroed, on
 * numa_node). The driver then fills dev_ops and dev->fp_obj functions, and
 * calls rte_sva_pmd_probing_finish().
 * @return the device; NULL with rte_errno EINVAL (bad name or size), EEXIST
 * (name taken), ENOSPC (no free slot), ENOMEM.
 */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_allocate(const char *name, int numa_node,
					 size_t private_size);

/** Make a device allocated by rte_sva_pmd_allocate() visible to the API. */
__rte_internal
void rte_sva_pmd_probing_finish(struct rte_sva_dev *dev);

/**
 * Release a device: closes it if needed (stopping it first) and frees its
 * slot and private data. Its fault queue is unpublished and every thread
 * polling it has left before the driver's close runs.
 * @return 0; -EINVAL for NULL or an unused device; the driver's error
 * when its stop or close fails (logged; the device is then kept, as it
 * was, since the driver may still own memory the hardware writes).
 */
__rte_internal
int rte_sva_pmd_release(struct rte_sva_dev *dev);

/**
 * Give a device a fault queue of nb_entries records (a power of two), for
 * page requests and unrecoverable faults; freed with the device.
 * @return 0; -EINVAL; -EEXIST; -ENOMEM.
 */
__rte_internal
int rte_sva_pmd_fault_queue_create(struct rte_sva_dev *dev, uint32_t nb_entries);

/**
 * Report a fault (the device side of the fault queue; any thread, any
 * number of threads at once).
 * @return 0; -ENOSPC when the queue is full (the device retries: that is
 * the back-pressure); -ENOTSUP without a fault queue.
 */
__rte_internal
int rte_sva_pmd_fault_report(struct rte_sva_dev *dev, const struct rte_sva_fault *f);

/** Any PASID or group id, for rte_sva_pmd_fault_discard(). */
#define RTE_SVA_FAULT_ANY UINT32_MAX

/**
 * Discard partial page-request groups of a device: the ones of pasid and
 * grpid, every group of pasid (grpid RTE_SVA_FAULT_ANY), or every group
 * (pasid RTE_SVA_FAULT_ANY). For a device that gives up a group whose
 * records were partly reported (e.g. its fault queue stayed full) and
 * answers it itself, and for the library when a device stops or a bond
 * goes (as the kernel's iopf_queue_discard_partial()): the worker never
 * merges what is left of such a group with a later one. Any thread, after
 * the caller's last report of those groups: the worker applies it where it
 * came in the stream of records, so records reported before it that are
 * still queued are discarded too, and none reported after it.
 */
__rte_internal
void rte_sva_pmd_fault_discard(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid);

enum rte_sva_fault_event {
	RTE_SVA_FAULT_EV_STALE_RESPONSE,   /**< a response matched no group */
	RTE_SVA_FAULT_EV_DEVICE_INVALID,   /**< device answered a group itself */
};
/** Count a device-side fault-path event. */
__rte_internal
void rte_sva_pmd_fault_event(struct rte_sva_dev *dev, enum rte_sva_fault_event ev);

/** @return the device with this name, or NULL. */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_get_dev_by_name(const char *name);

/** @return the device with this id, or NULL. */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_get_dev(int16_t dev_id);

/** A mapping of a foreign address space: [start, end), RTE_SVA_PERM_*. */
struct rte_sva_vma {
	uint64_t start, end;
	uint32_t perm;
};

/**
 * The mapping of a foreign bond's address space that covers addr.
 * @return 0; -ENOENT when no mapping covers it; -EINVAL for a bond of our
 * own address space; another -errno when the lookup failed.
 */
__rte_internal
int rte_sva_mm_vma(const struct rte_sva_mm *mm, uint64_t addr, struct rte_sva_vma *v);

/** Look mappings up in the text of /proc/pid/maps even where the kernel
 *  has PROCMAP_QUERY (on: true), or probe for it again (false). For tests. */
__rte_internal
void rte_sva_mm_vma_text_only(bool on);

/**
 * How many bytes from addr a device may access with perm (RTE_SVA_PERM_*)
 * in a foreign bond's address space, as its page permissions allow: len,
 * or the offset of the first byte that is unmapped or lacks perm. A device
 * model reaching that address space through /proc/pid/mem (which ignores
 * page permissions) calls this before each access. cache holds the last
 * mapping looked up; zero it before the first call, and between
 * descriptors so that an mprotect() is seen.
 * @return the bytes accessible (0..len); -ESRCH when the address space is
 * gone (its process exited); another -errno when the lookup failed.
 */
__rte_internal
int64_t rte_sva_mm_accessible(const struct rte_sva_mm *mm, uint64_t addr,
			       uint64_t len, uint32_t perm, struct rte_sva_vma *cache);

/*
 * Statistics counters: one thread adds, any thread may read or reset at any
 * time (telemetry, rte_sva_stats_get()). Relaxed atomic loads and stores are
 * plain moves on x86 and give readers untorn values; a reset racing an add
 * may lose that add, as with any unlocked statistics.
 */
static __rte_always_inline void
rte_sva_counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

static __rte_always_inline uint64_t
rte_sva_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static __rte_always_inline void
rte_sva_counter_reset(uint64_t *c)
{
	__atomic_store_n(c, 0, __ATOMIC_RELAXED);
}

/** The library's log type, for drivers. */
extern int rte_sva_logtype;

#define RTE_SVA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, rte_sva_logtype, "sva: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_PMD_H */
