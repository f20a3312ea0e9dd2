/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Case-file sections in dpdk-test-dma-perf's format (DPDK 23.07 and later,
 * app/test-dma-perf/config.ini; DPDK 22.11 has no such tool): [case1],
 * [case2]... with its keys, read into the same case specs as our [case]
 * sections, as far as its keys map onto this benchmark:
 *
 *   type=DMA_MEM_COPY|CPU_MEM_COPY  throughput mode, copy (both: the SVA
 *                                   device, the CPU and rte_dma side by side)
 *   mem_size=MB                     working_set (MiB per side)
 *   buf_size, dma_ring_size,        size, depth, batch: N, or a sweep
 *   kick_batch                      first,last,increment,ADD|MUL
 *   src_numa_node, dst_numa_node    src_numa, dst_numa
 *   cache_flush=0|1                 cache_flush
 *   test_seconds=S                  duration
 *   lcore_dmaN=lcore=L,dev=D,dir=mem2mem   (24.11) or
 *   lcore_dma=lcoreL@D, ...                (23.x)
 *                                   one producer per entry; D of the first is
 *                                   the rte_dma baseline; L must be an EAL
 *                                   lcore (producers run on the main lcore
 *                                   and the first workers, in order)
 *   lcore=L, ...                    CPU_MEM_COPY's lcores (checked the same;
 *                                   the CPU baseline runs on the main lcore)
 *   skip=1                          the section is dropped: keys after it
 *                                   are not read
 *   eal_args                        ignored (EAL options are this command
 *                                   line's), with a note
 *
 * Refused, naming the key and line: other types, device transfers (dir,
 * raddr, coreid, pfid, vfid), scatter-gather (dma_src_sge, dma_dst_sge:
 * dma_sva has no copy_sg), a mem_size sweep, a sweep with an empty field
 * ("16,64,,2,MUL", which strtok_r would read as "16,64,2,MUL"), and any
 * key not above.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_lcore.h>

#include "test_sva.h"

#define DP_KEYS "type, mem_size, buf_size, dma_ring_size, kick_batch, " \
	"src_numa_node, dst_numa_node, cache_flush, test_seconds, lcore_dma, " \
	"lcore_dmaN, lcore, skip, eal_args"

void
dmaperf_section_begin(struct case_spec *s, struct dmaperf_section *dp,
		      const char *path)
{
	*dp = (struct dmaperf_section){ .path = path };
	/* dma-perf measures copies: our throughput mode of copy. */
	s->mode = MODE_THROUGHPUT;
	s->ops[0] = OP_COPY;
	s->nops = 1;
	s->set_keys = KEY_MODE | KEY_OP;
}

/* Bad input: one line naming the file, the line and the key; -1. */
static int
dp_err(const struct dmaperf_section *dp, const char *key, const char *why)
{
	fprintf(stderr, "%s:%d: key '%s': %s\n", dp->path, dp->lineno, key, why);
	return -1;
}

/* N or first,last,increment,ADD|MUL into "v1,v2,..." for spec_set(). */
static int
dp_sweep(const char *val, char *out, size_t outsz, char *err, size_t errsz)
{
	char buf[256], *f[5], *save = NULL;
	uint32_t first, last, incr;
	int nf = 0;
	size_t off = 0;

	if (list_has_empty(val, err, errsz))
		return -EINVAL;
	if (strlen(val) >= sizeof(buf)) {
		snprintf(err, errsz, "value too long");
		return -EINVAL;
	}
	strcpy(buf, val);
	for (char *t = strtok_r(buf, ",", &save); t != NULL && nf < 5;
	     t = strtok_r(NULL, ",", &save))
		f[nf++] = t;
	if (nf == 1 && strchr(val, ',') == NULL) {
		snprintf(out, outsz, "%s", val);
		return 0;
	}
	if (nf != 4 || (strcmp(f[3], "ADD") != 0 && strcmp(f[3], "MUL") != 0) ||
	    parse_size(f[0], &first) != 0 || parse_size(f[1], &last) != 0 ||
	    parse_size(f[2], &incr) != 0 || first > last ||
	    (f[3][0] == 'M' && incr < 2)) {
		snprintf(err, errsz, "bad value '%s' (want N, or first,last,increment,ADD|MUL with first <= last, a MUL increment of 2 or more)",
			 val);
		return -EINVAL;
	}
	for (uint64_t v = first, n = 0; v <= last; n++) {
		if (n == MAX_LIST) {
			snprintf(err, errsz, "sweep '%s' has more than %d values",
				 val, MAX_LIST);
			return -EINVAL;
		}
		off += snprintf(out + off, outsz - off, "%s%llu", n ? "," : "",
				(unsigned long long)v);
		if (off >= outsz) {
			snprintf(err, errsz, "sweep '%s' too long", val);
			return -EINVAL;
		}
		v = f[3][0] == 'A' ? v + incr : v * incr;
	}
	return 0;
}

/* An lcore id of the file, checked to be an EAL lcore at the section's
 * end (not at all when it is skipped). */
static int
dp_lcore(struct dmaperf_section *dp, const char *key, const char *v)
{
	char *end;
	long l;

	errno = 0;
	l = strtol(v, &end, 10);
	if (!isdigit((unsigned char)*v) || *end != '\0' || errno != 0 ||
	    l >= RTE_MAX_LCORE)
		return dp_err(dp, key, "want an lcore id");
	if (dp->nb_lcores == RTE_DIM(dp->lcores))
		return dp_err(dp, key, "too many lcores");
	dp->lcores[dp->nb_lcores] = (uint16_t)l;
	dp->lcore_line[dp->nb_lcores++] = dp->lineno;
	return 0;
}

/* lcore_dmaN=lcore=L,dev=D,dir=mem2mem: one entry. */
static int
dp_lcore_dma(struct case_spec *s, struct dmaperf_section *dp, const char *key,
	     char *val)
{
	char *save = NULL, why[160];

	for (char *kv = strtok_r(val, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');

		if (eq == NULL) {
			snprintf(why, sizeof(why), "want lcore=L,dev=D,dir=mem2mem, got '%s'", kv);
			return dp_err(dp, key, why);
		}
		*eq++ = '\0';
		if (strcmp(kv, "lcore") == 0) {
			if (dp_lcore(dp, key, eq) != 0)
				return -1;
		} else if (strcmp(kv, "dev") == 0) {
			if (dp->nb_dma == 0 && snprintf(s->dma, sizeof(s->dma),
							"%s", eq) >= (int)sizeof(s->dma))
				return dp_err(dp, key, "device name too long");
		} else if (strcmp(kv, "dir") == 0) {
			if (strcmp(eq, "mem2mem") != 0) {
				snprintf(why, sizeof(why), "dir=%s: only mem2mem (SVA devices copy memory to memory)", eq);
				return dp_err(dp, key, why);
			}
		} else if (strcmp(kv, "raddr") == 0 || strcmp(kv, "coreid") == 0 ||
			   strcmp(kv, "pfid") == 0 || strcmp(kv, "vfid") == 0) {
			snprintf(why, sizeof(why), "%s: device transfers are not supported (mem2mem only)", kv);
			return dp_err(dp, key, why);
		} else {
			snprintf(why, sizeof(why), "unknown field '%s' (want lcore, dev, dir)", kv);
			return dp_err(dp, key, why);
		}
	}
	dp->nb_dma++;
	return 0;
}

/* lcore_dma=lcore10@dev, lcore11@dev (DPDK 23.x). */
static int
dp_lcore_dma_old(struct case_spec *s, struct dmaperf_section *dp,
		 const char *key, char *val)
{
	char *save = NULL, why[160];

	for (char *e = strtok_r(val, ",", &save); e != NULL;
	     e = strtok_r(NULL, ",", &save)) {
		char *at = strchr(e, '@');

		if (strncmp(e, "lcore", 5) != 0 || at == NULL) {
			snprintf(why, sizeof(why), "want lcoreL@DEV, ..., got '%s'", e);
			return dp_err(dp, key, why);
		}
		*at++ = '\0';
		if (dp_lcore(dp, key, e + 5) != 0)
			return -1;
		if (dp->nb_dma == 0 && snprintf(s->dma, sizeof(s->dma), "%s",
						at) >= (int)sizeof(s->dma))
			return dp_err(dp, key, "device name too long");
		dp->nb_dma++;
	}
	return 0;
}

/* p is one or more decimal digits (the N of lcore_dmaN). */
static bool
dp_digits(const char *p)
{
	const char *q = p;

	while (isdigit((unsigned char)*q))
		q++;
	return q != p && *q == '\0';
}

/* A key=value of a dma-perf section onto our keys. */
static int
dp_set(struct case_spec *s, struct dmaperf_section *dp, const char *key,
       uint32_t k, const char *v, bool sweep)
{
	char list[512], err[256];

	if (s->set_keys & k)
		return dp_err(dp, key, "given twice (or with a key of the same meaning)");
	if (sweep) {
		if (dp_sweep(v, list, sizeof(list), err, sizeof(err)) != 0)
			return dp_err(dp, key, err);
		v = list;
	}
	if (spec_set(s, k, v, err, sizeof(err)) != 0)
		return dp_err(dp, key, err);
	return 0;
}

int
dmaperf_key(struct case_spec *s, struct dmaperf_section *dp, const char *key,
	    char *val)
{
	char why[320], mib[32];
	uint32_t mb;

	/* "lcore = 3, 4": blanks carry nothing (eal_args aside, ignored) */
	strip_blanks(val);
	if (dp->skip)
		return 0;   /* skip=1: nothing more of the section is read */
	if (*val == '\0')
		return dp_err(dp, key, "no value");
	if (strcmp(key, "type") == 0) {
		if (strcmp(val, "DMA_MEM_COPY") == 0)
			return 0;
		if (strcmp(val, "CPU_MEM_COPY") == 0) {
			fprintf(stderr, "%s:%d: note: type=CPU_MEM_COPY: the rows give the CPU's copy beside the SVA device's and rte_dma's\n",
				dp->path, dp->lineno);
			return 0;
		}
		snprintf(why, sizeof(why), "unknown type '%s' (want DMA_MEM_COPY or CPU_MEM_COPY)", val);
		return dp_err(dp, key, why);
	}
	if (strcmp(key, "mem_size") == 0) {
		if (strchr(val, ',') != NULL)
			return dp_err(dp, key, "a sweep is not supported here (one working set per case)");
		/* A count of megabytes in dpdk-test-dma-perf: 1K is not
		 * 1024 MB here. */
		if (parse_count(val, 1, 4095, &mb) != 0)
			return dp_err(dp, key, "want megabytes, 1..4095");
		snprintf(mib, sizeof(mib), "%uM", mb);
		return dp_set(s, dp, key, KEY_WORKING_SET, mib, false);
	}
	if (strcmp(key, "buf_size") == 0)
		return dp_set(s, dp, key, KEY_SIZE, val, true);
	if (strcmp(key, "dma_ring_size") == 0)
		return dp_set(s, dp, key, KEY_DEPTH, val, true);
	if (strcmp(key, "kick_batch") == 0)
		return dp_set(s, dp, key, KEY_BATCH, val, true);
	if (strcmp(key, "src_numa_node") == 0)
		return dp_set(s, dp, key, KEY_SRC_NUMA, val, false);
	if (strcmp(key, "dst_numa_node") == 0)
		return dp_set(s, dp, key, KEY_DST_NUMA, val, false);
	if (strcmp(key, "cache_flush") == 0)
		return dp_set(s, dp, key, KEY_CACHE_FLUSH, val, false);
	if (strcmp(key, "test_seconds") == 0)
		return dp_set(s, dp, key, KEY_DURATION, val, false);
	if (strcmp(key, "skip") == 0) {
		if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0)
			return dp_err(dp, key, "want 0 or 1");
		dp->skip = *val == '1';
		return 0;
	}
	if (strcmp(key, "eal_args") == 0) {
		fprintf(stderr, "%s:%d: note: eal_args ignored: EAL options come from this command line\n",
			dp->path, dp->lineno);
		return 0;
	}
	if (strcmp(key, "lcore") == 0) {
		char *save = NULL;

		for (char *l = strtok_r(val, ",", &save); l != NULL;
		     l = strtok_r(NULL, ",", &save))
			if (dp_lcore(dp, key, l) != 0)
				return -1;
		return 0;
	}
	if (strcmp(key, "lcore_dma") == 0)
		return dp_lcore_dma_old(s, dp, key, val);
	if (strncmp(key, "lcore_dma", 9) == 0 && dp_digits(key + 9))
		return dp_lcore_dma(s, dp, key, val);
	if (strcmp(key, "dma_src_sge") == 0 || strcmp(key, "dma_dst_sge") == 0)
		return dp_err(dp, key, "scatter-gather copies are not measured (dma_sva has no copy_sg: doc/guides/dma_sva.rst)");
	snprintf(why, sizeof(why), "unknown key of a dpdk-test-dma-perf section (want %s)",
		 DP_KEYS);
	return dp_err(dp, key, why);
}

int
dmaperf_section_end(struct case_spec *s, struct dmaperf_section *dp)
{
	char n[16], err[256];

	if (dp->skip)
		return 0;
	for (unsigned int i = 0; i < dp->nb_lcores; i++)
		if (!rte_lcore_is_enabled(dp->lcores[i])) {
			fprintf(stderr, "%s:%d: lcore %u is not an EAL lcore (see -l)\n",
				dp->path, dp->lcore_line[i], dp->lcores[i]);
			return -1;
		}
	if (dp->nb_dma > 1) {
		/* one worker per lcore_dma entry: as many SVA producers */
		snprintf(n, sizeof(n), "%u", dp->nb_dma);
		if (spec_set(s, KEY_PRODUCERS, n, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s: %d lcore_dma entries: %s\n", s->origin,
				dp->nb_dma, err);
			return -1;
		}
	}
	if (dp->nb_dma > 0)
		s->set_keys |= KEY_DMA;
	return 0;
}
