/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_KDOUBLE_H
#define SVA_KDOUBLE_H

/**
 * @file
 * A test double of the kernel side of sva_iommufd: /dev/iommu, a VFIO
 * cdev, a fault fd and a VFIO container, with the kernel's argument checks
 * (iommufd: size < minimum EINVAL, non-zero bytes past what the kernel
 * knows E2BIG, unknown flags EOPNOTSUPP; VFIO: argsz < minsz EINVAL,
 * unknown flags EINVAL; an ioctl on the wrong kind of fd ENOTTY), modelled
 * kernel versions (6.6 / 6.11 / 6.15) and device features, and a record of
 * every call. Install it with sva_kdouble_install(); it replaces sva_kops.
 */

#include <stdbool.h>
#include <stdint.h>

#include "sva_kabi.h"

#define SVA_KD_FD_IOMMU     1000
#define SVA_KD_FD_CDEV      1001
#define SVA_KD_FD_FAULT     1002
#define SVA_KD_FD_CONTAINER 1003

#define SVA_KD_MAX 256

struct sva_kdouble_call {
	int fd;
	unsigned long req;   /* ioctl number; 0 for read, 1 for write */
	int err;             /* 0 or errno */
};

struct sva_kdouble {
	/* model: set before install */
	int kver;               /**< 606, 611, 615, ... */
	bool has_iommufd;       /**< /dev/iommu exists */
	bool dev_pasid;         /**< device (and its IOMMU) support PASID */
	bool dev_pri;           /**< device supports PRI (page requests) */
	uint8_t max_pasid_log2;
	bool seeds;             /**< container has the seeds' ioctls */
	uint32_t seeds_pasid;   /**< PASID BIND_PROCESS hands out */
	uint64_t bad_va;        /**< IOAS_MAP of this page fails EFAULT */

	/* state */
	bool bound;
	uint32_t next_id, dev_id, ioas_id, fault_id, hwpt_id;
	bool hwpt_pasid, hwpt_fault;
	uint32_t attached[16];
	unsigned int nb_attached;
	int open_fds;
	struct sva_iommufd_pgfault q[SVA_KD_MAX];   /**< to be read */
	unsigned int q_n, q_rd;
	uint32_t open_cookies[SVA_KD_MAX];          /**< groups to answer */
	unsigned int nb_open_cookies;
	struct sva_iommufd_page_response resp[SVA_KD_MAX];
	unsigned int nb_resp;
	struct { uint64_t va, len, iova; uint32_t flags; } maps[SVA_KD_MAX];
	unsigned int nb_maps;
	int seeds_binds;
	int seeds_last_pid;
	struct sva_seeds_cache_invalidate last_inv;
	unsigned int nb_inv;
	struct sva_kdouble_call calls[SVA_KD_MAX];
	unsigned int nb_calls;
};

/** Model defaults: kernel 6.15, /dev/iommu, PASID (20 bits) and PRI. */
void sva_kdouble_init(struct sva_kdouble *kd);
/** Route sva_kops to kd (NULL: back to the real system calls). */
void sva_kdouble_install(struct sva_kdouble *kd);
/** Queue a page request the device raised (readable from the fault fd). */
int sva_kdouble_raise(struct sva_kdouble *kd, const struct sva_iommufd_pgfault *f);
/** Index of the first recorded call with this request from index from on,
 *  or -1. */
int sva_kdouble_find_call(const struct sva_kdouble *kd, unsigned long req,
			  unsigned int from);

#endif /* SVA_KDOUBLE_H */
