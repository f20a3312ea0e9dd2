/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/*
 * --vdev=sva_iommufd0,bdf=DDDD:BB:SS.F[,container=FD]: a diagnostic probe.
 * It reports which kernel backend (iommufd, the seeds' VFIO ioctls, none)
 * can serve the device and why, then declines: the fast path belongs to a
 * device PMD, which uses the internal API of sva_iommufd.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_kvargs.h>

#include "sva_iommufd.h"

static int
get_str(const char *key, const char *value, void *opaque)
{
	RTE_SET_USED(key);
	snprintf(opaque, 64, "%s", value);
	return 0;
}

static int
iommufd_vdev_probe(struct rte_vdev_device *vdev)
{
	static const char *const keys[] = { "bdf", NULL };
	const char *args = rte_vdev_device_args(vdev);
	struct rte_kvargs *kv = NULL;
	char bdf[64] = "", why[2 * SVA_IOMMUFD_ERR_LEN];
	enum sva_kbackend b;

	if (args != NULL && args[0] != '\0') {
		kv = rte_kvargs_parse(args, keys);
		if (kv == NULL) {
			RTE_SVA_LOG(ERR, "%s: bad devargs '%s'",
				    rte_vdev_device_name(vdev), args);
			return -EINVAL;
		}
		rte_kvargs_process(kv, "bdf", get_str, bdf);
		rte_kvargs_free(kv);
	}
	if (bdf[0] == '\0') {
		RTE_SVA_LOG(ERR, "%s: needs bdf=DDDD:BB:SS.F", rte_vdev_device_name(vdev));
		return -EINVAL;
	}
	b = sva_kbackend_probe(bdf, -1, why, sizeof(why));
	if (b == SVA_KBACKEND_IOMMUFD)
		RTE_SVA_LOG(NOTICE, "%s: iommufd backend usable (fault queue, PASID "
			    "attach); a device PMD provides the fast path", bdf);
	else
		RTE_SVA_LOG(ERR, "%s: no kernel SVA backend: %s", bdf, why);
	return -ENOTSUP;
}

static int
iommufd_vdev_remove(struct rte_vdev_device *vdev)
{
	RTE_SET_USED(vdev);
	return 0;
}

static struct rte_vdev_driver iommufd_vdev_driver = {
	.probe = iommufd_vdev_probe,
	.remove = iommufd_vdev_remove,
};

RTE_PMD_REGISTER_VDEV(sva_iommufd, iommufd_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(sva_iommufd, "bdf=<DDDD:BB:SS.F>");
RTE_PMD_REGISTER_KMOD_DEP(sva_iommufd, "vfio-pci iommufd");
