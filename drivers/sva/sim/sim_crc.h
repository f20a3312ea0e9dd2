/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

#ifndef SIM_CRC_H
#define SIM_CRC_H

/*
 * The sim's CRC32C engine. Raw updates: no inversion on entry or exit
 * (the caller inverts the seed and the result, as DSA's CRC32C does).
 */

#include <stdint.h>

/* Below this length the serial loop beats ISA-L's folding code (measured
 * here: 14 against 29 cycles at 128 B, 35 against 25 at 256 B). */
#define SIM_CRC_ISAL_MIN 256u

/* Raw CRC32C update of n bytes at p: ISA-L from SIM_CRC_ISAL_MIN bytes
 * when built with it, else the serial loop. */
uint32_t sim_crc32c_update(uint32_t crc, const uint8_t *p, uint32_t n);

/* The same with the serial loop only (SSE4.2, else a table). */
uint32_t sim_crc32c_serial(uint32_t crc, const uint8_t *p, uint32_t n);

/* The implementation sim_crc32c_update uses for large buffers. */
const char *sim_crc32c_impl(void);

#endif /* SIM_CRC_H */
