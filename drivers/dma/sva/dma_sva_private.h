/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef DMA_SVA_PRIVATE_H
#define DMA_SVA_PRIVATE_H

/*
 * dma_sva: one queue of an SVA device exposed as a DPDK dmadev.
 *
 * Every adapter on one SVA device shares a "host" record: the container
 * the device is in, which queues the adapters use, which of them are set
 * up, and how many adapters are started (the SVA device runs while at
 * least one is). An SVA device is configured and its queues set up only
 * while it is stopped, so an adapter configured while another runs takes
 * the queue the device already has for it (doc/guides/dma_sva.rst).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_dmadev_pmd.h>
#include <rte_log.h>
#include <rte_sva.h>

/* The devargs: the SVA device and its queue. */
struct dma_sva_args {
	char dev[RTE_SVA_NAME_MAX_LEN];
	uint16_t qid;
	bool no_silent;       /* silent=0: RTE_DMA_CAPA_SILENT withheld */
};

/* dma_sva_devargs.c: args into *a. 0, or -EINVAL after a log line naming
 * the device, key and reason (dev= is required). */
int dma_sva_devargs_parse(const char *name, const char *args,
			  struct dma_sva_args *a);

extern int dma_sva_logtype;
#define DMA_SVA_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, dma_sva_logtype, "dma_sva: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* The SVA device behind one or more adapters. */
struct dma_sva_priv;

struct dma_sva_host {
	char sva_name[RTE_SVA_NAME_MAX_LEN];
	int16_t sva_id;
	int cid;              /* container holding the device */
	bool own_cid;         /* created by us: destroyed with the last adapter */
	unsigned int nb_adapters;
	uint64_t claimed;     /* bit qid: queue used by an adapter */
	uint64_t ready;       /* bit qid: adapter queue set up since configure */
	uint16_t nb_queues;   /* as we configured the device; 0 = not yet */
	uint16_t depth[RTE_SVA_MAX_QUEUES]; /* ring of each SVA queue; 0 = none */
	unsigned int nb_started; /* adapters started; device runs while > 0 */
	struct dma_sva_priv *adapters[RTE_SVA_MAX_QUEUES]; /* by qid */
};

/* dmadev private data, one cache line. The fast path reads sva_id, qid,
 * pasid, base and started (the adapter may be stopped while another adapter
 * keeps the SVA device running: its enqueues are refused all the same).
 * base is the SVA ring index of this adapter's rte_dma index 0: a restarted
 * vchan counts from 0 (rte_dmadev.h) while its SVA queue, kept by the
 * running device, goes on counting. */
struct dma_sva_priv {
	int16_t sva_id;
	uint16_t qid;
	uint32_t pasid;
	uint16_t base;
	/* Silent mode only: flags every operation carries (BLOCK_ON_FAULT
	 * where the device can wait for a page request in the device). */
	uint64_t silent_flags;
	/* control path */
	struct dma_sva_host *host;
	uint16_t mode;        /* enum rte_sva_queue_mode */
	uint16_t wq_id;
	uint16_t nb_desc;     /* SVA ring depth; 0 until vchan_setup */
	int16_t dma_id;       /* our dmadev id */
	bool started;         /* written by start/stop, read by the fast path */
	bool silent;          /* configured with rte_dma_conf::enable_silent */
	bool no_silent;       /* devarg silent=0 */
} __rte_cache_aligned;

/* Fill the dmadev fast-path object (dma_sva_fp.c): the silent-mode
 * functions when silent, else the reporting ones. */
void dma_sva_fp_install(struct rte_dma_fp_object *obj, bool silent);

/* Silent mode: reap, unreported, what the device has finished on the
 * adapter's queue, so its ring slots are free again (dma_sva_fp.c).
 * Fast path or a stopped adapter; returns the operations reaped. */
uint16_t dma_sva_reclaim(const struct dma_sva_priv *a);

#endif /* DMA_SVA_PRIVATE_H */
