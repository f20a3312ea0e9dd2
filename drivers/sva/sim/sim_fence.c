/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Fences of the sim device. DSA honours the fence flag within a batch: a
 * descriptor with FENCE waits for the earlier ones of its batch, and when
 * one of them failed it and the rest of the batch are abandoned. The sim's
 * batch is a queue's doorbell group: what one doorbell hands over, whose
 * last descriptor asks for a completion record (RCR). The engine sees the
 * group's end as the next descriptor with RCR, which CRC operations also
 * carry (their record holds the CRC): they end the scope too.
 *
 * The state is per queue (struct sim_queue.eng_grp), written by the one
 * engine serving the queue, and looked at only while some queue of that
 * engine has an open scope (sim_engine.nb_grp_dirty) or after a failure:
 * the common path pays a load and a branch at either end of a descriptor.
 */

#include "sim_private.h"

/* The fence scope of the queue d came from: a dedicated WQ's queue as it
 * is; on a shared WQ, the attached queue whose completion ring holds d's
 * record. Only failures and scopes already open get here. */
static uint8_t *
sim_grp_state(struct sim_engine *e, const struct dsa_desc *d)
{
	const struct sim_dev *sd = e->dev;

	if (e->cur_dq != NULL)
		return &e->cur_dq->eng_grp;
	for (uint16_t q = 0; q < sd->nb_queues; q++) {
		struct sim_queue *sq = sd->queues[q];

		if (sq != NULL && sim_queue_holds(sq, e->cur_wq, d))
			return &sq->eng_grp;
	}
	return sim_mp_grp_state(sd, e->cur_wq, d);  /* a secondary's queue? */
}

/* Before anything else: true if d is not to run (ABORTED), because a
 * fence of its group met a failure. */
bool
sim_fence_abandon(struct sim_engine *e, const struct dsa_desc *d)
{
	uint8_t *st = sim_grp_state(e, d);

	if (st == NULL || *st == SIM_GRP_OK)
		return false;
	if (*st == SIM_GRP_FAILED) {
		if (!(dsa_desc_flags(d) & DSA_FLAG_FENCE))
			return false;
		*st = SIM_GRP_ABANDON;
	}
	return true;
}

/* After d completed with status: a failure opens the scope, the group's
 * last descriptor closes it. Repeating it for one descriptor changes
 * nothing. */
void
sim_fence_track(struct sim_engine *e, const struct dsa_desc *d, uint8_t status)
{
	uint8_t *st = sim_grp_state(e, d);
	uint8_t s = status & DSA_ST_MASK, now;

	if (st == NULL)
		return;
	now = *st;
	if (dsa_desc_flags(d) & DSA_FLAG_RCR)
		now = SIM_GRP_OK;
	else if (now == SIM_GRP_OK && s != DSA_ST_SUCCESS && s != DSA_ST_SUCCESS_PRED)
		now = SIM_GRP_FAILED;
	e->nb_grp_dirty += (now != SIM_GRP_OK) - (*st != SIM_GRP_OK);
	*st = now;
}
