/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/*
 * Kernel-lab cases: the iommufd backend's own VFIO cdev path
 * (drivers/sva/iommufd: sva_iommufd_open(), sva_iommufd_open_rid(),
 * sva_iommufd_map()) on QEMU's edu device behind the emulated Intel IOMMU,
 * on the lab's real kernel. vfio_edu.c checks the same kernel with raw
 * ioctls; these cases check what the backend does with it.
 *   vfio_backend CASE      (CASE: see the table at the end; --list lists them)
 * Run in the lab guest: bash lab/lab.sh run -- build/app/test-lab/vfio_backend nopasid
 * Outside the guest (no edu device) every case exits 77.
 */
#include <dirent.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lab_edu.h"
#include <rte_common.h>

#include "sva_iommufd.h"

const char *lab_case = "vfio_backend";

#define PG 4096ul

/* Open file descriptors of this process (the backend must leave none). */
static int
nb_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	LAB_CHECK(d != NULL, "opendir /proc/self/fd");
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

static void
dma_ok(struct lab_edu *e, const void *va, uint32_t off, uint32_t len, int to_ram)
{
	int rc = lab_edu_dma(e, (uintptr_t)va, off, len, to_ram);

	LAB_CHECK(rc == 0, "edu DMA %s %p len %u: %s (hung?)", to_ram ? "to" : "from", va,
		  len, strerror(-rc));
}

/* src -> edu[off] -> dst, verified byte for byte, nothing written around dst. */
static void
round_trip(struct lab_edu *e, uint8_t *src, uint8_t *dst, uint32_t off, uint32_t len,
	   uint32_t seed)
{
	size_t i;

	lab_fill(src, len, seed);
	memset(dst - 16, 0xa5, len + 32);
	dma_ok(e, src, off, len, 0);
	dma_ok(e, dst, off, len, 1);
	for (i = 0; i < len; i++)
		LAB_CHECK(dst[i] == src[i], "len %u: byte %zu is %#x, want %#x", len, i,
			  dst[i], src[i]);
	for (i = 1; i <= 16; i++)
		LAB_CHECK(dst[-(ssize_t)i] == 0xa5 && dst[len + i - 1] == 0xa5,
			  "len %u: DMA wrote outside [dst, dst+len)", len);
}

/* The raw sequence of vfio_edu.c: the device is usable (bind, IOAS,
 * attach, DMA verified), so the backend left nothing behind. */
static void
raw_dma_works(void)
{
	struct lab_edu e;
	uint8_t *src, *dst;

	lab_edu_open(&e);
	src = lab_page_alloc(PG);
	dst = lab_page_alloc(PG);
	LAB_OK(lab_ioas_map_va(e.iommufd, e.ioas, src, PG));
	LAB_OK(lab_ioas_map_va(e.iommufd, e.ioas, dst, PG));
	round_trip(&e, src, dst + 64, 3, 2000, 41);
	LAB_NOTE("raw bind + IOAS + attach + 2000-byte DMA: verified");
	lab_edu_close(&e);
	munmap(src, PG);
	munmap(dst, PG);
}

/* The PASID open on edu (no PASID, no PRI): refused, clearly, and nothing
 * left open. */
static void
case_nopasid(void)
{
	struct sva_iommufd ctx;
	struct lab_edu e;
	int fds, ret;

	lab_edu_find_and_bind(&e);
	fds = nb_fds();
	ret = sva_iommufd_open(&ctx, e.bdf);
	LAB_NOTE("sva_iommufd_open(%s) = %d (%s): \"%s\"", e.bdf, ret,
		 ret < 0 ? strerror(-ret) : "ok", ctx.err);
	if (ret == 0) {
		ret = sva_iommufd_pasid_attach(&ctx, 1);
		LAB_NOTE("sva_iommufd_pasid_attach(1) = %d (%s): \"%s\"", ret,
			 strerror(-ret), ctx.err);
		sva_iommufd_close(&ctx);
		LAB_FAIL("sva_iommufd_open on a device without PASID/PRI succeeded");
	}
	LAB_CHECK(ret == -ENOTSUP, "open returned %d (%s), want -ENOTSUP", ret, strerror(-ret));
	LAB_CHECK(strstr(ctx.err, SVA_MSG_NO_PASID) != NULL, "err \"%s\" lacks \"%s\"",
		  ctx.err, SVA_MSG_NO_PASID);
	LAB_CHECK(ctx.iommufd == -1 && ctx.devfd == -1 && ctx.fault_fd == -1,
		  "fds left in ctx: iommufd %d devfd %d fault_fd %d", ctx.iommufd, ctx.devfd,
		  ctx.fault_fd);
	LAB_CHECK(ctx.ioas_id == 0 && ctx.hwpt_id == 0 && ctx.fault_id == 0,
		  "ids left in ctx: ioas %u hwpt %u fault %u", ctx.ioas_id, ctx.hwpt_id,
		  ctx.fault_id);
	LAB_CHECK(nb_fds() == fds, "%d fds open before the open, %d after", fds, nb_fds());
	/* sva_kbackend_probe says the same, and also leaves nothing. */
	{
		char why[512];
		enum sva_kbackend b = sva_kbackend_probe(e.bdf, -1, why, sizeof(why));

		LAB_NOTE("sva_kbackend_probe: %d \"%s\"", (int)b, why);
		LAB_CHECK(b == SVA_KBACKEND_NONE, "probe chose backend %d", (int)b);
		LAB_CHECK(strstr(why, SVA_MSG_NO_PASID) != NULL, "why \"%s\"", why);
		LAB_CHECK(nb_fds() == fds, "probe left %d fds open", nb_fds() - fds);
	}
	raw_dma_works();
}

/* The backend context as an edu handle (BAR and DMA helpers of lab_edu). */
static void
edu_of(struct lab_edu *e, struct sva_iommufd *ctx)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->bdf, sizeof(e->bdf), "%s", ctx->bdf);
	e->devfd = ctx->devfd;
	e->iommufd = ctx->iommufd;
	e->devid = ctx->dev_id;
	e->ioas = ctx->ioas_id;
	e->hwpt = ctx->rid_pt_id;
	lab_edu_map_bar(e);
	lab_edu_bus_master(e);
	LAB_CHECK((*(volatile uint32_t *)(e->bar + EDU_REG_ID) & 0xff) == 0xed,
		  "edu id register reads %#x", *(volatile uint32_t *)(e->bar + EDU_REG_ID));
}

/* No PASID: the RID on the IOAS (after the refused fault hwpt and the
 * detach), malloc VA as IOVA mapped with sva_iommufd_map(), real DMA both
 * ways; a VA not mapped is blocked and reported, not hung. */
static void
case_rid_dma(void)
{
	static const struct { uint32_t len, off, src_mis, dst_mis; } t[] = {
		{ 1, 0, 0, 0 }, { 100, 7, 3, 5 }, { 1500, 0, 2000, 3000 }, { 4000, 50, 96, 0 },
	};
	struct sva_iommufd_counters c;
	struct sva_iommufd ctx;
	struct lab_edu e, probe;
	uint8_t *src, *dst, *unmapped, copy[256];
	char line[512], want_addr[64];
	uint64_t seq, maps;
	unsigned int i;
	int fds, ret;

	lab_edu_find_and_bind(&probe);
	fds = nb_fds();
	ret = sva_iommufd_open_rid(&ctx, probe.bdf);
	LAB_CHECK(ret == 0, "sva_iommufd_open_rid(%s) = %d (%s): %s", probe.bdf, ret,
		  strerror(-ret), ctx.err);
	LAB_NOTE("RID open: fault hwpt refused with %s; RID on IOAS %u via hwpt %u",
		 ctx.rid_fault_err ? strerror(ctx.rid_fault_err) : "(accepted)",
		 ctx.ioas_id, ctx.rid_pt_id);
	LAB_CHECK(ctx.rid_fault_err == ENODEV, "fault hwpt attach: %s, want ENODEV (no PRI)",
		  ctx.rid_fault_err ? strerror(ctx.rid_fault_err) : "accepted");
	LAB_CHECK(ctx.fault_fd == -1 && ctx.fault_id == 0 && ctx.rid_hwpt_id == 0,
		  "the refused fault hwpt was not undone");
	LAB_CHECK(ctx.rid_pt_id != 0 && ctx.rid_pt_id != ctx.ioas_id,
		  "ATTACH_PT(IOAS) reported pt %u", ctx.rid_pt_id);
	ret = sva_iommufd_pasid_attach(&ctx, 1);
	LAB_CHECK(ret == -EINVAL && strstr(ctx.err, "opened without PASID") != NULL,
		  "PASID attach on a RID context = %d: %s", ret, ctx.err);
	edu_of(&e, &ctx);

	src = malloc(3 * PG);
	dst = malloc(3 * PG);
	LAB_CHECK(src != NULL && dst != NULL, "malloc");
	for (i = 0; i < RTE_DIM(t); i++) {
		uint8_t *s = src + t[i].src_mis;
		uint8_t *d = dst + 16 + t[i].dst_mis;

		if (d + t[i].len + 16 > dst + 3 * PG)
			d = dst + 3 * PG - 16 - t[i].len;
		LAB_OK(sva_iommufd_map(&ctx, (uintptr_t)s, t[i].len, false));
		LAB_OK(sva_iommufd_map(&ctx, (uintptr_t)d - 16, t[i].len + 32, true));
		round_trip(&e, s, d, t[i].off, t[i].len, 500 + i);
		LAB_NOTE("%4u bytes %p -> edu+%u -> %p: verified", t[i].len, (void *)s,
			 t[i].off, (void *)d);
	}
	sva_iommufd_counters_get(&ctx, &c);
	LAB_CHECK(c.maps > 0 && c.map_failures == 0, "maps %" PRIu64 " failures %" PRIu64,
		  c.maps, c.map_failures);
	maps = c.maps;
	LAB_NOTE("%" PRIu64 " page maps (IOVA = VA) by sva_iommufd_map()", maps);

	/* A VA the backend never mapped: the write is blocked (the page is
	 * unchanged), the DMA completes (no hang), the vIOMMU reports it. */
	unmapped = lab_page_alloc(PG);
	lab_fill(unmapped, sizeof(copy), 9);
	memcpy(copy, unmapped, sizeof(copy));
	lab_dmar_quiet();
	seq = lab_kmsg_seq();
	dma_ok(&e, unmapped, 0, sizeof(copy), 1);
	LAB_CHECK(memcmp(unmapped, copy, sizeof(copy)) == 0,
		  "a DMA write to a VA the backend did not map reached memory");
	snprintf(want_addr, sizeof(want_addr), "fault addr 0x%lx", (unsigned long)unmapped);
	LAB_CHECK(lab_kmsg_wait(seq, 5000, line, sizeof(line), "DMAR", "DMA Write",
				want_addr, NULL) == 0,
		  "no DMAR fault '%s' in the kernel log within 5 s", want_addr);
	LAB_NOTE("kernel: %s", line);
	/* Mapped now, the same DMA lands. */
	LAB_OK(sva_iommufd_map(&ctx, (uintptr_t)unmapped, PG, true));
	round_trip(&e, src + 8, unmapped + 64, 0, 1024, 77);
	LAB_NOTE("after sva_iommufd_map() of that page: 1024 bytes verified");

	munmap((void *)e.bar, e.bar_size);
	sva_iommufd_close(&ctx);
	LAB_CHECK(nb_fds() == fds, "%d fds open before, %d after close", fds, nb_fds());
	free(src);
	free(dst);
	munmap(unmapped, PG);
	raw_dma_works();
}

static const struct lab_case_def cases[] = {
	{ "nopasid", case_nopasid, "sva_iommufd_open on edu: refused (no PASID), nothing left" },
	{ "rid_dma", case_rid_dma, "sva_iommufd_open_rid: fault-hwpt fallback, VA DMA, fault" },
};

int
main(int argc, char **argv)
{
	return lab_case_main(argc, argv, "vfio_backend", cases, sizeof(cases) / sizeof(cases[0]));
}
