/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef LAB_EDU_H
#define LAB_EDU_H

/*
 * Kernel-lab helpers: QEMU's edu device behind VFIO cdev + iommufd, in the
 * lab guest (lab/lab.sh). Kernel ABI layouts come from the iommufd driver's
 * sva_kabi.h (one set of definitions for the project); the few VFIO ones it
 * lacks are defined here, with their sizes checked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sva_kabi.h"

/* ----------------------------------------------------------- reporting */
#define LAB_SKIP 77
extern const char *lab_case;

#define LAB_FAIL(...) do { \
	fprintf(stderr, "FAIL %s (%s:%d): ", lab_case, __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); \
} while (0)
#define LAB_CHECK(cond, ...) do { if (!(cond)) LAB_FAIL(__VA_ARGS__); } while (0)
/* An ioctl that must succeed / must fail with exactly this errno. */
#define LAB_OK(expr) do { if ((expr) < 0) \
	LAB_FAIL("%s: %s", #expr, strerror(errno)); } while (0)
#define LAB_ERRNO(expr, want) do { errno = 0; int r_ = (expr); \
	if (r_ >= 0 || errno != (want)) \
		LAB_FAIL("%s: returned %d errno %d (%s), want errno %d (%s)", #expr, \
			 r_, errno, strerror(errno), want, strerror(want)); \
	printf("  %s -> %s, as expected\n", #expr, strerror(want)); \
} while (0)
#define LAB_NOTE(...) do { printf("  "); printf(__VA_ARGS__); putchar('\n'); } while (0)

/* --------------------------------------------- VFIO bits not in sva_kabi */
struct lab_vfio_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};
static_assert(sizeof(struct lab_vfio_region_info) == 32, "vfio_region_info");
#define LAB_VFIO_PCI_BAR0_REGION_INDEX  0
#define LAB_VFIO_PCI_CONFIG_REGION_INDEX 7

/* IOMMU_IOAS_IOVA_RANGES (iommufd cmd 0x84). */
struct lab_iommu_iova_range {
	uint64_t start;
	uint64_t last;
};
struct lab_iommu_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	uint64_t allowed_iovas;
	uint64_t out_iova_alignment;
};
static_assert(sizeof(struct lab_iommu_ioas_iova_ranges) == 32, "iova_ranges");
#define LAB_IOMMU_IOAS_IOVA_RANGES _IO(SVA_IOMMUFD_TYPE, 0x84)

/* ------------------------------------------------------------ the edu */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_REG_ID       0x00
#define EDU_REG_LIVE     0x04
#define EDU_REG_DMA_SRC  0x80
#define EDU_REG_DMA_DST  0x88
#define EDU_REG_DMA_CNT  0x90
#define EDU_REG_DMA_CMD  0x98
#define EDU_DMA_RUN      0x1u
#define EDU_DMA_TO_RAM   0x2u
#define EDU_BUF          0x40000u
/* QEMU 7.2's edu aborts (hw_error) on a DMA ending exactly at the end of
 * its 4 KiB buffer: every DMA here ends at least one byte before it. */
#define EDU_BUF_USABLE   4095u

struct lab_edu {
	char bdf[32];
	char cdev[64];
	int devfd;         /* /dev/vfio/devices/vfioN */
	int iommufd;       /* /dev/iommu */
	uint32_t devid;
	uint32_t ioas;
	uint32_t hwpt;     /* the hwpt ATTACH_PT reported */
	volatile uint8_t *bar;
	uint64_t bar_size;
	uint64_t cfg_off;  /* config space region offset in devfd */
};

/* Find edu, bind it to vfio-pci (driver_override), wait for its cdev. */
void lab_edu_find_and_bind(struct lab_edu *e);
/* find_and_bind + open the cdev and /dev/iommu + BIND_IOMMUFD. */
void lab_edu_open_bound(struct lab_edu *e);
/* open_bound + IOAS_ALLOC + ATTACH_PT(ioas) + BAR0 mmap + bus master. */
void lab_edu_open(struct lab_edu *e);
void lab_edu_close(struct lab_edu *e);
void lab_edu_map_bar(struct lab_edu *e);
void lab_edu_bus_master(struct lab_edu *e);

int lab_ioas_map_va(int iommufd, uint32_t ioas, void *va, size_t len); /* IOVA = VA */
int lab_ioas_unmap(int iommufd, uint32_t ioas, uint64_t iova, uint64_t len);
int lab_attach(int devfd, uint32_t *pt_id);
int lab_detach(int devfd);

/* One edu DMA; returns 0 when the device finished it (RUN bit clear)
 * within the bound, -ETIMEDOUT otherwise. to_ram: edu buffer -> addr. */
int lab_edu_dma(struct lab_edu *e, uint64_t addr, uint32_t edu_off, uint32_t len,
		int to_ram);

/* ---------------------------------------------------------------- dmesg */
/* The kernel log's next sequence number (records before it are old). */
uint64_t lab_kmsg_seq(void);
/* Poll (bounded, ms) the kernel log from seq for a record containing all
 * of the given substrings (NULL-terminated); copies it into out. */
int lab_kmsg_wait(uint64_t seq, int timeout_ms, char *out, size_t outsz, ...);

/* Wait (bounded) until a new DMAR fault will be printed, not ratelimited. */
void lab_dmar_quiet(void);

void *lab_page_alloc(size_t len);   /* page-aligned, populated, zeroed */
void lab_fill(void *p, size_t len, uint32_t seed);
uint64_t lab_now_ms(void);

/* ------------------------------------------------------- case programs */
/** One case of a lab program: run by name, fails through LAB_FAIL(). */
struct lab_case_def {
	const char *name;
	void (*fn)(void);
	const char *what;
};

/** The main of a lab program: `PROG --list` lists its cases, `PROG CASE`
 *  runs one as "<prefix>_<case>" (lab_case) and prints PASS; exit 2 on a
 *  bad command line. */
int lab_case_main(int argc, char **argv, const char *prefix,
		  const struct lab_case_def *cases, unsigned int n);

#endif
