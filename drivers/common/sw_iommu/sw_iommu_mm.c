/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Foreign address spaces (sw_iommu): another process's memory, reached
 * through its /proc/<pid>/mem file at offsets equal to virtual addresses,
 * with its maps (page permissions) and pagemap (presence) files beside it.
 * Opening them needs ptrace-attach-level rights over the process, the
 * check the kernel applies when /proc/pid/mem is opened (and to
 * process_vm_readv), which is the permission model of the seeds' bind;
 * the open files stay tied to the address space they were opened on.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sw_iommu.h"
#include "sw_iommu_log.h"

/* The error of opening pid's /proc file what: -ESRCH if the process is
 * gone, -EPERM (ptrace permission) for EACCES/EPERM, else the real errno. */
static int
proc_open_error(pid_t pid, const char *what, int err)
{
	if (err == ENOENT || err == ESRCH) {
		SW_IOMMU_LOG(ERR, "bind: pid %d exited", (int)pid);
		return -ESRCH;
	}
	if (err == EACCES || err == EPERM) {
		SW_IOMMU_LOG(ERR, "bind: no ptrace-attach permission over pid %d (opening its %s): %s",
			     (int)pid, what, strerror(err));
		return -EPERM;
	}
	SW_IOMMU_LOG(ERR, "bind: pid %d: cannot open its %s: %s", (int)pid, what,
		     strerror(err));
	return -err;
}

/* Open /proc/<pid>/<what>; -errno as proc_open_error() maps it. */
static int
proc_open(pid_t pid, const char *what, int flags, int *fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	*fd = open(path, flags | O_CLOEXEC);
	return *fd >= 0 ? 0 : proc_open_error(pid, what, errno);
}

int
sw_iommu_mm_open(struct rte_sva_mm *mm)
{
	struct sw_iommu_mm *s;
	int ret;

	if (mm == NULL) {
		SW_IOMMU_LOG(ERR, "NULL address space");
		return -EINVAL;
	}
	mm->priv = NULL;
	if (mm->self)   /* its pages are touched under the guard */
		return sw_iommu_guard_install();
	s = malloc(sizeof(*s));
	if (s == NULL) {
		SW_IOMMU_LOG(ERR, "bind: pid %d: no memory", mm->pid);
		return -ENOMEM;
	}
	s->memfd = s->mapsfd = s->pagemapfd = -1;
	/* The mem file first: its open is the permission check. */
	ret = proc_open(mm->pid, "mem", O_RDWR, &s->memfd);
	if (ret == 0)
		ret = proc_open(mm->pid, "maps", O_RDONLY, &s->mapsfd);
	if (ret == 0)
		ret = proc_open(mm->pid, "pagemap", O_RDONLY, &s->pagemapfd);
	if (ret != 0) {
		mm->priv = s;
		sw_iommu_mm_close(mm);
		return ret;
	}
	mm->priv = s;
	return 0;
}

void
sw_iommu_mm_close(struct rte_sva_mm *mm)
{
	struct sw_iommu_mm *s = mm != NULL ? mm->priv : NULL;

	if (s == NULL)
		return;
	if (s->memfd >= 0)
		close(s->memfd);
	if (s->mapsfd >= 0)
		close(s->mapsfd);
	if (s->pagemapfd >= 0)
		close(s->pagemapfd);
	free(s);
	mm->priv = NULL;
}
