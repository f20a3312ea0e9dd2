/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The sw_iommu component on its own, through its driver-facing API
 * (sw_iommu.h), without a device: the PASID allocator (ranges, rotation,
 * exhaustion, release, across processes), foreign address-space access
 * (permission refused, exited process), the mapping lookup (PROCMAP_QUERY
 * and the maps text agree), the device-access guard (a bad address is an
 * error) and page resolve in our own and a foreign address space. The
 * guard takes signals: not under TSan. */

#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_sva_fault.h>

#include "sw_iommu.h"
#include "test.h"

#define PG 4096u

/* A range of 8 PASIDs picked by pid, apart from the pasid_pool suite's,
 * so that concurrent runs (which share the user's pool) rarely meet. */
static uint32_t
range_lo(uint32_t salt)
{
	return 700000u + ((uint32_t)getpid() % 10000u) * 32u + salt * 8u;
}

/* ---------------------------------------------------------- the allocator */

static int
test_pasid_range(void)
{
	const uint32_t lo = range_lo(0), hi = lo + 3;
	uint32_t p[4], q;

	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(0, 10, &q), -EINVAL, "min 0");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(11, 10, &q), -EINVAL, "min > max");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(1, RTE_BIT32(20), &q), -EINVAL, "max 2^20");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, NULL), -EINVAL, "NULL pasid");
	/* A new range starts at its lowest; each one once. */
	for (int k = 0; k < 4; k++) {
		TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &p[k]), 0, "alloc %d", k);
		TEST_ASSERT_EQ(p[k], lo + (uint32_t)k, "in order from the lowest");
	}
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), -ENOSPC, "exhausted");
	/* A freed one comes back; freeing what we do not hold is refused. */
	TEST_ASSERT_EQ(sw_iommu_pasid_free(p[1]), 0, "free");
	TEST_ASSERT_EQ(sw_iommu_pasid_free(p[1]), -ENOENT, "free twice");
	TEST_ASSERT_EQ(sw_iommu_pasid_free(RTE_BIT32(20)), -ENOENT, "free out of range");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), 0, "alloc after free");
	TEST_ASSERT_EQ(q, p[1], "the freed one");
	/* Rotation: freeing two, the next alloc does not take the lowest
	 * freed one again at once, but the one after the last handed out. */
	TEST_ASSERT_EQ(sw_iommu_pasid_free(p[0]), 0, "free");
	TEST_ASSERT_EQ(sw_iommu_pasid_free(p[3]), 0, "free");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), 0, "alloc");
	TEST_ASSERT_EQ(q, p[3], "rotation goes on from the last one");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), 0, "alloc");
	TEST_ASSERT_EQ(q, p[0], "then wraps");
	for (int k = 0; k < 4; k++)
		TEST_ASSERT_EQ(sw_iommu_pasid_free(p[k]), 0, "release %d", k);
	return TEST_OK;
}

/* Another process holds PASIDs of the range: we never get those; when it
 * exits (without freeing them) they come back. c2p: the child reports its
 * PASIDs; p2c: it holds them until its read end sees EOF. */
static int
pasid_procs_body(int c2p[2], int p2c[2], pid_t *child, uint32_t *mine, int *nmine)
{
	const uint32_t lo = range_lo(1), hi = lo + 3;
	uint32_t theirs[2], q;
	int st;

	fflush(stdout);
	*child = test_fork();
	TEST_ASSERT(*child >= 0, "fork");
	if (*child == 0) {
		uint32_t got[2] = { 0, 0 };
		char c;

		close(c2p[0]);
		close(p2c[1]);
		/* The fork handler gave the child its own, empty, view of the
		 * pool: it opens it again and conflicts with its parent. */
		if (sw_iommu_pasid_alloc(lo, hi, &got[0]) != 0 ||
		    sw_iommu_pasid_alloc(lo, hi, &got[1]) != 0 ||
		    write(c2p[1], got, sizeof(got)) != sizeof(got))
			_exit(1);
		while (read(p2c[0], &c, 1) > 0)
			;
		_exit(0);   /* without freeing: exiting releases them */
	}
	close(c2p[1]);
	c2p[1] = -1;
	close(p2c[0]);
	p2c[0] = -1;
	TEST_ASSERT_EQ(read(c2p[0], theirs, sizeof(theirs)), (int)sizeof(theirs),
		       "the child's PASIDs");
	for (int k = 0; k < 2; k++)
		TEST_ASSERT(theirs[k] >= lo && theirs[k] <= hi, "its PASID %u", theirs[k]);
	for (*nmine = 0; *nmine < 2; (*nmine)++) {
		TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &mine[*nmine]), 0, "ours");
		TEST_ASSERT(mine[*nmine] != theirs[0] && mine[*nmine] != theirs[1],
			    "PASID %u held by both processes", mine[*nmine]);
	}
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), -ENOSPC,
		       "the rest are the child's");
	close(p2c[1]);   /* EOF for the child: it exits */
	p2c[1] = -1;
	st = test_spawn_wait(*child, 60000);
	*child = -1;
	TEST_ASSERT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child ended");
	TEST_ASSERT_EQ(sw_iommu_pasid_alloc(lo, hi, &q), 0, "after it exited");
	TEST_ASSERT(q == theirs[0] || q == theirs[1], "one of its PASIDs: %u", q);
	mine[(*nmine)++] = q;
	return TEST_OK;
}

static int
test_pasid_processes(void)
{
	int p2c[2] = { -1, -1 }, c2p[2] = { -1, -1 }, ret, nmine = 0;
	uint32_t mine[3];
	pid_t child = -1;

	TEST_ASSERT(pipe(p2c) == 0 && pipe(c2p) == 0, "pipes");
	ret = pasid_procs_body(c2p, p2c, &child, mine, &nmine);
	for (int k = 0; k < 2; k++) {
		if (c2p[k] >= 0)
			close(c2p[k]);
		if (p2c[k] >= 0)
			close(p2c[k]);
	}
	if (child > 0)
		test_spawn_wait(child, 60000);
	for (int k = 0; k < nmine; k++)
		sw_iommu_pasid_free(mine[k]);
	return ret;
}

/* ------------------------------------------------- foreign address spaces */

/* A child whose area has page 0 read-only, page 1 PROT_NONE, page 2
 * writable, page 3 unmapped (all three filled with 0x11 before the fork),
 * and pages 4..5 writable and never touched, at the same addresses as in
 * our process. */
struct fchild {
	pid_t pid;
	uint8_t *area;
};

#define AREA_PAGES 6

static int
fchild_start(struct fchild *fc)
{
	fc->pid = -1;
	fc->area = mmap(NULL, AREA_PAGES * PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fc->area == MAP_FAILED)
		return -1;
	memset(fc->area, 0x11, 3 * PG);
	if (mprotect(fc->area, PG, PROT_READ) != 0 ||
	    mprotect(fc->area + PG, PG, PROT_NONE) != 0 ||
	    munmap(fc->area + 3 * PG, PG) != 0)
		return -1;
	fflush(stdout);
	fc->pid = test_fork();
	if (fc->pid < 0)
		return -1;
	if (fc->pid == 0) {
		for (;;)
			pause();
	}
	return 0;
}

static void
fchild_stop(struct fchild *fc)
{
	if (fc->pid > 0) {
		kill(fc->pid, SIGKILL);
		waitpid(fc->pid, NULL, 0);
		fc->pid = -1;
	}
	if (fc->area != MAP_FAILED && fc->area != NULL) {
		munmap(fc->area, 3 * PG);
		munmap(fc->area + 4 * PG, 2 * PG);
	}
	fc->area = NULL;
}

static struct rte_sva_mm
mm_of(pid_t pid)
{
	return (struct rte_sva_mm){
		.pid = pid, .pidfd = -1, .self = pid == getpid(),
		.backend = &sw_iommu_backend,
	};
}

/* Without ptrace-attach permission (uid 65534 over root's process) the
 * open is refused -EPERM; a process that is gone is -ESRCH; our own
 * address space opens nothing. */
static int
test_mm_open_refusals(void)
{
	struct rte_sva_mm mm = mm_of(getpid());
	int fds[2], st;
	pid_t kid;
	char rep = 0;

	TEST_ASSERT_EQ(sw_iommu_mm_open(NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(sw_iommu_mm_open(&mm), 0, "ourselves");
	TEST_ASSERT(mm.priv == NULL && sw_iommu_mm_memfd(&mm) == -1 &&
		    sw_iommu_mm_pagemap_fd(&mm) == -1, "nothing opened for ourselves");
	sw_iommu_mm_close(&mm);
	/* A reaped child's pid (not reused this fast in practice). */
	fflush(stdout);
	kid = test_fork();
	TEST_ASSERT(kid >= 0, "fork");
	if (kid == 0)
		_exit(0);
	TEST_ASSERT_EQ(waitpid(kid, NULL, 0), kid, "reap");
	mm = mm_of(kid);
	TEST_ASSERT_EQ(sw_iommu_mm_open(&mm), -ESRCH, "an exited process");
	TEST_ASSERT(mm.priv == NULL, "nothing kept");
	if (geteuid() != 0) {
		printf("    not root: the unprivileged refusal is not tried\n");
		return TEST_OK;
	}
	/* A child that became uid 65534 tries to reach us (root). */
	TEST_ASSERT_EQ(pipe(fds), 0, "pipe");
	fflush(stdout);
	kid = test_fork();
	TEST_ASSERT(kid >= 0, "fork");
	if (kid == 0) {
		struct rte_sva_mm parent = mm_of(getppid());

		close(fds[0]);
		if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		    setresuid(65534, 65534, 65534) != 0)
			rep = 'S';
		else
			rep = sw_iommu_mm_open(&parent) == -EPERM &&
				parent.priv == NULL ? 'P' : 'X';
		if (write(fds[1], &rep, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	st = (int)read(fds[0], &rep, 1);
	close(fds[0]);
	waitpid(kid, NULL, 0);
	TEST_ASSERT_EQ(st, 1, "the child's report");
	if (rep == 'S') {
		printf("    cannot become uid 65534: the unprivileged refusal is not tried\n");
		return TEST_OK;
	}
	TEST_ASSERT_EQ(rep, 'P', "uid 65534 reaching root's memory: -EPERM, nothing kept");
	return TEST_OK;
}

/* The mapping lookup, with PROCMAP_QUERY and with the text of the maps
 * file: the same answers, the byte counts a device may access, and -ESRCH
 * once the process is gone. Reading through the mem file reaches it. */
static int
vma_lookup_body(struct fchild *fc, struct rte_sva_mm *mm)
{
	struct rte_sva_mm self = mm_of(getpid());
	struct sw_iommu_vma v, cache;
	uint8_t byte = 0;
	uint64_t a;

	TEST_ASSERT_EQ(sw_iommu_vma_find(&self, (uintptr_t)&v, &v), -EINVAL,
		       "our own: -EINVAL");
	TEST_ASSERT_EQ(fchild_start(fc), 0, "fork child");
	a = (uintptr_t)fc->area;
	*mm = mm_of(fc->pid);
	TEST_ASSERT_EQ(sw_iommu_mm_open(mm), 0, "open the child");
	TEST_ASSERT(sw_iommu_mm_memfd(mm) >= 0 && sw_iommu_mm_pagemap_fd(mm) >= 0, "fds");
	TEST_ASSERT_EQ(pread(sw_iommu_mm_memfd(mm), &byte, 1, (off_t)a), 1, "read its memory");
	TEST_ASSERT_EQ(byte, 0x11, "its byte");
	for (int text = 0; text <= 1; text++) {
		const struct {
			uint64_t addr;
			int ret;
			uint32_t perm;
		} want[] = {
			{ a + 5, 0, RTE_SVA_PERM_READ },
			{ a + PG, 0, 0 },
			{ a + 2 * PG + PG - 1, 0, RTE_SVA_PERM_READ | RTE_SVA_PERM_WRITE },
			{ a + 3 * PG, -ENOENT, 0 },
		};

		sw_iommu_vma_text_only(text);
		for (unsigned int i = 0; i < RTE_DIM(want); i++) {
			int r = sw_iommu_vma_find(mm, want[i].addr, &v);

			TEST_ASSERT(r == want[i].ret && (r != 0 ||
				    (v.perm == want[i].perm && v.start <= want[i].addr &&
				     v.end > want[i].addr)),
				    "%s: %#" PRIx64 ": ret %d perm %u [%#" PRIx64 ", %#" PRIx64 ")",
				    text ? "text" : "ioctl", want[i].addr, r, v.perm, v.start, v.end);
		}
		memset(&cache, 0, sizeof(cache));
		TEST_ASSERT_EQ(sw_iommu_mm_accessible(mm, a + PG - 8, 16, RTE_SVA_PERM_READ,
						      &cache), 8, "read up to PROT_NONE");
		TEST_ASSERT_EQ(sw_iommu_mm_accessible(mm, a + PG - 8, 16, RTE_SVA_PERM_WRITE,
						      &cache), 0, "no write to read-only");
		TEST_ASSERT_EQ(sw_iommu_mm_accessible(mm, a + 2 * PG, 2 * PG, RTE_SVA_PERM_WRITE,
						      &cache), PG, "write up to the hole");
		TEST_ASSERT_EQ(sw_iommu_mm_accessible(mm, a + 2 * PG + 1, 100,
						      RTE_SVA_PERM_WRITE, &cache), 100, "inside");
	}
	kill(fc->pid, SIGKILL);
	waitpid(fc->pid, NULL, 0);
	fc->pid = -1;
	for (int text = 0; text <= 1; text++) {
		sw_iommu_vma_text_only(text);
		TEST_ASSERT_EQ(sw_iommu_vma_find(mm, a, &v), -ESRCH,
			       "%s: the exited child's mappings", text ? "text" : "ioctl");
	}
	return TEST_OK;
}

static int
test_vma_lookup(void)
{
	struct fchild fc = { .pid = -1, .area = NULL };
	struct rte_sva_mm mm = mm_of(0);
	int ret = vma_lookup_body(&fc, &mm);

	sw_iommu_vma_text_only(false);
	sw_iommu_mm_close(&mm);
	TEST_ASSERT(mm.priv == NULL, "closed");
	fchild_stop(&fc);
	return ret;
}

/* ------------------------------------------------------------- the guard */

static int
test_guard(void)
{
	uint8_t *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret = TEST_FAILED;

	TEST_ASSERT(p != MAP_FAILED, "mmap");
	p[0] = 0x5a;
	if (sw_iommu_guard_install() != 0 ||
	    mprotect(p + PG, PG, PROT_READ) != 0 || munmap(p + 2 * PG, PG) != 0) {
		printf("    FAIL: setup\n");
		goto out;
	}
	if (sw_iommu_guard_touch(p, 1) != 0 || p[0] != 0x5a ||
	    sw_iommu_guard_touch(p + PG, 0) != 0 ||
	    sw_iommu_guard_touch(p + PG, 1) != -EFAULT ||
	    sw_iommu_guard_touch(p + 2 * PG, 0) != -EFAULT ||
	    sw_iommu_guard_touch(NULL, 0) != -EFAULT) {
		printf("    FAIL: touches: write %d read-only r/w %d/%d unmapped %d NULL %d, byte %#x\n",
		       sw_iommu_guard_touch(p, 1), sw_iommu_guard_touch(p + PG, 0),
		       sw_iommu_guard_touch(p + PG, 1), sw_iommu_guard_touch(p + 2 * PG, 0),
		       sw_iommu_guard_touch(NULL, 0), p[0]);
		goto out;
	}
	/* Still alive, and the write touch kept the byte: the guard turned
	 * every bad access into an error. */
	ret = TEST_OK;
out:
	munmap(p, 2 * PG);
	return ret;
}

/* ---------------------------------------------------------- page resolve */

static bool
resident(const void *page)
{
	unsigned char v = 0;

	return mincore((void *)(uintptr_t)page, PG, &v) == 0 && (v & 1);
}

/* Our own address space: the page and the pages around it come in; a
 * write to a read-only page or an unmapped one is INVALID. */
static int
test_resolve_self(void)
{
	struct rte_sva_mm mm = mm_of(getpid());
	uint8_t *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret = TEST_FAILED;

	TEST_ASSERT(p != MAP_FAILED, "mmap");
	if (sw_iommu_mm_open(&mm) != 0 || mprotect(p + 6 * PG, PG, PROT_READ) != 0 ||
	    munmap(p + 7 * PG, PG) != 0) {
		printf("    FAIL: setup\n");
		goto out;
	}
	if (resident(p) || resident(p + 3 * PG)) {
		printf("    SKIP: fresh pages already resident here\n");
		ret = TEST_SKIPPED;
		goto out;
	}
	/* Page 1 plus 2 around (pages 2, 3): 0..3 minus page 0 untouched. */
	if (sw_iommu_page_resolve(&mm, (uintptr_t)(p + PG + 100), RTE_SVA_PERM_WRITE, 2) !=
	    RTE_SVA_PAGE_RESP_SUCCESS ||
	    !resident(p + PG) || !resident(p + 2 * PG) || !resident(p + 3 * PG) ||
	    resident(p) || resident(p + 4 * PG)) {
		printf("    FAIL: page 1 with 2 around: resident %d %d %d %d %d\n",
		       resident(p), resident(p + PG), resident(p + 2 * PG),
		       resident(p + 3 * PG), resident(p + 4 * PG));
		goto out;
	}
	if (sw_iommu_page_resolve(&mm, (uintptr_t)(p + 6 * PG), RTE_SVA_PERM_WRITE, 0) !=
	    RTE_SVA_PAGE_RESP_INVALID ||
	    sw_iommu_page_resolve(&mm, (uintptr_t)(p + 6 * PG), RTE_SVA_PERM_READ, 0) !=
	    RTE_SVA_PAGE_RESP_SUCCESS ||
	    sw_iommu_page_resolve(&mm, (uintptr_t)(p + 7 * PG), RTE_SVA_PERM_READ, 0) !=
	    RTE_SVA_PAGE_RESP_INVALID) {
		printf("    FAIL: read-only / unmapped pages\n");
		goto out;
	}
	ret = TEST_OK;
out:
	sw_iommu_mm_close(&mm);
	munmap(p, 7 * PG);
	return ret;
}

/* The child's present bit of the page at a, from its pagemap. */
static int
child_present(const struct rte_sva_mm *mm, uint64_t a)
{
	uint64_t pte = 0;

	if (pread(sw_iommu_mm_pagemap_fd(mm), &pte, sizeof(pte),
		  (off_t)(a / PG * sizeof(pte))) != sizeof(pte))
		return -1;
	return (pte >> 63) & 1;
}

/* A foreign address space: its permissions hold (write to read-only,
 * read of PROT_NONE, unmapped: INVALID); an untouched page comes in. */
static int
resolve_foreign_body(struct fchild *fc, struct rte_sva_mm *mm)
{
	uint64_t a;

	TEST_ASSERT_EQ(fchild_start(fc), 0, "fork child");
	a = (uintptr_t)fc->area;
	*mm = mm_of(fc->pid);
	TEST_ASSERT_EQ(sw_iommu_mm_open(mm), 0, "open the child");
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a, RTE_SVA_PERM_WRITE, 0),
		       RTE_SVA_PAGE_RESP_INVALID, "write to its read-only page");
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a, RTE_SVA_PERM_READ, 0),
		       RTE_SVA_PAGE_RESP_SUCCESS, "read of its read-only page");
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a + PG, RTE_SVA_PERM_READ, 0),
		       RTE_SVA_PAGE_RESP_INVALID, "read of its PROT_NONE page");
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a + 3 * PG, RTE_SVA_PERM_READ, 0),
		       RTE_SVA_PAGE_RESP_INVALID, "its unmapped page");
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a + 2 * PG + 8, RTE_SVA_PERM_WRITE, 0),
		       RTE_SVA_PAGE_RESP_SUCCESS, "write to its writable page");
	if (child_present(mm, a + 4 * PG) != 0 || child_present(mm, a + 5 * PG) != 0) {
		printf("    (untouched pages of the child read present: residency not checked)\n");
	} else {
		TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a + 4 * PG, RTE_SVA_PERM_READ, 1),
			       RTE_SVA_PAGE_RESP_SUCCESS, "its untouched page, 1 around");
		TEST_ASSERT_EQ(child_present(mm, a + 4 * PG), 1, "present now");
		TEST_ASSERT_EQ(child_present(mm, a + 5 * PG), 1, "and the one around");
	}
	/* Gone: every request is INVALID. */
	kill(fc->pid, SIGKILL);
	waitpid(fc->pid, NULL, 0);
	fc->pid = -1;
	TEST_ASSERT_EQ(sw_iommu_page_resolve(mm, a + 2 * PG, RTE_SVA_PERM_READ, 0),
		       RTE_SVA_PAGE_RESP_INVALID, "an exited process");
	return TEST_OK;
}

static int
test_resolve_foreign(void)
{
	struct fchild fc = { .pid = -1, .area = NULL };
	struct rte_sva_mm mm = mm_of(0);
	int ret = resolve_foreign_body(&fc, &mm);

	sw_iommu_mm_close(&mm);
	fchild_stop(&fc);
	return ret;
}

static int
nb_attach(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(pasid);
	RTE_SET_USED(mm);
	return 0;
}

static int
nb_detach(struct rte_sva_dev *dev, uint32_t pasid)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(pasid);
	return 0;
}

static int
nb_info(const struct rte_sva_dev *dev, struct rte_sva_info *info)
{
	RTE_SET_USED(dev);
	info->pasid_bits = RTE_SVA_PASID_BITS_MAX;
	return 0;
}

static const struct rte_sva_dev_ops nb_ops = {
	.dev_info_get = nb_info, .pasid_attach = nb_attach, .pasid_detach = nb_detach,
};

/* A device joins a container only with a backend, and only one of the
 * container's backend. */
static int
backend_join_body(struct rte_sva_dev *dev, int cid)
{
	static const struct rte_sva_backend other = {
		.name = "other", .flags = RTE_SVA_BACKEND_F_KERNEL_PASID,
	};

	TEST_ASSERT(dev != NULL && cid >= 0, "device and container");
	dev->dev_ops = &nb_ops;
	rte_sva_pmd_probing_finish(dev);
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, dev->dev_id), -ENOTSUP, "no backend");
	dev->backend = &other;
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, tenv.dev_id), -EEXIST,
		       "the fixture's device is in the fixture's container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(cid, dev->dev_id), 0, "a kernel-PASID backend");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(cid, dev->dev_id), 0, "out again");
	dev->backend = &sw_iommu_backend;
	TEST_ASSERT_EQ(rte_sva_container_add_dev(tenv.cid, dev->dev_id), 0,
		       "the fixture's backend");
	TEST_ASSERT_EQ(rte_sva_container_remove_dev(tenv.cid, dev->dev_id), 0, "out again");
	dev->backend = &other;
	TEST_ASSERT_EQ(rte_sva_container_add_dev(tenv.cid, dev->dev_id), -EXDEV,
		       "another backend than the container's");
	return TEST_OK;
}

static int
test_backend_join(void)
{
	struct rte_sva_dev *dev = rte_sva_pmd_allocate("sw_iommu_test0", SOCKET_ID_ANY, 64);
	int cid = rte_sva_container_create(), ret;

	ret = backend_join_body(dev, cid);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	if (dev != NULL)
		rte_sva_pmd_release(dev);
	return ret;
}

/* The backend object software devices name, as the contract wants it. */
static int
test_backend(void)
{
	const struct rte_sva_backend *be = &sw_iommu_backend;

	TEST_ASSERT(be->name != NULL && strcmp(be->name, "sw_iommu") == 0, "name");
	TEST_ASSERT_EQ(be->flags, RTE_SVA_BACKEND_F_FOREIGN, "flags");
	TEST_ASSERT(be->mm_open != NULL && be->mm_close != NULL &&
		    be->pasid_alloc != NULL && be->pasid_free != NULL &&
		    be->page_resolve != NULL, "operations");
	TEST_ASSERT(rte_sva_pmd_get_dev(tenv.dev_id)->backend == be,
		    "the sim names it");
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "PASIDs: range, order, exhaustion, release", test_pasid_range },
	{ "PASIDs: another process's are never ours", test_pasid_processes },
	{ "address spaces: refused without permission", test_mm_open_refusals },
	{ "mapping lookup: ioctl and text agree", test_vma_lookup },
	{ "guard: a bad address is an error", test_guard },
	{ "page resolve: our own address space", test_resolve_self },
	{ "page resolve: a foreign address space", test_resolve_foreign },
	{ "the backend object", test_backend },
	{ "a container's devices share one backend", test_backend_join },
};

const struct test_suite suite_sw_iommu = { "sw_iommu", cases, RTE_DIM(cases), NULL };
