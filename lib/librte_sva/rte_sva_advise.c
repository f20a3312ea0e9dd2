/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Advise (rte_sva_advise.h): the argument checks and the order of the work
 * here; populating the range is the backend's (rte_sva_backend::populate),
 * filling the translation cache the driver's (rte_sva_dev_ops::advise).
 *
 * Order: every check that can fail without touching anything first (flags,
 * range, capability, the bond), then the populate, once per call, then
 * each device's fill. Populating before filling is what makes a filled
 * entry true: a device caches only what its walk (or the fill) finds
 * present. Everything runs under the control lock, which also keeps the
 * bond and its mm alive for the call (an unbind needs the lock) and
 * serialises the fill against rte_sva_cache_invalidate() and PASID
 * detach, the paths that drop cached entries.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_advise.h"
#include "rte_sva_bond.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_fault.h"
#include "rte_sva_fault_priv.h"
#include "rte_sva_pmd.h"
#include "sva_internal.h"

#define ADVISE_KIND  (RTE_SVA_ADVISE_PREFETCH | RTE_SVA_ADVISE_PREFETCH_WRITE)
#define ADVISE_FLAGS (ADVISE_KIND | RTE_SVA_ADVISE_F_SYNC)

/* What one call advises, checked. */
struct advise_req {
	uint32_t pasid;
	uint64_t addr;
	uint64_t len;
	uint32_t flags;
	const char *what;      /* device or container name, for log lines */
};

static int
args_check(const struct advise_req *r)
{
	uint32_t kind = r->flags & ADVISE_KIND;

	if (r->flags & ~ADVISE_FLAGS) {
		RTE_SVA_LOG(ERR, "advise %s: unknown flags 0x%x", r->what,
			    r->flags & ~ADVISE_FLAGS);
		return -EINVAL;
	}
	if (kind != RTE_SVA_ADVISE_PREFETCH && kind != RTE_SVA_ADVISE_PREFETCH_WRITE) {
		RTE_SVA_LOG(ERR, "advise %s: flags 0x%x name %s advice (want exactly one of PREFETCH, PREFETCH_WRITE)",
			    r->what, r->flags, kind == 0 ? "no" : "two kinds of");
		return -EINVAL;
	}
	if (r->len == 0) {
		RTE_SVA_LOG(ERR, "advise %s: empty range at 0x%" PRIx64, r->what, r->addr);
		return -EINVAL;
	}
	if (r->addr + r->len < r->addr) {
		RTE_SVA_LOG(ERR, "advise %s: range 0x%" PRIx64 " + %" PRIu64 " wraps around the address space",
			    r->what, r->addr, r->len);
		return -EINVAL;
	}
	return 0;
}

/* A device that can take advice: a fill op, a backend that populates. */
static int
dev_check(const struct rte_sva_dev *dev)
{
	if (dev->dev_ops->advise == NULL) {
		RTE_SVA_LOG(ERR, "advise %s: the device has no translation cache software can fill",
			    dev->name);
		return -ENOTSUP;
	}
	if (dev->backend == NULL || dev->backend->populate == NULL) {
		RTE_SVA_LOG(ERR, "advise %s: its backend %s cannot populate an address space",
			    dev->name, dev->backend != NULL ? dev->backend->name : "(none)");
		return -ENOTSUP;
	}
	return 0;
}

/* The range lies within the device's address width: a device translates
 * nothing above it (TRANSLATION_FAIL), so no advice can help there. */
static int
width_check(int16_t dev_id, const struct advise_req *r)
{
	struct rte_sva_info info;
	uint64_t limit;
	int ret = rte_sva_info_get(dev_id, &info);

	if (ret != 0)
		return ret;
	if (info.addr_width >= 64)
		return 0;
	limit = RTE_BIT64(info.addr_width);
	if (r->addr + r->len > limit) {
		RTE_SVA_LOG(ERR, "advise %s: address 0x%" PRIx64 " is beyond the device's %u-bit address width",
			    info.dev_name, RTE_MAX(r->addr, limit), info.addr_width);
		return -EFAULT;
	}
	return 0;
}

/* pasid names a live bond of container cid whose PASID the library
 * allocated (a kernel-owned PASID's address space is the kernel's to
 * populate and cache). */
static int
bond_check(int cid, const struct advise_req *r)
{
	struct rte_sva_bond_info b[SVA_MAX_BONDS];
	int n = rte_sva_container_bonds(cid, b, RTE_DIM(b));

	if (n < 0)
		return n;
	for (int i = 0; i < RTE_MIN(n, (int)RTE_DIM(b)); i++) {
		if (b[i].pasid != r->pasid)
			continue;
		if (b[i].kernel_pasid) {
			RTE_SVA_LOG(ERR, "advise %s: the kernel owns the bond's PASID and its translations",
				    r->what);
			return -ENOTSUP;
		}
		if (b[i].defunct) {
			RTE_SVA_LOG(ERR, "advise %s: PASID %u is defunct (pid %d exited)",
				    r->what, r->pasid, (int)b[i].pid);
			return -ESRCH;
		}
		return 0;
	}
	RTE_SVA_LOG(ERR, "advise %s: PASID %u is not bound in container %d", r->what,
		    r->pasid, cid);
	return -ENOENT;
}

/* Populate the range once in the bond's address space. */
static int
populate(const struct rte_sva_dev *dev, const struct advise_req *r,
	 struct rte_sva_mm **mmp)
{
	const struct rte_sva_backend *be = dev->backend;
	uint32_t perm = RTE_SVA_PERM_READ;
	struct rte_sva_mm *mm;
	uint64_t bad = r->addr, hstart;
	int ret;

	/* The bond cannot go while we hold the control lock (unbind takes
	 * it): the mm stays valid after the lookup's read section. */
	sva_mm_read_enter();
	mm = sva_mm_lookup(be, r->pasid);
	sva_mm_read_leave();
	if (mm == NULL) {
		RTE_SVA_LOG(ERR, "advise %s: PASID %u has no address space published",
			    r->what, r->pasid);
		return -ENOENT;
	}
	/* A handler fills its range itself (demand paging): a populate
	 * would hand the device zero pages where the handler puts data. */
	if (mm->self && sva_fault_handler_overlaps(r->addr, r->len, &hstart)) {
		RTE_SVA_LOG(ERR, "advise %s: range 0x%" PRIx64 " + %" PRIu64 " overlaps the fault handler's range at 0x%" PRIx64,
			    r->what, r->addr, r->len, hstart);
		return -EBUSY;
	}
	if (r->flags & RTE_SVA_ADVISE_PREFETCH_WRITE)
		perm |= RTE_SVA_PERM_WRITE;
	ret = be->populate(mm, r->addr, r->len, perm, &bad);
	/* A process bound by pid may exit meanwhile (the exit monitor marks
	 * its bond without the control lock): its mem file then reads as
	 * nothing, which is no bad address of ours to report. */
	if (ret != 0 && __atomic_load_n(&mm->defunct, __ATOMIC_ACQUIRE))
		ret = -ESRCH;
	if (ret == -ESRCH)
		RTE_SVA_LOG(ERR, "advise %s: PASID %u: pid %d exited", r->what, r->pasid,
			    mm->pid);
	else if (ret == -EFAULT)
		RTE_SVA_LOG(ERR, "advise %s: address 0x%" PRIx64 " of PASID %u is unmapped or not %s",
			    r->what, bad, r->pasid,
			    perm & RTE_SVA_PERM_WRITE ? "writable" : "readable");
	else if (ret != 0)
		RTE_SVA_LOG(ERR, "advise %s: populating PASID %u at 0x%" PRIx64 " failed: %s",
			    r->what, r->pasid, r->addr, strerror(-ret));
	*mmp = mm;
	return ret;
}

static int
dev_fill(struct rte_sva_dev *dev, struct rte_sva_mm *mm, const struct advise_req *r)
{
	int ret = dev->dev_ops->advise(dev, r->pasid, mm, r->addr, r->len, r->flags);

	if (ret != 0)
		RTE_SVA_LOG(ERR, "advise %s: translation fetch of PASID %u failed: %s",
			    dev->name, r->pasid, strerror(-ret));
	return ret;
}

static int
rte_sva_advise_locked(int16_t dev_id, uint32_t pasid, const void *addr, size_t len,
		      uint32_t flags)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	struct advise_req r = {
		.pasid = pasid, .addr = (uint64_t)(uintptr_t)addr, .len = len,
		.flags = flags,
	};
	struct rte_sva_mm *mm = NULL;
	int cid, ret;

	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "advise: invalid dev_id %d", dev_id);
		return -EINVAL;
	}
	r.what = dev->name;
	ret = args_check(&r);
	if (ret == 0)
		ret = dev_check(dev);
	if (ret == 0)
		ret = width_check(dev_id, &r);
	if (ret != 0)
		return ret;
	/* dev is a device (checked above): no -EINVAL here. */
	cid = rte_sva_dev_container(dev_id);
	if (cid < 0) {
		RTE_SVA_LOG(ERR, "advise %s: the device is in no container", dev->name);
		return -ENOENT;
	}
	ret = bond_check(cid, &r);
	if (ret == 0)
		ret = populate(dev, &r, &mm);
	if (ret == 0)
		ret = dev_fill(dev, mm, &r);
	return ret;
}

static int
rte_sva_container_advise_locked(int cid, uint32_t pasid, const void *addr, size_t len,
				uint32_t flags)
{
	int16_t devs[RTE_SVA_MAX_DEVS];
	struct advise_req r = {
		.pasid = pasid, .addr = (uint64_t)(uintptr_t)addr, .len = len,
		.flags = flags, .what = "container",
	};
	struct rte_sva_mm *mm = NULL;
	int n = rte_sva_container_devs(cid, devs, RTE_DIM(devs));
	int ret;

	if (n < 0)
		return -EINVAL;   /* logged: invalid container id */
	if (n == 0) {
		RTE_SVA_LOG(ERR, "advise: container %d has no device", cid);
		return -EINVAL;
	}
	ret = args_check(&r);
	for (int k = 0; k < n && ret == 0; k++) {
		ret = dev_check(rte_sva_pmd_get_dev(devs[k]));
		if (ret == 0)
			ret = width_check(devs[k], &r);
	}
	if (ret == 0)
		ret = bond_check(cid, &r);
	/* One address space for the whole container: populate it once,
	 * through the first device's backend (the devices share one). */
	if (ret == 0)
		ret = populate(rte_sva_pmd_get_dev(devs[0]), &r, &mm);
	for (int k = 0; k < n && ret == 0; k++)
		ret = dev_fill(rte_sva_pmd_get_dev(devs[k]), mm, &r);
	return ret;
}

/* Public entry points (rte_sva_ctrl.h): they change device state (its
 * translation cache) and the address space, so a fork() child may not. */
SVA_CTRL_CHANGE(rte_sva_advise,
	(int16_t dev_id, uint32_t pasid, const void *addr, size_t len, uint32_t flags),
	(dev_id, pasid, addr, len, flags))
SVA_CTRL_CHANGE(rte_sva_container_advise,
	(int cid, uint32_t pasid, const void *addr, size_t len, uint32_t flags),
	(cid, pasid, addr, len, flags))
