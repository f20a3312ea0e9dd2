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

#include <rte_branch_prediction.h>
#include <rte_memcpy.h>

#include "sim_copy.h"
#include "sim_private.h"

/* Functions that touch operation buffers do what a device does: any
 * address, NULL included; a fault is the expected outcome, not UB. */
#define SIM_DEVICE_ACCESS __attribute__((no_sanitize("undefined")))

/* Touch the first byte of each piece of a copy that lies within one page
 * of either side, in ascending order: read the source's and write it to
 * the destination (the byte the copy writes there anyway). One memcpy()
 * over several pages may write a later page before it faults on an
 * earlier one: glibc picks the direction per call and copies some forward
 * copies from the end (571 bytes from page offset 0xda0 to 0xe90 in glibc
 * 2.36, 5023 from 0xb70 to 0xc64 in 2.43), and the engine's re-run in page
 * chunks after a fault cannot take back bytes past the page that faulted.
 * After the touches, a page the copy cannot access has faulted here with
 * nothing past it written. (A page the process makes inaccessible between
 * the touch and the copy is left, as for a device with a cached
 * translation: it may leave bytes past the fault written.) Not
 * instrumented by ASan/TSan either, for the reason libc's memcpy is used
 * below. */
static inline SIM_DEVICE_ACCESS __attribute__((no_sanitize("address", "thread"))) void
sim_copy_touch(uintptr_t d, uintptr_t s, uint32_t n)
{
	uint32_t k = 0;

	while (k < n) {
		*(volatile uint8_t *)(d + k) = *(const volatile uint8_t *)(s + k);
		k += RTE_MIN(SIM_PAGE_SIZE - (uint32_t)((d + k) & (SIM_PAGE_SIZE - 1)),
			     SIM_PAGE_SIZE - (uint32_t)((s + k) & (SIM_PAGE_SIZE - 1)));
	}
	rte_compiler_barrier();
}

/* Copy n bytes (not overlapping) for the device. Over 128 bytes on a CPU
 * with AVX2: the engine's own forward copy (sim_copy.h, picked at run time
 * for this CPU, while rte_memcpy is fixed at DPDK's build baseline), in
 * one pass whatever the pages, as it is strictly ascending. Else a copy
 * within one page each side at once, one across pages after
 * sim_copy_touch(): small ones inline (no call), larger ones through
 * libc's memcpy. Under ASan/TSan, libc memcpy always: instrumented inline
 * SIMD copies would check shadow memory of addresses the "device" may
 * legitimately find unmapped. */
static __rte_always_inline SIM_DEVICE_ACCESS void
sim_copy_bytes(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	/* The test the callers of a copy within one page made already
	 * (sim_exec_fast_data()), in the same form: it folds away there. */
	const bool pages = (((s ^ (s + n - 1)) | (d ^ (d + n - 1))) >> 12) != 0;

#ifndef SVA_SIM_SANITIZED
	/* The engine's own pass is strictly ascending: no touches needed
	 * (they cost 64 KiB copies about 10% of their bandwidth). */
	if (n > 128 && likely(sim_copy_have_avx2)) {
		sim_copy_avx2(dst, src, n);
		return;
	}
#endif
	if (unlikely(pages))
		sim_copy_touch(d, s, (uint32_t)n);
#ifdef SVA_SIM_SANITIZED
	memcpy(dst, src, n);
#else
	if (n <= 128)
		rte_memcpy(dst, src, n);
	else
		memcpy(dst, src, n);
#endif
}

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
