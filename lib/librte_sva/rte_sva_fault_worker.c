/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The ways to run the fault path over every device: the library's own
 * worker on an EAL lcore, and a DPDK service for the application's service
 * lcores.
 *
 * The worker is itself a service ("sva_fault_worker") on an lcore the
 * library makes a service lcore: rte_eal_cleanup() stops every service
 * lcore (rte_service_finalize()) before it waits for the lcores and
 * releases the devices, so cleanup with a worker running returns, after
 * the worker's current poll. A function launched with
 * rte_eal_remote_launch() would never be told to stop: cleanup would wait
 * for it forever.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_service.h>
#include <rte_service_component.h>

#include "rte_sva.h"
#include "rte_sva_fault.h"
#include "rte_sva_fault_priv.h"
#include "sva_internal.h"
#include "rte_sva_pmd.h"

static unsigned int
poll_all(void)
{
	unsigned int work = 0;
	int16_t d;

	RTE_SVA_FOREACH_DEV(d) {
		struct rte_sva_dev *dev = rte_sva_pmd_get_dev(d);
		int n;

		/* Devices without a fault queue are skipped before announcing
		 * a poll: a close waiting for pollers to leave is not held. */
		if (dev == NULL || __atomic_load_n(&dev->fq, __ATOMIC_RELAXED) == NULL)
			continue;
		n = sva_fault_process_dev(dev, FQ_BURST);
		if (n > 0)
			work += n;
	}
	return work;
}

/* Start and stop of the worker, and registration of the service (the
 * service library's registry is not safe for concurrent calls); never the
 * control lock, which a close may hold while it waits for this worker's
 * poll to end. */
static pthread_mutex_t worker_lock = PTHREAD_MUTEX_INITIALIZER;
static int worker_lcore = -1;
static uint32_t worker_sid;
static unsigned int worker_idle;     /* the worker lcore's own */

static int32_t
worker_cb(void *arg)
{
	RTE_SET_USED(arg);
	if (poll_all() != 0) {
		worker_idle = 0;
		return 0;
	}
	/* Stay hot for a while, then let a thread sharing the CPU run. */
	if (++worker_idle < 1024)
		rte_pause();
	else
		sched_yield();
	return -EAGAIN;
}

/* Take the worker's service off lcore and unregister it: after a start
 * that got as far as making lcore a service lcore, or to stop the worker.
 * Unmapped first: the service library refuses to stop the only lcore of a
 * running service; then its last poll is waited for. */
static void
worker_service_drop(unsigned int lcore)
{
	rte_service_map_lcore_set(worker_sid, lcore, 0);
	rte_service_lcore_stop(lcore);
	rte_eal_wait_lcore(lcore);
	rte_service_lcore_del(lcore);
	rte_service_runstate_set(worker_sid, 0);
	rte_service_component_runstate_set(worker_sid, 0);
	rte_service_component_unregister(worker_sid);
}

static int
worker_start_locked(unsigned int lcore)
{
	struct rte_service_spec spec = {
		.callback = worker_cb,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	if (worker_lcore >= 0) {
		RTE_SVA_LOG(ERR, "a fault worker already runs on lcore %d", worker_lcore);
		return -EBUSY;
	}
	if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) ||
	    lcore == rte_get_main_lcore()) {
		RTE_SVA_LOG(ERR, "fault worker: lcore %u is not a worker lcore", lcore);
		return -EINVAL;
	}
	/* Checked first: making it a service lcore would wait for it. */
	if (rte_eal_get_lcore_state(lcore) != WAIT) {
		RTE_SVA_LOG(ERR, "fault worker: lcore %u is busy (a function launched on it still runs)",
			    lcore);
		return -EBUSY;
	}
	snprintf(spec.name, sizeof(spec.name), "sva_fault_worker");
	ret = rte_service_component_register(&spec, &worker_sid);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "fault worker: cannot register its service: %s",
			    strerror(-ret));
		return ret;
	}
	rte_service_component_runstate_set(worker_sid, 1);
	rte_service_runstate_set(worker_sid, 1);
	/* Returns what the lcore's last function returned: judge by the
	 * result instead. */
	ret = rte_service_lcore_add(lcore);
	if (rte_service_lcore_count_services(lcore) < 0) {
		RTE_SVA_LOG(ERR, "fault worker: cannot make lcore %u a service lcore: %s",
			    lcore, strerror(ret < 0 ? -ret : EINVAL));
		rte_service_runstate_set(worker_sid, 0);
		rte_service_component_unregister(worker_sid);
		return ret < 0 ? ret : -EINVAL;
	}
	ret = rte_service_map_lcore_set(worker_sid, lcore, 1);
	if (ret == 0)
		ret = rte_service_lcore_start(lcore);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "fault worker: cannot start lcore %u: %s%s", lcore,
			    strerror(-ret), ret == -EBUSY ? " (launched meanwhile)" : "");
		worker_service_drop(lcore);
		return ret;
	}
	worker_lcore = (int)lcore;
	return 0;
}

int
rte_sva_fault_worker_start(unsigned int lcore_id)
{
	int ret = sva_fork_check("fault worker start");

	if (ret != 0)
		return ret;
	pthread_mutex_lock(&worker_lock);
	ret = worker_start_locked(lcore_id);
	pthread_mutex_unlock(&worker_lock);
	return ret;
}

int
rte_sva_fault_worker_stop(void)
{
	int ret = sva_fork_check("fault worker stop");
	unsigned int lcore;

	if (ret != 0)
		return ret;
	pthread_mutex_lock(&worker_lock);
	if (worker_lcore < 0) {
		pthread_mutex_unlock(&worker_lock);
		RTE_SVA_LOG(ERR, "no fault worker runs");
		return -ENOENT;
	}
	lcore = (unsigned int)worker_lcore;
	worker_service_drop(lcore);
	worker_lcore = -1;
	pthread_mutex_unlock(&worker_lock);
	/* What came meanwhile, as a worker's last round. */
	poll_all();
	return 0;
}

static int32_t
service_cb(void *arg)
{
	RTE_SET_USED(arg);
	return poll_all() != 0 ? 0 : -EAGAIN;
}

int
rte_sva_fault_service_register(uint32_t *service_id)
{
	struct rte_service_spec spec = {
		.callback = service_cb,
		.capabilities = RTE_SERVICE_CAP_MT_SAFE,
		.socket_id = SOCKET_ID_ANY,
	};
	int ret;

	if (service_id == NULL) {
		RTE_SVA_LOG(ERR, "fault service: NULL service_id");
		return -EINVAL;
	}
	snprintf(spec.name, sizeof(spec.name), "sva_fault");
	pthread_mutex_lock(&worker_lock);
	ret = rte_service_component_register(&spec, service_id);
	if (ret == 0)
		rte_service_component_runstate_set(*service_id, 1);
	pthread_mutex_unlock(&worker_lock);
	if (ret != 0)
		RTE_SVA_LOG(ERR, "cannot register the fault service: %s",
			    strerror(-ret));
	return ret;
}
