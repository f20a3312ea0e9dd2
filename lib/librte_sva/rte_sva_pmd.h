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

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_bitops.h>

#include <rte_compat.h>
#include <rte_dev.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_fault.h"
#include "rte_sva_iommu.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_sva_dev;
struct rte_sva_backend;

/**
 * An address space bound in a container (a bond's mm), as the library and
 * the device's backend see it. The library creates it at bind, fills the
 * generic fields, and frees it after the last unbind; the backend keeps
 * what it needs to reach the address space in priv.
 */
struct rte_sva_mm {
	int pid;            /**< Process whose address space it is. */
	/** pidfd of that process (the library's exit monitor), or -1 for
	 *  ourselves. */
	int pidfd;
	bool self;          /**< The calling process's own address space. */
	/** Set (release) when the process has exited: the bond is defunct and
	 *  the device must not touch its address space any more. */
	volatile uint32_t defunct;
	/** The backend of the container's devices (rte_sva_dev::backend). */
	const struct rte_sva_backend *backend;
	/** The backend's own state of this address space (mm_open()), or
	 *  NULL. The library never looks at it. */
	void *priv;
};

/**
 * @name Backend flags (rte_sva_backend::flags)
 * @{
 */
/** The kernel owns the PASID of each bond and never discloses it (e.g.
 *  idxd: the mm of the process that opened the work queue). The library
 *  allocates no PASID: a bond's PASID is RTE_SVA_PASID_KERNEL, which the
 *  device's fast path accepts for that bond; bonds are of the caller's own
 *  address space only, and no page request of such a bond reaches the
 *  library (the kernel resolves them). */
#define RTE_SVA_BACKEND_F_KERNEL_PASID RTE_BIT64(0)
/** The backend reaches other processes' address spaces (bind by pid);
 *  without it rte_sva_bind() of another pid fails -ENOTSUP. */
#define RTE_SVA_BACKEND_F_FOREIGN      RTE_BIT64(1)
/** @} */

/**
 * The backend of a device: where a bond's PASID comes from and how its
 * address space is reached. Every device names one (rte_sva_dev::backend,
 * set by its driver before rte_sva_pmd_probing_finish()); the devices of a
 * container share one. The object is constant, lives in the driver's (or
 * a component's, e.g. sw_iommu's) library, and outlives its devices.
 *
 * The library calls the control operations (mm_open, mm_close,
 * pasid_alloc, pasid_free) under its control lock, one at a time;
 * page_resolve from fault workers, concurrently with each other and with
 * control calls. Optional operations may be NULL as said below.
 */
struct rte_sva_backend {
	const char *name;   /**< For log lines. */
	uint64_t flags;     /**< RTE_SVA_BACKEND_F_* */
	/**
	 * Reach the address space of mm->pid for a new bond (mm->self tells
	 * whether it is ours; mm->pidfd is open for another process): check
	 * that the caller may (ptrace-attach permission, as the kernel's
	 * bind does), open what the device needs and keep it in mm->priv.
	 * Called for every new bond, ours included. Optional: without it
	 * mm->priv stays NULL.
	 * @param mm the new bond's address space (generic fields filled).
	 * @return 0; -ESRCH if the process has exited; -EPERM without
	 * permission over it; another -errno as the system gave it. The
	 * backend logs why.
	 */
	int (*mm_open)(struct rte_sva_mm *mm);
	/**
	 * Release what mm_open() kept. Called once for each mm whose mm_open
	 * returned 0 (or for every mm without mm_open), after the PASID is
	 * freed and once no fault worker can still be resolving in it.
	 * Optional.
	 * @param mm the bond's address space, freed by the library after.
	 */
	void (*mm_close)(struct rte_sva_mm *mm);
	/**
	 * Allocate a PASID for mm in [min, max] (the library's range,
	 * rte_sva_pasid_range_set(), narrowed to the container's devices'
	 * widths; min <= max). Required unless RTE_SVA_BACKEND_F_KERNEL_PASID.
	 * @param mm the address space the PASID will name.
	 * @param min lowest PASID allowed (>= 1).
	 * @param max highest PASID allowed (< 2^RTE_SVA_PASID_BITS_MAX).
	 * @param[out] pasid the PASID, held until pasid_free().
	 * @return 0; -ENOSPC when none is free (the backend logs who holds
	 * them); -EACCES when the allocator's state is unsafe to use; another
	 * -errno on failure. Nothing is held on failure.
	 */
	int (*pasid_alloc)(struct rte_sva_mm *mm, uint32_t min, uint32_t max,
			   uint32_t *pasid);
	/**
	 * Free a PASID from pasid_alloc(). The library calls it after every
	 * device detached it (so no cached translation refers to it).
	 * Required with pasid_alloc.
	 * @param mm the address space it named.
	 * @param pasid the PASID.
	 */
	void (*pasid_free)(struct rte_sva_mm *mm, uint32_t pasid);
	/**
	 * Resolve one page of a page request in mm: make the page at addr
	 * (page-aligned) and up to around pages after it present with perm,
	 * if mm's page permissions allow it. Fault-worker context: lock-free,
	 * never waits for the control lock or for a device; any number of
	 * workers at once. mm stays valid for the call. Application handlers
	 * (rte_sva_fault_handler_register()) of our own address space are
	 * consulted by the library before. Optional: without it every page
	 * request of the backend's bonds is answered INVALID.
	 * @param mm the bond's address space (not defunct when called).
	 * @param addr the page's address.
	 * @param perm RTE_SVA_PERM_* the device asked for.
	 * @param around pages after it to bring in too, as far as they are
	 * accessible (best effort).
	 * @return RTE_SVA_PAGE_RESP_SUCCESS when the page is present with
	 * perm; RTE_SVA_PAGE_RESP_INVALID when it is unmapped or lacks perm,
	 * or the address space is gone; RTE_SVA_PAGE_RESP_FAILURE on another
	 * error.
	 */
	int (*page_resolve)(struct rte_sva_mm *mm, uint64_t addr, uint32_t perm,
			    uint32_t around);
	/**
	 * Populate [addr, addr + len) of mm ahead of device use
	 * (rte_sva_advise()): make every page it touches present with perm,
	 * as a page request's resolve would, in one pass. Control path,
	 * under the control lock; may take its time (syscalls). Optional:
	 * without it rte_sva_advise() on the backend's devices fails
	 * -ENOTSUP.
	 * @param mm the bond's address space (not defunct when called).
	 * @param addr first byte (any alignment).
	 * @param len bytes (>= 1; addr + len does not wrap).
	 * @param perm RTE_SVA_PERM_READ, or READ | WRITE.
	 * @param[out] bad on -EFAULT, the first address that is unmapped or
	 * lacks perm (pages before it may be populated).
	 * @return 0; -EFAULT with *bad; -ESRCH when the address space is
	 * gone; another -errno as the system gave it. The backend logs
	 * nothing for -EFAULT (the library names the address).
	 */
	int (*populate)(struct rte_sva_mm *mm, uint64_t addr, uint64_t len,
			uint32_t perm, uint64_t *bad);
};

/**
 * What a driver implements. The library calls every operation under its
 * control lock, after checking the device's state and the arguments (the
 * public functions' contract), and returns the driver's error as it is.
 */
struct rte_sva_dev_ops {
	/** Fill info, zeroed before (the library then sets dev_name,
	 *  driver_name, nb_queues and numa_node). @return 0 or <0. */
	int (*dev_info_get)(const struct rte_sva_dev *dev,
			    struct rte_sva_info *info);
	/** Configure a stopped device. @return 0 or <0. */
	int (*dev_configure)(struct rte_sva_dev *dev,
			     const struct rte_sva_conf *conf);
	/** Set queue qid up (qid < the configured number). @return 0 or <0. */
	int (*queue_setup)(struct rte_sva_dev *dev, uint16_t qid,
			   const struct rte_sva_queue_conf *conf);
	/** Start a configured device whose queues are set up. @return 0 or <0. */
	int (*dev_start)(struct rte_sva_dev *dev);
	/** Must drain: every submitted operation completes before it returns. */
	int (*dev_stop)(struct rte_sva_dev *dev);
	/** Free what the driver holds; the device is stopped. @return 0 or <0
	 *  (the device is then kept). */
	int (*dev_close)(struct rte_sva_dev *dev);
	/** Queue qid's counters, or the device's (RTE_SVA_ALL_QUEUES).
	 *  @return 0 or <0. */
	int (*stats_get)(const struct rte_sva_dev *dev, uint16_t qid,
			 struct rte_sva_stats *stats);
	/** Zero queue qid's counters. @return 0 or <0. */
	int (*stats_reset)(struct rte_sva_dev *dev, uint16_t qid);
	/** Print the driver's state to f. Optional. @return 0 or <0. */
	int (*dev_dump)(const struct rte_sva_dev *dev, FILE *f);
	/**
	 * Install a PASID-table entry: descriptors tagged with pasid now reach
	 * mm. For a backend with RTE_SVA_BACKEND_F_KERNEL_PASID, pasid is
	 * RTE_SVA_PASID_KERNEL and mm our own address space: the device then
	 * accepts descriptors tagged RTE_SVA_PASID_KERNEL.
	 * @return 0; -EEXIST if pasid is in use; -ENOSPC (table full);
	 * -ENOTSUP (this mm cannot be reached); other <0.
	 */
	int (*pasid_attach)(struct rte_sva_dev *dev, uint32_t pasid,
			    struct rte_sva_mm *mm);
	/**
	 * Remove a PASID-table entry. Before returning, the driver has refused
	 * new descriptors for pasid, completed in-flight ones (ABORTED when not
	 * executed) and flushed every cached translation for it.
	 * @return 0; -ENOENT if pasid is not attached; other <0 (logged by
	 * the library; the entry is gone all the same).
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
	 *  iommufd fault fd), after the burst's groups are resolved.
	 *  Optional: without it the library calls page_response for each
	 *  group as soon as it is resolved, amid the resolves of a burst
	 *  (page_response then must not block: an unbind waits for those
	 *  resolves). Stale ones are dropped and counted, as there.
	 *  @return how many of them, from the first, were delivered or
	 *  dropped as stale: n; fewer, or a negative errno (none), when the
	 *  driver failed to deliver the rest (counted in resp_errors). */
	int (*page_response_burst)(struct rte_sva_dev *dev,
				   const struct rte_sva_page_response *resp,
				   uint16_t n);
	/** 1 if everything submitted on qid has executed, else 0. Optional. */
	int (*queue_idle)(const struct rte_sva_dev *dev, uint16_t qid);
	/**
	 * Translation fetch (rte_sva_advise()): fill the device's translation
	 * cache with the pages of [addr, addr + len) of pasid, which the
	 * backend has just populated in mm. The library has checked the
	 * arguments (flags, range, address width) and that pasid is a live
	 * bond of the device's container whose address space is mm.
	 * Optional: without it rte_sva_advise() fails -ENOTSUP.
	 * @param flags RTE_SVA_ADVISE_*; with RTE_SVA_ADVISE_F_SYNC return
	 * only once the entries are in (as far as the cache has room).
	 * Without it the work may go on after the return, but must end
	 * before pasid_detach() and dev_close() return.
	 * @return 0; -ENOENT if pasid is not attached (or names another mm);
	 * other <0.
	 */
	int (*advise)(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm,
		      uint64_t addr, uint64_t len, uint32_t flags);
};

struct rte_sva_fault_queue;

/** A device's state; see the diagram at the top of this file. */
enum rte_sva_dev_state {
	RTE_SVA_DEV_UNUSED = 0,  /**< free slot */
	RTE_SVA_DEV_READY,       /**< probed, not configured */
	RTE_SVA_DEV_CONFIGURED,  /**< configured, stopped */
	RTE_SVA_DEV_STARTED,     /**< started */
};

/** A device, as the library and its driver see it. */
struct rte_sva_dev {
	char name[RTE_SVA_NAME_MAX_LEN];  /**< Unique name. */
	int16_t dev_id;                  /**< Index in the device table. */
	enum rte_sva_dev_state state;    /**< Set by the library only. */
	struct rte_device *device;       /**< Bus device (vdev, PCI). */
	const struct rte_sva_dev_ops *dev_ops; /**< Filled by the driver. */
	void *dev_private;               /**< The driver's, zeroed at allocate. */
	int numa_node;                   /**< Node of dev_private. */
	uint16_t nb_queues;              /**< Configured queues. */
	/** Bit qid set once queue qid was set up since the last configure. */
	uint64_t queues_ready;
	struct rte_sva_fp_object *fp_obj; /**< Filled by the driver at probe. */
	struct rte_sva_fault_queue *fq;   /**< Page requests, or NULL. */
	/** Where its bonds' PASIDs come from and how their address spaces
	 *  are reached; set by the driver before rte_sva_pmd_probing_finish().
	 *  A device without one cannot join a container (-ENOTSUP). */
	const struct rte_sva_backend *backend;
} __rte_cache_aligned;

/**
 * Allocate a device slot and private data of private_size bytes (zeroed, on
 * numa_node). The driver then fills dev_ops, dev->fp_obj functions and
 * dev->backend, and calls rte_sva_pmd_probing_finish().
 * @param name unique device name (< RTE_SVA_NAME_MAX_LEN).
 * @param numa_node NUMA node of the private data, or SOCKET_ID_ANY.
 * @param private_size bytes of dev_private.
 * @return the device; NULL with rte_errno EINVAL (bad name or size), EEXIST
 * (name taken), ENOSPC (no free slot), ENOMEM.
 */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_allocate(const char *name, int numa_node,
					 size_t private_size);

/**
 * Make a device allocated by rte_sva_pmd_allocate() visible to the API.
 * @param dev the device, with dev_ops, fp_obj and backend filled.
 */
__rte_internal
void rte_sva_pmd_probing_finish(struct rte_sva_dev *dev);

/**
 * Release a device: closes it if needed (stopping it first) and frees its
 * slot and private data. Its fault queue is unpublished and every thread
 * polling it has left before the driver's close runs.
 * @param dev the device.
 * @return 0; -EINVAL for NULL or an unused device; the driver's error
 * when its stop or close fails (logged; the device is then kept, as it
 * was, since the driver may still own memory the hardware writes).
 */
__rte_internal
int rte_sva_pmd_release(struct rte_sva_dev *dev);

/**
 * Give a device a fault queue of nb_entries records (a power of two), for
 * page requests and unrecoverable faults; freed with the device.
 * @param dev the device.
 * @param nb_entries records (a power of two, >= 2).
 * @return 0; -EINVAL (NULL dev, bad size); -EEXIST (it has one);
 * -ENOMEM.
 */
__rte_internal
int rte_sva_pmd_fault_queue_create(struct rte_sva_dev *dev, uint32_t nb_entries);

/**
 * Report a fault (the device side of the fault queue; any thread, any
 * number of threads at once).
 * @param dev the device.
 * @param f the record (copied).
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
 * @param dev the device.
 * @param pasid the PASID, or RTE_SVA_FAULT_ANY.
 * @param grpid the group id, or RTE_SVA_FAULT_ANY.
 */
__rte_internal
void rte_sva_pmd_fault_discard(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid);

/** Device-side fault-path events (rte_sva_pmd_fault_event()). */
enum rte_sva_fault_event {
	RTE_SVA_FAULT_EV_STALE_RESPONSE,   /**< a response matched no group */
	RTE_SVA_FAULT_EV_DEVICE_INVALID,   /**< device answered a group itself */
};
/**
 * Count a device-side fault-path event.
 * @param dev the device.
 * @param ev the event.
 */
__rte_internal
void rte_sva_pmd_fault_event(struct rte_sva_dev *dev, enum rte_sva_fault_event ev);

/**
 * @param name a device name.
 * @return the device with this name, or NULL.
 */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_get_dev_by_name(const char *name);

/**
 * @param dev_id a device id.
 * @return the device with this id, or NULL.
 */
__rte_internal
struct rte_sva_dev *rte_sva_pmd_get_dev(int16_t dev_id);

/*
 * Statistics counters: one thread adds, any thread may read or reset at any
 * time (telemetry, rte_sva_stats_get()). Relaxed atomic loads and stores are
 * plain moves on x86 and give readers untorn values; a reset racing an add
 * may lose that add, as with any unlocked statistics.
 */
/**
 * Add to a statistics counter (its one writer thread).
 * @param c the counter.
 * @param n the amount.
 */
static __rte_always_inline void
rte_sva_counter_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/**
 * Read a statistics counter (any thread).
 * @param c the counter.
 * @return its value.
 */
static __rte_always_inline uint64_t
rte_sva_counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/**
 * Zero a statistics counter (any thread).
 * @param c the counter.
 */
static __rte_always_inline void
rte_sva_counter_reset(uint64_t *c)
{
	__atomic_store_n(c, 0, __ATOMIC_RELAXED);
}

/** The library's log type, for drivers. */
extern int rte_sva_logtype;

/** Log a line of the library's type, with the calling function's name. */
#define RTE_SVA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, rte_sva_logtype, "sva: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_PMD_H */
