/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_MP_H
#define RTE_SVA_MP_H

/**
 * @file
 * DPDK multi-process for SVA drivers (internal, ALLOW_INTERNAL_API): a
 * secondary process asks the primary, over rte_mp, to bind its address
 * space in one of the primary's containers (a bond by pid, as
 * rte_sva_bind() of another process makes: its own PASID, the backend's
 * permission checks) and to run driver requests (e.g. attach to a device).
 * The primary serves them on a control thread of the library, never on
 * DPDK's IPC thread (a handler may allocate memory, which in a primary
 * asks every secondary over IPC), and releases every bond of a secondary
 * when that process exits.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rte_compat.h>

#include "rte_sva.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Requests (rte_sva_mp_msg::op)
 * @{ */
#define RTE_SVA_MP_OP_BIND    1  /**< bind the sender in cid: pasid */
#define RTE_SVA_MP_OP_UNBIND  2  /**< drop one bind reference of cid */
#define RTE_SVA_MP_OP_DRIVER  16 /**< first op handled by a driver */
/** @} */

/** The rte_mp action (message name) of requests and replies. */
#define RTE_SVA_MP_ACTION "sva_mp"
/** Secondaries a primary serves at once (those that sent a request the
 * primary did not refuse, until each exits). */
#define RTE_SVA_MP_CLIENTS 32

/** Driver names in requests. */
#define RTE_SVA_MP_DRIVER_LEN 16
/** A reason in a reply. */
#define RTE_SVA_MP_WHY_LEN 88
/** Driver-defined request bytes (an rte_sva_cache_inv fits). */
#define RTE_SVA_MP_DATA_LEN 56

/** A request and, filled by the primary, its reply. */
struct rte_sva_mp_msg {
	uint32_t op;        /**< RTE_SVA_MP_OP_* or a driver's op */
	int32_t pid;        /**< the sender (set by rte_sva_pmd_mp_request()) */
	int32_t cid;        /**< container (bind, unbind; driver replies) */
	int32_t ret;        /**< reply: 0 or a negative errno */
	uint32_t pasid;     /**< reply of a bind */
	uint32_t reserved;  /**< zero */
	uint64_t value;     /**< driver-defined */
	char driver[RTE_SVA_MP_DRIVER_LEN]; /**< driver ops: whose */
	char name[RTE_SVA_NAME_MAX_LEN];    /**< a device name (driver ops) */
	char why[RTE_SVA_MP_WHY_LEN];       /**< reply: why ret < 0 */
	uint8_t data[RTE_SVA_MP_DATA_LEN];  /**< driver-defined */
};

/**
 * A driver's request handler, in the primary, on the library's control
 * thread (it may call control functions and allocate memory). The sender
 * (m->pid) was checked to be a secondary of this primary.
 * @param m the request; the handler fills ret, why and its own fields.
 */
typedef void (*rte_sva_mp_handler_t)(struct rte_sva_mp_msg *m);

/**
 * Called in the primary once a secondary that sent requests has exited
 * (its bonds are released already), on the same thread.
 * @param pid the secondary.
 */
typedef void (*rte_sva_mp_gone_t)(pid_t pid);

/**
 * Serve a driver's requests in the primary (from its probe; a second call
 * for the same driver changes nothing but this: it starts the control
 * thread again if it stopped). Starts the library's IPC action and its
 * control thread on first use. The thread stops only when its own
 * descriptors fail (logged); requests are then refused at once saying so
 * (-ENODEV, rte_sva_mp_msg::why) until the next call starts it again.
 * @param driver the name requests carry (< RTE_SVA_MP_DRIVER_LEN).
 * @param fn its handler.
 * @param gone called when a secondary exits, or NULL.
 * @return 0; -ENOTSUP, not logged (a driver probing there has nothing to
 * serve), when this process is not a primary or runs without
 * multi-process support (--no-shconf, --in-memory); logged: -ENOSPC (no
 * handler slot), -EINVAL (bad argument), another -errno.
 */
__rte_internal
int rte_sva_pmd_mp_serve(const char *driver, rte_sva_mp_handler_t fn,
			 rte_sva_mp_gone_t gone);

/**
 * Send a request to the primary and wait for its reply (secondary, control
 * path; blocks up to a few seconds).
 * @param m the request (pid is set here); its reply on return.
 * @return m->ret (-ENODEV, with m->why saying so, when the primary's
 * control thread stopped); -ENODEV (logged) when no primary answered it
 * (none serves it: no such driver there, or a primary without
 * multi-process support); -ENOTSUP (logged) in a primary; -EINVAL
 * (logged) for NULL.
 */
__rte_internal
int rte_sva_pmd_mp_request(struct rte_sva_mp_msg *m);

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_MP_H */
