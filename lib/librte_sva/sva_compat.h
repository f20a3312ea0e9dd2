/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

#ifndef SVA_COMPAT_H
#define SVA_COMPAT_H

/**
 * @file
 * The one place where librte_sva meets the differences between the DPDK
 * releases it builds against: 22.11 (Debian 12) and 24.11 (Debian 13), the
 * LTS releases of issue 13's matrix (doc/guides/dpdk_versions.rst). Every
 * difference is a wrapper or macro here, chosen by RTE_VERSION at compile
 * time, so the code elsewhere reads the same on every release: it calls
 * sva_*() instead of the API that moved. Internal: not installed (no
 * public header depends on a release difference).
 *
 * What moved between 22.11 and 24.11, and how it is bridged:
 * - rte_ctrl_thread_create() (pthread) was removed in 23.11; its successor
 *   rte_thread_create_control() takes an rte_thread_t and a thread function
 *   returning uint32_t. sva_ctrl_thread_create() keeps the pthread form.
 * - rte_thread_setname(pthread_t) was removed in 23.11 for
 *   rte_thread_set_name(rte_thread_t): sva_thread_setname().
 * - rte_tel_data_add_dict_u64() is deprecated since 23.03 for
 *   rte_tel_data_add_dict_uint() (which 22.11 lacks): sva_tel_add_dict_u64().
 * - rte_dma_conf::enable_silent became the flag RTE_DMA_CFG_FLAG_SILENT of
 *   rte_dma_conf::flags in 25.11: SVA_DMA_CONF_SILENT_INIT,
 *   sva_dma_conf_silent(), sva_dma_conf_set_silent().
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_dmadev.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>
#include <rte_thread.h>
#include <rte_version.h>

/** True when building against DPDK major.minor or later. */
#define SVA_DPDK_AT_LEAST(major, minor) \
	(RTE_VERSION >= RTE_VERSION_NUM(major, minor, 0, 0))

#if SVA_DPDK_AT_LEAST(23, 11)

/* What the trampoline hands the control thread; freed by the thread. */
struct sva_compat_ctrl_start {
	void *(*fn)(void *);
	void *arg;
};

static inline uint32_t
sva_compat_ctrl_main(void *p)
{
	struct sva_compat_ctrl_start s = *(struct sva_compat_ctrl_start *)p;

	free(p);
	s.fn(s.arg);
	return 0;
}

#endif

/**
 * Start a control thread (on the EAL's control CPUs, off the lcores) named
 * @p name, running fn(arg), and return its pthread handle.
 *
 * @param thread
 *   Where the thread's pthread handle is stored.
 * @param name
 *   Thread name (EAL truncates it to the system's limit).
 * @param fn
 *   Thread function; its return value is ignored.
 * @param arg
 *   Argument of @p fn.
 * @return
 *   0 on success, a negative errno otherwise (-ENOMEM, or what the
 *   thread creation reported), on every release.
 */
static inline int
sva_ctrl_thread_create(pthread_t *thread, const char *name,
		       void *(*fn)(void *), void *arg)
{
#if SVA_DPDK_AT_LEAST(23, 11)
	struct sva_compat_ctrl_start *s = malloc(sizeof(*s));
	rte_thread_t tid;
	int ret;

	if (s == NULL)
		return -ENOMEM;
	s->fn = fn;
	s->arg = arg;
	ret = rte_thread_create_control(&tid, name, sva_compat_ctrl_main, s);
	if (ret != 0) {
		free(s);
		return ret < 0 ? ret : -ret;
	}
	/* On Linux an rte_thread_t holds the pthread_t (EAL's rte_thread.c). */
	*thread = (pthread_t)tid.opaque_id;
	return 0;
#else
	int ret = rte_ctrl_thread_create(thread, name, NULL, fn, arg);

	return ret < 0 ? ret : -ret;
#endif
}

/**
 * Name a thread made with pthread_create(), for top, gdb and EAL's logs;
 * best effort, as in DPDK (a name too long is truncated).
 *
 * @param thread
 *   The thread.
 * @param name
 *   Its name.
 */
static inline void
sva_thread_setname(pthread_t thread, const char *name)
{
#if SVA_DPDK_AT_LEAST(23, 11)
	rte_thread_t tid = { .opaque_id = (uintptr_t)thread };

	rte_thread_set_name(tid, name);
#else
	(void)rte_thread_setname(thread, name);
#endif
}

/**
 * Add an unsigned 64-bit value to a telemetry dictionary.
 *
 * @param d
 *   The dictionary (rte_tel_data_start_dict() done).
 * @param name
 *   Key.
 * @param val
 *   Value.
 * @return
 *   0 on success, a negative errno from the telemetry library otherwise.
 */
static inline int
sva_tel_add_dict_u64(struct rte_tel_data *d, const char *name, uint64_t val)
{
#if SVA_DPDK_AT_LEAST(23, 3)
	return rte_tel_data_add_dict_uint(d, name, val);
#else
	return rte_tel_data_add_dict_u64(d, name, val);
#endif
}

/**
 * Designated initializer of a struct rte_dma_conf member that asks for
 * silent mode: { .nb_vchans = 1, SVA_DMA_CONF_SILENT_INIT }.
 */
#if SVA_DPDK_AT_LEAST(25, 11)
#define SVA_DMA_CONF_SILENT_INIT .flags = RTE_DMA_CFG_FLAG_SILENT
#else
#define SVA_DMA_CONF_SILENT_INIT .enable_silent = true
#endif

/**
 * Whether a dmadev configuration asks for silent mode.
 *
 * @param conf
 *   The configuration (not NULL).
 * @return
 *   true for silent mode.
 */
static inline bool
sva_dma_conf_silent(const struct rte_dma_conf *conf)
{
#if SVA_DPDK_AT_LEAST(25, 11)
	return (conf->flags & RTE_DMA_CFG_FLAG_SILENT) != 0;
#else
	return conf->enable_silent;
#endif
}

/**
 * Ask for silent mode in a dmadev configuration, or not.
 *
 * @param conf
 *   The configuration (not NULL).
 * @param on
 *   true for silent mode.
 */
static inline void
sva_dma_conf_set_silent(struct rte_dma_conf *conf, bool on)
{
#if SVA_DPDK_AT_LEAST(25, 11)
	if (on)
		conf->flags |= RTE_DMA_CFG_FLAG_SILENT;
	else
		conf->flags &= ~RTE_DMA_CFG_FLAG_SILENT;
#else
	conf->enable_silent = on;
#endif
}

#endif /* SVA_COMPAT_H */
