/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The buffers every engine of a case works on (--buf, --src-numa,
 * --dst-numa, --cache-flush): where they come from, the NUMA node each side
 * lies on, and the flush of both sides from the CPU caches before each
 * measured pass, so that the device and the CPU baselines start equally
 * cold (otherwise the pass after bufs_prepare() finds them warm in the
 * caches of the core that wrote them).
 *
 *   malloc      page-aligned libc memory (the default: what SVA is for)
 *   mmap        an anonymous private mapping per buffer
 *   rte_malloc  EAL's heap: hugepages, or with --no-huge EAL's anonymous
 *               memory; the node through rte_malloc_socket()
 *
 * A node for malloc or mmap memory is set with mbind(MPOL_BIND), moving
 * pages already there, before anything is written.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/mempolicy.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "test_sva.h"

const char *const bench_buf_names[BUF_COUNT] = {
	[BUF_MALLOC] = "malloc",
	[BUF_RTE_MALLOC] = "rte_malloc",
	[BUF_MMAP] = "mmap",
};

#define BUF_ALIGN 4096   /* dualcast destinations share their low 12 bits */

int
parse_buf_kind(const char *arg, char *err, size_t errsz)
{
	for (int i = 0; i < BUF_COUNT; i++)
		if (strcmp(arg, bench_buf_names[i]) == 0)
			return i;
	snprintf(err, errsz, "unknown buffer kind '%s' (want malloc, rte_malloc or mmap)",
		 arg);
	return -EINVAL;
}

/* Whether NUMA node n exists here: the kernel's node directory, or, for
 * rte_malloc, one of EAL's sockets. */
static bool
node_exists(int kind, int n)
{
	char path[64];

	if (kind == BUF_RTE_MALLOC) {
		for (unsigned int i = 0; i < rte_socket_count(); i++)
			if (rte_socket_id_by_idx(i) == n)
				return true;
		return false;
	}
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
	if (access(path, F_OK) == 0)
		return true;
	/* A kernel without NUMA has one node, 0, and no such directory. */
	return n == 0 && access("/sys/devices/system/node", F_OK) != 0;
}

int
bench_bufs_check(const struct bench_opts *o, char *err, size_t errsz)
{
	const int nodes[2] = { o->src_numa, o->dst_numa };
	static const char *const side[2] = { "src", "dst" };

	for (int i = 0; i < 2; i++) {
		if (nodes[i] < 0 || node_exists(o->buf_kind, nodes[i]))
			continue;
		if (o->buf_kind == BUF_RTE_MALLOC) {
			char list[64] = "";
			size_t off = 0;

			for (unsigned int k = 0; k < rte_socket_count() &&
			     off < sizeof(list); k++)
				off += snprintf(list + off, sizeof(list) - off,
						"%s%d", k ? "," : "",
						rte_socket_id_by_idx(k));
			snprintf(err, errsz, "%s_numa %d: EAL has no memory on NUMA node %d (its nodes: %s; see -m, --socket-mem)",
				 side[i], nodes[i], nodes[i], list);
		} else {
			snprintf(err, errsz, "%s_numa %d: no NUMA node %d on this machine (see /sys/devices/system/node)",
				 side[i], nodes[i], nodes[i]);
		}
		return -EINVAL;
	}
	if (o->cache_flush && !bench_cache_flush_supported()) {
		snprintf(err, errsz, "cache_flush: no cache-line flush instruction on this architecture");
		return -ENOTSUP;
	}
	return 0;
}

/* The kernel's largest node count (MAX_NUMNODES, CONFIG_NODES_SHIFT 10). */
#define BUF_NODES_MAX 1024
#define BUF_LONG_BITS (8 * (int)sizeof(unsigned long))

/* How many node ids this kernel has (nr_node_ids): the last one of
 * /sys/devices/system/node/possible ("0", "0-3", "0-1,4"), plus one; 1
 * on a kernel without NUMA (no such file). */
static int
nodes_possible(char *list, size_t listsz)
{
	FILE *f = fopen("/sys/devices/system/node/possible", "re");
	const char *last;
	int n = 1;

	snprintf(list, listsz, "none: no NUMA");
	if (f == NULL)
		return 1;
	if (fgets(list, (int)listsz, f) != NULL) {
		list[strcspn(list, "\n")] = '\0';
		last = list + strcspn(list, "0123456789");
		for (const char *q = list; *q != '\0'; q++)
			if (*q == '-' || *q == ',')
				last = q + 1;
		n = atoi(last) + 1;
	}
	fclose(f);
	return RTE_MIN(RTE_MAX(n, 1), BUF_NODES_MAX);
}

/* Put [p, p+len) on node (MPOL_BIND, pages there already moved): 0, or a
 * negative errno after a line saying why. A kernel without NUMA (ENOSYS)
 * has only node 0, which is then where it is. */
static int
bind_node(void *p, size_t len, int node)
{
	unsigned long mask[BUF_NODES_MAX / BUF_LONG_BITS];
	char list[64];
	int nr = nodes_possible(list, sizeof(list));
	int ret;

	/* A node id the kernel cannot have, by number, before any shift. */
	if (node < 0 || node >= nr) {
		printf("NUMA node %d: this kernel's node ids are below %d (/sys/devices/system/node/possible: %s)\n",
		       node, nr, list);
		return -EINVAL;
	}
	memset(mask, 0, sizeof(mask));
	mask[node / BUF_LONG_BITS] = 1ul << (node % BUF_LONG_BITS);
	/* maxnode counts one bit more than the mask holds: the kernel reads
	 * maxnode - 1 bits (mm/mempolicy.c get_nodes()), so with 64 for one
	 * unsigned long node 63 was dropped, an empty mask. */
	if (syscall(SYS_mbind, p, len, MPOL_BIND, mask, (unsigned long)nr + 1,
		    MPOL_MF_MOVE | MPOL_MF_STRICT) == 0)
		return 0;
	ret = -errno;
	if (ret == -ENOSYS && node == 0)
		return 0;
	printf("mbind of %zu bytes at %p to NUMA node %d failed: %s\n", len, p, node,
	       strerror(-ret));
	return ret;
}

/* One buffer of kind on node (-1: any) in *out: 0, -ENOMEM, or the
 * errno of its placement on node (said why). */
static int
buf_get(int kind, size_t len, int node, uint8_t **out)
{
	void *p;
	int ret;

	*out = NULL;
	switch (kind) {
	case BUF_RTE_MALLOC:
		*out = rte_malloc_socket("test-sva", len, BUF_ALIGN,
					 node < 0 ? SOCKET_ID_ANY : node);
		return *out == NULL ? -ENOMEM : 0;
	case BUF_MMAP:
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -ENOMEM;
		break;
	default:
		p = aligned_alloc(BUF_ALIGN, len);
		if (p == NULL)
			return -ENOMEM;
		break;
	}
	if (node >= 0) {
		ret = bind_node(p, len, node);
		if (ret != 0) {
			if (kind == BUF_MMAP)
				munmap(p, len);
			else
				free(p);
			return ret;
		}
	}
	*out = p;
	return 0;
}

static void
buf_put(int kind, uint8_t *p, size_t len)
{
	if (p == NULL)
		return;
	if (kind == BUF_RTE_MALLOC)
		rte_free(p);
	else if (kind == BUF_MMAP)
		munmap(p, len);
	else
		free(p);
}

int
bench_bufs_alloc(struct bench_bufs *b, const struct bench_opts *o,
		 uint32_t size, bool need_dst2)
{
	uint32_t nb = RTE_MAX(o->working_set / size, 1u);
	size_t len = RTE_ALIGN_CEIL((size_t)size, BUF_ALIGN);

	nb = RTE_MIN(nb, 256u);
	memset(b, 0, sizeof(*b));
	b->kind = o->buf_kind;
	b->flush = o->cache_flush;
	b->len = len;
	b->src = calloc(nb, sizeof(*b->src));
	b->dst = calloc(nb, sizeof(*b->dst));
	b->dst2 = calloc(nb, sizeof(*b->dst2));
	if (b->src == NULL || b->dst == NULL || b->dst2 == NULL)
		return -ENOMEM;
	b->nb = nb;
	b->size = size;
	/* The first failure's errno: -ENOMEM, or why a node was refused. */
	for (uint32_t i = 0; i < nb; i++) {
		int ret = buf_get(b->kind, len, o->src_numa, &b->src[i]);

		if (ret == 0)
			ret = buf_get(b->kind, len, o->dst_numa, &b->dst[i]);
		if (ret == 0 && need_dst2)
			ret = buf_get(b->kind, len, o->dst_numa, &b->dst2[i]);
		if (ret != 0)
			return ret;
	}
	return 0;
}

void
bench_bufs_free(struct bench_bufs *b)
{
	for (uint32_t i = 0; i < b->nb; i++) {
		if (b->src)
			buf_put(b->kind, b->src[i], b->len);
		if (b->dst)
			buf_put(b->kind, b->dst[i], b->len);
		if (b->dst2)
			buf_put(b->kind, b->dst2[i], b->len);
	}
	free(b->src);
	free(b->dst);
	free(b->dst2);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------ cache flush */

#if defined(RTE_ARCH_X86)
/* CPUID.(EAX=7,ECX=0):EBX bit 23: CLFLUSHOPT, which flushes lines without
 * ordering them against each other (one fence at the end suffices). */
static bool
has_clflushopt(void)
{
	static int known = -1;
	unsigned int a = 7, b, c = 0, d;

	if (known < 0) {
		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		known = (b >> 23) & 1;
	}
	return known != 0;
}
#endif

bool
bench_cache_flush_supported(void)
{
#if defined(RTE_ARCH_X86)
	return true;   /* CLFLUSH is in every x86-64 CPU */
#else
	return false;
#endif
}

const char *
bench_cache_flush_insn(void)
{
#if defined(RTE_ARCH_X86)
	return has_clflushopt() ? "clflushopt" : "clflush";
#else
	return "none";
#endif
}

static void
flush_range(const uint8_t *p, size_t n)
{
#if defined(RTE_ARCH_X86)
	const uint8_t *end = p + n;
	bool opt = has_clflushopt();

	for (p = RTE_PTR_ALIGN_FLOOR(p, RTE_CACHE_LINE_SIZE); p < end;
	     p += RTE_CACHE_LINE_SIZE) {
		if (opt)
			__asm__ volatile("clflushopt %0" : "+m"(*(volatile uint8_t *)p));
		else
			__asm__ volatile("clflush %0" : "+m"(*(volatile uint8_t *)p));
	}
#else
	RTE_SET_USED(p);
	RTE_SET_USED(n);
#endif
}

void
bench_bufs_flush(const struct bench_bufs *b)
{
	if (!b->flush)
		return;
	for (uint32_t i = 0; i < b->nb; i++) {
		flush_range(b->src[i], b->size);
		flush_range(b->dst[i], b->size);
		if (b->dst2[i] != NULL)
			flush_range(b->dst2[i], b->size);
	}
	/* The flushes are done before the measurement's first access. */
	rte_mb();
}

void
bench_bufs_describe(FILE *f, const struct bench_opts *o)
{
	char src[16] = "any", dst[16] = "any";

	if (o->src_numa >= 0)
		snprintf(src, sizeof(src), "%d", o->src_numa);
	if (o->dst_numa >= 0)
		snprintf(dst, sizeof(dst), "%d", o->dst_numa);
	fprintf(f, "buffers: %s%s, src NUMA node %s, dst NUMA node %s, caches %s%s%s\n",
		bench_buf_names[o->buf_kind],
		o->buf_kind == BUF_RTE_MALLOC ? " (EAL heap)" : "", src, dst,
		o->cache_flush ? "flushed before each pass (" : "not flushed",
		o->cache_flush ? bench_cache_flush_insn() : "",
		o->cache_flush ? ")" : "");
}
