/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Bonds to another process by pid: a forked child's memory is written and
 * read by the device through its own PASID, then the child is killed with
 * operations pending and the bond goes defunct. The mapping lookup itself
 * is tested with the sw_iommu component (test_sw_iommu.c). */

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>

#include "sw_iommu.h"

#include "test.h"

#define FBUF (256u * 1024)
#define FPATTERN 0x1122334455667788ull

struct child {
	pid_t pid;
	int to_child, from_child;
	uint8_t *a, *b, *c, *hole;   /* addresses valid in the child */
};

/* The child: make its buffers, say ready, verify on request. Never touches
 * EAL (it has none of its threads). */
static void __rte_noreturn
child_main(struct child *ch, int rfd, int wfd)
{
	char cmd;
	uint8_t ok = 1;

	test_fill_random(ch->a, FBUF, 42);
	memset(ch->b, 0, FBUF);
	memset(ch->c, 0, FBUF);
	if (write(wfd, "r", 1) != 1)
		_exit(2);
	if (read(rfd, &cmd, 1) != 1)
		_exit(3);
	/* B must be a copy of A; C filled with FPATTERN from offset 8. */
	if (memcmp(ch->a, ch->b, FBUF) != 0)
		ok = 0;
	for (uint32_t i = 0; i < FBUF - 8; i++)
		if (ch->c[8 + i] != (uint8_t)(FPATTERN >> ((i % 8) * 8)))
			ok = 0;
	if (ch->c[0] != 0)
		ok = 0;
	if (write(wfd, &ok, 1) != 1)
		_exit(4);
	pause();
	_exit(0);
}

static int
child_start(struct child *ch)
{
	int p1[2], p2[2];
	char ready;

	/* Allocated before fork, so the addresses are the same in the child;
	 * the child writes its own contents after fork (copy on write). */
	ch->a = mmap(NULL, 4 * FBUF, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ch->a == MAP_FAILED)
		return -1;
	ch->b = ch->a + FBUF;
	ch->c = ch->b + FBUF;
	ch->hole = ch->c + FBUF;
	munmap(ch->hole, FBUF);   /* unmapped in both processes */
	if (pipe(p1) != 0 || pipe(p2) != 0)
		return -1;
	ch->pid = test_fork();
	if (ch->pid < 0)
		return -1;
	if (ch->pid == 0) {
		close(p1[1]);
		close(p2[0]);
		child_main(ch, p1[0], p2[1]);
	}
	close(p1[0]);
	close(p2[1]);
	ch->to_child = p1[1];
	ch->from_child = p2[0];
	if (read(ch->from_child, &ready, 1) != 1)
		return -1;
	/* In the parent, A/B/C hold nothing meaningful: poison them so a
	 * device that wrongly used our own address space would be caught. */
	memset(ch->a, 0xee, 3 * FBUF);
	return 0;
}

static void
child_stop(struct child *ch)
{
	kill(ch->pid, SIGKILL);
	waitpid(ch->pid, NULL, 0);
	close(ch->to_child);
	close(ch->from_child);
	munmap(ch->a, 3 * FBUF);
}

static int
test_foreign_copy(void)
{
	struct rte_sva_result r[5];
	struct child ch;
	uint32_t pasid, pasid2, crc_ref;
	uint8_t *ref = malloc(FBUF), ok = 0;
	int ret = TEST_FAILED;

	TEST_ASSERT(ref != NULL, "malloc");
	test_fill_random(ref, FBUF, 42);   /* what the child's A holds */
	crc_ref = test_crc32c_ref(0, ref, FBUF);
	free(ref);
	TEST_ASSERT_EQ(child_start(&ch), 0, "fork child");
	if (rte_sva_bind(tenv.cid, ch.pid, &pasid) != 0) {
		printf("    bind of child %d failed\n", ch.pid);
		goto out;
	}
	if (rte_sva_bind(tenv.cid, ch.pid, &pasid2) != 0 || pasid2 != pasid ||
	    pasid == tenv.pasid) {
		printf("    rebind: PASID %u then %u (self %u)\n", pasid, pasid2,
		       tenv.pasid);
		goto unbind;
	}
	rte_sva_unbind(tenv.cid, ch.pid);
	/* All addresses below are the child's. */
	if (rte_sva_copy(tenv.dev_id, 0, pasid, ch.a, ch.b, FBUF, 0) < 0 ||
	    rte_sva_fill(tenv.dev_id, 0, pasid, FPATTERN, ch.c + 8, FBUF - 8, 0) < 0 ||
	    rte_sva_crc32c(tenv.dev_id, 0, pasid, ch.a, 0, FBUF, 0) < 0 ||
	    rte_sva_compare(tenv.dev_id, 0, pasid, ch.a, ch.b, FBUF, 0) < 0 ||
	    rte_sva_copy(tenv.dev_id, 0, pasid, ch.hole + 100, ch.b, 64, 0) < 0 ||
	    rte_sva_submit(tenv.dev_id, 0) != 0 ||
	    test_wait_results(tenv.dev_id, 0, 5, r) != 0) {
		printf("    enqueue/wait failed\n");
		goto unbind;
	}
	if (r[0].status || r[1].status || r[2].status || r[3].status ||
	    r[2].crc != crc_ref || r[4].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[4].fault_addr != (uintptr_t)(ch.hole + 100) ||
	    r[4].bytes_completed != 0) {
		printf("    statuses %u %u %u %u %u, crc 0x%x (want 0x%x), fault at %#" PRIx64 "\n",
		       r[0].status, r[1].status, r[2].status, r[3].status,
		       r[4].status, r[2].crc, crc_ref, r[4].fault_addr);
		goto unbind;
	}
	if (write(ch.to_child, "c", 1) != 1 || read(ch.from_child, &ok, 1) != 1 ||
	    ok != 1) {
		printf("    the child found its memory wrong\n");
		goto unbind;
	}
	/* Our own buffers at the same addresses stayed poisoned. */
	if (ch.a[0] != 0xee || ch.b[FBUF / 2] != 0xee || ch.c[100] != 0xee) {
		printf("    the device wrote our address space, not the child's\n");
		goto unbind;
	}
	ret = TEST_OK;
unbind:
	TEST_ASSERT_EQ(rte_sva_unbind(tenv.cid, ch.pid), 0, "unbind");
out:
	child_stop(&ch);
	return ret;
}

/* The child dies with operations queued: they complete BAD_PASID_ENTRY and
 * nothing touches a stale address space; unbind still works. */
static int
test_foreign_defunct(void)
{
	struct rte_sva_result r[64];
	struct child ch;
	uint32_t pasid;
	uint64_t deadline;
	int ret = TEST_FAILED;

	TEST_ASSERT_EQ(child_start(&ch), 0, "fork child");
	if (rte_sva_bind(tenv.cid, ch.pid, &pasid) != 0)
		goto out;
	for (int i = 0; i < 64; i++)
		if (rte_sva_copy(tenv.dev_id, 0, pasid, ch.a, ch.b, FBUF, 0) < 0)
			goto unbind;
	kill(ch.pid, SIGKILL);
	waitpid(ch.pid, NULL, 0);
	/* The monitor notices promptly (pidfd); bounded wait for it. */
	deadline = rte_get_timer_cycles() + rte_get_timer_hz();
	while (rte_get_timer_cycles() < deadline) {
		uint32_t p2;

		if (rte_sva_bind(tenv.cid, ch.pid, &p2) == -ESRCH)
			break;
		rte_sva_unbind(tenv.cid, ch.pid);
		rte_delay_ms(1);
	}
	if (rte_sva_submit(tenv.dev_id, 0) != 0 ||
	    test_wait_results(tenv.dev_id, 0, 64, r) != 0)
		goto unbind;
	for (int i = 0; i < 64; i++) {
		if (r[i].status != RTE_SVA_STATUS_BAD_PASID_ENTRY) {
			printf("    op %d: %s\n", i, rte_sva_status_str(r[i].status));
			goto unbind;
		}
	}
	ret = TEST_OK;
unbind:
	if (rte_sva_unbind(tenv.cid, ch.pid) != 0) {
		printf("    unbind of the defunct bond failed\n");
		ret = TEST_FAILED;
	}
out:
	ch.pid = ch.pid > 0 ? ch.pid : 0;
	close(ch.to_child);
	close(ch.from_child);
	munmap(ch.a, 3 * FBUF);
	return ret;
}

/* A child with page 0 read-only, page 1 PROT_NONE, page 2 writable and
 * page 3 unmapped, at the same addresses as in our process. */
struct perm_child {
	pid_t pid;
	uint8_t *area;
};

#define PERM_PG 4096u

static int
perm_child_start(struct perm_child *pc)
{
	pc->area = mmap(NULL, 4 * PERM_PG, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pc->area == MAP_FAILED)
		return -1;
	memset(pc->area, 0x11, 3 * PERM_PG);
	if (mprotect(pc->area, PERM_PG, PROT_READ) != 0 ||
	    mprotect(pc->area + PERM_PG, PERM_PG, PROT_NONE) != 0 ||
	    munmap(pc->area + 3 * PERM_PG, PERM_PG) != 0)
		return -1;
	pc->pid = test_fork();
	if (pc->pid < 0)
		return -1;
	if (pc->pid == 0) {
		for (;;)
			pause();
	}
	return 0;
}

static void
perm_child_stop(struct perm_child *pc)
{
	if (pc->pid > 0) {
		kill(pc->pid, SIGKILL);
		waitpid(pc->pid, NULL, 0);
	}
	munmap(pc->area, 3 * PERM_PG);
}

/* The device sees the child's page permissions, as an IOMMU sharing its
 * page tables would: a write to a read-only page and a read of a PROT_NONE
 * page fault, and the child's memory stays as it was. */
static int
foreign_permissions(bool text)
{
	const uint32_t pg = PERM_PG;
	struct rte_sva_result r[4];
	struct perm_child pc;
	uint8_t probe[2] = { 0xaa, 0xaa };
	uint32_t pasid;
	int memfd = -1, ret = TEST_FAILED;
	uint8_t *area;

	sw_iommu_vma_text_only(text);
	TEST_ASSERT_EQ(perm_child_start(&pc), 0, "fork child");
	area = pc.area;
	if (rte_sva_bind(tenv.cid, pc.pid, &pasid) != 0) {
		printf("    bind of child %d failed\n", pc.pid);
		goto out;
	}
	/* Copies between the child's pages, by their addresses: only the
	 * third, writable one may change. */
	if (rte_sva_copy(tenv.dev_id, 0, pasid, area + 2 * pg, area, 64, 0) < 0 ||
	    rte_sva_copy(tenv.dev_id, 0, pasid, area + 2 * pg, area + pg + 8, 64, 0) < 0 ||
	    rte_sva_copy(tenv.dev_id, 0, pasid, area + pg, area + 2 * pg + 64, 64, 0) < 0 ||
	    rte_sva_fill(tenv.dev_id, 0, pasid, 0x77, area + 3 * pg - 8, 16, 0) < 0 ||
	    rte_sva_submit(tenv.dev_id, 0) != 0 ||
	    test_wait_results(tenv.dev_id, 0, 4, r) != 0) {
		printf("    enqueue/wait failed\n");
		goto unbind;
	}
	if (r[0].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[0].fault_addr != (uintptr_t)area ||
	    !(r[0].flags & RTE_SVA_RESULT_F_WRITE) ||
	    r[1].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[1].fault_addr != (uintptr_t)(area + pg + 8) ||
	    !(r[1].flags & RTE_SVA_RESULT_F_WRITE) ||
	    r[2].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[2].fault_addr != (uintptr_t)(area + pg) ||
	    (r[2].flags & RTE_SVA_RESULT_F_WRITE) ||
	    /* The fill's first 8 bytes land, then the hole. */
	    r[3].status != RTE_SVA_STATUS_PAGE_FAULT ||
	    r[3].fault_addr != (uintptr_t)(area + 3 * pg) ||
	    r[3].bytes_completed != 8) {
		printf("    statuses %s %s %s %s, faults at %p %p %p %p (area %p)\n",
		       rte_sva_status_str(r[0].status), rte_sva_status_str(r[1].status),
		       rte_sva_status_str(r[2].status), rte_sva_status_str(r[3].status),
		       (void *)(uintptr_t)r[0].fault_addr,
		       (void *)(uintptr_t)r[1].fault_addr,
		       (void *)(uintptr_t)r[2].fault_addr,
		       (void *)(uintptr_t)r[3].fault_addr, area);
		goto unbind;
	}
	/* The child's read-only page holds what it held; the fill reached
	 * the end of its writable page (read through /proc/pid/mem). */
	{
		char path[64];
		uint8_t tail[8];

		snprintf(path, sizeof(path), "/proc/%d/mem", (int)pc.pid);
		memfd = open(path, O_RDONLY);
		if (memfd < 0 ||
		    pread(memfd, probe, 2, (off_t)(uintptr_t)area) != 2 ||
		    pread(memfd, tail, 8, (off_t)(uintptr_t)(area + 3 * pg - 8)) != 8 ||
		    probe[0] != 0x11 || probe[1] != 0x11 || tail[0] != 0x77 ||
		    tail[7] != 0x00) {
			printf("    the child's memory is wrong: %02x %02x, tail %02x %02x\n",
			       probe[0], probe[1], tail[0], tail[7]);
			goto unbind;
		}
	}
	ret = TEST_OK;
unbind:
	TEST_ASSERT_EQ(rte_sva_unbind(tenv.cid, pc.pid), 0, "unbind");
out:
	sw_iommu_vma_text_only(false);
	if (memfd >= 0)
		close(memfd);
	perm_child_stop(&pc);
	return ret;
}

static int
test_foreign_permissions(void)
{
	return foreign_permissions(false);
}

static int
test_foreign_permissions_text(void)
{
	return foreign_permissions(true);
}

/* add_dev replays bonds in order; when one fails part way, those already
 * replayed are undone: the device ends with an empty PASID table. */
static int
test_replay_rollback(void)
{
	const uint32_t small = 40 + (uint32_t)getpid() % 200;
	const uint32_t big = 5000 + (uint32_t)getpid() % 100000;
	struct rte_sva_result r;
	struct child ch;
	uint32_t p_self = 0, p_child = 0;
	uint8_t *buf = malloc(128);
	int16_t d8, d20;
	int cid, ret = TEST_FAILED;

	TEST_ASSERT(buf != NULL, "malloc");
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim8", NULL), 0, "probe 20-bit device");
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim9", "pasid_bits=8"), 0, "probe 8-bit device");
	d20 = (int16_t)rte_sva_get_dev_id_by_name("sva_sim8");
	d8 = (int16_t)rte_sva_get_dev_id_by_name("sva_sim9");
	TEST_ASSERT_EQ(test_dev_setup(d8, 1, 64), 0, "start 8-bit device");
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0 && rte_sva_container_add_dev(cid, d20) == 0, "container");
	TEST_ASSERT_EQ(child_start(&ch), 0, "fork child");
	/* Bond 1 (ours) gets a PASID the 8-bit device takes, bond 2 not. */
	if (rte_sva_pasid_range_set(small, small) != 0 ||
	    rte_sva_bind(cid, 0, &p_self) != 0 || p_self != small ||
	    rte_sva_pasid_range_set(big, big) != 0 ||
	    rte_sva_bind(cid, ch.pid, &p_child) != 0 || p_child != big) {
		printf("    binds: self %u child %u\n", p_self, p_child);
		goto out;
	}
	if (rte_sva_container_add_dev(cid, d8) != -ERANGE) {
		printf("    add_dev of the 8-bit device was not refused\n");
		goto out;
	}
	/* Bond 1 was replayed, then undone. */
	if (rte_sva_copy(d8, 0, p_self, buf, buf + 64, 64, RTE_SVA_OP_FLAG_SUBMIT) < 0 ||
	    test_wait_results(d8, 0, 1, &r) != 0 ||
	    r.status != RTE_SVA_STATUS_INVALID_PASID) {
		printf("    PASID %u still attached on the refused device: %s\n",
		       p_self, rte_sva_status_str(r.status));
		goto out;
	}
	ret = TEST_OK;
out:
	rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1);
	rte_sva_container_destroy(cid);
	child_stop(&ch);
	rte_sva_stop(d8);
	rte_vdev_uninit("sva_sim8");
	rte_vdev_uninit("sva_sim9");
	free(buf);
	return ret;
}

static const struct test_case cases[] = {
	{ "copy/fill/crc/compare in a forked child", test_foreign_copy },
	{ "child killed with ops queued: defunct", test_foreign_defunct },
	{ "child's read-only and PROT_NONE pages fault", test_foreign_permissions },
	{ "the same, mappings read from maps text", test_foreign_permissions_text },
	{ "replay fails part way: rolled back", test_replay_rollback },
};

const struct test_suite suite_foreign = { "foreign", cases, RTE_DIM(cases) };
