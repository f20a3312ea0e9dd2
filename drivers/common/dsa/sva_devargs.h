/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_DEVARGS_H
#define SVA_DEVARGS_H

/*
 * Devargs rules every driver of this tree follows (sva_sim, sva_idxd,
 * dma_sva), so that a value means the same thing everywhere and nothing is
 * guessed: numbers are written in decimal digits only (a size in bytes may
 * end in one binary suffix, K, M or G: sva_devarg_size()), and a key is given
 * at most once (unless the driver documents it as repeatable, as sva_sim's
 * engine_cpu, one per engine). sva_devargs_parse() and
 * sva_devargs_process() are the frame (key list, one handler per key); the
 * value helpers return a reason that the handler logs, naming its device.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_log.h>

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
 * Parse val as a size in bytes in min..max: a decimal number as
 * sva_devarg_uint() takes it, optionally followed by one binary suffix,
 * K, M or G (either case; 1024-based: 64K is 65536), since sizes are
 * written so in the guides. Nothing after the suffix; no overflow.
 * @return 0 and *out, or -EINVAL and *why (a static string).
 */
static inline int
sva_devarg_size(const char *val, uint64_t min, uint64_t max, uint64_t *out,
		const char **why)
{
	char digits[24];
	unsigned int shift = 0;
	size_t n = 0;
	uint64_t v;

	if (val == NULL || *val == '\0') {
		*why = "no value";
		return -EINVAL;
	}
	while (val[n] >= '0' && val[n] <= '9')
		n++;
	if (val[n] != '\0') {
		switch (val[n]) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		default: break;
		}
		/* One suffix letter, after at least one digit, and the end. */
		if (n == 0 || shift == 0 || val[n + 1] != '\0') {
			*why = "not a size (decimal digits, then at most one of K, M or G)";
			return -EINVAL;
		}
	}
	if (n >= sizeof(digits)) {
		*why = "too large";
		return -EINVAL;
	}
	memcpy(digits, val, n);
	digits[n] = '\0';
	if (sva_devarg_uint(digits, 0, UINT64_MAX, &v, why) != 0)
		return -EINVAL;
	if (v > (UINT64_MAX >> shift)) {
		*why = "too large";
		return -EINVAL;
	}
	v <<= shift;
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

/*
 * A string value of 1..size-1 characters copied into buf[size].
 * @return 0, or -EINVAL and *why.
 */
static inline int
sva_devarg_str(const char *val, char *buf, size_t size, const char **why)
{
	if (val == NULL || *val == '\0') {
		*why = "no value";
		return -EINVAL;
	}
	if (strlen(val) >= size) {
		*why = "too long";
		return -EINVAL;
	}
	memcpy(buf, val, strlen(val) + 1);
	return 0;
}

/*
 * val as one of the words of choices (NULL-terminated): *idx is its index.
 * @return 0, or -EINVAL and *why.
 */
static inline int
sva_devarg_choice(const char *val, const char *const *choices,
		  unsigned int *idx, const char **why)
{
	for (unsigned int i = 0; val != NULL && choices[i] != NULL; i++)
		if (strcmp(val, choices[i]) == 0) {
			*idx = i;
			return 0;
		}
	*why = val == NULL || *val == '\0' ? "no value" : "not one of the choices";
	return -EINVAL;
}

/*
 * A handler's refusal of key=val: one log line (logtype) naming the device,
 * the key and value, the reason why (a value helper's) and, from the printf
 * format want and what follows it, what the key takes.
 * @return -EINVAL.
 */
static inline int __rte_format_printf(6, 7)
sva_devarg_refused(int logtype, const char *dev, const char *key,
		   const char *val, const char *why, const char *want, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, want);
	vsnprintf(what, sizeof(what), want, ap);
	va_end(ap);
	rte_log(RTE_LOG_ERR, logtype, "%s: devarg %s=%s: %s; want %s\n", dev,
		key, val != NULL ? val : "", why, what);
	return -EINVAL;
}

/* keys (NULL-terminated) as "a, b, c" into buf, for a message. */
static inline const char *
sva_devargs_keys_str(const char *const *keys, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned int k = 0; keys[k] != NULL && off < len; k++)
		off += snprintf(buf + off, len - off, "%s%s", k > 0 ? ", " : "",
				keys[k]);
	return buf;
}

/*
 * The one way every driver takes its devargs apart: rte_kvargs_parse()
 * against the static key list keys (NULL-terminated), so an unknown key
 * is refused; then no key given twice, except those in repeatable
 * (NULL-terminated; NULL for none). Each refusal is one log line (logtype)
 * naming the device dev, the key and the reason.
 * @return 0 and *out (the caller frees it with rte_kvargs_free()), or
 * -EINVAL. Empty or NULL args give 0 and *out = NULL.
 */
static inline int
sva_devargs_parse(int logtype, const char *dev, const char *args,
		  const char *const *keys, const char *const *repeatable,
		  struct rte_kvargs **out)
{
	struct rte_kvargs *kv;
	const char *dup;
	char valid[256];

	*out = NULL;
	if (args == NULL || *args == '\0')
		return 0;
	kv = rte_kvargs_parse(args, keys);
	if (kv == NULL) {
		/* Why: parsed again without the list, the first key not in
		 * it is the reason; if that parse fails too, the syntax is. */
		kv = rte_kvargs_parse(args, NULL);
		for (unsigned int i = 0; kv != NULL && i < kv->count; i++) {
			bool known = false;

			for (unsigned int k = 0; keys[k] != NULL; k++)
				known |= strcmp(kv->pairs[i].key, keys[k]) == 0;
			/* An empty key ("=1") is a syntax error, below. */
			if (!known && kv->pairs[i].key[0] != '\0') {
				rte_log(RTE_LOG_ERR, logtype,
					"%s: devarg %s: unknown key; valid: %s\n",
					dev, kv->pairs[i].key,
					sva_devargs_keys_str(keys, valid, sizeof(valid)));
				rte_kvargs_free(kv);
				return -EINVAL;
			}
		}
		rte_kvargs_free(kv);
		rte_log(RTE_LOG_ERR, logtype,
			"%s: cannot parse devargs \"%s\": want key=value,... with keys %s\n",
			dev, args, sva_devargs_keys_str(keys, valid, sizeof(valid)));
		return -EINVAL;
	}
	dup = sva_devargs_repeated(kv, repeatable);
	if (dup != NULL) {
		rte_log(RTE_LOG_ERR, logtype,
			"%s: devarg %s: given more than once\n", dev, dup);
		rte_kvargs_free(kv);
		return -EINVAL;
	}
	*out = kv;
	return 0;
}

/*
 * Run handlers[k] (rte_kvargs_process()) on every value of keys[k] in kv,
 * key by key in the order of keys: handlers log their own refusals.
 * kv may be NULL (no devargs).
 * @return 0, or -EINVAL at the first handler that refused.
 */
static inline int
sva_devargs_process(struct rte_kvargs *kv, const char *const *keys,
		    const arg_handler_t *handlers, void *opaque)
{
	for (unsigned int k = 0; kv != NULL && keys[k] != NULL; k++)
		if (rte_kvargs_count(kv, keys[k]) != 0 &&
		    rte_kvargs_process(kv, keys[k], handlers[k], opaque) != 0)
			return -EINVAL;
	return 0;
}

#endif /* SVA_DEVARGS_H */
