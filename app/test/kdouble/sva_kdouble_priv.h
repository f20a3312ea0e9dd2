/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_KDOUBLE_PRIV_H
#define SVA_KDOUBLE_PRIV_H

/* Shared by the double's files (sva_kdouble.c: iommufd, fault fd, open and
 * close; sva_kdouble_vfio.c: VFIO cdev and container). Errors are returned
 * as positive errno values; kd_ioctl() turns them into -1 + errno. */

#include <stdbool.h>
#include <stdint.h>

struct sva_kdouble;

/** PASID pasid is attached (to the PASID hwpt). */
bool sva_kd_attached(const struct sva_kdouble *kd, uint32_t pasid);
/** Detach pasid; the "kernel" answers its pending groups INVALID. */
void sva_kd_detach(struct sva_kdouble *kd, uint32_t pasid);
/** An ioctl on the VFIO device cdev: 0 or a positive errno. */
int sva_kd_cdev(struct sva_kdouble *kd, unsigned long req, void *arg);
/** An ioctl on the VFIO container: 0 or a positive errno; *ret the
 *  ioctl's return value when it has one. */
int sva_kd_container(struct sva_kdouble *kd, unsigned long req, void *arg, int *ret);

#endif /* SVA_KDOUBLE_PRIV_H */
