/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The IOMMU-side ops of an SVA device backed by an iommufd context, and a
 * device with those ops only (no work queues): sva_iommufd.h. */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "sva_iommufd_priv.h"
#include "sw_iommu.h"

static struct sva_iommufd *
ctx_of(const struct rte_sva_dev *dev)
{
	return *(struct sva_iommufd *const *)dev->dev_private;
}

static int
op_info(const struct rte_sva_dev *dev, struct rte_sva_info *info)
{
	const struct sva_iommufd *ctx = ctx_of(dev);

	memset(info, 0, sizeof(*info));
	info->dev_capa = RTE_SVA_CAPA_PAGE_REQUEST;
	info->pasid_bits = ctx->max_pasid_log2 != 0 ? ctx->max_pasid_log2 : 20;
	info->addr_width = 48;
	info->numa_node = SOCKET_ID_ANY;
	return 0;
}

static int
op_close(struct rte_sva_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static int
op_pasid_attach(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm)
{
	struct sva_iommufd *ctx = ctx_of(dev);

	/* The kernel reaches our own address space (IOVA == VA, mapped on
	 * demand); another process's would need its own context. */
	if (mm != NULL && !mm->self) {
		RTE_SVA_LOG(ERR, "%s: iommufd binds this process only", dev->name);
		return -ENOTSUP;
	}
	return sva_iommufd_pasid_attach(ctx, pasid);
}

static int
op_pasid_detach(struct rte_sva_dev *dev, uint32_t pasid)
{
	return sva_iommufd_pasid_detach(ctx_of(dev), pasid);
}

static int
op_capability(const struct rte_sva_dev *dev, struct rte_sva_capability *cap)
{
	/* The library filled the widths from dev_info; the kernel
	 * invalidates on unmap (no software invalidation). */
	RTE_SET_USED(dev);
	cap->flags |= RTE_SVA_IOMMU_CAP_PAGE_REQUEST;
	return 0;
}

static int
op_resp_burst(struct rte_sva_dev *dev, const struct rte_sva_page_response *r, uint16_t n)
{
	return sva_iommufd_page_response_burst(ctx_of(dev), dev, r, n);
}

/* The op's contract: a stale response is dropped and counted, not an error. */
static int
op_resp(struct rte_sva_dev *dev, const struct rte_sva_page_response *r)
{
	int ret = op_resp_burst(dev, r, 1);

	return ret == 1 ? 0 : (ret < 0 ? ret : -EIO);
}

const struct rte_sva_dev_ops sva_iommufd_dev_ops = {
	.dev_info_get = op_info,
	.dev_close = op_close,
	.pasid_attach = op_pasid_attach,
	.pasid_detach = op_pasid_detach,
	.capability_get = op_capability,
	.page_response = op_resp,
	.page_response_burst = op_resp_burst,
};

struct rte_sva_dev *
sva_iommufd_dev_create(struct sva_iommufd *ctx, const char *name, uint32_t fq_entries)
{
	struct rte_sva_dev *dev;
	int ret;

	if (ctx == NULL || ctx->fault_fd < 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	dev = rte_sva_pmd_allocate(name, SOCKET_ID_ANY, sizeof(struct sva_iommufd *));
	if (dev == NULL)
		return NULL;
	*(struct sva_iommufd **)dev->dev_private = ctx;
	dev->dev_ops = &sva_iommufd_dev_ops;
	/* The kernel attaches the PASID we choose (from the software
	 * allocator); page requests of our own mm are resolved by touch. */
	dev->backend = &sw_iommu_backend;
	ret = rte_sva_pmd_fault_queue_create(dev, fq_entries);
	if (ret < 0) {
		rte_sva_pmd_release(dev);
		rte_errno = -ret;
		return NULL;
	}
	rte_sva_pmd_probing_finish(dev);
	return dev;
}
