/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_FAULT_H
#define RTE_SVA_FAULT_H

/**
 * @file
 * I/O page faults in poll mode.
 *
 * A device with RTE_SVA_CAPA_PAGE_REQUEST that touches a page which is not
 * present raises a *page request* into its fault queue: one record per
 * page, grouped by group id, the last one flagged LAST_PAGE (the seeds'
 * iommu_fault_page_request). A fault worker -- an EAL lcore
 * (rte_sva_fault_worker_start()), a DPDK service
 * (rte_sva_fault_service_register()), or any thread calling
 * rte_sva_fault_process() -- resolves each group and writes exactly one
 * response per group: SUCCESS (retry), INVALID (fail the access) or FAILURE.
 * Descriptors submitted with RTE_SVA_OP_FLAG_BLOCK_ON_FAULT wait for the
 * response and resume; without it they complete with PAGE_FAULT, the fault
 * address and the bytes completed, and the caller may resume the rest.
 *
 * The default resolver faults the page in with the permission asked for
 * (a write to a read-only or unmapped range answers INVALID). Handlers
 * registered for a virtual-address range of this process take over there
 * (demand paging: fill the page, then answer); they serve our own address
 * space only, never a bond made by pid, whose same addresses hold another
 * process's pages. Unrecoverable faults go to a callback.
 *
 * Groups are keyed by (device, PASID, group id); a record whose cookie
 * differs from its open group's begins a new group. A partial group -- its
 * last page never to come, because the device stopped or gave it up, the
 * bond went, or a new group of the same key began -- is discarded
 * (partial_discarded), never merged with a later one.
 *
 * Every page request gets exactly one response: when a device stops, a
 * bond is unbound or a response does not come within the device's
 * timeout, the device completes the group INVALID itself and drops a late
 * response (counted as stale). Closing or releasing a device first
 * unpublishes its fault queue and waits until every thread polling it has
 * left (a handler running meanwhile finishes first); a response resolved
 * meanwhile is dropped, not sent, and counted stale. Hence handlers and
 * callbacks must not call control functions of this library: a close may
 * be waiting for them under the control lock.
 */

#include <stdint.h>

#include <rte_bitops.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rte_sva_fault_type {
	RTE_SVA_FAULT_PAGE_REQ = 1,   /**< recoverable: needs a response */
	RTE_SVA_FAULT_UNRECOV = 2,    /**< unrecoverable: reported only */
};

/* rte_sva_fault::flags */
#define RTE_SVA_FAULT_F_PASID_VALID      RTE_BIT32(0)
#define RTE_SVA_FAULT_F_LAST_PAGE        RTE_BIT32(1)
#define RTE_SVA_FAULT_F_PRIV_DATA        RTE_BIT32(2)
#define RTE_SVA_FAULT_F_ADDR_VALID       RTE_BIT32(3)
#define RTE_SVA_FAULT_F_FETCH_ADDR_VALID RTE_BIT32(4)

/* rte_sva_fault::perm */
#define RTE_SVA_PERM_READ  RTE_BIT32(0)
#define RTE_SVA_PERM_WRITE RTE_BIT32(1)
#define RTE_SVA_PERM_EXEC  RTE_BIT32(2)
#define RTE_SVA_PERM_PRIV  RTE_BIT32(3)

/** Unrecoverable fault reasons (the seeds' list). */
enum rte_sva_fault_reason {
	RTE_SVA_FAULT_REASON_UNKNOWN = 0,
	RTE_SVA_FAULT_REASON_PASID_FETCH,
	RTE_SVA_FAULT_REASON_BAD_PASID_ENTRY,
	RTE_SVA_FAULT_REASON_PASID_INVALID,
	RTE_SVA_FAULT_REASON_WALK_EABT,
	RTE_SVA_FAULT_REASON_PTE_FETCH,
	RTE_SVA_FAULT_REASON_PERMISSION,
	RTE_SVA_FAULT_REASON_ACCESS,
	RTE_SVA_FAULT_REASON_OOR_ADDRESS,
	RTE_SVA_FAULT_REASON_NB,
};

/**
 * One fault record: 64 bytes, able to carry the seeds' iommu_fault and the
 * iommufd fault queue's page-fault record (its response cookie).
 */
struct rte_sva_fault {
	uint32_t type;         /**< enum rte_sva_fault_type */
	uint32_t flags;        /**< RTE_SVA_FAULT_F_* */
	uint32_t pasid;
	uint32_t grpid;        /**< page request group index */
	uint32_t perm;         /**< RTE_SVA_PERM_* asked for */
	uint32_t reason;       /**< UNRECOV: enum rte_sva_fault_reason */
	uint64_t addr;         /**< page address */
	union {
		uint64_t private_data[2]; /**< PAGE_REQ, with F_PRIV_DATA */
		uint64_t fetch_addr;      /**< UNRECOV, with F_FETCH_ADDR_VALID */
	};
	uint32_t cookie;       /**< echo in the response */
	int16_t dev_id;        /**< device that raised it */
	uint16_t reserved;
	uint64_t tsc;          /**< TSC when raised (round-trip latency) */
};

enum rte_sva_page_response_code {
	RTE_SVA_PAGE_RESP_SUCCESS = 0, /**< resolved: retry the access */
	RTE_SVA_PAGE_RESP_INVALID = 1, /**< cannot resolve: fail the access */
	RTE_SVA_PAGE_RESP_FAILURE = 2, /**< general error */
};

/** One response, for a whole group. */
struct rte_sva_page_response {
	uint32_t pasid;
	uint32_t grpid;
	uint32_t code;         /**< enum rte_sva_page_response_code */
	uint32_t cookie;       /**< from the group's records */
};

/** Buckets of the round-trip histogram: log-linear, four per power of
 *  two (about 19% wide), from 4 ns to 2^32 ns; see
 *  rte_sva_fault_hist_bucket_ns() for a bucket's bounds. */
#define RTE_SVA_FAULT_HIST_BUCKETS 128

/**
 * Counters of a device's fault path. Every group answered by a worker
 * (groups) is counted once more: resp_success, resp_invalid or
 * resp_failure when its response was delivered, resp_errors when the
 * driver failed to deliver it, or in stale_responses when it was dropped
 * because the device was being closed.
 */
struct rte_sva_fault_stats {
	uint64_t requests;        /**< page request records */
	uint64_t groups;          /**< groups answered by a worker */
	uint64_t resp_success;    /**< delivered, per code */
	uint64_t resp_invalid;
	uint64_t resp_failure;
	uint64_t stale_responses; /**< dropped by the device (late), or by the
				   *   worker while the device was closed */
	uint64_t device_invalid;  /**< groups the device answered itself */
	uint64_t unrecoverable[RTE_SVA_FAULT_REASON_NB];
	uint64_t queue_full;      /**< reports refused (device retried) */
	uint32_t queue_size;
	uint32_t queue_hwm;       /**< most records ever waiting */
	uint64_t hist[RTE_SVA_FAULT_HIST_BUCKETS]; /**< round trip, ns */
	/** Groups whose response the driver failed to deliver (its
	 *  page_response op returned an error): not counted as answered. */
	uint64_t resp_errors;
	/** Partial groups discarded: their last page will never come (the
	 *  device stopped or gave the group up, the bond went, a new group
	 *  of the same device, PASID and group id began, or the worker's
	 *  group table overflowed). */
	uint64_t partial_discarded;
};

/**
 * Resolve a page request in a registered range (of our own address space:
 * never called for a bond made by pid). Runs on a fault worker; must not
 * call control functions of this library (a close may be waiting for it).
 * @return enum rte_sva_page_response_code for this page.
 */
typedef int (*rte_sva_fault_handler_t)(const struct rte_sva_fault *f,
				       void *arg);
/** Called for every unrecoverable fault. */
typedef void (*rte_sva_unrecov_cb_t)(const struct rte_sva_fault *f, void *arg);

/**
 * Handle page requests for [start, start + len) with fn (demand paging).
 * @return 0; -EINVAL for NULL fn, len 0 or an overlap with another range;
 * -ENOSPC when all handler slots are used.
 */
int rte_sva_fault_handler_register(uint64_t start, uint64_t len,
				   rte_sva_fault_handler_t fn, void *arg);
/** @return 0; -ENOENT if no range starts at start. */
int rte_sva_fault_handler_unregister(uint64_t start);

/** Set the unrecoverable-fault callback (NULL to clear). @return 0. */
int rte_sva_fault_unrecov_callback_set(rte_sva_unrecov_cb_t cb, void *arg);

/**
 * Fault-around: with each requested page, also fault in the next n pages
 * with the same permission (default 0). @return 0; -EINVAL if n > 512.
 */
int rte_sva_fault_around_set(uint32_t n);

/**
 * Poll a device's fault queue once: resolve up to max records and answer
 * every group whose last page arrived. Any thread, any number of threads:
 * one consumes at a time, the others return 0.
 * @return records handled (>= 0); -EINVAL for a bad id; -ENOTSUP if the
 * device has no fault queue (or is being closed). Errors are logged.
 */
int rte_sva_fault_process(int16_t dev_id, uint16_t max);

/**
 * Run a fault worker on EAL worker lcore lcore_id: it polls the fault
 * queues of every device until stopped. The lcore becomes a service lcore
 * running the library's "sva_fault_worker" service (leave it to the
 * library), so that rte_eal_cleanup() stops it like every service lcore:
 * cleanup with a worker running returns once the worker's current poll
 * is done, then releases the devices. rte_sva_fault_worker_stop() gives
 * the lcore back as an ordinary worker lcore.
 * @return 0; -EINVAL (logged) if lcore_id is not a worker lcore; -EBUSY
 * (logged) if a function launched on it still runs, or a worker already
 * runs; -EPERM in a fork() child.
 */
int rte_sva_fault_worker_start(unsigned int lcore_id);
/** Stop the lcore worker and wait for it (for its current poll).
 *  @return 0; -ENOENT (logged) if none runs; -EPERM in a fork() child. */
int rte_sva_fault_worker_stop(void);

/**
 * Register the fault path as a DPDK service (to map to service lcores).
 * @return 0 and *service_id; -EINVAL (logged) for NULL; <0 from the
 * service library (logged).
 */
int rte_sva_fault_service_register(uint32_t *service_id);

/** @return the lowest round trip, in ns, that bucket i counts (the next
 *  bucket's value is its upper bound). */
uint64_t rte_sva_fault_hist_bucket_ns(unsigned int i);

/**
 * Percentile of the round trip from a histogram, in ns (upper bound of
 * the bucket it falls in); 0 if the histogram is empty.
 */
uint64_t rte_sva_fault_hist_percentile(const struct rte_sva_fault_stats *st,
				       double pct);

/** @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue
 *  (each logged). */
int rte_sva_fault_stats_get(int16_t dev_id, struct rte_sva_fault_stats *st);
/** Reset the device's fault counters and its per-PASID ones.
 *  @return 0; -EINVAL; -ENOTSUP (each logged); -EPERM in a fork() child. */
int rte_sva_fault_stats_reset(int16_t dev_id);

/** Page-request counters of one PASID on one device. */
struct rte_sva_fault_pasid_stats {
	uint64_t requests;
	uint64_t resp_success;
	uint64_t resp_invalid;
	uint64_t resp_failure;
	uint64_t resp_errors;     /**< responses the driver failed to deliver */
};

/**
 * Counters of one PASID (the most active RTE_SVA_FAULT_PASIDS_TRACKED
 * PASIDs per device are tracked; reset with rte_sva_fault_stats_reset()).
 * @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue;
 * -ENOENT if the PASID raised nothing (or was not tracked); each logged.
 */
int rte_sva_fault_pasid_stats_get(int16_t dev_id, uint32_t pasid,
				  struct rte_sva_fault_pasid_stats *st);
#define RTE_SVA_FAULT_PASIDS_TRACKED 64

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_FAULT_H */
