/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The kernel side of sva_iommufd, modelled for tests (sva_kdouble.h). */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "sva_iommufd.h"
#include "sva_kdouble.h"
#include "sva_kdouble_priv.h"

static struct sva_kdouble *kd_cur;

void
sva_kdouble_init(struct sva_kdouble *kd)
{
	memset(kd, 0, sizeof(*kd));
	kd->kver = 615;
	kd->has_iommufd = true;
	kd->dev_pasid = true;
	kd->dev_pri = true;
	kd->max_pasid_log2 = 20;
	kd->seeds_pasid = 7;
	kd->next_id = 1;
	kd->has_mock = true;
	kd->next_cookie = 1;
}

static void
record(struct sva_kdouble *kd, int fd, unsigned long req, int err)
{
	if (kd->nb_calls < SVA_KD_MAX)
		kd->calls[kd->nb_calls++] = (struct sva_kdouble_call){ fd, req, err };
}

int
sva_kdouble_find_call(const struct sva_kdouble *kd, unsigned long req,
		      unsigned int from)
{
	for (unsigned int i = from; i < kd->nb_calls; i++)
		if (kd->calls[i].req == req)
			return (int)i;
	return -1;
}

/* Records of group g (or the partial records of pasid/grpid for g == -1). */
static bool
rec_in(const struct sva_kdouble *kd, unsigned int i, int g, uint32_t pasid, uint32_t grpid)
{
	if (kd->q_group[i] != g)
		return false;
	return g >= 0 || (kd->q[i].pasid == pasid && kd->q[i].grpid == grpid);
}

int
sva_kdouble_raise(struct sva_kdouble *kd, const struct sva_iommufd_pgfault *f)
{
	struct sva_kd_group *g;

	if (kd->q_n >= SVA_KD_RECS || kd->nb_groups >= SVA_KD_MAX)
		return -ENOSPC;
	kd->q[kd->q_n] = *f;
	kd->q_group[kd->q_n++] = -1;
	if (!(f->flags & SVA_PGFAULT_F_LAST_PAGE))
		return 0;   /* partial: waits for its last page (io-pgfault.c) */
	g = &kd->groups[kd->nb_groups];
	*g = (struct sva_kd_group){ .pasid = f->pasid, .grpid = f->grpid,
				    .state = SVA_KD_QUEUED };
	for (unsigned int i = 0; i < kd->q_n; i++)
		if (rec_in(kd, i, -1, f->pasid, f->grpid)) {
			kd->q_group[i] = (int)kd->nb_groups;
			if (g->nb++ == 0)
				g->cookie = kd->q[i].cookie;  /* the raiser's, or 0 */
		}
	kd->nb_groups++;
	return 0;
}

/* The kernel answers INVALID every group of pasid (all: ANY) still
 * queued or outstanding, and drops the partial ones. */
#define KD_ANY UINT32_MAX
static void
auto_respond(struct sva_kdouble *kd, uint32_t pasid)
{
	for (unsigned int i = 0; i < kd->nb_groups; i++) {
		struct sva_kd_group *g = &kd->groups[i];

		if ((g->state == SVA_KD_QUEUED || g->state == SVA_KD_OUT) &&
		    (pasid == KD_ANY || g->pasid == pasid)) {
			g->state = SVA_KD_AUTO;
			kd->nb_auto++;
		}
	}
	for (unsigned int i = 0; i < kd->q_n; i++)
		if (kd->q_group[i] == -1 && (pasid == KD_ANY || kd->q[i].pasid == pasid))
			kd->q_group[i] = -2;
}

bool
sva_kd_attached(const struct sva_kdouble *kd, uint32_t pasid)
{
	for (unsigned int i = 0; i < kd->nb_attached; i++)
		if (kd->attached[i] == pasid)
			return true;
	return false;
}

void
sva_kd_detach(struct sva_kdouble *kd, uint32_t pasid)
{
	for (unsigned int i = 0; i < kd->nb_attached; i++)
		if (kd->attached[i] == pasid) {
			kd->attached[i] = kd->attached[--kd->nb_attached];
			auto_respond(kd, pasid);
			return;
		}
}

static void
unbind(struct sva_kdouble *kd)
{
	kd->bound = kd->mock = false;
	kd->nb_attached = 0;
	kd->rid_pt = kd->rid_auto_id = 0;
	kd->rid_blocked = false;
	auto_respond(kd, KD_ANY);
}

/* ---------------------------------------------------------- open/close */
static int
kd_open(const char *path, int flags)
{
	size_t l = strlen(path);

	RTE_SET_USED(flags);
	if (l >= 6 && strcmp(path + l - 6, "/iommu") == 0) {
		if (!kd_cur->has_iommufd) {
			errno = ENOENT;
			return -1;
		}
		kd_cur->open_fds++;
		return SVA_KD_FD_IOMMU;
	}
	if (strstr(path, "/vfio/devices/vfio") != NULL) {
		kd_cur->open_fds++;
		return SVA_KD_FD_CDEV;
	}
	errno = ENOENT;
	return -1;
}

static int
kd_close(int fd)
{
	if (fd < SVA_KD_FD_IOMMU || fd > SVA_KD_FD_CONTAINER) {
		errno = EBADF;
		return -1;
	}
	if (fd == SVA_KD_FD_CDEV)     /* closing the device detaches it */
		unbind(kd_cur);
	if (fd == SVA_KD_FD_FAULT)
		kd_cur->fault_fd_open = false;
	kd_cur->open_fds--;
	return 0;
}

/* --------------------------------------------------------------- iommufd */
/* copy_struct_from_user(): size below the minimum EINVAL, non-zero bytes
 * past what this kernel knows E2BIG. */
static int
iommufd_size(const void *arg, uint32_t min, uint32_t known)
{
	uint32_t size = *(const uint32_t *)arg;

	if (size < min)
		return EINVAL;
	for (uint32_t i = known; i < size; i++)
		if (((const uint8_t *)arg)[i] != 0)
			return E2BIG;
	return 0;
}

/* IOMMU_TEST_CMD (drivers/iommu/iommufd/selftest.c): the ops we use. */
static int
kd_test_cmd(struct sva_kdouble *kd, struct sva_iommufd_test_cmd *c)
{
	int e = iommufd_size(c, 68, 72);

	if (e != 0)
		return e;
	switch (c->op) {
	case SVA_TEST_OP_MOCK_DOMAIN_FLAGS:
		if (c->mock_domain.dev_flags & ~7u)
			return EINVAL;
		if (c->id == 0 || c->id != kd->ioas_id)
			return ENOENT;
		if (kd->bound)
			return EBUSY;    /* the double models one device */
		kd->bound = kd->mock = true;
		kd->rid_pasid_compat = false;   /* its automatic domain */
		kd->dev_pasid = (c->mock_domain.dev_flags & SVA_MOCK_FLAGS_DEVICE_PASID) != 0;
		kd->max_pasid_log2 = SVA_MOCK_PASID_WIDTH;
		c->mock_domain.out_stdev_id = kd->stdev_id = kd->next_id++;
		c->mock_domain.out_hwpt_id = kd->next_id++;   /* its auto domain */
		c->mock_domain.out_idev_id = kd->dev_id = kd->next_id++;
		return 0;
	case SVA_TEST_OP_MOCK_DOMAIN_REPLACE:
		if (!kd->mock || c->id != kd->stdev_id)
			return ENOENT;
		if (c->mock_domain_replace.pt_id == kd->hwpt2_id && kd->hwpt2_id != 0)
			kd->rid_pasid_compat = kd->hwpt2_pasid;
		else if (c->mock_domain_replace.pt_id == kd->hwpt_id && kd->hwpt_id != 0)
			kd->rid_pasid_compat = kd->hwpt_pasid;
		else
			return ENOENT;
		return 0;
	case SVA_TEST_OP_TRIGGER_IOPF: {
		struct sva_iommufd_pgfault f = {
			.flags = SVA_PGFAULT_F_LAST_PAGE, .dev_id = c->trigger_iopf.dev_id,
			.pasid = c->trigger_iopf.pasid, .grpid = c->trigger_iopf.grpid,
			.perm = c->trigger_iopf.perm, .addr = c->trigger_iopf.addr,
		};

		if (!kd->mock || c->trigger_iopf.dev_id != kd->dev_id)
			return ENOENT;
		if (f.pasid != 0)
			f.flags |= SVA_PGFAULT_F_PASID_VALID;
		/* Reported to the domain at that PASID: with no fault-capable
		 * one there the core answers the device itself; the ioctl
		 * succeeds either way. */
		if (f.pasid == 0 || !sva_kd_attached(kd, f.pasid) || !kd->hwpt_fault ||
		    sva_kdouble_raise(kd, &f) != 0)
			kd->iopf_dropped++;
		return 0;
	}
	case SVA_TEST_OP_PASID_ATTACH:
		if (!kd->mock || c->id != kd->stdev_id)
			return ENOENT;
		if (!kd->dev_pasid || c->pasid_attach.pasid == 0 ||
		    c->pasid_attach.pasid >= (1u << kd->max_pasid_log2))
			return EINVAL;
		if (c->pasid_attach.pt_id == 0 || c->pasid_attach.pt_id != kd->hwpt_id)
			return ENOENT;
		/* iommufd_hwpt_pasid_compat(): the hwpt and the RID's hwpt */
		if (!kd->hwpt_pasid || !kd->rid_pasid_compat)
			return EINVAL;
		if (sva_kd_attached(kd, c->pasid_attach.pasid))
			return 0;        /* the same hwpt again */
		if (kd->nb_attached >= RTE_DIM(kd->attached))
			return ENOSPC;
		kd->attached[kd->nb_attached++] = c->pasid_attach.pasid;
		return 0;
	case SVA_TEST_OP_PASID_DETACH:
		if (!kd->mock || c->id != kd->stdev_id)
			return ENOENT;
		sva_kd_detach(kd, c->pasid_detach.pasid);
		return 0;
	case SVA_TEST_OP_PASID_CHECK_HWPT:
		if (!kd->mock || c->id != kd->stdev_id)
			return ENOENT;
		if (c->pasid_check.hwpt_id == 0)
			return sva_kd_attached(kd, c->pasid_check.pasid) ? EINVAL : 0;
		return sva_kd_attached(kd, c->pasid_check.pasid) &&
			c->pasid_check.hwpt_id == kd->hwpt_id ? 0 : EINVAL;
	case SVA_TEST_OP_MD_CHECK_MAP: {
		const uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE);

		if (c->id == 0 || c->id != kd->hwpt_id)
			return ENOENT;
		if (c->check_map.length == 0 || (c->check_map.iova | c->check_map.length) % pg)
			return EINVAL;
		for (uint64_t o = 0; o < c->check_map.length; o += pg) {
			uint64_t iova = c->check_map.iova + o;
			unsigned int i;

			for (i = 0; i < kd->nb_maps; i++)
				if (kd->maps[i].iova <= iova &&
				    iova < kd->maps[i].iova + kd->maps[i].len)
					break;
			if (i == kd->nb_maps ||
			    kd->maps[i].va + (iova - kd->maps[i].iova) != c->check_map.uptr + o)
				return EINVAL;
		}
		return 0;
	}
	default:
		return EOPNOTSUPP;
	}
}

static int
kd_iommufd(struct sva_kdouble *kd, unsigned long req, void *arg)
{
	int e;

	switch (req) {
	case SVA_IOMMU_DESTROY: {
		struct sva_iommufd_destroy *d = arg;

		if ((e = iommufd_size(arg, 8, 8)) != 0)
			return e;
		if (d->id == 0 || (d->id != kd->ioas_id && d->id != kd->hwpt_id &&
				   d->id != kd->fault_id && d->id != kd->stdev_id &&
				   d->id != kd->hwpt2_id))
			return ENOENT;
		if (d->id == kd->hwpt2_id) {
			if (kd->mock)
				return EBUSY;    /* the mock RID is attached to it */
			kd->hwpt2_id = 0;
			return 0;
		}
		if (d->id == kd->stdev_id) {     /* the mock device goes */
			unbind(kd);
			kd->stdev_id = 0;
		} else if (d->id == kd->hwpt_id) {
			if (kd->nb_attached > 0 || kd->rid_pt == kd->hwpt_id)
				return EBUSY;    /* attached somewhere */
			kd->hwpt_id = 0;
		} else if (d->id == kd->fault_id) {
			if (kd->fault_fd_open || (kd->hwpt_id != 0 && kd->hwpt_fault))
				return EBUSY;    /* its fd, or a hwpt, holds it */
			kd->fault_id = 0;
		} else {
			/* the RID's automatic domain, or a device iommufd
			 * counts attached after a refused attach, holds it */
			if (kd->hwpt_id != 0 || kd->hwpt2_id != 0 || kd->stdev_id != 0 ||
			    kd->rid_pt != 0 || kd->rid_blocked)
				return EBUSY;
			kd->ioas_id = 0;
		}
		return 0;
	}
	case SVA_IOMMU_IOAS_ALLOC: {
		struct sva_iommufd_ioas_alloc *a = arg;

		if ((e = iommufd_size(arg, 12, 12)) != 0)
			return e;
		if (a->flags != 0)
			return EOPNOTSUPP;
		a->out_ioas_id = kd->ioas_id = kd->next_id++;
		return 0;
	}
	case SVA_IOMMU_IOAS_MAP: {
		struct sva_iommufd_ioas_map *m = arg;

		if ((e = iommufd_size(arg, 40, 40)) != 0)
			return e;
		if (m->flags & ~(SVA_IOAS_MAP_FIXED_IOVA | SVA_IOAS_MAP_READABLE |
				 SVA_IOAS_MAP_WRITEABLE))
			return EOPNOTSUPP;
		if (m->reserved != 0 || m->length == 0)
			return EINVAL;
		if (m->ioas_id != kd->ioas_id || kd->ioas_id == 0)
			return ENOENT;
		/* The mock domain translates [16 MiB, 2 GiB) only: the IOVAs
		 * outside its aperture are reserved in the IOAS. */
		if (kd->mock && (m->iova < SVA_MOCK_APERTURE_START ||
				 m->iova + m->length - 1 > SVA_MOCK_APERTURE_LAST))
			return EINVAL;   /* as 7.2 answers (the lab checked) */
		if (m->user_va == 0 || (kd->bad_va != 0 && m->user_va <= kd->bad_va &&
					kd->bad_va < m->user_va + m->length))
			return EFAULT;
		for (unsigned int i = 0; i < kd->nb_maps; i++)
			if (m->iova < kd->maps[i].iova + kd->maps[i].len &&
			    kd->maps[i].iova < m->iova + m->length)
				return EEXIST;
		if (kd->nb_maps >= SVA_KD_MAX)
			return ENOMEM;
		if (!(m->flags & SVA_IOAS_MAP_FIXED_IOVA))
			m->iova = m->user_va;
		kd->maps[kd->nb_maps].va = m->user_va;
		kd->maps[kd->nb_maps].len = m->length;
		kd->maps[kd->nb_maps].iova = m->iova;
		kd->maps[kd->nb_maps++].flags = m->flags;
		return 0;
	}
	case SVA_IOMMU_IOAS_UNMAP: {
		struct sva_iommufd_ioas_unmap *u = arg;

		if ((e = iommufd_size(arg, 24, 24)) != 0)
			return e;
		if (u->ioas_id != kd->ioas_id)
			return ENOENT;
		for (unsigned int i = 0; i < kd->nb_maps; i++)
			if (kd->maps[i].iova == u->iova && kd->maps[i].len == u->length) {
				kd->maps[i] = kd->maps[--kd->nb_maps];
				return 0;
			}
		return ENOENT;
	}
	case SVA_IOMMU_GET_HW_INFO: {
		struct sva_iommufd_hw_info *h = arg;

		if (kd->kver < 606)
			return ENOTTY;
		if ((e = iommufd_size(arg, 32, 40)) != 0)
			return e;
		if (h->flags != 0)
			return EOPNOTSUPP;
		if (!kd->bound || h->dev_id != kd->dev_id)
			return ENOENT;
		h->out_data_type = 0;
		h->data_len = 0;
		h->out_max_pasid_log2 = kd->kver >= 615 && kd->dev_pasid ?
			kd->max_pasid_log2 : 0;
		h->out_capabilities = 0;
		return 0;
	}
	case SVA_IOMMU_FAULT_QUEUE_ALLOC: {
		struct sva_iommufd_fault_alloc *f = arg;

		if (kd->kver < 611)
			return ENOTTY;
		if ((e = iommufd_size(arg, 16, 16)) != 0)
			return e;
		if (f->flags != 0)
			return EOPNOTSUPP;
		f->out_fault_id = kd->fault_id = kd->next_id++;
		f->out_fault_fd = SVA_KD_FD_FAULT;
		kd->fault_fd_open = true;
		kd->open_fds++;
		return 0;
	}
	case SVA_IOMMU_HWPT_ALLOC: {
		struct sva_iommufd_hwpt_alloc *h = arg;
		uint32_t known = kd->kver >= 611 ? 48 : 40;
		uint32_t ok = SVA_HWPT_ALLOC_NEST_PARENT | SVA_HWPT_ALLOC_DIRTY_TRACKING |
			(kd->kver >= 611 ? SVA_HWPT_FAULT_ID_VALID : 0) |
			(kd->kver >= 615 ? SVA_HWPT_ALLOC_PASID : 0);

		if ((e = iommufd_size(arg, 40, known)) != 0)
			return e;
		/* No check of the device's PASID: Linux 7.2.13 takes ALLOC_PASID
		 * on edu (no PASID, no PRI; app/test-lab/vfio_backend.c). */
		if (h->flags & ~ok)
			return EOPNOTSUPP;
		if (h->reserved != 0 || (known > 40 && h->reserved2 != 0))
			return EOPNOTSUPP;
		if (!kd->bound || h->dev_id != kd->dev_id || h->pt_id != kd->ioas_id)
			return ENOENT;
		if ((h->flags & SVA_HWPT_FAULT_ID_VALID) &&
		    (h->fault_id == 0 || h->fault_id != kd->fault_id))
			return ENOENT;
		if (kd->hwpt_id != 0) {   /* a second one */
			if (kd->hwpt2_id != 0)
				return ENOSPC;
			h->out_hwpt_id = kd->hwpt2_id = kd->next_id++;
			kd->hwpt2_pasid = (h->flags & SVA_HWPT_ALLOC_PASID) != 0;
			kd->hwpt2_fault = (h->flags & SVA_HWPT_FAULT_ID_VALID) != 0;
			return 0;
		}
		h->out_hwpt_id = kd->hwpt_id = kd->next_id++;
		kd->hwpt_pasid = (h->flags & SVA_HWPT_ALLOC_PASID) != 0;
		kd->hwpt_fault = (h->flags & SVA_HWPT_FAULT_ID_VALID) != 0;
		return 0;
	}
	case SVA_IOMMU_TEST_CMD:
		return kd->has_mock ? kd_test_cmd(kd, arg) : ENOTTY;
	case _IO(SVA_IOMMUFD_TYPE, 0x93):   /* vEVENTQ alloc, 6.15 */
		if (kd->kver < 615)
			return ENOTTY;
		return iommufd_size(arg, 32, 32) != 0 ? EINVAL : EOPNOTSUPP;
	default:
		return ENOTTY;
	}
}

static int
kd_ioctl(int fd, unsigned long req, void *arg)
{
	struct sva_kdouble *kd = kd_cur;
	int e, ret = 0;

	switch (fd) {
	case SVA_KD_FD_IOMMU:
		e = kd_iommufd(kd, req, arg);
		break;
	case SVA_KD_FD_CDEV:
		e = sva_kd_cdev(kd, req, arg);
		break;
	case SVA_KD_FD_CONTAINER:
		e = sva_kd_container(kd, req, arg, &ret);
		break;
	case SVA_KD_FD_FAULT:
		e = ENOTTY;
		break;
	default:
		e = EBADF;
		break;
	}
	record(kd, fd, req, e);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return ret;
}

/* -------------------------------------------------------------- fault fd */
/* xa_alloc() on the outstanding groups: the lowest free index from 1. */
static uint32_t
lowest_free_cookie(const struct sva_kdouble *kd)
{
	for (uint32_t c = 1;; c++) {
		unsigned int g;

		for (g = 0; g < kd->nb_groups; g++)
			if (kd->groups[g].state == SVA_KD_OUT && kd->groups[g].cookie == c)
				break;
		if (g == kd->nb_groups)
			return c;
	}
}

/* iommufd_fault_fops_read(): whole groups, in order, as many as fit. */
static ssize_t
kd_read(int fd, void *buf, size_t n)
{
	const size_t rec = sizeof(struct sva_iommufd_pgfault);
	struct sva_kdouble *kd = kd_cur;
	size_t done = 0;

	record(kd, fd, 0, 0);
	if (fd != SVA_KD_FD_FAULT) {
		errno = EBADF;
		return -1;
	}
	if (n % rec != 0) {
		errno = ESPIPE;
		return -1;
	}
	for (unsigned int g = 0; g < kd->nb_groups; g++) {
		struct sva_kd_group *grp = &kd->groups[g];

		if (grp->state != SVA_KD_QUEUED)
			continue;
		if (done >= n || grp->nb * rec > n - done) {
			/* it stays queued, first in line; a read that takes
			 * nothing fails (7.2's eventq.c) */
			if (done == 0) {
				errno = EINVAL;
				return -1;
			}
			break;
		}
		if (grp->cookie == 0)
			grp->cookie = lowest_free_cookie(kd);
		for (unsigned int i = 0; i < kd->q_n; i++)
			if (kd->q_group[i] == (int)g) {
				struct sva_iommufd_pgfault f = kd->q[i];

				f.dev_id = kd->dev_id;
				f.length = 0;
				f.cookie = grp->cookie;
				memcpy((uint8_t *)buf + done, &f, rec);
				done += rec;
			}
		grp->state = SVA_KD_OUT;
	}
	return (ssize_t)done;
}

/* iommufd_fault_fops_write(): stops at the first refused response. */
static ssize_t
kd_write(int fd, const void *buf, size_t n)
{
	const size_t rsz = sizeof(struct sva_iommufd_page_response);
	struct sva_kdouble *kd = kd_cur;
	size_t k;

	record(kd, fd, 1, 0);
	if (fd != SVA_KD_FD_FAULT) {
		errno = EBADF;
		return -1;
	}
	if (n % rsz != 0) {
		errno = ESPIPE;
		return -1;
	}
	for (k = 0; k < n / rsz; k++) {
		struct sva_iommufd_page_response r;
		unsigned int g;

		memcpy(&r, (const uint8_t *)buf + k * rsz, rsz);
		if (r.code > SVA_IOMMUFD_RESP_INVALID)
			break;
		for (g = 0; g < kd->nb_groups; g++)
			if (kd->groups[g].state == SVA_KD_OUT && kd->groups[g].cookie == r.cookie)
				break;
		if (g == kd->nb_groups)   /* no such group outstanding */
			break;
		kd->groups[g].state = SVA_KD_DONE;
		if (kd->nb_resp < SVA_KD_MAX)
			kd->resp[kd->nb_resp++] = r;
	}
	if (k == 0 && n > 0) {
		errno = EINVAL;
		return -1;
	}
	return (ssize_t)(k * rsz);
}

static int
kd_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	int ready = 0;

	RTE_SET_USED(timeout_ms);   /* nothing arrives while we wait */
	for (nfds_t i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd != SVA_KD_FD_FAULT) {
			fds[i].revents = POLLNVAL;
			ready++;
			continue;
		}
		fds[i].revents = POLLOUT & fds[i].events;
		for (unsigned int g = 0; g < kd_cur->nb_groups; g++)
			if (kd_cur->groups[g].state == SVA_KD_QUEUED)
				fds[i].revents |= (POLLIN | POLLRDNORM) & fds[i].events;
		ready += fds[i].revents != 0;
	}
	return ready;
}

static const struct sva_kops kd_kops = {
	.open = kd_open, .close = kd_close, .ioctl = kd_ioctl,
	.read = kd_read, .write = kd_write, .poll = kd_poll,
};

const struct sva_kops *
sva_kdouble_kops(void)
{
	return &kd_kops;
}

void
sva_kdouble_install(struct sva_kdouble *kd)
{
	kd_cur = kd;
	sva_kops_set(kd != NULL ? &kd_kops : NULL);
}
