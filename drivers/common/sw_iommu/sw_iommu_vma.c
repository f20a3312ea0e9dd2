/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Page permissions of another process's address space (sw_iommu), as an
 * IOMMU sharing its page tables sees them. /proc/pid/mem, through which a device model
 * reaches a bound process, writes with FOLL_FORCE: it would write read-only
 * pages and read PROT_NONE ones, which a device may not. So before each
 * access the VMA covering the address is looked up on the /proc/pid/maps
 * file opened at bind time (tied to that address space, like the mem file):
 * with the PROCMAP_QUERY ioctl (Linux 6.11), else by scanning the text.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <rte_common.h>

#include <rte_sva.h>

#include "sw_iommu.h"
#include "sw_iommu_log.h"

/* include/uapi/linux/fs.h (6.11): our own definition, checked by size. */
struct sva_procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
_Static_assert(sizeof(struct sva_procmap_query) == 104, "procmap_query ABI");

#define SVA_PROCMAP_QUERY _IOWR('f', 17, struct sva_procmap_query)
#define SVA_PROCMAP_VMA_READABLE 0x1
#define SVA_PROCMAP_VMA_WRITABLE 0x2

/* 1: the ioctl works; -1: it does not (older kernel), scan the text. */
static int procmap_query_state;

/* The VMA covering addr: 0, or -ENOENT (none), or -errno. */
static int
vma_query(int mapsfd, uint64_t addr, struct sw_iommu_vma *v)
{
	struct sva_procmap_query q = {
		.size = sizeof(q),
		.query_addr = addr,
	};

	if (ioctl(mapsfd, SVA_PROCMAP_QUERY, &q) != 0)
		return -errno;
	v->start = q.vma_start;
	v->end = q.vma_end;
	v->perm = (q.vma_flags & SVA_PROCMAP_VMA_READABLE ? RTE_SVA_PERM_READ : 0) |
		(q.vma_flags & SVA_PROCMAP_VMA_WRITABLE ? RTE_SVA_PERM_WRITE : 0);
	return 0;
}

/* Parse "start-end rwxp ..." at the head of a line; false if malformed. */
static bool
maps_line(const char *line, struct sw_iommu_vma *v)
{
	char *end;

	v->start = strtoull(line, &end, 16);
	if (*end != '-')
		return false;
	v->end = strtoull(end + 1, &end, 16);
	if (*end != ' ' || end[1] == '\0' || end[2] == '\0')
		return false;
	v->perm = (end[1] == 'r' ? RTE_SVA_PERM_READ : 0) |
		(end[2] == 'w' ? RTE_SVA_PERM_WRITE : 0);
	return true;
}

/* The text fallback: read the file from offset 0 a block at a time, and
 * stop at the first VMA ending above addr. Each pread() makes the kernel
 * list again from that offset, so a listing that changed meanwhile can
 * splice two versions: lines must ascend, else the scan starts over. */
static int
vma_scan_once(int mapsfd, uint64_t addr, struct sw_iommu_vma *v)
{
	char buf[4096];
	size_t have = 0;
	off_t off = 0;
	uint64_t prev_end = 0;

	for (;;) {
		ssize_t r = pread(mapsfd, buf + have, sizeof(buf) - 1 - have, off);
		char *line = buf, *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)   /* an empty file: the address space is gone */
			return off == 0 ? -ESRCH : -ENOENT;
		off += r;
		have += (size_t)r;
		buf[have] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (!maps_line(line, v) || v->start >= v->end ||
			    v->start < prev_end)
				return -EAGAIN;
			prev_end = v->end;
			if (v->end > addr)
				return v->start <= addr ? 0 : -ENOENT;
			line = nl + 1;
		}
		/* Keep the unfinished line for the next block. */
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			return -EIO;   /* a line longer than the buffer */
	}
}

static int
vma_scan(int mapsfd, uint64_t addr, struct sw_iommu_vma *v)
{
	int ret = -EAGAIN;

	for (int tries = 0; tries < 4 && ret == -EAGAIN; tries++)
		ret = vma_scan_once(mapsfd, addr, v);
	return ret;
}

void
sw_iommu_vma_text_only(bool on)
{
	__atomic_store_n(&procmap_query_state, on ? -1 : 0, __ATOMIC_RELAXED);
}

int
sw_iommu_vma_find(const struct rte_sva_mm *mm, uint64_t addr, struct sw_iommu_vma *v)
{
	int state = __atomic_load_n(&procmap_query_state, __ATOMIC_RELAXED);
	const struct sw_iommu_mm *s;
	int ret;

	if (mm == NULL || v == NULL || mm->priv == NULL) {
		SW_IOMMU_LOG(ERR, "mapping lookup: %s", mm == NULL || v == NULL ?
			     "NULL argument" : "not a foreign address space");
		return -EINVAL;
	}
	s = mm->priv;
	if (state >= 0) {
		ret = vma_query(s->mapsfd, addr, v);
		if (ret != -ENOTTY && ret != -EINVAL) {
			if (state == 0)
				__atomic_store_n(&procmap_query_state, 1, __ATOMIC_RELAXED);
			return ret;
		}
		SW_IOMMU_LOG(INFO, "PROCMAP_QUERY unsupported (%s): reading /proc/pid/maps",
			    strerror(-ret));
		__atomic_store_n(&procmap_query_state, -1, __ATOMIC_RELAXED);
	}
	return vma_scan(s->mapsfd, addr, v);
}

int64_t
sw_iommu_mm_accessible(const struct rte_sva_mm *mm, uint64_t addr, uint64_t len,
		      uint32_t perm, struct sw_iommu_vma *cache)
{
	uint64_t done = 0;

	while (done < len) {
		uint64_t a = addr + done;

		if (cache->end <= a || cache->start > a) {
			int ret = sw_iommu_vma_find(mm, a, cache);

			if (ret != 0) {
				cache->start = cache->end = 0;
				return ret == -ENOENT ? (int64_t)done : ret;
			}
		}
		if ((cache->perm & perm) != perm)
			return (int64_t)done;
		done = RTE_MIN(len, cache->end - addr);
	}
	return (int64_t)done;
}
