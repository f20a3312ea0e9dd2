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

/** What a fault record reports (rte_sva_fault::type). */
enum rte_sva_fault_type {
	RTE_SVA_FAULT_PAGE_REQ = 1,   /**< recoverable: needs a response */
	RTE_SVA_FAULT_UNRECOV = 2,    /**< unrecoverable: reported only */
};

/* rte_sva_fault::flags */
/** rte_sva_fault::pasid is meaningful. */
#define RTE_SVA_FAULT_F_PASID_VALID      RTE_BIT32(0)
/** The last record of its page-request group: the group is answered. */
#define RTE_SVA_FAULT_F_LAST_PAGE        RTE_BIT32(1)
/** rte_sva_fault::private_data carries the device's data. */
#define RTE_SVA_FAULT_F_PRIV_DATA        RTE_BIT32(2)
/** rte_sva_fault::addr is meaningful (unrecoverable faults). */
#define RTE_SVA_FAULT_F_ADDR_VALID       RTE_BIT32(3)
/** rte_sva_fault::fetch_addr is meaningful (unrecoverable faults). */
#define RTE_SVA_FAULT_F_FETCH_ADDR_VALID RTE_BIT32(4)

/* rte_sva_fault::perm */
/** The device read. */
#define RTE_SVA_PERM_READ  RTE_BIT32(0)
/** The device wrote. */
#define RTE_SVA_PERM_WRITE RTE_BIT32(1)
/** The device fetched an instruction. */
#define RTE_SVA_PERM_EXEC  RTE_BIT32(2)
/** A privileged (supervisor) access. */
#define RTE_SVA_PERM_PRIV  RTE_BIT32(3)

/** Unrecoverable fault reasons (the seeds' list). */
enum rte_sva_fault_reason {
	RTE_SVA_FAULT_REASON_UNKNOWN = 0,      /**< none of the others (or a
						*   reason this version lacks) */
	RTE_SVA_FAULT_REASON_PASID_FETCH,      /**< PASID table entry unreadable */
	RTE_SVA_FAULT_REASON_BAD_PASID_ENTRY,  /**< PASID table entry malformed */
	RTE_SVA_FAULT_REASON_PASID_INVALID,    /**< no entry for the PASID */
	RTE_SVA_FAULT_REASON_WALK_EABT,        /**< page walk aborted */
	RTE_SVA_FAULT_REASON_PTE_FETCH,        /**< page table entry unreadable */
	RTE_SVA_FAULT_REASON_PERMISSION,       /**< access the mapping forbids */
	RTE_SVA_FAULT_REASON_ACCESS,           /**< access flag fault */
	RTE_SVA_FAULT_REASON_OOR_ADDRESS,      /**< address out of range */
	RTE_SVA_FAULT_REASON_NB,               /**< number of reasons */
};

/**
 * One fault record: 64 bytes, able to carry the seeds' iommu_fault and the
 * iommufd fault queue's page-fault record (its response cookie).
 */
struct rte_sva_fault {
	uint32_t type;         /**< enum rte_sva_fault_type */
	uint32_t flags;        /**< RTE_SVA_FAULT_F_* */
	uint32_t pasid;        /**< with F_PASID_VALID: the bond's PASID */
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
	/** PAGE_REQ: pages from addr's on that the requester expects to
	 *  touch, a hint (iommufd's record length, in pages, capped at
	 *  UINT16_MAX); 0 or 1: addr's page only. The default resolver
	 *  brings the rest in too, as fault-around does (at most 512 pages
	 *  after addr's, whichever asks for more). */
	uint16_t hint_pages;
	uint64_t tsc;          /**< TSC when raised (round-trip latency) */
};

/** The answer to a page-request group (the seeds' page response codes). */
enum rte_sva_page_response_code {
	RTE_SVA_PAGE_RESP_SUCCESS = 0, /**< resolved: retry the access */
	RTE_SVA_PAGE_RESP_INVALID = 1, /**< cannot resolve: fail the access */
	RTE_SVA_PAGE_RESP_FAILURE = 2, /**< general error */
};

/** One response, for a whole group. */
struct rte_sva_page_response {
	uint32_t pasid;        /**< of the group's records */
	uint32_t grpid;        /**< of the group's records */
	uint32_t code;         /**< enum rte_sva_page_response_code */
	uint32_t cookie;       /**< from the group's records */
};

/** Buckets of each latency histogram (round trip, resolve): 1 ns wide
 *  below 16 ns, then log-linear, eight per power of two (a bucket is
 *  1/8 to 1/15 of its lower bound wide: bounds step by 1.067x to
 *  1.125x), up to 2^34 ns (17.2 s); longer times count in the last
 *  bucket. See rte_sva_fault_hist_bucket_ns() for a bucket's bounds.
 *  (128 buckets of four per power of two before: the library's ABI is
 *  0.x, and struct rte_sva_fault_stats grew with it.) */
#define RTE_SVA_FAULT_HIST_BUCKETS 256

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
	uint64_t resp_success;    /**< delivered SUCCESS */
	uint64_t resp_invalid;    /**< delivered INVALID */
	uint64_t resp_failure;    /**< delivered FAILURE */
	uint64_t stale_responses; /**< dropped by the device (late), or by the
				   *   worker while the device was closed */
	uint64_t device_invalid;  /**< groups the device answered itself */
	/** Unrecoverable faults, by enum rte_sva_fault_reason. */
	uint64_t unrecoverable[RTE_SVA_FAULT_REASON_NB];
	uint64_t queue_full;      /**< reports refused (device retried) */
	uint32_t queue_size;      /**< records the fault queue holds */
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
	/** Resolve time of each page request, ns: from just before the
	 *  worker resolves the page (the default resolver's fault-in or a
	 *  registered handler) to just after; one entry per request that
	 *  was resolved (not the later pages of a group one of whose pages
	 *  failed). The rest of a round trip (hist) is the framework's:
	 *  the wait in the fault queue, the group's bookkeeping, the
	 *  response. Consecutive requests of a burst share a TSC read (one
	 *  request's end is the next one's start), so an entry also holds
	 *  the few dozen instructions of bookkeeping before its resolve. */
	uint64_t resolve_hist[RTE_SVA_FAULT_HIST_BUCKETS];
};

/**
 * Resolve a page request in a registered range (of our own address space:
 * never called for a bond made by pid). Runs on a fault worker; must not
 * call control functions of this library (a close may be waiting for it).
 * @param f The page's record.
 * @param arg As registered.
 * @return enum rte_sva_page_response_code for this page.
 */
typedef int (*rte_sva_fault_handler_t)(const struct rte_sva_fault *f,
				       void *arg);
/**
 * Called for every unrecoverable fault, on the fault worker that took it.
 * @param f The record.
 * @param arg As set.
 */
typedef void (*rte_sva_unrecov_cb_t)(const struct rte_sva_fault *f, void *arg);

/**
 * Handle page requests for [start, start + len) with fn (demand paging).
 * Control function. A worker resolving a page in the range meanwhile may
 * still use the default resolver for that page.
 * @param start First address of the range.
 * @param len Bytes in the range.
 * @param fn The handler.
 * @param arg Passed to fn.
 * @return 0; -EINVAL for NULL fn, len 0 or an overlap with another range;
 * -ENOSPC when all handler slots are used.
 */
int rte_sva_fault_handler_register(uint64_t start, uint64_t len,
				   rte_sva_fault_handler_t fn, void *arg);
/**
 * Stop handling a range. A worker may be inside its handler meanwhile:
 * free what arg refers to only after the fault path is quiet.
 * @param start First address of a registered range.
 * @return 0; -ENOENT if no range starts at start.
 */
int rte_sva_fault_handler_unregister(uint64_t start);

/**
 * Set the unrecoverable-fault callback.
 * @param cb The callback, NULL to clear it.
 * @param arg Passed to cb.
 * @return 0.
 */
int rte_sva_fault_unrecov_callback_set(rte_sva_unrecov_cb_t cb, void *arg);

/**
 * Fault-around: with each requested page, also fault in the next n pages
 * with the same permission (default 0); the first one that cannot be
 * faulted in ends it. Own address space and bonds by pid alike. A request
 * whose producer gives a length (rte_sva_fault::hint_pages) brings in that
 * many when it is more.
 * @param n Pages, 0..512.
 * @return 0; -EINVAL (logged) if n > 512.
 */
int rte_sva_fault_around_set(uint32_t n);

/**
 * Poll a device's fault queue once: resolve up to max records and answer
 * every group whose last page arrived. Any thread, any number of threads:
 * one consumes at a time, the others return 0.
 * @param dev_id Device id.
 * @param max Most records to handle (0: only apply pending discards).
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
 * @param lcore_id An EAL worker lcore, not the main one, with nothing
 * launched on it.
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
 * The service polls every device, as the worker does; it is multi-thread
 * safe. Each call registers another service.
 * @param service_id Set to the service's id.
 * @return 0 and *service_id; -EINVAL (logged) for NULL; <0 from the
 * service library (logged).
 */
int rte_sva_fault_service_register(uint32_t *service_id);

/**
 * Bounds of a histogram bucket (of both rte_sva_fault_stats::hist and
 * rte_sva_fault_stats::resolve_hist): bucket i < 16 counts i ns exactly;
 * from 16 on, each power of two [2^k, 2^(k+1)) is cut into eight equal
 * buckets. Bucket 255 counts from 16106127360 ns (15.0 s) up, times
 * over 2^34 ns included.
 * @param i Bucket, 0..RTE_SVA_FAULT_HIST_BUCKETS (the last: the upper
 * bound of the last bucket, 2^34).
 * @return the lowest time, in ns, that bucket i counts (the next
 * bucket's value is its upper bound); for i > RTE_SVA_FAULT_HIST_BUCKETS,
 * that of RTE_SVA_FAULT_HIST_BUCKETS.
 */
uint64_t rte_sva_fault_hist_bucket_ns(unsigned int i);

/**
 * Percentile of the round trip from a histogram.
 * @param st Counters from rte_sva_fault_stats_get().
 * @param pct Percentile, 0..100 (e.g. 99.9); below 0 (or NaN) counts
 * as 0, above 100 as 100.
 * @return the round trip in ns (upper bound of the bucket the percentile
 * falls in); 0 if the histogram is empty.
 */
uint64_t rte_sva_fault_hist_percentile(const struct rte_sva_fault_stats *st,
				       double pct);

/**
 * Percentile of the resolve time (rte_sva_fault_stats::resolve_hist),
 * as rte_sva_fault_hist_percentile() is of the round trip.
 * @param st Counters from rte_sva_fault_stats_get().
 * @param pct Percentile, 0..100 (e.g. 99.9); below 0 (or NaN) counts
 * as 0, above 100 as 100.
 * @return the resolve time in ns (upper bound of the bucket the
 * percentile falls in); 0 if no request was resolved.
 */
uint64_t rte_sva_fault_resolve_percentile(const struct rte_sva_fault_stats *st,
					  double pct);

/**
 * Read a device's fault-path counters.
 * @param dev_id Device id.
 * @param st Filled on success.
 * @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue
 * (each logged).
 */
int rte_sva_fault_stats_get(int16_t dev_id, struct rte_sva_fault_stats *st);
/**
 * Reset the device's fault counters and its per-PASID ones.
 * @param dev_id Device id.
 * @return 0; -EINVAL for a bad id; -ENOTSUP without a fault queue (each
 * logged); -EPERM in a fork() child.
 */
int rte_sva_fault_stats_reset(int16_t dev_id);

/** Page-request counters of one PASID on one device. */
struct rte_sva_fault_pasid_stats {
	uint64_t requests;        /**< page request records */
	uint64_t resp_success;    /**< delivered SUCCESS */
	uint64_t resp_invalid;    /**< delivered INVALID */
	uint64_t resp_failure;    /**< delivered FAILURE */
	uint64_t resp_errors;     /**< responses the driver failed to deliver */
};

/**
 * Counters of one PASID on one device. The first
 * RTE_SVA_FAULT_PASIDS_TRACKED PASIDs to raise a page request on a device
 * since its last rte_sva_fault_stats_reset() are tracked; later ones are
 * counted in the device's counters only.
 * @param dev_id Device id.
 * @param pasid PASID.
 * @param st Filled on success.
 * @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue;
 * -ENOENT if the PASID raised nothing (or was not tracked); each logged.
 */
int rte_sva_fault_pasid_stats_get(int16_t dev_id, uint32_t pasid,
				  struct rte_sva_fault_pasid_stats *st);
/** PASIDs whose counters each device keeps. */
#define RTE_SVA_FAULT_PASIDS_TRACKED 64

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_FAULT_H */
