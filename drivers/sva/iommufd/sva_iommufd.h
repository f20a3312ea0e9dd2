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
 * Every system call goes through struct sva_kops, which tests replace with
 * a model of the kernel (sva_kdouble.h).
 */

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
};
/** Current system calls; never NULL. */
extern const struct sva_kops *sva_kops;
/** Replace the system calls (NULL: back to the real ones). */
void sva_kops_set(const struct sva_kops *ops);

#define SVA_IOMMUFD_ERR_LEN 256
#define SVA_IOMMUFD_PENDING 256
#define SVA_IOMMUFD_POLL_BURST 16   /**< records read from the fault fd at once */

/** Message fragments tests and users can match. */
#define SVA_MSG_OLD_KERNEL "kernel too old (needs 6.11 for fault queues / 6.15 for PASID attach)"
#define SVA_MSG_NO_PASID   "device lacks PASID/PRI"
#define SVA_MSG_NO_IOMMUFD "/dev/iommu missing"

struct sva_iommufd_pending {
	uint32_t cookie;
	uint32_t pasid;
	uint64_t addr;     /**< page address */
	uint64_t len;      /**< bytes to map (>= one page) */
	uint32_t perm;     /**< SVA_PGFAULT_PERM_* */
	bool used;
};

/** One device bound to iommufd. */
struct sva_iommufd {
	int iommufd;
	int devfd;
	int fault_fd;
	uint32_t dev_id;      /**< iommufd device id (BIND_IOMMUFD) */
	uint32_t ioas_id;
	uint32_t fault_id;
	uint32_t hwpt_id;
	bool hwpt_pasid;      /**< hwpt allocated with ALLOC_PASID */
	uint8_t max_pasid_log2; /**< from GET_HW_INFO (0: unknown/none) */
	uint64_t hw_caps;
	uint64_t page_size;
	char bdf[32];
	char cdev[256];
	rte_spinlock_t lock;  /**< pending table */
	struct sva_iommufd_pending pending[SVA_IOMMUFD_PENDING];
	uint64_t pending_lost;  /**< groups whose pages could not be tracked */
	uint64_t maps;          /**< IOAS_MAP calls that mapped a page */
	uint64_t map_failures;
	/** Records read from the fault fd but not yet in the library's fault
	 *  queue (it was full): reported first by the next poll, in order. */
	struct sva_iommufd_pgfault held[SVA_IOMMUFD_POLL_BURST];
	unsigned int held_first, held_n;
	char err[SVA_IOMMUFD_ERR_LEN]; /**< why the last call failed */
};

/**
 * Open the IOMMU side of PCI device bdf ("0000:00:04.0"). Roots: env
 * SVA_DEV_ROOT (default "/dev") and SVA_SYSFS_ROOT (default "/sys").
 * @return 0; <0 errno with ctx->err saying why (a missing /dev/iommu, an
 * old kernel, a device without PASID/PRI).
 */
int sva_iommufd_open(struct sva_iommufd *ctx, const char *bdf);
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
