/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 *
 * Test fixture: the parameter string of sva_fixture_vdev, registered apart
 * from the driver (pmdinfo_fixture_vdev.c).
 */
#include <dev_driver.h>  /* RTE_PMD_REGISTER_PARAM_STRING (rte_dev.h before 25.11) */

RTE_PMD_REGISTER_PARAM_STRING(sva_fixture_vdev, "size=<int> mode=<a|b>");
