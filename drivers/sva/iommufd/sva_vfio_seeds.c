/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The seeds' VFIO SVA backend: kernels carrying the (never merged)
 * VFIO_IOMMU_BIND_PROCESS / cache invalidate / DMA fault region patches.
 * Container and group handling goes through DPDK's rte_vfio. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_vfio.h>

#include "sva_iommufd_priv.h"

static int
sfail(struct sva_vfio_seeds *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	RTE_SVA_LOG(DEBUG, "seeds' VFIO: %s", s->err);
	return -err;
}

static int
kioctl(int fd, unsigned long req, void *arg)
{
	return sva_kops->ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int
sva_vfio_seeds_init(struct sva_vfio_seeds *s, int container_fd, int devfd)
{
	struct sva_seeds_bind probe = { .argsz = sizeof(probe), .flags = 0 };
	int ret;

	memset(s, 0, sizeof(*s));
	s->container_fd = container_fd;
	s->devfd = devfd;
	s->group_num = -1;
	if (container_fd < 0)
		return sfail(s, EINVAL, "no container");
	/* VFIO_CHECK_EXTENSION returns > 0 for a supported IOMMU type. */
	if (sva_kops->ioctl(container_fd, SVA_VFIO_CHECK_EXTENSION,
			    (void *)(uintptr_t)SVA_VFIO_TYPE1v2_IOMMU) <= 0 &&
	    sva_kops->ioctl(container_fd, SVA_VFIO_CHECK_EXTENSION,
			    (void *)(uintptr_t)SVA_VFIO_TYPE1_IOMMU) <= 0)
		return sfail(s, ENOTSUP, "container has no TYPE1 IOMMU");
	/* No capability bit exists for the seeds' ioctls: a BIND with no
	 * mode is refused EINVAL by a kernel that has them, ENOTTY else. */
	ret = kioctl(container_fd, SVA_SEEDS_IOMMU_BIND, &probe);
	if (ret == -ENOTTY)
		return sfail(s, ENOTSUP, "VFIO_IOMMU_BIND: ENOTTY: kernel without the "
			     "seeds' VFIO SVA patches (never merged upstream)");
	if (ret != -EINVAL)
		return sfail(s, ENOTSUP, "VFIO_IOMMU_BIND probe: unexpected %s",
			     ret == 0 ? "success" : strerror(-ret));
	return 0;
}

/* Find a device region of type NESTED/subtype and mmap it. */
static void *
map_region(struct sva_vfio_seeds *s, uint32_t subtype)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	union {
		struct vfio_region_info ri;
		uint8_t buf[1024];
	} u;

	if (s->devfd < 0 || kioctl(s->devfd, VFIO_DEVICE_GET_INFO, &di) < 0)
		return NULL;
	for (uint32_t i = 0; i < di.num_regions; i++) {
		uint32_t off;

		memset(&u, 0, sizeof(u));
		u.ri.argsz = sizeof(u);
		u.ri.index = i;
		if (kioctl(s->devfd, VFIO_DEVICE_GET_REGION_INFO, &u.ri) < 0 ||
		    !(u.ri.flags & VFIO_REGION_INFO_FLAG_CAPS))
			continue;
		for (off = u.ri.cap_offset; off != 0 && off + 16 <= sizeof(u);) {
			struct vfio_region_info_cap_type *ct = (void *)(u.buf + off);

			if (ct->header.id == VFIO_REGION_INFO_CAP_TYPE &&
			    ct->type == SVA_SEEDS_REGION_TYPE_NESTED &&
			    ct->subtype == subtype) {
				void *p = mmap(NULL, u.ri.size, PROT_READ | PROT_WRITE,
					       MAP_SHARED, s->devfd, (off_t)u.ri.offset);

				return p == MAP_FAILED ? NULL : p;
			}
			off = ct->header.next;
		}
	}
	return NULL;
}

int
sva_vfio_seeds_open(struct sva_vfio_seeds *s, const char *bdf)
{
	const char *sysfs = "/sys/bus/pci/devices";
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int grp, cfd, dfd = -1, ret;

	memset(s, 0, sizeof(*s));
	s->container_fd = s->devfd = -1;
	if (rte_vfio_get_group_num(sysfs, bdf, &grp) <= 0)
		return sfail(s, ENODEV, "%s: no IOMMU group (not bound to vfio-pci?)", bdf);
	cfd = rte_vfio_container_create();
	if (cfd < 0)
		return sfail(s, ENODEV, "rte_vfio_container_create failed");
	if (rte_vfio_container_group_bind(cfd, grp) < 0) {
		rte_vfio_container_destroy(cfd);
		return sfail(s, ENODEV, "group %d: bind to container failed", grp);
	}
	/* Sets the container and the TYPE1 IOMMU, gets the device fd. */
	if (rte_vfio_setup_device(sysfs, bdf, &dfd, &info) != 0) {
		rte_vfio_container_destroy(cfd);
		return sfail(s, ENODEV, "%s: rte_vfio_setup_device failed", bdf);
	}
	ret = sva_vfio_seeds_init(s, cfd, dfd);
	s->group_num = grp;
	s->own_container = true;
	if (ret < 0) {
		char keep[sizeof(s->err)];

		memcpy(keep, s->err, sizeof(keep));
		rte_vfio_release_device(sysfs, bdf, dfd);
		rte_vfio_container_destroy(cfd);
		memcpy(s->err, keep, sizeof(keep));
		return ret;
	}
	s->fault_rgn = map_region(s, SVA_SEEDS_REGION_SUBTYPE_DMA_FAULT);
	s->resp_rgn = map_region(s, SVA_SEEDS_REGION_SUBTYPE_DMA_FAULT_RESP);
	return 0;
}

void
sva_vfio_seeds_close(struct sva_vfio_seeds *s)
{
	if (s->own_container && s->container_fd >= 0)
		rte_vfio_container_destroy(s->container_fd);
	s->container_fd = -1;
	s->fault_rgn = s->resp_rgn = NULL;
}

static int
bind_op(struct sva_vfio_seeds *s, unsigned long req, int pid, uint32_t *pasid)
{
	struct sva_seeds_bind_req b = {
		.hdr = { .argsz = sizeof(b), .flags = SVA_SEEDS_BIND_PROCESS },
		.proc = { .flags = pid != 0 ? SVA_SEEDS_BIND_PID : 0, .pid = pid },
	};
	int ret = kioctl(s->container_fd, req, &b);

	if (ret < 0)
		return sfail(s, -ret, "VFIO_IOMMU_%sBIND(PROCESS, pid %d): %s",
			     req == SVA_SEEDS_IOMMU_UNBIND ? "UN" : "", pid,
			     strerror(-ret));
	if (pasid != NULL)
		*pasid = b.proc.pasid;
	return 0;
}

int
sva_vfio_seeds_bind(struct sva_vfio_seeds *s, int pid, uint32_t *pasid)
{
	return bind_op(s, SVA_SEEDS_IOMMU_BIND, pid, pasid);
}

int
sva_vfio_seeds_unbind(struct sva_vfio_seeds *s, int pid)
{
	return bind_op(s, SVA_SEEDS_IOMMU_UNBIND, pid, NULL);
}

int
sva_vfio_seeds_cache_invalidate(struct sva_vfio_seeds *s,
				const struct rte_sva_cache_inv *inv)
{
	struct sva_seeds_cache_invalidate ci = {
		.argsz = sizeof(ci),
		.info = {
			.version = SVA_SEEDS_INV_VERSION_1,
			.cache = (uint8_t)(inv->cache & RTE_SVA_INV_ALL),
			.granularity = (uint8_t)inv->granularity,
		},
	};
	int ret;

	/* The library validated the (cache, granularity) pair; bits and
	 * granularity values are the seeds' ones. */
	if (inv->granularity == RTE_SVA_INV_GRANU_PASID) {
		ci.info.pasid_info.flags = SVA_SEEDS_INV_PASID_F_PASID;
		ci.info.pasid_info.pasid = inv->pasid;
	} else if (inv->granularity == RTE_SVA_INV_GRANU_ADDR) {
		ci.info.addr_info.flags = SVA_SEEDS_INV_ADDR_F_PASID |
			(inv->flags & RTE_SVA_INV_FLAG_LEAF ? SVA_SEEDS_INV_ADDR_F_LEAF : 0);
		ci.info.addr_info.pasid = inv->pasid;
		ci.info.addr_info.addr = inv->addr;
		ci.info.addr_info.granule_size = inv->granule_size;
		ci.info.addr_info.nb_granules = inv->nb_granules;
	}
	ret = kioctl(s->container_fd, SVA_SEEDS_IOMMU_CACHE_INVALIDATE, &ci);
	if (ret < 0)
		return sfail(s, -ret, "VFIO_IOMMU_CACHE_INVALIDATE: %s", strerror(-ret));
	return 0;
}

int
sva_vfio_seeds_fault_convert(const struct sva_seeds_fault *in, int16_t dev_id,
			     struct rte_sva_fault *out)
{
	memset(out, 0, sizeof(*out));
	out->dev_id = dev_id;
	out->tsc = rte_rdtsc();
	if (in->type == SVA_SEEDS_FAULT_PAGE_REQ) {
		const struct sva_seeds_fault_prq *p = &in->prm;

		out->type = RTE_SVA_FAULT_PAGE_REQ;
		out->flags = (p->flags & SVA_SEEDS_PRQ_F_PASID_VALID ?
			      RTE_SVA_FAULT_F_PASID_VALID : 0) |
			(p->flags & SVA_SEEDS_PRQ_F_LAST_PAGE ? RTE_SVA_FAULT_F_LAST_PAGE : 0) |
			(p->flags & SVA_SEEDS_PRQ_F_PRIV_DATA ? RTE_SVA_FAULT_F_PRIV_DATA : 0);
		out->pasid = p->pasid;
		out->grpid = p->grpid;
		out->perm = p->perm & 0xf;   /* same bits: R W X PRIV */
		out->addr = p->addr;
		out->private_data[0] = p->private_data[0];
		out->private_data[1] = p->private_data[1];
		return 0;
	}
	if (in->type == SVA_SEEDS_FAULT_DMA_UNRECOV) {
		const struct sva_seeds_fault_unrecov *e = &in->event;

		out->type = RTE_SVA_FAULT_UNRECOV;
		out->flags = (e->flags & SVA_SEEDS_UNRECOV_F_PASID_VALID ?
			      RTE_SVA_FAULT_F_PASID_VALID : 0) |
			(e->flags & SVA_SEEDS_UNRECOV_F_ADDR_VALID ? RTE_SVA_FAULT_F_ADDR_VALID : 0) |
			(e->flags & SVA_SEEDS_UNRECOV_F_FETCH_ADDR_VALID ?
			 RTE_SVA_FAULT_F_FETCH_ADDR_VALID : 0);
		out->reason = e->reason < RTE_SVA_FAULT_REASON_NB ? e->reason :
			RTE_SVA_FAULT_REASON_UNKNOWN;
		out->pasid = e->pasid;
		out->perm = e->perm & 0xf;
		out->addr = e->addr;
		out->fetch_addr = e->fetch_addr;
		return 0;
	}
	return -EINVAL;
}

static int
ring_ok(volatile struct sva_seeds_fault_region *r, size_t min_entry)
{
	return r->nb_entries != 0 && r->entry_size >= min_entry &&
		r->offset >= sizeof(*r);
}

int
sva_vfio_seeds_fault_poll(struct sva_vfio_seeds *s, struct rte_sva_dev *dev,
			  unsigned int max)
{
	volatile struct sva_seeds_fault_region *r = s->fault_rgn;
	unsigned int done = 0;
	uint32_t tail, head, nb;

	if (r == NULL || dev == NULL)
		return -EINVAL;
	if (!ring_ok(r, sizeof(struct sva_seeds_fault)))
		return sfail(s, EINVAL, "bad fault ring: entry_size %u nb %u offset %u",
			     r->entry_size, r->nb_entries, r->offset);
	nb = r->nb_entries;
	tail = r->tail;
	head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	if (head >= nb || tail >= nb)
		return sfail(s, EINVAL, "fault ring index out of range (head %u tail %u)",
			     head, tail);
	while (tail != head && done < max) {
		const struct sva_seeds_fault *e = (const void *)((const volatile uint8_t *)r +
			r->offset + (size_t)tail * r->entry_size);
		struct sva_seeds_fault copy;
		struct rte_sva_fault f;

		memcpy(&copy, e, sizeof(copy));  /* entry_size may be larger */
		if (sva_vfio_seeds_fault_convert(&copy, dev->dev_id, &f) == 0) {
			if (rte_sva_pmd_fault_report(dev, &f) == -ENOSPC)
				break;   /* leave it in the ring: back-pressure */
		} else {
			s->bad_records++;
		}
		tail = (tail + 1) % nb;
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
		done++;
	}
	return (int)done;
}

int
sva_vfio_seeds_page_response(struct sva_vfio_seeds *s,
			     const struct rte_sva_page_response *resp)
{
	volatile struct sva_seeds_fault_region *r = s->resp_rgn;
	struct sva_seeds_page_response pr = {
		.version = SVA_SEEDS_RESP_VERSION_1,
		.flags = SVA_SEEDS_RESP_PASID_VALID,
		.pasid = resp->pasid, .grpid = resp->grpid, .code = resp->code,
	};
	uint32_t head, tail, nb;

	if (r == NULL)
		return sfail(s, ENOTSUP, "no DMA fault response region");
	if (!ring_ok(r, sizeof(pr)))
		return sfail(s, EINVAL, "bad response ring");
	nb = r->nb_entries;
	head = r->head;
	tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	if (head >= nb || tail >= nb)
		return sfail(s, EINVAL, "response ring index out of range");
	if ((head + 1) % nb == tail)
		return -ENOSPC;
	memcpy((void *)((volatile uint8_t *)r + r->offset + (size_t)head * r->entry_size),
	       &pr, sizeof(pr));
	__atomic_store_n(&r->head, (head + 1) % nb, __ATOMIC_RELEASE);
	return 0;
}
