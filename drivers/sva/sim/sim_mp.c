/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim device in DPDK multi-process (primary/secondary). The vdev bus of
 * a secondary probes every vdev of the primary (and its own --vdev ones);
 * a probe that made a device of its own would give the secondary a private
 * device that merely shares the primary's name, with its own engines and
 * PASID table, and nothing the application sees would say so. So the
 * probe of a secondary never builds a device: it attaches to the primary's
 * or fails, saying why.
 */

#include <errno.h>

#include <bus_vdev_driver.h>
#include <rte_eal.h>

#include "sim_private.h"

int
sim_mp_probe_secondary(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);

	SIM_LOG(ERR, "%s: probe refused in a secondary process: attaching to the primary's device is not supported, and a private device of the same name would not be the primary's",
		name);
	return -ENOTSUP;
}
