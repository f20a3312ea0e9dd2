/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_IOMMUFD_PRIV_H
#define SVA_IOMMUFD_PRIV_H

/* Shared between the files of the sva_iommufd driver; none of it is
 * exported (version.map). */

#include "sva_iommufd.h"

/** The system calls in use (sva_kops_set()). */
extern const struct sva_kops *sva_kops;

/** Record why in ctx->err, log it. @return -err. */
int sva_iommufd_fail(struct sva_iommufd *ctx, int err, const char *fmt, ...)
	__rte_format_printf(3, 4);
/** ioctl through sva_kops. @return 0; -errno. */
int sva_kioctl(int fd, unsigned long req, void *arg);

/** Zero ctx, no fds, its buffers allocated. @return 0; -ENOMEM. */
int sva_iommufd_ctx_init(struct sva_iommufd *ctx, enum sva_iommufd_kind kind);
/** With dev_id and ioas_id set: GET_HW_INFO, fault queue, fault hwpt. */
int sva_iommufd_fault_setup(struct sva_iommufd *ctx);
/** Close a half-opened ctx, keeping ctx->err. @return ret. */
int sva_iommufd_open_unwind(struct sva_iommufd *ctx, int ret);
/** A 6.15 kernel (vEVENTQ alloc known)? */
bool sva_iommufd_kernel_has_615(int iommufd);
/** Tracked PASIDs. */
int sva_iommufd_pasid_index(const struct sva_iommufd *ctx, uint32_t pasid);
void sva_iommufd_pasid_forget(struct sva_iommufd *ctx, uint32_t pasid);
/** Free the pending/held buffers (close). */
void sva_iommufd_fault_free(struct sva_iommufd *ctx);

#define SVA_CNT_ADD(ctx, field, n) \
	__atomic_fetch_add(&(ctx)->cnt.field, (n), __ATOMIC_RELAXED)

#endif /* SVA_IOMMUFD_PRIV_H */
