/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_IOMMUFD_H
#define SVA_IOMMUFD_H

/**
 * @file
 * The kernel-IOMMU side of an SVA device, for device PMDs (internal API).
 *
 * The split: a device PMD owns its fast path (descriptor rings, doorbells,
 * completions: device-specific, out of scope here) and calls this library
 * for everything the IOMMU does:
 *
 *  - sva_iommufd_open(): /dev/iommu + the device's VFIO cdev, BIND_IOMMUFD,
 *    an IOAS in which IOVA == process VA (mapped on demand), a fault queue
 *    and a hwpt that reports page requests to it.
 *  - sva_iommufd_pasid_attach()/detach(): the PMD's pasid_attach/detach ops.
 *  - sva_iommufd_fault_poll(): reads the fault fd (40-byte records),
 *    converts them and hands them to the library (rte_sva_pmd_fault_report).
 *  - sva_iommufd_page_response(): the PMD's page_response op: maps the
 *    faulting pages into the IOAS (IOVA == VA) on SUCCESS and writes the
 *    8-byte {cookie, code} response.
 *
 * The seeds' VFIO SVA ioctls (kernels carrying those patches) are the
 * second backend (struct sva_vfio_seeds); sva_kbackend_probe() picks one.
 *
 * The device side comes in two kinds: a PCI device through its VFIO cdev
 * (sva_iommufd_open()), and the kernel's own iommufd test mock device
 * (sva_iommufd_open_mock(), kernels with CONFIG_IOMMUFD_TEST): the same
 * IOAS, fault queue, hwpt, PASID attach, fault reads and responses, with
 * page requests raised by sva_iommufd_mock_iopf(). The lab runs this
 * backend's real paths on that mock device.
 *
 * Every system call goes through struct sva_kops; sva_kops_set() replaces
 * them (the unit tests install a model of the kernel there, which lives in
 * the tests, not in this library).
 */

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_log.h>
#include <rte_spinlock.h>

#include "rte_sva_pmd.h"
#include "sva_kabi.h"

#ifdef __cplusplus
extern "C" {
#endif

/** System calls used by the backends (default: the real ones). */
struct sva_kops {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	ssize_t (*read)(int fd, void *buf, size_t n);
	ssize_t (*write)(int fd, const void *buf, size_t n);
	int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);
};
/** Replace the system calls (NULL: back to the real ones). Not thread
 *  safe: call it before any context is opened. */
void sva_kops_set(const struct sva_kops *ops);
/** @return the system calls in use (never NULL). */
const struct sva_kops *sva_kops_get(void);

#define SVA_IOMMUFD_ERR_LEN 256
/** Records the fault fd read buffer holds at first; it grows (doubling)
 *  when a group does not fit, up to SVA_IOMMUFD_GROUP_MAX. */
#define SVA_IOMMUFD_READ_RECS 64
/** Largest page-request group (records) the backend can take: the kernel
 *  hands out whole groups only, so a group larger than the read buffer
 *  could never be read. */
#define SVA_IOMMUFD_GROUP_MAX 4096
#define SVA_IOMMUFD_POLL_BURST SVA_IOMMUFD_READ_RECS /**< old name */

/** Message fragments tests and users can match. */
#define SVA_MSG_OLD_KERNEL "kernel too old (needs 6.11 for fault queues / 6.15 for PASID attach)"
#define SVA_MSG_NO_PASID   "device lacks PASID/PRI"
#define SVA_MSG_NO_IOMMUFD "/dev/iommu missing"
#define SVA_MSG_NO_MOCK    "no iommufd test mock (kernel without CONFIG_IOMMUFD_TEST)"

struct sva_iommufd_pending {
	uint32_t cookie;
	uint32_t pasid;
	uint64_t addr;     /**< page address */
	uint64_t len;      /**< bytes to map (>= one page) */
	uint32_t perm;     /**< SVA_PGFAULT_PERM_* */
	bool used;
};

enum sva_iommufd_kind {
	SVA_IOMMUFD_VFIO = 0,  /**< a PCI device through its VFIO cdev */
	SVA_IOMMUFD_MOCK,      /**< the kernel's iommufd test mock device */
};

/** Counters of one context (read them with __atomic loads while another
 *  thread polls or answers). */
struct sva_iommufd_counters {
	uint64_t reads;          /**< read() calls that returned records */
	uint64_t records;        /**< page-request records read */
	uint64_t groups;         /**< groups read (records with LAST_PAGE) */
	uint64_t buf_grows;      /**< read buffer doublings (a group did not fit) */
	uint64_t group_too_big;  /**< polls that found a group over GROUP_MAX */
	uint64_t writes;         /**< write() calls of responses */
	uint64_t responses;      /**< responses the kernel accepted */
	uint64_t refused;        /**< responses the kernel refused (stale, duplicate) */
	uint64_t write_errors;   /**< responses lost to a failing write */
	uint64_t maps;           /**< IOAS_MAP calls that mapped a page */
	uint64_t map_failures;
	uint64_t detach_dropped; /**< pending pages forgotten at a detach (the
				  *   kernel answered their groups INVALID) */
};

/** One device bound to iommufd. */
struct sva_iommufd {
	enum sva_iommufd_kind kind;
	int iommufd;
	int devfd;            /**< VFIO cdev (-1 for the mock) */
	int fault_fd;
	uint32_t dev_id;      /**< iommufd device id (BIND_IOMMUFD / mock idev) */
	uint32_t stdev_id;    /**< mock: the selftest device object */
	uint32_t ioas_id;
	uint32_t fault_id;
	uint32_t hwpt_id;
	uint32_t rid_hwpt_id; /**< mock: the device's own (RID) hwpt; VFIO RID
			       *   open: the fault-capable hwpt it attached */
	uint32_t rid_pt_id;   /**< VFIO RID open: the hwpt the RID is attached
			       *   to, as ATTACH_PT reported it (0: none) */
	int rid_fault_err;    /**< VFIO RID open: 0 when the RID got the
			       *   fault-capable hwpt, else the errno the
			       *   kernel refused it with (ENODEV: no PRI) */
	bool hwpt_pasid;      /**< hwpt allocated with ALLOC_PASID */
	uint8_t max_pasid_log2; /**< from GET_HW_INFO (0: unknown/none) */
	uint64_t hw_caps;
	uint64_t page_size;
	char bdf[32];         /**< PCI address, or "mock" */
	char cdev[256];
	rte_spinlock_t lock;  /**< pending table */
	struct sva_iommufd_pending *pending; /**< one entry per page read */
	unsigned int pending_cap;
	/** Records read from the fault fd (whole groups, as the kernel hands
	 *  them out) not yet in the library's fault queue: reported first by
	 *  the next poll, in order. The buffer grows to fit any group. */
	struct sva_iommufd_pgfault *held;
	unsigned int held_cap, held_first, held_n;
	/** PASIDs attached through this context (-EEXIST / -ENOENT checks
	 *  the same on both kinds; the mock's are detached at close). */
	uint32_t pasids[64];
	unsigned int nb_pasids;
	struct sva_iommufd_counters cnt;
	uint64_t pending_lost;  /**< pages that could not be tracked (no memory) */
	char err[SVA_IOMMUFD_ERR_LEN]; /**< why the last call failed */
};

/**
 * Open the IOMMU side of PCI device bdf ("0000:00:04.0"). Roots: env
 * SVA_DEV_ROOT (default "/dev") and SVA_SYSFS_ROOT (default "/sys").
 * @return 0; <0 errno with ctx->err saying why (a missing /dev/iommu, an
 * old kernel, a device without PASID/PRI).
 */
int sva_iommufd_open(struct sva_iommufd *ctx, const char *bdf);
/**
 * Open a PCI device without PASID (no PASID attach, no page requests):
 * DMA with IOVA == VA through the device's RID, mapped on demand with
 * sva_iommufd_map(). As sva_iommufd_open() up to the IOAS, then the RID is
 * attached to a fault-capable hwpt of the IOAS (fault queue + hwpt with
 * FAULT_ID_VALID); when the kernel refuses that (ENODEV: no PRI;
 * ctx->rid_fault_err says which), an explicit VFIO detach (Linux 7.2
 * leaves the device blocked after the refused attach) and the RID on the
 * IOAS itself. sva_iommufd_pasid_attach() on such a context is -EINVAL.
 * @return 0; <0 errno with ctx->err saying why (nothing left open).
 */
int sva_iommufd_open_rid(struct sva_iommufd *ctx, const char *bdf);
/** Release everything (safe on a partly opened context). */
void sva_iommufd_close(struct sva_iommufd *ctx);

/** Attach the hwpt to pasid on the device. @return 0; <0 errno + err. */
int sva_iommufd_pasid_attach(struct sva_iommufd *ctx, uint32_t pasid);
int sva_iommufd_pasid_detach(struct sva_iommufd *ctx, uint32_t pasid);

/** Map [va, va + len) with IOVA == VA (page granular, already mapped
 *  pages are fine). @return 0; <0 errno. */
int sva_iommufd_map(struct sva_iommufd *ctx, uint64_t va, uint64_t len, bool write);

/** Convert one iommufd record into a library record (no I/O). */
void sva_iommufd_fault_convert(const struct sva_iommufd_pgfault *in,
			       int16_t dev_id, struct rte_sva_fault *out);

/**
 * Read up to max records from the fault fd and report them to dev's fault
 * queue. A record read is never lost: those the queue cannot take now (it
 * is full: the back-pressure) or at all (an error, logged) stay in ctx and
 * go first, in order, at the next poll; nothing more is read until they
 * went. Single consumer (one thread polls a ctx).
 * @return records reported (>= 0); <0 errno on a read or report error
 * when nothing was reported (-EAGAIN is returned as 0).
 */
int sva_iommufd_fault_poll(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
			   unsigned int max);

/** The page_response op's body: map on SUCCESS, write {cookie, code}.
 *  FAILURE is written as INVALID (iommufd accepts SUCCESS/INVALID only);
 *  a SUCCESS whose pages cannot be mapped becomes INVALID. */
int sva_iommufd_page_response(struct sva_iommufd *ctx,
			      const struct rte_sva_page_response *resp);

/** The page_response_burst op's body: the same for n responses, written
 *  to the fault fd in one write() (the kernel takes an array). A response
 *  the kernel refuses (its group is gone) is dropped, counted as stale on
 *  dev (if not NULL), and the rest written.
 *  @return n; when the fault fd is unusable (logged, with the number of
 *  responses lost), how many were written or dropped as stale before, or
 *  <0 errno if none: the library counts the rest as not delivered. */
int sva_iommufd_page_response_burst(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
				    const struct rte_sva_page_response *resp,
				    uint16_t n);

/** Capability report of the device (PASID width, page requests). */
void sva_iommufd_capability(const struct sva_iommufd *ctx,
			    struct rte_sva_capability *cap);

/* ----------------------------------------- the kernel's test mock device */

/**
 * Open the backend on the kernel's iommufd test mock device: /dev/iommu,
 * an IOAS, a PASID-capable mock device attached to it (IOMMU_TEST_CMD
 * MOCK_DOMAIN_FLAGS), then, as for a PCI device, GET_HW_INFO, a fault
 * queue and a hwpt (FAULT_ID_VALID | ALLOC_PASID) on the IOAS; last, the
 * device's RID moves from its automatic domain to a PASID-compatible hwpt
 * of its own (ALLOC_PASID, no fault queue): the kernel refuses a PASID
 * attach (EINVAL) while the RID's hwpt is not PASID-compatible.
 * Needs a kernel with CONFIG_IOMMUFD_TEST (ENOTTY otherwise: ctx->err says
 * SVA_MSG_NO_MOCK). The mock IOMMU translates IOVAs in [16 MiB, 2 GiB)
 * only: with IOVA == VA, map buffers there (mmap with a hint).
 * @return 0; <0 errno with ctx->err saying why.
 */
int sva_iommufd_open_mock(struct sva_iommufd *ctx);

/**
 * The mock device raises a page request (IOMMU_TEST_OP_TRIGGER_IOPF): a
 * one-record group with LAST_PAGE, PASID_VALID when pasid != 0.
 * @return 0; <0 errno (-ENOTSUP: not a mock context).
 */
int sva_iommufd_mock_iopf(struct sva_iommufd *ctx, uint32_t pasid, uint32_t grpid,
			  uint32_t perm, uint64_t addr);

/**
 * Ask the kernel whether the mock domain of hwpt maps [iova, iova + len)
 * to the user pages at uptr (IOMMU_TEST_OP_MD_CHECK_MAP).
 * @return 0 (it does); -EINVAL (a page is not mapped, or to another page);
 * -ENOENT (no such hwpt); <0.
 */
int sva_iommufd_mock_check_map(struct sva_iommufd *ctx, uint64_t iova, uint64_t len,
			       uint64_t uptr);

/**
 * Ask the kernel which hwpt is attached at pasid of the mock device
 * (IOMMU_TEST_OP_PASID_CHECK_HWPT; hwpt_id 0: none).
 * @return 0 (as expected); <0 errno otherwise (-EINVAL: another one).
 */
int sva_iommufd_mock_check_pasid(struct sva_iommufd *ctx, uint32_t pasid,
				 uint32_t hwpt_id);

/* ------------------------------------------- an SVA device of the IOMMU side */

/**
 * The IOMMU-side device ops (pasid_attach/detach, page_response(_burst),
 * capability_get) for a device whose dev_private begins with a
 * struct sva_iommufd *: a device PMD copies them into its own ops table.
 */
extern const struct rte_sva_dev_ops sva_iommufd_dev_ops;

/**
 * An SVA device with no work queues, only the IOMMU side of ctx: a fault
 * queue of fq_entries fed by sva_iommufd_fault_poll(), bonds attached as
 * PASIDs of ctx's device, responses written to ctx's fault fd. For device
 * PMDs to start from and for the lab. dev_private holds the ctx pointer.
 * @return the device (probed, visible); NULL with rte_errno.
 */
struct rte_sva_dev *sva_iommufd_dev_create(struct sva_iommufd *ctx, const char *name,
					   uint32_t fq_entries);

/**
 * Wait (poll()) up to timeout_ms for the fault fd to have a group.
 * @return 1 readable; 0 timeout; <0 errno.
 */
int sva_iommufd_fault_wait(struct sva_iommufd *ctx, int timeout_ms);

/** Copy of the counters (atomic loads). */
void sva_iommufd_counters_get(const struct sva_iommufd *ctx,
			      struct sva_iommufd_counters *c);

/* -------------------------------------------------- seeds' VFIO backend */

/** A container with the seeds' SVA ioctls and one device's fault ring. */
struct sva_vfio_seeds {
	int container_fd;     /**< from rte_vfio_container_create() */
	int group_num;
	int devfd;
	bool own_container;
	/** DMA fault region, mapped (or a test buffer); NULL: none. */
	volatile struct sva_seeds_fault_region *fault_rgn;
	/** Response region (same header, we produce); NULL: none. */
	volatile struct sva_seeds_fault_region *resp_rgn;
	uint64_t bad_records;
	char err[SVA_IOMMUFD_ERR_LEN];
};

/**
 * Use an existing container fd (and optionally device fd): checks TYPE1
 * and that the seeds' BIND ioctl exists (ENOTTY: it does not).
 * @return 0; -ENOTSUP when the container lacks the seeds' ioctls.
 */
int sva_vfio_seeds_init(struct sva_vfio_seeds *s, int container_fd, int devfd);
/** Hardware path: container/group/device through DPDK's rte_vfio, then
 *  sva_vfio_seeds_init(). */
int sva_vfio_seeds_open(struct sva_vfio_seeds *s, const char *bdf);
void sva_vfio_seeds_close(struct sva_vfio_seeds *s);
/** VFIO_IOMMU_BIND(BIND_PROCESS): pid 0 = the calling process. */
int sva_vfio_seeds_bind(struct sva_vfio_seeds *s, int pid, uint32_t *pasid);
int sva_vfio_seeds_unbind(struct sva_vfio_seeds *s, int pid);
/** VFIO_IOMMU_CACHE_INVALIDATE from a library request. */
int sva_vfio_seeds_cache_invalidate(struct sva_vfio_seeds *s,
				    const struct rte_sva_cache_inv *inv);
/** Convert one seeds fault record. @return 0; -EINVAL for an unknown type. */
int sva_vfio_seeds_fault_convert(const struct sva_seeds_fault *in, int16_t dev_id,
				 struct rte_sva_fault *out);
/** Consume the fault ring (tail..head) into dev's fault queue.
 *  @return records consumed; -EINVAL for a bad ring header. */
int sva_vfio_seeds_fault_poll(struct sva_vfio_seeds *s, struct rte_sva_dev *dev,
			      unsigned int max);
/** Produce one response into the response ring.
 *  @return 0; -ENOSPC if full; -ENOTSUP without a response region. */
int sva_vfio_seeds_page_response(struct sva_vfio_seeds *s,
				 const struct rte_sva_page_response *resp);

/* ------------------------------------------------------------- probing */

enum sva_kbackend {
	SVA_KBACKEND_NONE = 0,
	SVA_KBACKEND_IOMMUFD,
	SVA_KBACKEND_VFIO_SEEDS,
};

/**
 * Which kernel backend can serve device bdf: iommufd (fault queue + PASID
 * attach work), else the seeds' VFIO ioctls on container_fd (>= 0: a
 * container to test, -1: none), else none. why gets the reason iommufd
 * was not chosen (or "").
 */
enum sva_kbackend sva_kbackend_probe(const char *bdf, int container_fd,
				     char *why, size_t why_len);

#ifdef __cplusplus
}
#endif

#endif /* SVA_IOMMUFD_H */
