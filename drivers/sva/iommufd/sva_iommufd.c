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

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_pause.h>

#include "sva_iommufd.h"

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
	.read = read, .write = write,
};
const struct sva_kops *sva_kops = &real_kops;

void
sva_kops_set(const struct sva_kops *ops)
{
	sva_kops = ops != NULL ? ops : &real_kops;
}

/* ------------------------------------------------------------- helpers */
static int
fail(struct sva_iommufd *ctx, int err, const char *fmt, ...)
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

static int
kioctl(int fd, unsigned long req, void *arg)
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
		return fail(ctx, ENODEV, "no PCI device %s (%s)", ctx->bdf, path);
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev", sys, ctx->bdf);
	d = opendir(path);
	if (d == NULL)
		return fail(ctx, ENODEV, "%s has no VFIO cdev (%s): bind it to vfio-pci "
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
	return fail(ctx, ENODEV, "%s: empty %s", ctx->bdf, path);
}

/* A 6.15 marker: IOMMUFD_CMD 0x93 (vEVENTQ alloc) is known from 6.15 on,
 * so an undersized call fails EINVAL there and ENOTTY before. Only used to
 * tell "old kernel" from "device lacks PASID" when ALLOC_PASID is refused. */
static bool
kernel_has_615(int iommufd)
{
	uint32_t size = 0;

	return kioctl(iommufd, _IO(SVA_IOMMUFD_TYPE, 0x93), &size) != -ENOTTY;
}

/* --------------------------------------------------------------- open */
int
sva_iommufd_open(struct sva_iommufd *ctx, const char *bdf)
{
	unsigned int dom, bus, slot, fn;
	char path[512];
	int ret;

	memset(ctx, 0, sizeof(*ctx));
	ctx->iommufd = ctx->devfd = ctx->fault_fd = -1;
	rte_spinlock_init(&ctx->lock);
	ctx->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	if (bdf == NULL || sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4) {
		snprintf(ctx->bdf, sizeof(ctx->bdf), "?");
		return fail(ctx, EINVAL, "bad PCI address '%s' (want DDDD:BB:SS.F)",
			    bdf != NULL ? bdf : "(null)");
	}
	snprintf(ctx->bdf, sizeof(ctx->bdf), "%04x:%02x:%02x.%x", dom, bus, slot, fn);

	snprintf(path, sizeof(path), "%s/iommu", root("SVA_DEV_ROOT", "/dev"));
	ctx->iommufd = sva_kops->open(path, O_RDWR | O_CLOEXEC);
	if (ctx->iommufd < 0) {
		ret = errno;
		if (ret == ENOENT)
			return fail(ctx, ENOENT, SVA_MSG_NO_IOMMUFD " (%s): kernel without "
				    "CONFIG_IOMMUFD, or modprobe iommufd", path);
		return fail(ctx, ret, "cannot open %s: %s", path, strerror(ret));
	}
	ret = find_cdev(ctx);
	if (ret < 0)
		goto err;
	ctx->devfd = sva_kops->open(ctx->cdev, O_RDWR | O_CLOEXEC);
	if (ctx->devfd < 0) {
		ret = fail(ctx, errno, "cannot open %s: %s", ctx->cdev, strerror(errno));
		goto err;
	}

	struct sva_vfio_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = ctx->iommufd,
	};
	ret = kioctl(ctx->devfd, SVA_VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (ret < 0) {
		ret = fail(ctx, -ret, "VFIO_DEVICE_BIND_IOMMUFD: %s%s", strerror(-ret),
			   ret == -ENOTTY ? ": kernel too old for VFIO cdev (needs 6.6)" : "");
		goto err;
	}
	ctx->dev_id = bind.out_devid;

	struct sva_iommufd_ioas_alloc ia = { .size = sizeof(ia) };
	ret = kioctl(ctx->iommufd, SVA_IOMMU_IOAS_ALLOC, &ia);
	if (ret < 0) {
		ret = fail(ctx, -ret, "IOMMU_IOAS_ALLOC: %s", strerror(-ret));
		goto err;
	}
	ctx->ioas_id = ia.out_ioas_id;

	/* Optional: PASID width and capabilities (6.15 fills the width). */
	struct sva_iommufd_hw_info hi = { .size = sizeof(hi), .dev_id = ctx->dev_id };
	if (kioctl(ctx->iommufd, SVA_IOMMU_GET_HW_INFO, &hi) == 0) {
		ctx->max_pasid_log2 = hi.out_max_pasid_log2;
		ctx->hw_caps = hi.out_capabilities;
	}

	struct sva_iommufd_fault_alloc fa = { .size = sizeof(fa) };
	ret = kioctl(ctx->iommufd, SVA_IOMMU_FAULT_QUEUE_ALLOC, &fa);
	if (ret < 0) {
		if (ret == -ENOTTY || ret == -EOPNOTSUPP)
			ret = fail(ctx, ENOTSUP, "IOMMU_FAULT_QUEUE_ALLOC: %s: "
				   SVA_MSG_OLD_KERNEL, strerror(-ret));
		else
			ret = fail(ctx, -ret, "IOMMU_FAULT_QUEUE_ALLOC: %s", strerror(-ret));
		goto err;
	}
	ctx->fault_id = fa.out_fault_id;
	ctx->fault_fd = (int)fa.out_fault_fd;

	struct sva_iommufd_hwpt_alloc ha = {
		.size = sizeof(ha),
		.flags = SVA_HWPT_FAULT_ID_VALID | SVA_HWPT_ALLOC_PASID,
		.dev_id = ctx->dev_id, .pt_id = ctx->ioas_id, .fault_id = ctx->fault_id,
	};
	ret = kioctl(ctx->iommufd, SVA_IOMMU_HWPT_ALLOC, &ha);
	if (ret == -EOPNOTSUPP || ret == -E2BIG) {
		if (ret == -E2BIG || !kernel_has_615(ctx->iommufd))
			ret = fail(ctx, ENOTSUP, "IOMMU_HWPT_ALLOC(PASID, fault): %s: "
				   SVA_MSG_OLD_KERNEL, strerror(-ret));
		else
			ret = fail(ctx, ENOTSUP, "IOMMU_HWPT_ALLOC(PASID): %s: "
				   SVA_MSG_NO_PASID " (or its IOMMU lacks PASID support; "
				   "check the kernel log and iommu= arguments)", strerror(-ret));
		goto err;
	} else if (ret < 0) {
		ret = fail(ctx, -ret, "IOMMU_HWPT_ALLOC: %s", strerror(-ret));
		goto err;
	}
	ctx->hwpt_id = ha.out_hwpt_id;
	ctx->hwpt_pasid = true;
	ctx->err[0] = '\0';
	RTE_SVA_LOG(INFO, "%s: iommufd dev %u ioas %u hwpt %u fault %u (fd %d), "
		    "PASID width %u", ctx->bdf, ctx->dev_id, ctx->ioas_id, ctx->hwpt_id,
		    ctx->fault_id, ctx->fault_fd, ctx->max_pasid_log2);
	return 0;
err:
	{
		char keep[SVA_IOMMUFD_ERR_LEN];

		memcpy(keep, ctx->err, sizeof(keep));
		sva_iommufd_close(ctx);
		memcpy(ctx->err, keep, sizeof(keep));
	}
	return ret;
}

static void
destroy(struct sva_iommufd *ctx, uint32_t *id)
{
	struct sva_iommufd_destroy d = { .size = sizeof(d), .id = *id };

	if (*id != 0 && ctx->iommufd >= 0)
		kioctl(ctx->iommufd, SVA_IOMMU_DESTROY, &d);
	*id = 0;
}

void
sva_iommufd_close(struct sva_iommufd *ctx)
{
	/* Closing the device fd detaches every PASID and answers pending
	 * groups INVALID (the kernel does that on detach). */
	if (ctx->devfd >= 0)
		sva_kops->close(ctx->devfd);
	ctx->devfd = -1;
	destroy(ctx, &ctx->hwpt_id);
	if (ctx->fault_fd >= 0)
		sva_kops->close(ctx->fault_fd);
	ctx->fault_fd = -1;
	destroy(ctx, &ctx->fault_id);
	destroy(ctx, &ctx->ioas_id);
	if (ctx->iommufd >= 0)
		sva_kops->close(ctx->iommufd);
	ctx->iommufd = -1;
	memset(ctx->pending, 0, sizeof(ctx->pending));
	/* Their groups were answered by the kernel when the device went. */
	ctx->held_first = ctx->held_n = 0;
}

/* -------------------------------------------------------------- PASIDs */
int
sva_iommufd_pasid_attach(struct sva_iommufd *ctx, uint32_t pasid)
{
	struct sva_vfio_attach_pt at = {
		.argsz = sizeof(at), .flags = SVA_VFIO_ATTACH_PASID,
		.pt_id = ctx->hwpt_id, .pasid = pasid,
	};
	int ret;

	if (ctx->devfd < 0)
		return fail(ctx, EINVAL, "not open");
	ret = kioctl(ctx->devfd, SVA_VFIO_DEVICE_ATTACH_PT, &at);
	if (ret == 0)
		return 0;
	if (ret == -ENOTTY)
		return fail(ctx, ENOTSUP, "VFIO_DEVICE_ATTACH_IOMMUFD_PT: %s: "
			    SVA_MSG_OLD_KERNEL, strerror(-ret));
	if (ret == -EINVAL && !kernel_has_615(ctx->iommufd))
		return fail(ctx, ENOTSUP, "VFIO_DEVICE_ATTACH_IOMMUFD_PT(PASID): "
			    "flag refused: " SVA_MSG_OLD_KERNEL);
	if (ret == -EOPNOTSUPP || ret == -ENODEV)
		return fail(ctx, ENOTSUP, "VFIO_DEVICE_ATTACH_IOMMUFD_PT(PASID %u): %s: "
			    SVA_MSG_NO_PASID, pasid, strerror(-ret));
	if (ret == -EBUSY)
		return fail(ctx, EEXIST, "PASID %u already attached", pasid);
	return fail(ctx, -ret, "VFIO_DEVICE_ATTACH_IOMMUFD_PT(PASID %u): %s",
		    pasid, strerror(-ret));
}

int
sva_iommufd_pasid_detach(struct sva_iommufd *ctx, uint32_t pasid)
{
	struct sva_vfio_detach_pt dt = {
		.argsz = sizeof(dt), .flags = SVA_VFIO_DETACH_PASID, .pasid = pasid,
	};
	int ret;

	if (ctx->devfd < 0)
		return fail(ctx, EINVAL, "not open");
	ret = kioctl(ctx->devfd, SVA_VFIO_DEVICE_DETACH_PT, &dt);
	if (ret < 0)
		return fail(ctx, -ret, "VFIO_DEVICE_DETACH_IOMMUFD_PT(PASID %u): %s",
			    pasid, strerror(-ret));
	/* The kernel answered this PASID's pending groups; forget them. */
	rte_spinlock_lock(&ctx->lock);
	for (unsigned int i = 0; i < SVA_IOMMUFD_PENDING; i++)
		if (ctx->pending[i].used && ctx->pending[i].pasid == pasid)
			ctx->pending[i].used = false;
	rte_spinlock_unlock(&ctx->lock);
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
	int ret = kioctl(ctx->iommufd, SVA_IOMMU_IOAS_MAP, &m);

	if (ret == -EEXIST && write) {
		/* Mapped read-only before: we map page by page, so the page is
		 * an area of its own and can be replaced. */
		struct sva_iommufd_ioas_unmap u = {
			.size = sizeof(u), .ioas_id = ctx->ioas_id, .iova = va,
			.length = ctx->page_size,
		};

		if (kioctl(ctx->iommufd, SVA_IOMMU_IOAS_UNMAP, &u) == 0)
			ret = kioctl(ctx->iommufd, SVA_IOMMU_IOAS_MAP, &m);
		else
			ret = 0;
	} else if (ret == -EEXIST) {
		ret = 0;
	}
	if (ret == 0)
		ctx->maps++;
	else
		ctx->map_failures++;
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

/* -------------------------------------------------------------- faults */
void
sva_iommufd_fault_convert(const struct sva_iommufd_pgfault *in, int16_t dev_id,
			  struct rte_sva_fault *out)
{
	memset(out, 0, sizeof(*out));
	out->type = RTE_SVA_FAULT_PAGE_REQ;
	if (in->flags & SVA_PGFAULT_F_PASID_VALID)
		out->flags |= RTE_SVA_FAULT_F_PASID_VALID;
	if (in->flags & SVA_PGFAULT_F_LAST_PAGE)
		out->flags |= RTE_SVA_FAULT_F_LAST_PAGE;
	out->pasid = in->pasid;
	out->grpid = in->grpid;
	out->perm = (in->perm & SVA_PGFAULT_PERM_READ ? RTE_SVA_PERM_READ : 0) |
		(in->perm & SVA_PGFAULT_PERM_WRITE ? RTE_SVA_PERM_WRITE : 0) |
		(in->perm & SVA_PGFAULT_PERM_EXEC ? RTE_SVA_PERM_EXEC : 0) |
		(in->perm & SVA_PGFAULT_PERM_PRIV ? RTE_SVA_PERM_PRIV : 0);
	out->addr = in->addr;
	out->cookie = in->cookie;
	out->dev_id = dev_id;
	out->tsc = rte_rdtsc();
}

static void
track(struct sva_iommufd *ctx, const struct sva_iommufd_pgfault *in)
{
	uint64_t len = RTE_MAX((uint64_t)in->length, ctx->page_size);

	rte_spinlock_lock(&ctx->lock);
	for (unsigned int i = 0; i < SVA_IOMMUFD_PENDING; i++) {
		struct sva_iommufd_pending *p = &ctx->pending[i];

		if (!p->used) {
			*p = (struct sva_iommufd_pending) {
				.cookie = in->cookie, .pasid = in->pasid,
				.addr = RTE_ALIGN_FLOOR(in->addr, ctx->page_size),
				.len = len, .perm = in->perm, .used = true,
			};
			rte_spinlock_unlock(&ctx->lock);
			return;
		}
	}
	ctx->pending_lost++;
	rte_spinlock_unlock(&ctx->lock);
}

/* Report the held records (read and tracked already), in order.
 * @return 0 once all went; <0 from the report (-ENOSPC: the queue is full). */
static int
held_report(struct sva_iommufd *ctx, struct rte_sva_dev *dev, unsigned int *done)
{
	while (ctx->held_n > 0) {
		struct rte_sva_fault f;
		int ret;

		sva_iommufd_fault_convert(&ctx->held[ctx->held_first], dev->dev_id, &f);
		ret = rte_sva_pmd_fault_report(dev, &f);
		if (ret < 0)
			return ret;
		ctx->held_first++;
		ctx->held_n--;
		(*done)++;
	}
	ctx->held_first = 0;
	return 0;
}

int
sva_iommufd_fault_poll(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
		       unsigned int max)
{
	const size_t rec = sizeof(ctx->held[0]);
	unsigned int done = 0;
	int ret;

	if (ctx->fault_fd < 0 || dev == NULL)
		return -EINVAL;
	/* A record read from the fault fd exists nowhere else: what an
	 * earlier poll could not report goes first, and nothing more is read
	 * until it went. */
	ret = held_report(ctx, dev, &done);
	while (ret == 0 && done < max) {
		size_t want = RTE_MIN(max - done, (unsigned int)RTE_DIM(ctx->held));
		ssize_t n = sva_kops->read(ctx->fault_fd, ctx->held, want * rec);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			ret = -errno;
			RTE_SVA_LOG(ERR, "%s: fault fd read: %s", ctx->bdf, strerror(errno));
			return done > 0 ? (int)done : ret;
		}
		if (n == 0)
			break;
		ctx->held_first = 0;
		ctx->held_n = (unsigned int)((size_t)n / rec);
		for (unsigned int i = 0; i < ctx->held_n; i++)
			track(ctx, &ctx->held[i]);
		if ((size_t)n % rec != 0) {
			/* Not the kernel's format: keep the whole records. */
			RTE_SVA_LOG(ERR, "%s: fault fd gave %zd bytes, not a multiple of %zu",
				    ctx->bdf, n, rec);
			held_report(ctx, dev, &done);
			return done > 0 ? (int)done : -EIO;
		}
		ret = held_report(ctx, dev, &done);
	}
	/* A full queue is the back-pressure: the rest waits in ctx. */
	if (ret < 0 && ret != -ENOSPC) {
		RTE_SVA_LOG(ERR, "%s: fault report: %s: %u record%s kept for the next poll",
			    ctx->bdf, strerror(-ret), ctx->held_n, ctx->held_n == 1 ? "" : "s");
		if (done == 0)
			return ret;
	}
	return (int)done;
}

/* Map what a SUCCESS group asked for and encode its response; a group
 * whose pages cannot be mapped is answered INVALID. Under ctx->lock. */
static struct sva_iommufd_page_response
response_prepare(struct sva_iommufd *ctx, const struct rte_sva_page_response *resp)
{
	struct sva_iommufd_page_response r = {
		.cookie = resp->cookie,
		.code = resp->code == RTE_SVA_PAGE_RESP_SUCCESS ?
			SVA_IOMMUFD_RESP_SUCCESS : SVA_IOMMUFD_RESP_INVALID,
	};

	for (unsigned int i = 0; i < SVA_IOMMUFD_PENDING; i++) {
		struct sva_iommufd_pending *p = &ctx->pending[i];

		if (!p->used || p->cookie != resp->cookie || p->pasid != resp->pasid)
			continue;
		if (r.code == SVA_IOMMUFD_RESP_SUCCESS &&
		    sva_iommufd_map(ctx, p->addr, p->len,
				    (p->perm & SVA_PGFAULT_PERM_WRITE) != 0) < 0) {
			RTE_SVA_LOG(WARNING, "%s: cannot map 0x%" PRIx64 "+%" PRIu64
				    " for PASID %u: answering INVALID", ctx->bdf,
				    p->addr, p->len, p->pasid);
			r.code = SVA_IOMMUFD_RESP_INVALID;
		}
		p->used = false;
	}
	return r;
}

int
sva_iommufd_page_response(struct sva_iommufd *ctx,
			  const struct rte_sva_page_response *resp)
{
	struct sva_iommufd_page_response r;
	ssize_t n;

	if (ctx->fault_fd < 0)
		return -EINVAL;
	rte_spinlock_lock(&ctx->lock);
	r = response_prepare(ctx, resp);
	rte_spinlock_unlock(&ctx->lock);
	n = sva_kops->write(ctx->fault_fd, &r, sizeof(r));
	if (n != (ssize_t)sizeof(r))
		return n < 0 ? -errno : -EIO;
	return 0;
}

int
sva_iommufd_page_response_burst(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
				const struct rte_sva_page_response *resp,
				uint16_t n)
{
	struct sva_iommufd_page_response r[64];
	uint16_t done = 0;

	if (ctx->fault_fd < 0 || (n != 0 && resp == NULL))
		return -EINVAL;
	while (done < n) {
		uint16_t k = RTE_MIN((uint16_t)(n - done), (uint16_t)RTE_DIM(r));
		uint16_t w = 0;

		rte_spinlock_lock(&ctx->lock);
		for (uint16_t i = 0; i < k; i++)
			r[i] = response_prepare(ctx, &resp[done + i]);
		rte_spinlock_unlock(&ctx->lock);
		/* The kernel stops at a response it refuses (stale group),
		 * reporting the ones before it: drop that one, go on. */
		while (w < k) {
			ssize_t got = sva_kops->write(ctx->fault_fd, &r[w],
						      (size_t)(k - w) * sizeof(r[0]));

			if (got < 0 && errno == EINTR)
				continue;
			if ((got < 0 && errno != EINVAL) ||
			    (got > 0 && got % (ssize_t)sizeof(r[0]) != 0)) {
				int err = got < 0 ? errno : EIO;

				RTE_SVA_LOG(ERR, "%s: fault fd write failed (%s): %u page responses lost",
					    ctx->bdf, strerror(err), (unsigned int)(n - done - w));
				/* What went before it went: the caller counts
				 * the rest as not delivered. */
				return done + w > 0 ? (int)(done + w) : -err;
			}
			if (got <= 0) {
				/* Its group is gone (detached, or answered). */
				RTE_SVA_LOG(DEBUG, "%s: response cookie %u refused (stale)",
					    ctx->bdf, r[w].cookie);
				if (dev != NULL)
					rte_sva_pmd_fault_event(dev, RTE_SVA_FAULT_EV_STALE_RESPONSE);
				w++;
				continue;
			}
			w += (uint16_t)(got / (ssize_t)sizeof(r[0]));
		}
		done += k;
	}
	return n;
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
