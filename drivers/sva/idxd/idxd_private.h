/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef SVA_IDXD_PRIVATE_H
#define SVA_IDXD_PRIVATE_H

/*
 * sva_idxd: Intel DSA through the kernel idxd driver's user work queues
 * (/dev/dsa/wqX.Y). The kernel binds our mm when we open a WQ and owns the
 * PASID; we build DSA descriptors (dsa_hw.h) and hand them to the WQ:
 *
 *   dedicated WQ  MOVDIR64B to the mmap'ed portal
 *   shared WQ     ENQCMD to the portal, retried while refused (ZF=1);
 *                 the CPU puts IA32_PASID into the descriptor
 *   write() path  write(fd, desc, 64) when the portal cannot be mapped
 *                 (EPERM/ENODEV), the CPU lacks the instruction, or
 *                 submit=write; the kernel submits for us
 *
 * A WQ node that is a regular file (a test's fake /dev tree) is a "fake
 * portal": the mapping is ordinary memory and descriptors are written with
 * plain 64-byte stores, so tests can read what hardware would receive.
 *
 * Every descriptor asks for a completion record (RCR): engines of a DSA
 * group may finish a WQ's descriptors out of order, so the sim's
 * "group end implies everything before" shortcut does not hold here.
 */

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "dsa_hw.h"
#include "dsa_ring.h"
#include "rte_sva_pmd.h"

#define IDXD_DRIVER_NAME   sva_idxd
#define IDXD_MAX_WQS       16
#define IDXD_MIN_DESC      32
#define IDXD_MAX_DESC      4096
#define IDXD_PORTAL_SIZE   4096
#define IDXD_PORTAL_SLOTS  (IDXD_PORTAL_SIZE / DSA_DESC_SIZE)
#define IDXD_ADDR_WIDTH    47
#define IDXD_NAME_LEN      64

enum idxd_submit_mode {
	IDXD_SUBMIT_AUTO = 0,   /* portal if it maps and the CPU can, else write */
	IDXD_SUBMIT_PORTAL,     /* portal or fail */
	IDXD_SUBMIT_WRITE,      /* always write() */
};

enum idxd_path {
	IDXD_PATH_MOVDIR64B,    /* dedicated WQ, portal */
	IDXD_PATH_ENQCMD,       /* shared WQ, portal */
	IDXD_PATH_WRITE,        /* write() to the WQ fd */
	IDXD_PATH_FAKE,         /* regular-file portal: plain stores */
};

/* One claimed kernel work queue. */
struct idxd_wq {
	char name[IDXD_NAME_LEN];       /* sysfs "name" */
	char dev[16];                   /* wqX.Y */
	bool shared;                    /* mode shared */
	bool block_on_fault;
	bool ats_disable;
	uint32_t size;
	uint32_t max_xfer;
	int numa_node;
	int fd;
	uint8_t *portal;                /* mapped portal, or NULL (write path) */
	enum idxd_path path;
	uint16_t nb_attached;           /* API queues on it */
	uint32_t portal_slot;           /* shared by the queues of a WQ: only a
					 * hint, races are harmless */
};

/* One API queue: single producer. The ring state is dsa_ring.h's, shared
 * with the sim; the device reads descriptors from the portal, not the ring,
 * so only the records are written by another agent. */
struct idxd_queue {
	struct dsa_ring r;
	uint32_t *tag;                  /* PASID of each op, or SW-done mark */
	struct idxd_wq *wq;
	struct idxd_dev *dev;
	uint32_t bof_ok;                /* DSA_FLAG_BOF if the WQ allows it */
} __rte_cache_aligned;

/* tag[] value of an op the driver completed itself (never submitted). */
#define IDXD_TAG_SW_DONE UINT32_MAX

struct idxd_devargs {
	char wq_prefix[IDXD_NAME_LEN];
	enum idxd_submit_mode submit;
	uint16_t max_queues;
};

struct idxd_dev {
	struct rte_sva_dev *sva;
	struct idxd_devargs args;
	char sysfs_root[256];
	char dev_root[256];
	struct idxd_wq wqs[IDXD_MAX_WQS];
	uint16_t nb_wqs;
	uint16_t nb_dedicated;
	uint16_t nb_shared;
	uint16_t shared_idx[IDXD_MAX_WQS]; /* wq_id -> index in wqs[] */
	uint32_t max_xfer;
	uint16_t nb_queues;
	uint16_t fp_nb_queues;          /* set at start, kept by stop (reaping
					 * goes on), 0 at configure/close */
	bool started;                   /* between start and stop (atomic) */
	/* RTE_SVA_PASID_KERNEL while the one bond (of our own mm, whose
	 * PASID the kernel owns) is attached, else RTE_SVA_PASID_INVALID. */
	uint32_t pasid;
	struct idxd_queue *queues[RTE_SVA_MAX_QUEUES];
};

/* idxd_wq.c: find the user WQs under the sysfs and /dev roots (from the
 * environment) and claim those of args.wq_prefix into xd->wqs. 0, or
 * -ENODEV after a log line saying why none was claimed. */
int idxd_wq_scan(struct idxd_dev *xd);
/* Unmap and close a claimed WQ. */
void idxd_wq_release(struct idxd_wq *wq);

/* idxd_devargs.c: args (may be NULL) into *a, defaults where not given.
 * 0, or -EINVAL after a log line naming the device, key and reason. */
int idxd_devargs_parse(const char *name, const char *args,
		       struct idxd_devargs *a);

/* idxd_fastpath.c */
void idxd_fastpath_install(struct rte_sva_fp_object *obj);
/* Wait (bounded; 0: just look) until every submitted op of q has its
 * record. 0 or -ETIMEDOUT. */
int idxd_queue_drain(struct idxd_queue *q, uint64_t timeout_ms);
/* How long stop and detach wait for the device. */
#define IDXD_DRAIN_MS 1000
bool idxd_cpu_has_movdir64b(void);
bool idxd_cpu_has_enqcmd(void);

extern int idxd_logtype;
#define IDXD_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, idxd_logtype, "sva_idxd: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

#endif /* SVA_IDXD_PRIVATE_H */
