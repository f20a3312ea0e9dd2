/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Engine lifecycle of the sim device (control path): spreading work queues
 * over engines, launching them on their threads or EAL lcores, stopping
 * them (each drains its queues first), and waiting for quiescent points
 * (PASID detach, invalidation) or for submitted work to be taken.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "sim_private.h"
#include "sva_compat.h"

static void *
sim_engine_thread(void *arg)
{
	sim_engine_main(arg);
	return NULL;
}

static int
sim_engine_launch(struct sim_engine *e)
{
	char name[RTE_MAX_THREAD_NAME_LEN + 16];
	pthread_attr_t attr;
	cpu_set_t cpus;
	int ret;

	__atomic_store_n(&e->prq_abort, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&e->run, 1, __ATOMIC_RELEASE);
	if (e->lcore >= 0) {
		ret = rte_eal_remote_launch(sim_engine_main, e, e->lcore);
		if (ret != 0) {
			SIM_LOG(ERR, "%s: engine %u: lcore %d is busy: %s",
				e->dev->sva->name, e->id, e->lcore,
				strerror(-ret));
			return ret;
		}
		return 0;
	}
	pthread_attr_init(&attr);
	if (e->cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(e->cpu, &cpus);
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	}
	ret = pthread_create(&e->thread, &attr, sim_engine_thread, e);
	pthread_attr_destroy(&attr);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: engine %u: cannot create thread: %s",
			e->dev->sva->name, e->id, strerror(ret));
		return -ret;
	}
	snprintf(name, sizeof(name), "sva-sim%d-e%u", e->dev->sva->dev_id, e->id);
	sva_thread_setname(e->thread, name);
	e->thread_live = true;
	return 0;
}

static void
sim_engine_join(struct sim_engine *e)
{
	/* A page request still waiting is answered INVALID by the device. */
	__atomic_store_n(&e->prq_abort, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&e->run, 0, __ATOMIC_RELEASE);
	if (e->lcore >= 0) {
		rte_eal_wait_lcore(e->lcore);
	} else if (e->thread_live) {
		pthread_join(e->thread, NULL);
		e->thread_live = false;
	}
}

int
sim_engines_start(struct sim_dev *sd)
{
	unsigned int i;
	int ret;

	for (i = 0; i < sd->nb_engines; i++) {
		sd->engines[i]->nb_dq = 0;
		sd->engines[i]->nb_sq = 0;
		sd->engines[i]->nb_grp_dirty = 0;
	}
	for (unsigned int q = 0; q < SIM_MP_QUEUES; q++)
		if (sd->mp_queues[q] != NULL)
			sd->mp_queues[q]->eng_grp = SIM_GRP_OK;  /* secondaries' */
	/* Spread work queues over engines, round robin. */
	for (uint16_t q = 0, k = 0; q < sd->nb_queues; q++) {
		struct sim_engine *e;

		sd->queues[q]->eng_grp = SIM_GRP_OK;
		if (sd->queues[q]->swq != NULL)
			continue;
		e = sd->engines[k++ % sd->nb_engines];
		e->dq[e->nb_dq++] = sd->queues[q];
	}
	for (uint16_t w = 0, k = 0; w < SIM_MAX_WQS; w++) {
		struct sim_engine *e;

		if (sd->wqs[w] == NULL || sd->wqs[w]->nb_attached == 0)
			continue;
		e = sd->engines[k++ % sd->nb_engines];
		e->sq[e->nb_sq++] = sd->wqs[w];
	}
	for (i = 0; i < sd->nb_engines; i++) {
		ret = sim_engine_launch(sd->engines[i]);
		if (ret != 0) {
			while (i-- > 0)
				sim_engine_join(sd->engines[i]);
			return ret;
		}
	}
	return 0;
}

void
sim_engines_stop(struct sim_dev *sd)
{
	/* Each engine drains: it exits only after a pass that found no
	 * submitted descriptor left. */
	for (unsigned int i = 0; i < sd->nb_engines; i++)
		sim_engine_join(sd->engines[i]);
}

void
sim_engines_quiesce(struct sim_dev *sd)
{
	uint64_t seen[SIM_MAX_ENGINES];

	for (unsigned int i = 0; i < sd->nb_engines; i++)
		seen[i] = __atomic_load_n(&sd->engines[i]->qs_epoch,
					  __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < sd->nb_engines; i++) {
		struct sim_engine *e = sd->engines[i];

		while (__atomic_load_n(&e->run, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&e->qs_epoch, __ATOMIC_SEQ_CST) == seen[i])
			rte_pause();
	}
}

/* Wait until the engines have taken every descriptor submitted before the
 * call (a running device only). */
void
sim_engines_drain(struct sim_dev *sd)
{
	uint16_t dq_target[SIM_MAX_QUEUES];
	uint32_t sq_target[SIM_MAX_WQS];

	if (!sd->started)
		return;
	for (uint16_t q = 0; q < sd->nb_queues; q++)
		if (sd->queues[q] != NULL && sd->queues[q]->swq == NULL)
			dq_target[q] = __atomic_load_n(&sd->queues[q]->doorbell,
						       __ATOMIC_ACQUIRE);
	for (uint16_t w = 0; w < SIM_MAX_WQS; w++)
		if (sd->wqs[w] != NULL)
			sq_target[w] = __atomic_load_n(&sd->wqs[w]->tail,
						       __ATOMIC_ACQUIRE);
	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		struct sim_queue *sq = sd->queues[q];

		if (sq == NULL || sq->swq != NULL)
			continue;
		while ((int16_t)(__atomic_load_n(&sq->eng_head, __ATOMIC_ACQUIRE) -
				 dq_target[q]) < 0)
			rte_pause();
	}
	for (uint16_t w = 0; w < SIM_MAX_WQS; w++) {
		if (sd->wqs[w] == NULL)
			continue;
		while ((int32_t)(__atomic_load_n(&sd->wqs[w]->head, __ATOMIC_ACQUIRE) -
				 sq_target[w]) < 0)
			rte_pause();
	}
	/* The last descriptor taken may still be running. */
	sim_engines_quiesce(sd);
}
