/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_DEVARGS_H
#define SVA_DEVARGS_H

/*
 * Devargs rules every driver of this tree follows (sva_sim, sva_idxd,
 * dma_sva), so that a value means the same thing everywhere and nothing is
 * guessed: numbers are written in decimal digits only, and a key is given
 * at most once (unless the driver documents it as repeatable, as sva_sim's
 * engine_cpu, one per engine). The caller logs, naming its device and the
 * reason these helpers return.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_kvargs.h>

/*
 * Parse val as a decimal number in min..max: digits only (no sign, space,
 * "0x"), no leading zero ("010" is 8 to strtoul() with base 0 and 10 with
 * base 10: refused rather than guessed), no overflow.
 * @return 0 and *out, or -EINVAL and *why (a static string).
 */
static inline int
sva_devarg_uint(const char *val, uint64_t min, uint64_t max, uint64_t *out,
		const char **why)
{
	uint64_t v = 0;

	if (val == NULL || *val == '\0') {
		*why = "no value";
		return -EINVAL;
	}
	for (const char *p = val; *p != '\0'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (d > 9) {
			*why = "not a decimal number (digits only: no sign, space or 0x)";
			return -EINVAL;
		}
		if (v > (UINT64_MAX - d) / 10) {
			*why = "too large";
			return -EINVAL;
		}
		v = v * 10 + d;
	}
	if (val[0] == '0' && val[1] != '\0') {
		*why = "leading zero (octal is not accepted: write the decimal value)";
		return -EINVAL;
	}
	if (v < min || v > max) {
		*why = "out of range";
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/*
 * The first key of kv given more than once, leaving out those listed in
 * repeatable (NULL-terminated; NULL for none), or NULL if there is none.
 */
static inline const char *
sva_devargs_repeated(const struct rte_kvargs *kv, const char *const *repeatable)
{
	for (unsigned int i = 0; i < kv->count; i++) {
		const char *key = kv->pairs[i].key;
		bool may_repeat = false;

		for (unsigned int k = 0; repeatable != NULL && repeatable[k] != NULL; k++)
			may_repeat |= strcmp(key, repeatable[k]) == 0;
		if (!may_repeat && rte_kvargs_count(kv, key) > 1)
			return key;
	}
	return NULL;
}

#endif /* SVA_DEVARGS_H */
