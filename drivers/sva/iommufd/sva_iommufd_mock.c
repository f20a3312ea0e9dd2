/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The backend on the kernel's iommufd test mock device (CONFIG_IOMMUFD_TEST):
 * the same IOAS, fault queue, hwpt and fault fd as for a PCI device; the
 * device bind and PASID attach go through IOMMU_TEST_CMD (sva_iommufd.h). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "sva_iommufd_priv.h"

static int
test_cmd(struct sva_iommufd *ctx, struct sva_iommufd_test_cmd *c)
{
	c->size = sizeof(*c);
	return sva_kioctl(ctx->iommufd, SVA_IOMMU_TEST_CMD, c);
}

int
sva_iommufd_open_mock(struct sva_iommufd *ctx)
{
	const char *r = getenv("SVA_DEV_ROOT");
	char path[512];
	int ret;

	ret = sva_iommufd_ctx_init(ctx, SVA_IOMMUFD_MOCK);
	if (ret < 0)
		return ret;
	snprintf(ctx->bdf, sizeof(ctx->bdf), "mock");
	snprintf(path, sizeof(path), "%s/iommu", r != NULL && r[0] != '\0' ? r : "/dev");
	ctx->iommufd = sva_kops->open(path, O_RDWR | O_CLOEXEC);
	if (ctx->iommufd < 0) {
		ret = errno;
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, ret,
			"%s: %s%s", path, strerror(ret),
			ret == ENOENT ? ": " SVA_MSG_NO_IOMMUFD : ""));
	}
	struct sva_iommufd_ioas_alloc ia = { .size = sizeof(ia) };
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_IOAS_ALLOC, &ia);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"IOMMU_IOAS_ALLOC: %s", strerror(-ret)));
	ctx->ioas_id = ia.out_ioas_id;

	struct sva_iommufd_test_cmd c = {
		.op = SVA_TEST_OP_MOCK_DOMAIN_FLAGS, .id = ctx->ioas_id,
		.mock_domain = { .dev_flags = SVA_MOCK_FLAGS_DEVICE_PASID },
	};
	ret = test_cmd(ctx, &c);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx,
			ret == -ENOTTY ? ENOTSUP : -ret,
			"IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS(PASID): %s%s", strerror(-ret),
			ret == -ENOTTY ? ": " SVA_MSG_NO_MOCK : ""));
	ctx->stdev_id = c.mock_domain.out_stdev_id;
	ctx->dev_id = c.mock_domain.out_idev_id;
	ret = sva_iommufd_fault_setup(ctx);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, ret);
	/* PASIDs attach only while the RID's hwpt is PASID-compatible. */
	struct sva_iommufd_hwpt_alloc ha = {
		.size = sizeof(ha), .flags = SVA_HWPT_ALLOC_PASID,
		.dev_id = ctx->dev_id, .pt_id = ctx->ioas_id,
	};
	ret = sva_kioctl(ctx->iommufd, SVA_IOMMU_HWPT_ALLOC, &ha);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"IOMMU_HWPT_ALLOC(PASID) for the RID: %s", strerror(-ret)));
	ctx->rid_hwpt_id = ha.out_hwpt_id;
	struct sva_iommufd_test_cmd rc = {
		.op = SVA_TEST_OP_MOCK_DOMAIN_REPLACE, .id = ctx->stdev_id,
		.mock_domain_replace = { .pt_id = ctx->rid_hwpt_id },
	};
	ret = test_cmd(ctx, &rc);
	if (ret < 0)
		return sva_iommufd_open_unwind(ctx, sva_iommufd_fail(ctx, -ret,
			"IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE: %s", strerror(-ret)));
	return 0;
}

int
sva_iommufd_mock_iopf(struct sva_iommufd *ctx, uint32_t pasid, uint32_t grpid,
		      uint32_t perm, uint64_t addr)
{
	struct sva_iommufd_test_cmd c = {
		.op = SVA_TEST_OP_TRIGGER_IOPF,
		.trigger_iopf = { .dev_id = ctx->dev_id, .pasid = pasid, .grpid = grpid,
				  .perm = perm, .addr = addr },
	};

	if (ctx->kind != SVA_IOMMUFD_MOCK || ctx->iommufd < 0)
		return -ENOTSUP;
	return test_cmd(ctx, &c);
}

int
sva_iommufd_mock_check_map(struct sva_iommufd *ctx, uint64_t iova, uint64_t len,
			   uint64_t uptr)
{
	struct sva_iommufd_test_cmd c = {
		.op = SVA_TEST_OP_MD_CHECK_MAP, .id = ctx->hwpt_id,
		.check_map = { .iova = iova, .length = len, .uptr = uptr },
	};

	if (ctx->kind != SVA_IOMMUFD_MOCK || ctx->iommufd < 0)
		return -ENOTSUP;
	return test_cmd(ctx, &c);
}

int
sva_iommufd_mock_check_pasid(struct sva_iommufd *ctx, uint32_t pasid, uint32_t hwpt_id)
{
	struct sva_iommufd_test_cmd c = {
		.op = SVA_TEST_OP_PASID_CHECK_HWPT, .id = ctx->stdev_id,
		.pasid_check = { .pasid = pasid, .hwpt_id = hwpt_id },
	};

	if (ctx->kind != SVA_IOMMUFD_MOCK || ctx->iommufd < 0)
		return -ENOTSUP;
	return test_cmd(ctx, &c);
}
