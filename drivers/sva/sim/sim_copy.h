/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_SIM_COPY_H
#define SVA_SIM_COPY_H

/*
 * The sim engine's own data mover for copies over 128 bytes: one forward
 * pass of 32-byte AVX2 loads and stores, on CPUs that have AVX2 (checked
 * once at load), else libc's memcpy.
 *
 * Why not libc's memcpy everywhere: on the development VM (AMD EPYC, AVX2,
 * no ERMS flag) glibc 2.36 copies 1 KiB and 4 KiB page-aligned buffers
 * over a 1 MiB working set at 37-42 GB/s, and this loop at 43-47: glibc
 * checks for 4 KiB aliasing of source and destination (two page-aligned
 * buffers always alias) and then copies from the end, or in its
 * four-vector loop with the checks around it. A device's copy is the
 * device's own; the CPU baseline the benchmark compares it with stays
 * libc's memcpy. The pass is also strictly ascending, as a device's is,
 * so a fault stops it with nothing past the faulting line written (the
 * touches of sim_copy_touch() still guard the libc path).
 */

#include <stddef.h>
#include <stdbool.h>
#include <string.h>

/* Set at load: this CPU has AVX2 (and the build can target it). */
extern bool sim_copy_have_avx2;

/* Copy n > 32 bytes, not overlapping, ascending (sim_copy.c). */
void sim_copy_avx2(void *dst, const void *src, size_t n);

#endif /* SVA_SIM_COPY_H */
