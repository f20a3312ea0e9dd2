/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_LIFECYCLE_H
#define RTE_SVA_LIFECYCLE_H

/*
 * Library-internal: the device layer's lifecycle notifications
 * (rte_sva_lifecycle.c).
 *
 * The device layer (rte_sva.c) sits below the layers that keep state per
 * device (containers and bonds, fault queues). It does not call them: it
 * notifies the events below, and each of those layers registers a hook
 * from a constructor (RTE_INIT). Every notification happens under the
 * control lock, from the control function that caused it; a hook may take
 * the lock again (it is recursive) but must never wait for a thread that
 * needs it.
 *
 * Hooks run in ascending rank for every event, so the order between
 * layers is fixed by the ranks below, not by link or constructor order.
 */

struct rte_sva_dev;

/** What happens to a device. */
enum sva_lifecycle_event {
	/** The driver stopped the device (its dev_stop succeeded): it
	 *  answered its pending page-request groups itself. */
	SVA_LC_STOPPED,
	/** The driver's dev_close is about to run. After the hooks return,
	 *  nothing may reach the driver from another thread any more (the
	 *  fault layer unpublished the fault queue and waited for every
	 *  poller to leave it). */
	SVA_LC_CLOSING,
	/** The driver refused to close: the device stays; undo CLOSING. */
	SVA_LC_CLOSE_FAILED,
	/** The driver closed the device; its slot is freed after the hooks
	 *  return. Drop every reference to the device. */
	SVA_LC_RELEASED,
};

/** Ranks: lower runs first. */
enum sva_lifecycle_rank {
	SVA_LC_RANK_BONDS = 10,  /**< containers and bonds (rte_sva_bond.c) */
	SVA_LC_RANK_FAULT = 20,  /**< fault queues (rte_sva_fault.c) */
};

/** A layer's hook. Static storage: the registry keeps the pointer. */
struct sva_lifecycle_hook {
	const char *name;   /**< the layer, for the log */
	int rank;           /**< enum sva_lifecycle_rank */
	void (*fn)(struct rte_sva_dev *dev, enum sva_lifecycle_event ev);
};

/* Register hook; from a constructor only (single-threaded). A full
 * registry is a build mistake: logged, and the hook is not called. */
void sva_lifecycle_register(const struct sva_lifecycle_hook *hook);

/* Tell every registered hook, in rank order, that ev happened to dev.
 * Under the control lock. */
void sva_lifecycle_notify(struct rte_sva_dev *dev, enum sva_lifecycle_event ev);

#endif
