/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The fast-path functions of a device slot that holds no probed device:
 * each logs and fails, so that the inline functions of rte_sva_fp.h never
 * test for NULL.
 */

#include <errno.h>
#include <stdbool.h>

#include <rte_common.h>

#include "rte_sva.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

/* Unused slots point here, so the inline functions never test for NULL. */
static int
dummy_copy(void *p, uint16_t q, uint32_t pasid, const void *s, void *d,
	   uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(s);
	RTE_SET_USED(d); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "copy on a device that is not probed");
	return -EINVAL;
}

static int
dummy_fill(void *p, uint16_t q, uint32_t pasid, uint64_t pat, void *d,
	   uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(pat);
	RTE_SET_USED(d); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "fill on a device that is not probed");
	return -EINVAL;
}

static int
dummy_compare(void *p, uint16_t q, uint32_t pasid, const void *a,
	      const void *b, uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(a);
	RTE_SET_USED(b); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "compare on a device that is not probed");
	return -EINVAL;
}

static int
dummy_compare_pattern(void *p, uint16_t q, uint32_t pasid, const void *s,
		      uint64_t pat, uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(s);
	RTE_SET_USED(pat); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "compare_pattern on a device that is not probed");
	return -EINVAL;
}

static int
dummy_crc32c(void *p, uint16_t q, uint32_t pasid, const void *s,
	     uint32_t seed, uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(s);
	RTE_SET_USED(seed); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "crc32c on a device that is not probed");
	return -EINVAL;
}

static int
dummy_copy_crc32c(void *p, uint16_t q, uint32_t pasid, const void *s,
		  void *d, uint32_t seed, uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(s);
	RTE_SET_USED(d); RTE_SET_USED(seed); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "copy_crc32c on a device that is not probed");
	return -EINVAL;
}

static int
dummy_dualcast(void *p, uint16_t q, uint32_t pasid, const void *s, void *d1,
	       void *d2, uint32_t len, uint64_t fl)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(pasid); RTE_SET_USED(s);
	RTE_SET_USED(d1); RTE_SET_USED(d2); RTE_SET_USED(len); RTE_SET_USED(fl);
	RTE_SVA_LOG(ERR, "dualcast on a device that is not probed");
	return -EINVAL;
}

static int
dummy_submit(void *p, uint16_t q)
{
	RTE_SET_USED(p); RTE_SET_USED(q);
	RTE_SVA_LOG(ERR, "submit on a device that is not probed");
	return -EINVAL;
}

static uint16_t
dummy_completed(void *p, uint16_t q, uint16_t n, uint16_t *last, bool *err)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(n); RTE_SET_USED(last);
	RTE_SET_USED(err);
	RTE_SVA_LOG(ERR, "completed on a device that is not probed");
	return 0;
}

static uint16_t
dummy_completed_status(void *p, uint16_t q, uint16_t n, uint16_t *last,
		       uint16_t *st)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(n); RTE_SET_USED(last);
	RTE_SET_USED(st);
	RTE_SVA_LOG(ERR, "completed_status on a device that is not probed");
	return 0;
}

static uint16_t
dummy_completed_results(void *p, uint16_t q, uint16_t n, uint16_t *last,
			struct rte_sva_result *res)
{
	RTE_SET_USED(p); RTE_SET_USED(q); RTE_SET_USED(n); RTE_SET_USED(last);
	RTE_SET_USED(res);
	RTE_SVA_LOG(ERR, "completed_results on a device that is not probed");
	return 0;
}

static uint16_t
dummy_burst_capacity(const void *p, uint16_t q)
{
	RTE_SET_USED(p); RTE_SET_USED(q);
	RTE_SVA_LOG(ERR, "burst_capacity on a device that is not probed");
	return 0;
}

void
sva_fp_obj_reset(struct rte_sva_fp_object *obj)
{
	*obj = (struct rte_sva_fp_object) {
		.dev_private = NULL,
		.copy = dummy_copy,
		.fill = dummy_fill,
		.compare = dummy_compare,
		.compare_pattern = dummy_compare_pattern,
		.crc32c = dummy_crc32c,
		.copy_crc32c = dummy_copy_crc32c,
		.dualcast = dummy_dualcast,
		.submit = dummy_submit,
		.completed = dummy_completed,
		.completed_status = dummy_completed_status,
		.completed_results = dummy_completed_results,
		.burst_capacity = dummy_burst_capacity,
	};
}
