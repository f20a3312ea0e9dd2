/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* A fake fault device for the fault-path suites (fault_edge,
 * fault_edge_iommufd): a device of the library's driver interface whose
 * ops only record the page responses they get, with a fault queue the
 * tests fill by hand (rte_sva_pmd_fault_report()). */

#define ALLOW_INTERNAL_API 1

#include <limits.h>
#include <sys/mman.h>

#include <rte_cycles.h>
#include <rte_sva_fault.h>
#include <rte_sva_pmd.h>
#include <sw_iommu.h>

#include "test_fault_edge.h"

struct test_fk fk;

static int
fk_info(const struct rte_sva_dev *d, struct rte_sva_info *i)
{
	RTE_SET_USED(d);
	i->max_queues = 1;
	i->max_wqs = 1;
	i->min_desc = 32;
	i->max_desc = 1024;
	i->dev_capa = RTE_SVA_CAPA_DEDICATED_QUEUE | RTE_SVA_CAPA_PAGE_REQUEST;
	i->pasid_bits = 20;
	return 0;
}

static int fk_cfg(struct rte_sva_dev *d, const struct rte_sva_conf *c)
{ RTE_SET_USED(d); RTE_SET_USED(c); return 0; }
static int fk_qs(struct rte_sva_dev *d, uint16_t q, const struct rte_sva_queue_conf *c)
{ RTE_SET_USED(d); RTE_SET_USED(q); RTE_SET_USED(c); return 0; }
static int fk_start(struct rte_sva_dev *d) { RTE_SET_USED(d); return 0; }
static int fk_stop(struct rte_sva_dev *d) { RTE_SET_USED(d); return fk.stop_ret; }

int
fk_close(struct rte_sva_dev *d)
{
	RTE_SET_USED(d);
	return fk.close_ret;
}

int
fk_resp(struct rte_sva_dev *d, const struct rte_sva_page_response *r)
{
	RTE_SET_USED(d);
	if (fk.nb < RTE_DIM(fk.r))
		fk.r[fk.nb++] = *r;
	return fk.resp_ret;
}

static int
fk_burst(struct rte_sva_dev *d, const struct rte_sva_page_response *r, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		fk_resp(d, &r[i]);
	return fk.burst_ret == INT_MIN ? n : fk.burst_ret;
}

const struct rte_sva_dev_ops fk_ops = {
	.dev_info_get = fk_info, .dev_configure = fk_cfg, .queue_setup = fk_qs,
	.dev_start = fk_start, .dev_stop = fk_stop, .dev_close = fk_close,
	.page_response = fk_resp,
};

const struct rte_sva_dev_ops fk_burst_ops = {
	.dev_info_get = fk_info, .dev_configure = fk_cfg, .queue_setup = fk_qs,
	.dev_start = fk_start, .dev_stop = fk_stop, .dev_close = fk_close,
	.page_response = fk_resp, .page_response_burst = fk_burst,
};

static int
fk_attach(struct rte_sva_dev *d, uint32_t pasid, struct rte_sva_mm *mm)
{
	RTE_SET_USED(d); RTE_SET_USED(pasid); RTE_SET_USED(mm);
	return 0;
}

static int
fk_detach(struct rte_sva_dev *d, uint32_t pasid)
{
	RTE_SET_USED(d); RTE_SET_USED(pasid);
	return 0;
}

/* With a PASID table: a device a container can bind. */
const struct rte_sva_dev_ops fk_bond_ops = {
	.dev_info_get = fk_info, .dev_configure = fk_cfg, .queue_setup = fk_qs,
	.dev_start = fk_start, .dev_stop = fk_stop, .dev_close = fk_close,
	.page_response = fk_resp, .pasid_attach = fk_attach, .pasid_detach = fk_detach,
};

struct rte_sva_dev *
fk_up(const char *name, const struct rte_sva_dev_ops *ops, uint32_t fq_size)
{
	struct rte_sva_dev *dev = rte_sva_pmd_allocate(name, SOCKET_ID_ANY, 64);

	memset(&fk, 0, sizeof(fk));
	fk.burst_ret = INT_MIN;
	if (dev == NULL)
		return NULL;
	dev->dev_ops = ops;
	dev->backend = &sw_iommu_backend;   /* PASIDs and page resolves: software */
	if (rte_sva_pmd_fault_queue_create(dev, fq_size) != 0) {
		rte_sva_pmd_release(dev);
		return NULL;
	}
	rte_sva_pmd_probing_finish(dev);
	return dev;
}

void
fk_down(struct rte_sva_dev *dev)
{
	fk.stop_ret = fk.close_ret = 0;
	if (dev != NULL)
		rte_sva_pmd_release(dev);
}

int
fk_raise(struct rte_sva_dev *dev, uint32_t pasid, uint32_t grpid, uint64_t addr,
	 uint32_t cookie, bool last)
{
	struct rte_sva_fault f = {
		.type = RTE_SVA_FAULT_PAGE_REQ,
		.flags = RTE_SVA_FAULT_F_PASID_VALID | (last ? RTE_SVA_FAULT_F_LAST_PAGE : 0),
		.pasid = pasid, .grpid = grpid, .perm = RTE_SVA_PERM_READ,
		.addr = addr, .cookie = cookie, .dev_id = dev->dev_id, .tsc = rte_rdtsc(),
	};

	return rte_sva_pmd_fault_report(dev, &f);
}


/* Two pages of ours a handler judges without touching them (no signal,
 * for TSan): the first INVALID, the second SUCCESS. */
static uint8_t *judged;
uint64_t bad_pg, good_pg;

int
judge(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	return f->addr == bad_pg ? RTE_SVA_PAGE_RESP_INVALID : RTE_SVA_PAGE_RESP_SUCCESS;
}

int
pages_up(void)
{
	judged = fresh(2);
	TEST_ASSERT(judged != NULL, "mmap");
	bad_pg = (uintptr_t)judged;
	good_pg = bad_pg + PG;
	TEST_ASSERT_EQ(rte_sva_fault_handler_register(bad_pg, 2 * PG, judge, NULL), 0,
		       "handler");
	return TEST_OK;
}

void
pages_down(void)
{
	rte_sva_fault_handler_unregister(bad_pg);
	munmap(judged, 2 * PG);
}
