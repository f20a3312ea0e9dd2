/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_SIM_EXEC_H
#define SVA_SIM_EXEC_H

/*
 * Executing operations on our own memory, shared by the engine
 * (sim_engine.c: copies, the common case, stay next to the dispatch) and
 * the other operations (sim_ops.c). Every function here runs armed: a
 * fault jumps back to the engine, which finds the progress recorded
 * before the chunk that faulted (sim_progress()).
 */

#include <string.h>

#include <rte_memcpy.h>

#include "sim_private.h"

/* Under ASan/TSan, libc memcpy is used: instrumented inline SIMD copies
 * would check shadow memory of addresses the "device" may legitimately find
 * unmapped. */
#ifdef SVA_SIM_SANITIZED
#define sim_copy_bytes(d, s, n) memcpy((d), (s), (n))
#else
/* Small copies inline (no call); larger ones through libc, whose copy is
 * picked at run time for this CPU (AVX2/AVX-512/ERMS) while rte_memcpy is
 * fixed at DPDK's build baseline. */
#define sim_copy_bytes(d, s, n) \
	((n) <= 128 ? (void)rte_memcpy((d), (s), (n)) : (void)memcpy((d), (s), (n)))
#endif

/* Functions that touch operation buffers do what a device does: any
 * address, NULL included; a fault is the expected outcome, not UB. */
#define SIM_DEVICE_ACCESS __attribute__((no_sanitize("undefined")))

#define SIM_FAST_CHUNK 65536u

/* Bytes from a to the end of its chunk: a page once the engine needs the
 * exact progress (a re-run after a fault, overlapping copies), else a
 * larger block. */
static __rte_always_inline uint32_t
sim_to_chunk_end(const struct sim_engine *e, uintptr_t a)
{
	uint32_t c = e->precise ? SIM_PAGE_SIZE : SIM_FAST_CHUNK;

	return c - (uint32_t)(a & (c - 1));
}

/* Record the bytes done before the next chunk, where a fault finds them. */
static __rte_always_inline void
sim_progress(struct sim_engine *e, uint32_t done)
{
	e->progress = done;
	rte_compiler_barrier();
}

/* Whether [a, a + len) and [b, b + len) share a byte. Distances, not
 * ends, so ranges near the top of the address space do not wrap. */
static __rte_always_inline bool
sim_overlap(uint64_t a, uint64_t b, uint32_t len)
{
	return a - b < len || b - a < len;
}

/* sim_exec.c: run the descriptors of dedicated queue q from head up to
 * tail, at most max of them, in order, publishing the engine's index
 * (eng_head) after each; the number run. The engine loop's inner part
 * (sim_engine.c sets e->cur_dq first), here so that the common case of
 * each descriptor (sim_exec_fast()) is inline in it. A fault in one
 * leaves through the guard: sim_exec_fault() ends that descriptor and the
 * engine loop counts it. */
unsigned int sim_exec_dq(struct sim_engine *e, struct sim_queue *q,
			 uint16_t head, uint16_t tail, unsigned int max);

/* sim_ops.c: one operation each, on our own memory. Buffer checks (overlap,
 * dualcast alignment) were done at validation, before any access. */
void sim_exec_fill(struct sim_engine *e, const struct dsa_desc *d);
void sim_exec_compare(struct sim_engine *e, const struct dsa_desc *d,
		      struct sim_outcome *o);
void sim_exec_compval(struct sim_engine *e, const struct dsa_desc *d,
		      struct sim_outcome *o);
void sim_exec_crc(struct sim_engine *e, const struct dsa_desc *d,
		  struct sim_outcome *o, bool copy);
void sim_exec_dualcast(struct sim_engine *e, const struct dsa_desc *d);

#endif /* SVA_SIM_EXEC_H */
