/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Value parsers shared by the command line and case files, and the case
 * file reader: an INI-like file with one [case] section per set of cases.
 *
 *   # comment (also ';'), anywhere after a value too
 *   [case]
 *   mode = latency
 *   op = copy,fill
 *   size = 64, 4K, 64K
 *
 * Keys: mode, op, size, batch, depth, producers, duration, working_set,
 * fault_ops, buf, src_numa, dst_numa, cache_flush, dma, repeat; values as the
 * options of the same names take them. A key left out takes its value from
 * the command line (or the built-in default). Sections named [case1],
 * [case2]... are dpdk-test-dma-perf's (config_dmaperf.c). Our own parser
 * rather than rte_cfgfile: errors name the line.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_sva.h>

#include "test_sva.h"

const char *const bench_mode_names[MODE_COUNT] = {
	[MODE_THROUGHPUT] = "throughput",
	[MODE_LATENCY] = "latency",
	[MODE_SCALING] = "scaling",
	[MODE_BIND_CHURN] = "bind-churn",
	[MODE_FAULT] = "fault",
};

/* What each mode takes from a case; other keys are ignored (with a warning). */
#define KEYS_BUFS (KEY_WORKING_SET | KEY_BUF | KEY_SRC_NUMA | KEY_DST_NUMA | \
		   KEY_CACHE_FLUSH)
const uint32_t bench_mode_keys[MODE_COUNT] = {
	[MODE_THROUGHPUT] = KEY_OP | KEY_SIZE | KEY_BATCH | KEY_DEPTH |
			    KEY_PRODUCERS | KEY_DURATION | KEYS_BUFS | KEY_DMA |
			    KEY_REPEAT,
	[MODE_LATENCY] = KEY_OP | KEY_SIZE | KEY_DEPTH | KEY_DURATION |
			 KEYS_BUFS | KEY_DMA,
	[MODE_SCALING] = KEY_OP | KEY_SIZE | KEY_BATCH | KEY_DEPTH |
			 KEY_PRODUCERS | KEY_DURATION | KEYS_BUFS | KEY_REPEAT,
	[MODE_BIND_CHURN] = KEY_DURATION,
	[MODE_FAULT] = KEY_FAULT_OPS | KEY_REPEAT,
};

static const struct {
	const char *name;
	uint32_t key;
} keys[] = {
	{ "mode", KEY_MODE }, { "op", KEY_OP }, { "size", KEY_SIZE },
	{ "batch", KEY_BATCH }, { "depth", KEY_DEPTH },
	{ "producers", KEY_PRODUCERS }, { "duration", KEY_DURATION },
	{ "working_set", KEY_WORKING_SET }, { "fault_ops", KEY_FAULT_OPS },
	{ "buf", KEY_BUF }, { "src_numa", KEY_SRC_NUMA },
	{ "dst_numa", KEY_DST_NUMA }, { "cache_flush", KEY_CACHE_FLUSH },
	{ "dma", KEY_DMA }, { "repeat", KEY_REPEAT },
};

/* The key names, for messages: "mode, op, ..., dma". */
#define SPEC_KEY_LIST "mode, op, size, batch, depth, producers, duration, " \
	"working_set, fault_ops, buf, src_numa, dst_numa, cache_flush, dma, repeat"

const char *
spec_key_name(uint32_t key)
{
	for (unsigned int i = 0; i < RTE_DIM(keys); i++)
		if (keys[i].key == key)
			return keys[i].name;
	return "?";
}

int
parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k') {
		v <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v <<= 20;
		end++;
	}
	if (*end != '\0' || v == 0 || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
parse_count(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;

	/* digits alone: parse_size()'s suffixes would read the typo "1K" as
	 * 1024 */
	if (s[strspn(s, "0123456789")] != '\0' || parse_size(s, &v) != 0 ||
	    v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

void
strip_blanks(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (!isspace((unsigned char)*r))
			*w++ = *r;
	*w = '\0';
}

bool
list_has_empty(const char *arg, char *err, size_t errsz)
{
	size_t len = strlen(arg);

	if (len > 0 && (arg[0] == ',' || arg[len - 1] == ',' || strstr(arg, ",,"))) {
		snprintf(err, errsz, "empty element in list '%s'", arg);
		return true;
	}
	return false;
}

int
parse_list(const char *arg, uint32_t *out, uint32_t min, uint32_t max,
	   char *err, size_t errsz)
{
	char buf[512], *save = NULL, *tok;
	int n = 0;

	if (list_has_empty(arg, err, errsz))
		return -EINVAL;
	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errsz, "list too long");
		return -EINVAL;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_LIST) {
			snprintf(err, errsz, "more than %d values", MAX_LIST);
			return -EINVAL;
		}
		if (parse_size(tok, &out[n]) != 0 || out[n] < min || out[n] > max) {
			snprintf(err, errsz, "bad value '%s' (want %u..%u, K/M suffixes)",
				 tok, min, max);
			return -EINVAL;
		}
		n++;
	}
	if (n == 0) {
		snprintf(err, errsz, "empty list");
		return -EINVAL;
	}
	return n;
}

int
parse_ops(const char *arg, uint32_t *ops, char *err, size_t errsz)
{
	char buf[256], *save = NULL, *tok;
	int n = 0;

	if (strcmp(arg, "all") == 0) {
		for (int i = 0; i < OP_COUNT; i++)
			ops[n++] = i;
		return n;
	}
	if (list_has_empty(arg, err, errsz))
		return -EINVAL;
	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errsz, "list too long");
		return -EINVAL;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; i < OP_COUNT; i++)
			if (strcmp(tok, bench_op_names[i]) == 0)
				break;
		if (i == OP_COUNT) {
			snprintf(err, errsz, "unknown operation '%s' (want copy, fill, "
				 "compare, compare_pattern, crc32c, copy_crc32c, "
				 "dualcast or all)", tok);
			return -EINVAL;
		}
		if (n == MAX_LIST) {
			snprintf(err, errsz, "more than %d values", MAX_LIST);
			return -EINVAL;
		}
		ops[n++] = i;
	}
	if (n == 0) {
		snprintf(err, errsz, "empty list");
		return -EINVAL;
	}
	return n;
}

int
parse_mode(const char *arg, char *err, size_t errsz)
{
	for (int i = 0; i < MODE_COUNT; i++)
		if (strcmp(arg, bench_mode_names[i]) == 0)
			return i;
	snprintf(err, errsz, "unknown mode '%s' (want throughput, latency, "
		 "scaling, bind-churn or fault)", arg);
	return -EINVAL;
}

/* A NUMA node, or "any" (-1). */
static int
parse_node(const char *arg, int *out, char *err, size_t errsz)
{
	char *end;
	long v;

	if (strcmp(arg, "any") == 0) {
		*out = -1;
		return 0;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (isdigit((unsigned char)*arg) && *end == '\0' && errno == 0 && v < 64) {
		*out = (int)v;
		return 0;
	}
	snprintf(err, errsz, "bad NUMA node '%s' (want 0..63 or any)", arg);
	return -EINVAL;
}

int
parse_duration(const char *arg, double *out, char *err, size_t errsz)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v > 0) || v > 3600) {
		snprintf(err, errsz, "bad value '%s' (want seconds in (0, 3600])", arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

uint32_t
spec_key(const char *name)
{
	char buf[32];
	size_t i;

	/* working-set and working_set alike */
	for (i = 0; name[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	for (i = 0; i < RTE_DIM(keys); i++)
		if (strcmp(buf, keys[i].name) == 0)
			return keys[i].key;
	return 0;
}

int
spec_set(struct case_spec *s, uint32_t key, const char *v, char *err,
	 size_t errsz)
{
	uint32_t tmp[MAX_LIST], *list = NULL;
	int n = 0, *count = NULL;

	switch (key) {
	case KEY_MODE:
		n = parse_mode(v, err, errsz);
		if (n >= 0)
			s->mode = n;
		break;
	case KEY_OP:
		n = parse_ops(v, tmp, err, errsz);
		list = s->ops, count = &s->nops;
		break;
	case KEY_SIZE:
		n = parse_list(v, tmp, 1, 1u << 30, err, errsz);
		list = s->sizes, count = &s->nsizes;
		break;
	case KEY_BATCH:
		n = parse_list(v, tmp, 1, 1024, err, errsz);
		list = s->batches, count = &s->nbatches;
		break;
	case KEY_DEPTH:
		n = parse_list(v, tmp, 32, 4096, err, errsz);
		for (int i = 0; i < n; i++)
			if (!rte_is_power_of_2(tmp[i])) {
				snprintf(err, errsz, "bad value '%u' (want a power "
					 "of two, 32..4096)", tmp[i]);
				n = -EINVAL;
				break;
			}
		list = s->depths, count = &s->ndepths;
		break;
	case KEY_PRODUCERS:
		n = parse_list(v, tmp, 1, RTE_SVA_MAX_QUEUES, err, errsz);
		list = s->producers, count = &s->nproducers;
		break;
	case KEY_DURATION:
		n = parse_duration(v, &s->duration, err, errsz);
		break;
	case KEY_WORKING_SET:
		if (parse_size(v, &s->working_set) != 0) {
			snprintf(err, errsz, "bad size '%s' (K/M suffixes)", v);
			n = -EINVAL;
		}
		break;
	case KEY_FAULT_OPS:
		if (parse_size(v, tmp) != 0 || tmp[0] > 1000000) {
			snprintf(err, errsz, "bad value '%s' (want 1..1000000)", v);
			n = -EINVAL;
		} else {
			s->fault_ops = tmp[0];
		}
		break;
	case KEY_BUF:
		n = parse_buf_kind(v, err, errsz);
		if (n >= 0)
			s->buf_kind = n;
		break;
	case KEY_SRC_NUMA:
		n = parse_node(v, &s->src_numa, err, errsz);
		break;
	case KEY_DST_NUMA:
		n = parse_node(v, &s->dst_numa, err, errsz);
		break;
	case KEY_CACHE_FLUSH:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
			snprintf(err, errsz, "bad value '%s' (want 0 or 1)", v);
			n = -EINVAL;
		} else {
			s->cache_flush = *v == '1';
		}
		break;
	case KEY_REPEAT:
		if (parse_count(v, 1, BENCH_REPEAT_MAX, &s->repeat) != 0) {
			snprintf(err, errsz, "bad value '%s' (want rounds 1..%d)",
				 v, BENCH_REPEAT_MAX);
			n = -EINVAL;
		}
		break;
	case KEY_DMA:
		if (strlen(v) >= sizeof(s->dma)) {
			snprintf(err, errsz, "device name too long");
			n = -EINVAL;
		} else {
			strcpy(s->dma, v);
		}
		break;
	default:
		snprintf(err, errsz, "internal: key %u", key);
		return -EINVAL;
	}
	if (n < 0)
		return n;
	if (list != NULL) {
		memcpy(list, tmp, n * sizeof(*tmp));
		*count = n;
	}
	s->set_keys |= key;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_load(const char *path, const struct case_spec *defaults,
	    struct case_spec **out)
{
	struct case_spec *specs = NULL, *cur = NULL;
	char line[1024], err[256];
	int n = 0, lineno = 0;
	bool dmaperf = false;      /* the section is dpdk-test-dma-perf's */
	struct dmaperf_section dp = { 0 };
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *val, *c;
		uint32_t k;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fprintf(stderr, "%s:%d: line too long\n", path, lineno);
			goto fail;
		}
		c = strpbrk(line, "#;");
		if (c != NULL)
			*c = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		if (*p == '[') {
			char *name;

			if (p[strlen(p) - 1] != ']') {
				fprintf(stderr, "%s:%d: section header without ']'\n",
					path, lineno);
				goto fail;
			}
			p[strlen(p) - 1] = '\0';
			name = trim(p + 1);
			if (dmaperf && dmaperf_section_end(cur, &dp) != 0)
				goto fail;
			if (dmaperf && dp.skip)
				n--;   /* skip=1: the section is dropped */
			dmaperf = strncmp(name, "case", 4) == 0 && name[4] != '\0' &&
				strspn(name + 4, "0123456789") == strlen(name + 4);
			if (strcmp(name, "case") != 0 && !dmaperf) {
				fprintf(stderr, "%s:%d: unknown section [%s] (want [case], or [case1], [case2]... as dpdk-test-dma-perf's)\n",
					path, lineno, name);
				goto fail;
			}
			cur = realloc(specs, sizeof(*specs) * (n + 1));
			if (cur == NULL) {
				fprintf(stderr, "%s: out of memory\n", path);
				goto fail;
			}
			specs = cur;
			cur = &specs[n++];
			*cur = *defaults;
			cur->set_keys = 0;
			if (dmaperf) {
				snprintf(cur->origin, sizeof(cur->origin), "%s:%d [%s]",
					 path, lineno, name);
				dmaperf_section_begin(cur, &dp, path);
			} else {
				snprintf(cur->origin, sizeof(cur->origin),
					 "%s:%d [case %d]", path, lineno, n);
			}
			continue;
		}
		eq = strchr(p, '=');
		if (eq == NULL) {
			fprintf(stderr, "%s:%d: want 'key = value' or '[case]', got '%s'\n",
				path, lineno, p);
			goto fail;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (cur == NULL) {
			fprintf(stderr, "%s:%d: key '%s' before the first [case]\n",
				path, lineno, key);
			goto fail;
		}
		if (dmaperf) {
			/* its own keys and value syntax; errors name the line */
			dp.lineno = lineno;
			if (dmaperf_key(cur, &dp, key, val) != 0)
				goto fail;
			continue;
		}
		/* messages name the key as working_set, whichever was written */
		for (char *q = key; *q; q++)
			if (*q == '-')
				*q = '_';
		k = spec_key(key);
		if (k == 0) {
			fprintf(stderr, "%s:%d: [case %d]: unknown key '%s' (want "
				SPEC_KEY_LIST ")\n", path, lineno, n, key);
			goto fail;
		}
		if (cur->set_keys & k) {
			fprintf(stderr, "%s:%d: [case %d]: key '%s' given twice\n",
				path, lineno, n, key);
			goto fail;
		}
		/* lists may have blanks after commas */
		strip_blanks(val);
		if (*val == '\0') {
			fprintf(stderr, "%s:%d: [case %d]: key '%s' has no value\n",
				path, lineno, n, key);
			goto fail;
		}
		if (spec_set(cur, k, val, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s:%d: [case %d]: key '%s': %s\n",
				path, lineno, n, key, err);
			goto fail;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", path);
		goto fail;
	}
	if (dmaperf && dmaperf_section_end(cur, &dp) != 0)
		goto fail;
	if (dmaperf && dp.skip)
		n--;
	fclose(f);
	if (n == 0) {
		fprintf(stderr, "%s: no [case] section (or every one skipped)\n", path);
		free(specs);
		return -1;
	}
	*out = specs;
	return n;
fail:
	fclose(f);
	free(specs);
	return -1;
}
