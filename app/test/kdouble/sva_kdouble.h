/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_KDOUBLE_H
#define SVA_KDOUBLE_H

/**
 * @file
 * A test double of the kernel side of sva_iommufd, for fast unit tests
 * only (never linked into the driver): /dev/iommu, a VFIO cdev, the
 * iommufd test mock device (IOMMU_TEST_CMD), a fault fd and a VFIO
 * container, with the kernel's argument checks (iommufd: size < minimum
 * EINVAL, non-zero bytes past what the kernel knows E2BIG, unknown flags
 * EOPNOTSUPP; VFIO: argsz < minsz EINVAL, unknown flags EINVAL; an ioctl
 * on the wrong kind of fd ENOTTY), modelled kernel versions (6.6 / 6.11 /
 * 6.15) and device features, and a record of every call.
 *
 * The fault fd behaves as the kernel's (drivers/iommu/iommufd/eventq.c),
 * checked against it by the lab (app/test-lab/iommufd_*.c runs the same
 * sequence on both): page requests wait as partial groups until
 * LAST_PAGE; a read hands out whole groups only (a group that does not fit
 * stays queued, and a read that cannot take even the first group fails
 * EINVAL, as Linux 7.2 does), a size that is not a multiple of 40 is
 * ESPIPE, an empty queue reads 0 (no blocking); the cookie is chosen per group when it is read (the raiser's
 * cookie if it gave one, else the next number); a response must name an
 * outstanding cookie (else EINVAL, and the write stops there, returning the
 * bytes before it); a detach or a device close answers the groups of that
 * PASID (or all) INVALID, read or not.
 * A device without PASID or PRI behaves as Linux 7.2.13 with QEMU's edu
 * (the lab's vfio_backend cases): GET_HW_INFO reports PASID width 0, yet
 * HWPT_ALLOC(ALLOC_PASID) and a PASID attach of a fault hwpt are taken; a
 * fault-capable hwpt on the RID without PRI is ENODEV and leaves the
 * device blocked (rid_blocked; IOAS destroy EBUSY) until a RID detach.
 * Install it with sva_kdouble_install(); it replaces the driver's kops.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sva_kabi.h"

#define SVA_KD_FD_IOMMU     1000
#define SVA_KD_FD_CDEV      1001
#define SVA_KD_FD_FAULT     1002
#define SVA_KD_FD_CONTAINER 1003

#define SVA_KD_MAX 256
#define SVA_KD_RECS 1024

struct sva_kdouble_call {
	int fd;
	unsigned long req;   /* ioctl number; 0 for read, 1 for write */
	int err;             /* 0 or errno */
};

enum sva_kd_group_state {
	SVA_KD_QUEUED = 1,   /**< complete, not read yet */
	SVA_KD_OUT,          /**< read, waiting for its response */
	SVA_KD_DONE,         /**< answered by user space */
	SVA_KD_AUTO,         /**< answered INVALID by the "kernel" (detach) */
};

struct sva_kd_group {
	uint32_t pasid, grpid, cookie, nb;
	enum sva_kd_group_state state;
};

struct sva_kdouble {
	/* model: set before install */
	int kver;               /**< 606, 611, 615, ... */
	bool has_iommufd;       /**< /dev/iommu exists */
	bool has_mock;          /**< CONFIG_IOMMUFD_TEST: IOMMU_TEST_CMD */
	bool dev_pasid;         /**< device (and its IOMMU) support PASID */
	bool dev_pri;           /**< device supports PRI (page requests) */
	uint8_t max_pasid_log2;
	bool seeds;             /**< container has the seeds' ioctls */
	uint32_t seeds_pasid;   /**< PASID BIND_PROCESS hands out */
	uint64_t bad_va;        /**< IOAS_MAP of this page fails EFAULT */

	/* state */
	bool bound;
	bool mock;              /**< the bound device is the mock */
	uint32_t next_id, dev_id, stdev_id, ioas_id, fault_id, hwpt_id;
	bool hwpt_pasid, hwpt_fault, fault_fd_open;
	uint32_t hwpt2_id;      /**< a second hwpt (the mock RID's) */
	bool hwpt2_pasid, hwpt2_fault;
	bool rid_pasid_compat;  /**< the mock RID's hwpt has ALLOC_PASID */
	/** What the RID is attached to (a hwpt id, or rid_auto_id: the
	 *  automatic domain of an ATTACH_PT to the IOAS); 0: nothing. */
	uint32_t rid_pt, rid_auto_id;
	/** Linux 7.2.13 after a refused (ENODEV, no PRI) fault-capable RID
	 *  attach: the device's DMA is blocked while iommufd counts it
	 *  attached (IOAS destroy EBUSY); a later ATTACH_PT leaves it so, only
	 *  a RID VFIO_DEVICE_DETACH_IOMMUFD_PT clears it. */
	bool rid_blocked;
	unsigned int nb_rid_blocks;  /**< refused fault-capable RID attaches */
	uint32_t attached[16];
	unsigned int nb_attached;
	int open_fds;
	/** Every page-request record raised, in order, with its group
	 *  (-1: partial, its LAST_PAGE not raised yet). */
	struct sva_iommufd_pgfault q[SVA_KD_RECS];
	int q_group[SVA_KD_RECS];
	unsigned int q_n;
	struct sva_kd_group groups[SVA_KD_MAX];  /**< in completion order */
	unsigned int nb_groups;
	uint32_t next_cookie;
	uint64_t iopf_dropped;  /**< mock page requests with no fault hwpt */
	struct sva_iommufd_page_response resp[SVA_KD_MAX]; /**< user space's */
	unsigned int nb_resp;
	unsigned int nb_auto;   /**< groups the "kernel" answered INVALID */
	struct { uint64_t va, len, iova; uint32_t flags; } maps[SVA_KD_MAX];
	unsigned int nb_maps;
	int seeds_binds;
	int seeds_last_pid;
	struct sva_seeds_cache_invalidate last_inv;
	unsigned int nb_inv;
	struct sva_kdouble_call calls[SVA_KD_MAX];
	unsigned int nb_calls;
};

/** Model defaults: kernel 6.15, /dev/iommu with the test mock, PASID
 *  (20 bits) and PRI. */
void sva_kdouble_init(struct sva_kdouble *kd);
/** Route the driver's system calls to kd (NULL: back to the real ones). */
void sva_kdouble_install(struct sva_kdouble *kd);
/** Queue a page request the device raised (readable from the fault fd
 *  once its group's LAST_PAGE record came). @return 0; -ENOSPC. */
int sva_kdouble_raise(struct sva_kdouble *kd, const struct sva_iommufd_pgfault *f);
/** Index of the first recorded call with this request from index from on,
 *  or -1. */
int sva_kdouble_find_call(const struct sva_kdouble *kd, unsigned long req,
			  unsigned int from);
/** The system calls the double provides (for direct checks). */
const struct sva_kops *sva_kdouble_kops(void);

#endif /* SVA_KDOUBLE_H */
