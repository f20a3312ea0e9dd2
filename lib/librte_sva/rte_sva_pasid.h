/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_PASID_H
#define RTE_SVA_PASID_H

/* Library-internal: the system-wide PASID allocator (rte_sva_pasid.c). */

#include <stdbool.h>
#include <stdint.h>

#include "rte_sva_ctrl.h"

/* Allocate a PASID <= limit within the configured range.
 * @return 0; -ENOSPC; other <0 (lock file). */
int sva_pasid_alloc(uint32_t limit, uint32_t *pasid);
void sva_pasid_free(uint32_t pasid);

/* True if pasid is bound to this process's own address space. */
bool sva_pasid_is_self(uint32_t pasid);
/* Resolve a page request on the foreign bond holding pasid: fault the page
 * at page (and up to around more) in with perm. RTE_SVA_PAGE_RESP_*. */
int sva_foreign_page_resolve(uint32_t pasid, uint64_t page, uint32_t perm,
			     uint32_t around);

/* Library-internal (rte_sva_fp_stub.c): point a fast-path object at the
 * functions of an empty slot (each logs and fails). */
struct rte_sva_fp_object;
void sva_fp_obj_reset(struct rte_sva_fp_object *obj);

#endif
