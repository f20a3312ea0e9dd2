/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim device's operations other than copies, on our own memory: fill,
 * compare, compare with a pattern, CRC32C (with or without a copy) and
 * dualcast. Each one walks its buffers in chunks that never cross a chunk
 * boundary (a page when the engine needs exact progress) and records its
 * progress before each chunk, so a fault reports the bytes completed.
 */

#include <stdint.h>
#include <string.h>

#include <rte_common.h>

#include "sim_crc.h"
#include "sim_exec.h"

/* ------------------------------------------------------------- operations */

SIM_DEVICE_ACCESS void
sim_exec_fill(struct sim_engine *e, const struct dsa_desc *d)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint64_t pat = d->src;

	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)dst + done));
		unsigned int rot = (done & 7) * 8;
		uint64_t p = rot ? (pat >> rot) | (pat << (64 - rot)) : pat;
		uint8_t *w = dst + done;
		uint32_t k = 0;

		sim_progress(e, done);
		for (; k + 8 <= n; k += 8)
			memcpy(w + k, &p, 8);
		for (; k < n; k++)
			w[k] = (uint8_t)(p >> ((k & 7) * 8));
		done += n;
	}
}

/* Offset of the first difference of a and b within n bytes, or n. */
static SIM_DEVICE_ACCESS uint32_t
sim_first_diff(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t k = 0;

	if (memcmp(a, b, n) == 0)
		return n;
	while (a[k] == b[k])
		k++;
	return k;
}

/* A difference ends the operation: result 1, bytes = its offset. Chunks
 * are compared in order, so no difference before it went unseen, also
 * when the next chunk would have faulted. */
SIM_DEVICE_ACCESS void
sim_exec_compare(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	const uint8_t *a = (const uint8_t *)(uintptr_t)d->src;
	const uint8_t *b = (const uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;

	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)a + done));
		uint32_t k;

		n = RTE_MIN(n, sim_to_chunk_end(e, (uintptr_t)b + done));
		sim_progress(e, done);
		k = sim_first_diff(a + done, b + done, n);
		if (k < n) {
			o->result = 1;
			o->bytes = done + k;
			return;
		}
		done += n;
	}
}

SIM_DEVICE_ACCESS void
sim_exec_compval(struct sim_engine *e, const struct dsa_desc *d,
		 struct sim_outcome *o)
{
	const uint8_t *a = (const uint8_t *)(uintptr_t)d->src;
	uint32_t len = d->xfer_size, done = 0;
	uint64_t pat = d->dst;
	uint8_t ref[SIM_PAGE_SIZE + 8];

	/* Pattern image one page (plus a phase) long: compare with memcmp. */
	for (uint32_t k = 0; k < sizeof(ref); k++)
		ref[k] = (uint8_t)(pat >> ((k & 7) * 8));
	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)a + done));
		uint32_t k;

		n = RTE_MIN(n, SIM_PAGE_SIZE);  /* the length of ref[] */
		sim_progress(e, done);
		k = sim_first_diff(a + done, ref + (done & 7), n);
		if (k < n) {
			o->result = 1;
			o->bytes = done + k;
			return;
		}
		done += n;
	}
}

SIM_DEVICE_ACCESS void
sim_exec_crc(struct sim_engine *e, const struct dsa_desc *d,
	     struct sim_outcome *o, bool copy)
{
	const uint8_t *src = (const uint8_t *)(uintptr_t)d->src;
	uint8_t *dst = (uint8_t *)(uintptr_t)d->dst;
	uint32_t len = d->xfer_size, done = 0;
	uint32_t crc = ~d->crc_seed;

	while (done < len) {
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, (uintptr_t)src + done));

		if (copy)
			n = RTE_MIN(n, sim_to_chunk_end(e, (uintptr_t)dst + done));
		sim_progress(e, done);
		crc = sim_crc32c_update(crc, src + done, n);
		if (copy)
			sim_copy_bytes(dst + done, src + done, n);
		done += n;
	}
	o->crc = ~crc;
}

/* Page by page from the start, and the second destination's page probed
 * for writing before the first one's is written: a device translates every
 * address of a chunk before it moves data, so a fault on either
 * destination leaves nothing written past the bytes completed. */
SIM_DEVICE_ACCESS void
sim_exec_dualcast(struct sim_engine *e, const struct dsa_desc *d)
{
	uintptr_t src = d->src, d1 = d->dst, d2 = d->dst2;
	uint32_t len = d->xfer_size, done = 0;

	e->precise = 1;
	while (done < len) {
		/* d2 has d1's bits 11:0: a page chunk of d1 is one of d2. */
		uint32_t n = RTE_MIN(len - done, sim_to_chunk_end(e, src + done));

		n = RTE_MIN(n, sim_to_chunk_end(e, d1 + done));
		sim_progress(e, done);
		/* An atomic add of 0 changes no byte, even if the process
		 * writes the page meanwhile. */
		__atomic_fetch_add((uint8_t *)(d2 + done), 0, __ATOMIC_RELAXED);
		sim_copy_bytes((void *)(d1 + done), (const void *)(src + done), n);
		sim_copy_bytes((void *)(d2 + done), (const void *)(src + done), n);
		done += n;
	}
}
