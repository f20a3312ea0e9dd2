/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The double's VFIO side: the device cdev (bind, RID and PASID attach and
 * detach) and the VFIO container (the seeds' ioctls). */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "sva_iommufd.h"
#include "sva_kdouble.h"
#include "sva_kdouble_priv.h"

/* ------------------------------------------------------------- VFIO cdev */
/* ATTACH_PT of the RID: to the IOAS (an automatic domain, whose hwpt id
 * the kernel writes back) or to a hwpt; again while attached replaces.
 * Linux 7.2.13 on edu (no PRI): a fault-capable hwpt is ENODEV, and after
 * it the device is blocked while iommufd counts it attached (IOAS destroy
 * EBUSY); a later attach succeeds but leaves it blocked, only an explicit
 * detach repairs it (doc/guides/iommufd.rst, "Devices without PASID"). */
static int
rid_attach(struct sva_kdouble *kd, struct sva_vfio_attach_pt *a)
{
	uint32_t pt;
	bool fault;

	if (a->pt_id != 0 && a->pt_id == kd->ioas_id) {
		if (kd->rid_auto_id == 0)
			kd->rid_auto_id = kd->next_id++;
		pt = kd->rid_auto_id;
		fault = false;
	} else if (a->pt_id != 0 && a->pt_id == kd->hwpt_id) {
		pt = kd->hwpt_id;
		fault = kd->hwpt_fault;
	} else if (a->pt_id != 0 && a->pt_id == kd->hwpt2_id) {
		pt = kd->hwpt2_id;
		fault = kd->hwpt2_fault;
	} else {
		return ENOENT;
	}
	if (fault && !kd->dev_pri) {
		kd->rid_blocked = true;
		kd->nb_rid_blocks++;
		return ENODEV;
	}
	if (kd->rid_pt != 0 && kd->rid_pt == kd->rid_auto_id && pt != kd->rid_auto_id)
		kd->rid_auto_id = 0;   /* replaced: the automatic domain goes */
	kd->rid_pt = pt;
	a->pt_id = pt;
	return 0;
}

int
sva_kd_cdev(struct sva_kdouble *kd, unsigned long req, void *arg)
{
	switch (req) {
	case SVA_VFIO_DEVICE_BIND_IOMMUFD: {
		struct sva_vfio_bind_iommufd *b = arg;

		if (kd->kver < 606)
			return ENOTTY;
		if (b->argsz < sizeof(*b) || b->flags != 0)
			return EINVAL;
		if (b->iommufd != SVA_KD_FD_IOMMU)
			return EBADF;
		if (kd->bound)
			return EINVAL;
		kd->bound = true;
		b->out_devid = kd->dev_id = kd->next_id++;
		return 0;
	}
	case SVA_VFIO_DEVICE_ATTACH_PT: {
		struct sva_vfio_attach_pt *a = arg;
		uint32_t ok = kd->kver >= 615 ? SVA_VFIO_ATTACH_PASID : 0;

		if (kd->kver < 606)
			return ENOTTY;
		if (a->argsz < SVA_VFIO_ATTACH_PT_MINSZ || (a->flags & ~ok))
			return EINVAL;
		if ((a->flags & SVA_VFIO_ATTACH_PASID) && a->argsz < sizeof(*a))
			return EINVAL;
		if (!kd->bound)
			return EINVAL;
		if (!(a->flags & SVA_VFIO_ATTACH_PASID))
			return rid_attach(kd, a);
		if (a->pt_id == 0 || a->pt_id != kd->hwpt_id)
			return ENOENT;
		/* No check of the device's PASID or PRI: Linux 7.2.13 returned 0
		 * for a PASID attach of a fault hwpt on edu (no PASID, no PRI). */
		if (!kd->hwpt_pasid || a->pasid == 0 ||
		    a->pasid >= (1u << kd->max_pasid_log2))
			return EINVAL;
		for (unsigned int i = 0; i < kd->nb_attached; i++)
			if (kd->attached[i] == a->pasid)
				return EBUSY;
		if (kd->nb_attached >= RTE_DIM(kd->attached))
			return ENOSPC;
		kd->attached[kd->nb_attached++] = a->pasid;
		return 0;
	}
	case SVA_VFIO_DEVICE_DETACH_PT: {
		struct sva_vfio_detach_pt *d = arg;
		uint32_t ok = kd->kver >= 615 ? SVA_VFIO_DETACH_PASID : 0;

		if (kd->kver < 606)
			return ENOTTY;
		if (d->argsz < SVA_VFIO_DETACH_PT_MINSZ || (d->flags & ~ok))
			return EINVAL;
		if ((d->flags & SVA_VFIO_DETACH_PASID) && d->argsz < sizeof(*d))
			return EINVAL;
		if (!(d->flags & SVA_VFIO_DETACH_PASID)) {
			/* vfio's detach_ioas() is void: 0 even with nothing
			 * attached. It is what unblocks the device. */
			if (kd->rid_pt != 0 && kd->rid_pt == kd->rid_auto_id)
				kd->rid_auto_id = 0;
			kd->rid_pt = 0;
			kd->rid_blocked = false;
			return 0;
		}
		if (!sva_kd_attached(kd, d->pasid))
			return ENOENT;
		sva_kd_detach(kd, d->pasid);
		return 0;
	}
	default:
		return ENOTTY;
	}
}

/* -------------------------------------------------------- VFIO container */
int
sva_kd_container(struct sva_kdouble *kd, unsigned long req, void *arg, int *ret)
{
	switch (req) {
	case SVA_VFIO_CHECK_EXTENSION:
		*ret = (uintptr_t)arg == SVA_VFIO_TYPE1_IOMMU ||
			(uintptr_t)arg == SVA_VFIO_TYPE1v2_IOMMU;
		return 0;
	case SVA_SEEDS_IOMMU_BIND:
	case SVA_SEEDS_IOMMU_UNBIND: {
		struct sva_seeds_bind_req *b = arg;

		if (!kd->seeds)
			return ENOTTY;
		if (b->hdr.argsz < sizeof(b->hdr))
			return EINVAL;
		if (b->hdr.flags != SVA_SEEDS_BIND_PROCESS)
			return EINVAL;
		if (b->hdr.argsz < sizeof(*b) || (b->proc.flags & ~SVA_SEEDS_BIND_PID))
			return EINVAL;
		kd->seeds_last_pid = b->proc.flags & SVA_SEEDS_BIND_PID ? b->proc.pid : 0;
		if ((b->proc.flags & SVA_SEEDS_BIND_PID) && b->proc.pid != getpid())
			return ESRCH;
		if (req == SVA_SEEDS_IOMMU_UNBIND) {
			if (kd->seeds_binds == 0)
				return ESRCH;
			kd->seeds_binds = 0;
			return 0;
		}
		kd->seeds_binds = 1;   /* idempotent: same PASID again */
		b->proc.pasid = kd->seeds_pasid;
		return 0;
	}
	case SVA_SEEDS_IOMMU_CACHE_INVALIDATE: {
		struct sva_seeds_cache_invalidate *c = arg;

		if (!kd->seeds)
			return ENOTTY;
		if (c->argsz < sizeof(*c) || c->flags != 0 ||
		    c->info.version != SVA_SEEDS_INV_VERSION_1 ||
		    c->info.cache == 0 || (c->info.cache & ~7u) ||
		    c->info.granularity > SVA_SEEDS_INV_GRANU_ADDR)
			return EINVAL;
		kd->last_inv = *c;
		kd->nb_inv++;
		return 0;
	}
	default:
		return ENOTTY;
	}
}
