/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 *
 * Test fixture for buildtools/sva-pmdinfogen.py (never loaded): a vdev
 * driver whose parameter string is registered in another object
 * (pmdinfo_fixture_params.c), and one with no parameters at all.
 */
#include <rte_common.h>
#include <bus_vdev_driver.h>

static int
fixture_vdev_probe(struct rte_vdev_device *dev __rte_unused)
{
	return -1;
}

static struct rte_vdev_driver fixture_vdev_driver = {
	.probe = fixture_vdev_probe,
};

static struct rte_vdev_driver fixture_bare_driver = {
	.probe = fixture_vdev_probe,
};

RTE_PMD_REGISTER_VDEV(sva_fixture_vdev, fixture_vdev_driver);
RTE_PMD_REGISTER_VDEV(sva_fixture_bare, fixture_bare_driver);
