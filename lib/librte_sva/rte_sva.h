/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_H
#define RTE_SVA_H

/**
 * @file
 * Shared Virtual Addressing (SVA) devices.
 *
 * An SVA device executes descriptors on *process virtual addresses*: a
 * process binds its address space to a PASID once (see rte_sva_bind()) and
 * then tags each operation with that PASID. Nothing is pinned and no IOVA is
 * mapped; a page the device finds not present becomes a page fault the
 * device reports (or, on devices with page requests, one the fault path
 * resolves).
 *
 * Call order (the same as rte_dmadev):
 *   rte_sva_info_get() -> rte_sva_configure() -> rte_sva_queue_setup() ...
 *   -> rte_sva_start() -> fast path ... -> rte_sva_stop() -> rte_sva_close().
 * A stopped device may be reconfigured.
 *
 * Thread safety (true of every public function of librte_sva):
 * - Control functions (everything not listed below: device information,
 *   configure, queue setup, start, stop, close, statistics, dump, queue
 *   idle, lookups by name, containers, bonds, the PASID range, capability
 *   and invalidation, fault handler and callback registration, fault
 *   statistics) may be called from any thread at any
 *   time, also concurrently with each other, with device probe and removal
 *   and with telemetry: each takes the library's control lock for its whole
 *   run and sees and leaves the library consistent. The lock keeps each
 *   call whole, not a sequence of them: drive a device's lifecycle from one
 *   thread (usually the main lcore). Calls that change state return -EPERM
 *   in a fork() child of the process that set the library up.
 * - Lock-free lookups: rte_sva_is_valid(), rte_sva_next_dev(),
 *   rte_sva_count_avail() read the device table atomically, from any
 *   thread; a device may be gone by the time the caller uses the answer
 *   (its id then fails with -EINVAL).
 * - Fast-path functions (rte_sva_fp.h) on one queue (dev_id, qid) must be
 *   called from one thread at a time, as rte_dmadev's: a queue has exactly
 *   one producer. Several threads submit to one *shared* device work queue
 *   by each owning its own queue attached to it (RTE_SVA_QUEUE_SHARED with
 *   the same wq_id); contention then happens in the device, which refuses
 *   a full queue (retry). They take no locks, make no system calls and
 *   allocate nothing. Argument checks that are not free (dev_id) compile in
 *   only with RTE_SVA_DEBUG; the driver still rejects lengths, flags and
 *   PASIDs it cannot encode. Do not call them on a device being
 *   reconfigured or closed on another thread.
 * - The fault path (rte_sva_fault.h): rte_sva_fault_process() may be
 *   called from any number of threads, lock-free, also while the device is
 *   being closed (it then returns -ENOTSUP, and -EINVAL once the id is
 *   free); one consumer at a time serves a device's fault queue, the
 *   others return 0.
 *   rte_sva_fault_worker_start() / _stop() and
 *   rte_sva_fault_service_register() are control functions with a lock of
 *   their own (never the control lock, which a close may hold while it
 *   waits for a poll to end). Fault handlers and the unrecoverable-fault
 *   callback run on the polling thread and must not call control
 *   functions: a close may hold the control lock while it waits for them.
 * - Pure functions (rte_sva_status_str(), rte_sva_fault_hist_bucket_ns(),
 *   rte_sva_fault_hist_percentile(), rte_sva_fault_resolve_percentile(),
 *   rte_sva_copy_resume_refuse()) touch
 *   no shared state.
 * - Telemetry (/sva/... endpoints) runs on DPDK's telemetry thread and uses
 *   only the public control functions above.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_memory.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of SVA devices in one process. */
#define RTE_SVA_MAX_DEVS 64
/** Maximum number of queues of one device. */
#define RTE_SVA_MAX_QUEUES 64
/** Maximum device name length, including the terminating NUL. */
#define RTE_SVA_NAME_MAX_LEN 64
/** Widest PASID any device may report (PCIe allows 20 bits). */
#define RTE_SVA_PASID_BITS_MAX 20
/** A PASID value no bond ever gets. */
#define RTE_SVA_PASID_INVALID UINT32_MAX

/* Operation types, as bits in rte_sva_info::op_capa. */
/** rte_sva_copy() */
#define RTE_SVA_OP_CAPA_COPY            RTE_BIT64(0)
/** rte_sva_fill() */
#define RTE_SVA_OP_CAPA_FILL            RTE_BIT64(1)
/** rte_sva_compare() */
#define RTE_SVA_OP_CAPA_COMPARE         RTE_BIT64(2)
/** rte_sva_compare_pattern() */
#define RTE_SVA_OP_CAPA_COMPARE_PATTERN RTE_BIT64(3)
/** rte_sva_crc32c() */
#define RTE_SVA_OP_CAPA_CRC32C          RTE_BIT64(4)
/** rte_sva_copy_crc32c() */
#define RTE_SVA_OP_CAPA_COPY_CRC32C     RTE_BIT64(5)
/** rte_sva_dualcast() */
#define RTE_SVA_OP_CAPA_DUALCAST        RTE_BIT64(6)

/* Device features, as bits in rte_sva_info::dev_capa. */
/** The device raises page requests (PRI) instead of failing on a miss. */
#define RTE_SVA_CAPA_PAGE_REQUEST   RTE_BIT64(0)
/** The device caches translations (ATS / device IOTLB). */
#define RTE_SVA_CAPA_ATS            RTE_BIT64(1)
/** Descriptors may ask to wait for a page fault to be resolved. */
#define RTE_SVA_CAPA_BLOCK_ON_FAULT RTE_BIT64(2)
/** Work queues may be shared by several queues (ENQCMD-style). */
#define RTE_SVA_CAPA_SHARED_QUEUE   RTE_BIT64(3)
/** Work queues may be dedicated to one queue. */
#define RTE_SVA_CAPA_DEDICATED_QUEUE RTE_BIT64(4)
/** Overlapping source and destination are allowed for copies. */
#define RTE_SVA_CAPA_OVERLAP_COPY   RTE_BIT64(5)
/** PASIDs are allocated system-wide (shared by all processes). */
#define RTE_SVA_CAPA_SYSWIDE_PASID  RTE_BIT64(6)
/** Bonds to another process (by pid) are supported. */
#define RTE_SVA_CAPA_FOREIGN_BIND   RTE_BIT64(7)
/** The device is a software model (the sim driver). */
#define RTE_SVA_CAPA_SOFTWARE       RTE_BIT64(63)

/** Device information, filled by rte_sva_info_get(). */
struct rte_sva_info {
	const char *dev_name;     /**< Unique device name. */
	const char *driver_name;  /**< Name of the driver that probed it. */
	uint64_t op_capa;         /**< RTE_SVA_OP_CAPA_* */
	uint64_t dev_capa;        /**< RTE_SVA_CAPA_* */
	uint32_t max_xfer_size;   /**< Largest length of one operation, bytes. */
	uint16_t max_queues;      /**< Queues that may be configured. */
	uint16_t max_wqs;         /**< Device work queues (shared queues attach to one). */
	uint16_t min_desc;        /**< Smallest queue depth (power of two). */
	uint16_t max_desc;        /**< Largest queue depth (power of two). */
	uint16_t nb_queues;       /**< Queues configured now. */
	uint8_t pasid_bits;       /**< Width of PASIDs this device accepts. */
	uint8_t addr_width;       /**< Virtual address bits the device can use. */
	int numa_node;            /**< NUMA node of the device, or SOCKET_ID_ANY. */
	uint64_t reserved[4];     /**< 0 (room to grow). */
};

/** Device configuration. */
struct rte_sva_conf {
	uint16_t nb_queues;       /**< Number of queues, 1..max_queues. */
	uint16_t flags;           /**< Must be 0 (reserved). */
	uint32_t reserved[7];     /**< Must be 0. */
};

/** Work-queue modes of a queue. */
enum rte_sva_queue_mode {
	/** The queue owns a device work queue (MOVDIR64B-style). */
	RTE_SVA_QUEUE_DEDICATED = 0,
	/** The queue submits to a work queue shared with other queues. */
	RTE_SVA_QUEUE_SHARED = 1,
};

/** Queue configuration. */
struct rte_sva_queue_conf {
	uint16_t nb_desc;         /**< Ring depth, power of two, min..max_desc. */
	uint16_t mode;            /**< enum rte_sva_queue_mode */
	uint16_t wq_id;           /**< SHARED: the device work queue to attach to. */
	uint16_t wq_size;         /**< SHARED: depth of that work queue (first attach
				   *   sets it; 0 = driver default). */
	int socket_id;            /**< Memory node for the rings, SOCKET_ID_ANY =
				   *   the device's node. */
	uint32_t reserved[5];     /**< Must be 0. */
};

/** Per-queue or per-device statistics. */
struct rte_sva_stats {
	uint64_t submitted;       /**< Operations handed to the device. */
	uint64_t completed;       /**< Operations completed successfully. */
	uint64_t errors;          /**< Operations completed with an error status. */
	uint64_t page_faults;     /**< Of which: page faults. */
	uint64_t submit_retries;  /**< Shared queue: submissions refused (full). */
	uint64_t bytes;           /**< Bytes processed by successful operations. */
	/* Device-wide (reported with RTE_SVA_ALL_QUEUES only). */
	uint64_t atc_hits;        /**< Translation-cache hits, per page. */
	uint64_t atc_misses;      /**< Misses (each one a page-table walk). */
	/** Time the device's engines spent executing descriptors, ns, summed
	 *  over its engines (busy_ns over the elapsed time times the engines:
	 *  how loaded the device was; the rest it waited for work). An engine
	 *  adds a burst's time after the burst's last record. 0 from a device
	 *  that does not count it (hardware does not say) and in a secondary
	 *  process (the engines are the primary's). */
	uint64_t busy_ns;
};

/** Pass as qid to aggregate statistics over all queues. */
#define RTE_SVA_ALL_QUEUES UINT16_MAX

/**
 * Per-operation completion status. 0 is success; values leave gaps to grow.
 */
enum rte_sva_status_code {
	RTE_SVA_STATUS_SUCCESS = 0,
	/** Compare / compare-pattern found a difference (not an error). */
	RTE_SVA_STATUS_COMPARE_MISMATCH = 1,
	/** The device touched a page that is not present or lacks the
	 *  permission; fault address and bytes completed are reported. */
	RTE_SVA_STATUS_PAGE_FAULT = 16,
	/** The address cannot be translated (outside the address width). */
	RTE_SVA_STATUS_TRANSLATION_FAIL = 17,
	/** The PASID is not bound on this device. */
	RTE_SVA_STATUS_INVALID_PASID = 18,
	/** The PASID entry exists but is unusable (e.g. its bond is defunct). */
	RTE_SVA_STATUS_BAD_PASID_ENTRY = 19,
	RTE_SVA_STATUS_INVALID_OPCODE = 32,
	RTE_SVA_STATUS_INVALID_FLAGS = 33,
	RTE_SVA_STATUS_INVALID_LENGTH = 34,
	/** Misaligned or inconsistent addresses (e.g. dualcast). */
	RTE_SVA_STATUS_INVALID_ADDR = 35,
	RTE_SVA_STATUS_OVERLAP = 36,
	RTE_SVA_STATUS_RESERVED_NONZERO = 37,
	/** Not executed: aborted by unbind, stop or a failed fence. */
	RTE_SVA_STATUS_ABORTED = 48,
	RTE_SVA_STATUS_ERROR_UNKNOWN = 255,
};

/** Full result of one operation, from rte_sva_completed_results(). */
struct rte_sva_result {
	uint64_t fault_addr;      /**< PAGE_FAULT: the faulting address. */
	uint32_t bytes_completed; /**< PAGE_FAULT: bytes done before the fault;
				   *   COMPARE_MISMATCH: offset of first difference. */
	uint32_t crc;             /**< CRC32C operations: the CRC. */
	uint16_t status;          /**< enum rte_sva_status_code */
	uint8_t flags;            /**< RTE_SVA_RESULT_F_* */
	uint8_t reserved;         /**< 0 */
	uint32_t reserved2;       /**< 0 */
};

/** rte_sva_result::flags: the faulting access was a write. */
#define RTE_SVA_RESULT_F_WRITE      RTE_BIT32(0)
/** rte_sva_result::flags: an overlapping copy ran from the end (descending);
 *  bytes_completed then counts from the end of the buffers. */
#define RTE_SVA_RESULT_F_DESCENDING RTE_BIT32(1)

/* Operation flags (the last argument of every enqueue function). */
/** Start this operation only after all earlier ones on the queue completed. */
#define RTE_SVA_OP_FLAG_FENCE  RTE_BIT64(0)
/** Ring the doorbell after enqueueing (like calling rte_sva_submit()). */
#define RTE_SVA_OP_FLAG_SUBMIT RTE_BIT64(1)
/** Wait in the device for a page fault to be resolved (needs
 *  RTE_SVA_CAPA_BLOCK_ON_FAULT and a fault path). */
#define RTE_SVA_OP_FLAG_BLOCK_ON_FAULT RTE_BIT64(2)
/** All flags this version knows. */
#define RTE_SVA_OP_FLAG_MASK   (RTE_SVA_OP_FLAG_FENCE | RTE_SVA_OP_FLAG_SUBMIT | \
				RTE_SVA_OP_FLAG_BLOCK_ON_FAULT)

/* ---------------------------------------------------------------- control */

/**
 * Count the devices (lock-free).
 * @return number of probed SVA devices.
 */
uint16_t rte_sva_count_avail(void);

/**
 * Whether a device id is in use (lock-free).
 * @param dev_id Device id.
 * @return true if dev_id names a probed device.
 */
bool rte_sva_is_valid(int16_t dev_id);

/**
 * Find a device by name.
 * @param name Device name (as given to the bus, e.g. "sva_sim0").
 * @return the device id (>= 0); -EINVAL for a NULL name; -ENODEV if no
 * device has that name.
 */
int rte_sva_get_dev_id_by_name(const char *name);

/**
 * Iterate over devices (lock-free; see RTE_SVA_FOREACH_DEV).
 * @param start_dev_id First id to look at (negative: 0).
 * @return first valid device id >= start_dev_id, or -1 when none is left.
 */
int16_t rte_sva_next_dev(int16_t start_dev_id);

/** Iterate over valid device ids: p, an int16_t, takes each in turn. */
#define RTE_SVA_FOREACH_DEV(p) \
	for (p = rte_sva_next_dev(0); p != -1; p = rte_sva_next_dev(p + 1))

/**
 * Get device information.
 * @param dev_id Device id.
 * @param info Filled on success; its name strings live as long as the
 * device.
 * @return 0; -EINVAL for an invalid dev_id or NULL info; other <0 from the
 * driver.
 */
int rte_sva_info_get(int16_t dev_id, struct rte_sva_info *info);

/**
 * Configure a stopped device. Every queue must then be set up again.
 * @param dev_id Device id.
 * @param conf Number of queues; flags and reserved fields 0.
 * @return 0; -EINVAL for an invalid id, NULL conf, nb_queues out of range,
 * nonzero flags/reserved; -EBUSY if the device is started; -EPERM in a fork() child; other <0 from the
 * driver.
 */
int rte_sva_configure(int16_t dev_id, const struct rte_sva_conf *conf);

/**
 * Set up queue qid of a configured, stopped device.
 * @param dev_id Device id.
 * @param qid Queue, below rte_sva_conf::nb_queues.
 * @param conf Depth, mode (and shared work queue), memory node.
 * @return 0; -EINVAL for a bad id, qid, depth (not a power of two or out of
 * range), mode, wq_id, nonzero reserved; -ENOTSUP for a mode the device lacks;
 * -EBUSY if started; -EPERM in a fork() child; -ENOMEM; other <0 from the driver.
 */
int rte_sva_queue_setup(int16_t dev_id, uint16_t qid,
			const struct rte_sva_queue_conf *conf);

/**
 * Start the device: its engines begin to poll.
 * @param dev_id Device id.
 * @return 0 (also if already started); -EINVAL for a bad id or a device with
 * a queue not set up; -EPERM in a fork() child; other <0 from the driver.
 */
int rte_sva_start(int16_t dev_id);

/**
 * Stop the device. Operations still in flight complete first (the device
 * drains its work queues), so no submitted operation is lost. Page-request
 * groups the device still had open are answered by the device; the fault
 * path forgets what it held of them.
 * @param dev_id Device id.
 * @return 0 (also if already stopped); -EINVAL for a bad id; -EPERM in a fork() child; other <0 from
 * the driver (e.g. -ETIMEDOUT when the hardware did not drain), the device
 * then stays started.
 */
int rte_sva_stop(int16_t dev_id);

/**
 * Close a stopped device and release it: it leaves its container, its fault
 * queue is freed (after any thread polling it has left), and its id becomes
 * free for the next probe.
 * @param dev_id Device id.
 * @return 0; -EINVAL for a bad id; -EBUSY if started; -EPERM in a
 * fork() child; other <0 from the
 * driver, which then keeps the device open.
 */
int rte_sva_close(int16_t dev_id);

/**
 * Read statistics of one queue, or of all with RTE_SVA_ALL_QUEUES.
 * Counters are updated by the queue's producer when it reaps completions.
 * @param dev_id Device id.
 * @param qid Queue, or RTE_SVA_ALL_QUEUES.
 * @param stats Filled on success.
 * @return 0; -EINVAL for a bad id, qid, NULL stats or a device not
 * configured; other <0 from the driver.
 */
int rte_sva_stats_get(int16_t dev_id, uint16_t qid, struct rte_sva_stats *stats);

/**
 * Reset statistics.
 * @param dev_id Device id.
 * @param qid Queue, or RTE_SVA_ALL_QUEUES.
 * @return 0; -EINVAL for a bad id, qid or a device not configured;
 * -EPERM in a fork() child; other <0 from the driver.
 */
int rte_sva_stats_reset(int16_t dev_id, uint16_t qid);

/**
 * Print the device state and the driver's own.
 * @param dev_id Device id.
 * @param f Output stream.
 * @return 0; -EINVAL for a bad id or NULL f; other <0 from the driver.
 */
int rte_sva_dump(int16_t dev_id, FILE *f);

/**
 * Whether the device has finished every operation submitted on a queue
 * (completions may still be waiting to be reaped). Control path; safe to
 * call while the queue's producer runs.
 * @param dev_id Device id.
 * @param qid Queue that was set up.
 * @return 1 idle; 0 busy; -EINVAL for a bad id or qid; -ENOTSUP if the
 * driver cannot tell.
 */
int rte_sva_queue_idle(int16_t dev_id, uint16_t qid);

/**
 * Name a completion status.
 * @param status enum rte_sva_status_code value.
 * @return a static string naming it ("unknown error" for a value this
 * version does not know; never NULL).
 */
const char *rte_sva_status_str(enum rte_sva_status_code status);

#ifdef __cplusplus
}
#endif

#include "rte_sva_core.h"
#include "rte_sva_fp.h"

#endif /* RTE_SVA_H */
