/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Hugepages for the multiprocess test: DPDK maps a primary's memory into
 * its secondaries from hugetlbfs files, so a secondary cannot start with
 * --no-huge. The test reserves what it needs itself and gives it back. */

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_mp.h"

#define HP_DIR "/sys/kernel/mm/hugepages/hugepages-2048kB"

static long
hp_read(const char *file)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), HP_DIR "/%s", file);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int
hp_write(const char *file, long v)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), HP_DIR "/%s", file);
	f = fopen(path, "w");
	if (f == NULL)
		return -errno;
	ret = fprintf(f, "%ld\n", v) > 0 ? 0 : -EIO;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	return ret;
}

/* Let the kernel defragment memory so that 2 MiB pages can be found. */
static void
hp_compact(void)
{
	FILE *f = fopen("/proc/sys/vm/compact_memory", "w");

	if (f != NULL) {
		fputs("1\n", f);
		fclose(f);
	}
}

/* Hugepages at all: the kernel's hugetlb support says its page size. */
static bool
kernel_has_hugepages(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, "Hugepagesize:", 13) == 0;
	fclose(f);
	return found;
}

int
mp_huge_setup(struct mp_huge *h)
{
	long nr, free_pages, want;
	char opts[64];

	memset(h, 0, sizeof(*h));
	snprintf(h->prefix, sizeof(h->prefix), "sva_mp_%d", (int)getpid());
	if (!kernel_has_hugepages()) {
		printf("SKIP: this kernel has no hugepages (no Hugepagesize in /proc/meminfo); DPDK starts no secondary without them\n");
		return 77;
	}
	if (access(HP_DIR "/nr_hugepages", W_OK) != 0) {
		printf("FAIL: %s/nr_hugepages: %s (the test reserves 2 MiB pages there: root, sysfs mounted)\n",
		       HP_DIR, strerror(errno));
		return 1;
	}
	nr = hp_read("nr_hugepages");
	free_pages = hp_read("free_hugepages");
	if (nr < 0 || free_pages < 0) {
		printf("FAIL: cannot read %s/{nr,free}_hugepages\n", HP_DIR);
		return 1;
	}
	/* Our own pages on top of what is there, so that another user of
	 * hugepages (another run of this test, say) keeps its own. */
	want = nr + MP_HUGEPAGES;
	for (int attempt = 0; attempt < 2; attempt++) {
		int ret = hp_write("nr_hugepages", want);

		if (ret != 0) {
			printf("FAIL: cannot write %ld to %s/nr_hugepages: %s\n",
			       want, HP_DIR, strerror(-ret));
			return 1;
		}
		h->added = hp_read("nr_hugepages") - nr;
		if (hp_read("free_hugepages") >= free_pages + MP_HUGEPAGES)
			break;
		hp_compact();
	}
	if (hp_read("free_hugepages") < MP_HUGEPAGES) {
		printf("FAIL: the kernel gave %ld of %d free 2 MiB hugepages (memory too fragmented or too small)\n",
		       hp_read("free_hugepages"), MP_HUGEPAGES);
		mp_huge_cleanup(h);
		return 1;
	}
	snprintf(h->dir, sizeof(h->dir), "/tmp/sva-mp-XXXXXX");
	if (mkdtemp(h->dir) == NULL) {
		printf("FAIL: mkdtemp: %s\n", strerror(errno));
		h->dir[0] = '\0';
		mp_huge_cleanup(h);
		return 1;
	}
	/* size=: this mount uses no more than the pages we added. */
	snprintf(opts, sizeof(opts), "pagesize=2M,mode=0700,size=%dM", 2 * MP_HUGEPAGES);
	if (mount("nodev", h->dir, "hugetlbfs", 0, opts) != 0) {
		printf("FAIL: cannot mount hugetlbfs on %s: %s\n", h->dir, strerror(errno));
		mp_huge_cleanup(h);
		return 1;
	}
	h->mounted = true;
	return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
mp_huge_cleanup(struct mp_huge *h)
{
	char run[96];

	if (h->mounted && umount2(h->dir, MNT_DETACH) != 0)
		printf("WARNING: cannot unmount %s: %s\n", h->dir, strerror(errno));
	h->mounted = false;
	if (h->dir[0] != '\0')
		rmdir(h->dir);
	h->dir[0] = '\0';
	/* DPDK leaves its config, fbarray and socket files of the prefix. */
	if (h->prefix[0] != '\0') {
		snprintf(run, sizeof(run), "/var/run/dpdk/%s", h->prefix);
		nftw(run, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	}
	/* Give back what was added (others' reservations stay as they are). */
	if (h->added > 0) {
		long nr = hp_read("nr_hugepages");

		if (nr >= h->added)
			hp_write("nr_hugepages", nr - h->added);
		h->added = 0;
	}
}
