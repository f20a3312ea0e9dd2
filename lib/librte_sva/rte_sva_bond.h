/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef RTE_SVA_BOND_H
#define RTE_SVA_BOND_H

/**
 * @file
 * Containers and bonds: bind a process address space (mm) to a PASID across
 * a set of SVA devices.
 *
 * A container is a set of devices that share bonds. Binding an address space
 * gives one PASID, valid on every device of the container; binding the same
 * address space again returns the same PASID and takes a reference. Adding a
 * device replays every live bond onto it (all or nothing); removing one
 * unbinds it there first.
 *
 * Unbind is by address space (pid), never by PASID: a freed PASID may be
 * given to someone else. Unbinding the last reference refuses new
 * descriptors for the PASID on every device, completes the ones in flight
 * (ABORTED if not executed), flushes, then frees the PASID.
 *
 * Where a PASID comes from is the business of the devices' backend, which
 * all devices of a container share. Software devices (sva_sim) take theirs
 * from a per-user pool, within the range of rte_sva_pasid_range_set(): two
 * processes of a user never hold the same PASID at once, a process that
 * dies releases its PASIDs (they live in file locks the kernel drops), and
 * no other user can take or hold them (the pool is a private file in a
 * private directory; see the programmer's guide, "PASID pool"). Devices
 * whose PASID the kernel owns and does not disclose (idxd work queues)
 * bind only the calling process, and report RTE_SVA_PASID_KERNEL.
 *
 * After fork(), a child inherits its parent's devices, containers and bonds
 * and may use them: it can submit with the parent's PASIDs, which reach the
 * parent's address space (so only memory shared with the parent, such as
 * the DPDK heap, holds what the child sees). It never changes them: every
 * call below that would (create, destroy, add_dev, remove_dev, bind,
 * unbind) returns -EPERM in a child, with a log line. Queries show the
 * child's copy of the tables as of fork().
 *
 * Control functions: any thread, serialized by the library's control lock.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of containers in one process. */
#define RTE_SVA_MAX_CONTAINERS 16

/**
 * Create an empty container.
 * @return container id (>= 0); -ENOSPC when all are in use; -EPERM in a
 * fork() child.
 */
int rte_sva_container_create(void);

/**
 * Destroy a container: unbind every bond, then remove every device.
 * @param cid the container.
 * @return 0; -EINVAL for a bad id; -EPERM in a fork() child.
 */
int rte_sva_container_destroy(int cid);

/**
 * Add a device and replay every live bond onto it, all or nothing.
 * @param cid the container.
 * @param dev_id the device.
 * @return 0; -EINVAL for a bad container or device id; -EEXIST if the device
 * is already in a container; -ENOTSUP if the device has no PASID table
 * operations or no backend; -EXDEV if the device's backend is not the one
 * of the container's devices and bonds (e.g. an idxd device in a container
 * of sim devices); -ERANGE if a live bond's PASID is wider than the device
 * accepts; -EPERM in a fork() child; other <0 from the driver (nothing
 * was changed).
 */
int rte_sva_container_add_dev(int cid, int16_t dev_id);

/**
 * Remove a device, unbinding every bond from it first.
 * @param cid the container.
 * @param dev_id the device.
 * @return 0; -EINVAL for a bad container id; -ENOENT if the device is not in
 * this container; -EPERM in a fork() child.
 */
int rte_sva_container_remove_dev(int cid, int16_t dev_id);

/**
 * Bind an address space to the container.
 * @param cid the container.
 * @param pid 0 (or getpid()) for the calling process.
 * @param[out] pasid the PASID, valid on every device of the container;
 * RTE_SVA_PASID_KERNEL when the kernel owns it (see
 * rte_sva_bond_info::kernel_pasid).
 * @return 0; -EINVAL for a bad id, NULL pasid or an empty container;
 * -ESRCH if pid does not exist (or exited); -EPERM if the caller may not
 * ptrace-attach to pid, or in a fork() child; -ENOTSUP if the container's
 * backend or a device cannot reach another process's address space;
 * -ENOSPC if no PASID is free (the log names who holds them); -EACCES if
 * the PASID pool file or its directory is not safe to use (a symbolic
 * link, someone else's, open to others); other <0 from a driver or the
 * backend (reaching pid's address space, the PASID pool: -EMFILE...), as
 * the system gave it (nothing was bound).
 */
int rte_sva_bind(int cid, pid_t pid, uint32_t *pasid);

/**
 * Drop a reference on the bond of pid (0 = self); the last one unbinds.
 * @param cid the container.
 * @param pid the bound process (0 for the calling one).
 * @return 0; -EINVAL for a bad id; -ENOENT if pid is not bound; -EPERM in
 * a fork() child.
 */
int rte_sva_unbind(int cid, pid_t pid);

/**
 * The PASID rte_sva_bind() reports for a bond whose PASID the kernel owns
 * and does not disclose (devices such as idxd work queues: the kernel binds
 * the address space of the process that opened them). Pass it to the fast
 * path like any PASID; devices of other backends refuse it as too wide.
 */
#define RTE_SVA_PASID_KERNEL (UINT32_MAX - 1)

/** One bond, as rte_sva_container_bonds() reports it. */
struct rte_sva_bond_info {
	int32_t pid;         /**< process whose address space is bound */
	uint32_t pasid;      /**< its PASID, or RTE_SVA_PASID_KERNEL */
	uint32_t refs;       /**< bind references held */
	uint8_t self;        /**< the calling process (in a fork() child: no) */
	uint8_t defunct;     /**< the process exited */
	/** 1: the kernel owns the PASID (pasid is RTE_SVA_PASID_KERNEL);
	 *  0: the library allocated it from its range. */
	uint8_t kernel_pasid;
	uint8_t reserved;    /**< zero */
};

/**
 * List a container's bonds.
 * @param cid the container.
 * @param[out] info up to max bonds.
 * @param max entries of info (0 to count only).
 * @return number of bonds (may exceed max; at most max are written);
 * -EINVAL for a bad id, or NULL info with max > 0.
 */
int rte_sva_container_bonds(int cid, struct rte_sva_bond_info *info,
			    unsigned int max);

/**
 * List a container's devices.
 * @param cid the container.
 * @param[out] devs up to max device ids.
 * @param max entries of devs (0 to count only).
 * @return number of devices (at most max written); -EINVAL as above.
 */
int rte_sva_container_devs(int cid, int16_t *devs, unsigned int max);

/**
 * @param cid a container id.
 * @return true if cid names a live container.
 */
bool rte_sva_container_is_valid(int cid);

/**
 * The container a device is in: for an application that made its own
 * container, or a driver (dma_sva) that looks for the application's before
 * making one.
 * @param dev_id the device.
 * @return the container id (>= 0); -ENOENT if the device is in none;
 * -EINVAL for an id that names no device (logged).
 */
int rte_sva_dev_container(int16_t dev_id);

/**
 * Restrict the range the library allocates PASIDs from (default 1..2^20-1),
 * for backends that allocate them (software devices; the kernel-owned
 * PASIDs of idxd are not affected); affects later binds, narrowed to the
 * widths of the container's devices.
 * @param min lowest PASID.
 * @param max highest PASID.
 * @return 0; -EINVAL if min > max, min == 0 or max >= 2^20.
 */
int rte_sva_pasid_range_set(uint32_t min, uint32_t max);

#ifdef __cplusplus
}
#endif

#endif /* RTE_SVA_BOND_H */
