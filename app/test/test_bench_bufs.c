/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite bench_bufs: the benchmark's buffers (app/test-sva/bufs.c, built
 * in here whole so that its static bind_node() is reachable) put on a
 * NUMA node: a node the kernel cannot have is refused by number, an
 * mbind() failure says why and returns its errno (not -ENOMEM, "out of
 * memory"), and node 0 is where the pages land.
 */

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../test-sva/bufs.c"
#include "test.h"

static char out_text[4096];

/* What fn(arg) printed on stdout (bufs.c prints there, as the
 * benchmark does), in out_text; fn's return value. */
static int
stdout_of(int (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	out_text[0] = '\0';
	if (tmp == NULL)
		return fn(arg);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	ret = fn(arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out_text, 1, sizeof(out_text) - 1, tmp);
	out_text[n] = '\0';
	fclose(tmp);
	fputs(out_text, stdout);
	return ret;
}

struct bind_args {
	void *p;
	size_t len;
	int node;
};

static int
call_bind(void *arg)
{
	const struct bind_args *a = arg;

	return bind_node(a->p, a->len, a->node);
}

struct alloc_args {
	struct bench_bufs b;
	struct bench_opts o;
};

static int
call_alloc(void *arg)
{
	struct alloc_args *a = arg;

	return bench_bufs_alloc(&a->b, &a->o, 4096, false);
}

/* The kernel's node ids end below the last of .../node/possible + 1. */
static int
kernel_nodes(void)
{
	FILE *f = fopen("/sys/devices/system/node/possible", "re");
	char line[256];
	char *last;
	int n = 1;

	if (f == NULL)
		return 1;
	if (fgets(line, sizeof(line), f) != NULL) {
		last = line + strcspn(line, "\n");
		*last = '\0';
		last = strrchr(line, '-') ? strrchr(line, '-') + 1 :
			strrchr(line, ',') ? strrchr(line, ',') + 1 : line;
		n = atoi(last) + 1;
	}
	fclose(f);
	return n;
}

/* The first node the kernel cannot have, and node 63 (the last bit of one
 * unsigned long): refused by number, before any mbind(). */
static int
test_bufs_node_beyond(void)
{
	int nr = kernel_nodes();
	size_t len = 4096;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct bind_args a = { .p = p, .len = len, .node = nr };
	struct alloc_args *al = calloc(1, sizeof(*al));
	char want[48];
	int ret;

	TEST_ASSERT(p != MAP_FAILED && al != NULL, "mmap, calloc");
	ret = stdout_of(call_bind, &a);
	TEST_ASSERT_EQ(ret, -EINVAL, "bind to node %d (the kernel has %d)", nr, nr);
	snprintf(want, sizeof(want), "NUMA node %d", nr);
	TEST_ASSERT(strstr(out_text, want) != NULL && strstr(out_text, "possible") != NULL,
		    "no line naming node %d and the kernel's limit: '%s'", nr, out_text);
	/* Through the buffers of a case: its errno, not -ENOMEM. */
	if (nr <= 63) {
		al->o.working_set = 4096;
		al->o.buf_kind = BUF_MALLOC;
		al->o.src_numa = 63;
		al->o.dst_numa = -1;
		ret = stdout_of(call_alloc, al);
		bench_bufs_free(&al->b);
		TEST_ASSERT_EQ(ret, -EINVAL, "buffers on node 63 (the kernel has %d)", nr);
		TEST_ASSERT(strstr(out_text, "NUMA node 63") != NULL,
			    "no line naming node 63: '%s'", out_text);
	}
	munmap(p, len);
	free(al);
	return TEST_OK;
}

/* An mbind() that fails (a range with nothing mapped) says why, with
 * the kernel's errno, which it returns. */
static int
test_bufs_mbind_fails(void)
{
	size_t len = 2 * 4096;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct bind_args a = { .p = p, .len = len, .node = 0 };
	int ret;

	TEST_ASSERT(p != MAP_FAILED, "mmap");
	munmap(p, len);
	ret = stdout_of(call_bind, &a);
	if (ret == 0) {
		/* ENOSYS: no NUMA in this kernel, node 0 is where it is. */
		printf("    no mbind() here (kernel without NUMA): skipped\n");
		return TEST_OK;
	}
	TEST_ASSERT(ret == -EFAULT || ret == -ENOMEM, "bind of an unmapped range: %d", ret);
	TEST_ASSERT(strstr(out_text, "mbind") != NULL && strstr(out_text, strerror(-ret)) != NULL,
		    "no line saying mbind failed with '%s': '%s'", strerror(-ret), out_text);
	return TEST_OK;
}

/* Buffers on node 0: each page of them there. */
static int
test_bufs_node0(void)
{
	struct alloc_args *al = calloc(1, sizeof(*al));
	int ret;

	TEST_ASSERT(al != NULL, "calloc");
	al->o.working_set = 4 * 4096;
	al->o.buf_kind = BUF_MMAP;
	al->o.src_numa = 0;
	al->o.dst_numa = 0;
	ret = stdout_of(call_alloc, al);
	TEST_ASSERT_EQ(ret, 0, "buffers on node 0");
	for (uint32_t i = 0; i < al->b.nb; i++) {
		uint8_t *bufs[2] = { al->b.src[i], al->b.dst[i] };

		for (unsigned int k = 0; k < 2; k++) {
			int node = -1;

			memset(bufs[k], 0x5a, al->b.size);
			if (syscall(SYS_get_mempolicy, &node, NULL, 0, bufs[k],
				    MPOL_F_NODE | MPOL_F_ADDR) != 0) {
				TEST_ASSERT_EQ(errno, ENOSYS, "get_mempolicy");
				continue;
			}
			TEST_ASSERT_EQ(node, 0, "buffer %u side %u", i, k);
		}
	}
	bench_bufs_free(&al->b);
	free(al);
	return TEST_OK;
}

static const struct test_case bufs_cases[] = {
	{ "node_beyond", test_bufs_node_beyond },
	{ "mbind_fails", test_bufs_mbind_fails },
	{ "node0", test_bufs_node0 },
};

const struct test_suite suite_bench_bufs = {
	.name = "bench_bufs",
	.cases = bufs_cases,
	.nb_cases = RTE_DIM(bufs_cases),
};
