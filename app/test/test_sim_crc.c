/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim's CRC32C engine (drivers/sva/sim/sim_crc.c) on its own, without
 * EAL: the hybrid path (ISA-L from SIM_CRC_ISAL_MIN bytes when built with
 * it) gives the serial loop's bits on random buffers of many lengths and
 * alignments, 0 bytes and page-crossing ones included, and both give a
 * bitwise reference's; the check value of "123456789" pins the convention.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim_crc.h"

#define PG 4096u

/* Bit by bit, from the polynomial: shares no code with the engine. */
static uint32_t
ref_crc32c(uint32_t crc, const uint8_t *p, uint32_t n)
{
	while (n-- > 0) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return crc;
}

static unsigned int fails;

static void
check(const uint8_t *p, uint32_t n, uint32_t seed, const char *what)
{
	uint32_t s = sim_crc32c_serial(seed, p, n);
	uint32_t h = sim_crc32c_update(seed, p, n);

	if (s != h || (n <= 3 * PG + 64 && ref_crc32c(seed, p, n) != s)) {
		if (fails++ < 10)
			printf("FAIL %s: len %u offset %u seed %08x: hybrid %08x serial %08x\n",
			       what, n, (unsigned int)((uintptr_t)p & (PG - 1)), seed, h, s);
	}
}

int
main(void)
{
	/* 16 pages with the last one inaccessible: a buffer ending at the
	 * guard reads no byte past its end. */
	const size_t span = 16 * PG;
	uint8_t *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *guard;
	uint32_t c;
	unsigned int cases = 0;

	if (m == MAP_FAILED || mprotect(m + span - PG, PG, PROT_NONE) != 0) {
		perror("test_sim_crc: mmap");
		return 1;
	}
	guard = m + span - PG;
	srand(0x5eed);
	for (size_t i = 0; i < span - PG; i++)
		m[i] = (uint8_t)rand();

	c = ~sim_crc32c_update(~0u, (const uint8_t *)"123456789", 9);
	if (c != 0xe3069283u) {
		printf("FAIL check value %08x, expected e3069283\n", c);
		fails++;
	}
	printf("sim crc32c implementation: %s (ISA-L's switch-over: %u B)\n",
	       sim_crc32c_impl(), SIM_CRC_ISAL_MIN);

	/* Every length to past two pages at a few alignments, around the
	 * switch-over, and at the device's chunk sizes. */
	for (uint32_t n = 0; n <= 2 * PG + 64; n++)
		for (uint32_t off = 0; off < 8; off += 3, cases++)
			check(m + off, n, (uint32_t)rand(), "sweep");
	for (uint32_t n = SIM_CRC_ISAL_MIN - 9; n <= SIM_CRC_ISAL_MIN + 9; n++)
		for (uint32_t off = 0; off < 64; off++, cases++)
			check(m + off, n, (uint32_t)rand(), "switch-over");
	/* Random lengths and offsets, many crossing pages; and buffers
	 * ending at the guard page. */
	for (int i = 0; i < 20000; i++, cases++) {
		uint32_t off = (uint32_t)rand() % (8 * PG);
		uint32_t n = (uint32_t)rand() % (uint32_t)(span - PG - off);

		check(m + off, n, (uint32_t)rand(), "random");
	}
	for (uint32_t n = 0; n <= 3 * PG; n += 1 + n / 7, cases++)
		check(guard - n, n, 0xffffffffu, "ends at guard page");
	check(m, (uint32_t)(span - PG), 0, "15 pages");
	check(m + 1, (uint32_t)(span - PG - 1), 0x12345678u, "15 pages, odd");
	cases += 2;

	munmap(m, span);
	printf("%u cases, %u failed\n", cases, fails);
	return fails ? 1 : 0;
}
