/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_TEST_MP_H
#define SVA_TEST_MP_H

/* The multiprocess test (sva_multiprocess_test): a DPDK primary and
 * secondaries over one sva_sim device. test_mp_huge.c prepares what DPDK
 * needs for a secondary (hugepages and a private hugetlbfs) and cleans up. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* The device of the primary, and a --vdev only a secondary is given. */
#define MP_DEV        "sva_sim_mp0"
/* As many queues as the device has slots for secondaries' queues
 * (SIM_MP_QUEUES), so that one secondary can take them all. */
#define MP_DEV_QUEUES 64
/* prq_timeout_ms: far above the test's waits, so that no group is
 * answered by the device itself on a slow machine. */
#define MP_DEV_ARGS   MP_DEV ",pri=1,wqs=2,idle=yield,prq_timeout_ms=30000,queues=64"
#define MP_UNKNOWN    "sva_sim_mpx0"
/* A second device of the primary, which it puts in no container. */
#define MP_LONE       "sva_sim_mp1"
#define MP_LONE_ARGS  MP_LONE ",idle=yield"
/* A device the primary probes late (its probe starts the library's
 * sva-mp thread again). */
#define MP_THIRD      "sva_sim_mp2"
#define MP_THIRD_ARGS "idle=yield"
#define MP_TIMEOUT_MS 120000

/* Exit statuses of a secondary. */
#define SEC_EXIT_OK       0
#define SEC_EXIT_FAILED   1
#define SEC_EXIT_REFUSED  3   /* its own --vdev refused, as it must */

#define PG 4096u
#define SEC_FRESH_PAGES 16u

/* What the main secondary tells the primary (one write on its pipe). */
struct sec_report {
	int32_t status;     /* TEST_OK or TEST_FAILED */
	uint32_t pasid;
	uint32_t ops;       /* copies completed and checked */
	uint32_t fresh;     /* fresh pages copied into and checked */
};

#define PG 4096u
#define SEC_FRESH_PAGES 16u

/* CLOCK_MONOTONIC in ms. */
uint64_t mp_now_ms(void);

/* The secondaries' roles (test_mp_secondary.c): each returns its exit
 * status, or does not return. SVA_MP_PREFIX names the primary's
 * --file-prefix; SVA_MP_RD and SVA_MP_WR the pipe ends to the primary. */
int secondary_unknown(void);
int secondary_main(void);
int secondary_killed(void);
/* Refused requests (test_mp_refusals.c). */
int secondary_queues(void);
int secondary_stopped(void);
int secondary_slots(void);

/* The primary's sva-mp thread (test_mp_thread.c): its tid, or -1. */
pid_t mp_thread_tid(void);
/* Interrupt its wait with n signals (a handler, no SA_RESTART): it waits
 * again. @return TEST_OK or TEST_FAILED (said why). */
int mp_thread_interrupt(unsigned int n);
/* Replace its epoll descriptor with /dev/null and wake it: its next wait
 * fails and it stops. @return TEST_OK once it stopped. */
int mp_thread_break(void);

/* Hugepages the test needs free (2 MiB each). */
#define MP_HUGEPAGES 64

struct mp_huge {
	char dir[64];          /* private hugetlbfs mount point */
	char prefix[32];       /* EAL --file-prefix */
	long added;            /* pages added to nr_hugepages */
	bool mounted;
};

/* Reserve MP_HUGEPAGES 2 MiB pages more (nr_hugepages) and mount a
 * hugetlbfs limited to that many in a temporary directory.
 * @return 0; 77 (skip) when the kernel has no hugepages at all; 1 on
 * another failure, after a line saying why. */
int mp_huge_setup(struct mp_huge *h);

/* Unmount, remove the directory and DPDK's runtime files of the prefix,
 * give the added pages back. */
void mp_huge_cleanup(struct mp_huge *h);

#endif
