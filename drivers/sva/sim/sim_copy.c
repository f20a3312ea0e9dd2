/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim engine's forward copy (sim_copy.h says why it has its own).
 * Compiled for AVX2 with a target attribute: DPDK's x86 build baseline
 * has no AVX2, so the function is only called once the CPU is known to
 * have it.
 */

#include <stdint.h>

#include <rte_common.h>

#include "sim_copy.h"

bool sim_copy_have_avx2;

RTE_INIT(sim_copy_init)
{
#if defined(RTE_ARCH_X86) && !defined(SVA_SIM_SANITIZED)
	__builtin_cpu_init();
	sim_copy_have_avx2 = __builtin_cpu_supports("avx2");
#endif
}

#if defined(RTE_ARCH_X86)
#include <immintrin.h>

/* Operation buffers: any address (a fault is the device's outcome). */
__attribute__((target("avx2"), no_sanitize("undefined")))
void
sim_copy_avx2(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	/* The first 32 bytes unaligned, then from the first 32-byte boundary
	 * of the destination on with aligned stores (the bytes in between
	 * written twice, in order), four vectors a step. */
	size_t k = 32 - ((uintptr_t)d & 31);

	_mm256_storeu_si256((__m256i *)d, _mm256_loadu_si256((const __m256i *)s));
	for (; k + 128 <= n; k += 128) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(s + k));
		__m256i b = _mm256_loadu_si256((const __m256i *)(s + k + 32));
		__m256i c = _mm256_loadu_si256((const __m256i *)(s + k + 64));
		__m256i e = _mm256_loadu_si256((const __m256i *)(s + k + 96));

		_mm256_store_si256((__m256i *)(d + k), a);
		_mm256_store_si256((__m256i *)(d + k + 32), b);
		_mm256_store_si256((__m256i *)(d + k + 64), c);
		_mm256_store_si256((__m256i *)(d + k + 96), e);
	}
	for (; k + 32 <= n; k += 32)
		_mm256_store_si256((__m256i *)(d + k),
				   _mm256_loadu_si256((const __m256i *)(s + k)));
	/* The last 32 bytes, unaligned: ends the copy exactly. */
	if (k < n)
		_mm256_storeu_si256((__m256i *)(d + n - 32),
				    _mm256_loadu_si256((const __m256i *)(s + n - 32)));
}
#else
void
sim_copy_avx2(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
}
#endif
