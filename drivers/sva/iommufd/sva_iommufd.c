/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The iommufd backend: VFIO cdev + iommufd, IOVA == VA, fault queue,
 * PASID attach. See sva_iommufd.h for the split with device PMDs. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sva_iommufd_priv.h"

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_pause.h>


/* ---------------------------------------------------------- system calls */
static int
real_open(const char *path, int flags)
{
	return open(path, flags);
}

static int
real_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static const struct sva_kops real_kops = {
	.open = real_open, .close = close, .ioctl = real_ioctl,
	.read = read, .write = write, .poll = poll,
};
const struct sva_kops *sva_kops = &real_kops;

void
sva_kops_set(const struct sva_kops *ops)
{
	sva_kops = ops != NULL ? ops : &real_kops;
}

const struct sva_kops *
sva_kops_get(void)
{
	return sva_kops;
}

/* ------------------------------------------------------------- helpers */
int
sva_iommufd_fail(struct sva_iommufd *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	RTE_SVA_LOG(ERR, "%s: %s", ctx->bdf, ctx->err);
	return -err;
}

static const char *
root(const char *env, const char *def)
{
	const char *r = getenv(env);

	return r != NULL && r[0] != '\0' ? r : def;
}

int
sva_kioctl(int fd, unsigned long req, void *arg)
{
	return sva_kops->ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int
find_cdev(struct sva_iommufd *ctx)
{
	const char *sys = root("SVA_SYSFS_ROOT", "/sys");
	const char *dev = root("SVA_DEV_ROOT", "/dev");
	char path[512];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sys, ctx->bdf);
	if (access(path, F_OK) != 0)
		return sva_iommufd_fail(ctx, ENODEV, "no PCI device %s (%s)", ctx->bdf, path);
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev", sys, ctx->bdf);
	d = opendir(path);
	if (d == NULL)
		return sva_iommufd_fail(ctx, ENODEV, "%s has no VFIO cdev (%s): bind it to vfio-pci "
			    "on a kernel with CONFIG_VFIO_DEVICE_CDEV=y (6.6+)",
			    ctx->bdf, path);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vfio", 4) == 0 && de->d_name[4] >= '0' &&
		    de->d_name[4] <= '9') {
			snprintf(ctx->cdev, sizeof(ctx->cdev), "%.200s/vfio/devices/%.40s",
				 dev, de->d_name);
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return sva_iommufd_fail(ctx, ENODEV, "%s: empty %s", ctx->bdf, path);
}

/* A 6.15 marker: IOMMUFD_CMD 0x93 (vEVENTQ alloc) is known from 6.15 on,
 * so an undersized call fails EINVAL there and ENOTTY before. Only used to
 * tell "old kernel" from "device lacks PASID" when ALLOC_PASID is refused. */
bool
sva_iommufd_kernel_has_615(int iommufd)
{
	uint32_t size = 0;

	return sva_kioctl(iommufd, _IO(SVA_IOMMUFD_TYPE, 0x93), &size) != -ENOTTY;
}

/* --------------------------------------------------------------- open */
static void
destroy(struct sva_iommufd *ctx, uint32_t *id)
{
	struct sva_iommufd_destroy d = { .size = sizeof(d), .id = *id };

	if (*id != 0 && ctx->iommufd >= 0)
		sva_kioctl(ctx->iommufd, SVA_IOMMU_DESTROY, &d);
	*id = 0;
}

int
sva_iommufd_ctx_init(struct sva_iommufd *ctx, enum sva_iommufd_kind kind)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->kind = kind;
	ctx->iommufd = ctx->devfd = ctx->fault_fd = -1;
	rte_spinlock_init(&ctx->lock);
	ctx->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	ctx->held = calloc(SVA_IOMMUFD_READ_RECS, sizeof(*ctx->held));
	ctx->pending = calloc(SVA_IOMMUFD_READ_RECS, sizeof(*ctx->pending));
	if (ctx->held == NULL || ctx->pending == NULL) {
		sva_iommufd_fault_free(ctx);
		snprintf(ctx->bdf, sizeof(ctx->bdf), "?");
		return sva_iommufd_fail(ctx, ENOMEM, "no memory for the fault buffers");
	}
	ctx->held_cap = ctx->pending_cap = SVA_IOMMUFD_READ_RECS;
	return 0;
}

int
sva_iommufd_open_unwind(struct sva_iommufd *ctx, int ret)
{
	char keep[SVA_IOMMUFD_ERR_LEN];

	memcpy(keep, ctx->err, sizeof(keep));
	sva_iommufd_close(ctx);
	memcpy(ctx->err, keep, sizeof(keep));
	return ret;
}

int
sva_iommufd_fault_setup(struct sva_iommufd *ctx)
{
	int ret;

	/* Optional: PASID width and capabilities (6.15 fills the width). */
	struct sva_iommufd_hw_info hi = { .size = sizeof(hi), .dev_id = ctx->dev_id };
	if (sva_kioctl(ctx->iommufd, SVA_IOMMU_GET_HW_INFO, &hi) == 0) {
		ctx->max_pasid_log2 = hi.out_max_pasid_log2;
		ctx->hw_caps = hi.out_capabilities;
		/* The kernel does not refuse a PASID device on its own: Linux
		 * 7.2.13 (VT-d without scalable mode, QEMU's edu, the lab) takes
		 * HWPT_ALLOC(PASID, fault) and even a PASID attach of it on a
		 * device with no PASID and no PRI. A 6.15+ kernel reports the
		 * PASID width here: 0 is the kernel's own "no PASID". */
		if (ctx->kind == SVA_IOMMUFD_VFIO && ctx->max_pasid_log2 == 0 &&
		    sva_iommufd_kernel_has_615(ctx->iommufd))
			return sva_iommufd_fail(ctx, ENOTSUP, "IOMMU_GET_HW_INFO: PASID width 0: "
						SVA_MSG_NO_PASID " (or its IOMMU lacks PASID "
						"support; sva_iommufd_open_rid() serves it "
						"without PASID)");
	}

	struct sva_iommufd_fault_alloc fa = { .size = sizeof(fa) };
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_FAULT_QUEUE_ALLOC, &fa);
	if (ret < 0) {
		if (ret == -ENOTTY || ret == -EOPNOTSUPP)
			return sva_iommufd_fail(ctx, ENOTSUP, "IOMMU_FAULT_QUEUE_ALLOC: %s: "
						SVA_MSG_OLD_KERNEL, strerror(-ret));
		return sva_iommufd_fail(ctx, -ret, "IOMMU_FAULT_QUEUE_ALLOC: %s",
					strerror(-ret));
	}
	ctx->fault_id = fa.out_fault_id;
	ctx->fault_fd = (int)fa.out_fault_fd;

	struct sva_iommufd_hwpt_alloc ha = {
		.size = sizeof(ha),
		.flags = SVA_HWPT_FAULT_ID_VALID | SVA_HWPT_ALLOC_PASID,
		.dev_id = ctx->dev_id, .pt_id = ctx->ioas_id, .fault_id = ctx->fault_id,
	};
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_HWPT_ALLOC, &ha);
	if (ret == -EOPNOTSUPP || ret == -E2BIG) {
		if (ret == -E2BIG || !sva_iommufd_kernel_has_615(ctx->iommufd))
			return sva_iommufd_fail(ctx, ENOTSUP, "IOMMU_HWPT_ALLOC(PASID, fault): %s: "
						SVA_MSG_OLD_KERNEL, strerror(-ret));
		return sva_iommufd_fail(ctx, ENOTSUP, "IOMMU_HWPT_ALLOC(PASID): %s: "
					SVA_MSG_NO_PASID " (or its IOMMU lacks PASID support; "
					"check the kernel log and iommu= arguments)", strerror(-ret));
	} else if (ret < 0) {
		return sva_iommufd_fail(ctx, -ret, "IOMMU_HWPT_ALLOC: %s", strerror(-ret));
	}
	ctx->hwpt_id = ha.out_hwpt_id;
	ctx->hwpt_pasid = true;
	ctx->err[0] = '\0';
	RTE_SVA_LOG(INFO, "%s: iommufd dev %u ioas %u hwpt %u fault %u (fd %d), "
		    "PASID width %u", ctx->bdf, ctx->dev_id, ctx->ioas_id, ctx->hwpt_id,
		    ctx->fault_id, ctx->fault_fd, ctx->max_pasid_log2);
	return 0;
}

/* /dev/iommu, the device's cdev, BIND_IOMMUFD and an IOAS: what both
 * VFIO opens share. On error ctx is unwound (nothing left open). */
static int
vfio_bind_ioas(struct sva_iommufd *ctx, const char *bdf)
{
	unsigned int dom, bus, slot, fn;
	char path[512];
	int ret;

	ret = sva_iommufd_ctx_init(ctx, SVA_IOMMUFD_VFIO);
	if (ret < 0)
		return ret;
	if (bdf == NULL || sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4) {
		snprintf(ctx->bdf, sizeof(ctx->bdf), "?");
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, EINVAL,
			"bad PCI address '%s' (want DDDD:BB:SS.F)", bdf != NULL ? bdf : "(null)"));
	}
	snprintf(ctx->bdf, sizeof(ctx->bdf), "%04x:%02x:%02x.%x", dom, bus, slot, fn);

	snprintf(path, sizeof(path), "%s/iommu", root("SVA_DEV_ROOT", "/dev"));
	ctx->iommufd = sva_kops->open(path, O_RDWR | O_CLOEXEC);
	if (ctx->iommufd < 0) {
		ret = errno;
		if (ret == ENOENT)
			ret = sva_iommufd_fail(ctx, ENOENT, SVA_MSG_NO_IOMMUFD " (%s): kernel "
					       "without CONFIG_IOMMUFD, or modprobe iommufd", path);
		else
			ret = sva_iommufd_fail(ctx, ret, "cannot open %s: %s", path, strerror(ret));
		return sva_iommufd_open_unwind(ctx, ret);
	}
	ret = find_cdev(ctx);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, ret);
	ctx->devfd = sva_kops->open(ctx->cdev, O_RDWR | O_CLOEXEC);
	if (ctx->devfd < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, errno,
			"cannot open %s: %s", ctx->cdev, strerror(errno)));

	struct sva_vfio_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = ctx->iommufd,
	};
	ret = sva_kioctl(ctx->devfd, SVA_VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"VFIO_DEVICE_BIND_IOMMUFD: %s%s", strerror(-ret),
			ret == -ENOTTY ? ": kernel too old for VFIO cdev (needs 6.6)" : ""));
	ctx->dev_id = bind.out_devid;

	struct sva_iommufd_ioas_alloc ia = { .size = sizeof(ia) };
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_IOAS_ALLOC, &ia);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"IOMMU_IOAS_ALLOC: %s", strerror(-ret)));
	ctx->ioas_id = ia.out_ioas_id;
	return 0;
}

int
sva_iommufd_open(struct sva_iommufd *ctx, const char *bdf)
{
	int ret = vfio_bind_ioas(ctx, bdf);

	if (ret < 0)
		return ret;
	ret = sva_iommufd_fault_setup(ctx);
	return ret < 0 ? sva_iommufd_open_unwind(ctx, ret) : 0;
}

static int
rid_attach(struct sva_iommufd *ctx, uint32_t *pt_id)
{
	struct sva_vfio_attach_pt at = {
		.argsz = SVA_VFIO_ATTACH_PT_MINSZ, .pt_id = *pt_id,
	};
	int ret = sva_kioctl(ctx->devfd, SVA_VFIO_DEVICE_ATTACH_PT, &at);

	if (ret == 0)
		*pt_id = at.pt_id;
	return ret;
}

/* The RID on a fault-capable hwpt of the IOAS (faults of the RID's DMA go
 * to the fault queue). 0, or the errno the kernel refused it with (all
 * undone; a device without PRI gives ENODEV). */
static int
rid_try_fault_hwpt(struct sva_iommufd *ctx)
{
	struct sva_iommufd_fault_alloc fa = { .size = sizeof(fa) };
	int ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_FAULT_QUEUE_ALLOC, &fa);

	if (ret < 0)
		return -ret;
	ctx->fault_id = fa.out_fault_id;
	ctx->fault_fd = (int)fa.out_fault_fd;
	struct sva_iommufd_hwpt_alloc ha = {
		.size = sizeof(ha), .flags = SVA_HWPT_FAULT_ID_VALID,
		.dev_id = ctx->dev_id, .pt_id = ctx->ioas_id, .fault_id = ctx->fault_id,
	};
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_HWPT_ALLOC, &ha);
	if (ret == 0) {
		uint32_t id = ha.out_hwpt_id;

		ctx->rid_hwpt_id = id;
		ret = rid_attach(ctx, &id);
		if (ret == 0) {
			ctx->rid_pt_id = id;
			return 0;
		}
	}
	destroy(ctx, &ctx->rid_hwpt_id);
	sva_kops->close(ctx->fault_fd);
	ctx->fault_fd = -1;
	destroy(ctx, &ctx->fault_id);
	return -ret;
}

int
sva_iommufd_open_rid(struct sva_iommufd *ctx, const char *bdf)
{
	struct sva_vfio_detach_pt dt = { .argsz = SVA_VFIO_DETACH_PT_MINSZ };
	uint32_t id;
	int ret = vfio_bind_ioas(ctx, bdf);

	if (ret < 0)
		return ret;
	ctx->rid_fault_err = rid_try_fault_hwpt(ctx);
	if (ctx->rid_fault_err == 0) {
		RTE_SVA_LOG(INFO, "%s: RID on fault-capable hwpt %u of IOAS %u (fault %u)",
			    ctx->bdf, ctx->rid_hwpt_id, ctx->ioas_id, ctx->fault_id);
		return 0;
	}
	/* Linux 7.2.13, measured in the lab on edu: after the refused
	 * fault-capable attach, even as the device's first attach, iommufd
	 * counts it attached (destroying the IOAS is EBUSY) and a plain
	 * ATTACH_PT(IOAS) then succeeds but leaves the device blocked (DMAR
	 * "Present bit in context entry is clear"). An explicit detach first
	 * repairs it (doc/guides/iommufd.rst, "Devices without PASID"). */
	ret = sva_kioctl(ctx->devfd, SVA_VFIO_DEVICE_DETACH_PT, &dt);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"VFIO_DEVICE_DETACH_IOMMUFD_PT after the refused fault hwpt: %s",
			strerror(-ret)));
	id = ctx->ioas_id;
	ret = rid_attach(ctx, &id);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"VFIO_DEVICE_ATTACH_IOMMUFD_PT(IOAS %u): %s", ctx->ioas_id,
			strerror(-ret)));
	ctx->rid_pt_id = id;
	RTE_SVA_LOG(INFO, "%s: RID on IOAS %u (hwpt %u); fault hwpt refused: %s",
		    ctx->bdf, ctx->ioas_id, id, strerror(ctx->rid_fault_err));
	return 0;
}

void
sva_iommufd_close(struct sva_iommufd *ctx)
{
	/* Closing the VFIO device fd detaches every PASID; the mock device's
	 * PASIDs are detached one by one, then the device object destroyed.
	 * Either way the kernel answers the pending groups INVALID. */
	if (ctx->kind == SVA_IOMMUFD_MOCK && ctx->stdev_id != 0 && ctx->iommufd >= 0)
		while (ctx->nb_pasids > 0)
			if (sva_iommufd_pasid_detach(ctx, ctx->pasids[ctx->nb_pasids - 1]) < 0)
				sva_iommufd_pasid_forget(ctx, ctx->pasids[ctx->nb_pasids - 1]);
	if (ctx->devfd >= 0)
		sva_kops->close(ctx->devfd);
	ctx->devfd = -1;
	destroy(ctx, &ctx->stdev_id);
	destroy(ctx, &ctx->rid_hwpt_id);
	destroy(ctx, &ctx->hwpt_id);
	if (ctx->fault_fd >= 0)
		sva_kops->close(ctx->fault_fd);
	ctx->fault_fd = -1;
	destroy(ctx, &ctx->fault_id);
	destroy(ctx, &ctx->ioas_id);
	if (ctx->iommufd >= 0)
		sva_kops->close(ctx->iommufd);
	ctx->iommufd = -1;
	ctx->nb_pasids = 0;
	ctx->rid_pt_id = 0;
	/* Their groups were answered by the kernel when the device went. */
	sva_iommufd_fault_free(ctx);
}

/* -------------------------------------------------------------- PASIDs */
int
sva_iommufd_pasid_index(const struct sva_iommufd *ctx, uint32_t pasid)
{
	for (unsigned int i = 0; i < ctx->nb_pasids; i++)
		if (ctx->pasids[i] == pasid)
			return (int)i;
	return -1;
}

void
sva_iommufd_pasid_forget(struct sva_iommufd *ctx, uint32_t pasid)
{
	int i = sva_iommufd_pasid_index(ctx, pasid);

	if (i >= 0)
		ctx->pasids[i] = ctx->pasids[--ctx->nb_pasids];
}

static int
pasid_attach_ioctl(struct sva_iommufd *ctx, uint32_t pasid, const char **what)
{
	if (ctx->kind == SVA_IOMMUFD_MOCK) {
		struct sva_iommufd_test_cmd c = {
			.size = sizeof(c), .op = SVA_TEST_OP_PASID_ATTACH, .id = ctx->stdev_id,
			.pasid_attach = { .pasid = pasid, .pt_id = ctx->hwpt_id },
		};

		*what = "IOMMU_TEST_OP_PASID_ATTACH";
		return sva_kioctl(ctx->iommufd, SVA_IOMMU_TEST_CMD, &c);
	}
	struct sva_vfio_attach_pt at = {
		.argsz = sizeof(at), .flags = SVA_VFIO_ATTACH_PASID,
		.pt_id = ctx->hwpt_id, .pasid = pasid,
	};

	*what = "VFIO_DEVICE_ATTACH_IOMMUFD_PT";
	return sva_kioctl(ctx->devfd, SVA_VFIO_DEVICE_ATTACH_PT, &at);
}

int
sva_iommufd_pasid_attach(struct sva_iommufd *ctx, uint32_t pasid)
{
	const char *what;
	int ret;

	if (ctx->rid_pt_id != 0)
		return sva_iommufd_fail(ctx, EINVAL, "PASID %u: opened without PASID "
					"(sva_iommufd_open_rid)", pasid);
	if (ctx->hwpt_id == 0 || (ctx->kind == SVA_IOMMUFD_VFIO && ctx->devfd < 0))
		return sva_iommufd_fail(ctx, EINVAL, "not open");
	if (sva_iommufd_pasid_index(ctx, pasid) >= 0)
		return sva_iommufd_fail(ctx, EEXIST, "PASID %u already attached", pasid);
	if (ctx->nb_pasids >= RTE_DIM(ctx->pasids))
		return sva_iommufd_fail(ctx, ENOSPC, "%u PASIDs attached already",
					ctx->nb_pasids);
	ret = pasid_attach_ioctl(ctx, pasid, &what);
	if (ret == 0) {
		ctx->pasids[ctx->nb_pasids++] = pasid;
		return 0;
	}
	if (ret == -ENOTTY)
		return sva_iommufd_fail(ctx, ENOTSUP, "%s: %s: " SVA_MSG_OLD_KERNEL,
					what, strerror(-ret));
	if (ret == -EINVAL && !sva_iommufd_kernel_has_615(ctx->iommufd))
		return sva_iommufd_fail(ctx, ENOTSUP, "%s(PASID): flag refused: "
					SVA_MSG_OLD_KERNEL, what);
	if (ret == -EOPNOTSUPP || ret == -ENODEV)
		return sva_iommufd_fail(ctx, ENOTSUP, "%s(PASID %u): %s: " SVA_MSG_NO_PASID,
					what, pasid, strerror(-ret));
	if (ret == -EBUSY)
		return sva_iommufd_fail(ctx, EEXIST, "PASID %u already attached", pasid);
	return sva_iommufd_fail(ctx, -ret, "%s(PASID %u): %s", what, pasid, strerror(-ret));
}

int
sva_iommufd_pasid_detach(struct sva_iommufd *ctx, uint32_t pasid)
{
	const char *what;
	unsigned int dropped = 0;
	int ret;

	if (ctx->hwpt_id == 0 || (ctx->kind == SVA_IOMMUFD_VFIO && ctx->devfd < 0))
		return sva_iommufd_fail(ctx, EINVAL, "not open");
	if (ctx->kind == SVA_IOMMUFD_MOCK) {
		struct sva_iommufd_test_cmd c = {
			.size = sizeof(c), .op = SVA_TEST_OP_PASID_DETACH, .id = ctx->stdev_id,
			.pasid_detach = { .pasid = pasid },
		};

		/* The kernel detaches a PASID that is not attached silently. */
		if (sva_iommufd_pasid_index(ctx, pasid) < 0)
			return sva_iommufd_fail(ctx, ENOENT, "PASID %u is not attached", pasid);
		what = "IOMMU_TEST_OP_PASID_DETACH";
		ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_TEST_CMD, &c);
	} else {
		struct sva_vfio_detach_pt dt = {
			.argsz = sizeof(dt), .flags = SVA_VFIO_DETACH_PASID, .pasid = pasid,
		};

		what = "VFIO_DEVICE_DETACH_IOMMUFD_PT";
		ret = sva_kioctl(ctx->devfd, SVA_VFIO_DEVICE_DETACH_PT, &dt);
	}
	if (ret < 0)
		return sva_iommufd_fail(ctx, -ret, "%s(PASID %u): %s", what, pasid,
					strerror(-ret));
	sva_iommufd_pasid_forget(ctx, pasid);
	/* The kernel answered this PASID's pending groups INVALID (read or
	 * not yet read): forget their pages. A response the library still
	 * sends for one of them is refused by the kernel, counted stale. */
	rte_spinlock_lock(&ctx->lock);
	for (unsigned int i = 0; i < ctx->pending_cap; i++)
		if (ctx->pending[i].used && ctx->pending[i].pasid == pasid) {
			ctx->pending[i].used = false;
			dropped++;
		}
	rte_spinlock_unlock(&ctx->lock);
	SVA_CNT_ADD(ctx, detach_dropped, dropped);
	return 0;
}

/* ------------------------------------------------------------ mapping */
static int
map_page(struct sva_iommufd *ctx, uint64_t va, bool write)
{
	struct sva_iommufd_ioas_map m = {
		.size = sizeof(m),
		.flags = SVA_IOAS_MAP_FIXED_IOVA | SVA_IOAS_MAP_READABLE |
			(write ? SVA_IOAS_MAP_WRITEABLE : 0),
		.ioas_id = ctx->ioas_id, .user_va = va, .length = ctx->page_size,
		.iova = va,
	};
	int ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_IOAS_MAP, &m);

	if (ret == -EEXIST && write) {
		/* Mapped read-only before: we map page by page, so the page is
		 * an area of its own and can be replaced. */
		struct sva_iommufd_ioas_unmap u = {
			.size = sizeof(u), .ioas_id = ctx->ioas_id, .iova = va,
			.length = ctx->page_size,
		};

		if (sva_kioctl(ctx->iommufd, SVA_IOMMU_IOAS_UNMAP, &u) == 0)
			ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_IOAS_MAP, &m);
		else
			ret = 0;
	} else if (ret == -EEXIST) {
		ret = 0;
	}
	if (ret == 0)
		SVA_CNT_ADD(ctx, maps, 1);
	else
		SVA_CNT_ADD(ctx, map_failures, 1);
	return ret;
}

int
sva_iommufd_map(struct sva_iommufd *ctx, uint64_t va, uint64_t len, bool write)
{
	uint64_t start = RTE_ALIGN_FLOOR(va, ctx->page_size);
	uint64_t end;

	if (len == 0 || va + len < va)
		return -EINVAL;
	end = RTE_ALIGN_CEIL(va + len, ctx->page_size);
	for (uint64_t p = start; p < end; p += ctx->page_size) {
		int ret = map_page(ctx, p, write);

		if (ret < 0)
			return ret;
	}
	return 0;
}

void
sva_iommufd_capability(const struct sva_iommufd *ctx, struct rte_sva_capability *cap)
{
	memset(cap, 0, sizeof(*cap));
	/* PASIDs are ours to choose per device (no system-wide allocator);
	 * the kernel invalidates on unmap, so no software invalidation. */
	cap->flags = RTE_SVA_IOMMU_CAP_PAGE_REQUEST;
	cap->pasid_bits = ctx->max_pasid_log2 != 0 ? ctx->max_pasid_log2 : 20;
	cap->addr_width = 48;
}

/* ------------------------------------------------------------- probing */
enum sva_kbackend
sva_kbackend_probe(const char *bdf, int container_fd, char *why, size_t why_len)
{
	struct sva_iommufd *ctx = calloc(1, sizeof(*ctx));
	enum sva_kbackend b = SVA_KBACKEND_NONE;
	struct sva_vfio_seeds s;

	if (why_len > 0)
		why[0] = '\0';
	if (ctx == NULL)
		return SVA_KBACKEND_NONE;
	if (sva_iommufd_open(ctx, bdf) == 0) {
		/* PASID attach is the last thing that can be refused (6.15,
		 * device PASID/PRI): try one and undo it. */
		if (sva_iommufd_pasid_attach(ctx, 1) == 0) {
			sva_iommufd_pasid_detach(ctx, 1);
			b = SVA_KBACKEND_IOMMUFD;
		}
		sva_iommufd_close(ctx);
	}
	if (b == SVA_KBACKEND_NONE && why_len > 0)
		snprintf(why, why_len, "iommufd: %s", ctx->err);
	free(ctx);
	if (b == SVA_KBACKEND_NONE && container_fd >= 0 &&
	    sva_vfio_seeds_init(&s, container_fd, -1) == 0)
		b = SVA_KBACKEND_VFIO_SEEDS;
	else if (b == SVA_KBACKEND_NONE && container_fd >= 0 && why_len > 0) {
		size_t l = strlen(why);

		snprintf(why + l, why_len - l, "; seeds' VFIO: %s", s.err);
	}
	return b;
}
