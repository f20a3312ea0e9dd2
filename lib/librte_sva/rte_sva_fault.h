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
 * registered for a virtual-address range take over there (demand paging:
 * fill the page, then answer). Unrecoverable faults go to a callback.
 *
 * Every page request gets exactly one response: when a device stops, a
 * bond is unbound or a response does not come within the device's
 * timeout, the device completes the group INVALID itself and drops a late
 * response (counted as stale).
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

struct rte_sva_fault_stats {
	uint64_t requests;        /**< page request records */
	uint64_t groups;          /**< groups answered by a worker */
	uint64_t resp_success;
	uint64_t resp_invalid;
	uint64_t resp_failure;
	uint64_t stale_responses; /**< dropped by the device (late) */
	uint64_t device_invalid;  /**< groups the device answered itself */
	uint64_t unrecoverable[RTE_SVA_FAULT_REASON_NB];
	uint64_t queue_full;      /**< reports refused (device retried) */
	uint32_t queue_size;
	uint32_t queue_hwm;       /**< most records ever waiting */
	uint64_t hist[RTE_SVA_FAULT_HIST_BUCKETS]; /**< round trip, ns */
};

/**
 * Resolve a page request in a registered range.
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
 * every group whose last page arrived. Safe to call from one thread per
 * device at a time (workers and services take care of that).
 * @return records handled (>= 0); -EINVAL for a bad id; -ENOTSUP if the
 * device has no fault queue.
 */
int rte_sva_fault_process(int16_t dev_id, uint16_t max);

/**
 * Run a fault worker on EAL worker lcore lcore_id: it polls the fault
 * queues of every device until stopped.
 * @return 0; -EINVAL if lcore_id is not an idle worker lcore; -EBUSY if a
 * worker already runs.
 */
int rte_sva_fault_worker_start(unsigned int lcore_id);
/** Stop the lcore worker and wait for it. @return 0; -ENOENT if none. */
int rte_sva_fault_worker_stop(void);

/**
 * Register the fault path as a DPDK service (to map to service lcores).
 * @return 0 and *service_id; <0 from the service library.
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

/** @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue. */
int rte_sva_fault_stats_get(int16_t dev_id, struct rte_sva_fault_stats *st);
/** @return 0; -EINVAL; -ENOTSUP. */
int rte_sva_fault_stats_reset(int16_t dev_id);

/** Page-request counters of one PASID on one device. */
struct rte_sva_fault_pasid_stats {
	uint64_t requests;
	uint64_t resp_success;
	uint64_t resp_invalid;
	uint64_t resp_failure;
};

/**
 * Counters of one PASID (the most active RTE_SVA_FAULT_PASIDS_TRACKED
 * PASIDs per device are tracked; reset with rte_sva_fault_stats_reset()).
 * @return 0; -EINVAL for a bad id or NULL; -ENOTSUP without a fault queue;
 * -ENOENT if the PASID raised nothing (or was not tracked).
 */
int rte_sva_fault_pasid_stats_get(int16_t dev_id, uint32_t pasid,
				  struct rte_sva_fault_pasid_stats *st);
#define RTE_SVA_FAULT_PASIDS_TRACKED 64

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_FAULT_H */
