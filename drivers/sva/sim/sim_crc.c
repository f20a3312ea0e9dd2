/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * CRC32C (Castagnoli, reflected, polynomial 0x82f63b78) for the sim's
 * CRC operations. With ISA-L, buffers of SIM_CRC_ISAL_MIN bytes or more go
 * to crc32_iscsi, whose folding code is several times the serial loop's
 * speed; crc32_iscsi is a raw update like ours (it neither inverts its
 * initial value nor its result), so both paths give the same bits.
 */

#include <stdint.h>
#include <string.h>

#ifdef __SSE4_2__
#include <nmmintrin.h>
#endif
#ifdef SIM_HAVE_ISAL
#include <isa-l/crc.h>
#endif

#include <rte_common.h>

#include "sim_crc.h"

/* The operation buffers are the device's (any address, NULL included; a
 * fault is the expected outcome), as SIM_DEVICE_ACCESS says in sim_exec.h. */
#define SIM_CRC_ACCESS __attribute__((no_sanitize("undefined")))

#ifndef __SSE4_2__
static uint32_t sim_crc_table[256];

RTE_INIT(sim_crc_table_init)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
		sim_crc_table[i] = c;
	}
}
#endif

SIM_CRC_ACCESS uint32_t
sim_crc32c_serial(uint32_t crc, const uint8_t *p, uint32_t n)
{
#ifdef __SSE4_2__
	uint64_t c = crc;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		c = _mm_crc32_u64(c, v);
	}
	crc = (uint32_t)c;
	for (; n > 0; n--)
		crc = _mm_crc32_u8(crc, *p++);
#else
	for (; n > 0; n--)
		crc = sim_crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
#endif
	return crc;
}

SIM_CRC_ACCESS uint32_t
sim_crc32c_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
#ifdef SIM_HAVE_ISAL
	/* crc32_iscsi takes an int length: callers pass chunks of at most
	 * SIM_FAST_CHUNK bytes, and a larger n is split anyway. */
	while (n >= SIM_CRC_ISAL_MIN) {
		uint32_t k = RTE_MIN(n, (uint32_t)1 << 30);

		crc = crc32_iscsi((unsigned char *)(uintptr_t)p, (int)k, crc);
		p += k;
		n -= k;
	}
#endif
	return sim_crc32c_serial(crc, p, n);
}

const char *
sim_crc32c_impl(void)
{
#ifdef SIM_HAVE_ISAL
	return "ISA-L crc32_iscsi";
#elif defined(__SSE4_2__)
	return "serial SSE4.2";
#else
	return "serial table";
#endif
}
