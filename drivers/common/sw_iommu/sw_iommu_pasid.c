/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The system-wide PASID allocator of the sw_iommu component, for software
 * devices.
 *
 * PASID p is held by whoever holds an open-file-description lock on record
 * p of a pool file. OFD locks conflict between processes (and between
 * separate opens), and the kernel drops them when the holder's file is
 * closed -- also when it crashes -- so a dead process's PASIDs come back by
 * themselves. Within this process one open file is used; a bitmap keeps our
 * own allocations apart, since a process never conflicts with its own OFD.
 * The holder writes its pid and uid into the record it locked, so that an
 * exhausted pool can say who holds it (F_OFD_GETLK reports no pid for OFD
 * locks).
 *
 * One pool per user, in a directory only that user can write:
 *   root:   /run/rte_sva/pasid.lock
 *   others: $XDG_RUNTIME_DIR/rte_sva/pasid.lock, else /tmp/rte_sva-<uid>/...
 *   $RTE_SVA_PASID_LOCK overrides the file (same checks).
 * The directory and the file are opened without following symbolic links,
 * the file is created O_EXCL mode 0600 and never chmod'ed, and both are
 * checked after open (owner, no group/other write, a regular file with one
 * link): nobody can make us write through a link they planted, and nobody
 * else can open our pool, so nobody else can lock (exhaust) its PASIDs.
 *
 * Why not one pool shared by every user: its file would have to be
 * writable (or readable: a read lock blocks our write lock) by everyone,
 * and any user could then hold every PASID. Uniqueness across users is not
 * needed: these PASIDs name address spaces on software devices, which live
 * in the process that probed them and are reachable only from it and its
 * fork() children, which may not bind (the library refuses it); so processes of
 * different users never share such a device. Devices that are shared
 * (idxd, iommufd) have kernel-owned PASIDs. Processes of one user still
 * never hold the same PASID at once.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include <rte_sva.h>

#include "sw_iommu.h"
#include "sw_iommu_log.h"

#define PASID_SPACE RTE_BIT32(RTE_SVA_PASID_BITS_MAX)
#define POOL_NAME "pasid.lock"
#define ROOT_POOL_DIR "/run/rte_sva"

/* Record p of a pool file, locked by p's holder and written by it. */
struct pasid_rec {
	uint32_t magic;
	int32_t pid;
	uint32_t uid;      /* real uid of the holder */
	uint32_t reserved;
};
#define PASID_REC_MAGIC 0x53564150u   /* "PAVS" */

static int pasid_fd = -1;
static uint64_t pasid_mine[PASID_SPACE / 64];
/* Where the next search starts, within the range of the last call. */
static uint32_t pasid_next;
static uint32_t last_min, last_max;
static char pasid_path[PATH_MAX];

/* A forked child shares our open lock file, and with it our locks: it
 * must open its own and starts holding nothing. */
static void
pasid_atfork_child(void)
{
	if (pasid_fd >= 0)
		close(pasid_fd);
	pasid_fd = -1;
	memset(pasid_mine, 0, sizeof(pasid_mine));
}

RTE_INIT(pasid_init)
{
	pthread_atfork(NULL, NULL, pasid_atfork_child);
}

/* Open (creating it mode 0700 if absent and create is set) the directory
 * dir, never through a symbolic link, and check that it is one only we (or
 * root) can write. @return its fd or -errno, logged. */
static int
pool_dir_open(const char *dir, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(dir, 0700) != 0 && errno != EEXIST) {
		int err = errno;

		SW_IOMMU_LOG(ERR, "PASID pool: cannot create directory %s: %s (set RTE_SVA_PASID_LOCK to a file in a private directory)",
			    dir, strerror(err));
		return -err;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		if (err == ELOOP || err == ENOTDIR) {
			SW_IOMMU_LOG(ERR, "PASID pool: %s is a symbolic link or not a directory: refusing it",
				    dir);
			return -EACCES;
		}
		SW_IOMMU_LOG(ERR, "PASID pool: cannot open directory %s: %s", dir,
			    strerror(err));
		return -err;
	}
	if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		SW_IOMMU_LOG(ERR, "PASID pool: %s is not a directory", dir);
		return -EACCES;
	}
	if ((st.st_uid != geteuid() && st.st_uid != 0) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		SW_IOMMU_LOG(ERR, "PASID pool: directory %s (owner uid %u, mode %04o) may be written by others: refusing it (want one owned by uid %u or root, not group/world-writable)",
			    dir, (unsigned int)st.st_uid,
			    (unsigned int)(st.st_mode & 07777), (unsigned int)geteuid());
		return -EACCES;
	}
	return fd;
}

/* The pool's directory and file name: in dir[] (created if we chose it). */
static int
pool_dir_fd(char *dir, size_t dlen, const char **name)
{
	const char *env = getenv("RTE_SVA_PASID_LOCK");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char *slash;
	int fd;

	if (env != NULL && *env != '\0') {
		if (strlen(env) >= dlen) {
			SW_IOMMU_LOG(ERR, "PASID pool: RTE_SVA_PASID_LOCK is too long");
			return -ENAMETOOLONG;
		}
		strcpy(dir, env);
		slash = strrchr(dir, '/');
		if (slash == NULL || slash[1] == '\0') {
			SW_IOMMU_LOG(ERR, "PASID pool: RTE_SVA_PASID_LOCK=%s is not the path of a file",
				    env);
			return -EINVAL;
		}
		*name = env + (slash - dir) + 1;
		if (slash == dir)
			slash[1] = '\0';   /* a file in / */
		else
			*slash = '\0';
		return pool_dir_open(dir, false);
	}
	*name = POOL_NAME;
	if (geteuid() == 0) {
		snprintf(dir, dlen, "%s", ROOT_POOL_DIR);
		return pool_dir_open(dir, true);
	}
	if (xdg != NULL && *xdg == '/') {
		/* The runtime directory must be ours alone before we trust
		 * what we create in it. */
		fd = pool_dir_open(xdg, false);
		if (fd < 0)
			return fd;
		close(fd);
		snprintf(dir, dlen, "%s/rte_sva", xdg);
	} else {
		/* Predictable, so another user may have squatted it: then we
		 * refuse it (the owner check) and say so. */
		snprintf(dir, dlen, "/tmp/rte_sva-%u", (unsigned int)geteuid());
	}
	return pool_dir_open(dir, true);
}

static int
pasid_open(void)
{
	char dir[PATH_MAX];
	const char *name;
	struct stat st;
	int dfd, fd, err;

	if (pasid_fd >= 0)
		return 0;
	dfd = pool_dir_fd(dir, sizeof(dir), &name);
	if (dfd < 0)
		return dfd;
	if (snprintf(pasid_path, sizeof(pasid_path), "%s%s%s", dir,
		     dir[strlen(dir) - 1] == '/' ? "" : "/", name) >=
	    (int)sizeof(pasid_path)) {
		close(dfd);
		SW_IOMMU_LOG(ERR, "PASID pool: path in %s too long", dir);
		return -ENAMETOOLONG;
	}
	fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno == EEXIST)   /* created meanwhile */
			fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	}
	err = errno;
	close(dfd);
	if (fd < 0) {
		if (err == ELOOP) {
			SW_IOMMU_LOG(ERR, "PASID pool: %s is a symbolic link: refusing to follow it",
				    pasid_path);
			return -EACCES;
		}
		SW_IOMMU_LOG(ERR, "PASID pool: cannot open %s: %s", pasid_path,
			    strerror(err));
		return -err;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		close(fd);
		SW_IOMMU_LOG(ERR, "PASID pool: %s (owner uid %u, mode %04o, %u link(s)) is not a private file of uid %u: refusing it (others could hold or take its PASIDs)",
			    pasid_path, (unsigned int)st.st_uid,
			    (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_nlink,
			    (unsigned int)geteuid());
		return -EACCES;
	}
	pasid_fd = fd;
	return 0;
}

static int
pasid_lock(uint32_t pasid, short type)
{
	struct flock fl = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = (off_t)pasid * sizeof(struct pasid_rec),
		.l_len = sizeof(struct pasid_rec),
	};

	return fcntl(pasid_fd, F_OFD_SETLK, &fl) == 0 ? 0 : -errno;
}

/* Say who we are in the record we just locked. Best effort: the lock is
 * what counts. */
static void
pasid_rec_write(uint32_t pasid)
{
	const struct pasid_rec r = {
		.magic = PASID_REC_MAGIC,
		.pid = (int32_t)getpid(),
		.uid = (uint32_t)getuid(),
	};

	if (pwrite(pasid_fd, &r, sizeof(r), (off_t)pasid * sizeof(r)) != sizeof(r))
		SW_IOMMU_LOG(DEBUG, "PASID %u: holder record not written: %s", pasid,
			    strerror(errno));
}

#define HOLDERS_MAX 4

/* Log who holds lo..hi: this process, and the pids of the records of the
 * others' locks (the first HOLDERS_MAX pids, by count). */
static void
pasid_log_holders(uint32_t lo, uint32_t hi)
{
	struct { int32_t pid; uint32_t uid, n; } h[HOLDERS_MAX] = { 0 };
	uint32_t mine = 0, unknown = 0, more = 0;
	char msg[512];
	int len;

	for (uint32_t p = lo; p <= hi; p++) {
		struct flock fl = {
			.l_type = F_WRLCK,
			.l_whence = SEEK_SET,
			.l_start = (off_t)p * sizeof(struct pasid_rec),
			.l_len = sizeof(struct pasid_rec),
		};
		struct pasid_rec r;
		int k;

		if (pasid_mine[p / 64] & RTE_BIT64(p % 64)) {
			mine++;
			continue;
		}
		if (fcntl(pasid_fd, F_OFD_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
			continue;   /* freed meanwhile */
		if (pread(pasid_fd, &r, sizeof(r), fl.l_start) != sizeof(r) ||
		    r.magic != PASID_REC_MAGIC) {
			unknown++;
			continue;
		}
		for (k = 0; k < HOLDERS_MAX && h[k].n != 0 && h[k].pid != r.pid; k++)
			;
		if (k == HOLDERS_MAX) {
			more++;
			continue;
		}
		h[k].pid = r.pid;
		h[k].uid = r.uid;
		h[k].n++;
	}
	len = snprintf(msg, sizeof(msg), "all PASIDs in %u..%u of pool %s are in use:",
		       lo, hi, pasid_path);
	if (mine != 0)
		len += snprintf(msg + len, sizeof(msg) - len,
				" %u by this process (pid %d);", mine, (int)getpid());
	for (int k = 0; k < HOLDERS_MAX && h[k].n != 0 && len < (int)sizeof(msg); k++)
		len += snprintf(msg + len, sizeof(msg) - len, " %u by pid %d (uid %u)%s;",
				h[k].n, (int)h[k].pid, (unsigned int)h[k].uid,
				kill(h[k].pid, 0) != 0 && errno == ESRCH ? " (exited)" : "");
	if (more != 0 && len < (int)sizeof(msg))
		len += snprintf(msg + len, sizeof(msg) - len, " %u by other processes;", more);
	if (unknown != 0 && len < (int)sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, " %u by holders that left no record;",
			 unknown);
	SW_IOMMU_LOG(ERR, "%s", msg);
}

int
sw_iommu_pasid_alloc(uint32_t min, uint32_t max, uint32_t *pasid)
{
	uint32_t n, p;
	int ret;

	if (pasid == NULL || min == 0 || min > max || max >= PASID_SPACE) {
		SW_IOMMU_LOG(ERR, "PASID range %u..%u invalid (want 1 <= min <= max < %u)%s",
			     min, max, PASID_SPACE, pasid == NULL ? ", or NULL pasid" : "");
		return -EINVAL;
	}
	ret = pasid_open();
	if (ret != 0)
		return ret;
	/* Rotate through the range so a freed PASID is not reused at once
	 * (stale cached translations would hit it first); a new range
	 * starts at its lowest. */
	if (min != last_min || max != last_max) {
		last_min = min;
		last_max = max;
		pasid_next = min;
	}
	p = pasid_next >= min && pasid_next <= max ? pasid_next : min;
	for (n = max - min + 1; n > 0; n--) {
		if (!(pasid_mine[p / 64] & RTE_BIT64(p % 64))) {
			ret = pasid_lock(p, F_WRLCK);
			if (ret == 0) {
				pasid_mine[p / 64] |= RTE_BIT64(p % 64);
				pasid_rec_write(p);
				pasid_next = p == max ? min : p + 1;
				*pasid = p;
				return 0;
			}
			if (ret != -EAGAIN && ret != -EACCES) {
				SW_IOMMU_LOG(ERR, "PASID lock %u: %s", p,
					     strerror(-ret));
				return ret;
			}
		}
		p = p == max ? min : p + 1;
	}
	pasid_log_holders(min, max);
	return -ENOSPC;
}

int
sw_iommu_pasid_free(uint32_t pasid)
{
	if (pasid >= PASID_SPACE || !(pasid_mine[pasid / 64] & RTE_BIT64(pasid % 64))) {
		SW_IOMMU_LOG(ERR, "free of PASID %u that this process does not hold",
			     pasid);
		return -ENOENT;
	}
	pasid_mine[pasid / 64] &= ~RTE_BIT64(pasid % 64);
	pasid_lock(pasid, F_UNLCK);
	return 0;
}
