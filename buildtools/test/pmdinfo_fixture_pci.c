/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 *
 * Test fixture for buildtools/sva-pmdinfogen.py (never loaded): a PCI driver
 * with an id table, kernel module dependencies and a parameter string that
 * needs escaping in C and JSON, registered with DPDK's own macros.
 */
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_pci.h>
#include <bus_pci_driver.h>

static const struct rte_pci_id fixture_pci_map[] = {
	{ RTE_PCI_DEVICE(0x8086, 0x0b25) },
	{ RTE_PCI_DEVICE(0x8086, 0x11fb) },
	{
		.class_id = RTE_CLASS_ANY_ID,
		.vendor_id = 0x1af4,
		.device_id = 0x1041,
		.subsystem_vendor_id = 0x1af4,
		.subsystem_device_id = 0x0001,
	},
	{ .vendor_id = 0, /* sentinel */ },
};

static int
fixture_pci_probe(struct rte_pci_driver *drv __rte_unused,
		  struct rte_pci_device *dev __rte_unused)
{
	return -1;
}

static int
fixture_pci_remove(struct rte_pci_device *dev __rte_unused)
{
	return 0;
}

static struct rte_pci_driver fixture_pci_driver = {
	.id_table = fixture_pci_map,
	.probe = fixture_pci_probe,
	.remove = fixture_pci_remove,
};

RTE_PMD_REGISTER_PCI(sva_fixture_pci, fixture_pci_driver);
RTE_PMD_REGISTER_PCI_TABLE(sva_fixture_pci, fixture_pci_map);
RTE_PMD_REGISTER_KMOD_DEP(sva_fixture_pci, "* vfio-pci | igb_uio");
RTE_PMD_REGISTER_PARAM_STRING(sva_fixture_pci,
	"wq=<0-7> label=\"<text>\" path=<dir\\file> q=<?\?=> "
	"tab=<\t>");
