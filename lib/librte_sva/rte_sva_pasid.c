/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * System-wide PASID allocator for software devices.
 *
 * PASID p is held by whoever holds an open-file-description lock on byte p
 * of a shared lock file. OFD locks conflict between processes (and between
 * separate opens), and the kernel drops them when the holder's file is
 * closed -- also when it crashes -- so a dead process's PASIDs come back by
 * themselves. Within this process one open file is used; a bitmap keeps our
 * own allocations apart, since a process never conflicts with its own OFD.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "rte_sva.h"
#include "rte_sva_bond.h"
#include "rte_sva_pasid.h"
#include "rte_sva_pmd.h"

#define PASID_SPACE RTE_BIT32(RTE_SVA_PASID_BITS_MAX)

static int pasid_fd = -1;
static uint32_t pasid_min = 1;
static uint32_t pasid_max = PASID_SPACE - 1;
static uint64_t pasid_mine[PASID_SPACE / 64];
static uint32_t pasid_next;

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

static const char *
pasid_lock_path(void)
{
	const char *p = getenv("RTE_SVA_PASID_LOCK");

	return p != NULL && *p != '\0' ? p : "/tmp/rte_sva_pasid.lock";
}

static int
pasid_open(void)
{
	const char *path = pasid_lock_path();

	if (pasid_fd >= 0)
		return 0;
	pasid_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (pasid_fd < 0) {
		int err = errno;

		RTE_SVA_LOG(ERR, "cannot open PASID lock file %s: %s", path,
			    strerror(err));
		return -err;
	}
	/* Let other users' processes share the allocator. */
	(void)fchmod(pasid_fd, 0666);
	return 0;
}

static int
pasid_lock(uint32_t pasid, short type)
{
	struct flock fl = {
		.l_type = type,
		.l_whence = SEEK_SET,
		.l_start = pasid,
		.l_len = 1,
	};

	return fcntl(pasid_fd, F_OFD_SETLK, &fl) == 0 ? 0 : -errno;
}

int
rte_sva_pasid_range_set(uint32_t min, uint32_t max)
{
	if (min == 0 || min > max || max >= PASID_SPACE) {
		RTE_SVA_LOG(ERR, "PASID range %u..%u invalid (want 1 <= min <= max < %u)",
			    min, max, PASID_SPACE);
		return -EINVAL;
	}
	pasid_min = min;
	pasid_max = max;
	pasid_next = 0;
	return 0;
}

int
sva_pasid_alloc(uint32_t limit, uint32_t *pasid)
{
	uint32_t lo = pasid_min, hi = RTE_MIN(pasid_max, limit);
	uint32_t n, p;
	int ret;

	ret = pasid_open();
	if (ret != 0)
		return ret;
	if (lo > hi) {
		RTE_SVA_LOG(ERR, "no PASID in range %u..%u for devices limited to %u",
			    pasid_min, pasid_max, limit);
		return -ENOSPC;
	}
	/* Rotate through the range so a freed PASID is not reused at once
	 * (stale cached translations would hit it first). */
	p = pasid_next >= lo && pasid_next <= hi ? pasid_next : lo;
	for (n = hi - lo + 1; n > 0; n--) {
		if (!(pasid_mine[p / 64] & RTE_BIT64(p % 64))) {
			ret = pasid_lock(p, F_WRLCK);
			if (ret == 0) {
				pasid_mine[p / 64] |= RTE_BIT64(p % 64);
				pasid_next = p == hi ? lo : p + 1;
				*pasid = p;
				return 0;
			}
			if (ret != -EAGAIN && ret != -EACCES) {
				RTE_SVA_LOG(ERR, "PASID lock %u: %s", p,
					    strerror(-ret));
				return ret;
			}
		}
		p = p == hi ? lo : p + 1;
	}
	RTE_SVA_LOG(ERR, "all PASIDs in %u..%u are in use", lo, hi);
	return -ENOSPC;
}

void
sva_pasid_free(uint32_t pasid)
{
	if (pasid >= PASID_SPACE || !(pasid_mine[pasid / 64] & RTE_BIT64(pasid % 64))) {
		RTE_SVA_LOG(ERR, "free of PASID %u that this process does not hold",
			    pasid);
		return;
	}
	pasid_mine[pasid / 64] &= ~RTE_BIT64(pasid % 64);
	pasid_lock(pasid, F_UNLCK);
}
