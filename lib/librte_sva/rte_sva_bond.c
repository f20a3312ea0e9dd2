/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Containers and bonds (mm <-> PASID) across the devices of a container.
 * Where a bond's PASID comes from and how its address space is reached is
 * the business of the devices' backend (rte_sva_pmd.h); this file keeps the
 * rules every backend shares: one PASID per address space and container,
 * references, replay onto added devices, the unbind order.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_ctrl.h"
#include "rte_sva_iommu.h"
#include "rte_sva_lifecycle.h"
#include "rte_sva_pmd.h"
#include "sva_internal.h"

struct sva_bond {
	struct rte_sva_mm *mm;    /* NULL: slot free; stable while bound */
	uint32_t pasid;
	uint32_t refs;
};

struct sva_container {
	bool used;
	uint16_t nb_devs;
	int16_t devs[RTE_SVA_MAX_DEVS];
	struct sva_bond bonds[SVA_MAX_BONDS];
};

static struct sva_container containers[RTE_SVA_MAX_CONTAINERS];
/* Container of each device, plus one (0 = none). */
static uint8_t dev_container[RTE_SVA_MAX_DEVS];
/* The range PASIDs are allocated from, for backends that allocate them. */
static uint32_t pasid_min = 1;
static uint32_t pasid_max = RTE_BIT32(RTE_SVA_PASID_BITS_MAX) - 1;

static int
rte_sva_pasid_range_set_locked(uint32_t min, uint32_t max)
{
	if (min == 0 || min > max || max >= RTE_BIT32(RTE_SVA_PASID_BITS_MAX)) {
		RTE_SVA_LOG(ERR, "PASID range %u..%u invalid (want 1 <= min <= max < %u)",
			    min, max, RTE_BIT32(RTE_SVA_PASID_BITS_MAX));
		return -EINVAL;
	}
	pasid_min = min;
	pasid_max = max;
	return 0;
}

static bool
bond_kernel_pasid(const struct sva_bond *b)
{
	return (b->mm->backend->flags & RTE_SVA_BACKEND_F_KERNEL_PASID) != 0;
}

/* The backend of a container: its devices', or its bonds' when it has
 * none left; NULL when it has neither. */
static const struct rte_sva_backend *
container_backend(const struct sva_container *c)
{
	struct rte_sva_dev *dev;

	if (c->nb_devs > 0) {
		dev = rte_sva_pmd_get_dev(c->devs[0]);
		return dev != NULL ? dev->backend : NULL;
	}
	for (int i = 0; i < SVA_MAX_BONDS; i++)
		if (c->bonds[i].mm != NULL)
			return c->bonds[i].mm->backend;
	return NULL;
}

/* A backend's operations as the contract requires them. */
static bool
backend_complete(const struct rte_sva_backend *be)
{
	if (be->flags & RTE_SVA_BACKEND_F_KERNEL_PASID)
		return true;
	return be->pasid_alloc != NULL && be->pasid_free != NULL;
}

static struct sva_container *
container_get(int cid, const char *what)
{
	if (cid < 0 || cid >= RTE_SVA_MAX_CONTAINERS || !containers[cid].used) {
		RTE_SVA_LOG(ERR, "%s: invalid container id %d", what, cid);
		return NULL;
	}
	return &containers[cid];
}

static int
rte_sva_container_create_locked(void)
{
	for (int i = 0; i < RTE_SVA_MAX_CONTAINERS; i++) {
		if (!containers[i].used) {
			memset(&containers[i], 0, sizeof(containers[i]));
			containers[i].used = true;
			return i;
		}
	}
	RTE_SVA_LOG(ERR, "all %d containers are in use", RTE_SVA_MAX_CONTAINERS);
	return -ENOSPC;
}

static int
dev_attach(int16_t dev_id, struct sva_bond *b)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);

	if (dev == NULL)
		return -ENODEV;
	return dev->dev_ops->pasid_attach(dev, b->pasid, b->mm);
}

static void
dev_detach(int16_t dev_id, struct sva_bond *b)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev(dev_id);
	int ret;

	if (dev == NULL)
		return;  /* closed under us: its PASID table went with it */
	ret = dev->dev_ops->pasid_detach(dev, b->pasid);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "%s: detach of PASID %u failed: %s", dev->name,
			    b->pasid, strerror(-ret));
		return;
	}
	/* The device answered what it had pending of this PASID itself: what
	 * the worker holds of those groups must never merge with the groups
	 * of a later bond that gets the same PASID. */
	rte_sva_pmd_fault_discard(dev, b->pasid, RTE_SVA_FAULT_ANY);
}

static uint32_t
dev_pasid_limit(int16_t dev_id)
{
	struct rte_sva_info info;

	if (rte_sva_info_get(dev_id, &info) != 0)
		return 0;
	return (uint32_t)(RTE_BIT64(info.pasid_bits) - 1);
}

static int
rte_sva_container_add_dev_locked(int cid, int16_t dev_id)
{
	struct sva_container *c = container_get(cid, "add_dev");
	struct rte_sva_dev *dev;
	uint32_t limit;
	int ret = 0, i;

	if (c == NULL)
		return -EINVAL;
	dev = rte_sva_pmd_get_dev(dev_id);
	if (dev == NULL) {
		RTE_SVA_LOG(ERR, "add_dev: invalid dev_id %d", dev_id);
		return -EINVAL;
	}
	if (dev_container[dev_id] != 0) {
		RTE_SVA_LOG(ERR, "%s is already in container %d", dev->name,
			    dev_container[dev_id] - 1);
		return -EEXIST;
	}
	if (dev->dev_ops->pasid_attach == NULL ||
	    dev->dev_ops->pasid_detach == NULL) {
		RTE_SVA_LOG(ERR, "%s has no PASID table to bind into", dev->name);
		return -ENOTSUP;
	}
	if (dev->backend == NULL || !backend_complete(dev->backend)) {
		RTE_SVA_LOG(ERR, "%s: %s (its driver must name one before rte_sva_pmd_probing_finish())",
			    dev->name, dev->backend == NULL ? "no backend" :
			    "its backend lacks pasid_alloc/pasid_free");
		return -ENOTSUP;
	}
	if (container_backend(c) != NULL && container_backend(c) != dev->backend) {
		RTE_SVA_LOG(ERR, "%s: backend %s, but container %d is of backend %s: the devices of a container share their bonds' PASIDs and address spaces, so one backend",
			    dev->name, dev->backend->name, cid,
			    container_backend(c)->name);
		return -EXDEV;
	}
	limit = dev_pasid_limit(dev_id);
	/* Replay every live bond; undo all of them if one fails. */
	for (i = 0; i < SVA_MAX_BONDS; i++) {
		struct sva_bond *b = &c->bonds[i];

		if (b->mm == NULL)
			continue;
		if (b->pasid > limit) {
			RTE_SVA_LOG(ERR, "%s: PASID %u of a live bond exceeds its %u-bit PASIDs",
				    dev->name, b->pasid,
				    (unsigned int)__builtin_popcount(limit));
			ret = -ERANGE;
			break;
		}
		ret = dev_attach(dev_id, b);
		if (ret != 0) {
			RTE_SVA_LOG(ERR, "%s: replay of PASID %u failed: %s",
				    dev->name, b->pasid, strerror(-ret));
			break;
		}
	}
	if (ret != 0) {
		while (i-- > 0)
			if (c->bonds[i].mm != NULL)
				dev_detach(dev_id, &c->bonds[i]);
		return ret;
	}
	c->devs[c->nb_devs++] = dev_id;
	dev_container[dev_id] = (uint8_t)(cid + 1);
	return 0;
}

/* Take a device out of a container's list. @return false if absent. */
static bool
container_drop_dev(struct sva_container *c, int16_t dev_id)
{
	for (uint16_t k = 0; k < c->nb_devs; k++) {
		if (c->devs[k] == dev_id) {
			c->devs[k] = c->devs[--c->nb_devs];
			dev_container[dev_id] = 0;
			return true;
		}
	}
	return false;
}

static int
rte_sva_container_remove_dev_locked(int cid, int16_t dev_id)
{
	struct sva_container *c = container_get(cid, "remove_dev");

	if (c == NULL)
		return -EINVAL;
	if (dev_id < 0 || dev_id >= RTE_SVA_MAX_DEVS ||
	    dev_container[dev_id] != cid + 1) {
		RTE_SVA_LOG(ERR, "device %d is not in container %d", dev_id, cid);
		return -ENOENT;
	}
	for (int i = 0; i < SVA_MAX_BONDS; i++)
		if (c->bonds[i].mm != NULL)
			dev_detach(dev_id, &c->bonds[i]);
	container_drop_dev(c, dev_id);
	return 0;
}

static pid_t
normalize_pid(pid_t pid)
{
	return pid == 0 ? getpid() : pid;
}

static struct sva_bond *
bond_find(struct sva_container *c, pid_t pid)
{
	for (int i = 0; i < SVA_MAX_BONDS; i++)
		if (c->bonds[i].mm != NULL && c->bonds[i].mm->pid == pid)
			return &c->bonds[i];
	return NULL;
}

static int
rte_sva_bind_locked(int cid, pid_t pid, uint32_t *pasid)
{
	struct sva_container *c = container_get(cid, "bind");
	const struct rte_sva_backend *be;
	struct sva_bond *b = NULL;
	uint32_t limit = UINT32_MAX;
	struct rte_sva_mm *mm;
	int ret, k;

	if (c == NULL)
		return -EINVAL;
	if (pasid == NULL || pid < 0) {
		RTE_SVA_LOG(ERR, "bind: %s", pasid == NULL ? "NULL pasid" : "negative pid");
		return -EINVAL;
	}
	if (c->nb_devs == 0) {
		RTE_SVA_LOG(ERR, "bind: container %d has no device", cid);
		return -EINVAL;
	}
	pid = normalize_pid(pid);
	b = bond_find(c, pid);
	if (b != NULL && __atomic_load_n(&b->mm->defunct, __ATOMIC_ACQUIRE)) {
		RTE_SVA_LOG(ERR, "bind: the bond of pid %d is defunct (the process exited); unbind it first",
			    (int)pid);
		return -ESRCH;
	}
	if (b != NULL) {
		b->refs++;
		*pasid = b->pasid;
		return 0;
	}
	for (int i = 0; i < SVA_MAX_BONDS && b == NULL; i++)
		if (c->bonds[i].mm == NULL)
			b = &c->bonds[i];
	if (b == NULL) {
		RTE_SVA_LOG(ERR, "bind: container %d has %d bonds already", cid,
			    SVA_MAX_BONDS);
		return -ENOSPC;
	}
	be = container_backend(c);
	if (pid != getpid() && !(be->flags & RTE_SVA_BACKEND_F_FOREIGN)) {
		RTE_SVA_LOG(ERR, "bind: the devices of container %d (backend %s) reach only this process's address space (pid %d refused)",
			    cid, be->name, (int)pid);
		return -ENOTSUP;
	}
	ret = sva_mm_create(pid, be, &mm);
	if (ret != 0)
		return ret;
	for (k = 0; k < c->nb_devs; k++) {
		struct rte_sva_info info;

		if (rte_sva_info_get(c->devs[k], &info) != 0)
			continue;
		limit = RTE_MIN(limit, (uint32_t)(RTE_BIT64(info.pasid_bits) - 1));
		if (!mm->self && !(info.dev_capa & RTE_SVA_CAPA_FOREIGN_BIND)) {
			RTE_SVA_LOG(ERR, "bind: %s cannot reach another process's memory",
				    info.dev_name);
			ret = -ENOTSUP;
			goto free_mm;
		}
	}
	if (!mm->self) {
		ret = sva_monitor_add(mm);
		if (ret != 0)
			goto free_mm;
	}
	b->mm = mm;
	if (bond_kernel_pasid(b)) {
		b->pasid = RTE_SVA_PASID_KERNEL;
	} else {
		if (pasid_min > RTE_MIN(pasid_max, limit)) {
			RTE_SVA_LOG(ERR, "no PASID in range %u..%u for devices limited to %u",
				    pasid_min, pasid_max, limit);
			ret = -ENOSPC;
			goto unbond;
		}
		ret = be->pasid_alloc(mm, pasid_min, RTE_MIN(pasid_max, limit), &b->pasid);
		if (ret != 0)
			goto unbond;
		/* Before any device can raise a page request for it. */
		sva_mm_publish(b->pasid, mm);
	}
	for (k = 0; k < c->nb_devs; k++) {
		ret = dev_attach(c->devs[k], b);
		if (ret != 0) {
			RTE_SVA_LOG(ERR, "bind: attach of PASID %u to device %d failed: %s",
				    b->pasid, c->devs[k], strerror(-ret));
			goto detach;
		}
	}
	b->refs = 1;
	*pasid = b->pasid;
	return 0;

detach:
	while (k-- > 0)
		dev_detach(c->devs[k], b);
	if (!bond_kernel_pasid(b)) {
		sva_mm_unpublish(mm);
		be->pasid_free(mm, b->pasid);
	}
unbond:
	b->mm = NULL;
free_mm:
	sva_mm_free(mm);
	return ret;
}

static void
bond_release(struct sva_container *c, struct sva_bond *b)
{
	/* Detach refuses new descriptors, drains in-flight ones and flushes
	 * on every device before the PASID can go back to the pool. */
	for (uint16_t k = 0; k < c->nb_devs; k++)
		dev_detach(c->devs[k], b);
	if (!bond_kernel_pasid(b)) {
		sva_mm_unpublish(b->mm);
		b->mm->backend->pasid_free(b->mm, b->pasid);
	}
	sva_mm_free(b->mm);
	memset(b, 0, sizeof(*b));
}

static int
rte_sva_unbind_locked(int cid, pid_t pid)
{
	struct sva_container *c = container_get(cid, "unbind");
	struct sva_bond *b;

	if (c == NULL)
		return -EINVAL;
	if (pid < 0) {
		RTE_SVA_LOG(ERR, "unbind: negative pid");
		return -EINVAL;
	}
	b = bond_find(c, normalize_pid(pid));
	if (b == NULL) {
		RTE_SVA_LOG(ERR, "unbind: pid %d is not bound in container %d",
			    (int)normalize_pid(pid), cid);
		return -ENOENT;
	}
	if (--b->refs == 0)
		bond_release(c, b);
	return 0;
}

static int
rte_sva_container_destroy_locked(int cid)
{
	struct sva_container *c = container_get(cid, "destroy");

	if (c == NULL)
		return -EINVAL;
	for (int i = 0; i < SVA_MAX_BONDS; i++)
		if (c->bonds[i].mm != NULL)
			bond_release(c, &c->bonds[i]);
	while (c->nb_devs > 0)
		dev_container[c->devs[--c->nb_devs]] = 0;
	c->used = false;
	return 0;
}

static int
rte_sva_container_capability_get_locked(int cid, struct rte_sva_capability *cap)
{
	struct sva_container *c = container_get(cid, "capability_get");
	struct rte_sva_capability dc;
	int ret;

	if (c == NULL)
		return -EINVAL;
	if (cap == NULL || c->nb_devs == 0) {
		RTE_SVA_LOG(ERR, "capability_get: %s",
			    cap == NULL ? "NULL cap" : "empty container");
		return -EINVAL;
	}
	memset(cap, 0, sizeof(*cap));
	cap->flags = UINT64_MAX;
	cap->pasid_bits = UINT8_MAX;
	cap->addr_width = UINT8_MAX;
	for (uint16_t k = 0; k < c->nb_devs; k++) {
		ret = rte_sva_capability_get(c->devs[k], &dc);
		if (ret != 0)
			return ret;
		/* What every device can do; what any device needs. */
		cap->flags &= dc.flags & ~RTE_SVA_IOMMU_CAP_CACHE_INVLD;
		cap->inv_caches |= dc.inv_caches;
		cap->pasid_bits = RTE_MIN(cap->pasid_bits, dc.pasid_bits);
		cap->addr_width = RTE_MIN(cap->addr_width, dc.addr_width);
	}
	if (cap->inv_caches != 0)
		cap->flags |= RTE_SVA_IOMMU_CAP_CACHE_INVLD;
	return 0;
}

static int
rte_sva_container_cache_invalidate_locked(int cid, const struct rte_sva_cache_inv *inv)
{
	struct sva_container *c = container_get(cid, "cache_invalidate");
	int ret = 0;

	if (c == NULL)
		return -EINVAL;
	for (uint16_t k = 0; k < c->nb_devs && ret == 0; k++)
		ret = rte_sva_cache_invalidate(c->devs[k], inv);
	return ret;
}

/* Called by the device layer before a device goes away (close, release):
 * it leaves its container; its PASID table goes with it. */
static void
sva_container_dev_gone_locked(int16_t dev_id)
{
	struct sva_container *c;

	if (dev_id < 0 || dev_id >= RTE_SVA_MAX_DEVS || dev_container[dev_id] == 0)
		return;
	c = &containers[dev_container[dev_id] - 1];
	container_drop_dev(c, dev_id);
}

static bool
rte_sva_container_is_valid_locked(int cid)
{
	return cid >= 0 && cid < RTE_SVA_MAX_CONTAINERS && containers[cid].used;
}

static int
rte_sva_container_bonds_locked(int cid, struct rte_sva_bond_info *info,
			unsigned int max)
{
	struct sva_container *c = container_get(cid, "bonds");
	const int me = getpid();   /* not the bond's owner in a fork() child */
	unsigned int n = 0;

	if (c == NULL)
		return -EINVAL;
	if (info == NULL && max > 0) {
		RTE_SVA_LOG(ERR, "bonds: NULL info with max %u (pass max 0 to count)", max);
		return -EINVAL;
	}
	for (int i = 0; i < SVA_MAX_BONDS; i++) {
		const struct sva_bond *b = &c->bonds[i];

		if (b->mm == NULL)
			continue;
		if (n < max)
			info[n] = (struct rte_sva_bond_info){
				.pid = b->mm->pid, .pasid = b->pasid,
				.refs = b->refs,
				.self = b->mm->self && b->mm->pid == me,
				.defunct = (uint8_t)__atomic_load_n(&b->mm->defunct,
								    __ATOMIC_ACQUIRE),
				.kernel_pasid = bond_kernel_pasid(b),
			};
		n++;
	}
	return (int)n;
}

static int
rte_sva_dev_container_locked(int16_t dev_id)
{
	if (dev_id < 0 || dev_id >= RTE_SVA_MAX_DEVS ||
	    rte_sva_pmd_get_dev(dev_id) == NULL) {
		RTE_SVA_LOG(ERR, "dev_container: invalid device id %d", dev_id);
		return -EINVAL;
	}
	return dev_container[dev_id] == 0 ? -ENOENT : dev_container[dev_id] - 1;
}

static int
rte_sva_container_devs_locked(int cid, int16_t *devs, unsigned int max)
{
	struct sva_container *c = container_get(cid, "devs");

	if (c == NULL)
		return -EINVAL;
	if (devs == NULL && max > 0) {
		RTE_SVA_LOG(ERR, "devs: NULL devs with max %u (pass max 0 to count)", max);
		return -EINVAL;
	}
	for (unsigned int k = 0; k < c->nb_devs && k < max; k++)
		devs[k] = c->devs[k];
	return c->nb_devs;
}

/* Public entry points (rte_sva_ctrl.h): under the control lock, so a
 * reader on another thread (telemetry) never sees a bond being freed. */
SVA_CTRL_CHANGE(rte_sva_container_create, (void), ())
SVA_CTRL_CHANGE(rte_sva_container_add_dev, (int cid, int16_t dev_id), (cid, dev_id))
SVA_CTRL_CHANGE(rte_sva_container_remove_dev, (int cid, int16_t dev_id), (cid, dev_id))
SVA_CTRL_CHANGE(rte_sva_bind, (int cid, pid_t pid, uint32_t *pasid), (cid, pid, pasid))
SVA_CTRL_CHANGE(rte_sva_unbind, (int cid, pid_t pid), (cid, pid))
SVA_CTRL_CHANGE(rte_sva_container_destroy, (int cid), (cid))
SVA_CTRL_READ(int, rte_sva_container_capability_get,
	      (int cid, struct rte_sva_capability *cap), (cid, cap))
SVA_CTRL_READ(int, rte_sva_container_cache_invalidate,
	      (int cid, const struct rte_sva_cache_inv *inv), (cid, inv))
SVA_CTRL_READ(int, rte_sva_container_bonds,
	      (int cid, struct rte_sva_bond_info *info, unsigned int max), (cid, info, max))
SVA_CTRL_READ(int, rte_sva_container_devs, (int cid, int16_t *devs, unsigned int max),
	      (cid, devs, max))
SVA_CTRL_READ(bool, rte_sva_container_is_valid, (int cid), (cid))
SVA_CTRL_READ(int, rte_sva_dev_container, (int16_t dev_id), (dev_id))
SVA_CTRL_READ(int, rte_sva_pasid_range_set, (uint32_t min, uint32_t max), (min, max))

/* The device layer's notice (rte_sva_lifecycle.h): a closed device leaves
 * its container, before its fault queue goes. */
static void
container_lifecycle(struct rte_sva_dev *dev, enum sva_lifecycle_event ev)
{
	if (ev == SVA_LC_RELEASED)
		sva_container_dev_gone_locked(dev->dev_id);
}

static const struct sva_lifecycle_hook container_hook = {
	.name = "containers", .rank = SVA_LC_RANK_BONDS, .fn = container_lifecycle,
};

RTE_INIT(container_hook_init)
{
	sva_lifecycle_register(&container_hook);
}
