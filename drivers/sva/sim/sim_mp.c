/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * The sim device in DPDK multi-process (primary/secondary).
 *
 * The vdev bus of a secondary probes every vdev of the primary (and its
 * own --vdev ones). A probe that built a device there would give the
 * secondary a private device that merely shares the primary's name. So a
 * secondary's probe attaches to the primary's device, or fails saying
 * why; it never builds one.
 *
 * Attached, the secondary has a device of its own in its library (its
 * device id, its fast-path object with this process's function pointers)
 * whose private data is a view of the primary's device:
 *
 *   primary                                  secondary
 *   -------                                  ---------
 *   struct sim_dev (rte_malloc: hugepage     struct sim_mp_view: a sim_dev
 *   memory, the same address in both)  <---  .primary, and queues of its
 *   engines, PASID table, fault queue,        own (rings and completion
 *   shared WQs  <----- ENQCMD-style pushes -- records in hugepage memory)
 *   engine threads: execute, write records
 *   into the secondary's rings directly
 *
 * Only shared work queues the primary serves are open to a secondary (a
 * dedicated WQ has one producer). The secondary binds its own address
 * space through the primary (rte_sva_mp.h): the primary binds the
 * secondary's pid in the device's container, a bond by pid as any other
 * (own PASID, ptrace-attach check, reached with process_vm_readv/writev,
 * page requests resolved in the secondary's address space by the
 * primary's fault workers), and releases it when the secondary exits.
 * The fast path is the sim's own, lock- and syscall-free in both.
 *
 * The primary refuses to configure, set up queues or close a device while
 * a secondary is attached to it: that would free work queues the
 * secondary pushes into. A secondary's queues are registered with the
 * primary's device (sim_dev.mp_queues) so that the engine finds their
 * fence scopes, as it finds its own queues'.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_pause.h>

#include "rte_sva_bond.h"
#include "rte_sva_iommu.h"
#include "rte_sva_mp.h"
#include "sim_private.h"

#define SIM_MP_DRIVER    RTE_STR(SIM_DRIVER_NAME)
#define SIM_MP_OP_ATTACH (RTE_SVA_MP_OP_DRIVER + 0)
#define SIM_MP_OP_DETACH (RTE_SVA_MP_OP_DRIVER + 1)
#define SIM_MP_OP_INVALIDATE (RTE_SVA_MP_OP_DRIVER + 2) /* data: the request */
#define SIM_MP_OP_QUEUE_ADD  (RTE_SVA_MP_OP_DRIVER + 3) /* value: the queue */
#define SIM_MP_OP_QUEUE_DEL  (RTE_SVA_MP_OP_DRIVER + 4) /* value: the queue */

_Static_assert(sizeof(struct rte_sva_cache_inv) <= RTE_SVA_MP_DATA_LEN,
	       "an invalidation no longer fits a multi-process request");
#define SIM_MP_ATTACH_MAX 64

/* ------------------------------------------------------------- primary */

/* Which secondary is attached to which device (n times). */
static struct {
	pid_t pid;
	struct sim_dev *sd;
	uint32_t n;
} sim_mp_att[SIM_MP_ATTACH_MAX];
static pthread_mutex_t sim_mp_lock = PTHREAD_MUTEX_INITIALIZER;

bool
sim_mp_busy(const struct sim_dev *sd, const char *what)
{
	unsigned int nb = 0;
	pid_t pid = 0;

	pthread_mutex_lock(&sim_mp_lock);
	for (unsigned int i = 0; i < SIM_MP_ATTACH_MAX; i++) {
		if (sim_mp_att[i].sd == sd && sim_mp_att[i].n > 0) {
			nb++;
			pid = sim_mp_att[i].pid;
		}
	}
	pthread_mutex_unlock(&sim_mp_lock);
	if (nb > 0)
		SIM_LOG(ERR, "%s: cannot %s while %u secondary process(es) are attached (pid %d): they push into its shared work queues",
			sd->sva->name, what, nb, (int)pid);
	return nb > 0;
}

static int
sim_mp_att_add(pid_t pid, struct sim_dev *sd)
{
	int slot = -1;

	pthread_mutex_lock(&sim_mp_lock);
	for (int i = 0; i < SIM_MP_ATTACH_MAX; i++) {
		if (sim_mp_att[i].n > 0 && sim_mp_att[i].pid == pid &&
		    sim_mp_att[i].sd == sd) {
			slot = i;
			break;
		}
		if (sim_mp_att[i].n == 0 && slot < 0)
			slot = i;
	}
	if (slot >= 0) {
		sim_mp_att[slot].pid = pid;
		sim_mp_att[slot].sd = sd;
		sim_mp_att[slot].n++;
	}
	pthread_mutex_unlock(&sim_mp_lock);
	return slot < 0 ? -ENOSPC : 0;
}

static bool
sim_mp_attached(pid_t pid, const struct sim_dev *sd)
{
	bool found = false;

	pthread_mutex_lock(&sim_mp_lock);
	for (int i = 0; i < SIM_MP_ATTACH_MAX && !found; i++)
		found = sim_mp_att[i].n > 0 && sim_mp_att[i].pid == pid &&
			sim_mp_att[i].sd == sd;
	pthread_mutex_unlock(&sim_mp_lock);
	return found;
}

static void
sim_mp_att_del(pid_t pid, const struct sim_dev *sd)
{
	pthread_mutex_lock(&sim_mp_lock);
	for (int i = 0; i < SIM_MP_ATTACH_MAX; i++)
		if (sim_mp_att[i].n > 0 && sim_mp_att[i].pid == pid &&
		    (sd == NULL || sim_mp_att[i].sd == sd))
			sim_mp_att[i].n = sd == NULL ? 0 : sim_mp_att[i].n - 1;
	pthread_mutex_unlock(&sim_mp_lock);
}

static void
sim_mp_fail(struct rte_sva_mp_msg *m, int ret, const char *why)
{
	m->ret = ret;
	snprintf(m->why, sizeof(m->why), "%s", why);
}

uint8_t *
sim_mp_grp_state(const struct sim_dev *sd, const struct sim_wq *wq,
		 const struct dsa_desc *d)
{
	for (unsigned int i = 0; i < SIM_MP_QUEUES; i++) {
		struct sim_queue *sq = __atomic_load_n(&sd->mp_queues[i], __ATOMIC_ACQUIRE);

		if (sq != NULL && sim_queue_holds(sq, wq, d))
			return &sq->eng_grp;
	}
	return NULL;
}

/* Take a secondary's queue (slot i) out of the engines' sight; it may be
 * freed after sim_engines_quiesce(), once no engine is inside a
 * descriptor that may have looked it up. */
static void
sim_mp_queue_unlink(struct sim_dev *sd, unsigned int i)
{
	__atomic_store_n(&sd->mp_queues[i], NULL, __ATOMIC_RELEASE);
	sd->mp_queue_pid[i] = 0;
}

/* Forget a secondary's queue (slot i): on return it may be freed. */
static void
sim_mp_queue_forget(struct sim_dev *sd, unsigned int i)
{
	sim_mp_queue_unlink(sd, i);
	sim_engines_quiesce(sd);
}

static void
sim_mp_serve_queue(struct sim_dev *sd, struct rte_sva_mp_msg *m)
{
	struct sim_queue *q = (struct sim_queue *)(uintptr_t)m->value;
	int free_slot = -1;

	for (unsigned int i = 0; i < SIM_MP_QUEUES; i++) {
		if (sd->mp_queues[i] == q && sd->mp_queue_pid[i] == m->pid) {
			if (m->op == SIM_MP_OP_QUEUE_DEL)
				sim_mp_queue_forget(sd, i);
			m->ret = 0;
			return;
		}
		if (sd->mp_queues[i] == NULL && free_slot < 0)
			free_slot = (int)i;
	}
	if (m->op == SIM_MP_OP_QUEUE_DEL) {
		sim_mp_fail(m, -ENOENT, "no such queue of this process");
		return;
	}
	if (rte_mem_virt2memseg_list(q) == NULL) {
		sim_mp_fail(m, -EFAULT, "the queue is not in memory the primary maps");
		return;
	}
	if (free_slot < 0) {
		sim_mp_fail(m, -ENOSPC, "the device has queues of secondaries in all its slots");
		return;
	}
	sd->mp_queue_pid[free_slot] = m->pid;
	__atomic_store_n(&sd->mp_queues[free_slot], q, __ATOMIC_RELEASE);
	m->ret = 0;
}

/* A secondary's request, on the library's sva-mp thread of the primary. */
static void
sim_mp_serve(struct rte_sva_mp_msg *m)
{
	struct rte_sva_dev *dev = rte_sva_pmd_get_dev_by_name(m->name);
	int cid;

	if (dev == NULL || dev->device == NULL || dev->device->driver == NULL ||
	    strcmp(dev->device->driver->name, SIM_MP_DRIVER) != 0) {
		sim_mp_fail(m, -ENODEV, "the primary has no sva_sim device of that name");
		return;
	}
	if (m->op == SIM_MP_OP_DETACH) {
		sim_mp_att_del(m->pid, dev->dev_private);
		m->ret = 0;
		return;
	}
	/* The rest is for attached secondaries only: the device is then
	 * kept (its close refused) while we use it. */
	if (m->op != SIM_MP_OP_ATTACH && !sim_mp_attached(m->pid, dev->dev_private)) {
		sim_mp_fail(m, -EPERM, "this process is not attached to that device");
		return;
	}
	if (m->op == SIM_MP_OP_QUEUE_ADD || m->op == SIM_MP_OP_QUEUE_DEL) {
		sim_mp_serve_queue(dev->dev_private, m);
		return;
	}
	if (m->op == SIM_MP_OP_INVALIDATE) {
		struct rte_sva_cache_inv inv;

		/* The secondary's munmap or mprotect: the translation cache
		 * of this device holds its translations too. */
		memcpy(&inv, m->data, sizeof(inv));
		m->ret = rte_sva_cache_invalidate(dev->dev_id, &inv);
		if (m->ret != 0)
			sim_mp_fail(m, m->ret, "the primary's invalidate failed (its log says why)");
		return;
	}
	if (m->op != SIM_MP_OP_ATTACH) {
		sim_mp_fail(m, -EINVAL, "unknown sva_sim request");
		return;
	}
	cid = rte_sva_dev_container(dev->dev_id);
	if (cid < 0) {
		sim_mp_fail(m, -ENOENT, "it is in no container of the primary (a secondary binds in that one)");
		return;
	}
	if (sim_mp_att_add(m->pid, dev->dev_private) != 0) {
		sim_mp_fail(m, -ENOSPC, "the primary has too many secondaries attached");
		return;
	}
	m->cid = cid;
	m->value = (uint64_t)(uintptr_t)dev->dev_private;
	m->ret = 0;
	SIM_LOG(INFO, "%s: secondary pid %d attached (container %d)", dev->name,
		(int)m->pid, cid);
}

static void
sim_mp_gone(pid_t pid)
{
	pthread_mutex_lock(&sim_mp_lock);
	for (unsigned int a = 0; a < SIM_MP_ATTACH_MAX; a++) {
		struct sim_dev *sd = sim_mp_att[a].sd;
		bool any = false;

		if (sim_mp_att[a].n == 0 || sim_mp_att[a].pid != pid)
			continue;
		for (unsigned int i = 0; i < SIM_MP_QUEUES; i++) {
			if (sd->mp_queues[i] != NULL && sd->mp_queue_pid[i] == pid) {
				sim_mp_queue_unlink(sd, i);
				any = true;
			}
		}
		if (any)
			sim_engines_quiesce(sd);  /* once for all of its queues */
	}
	pthread_mutex_unlock(&sim_mp_lock);
	sim_mp_att_del(pid, NULL);
}

void
sim_mp_serve_secondaries(void)
{
	/* -ENOTSUP: no multi-process here (--no-shconf, --in-memory). */
	int ret = rte_sva_pmd_mp_serve(SIM_MP_DRIVER, sim_mp_serve, sim_mp_gone);

	if (ret != 0 && ret != -ENOTSUP)
		SIM_LOG(WARNING, "secondary processes cannot attach to sva_sim devices: %s",
			strerror(-ret));
}

/* ----------------------------------------------------------- secondary */

/* A secondary's device: its dev_private. */
struct sim_mp_view {
	struct sim_dev sd;          /* first: what the fast path reads */
	struct sim_dev *primary;    /* the primary's device (shared memory) */
	int cid;                    /* its container in the primary */
};

/* The backend of the attached devices of one container of the primary:
 * a bind asks the primary to bind us there. One per container, so the
 * library keeps devices of different primary containers apart. */
static struct sim_mp_backend {
	struct rte_sva_backend be;
	int cid;
	char name[48];
} sim_mp_be[RTE_SVA_MAX_CONTAINERS];

static struct sim_mp_view *
sim_mp_view(const struct rte_sva_dev *dev)
{
	return dev->dev_private;
}

/* Send request m (op and payload set) about our device name to the
 * primary's sva_sim; its reply in *m. Returns m->ret, as
 * rte_sva_pmd_mp_request() does. */
static int
sim_mp_request(const char *name, struct rte_sva_mp_msg *m)
{
	snprintf(m->driver, sizeof(m->driver), "%s", SIM_MP_DRIVER);
	snprintf(m->name, sizeof(m->name), "%s", name);
	return rte_sva_pmd_mp_request(m);
}

static int
sim_mp_bond_request(uint32_t op, int cid, uint32_t *pasid)
{
	struct rte_sva_mp_msg m = { .op = op, .cid = cid };
	int ret = rte_sva_pmd_mp_request(&m);

	if (ret != 0 && m.why[0] != '\0')
		SIM_LOG(ERR, "%s in the primary's container %d failed: %s: %s",
			op == RTE_SVA_MP_OP_BIND ? "bind" : "unbind", cid,
			strerror(-ret), m.why);
	if (ret == 0 && pasid != NULL)
		*pasid = m.pasid;
	return ret;
}

static int
sim_mp_pasid_alloc(struct rte_sva_mm *mm, uint32_t min, uint32_t max,
		   uint32_t *pasid)
{
	const struct sim_mp_backend *b =
		container_of(mm->backend, const struct sim_mp_backend, be);
	int ret = sim_mp_bond_request(RTE_SVA_MP_OP_BIND, b->cid, pasid);

	if (ret == 0 && (*pasid < min || *pasid > max)) {
		SIM_LOG(ERR, "the primary bound us with PASID %u, outside this process's range %u..%u",
			*pasid, min, max);
		sim_mp_bond_request(RTE_SVA_MP_OP_UNBIND, b->cid, NULL);
		return -ENOSPC;
	}
	return ret;
}

static void
sim_mp_pasid_free(struct rte_sva_mm *mm, uint32_t pasid)
{
	const struct sim_mp_backend *b =
		container_of(mm->backend, const struct sim_mp_backend, be);

	RTE_SET_USED(pasid);
	sim_mp_bond_request(RTE_SVA_MP_OP_UNBIND, b->cid, NULL);
}

static const struct rte_sva_backend *
sim_mp_backend(int cid)
{
	struct sim_mp_backend *b = &sim_mp_be[cid];

	if (b->be.name == NULL) {
		snprintf(b->name, sizeof(b->name), "sva_sim of the primary's container %d",
			 cid);
		b->cid = cid;
		b->be.pasid_alloc = sim_mp_pasid_alloc;
		b->be.pasid_free = sim_mp_pasid_free;
		b->be.name = b->name;
	}
	return &b->be;
}

static int
sim_mp_info_get(const struct rte_sva_dev *dev, struct rte_sva_info *info)
{
	int ret = sim_info_get(dev, info);

	/* No dedicated WQ (one producer: the primary's queue) and no bind of
	 * another process from here. */
	info->dev_capa &= ~(RTE_SVA_CAPA_DEDICATED_QUEUE | RTE_SVA_CAPA_FOREIGN_BIND);
	return ret;
}

/* Register our queue q with the primary's device (add), or have it
 * forgotten there before we free it. */
static int
sim_mp_queue_request(const struct rte_sva_dev *dev, uint32_t op, struct sim_queue *q)
{
	struct rte_sva_mp_msg m = { .op = op, .value = (uint64_t)(uintptr_t)q };
	int ret;

	ret = sim_mp_request(dev->name, &m);
	if (ret != 0)
		SIM_LOG(ERR, "%s: queue %s at the primary's device failed: %s%s%s",
			dev->name, op == SIM_MP_OP_QUEUE_ADD ? "registration" : "removal",
			strerror(-ret), m.why[0] != '\0' ? ": " : "", m.why);
	return ret;
}

static void
sim_mp_queue_free(const struct rte_sva_dev *dev, struct sim_queue *q)
{
	/* Freed only once the primary's engines are done with it (else it
	 * is left allocated: safer than an engine reading freed memory). */
	if (sim_mp_queue_request(dev, SIM_MP_OP_QUEUE_DEL, q) == 0)
		sim_queue_free_new(q);
}

static void
sim_mp_queues_free(const struct rte_sva_dev *dev)
{
	struct sim_dev *sd = dev->dev_private;

	sd->fp_nb_queues = 0;
	for (uint16_t q = 0; q < SIM_MAX_QUEUES; q++) {
		if (sd->queues[q] != NULL)
			sim_mp_queue_free(dev, sd->queues[q]);
		sd->queues[q] = NULL;
	}
}

static int
sim_mp_configure(struct rte_sva_dev *dev, const struct rte_sva_conf *conf)
{
	struct sim_dev *sd = dev->dev_private;

	sim_mp_queues_free(dev);
	sd->nb_queues = conf->nb_queues;
	return 0;
}

/* A queue of ours on a shared WQ the primary serves: the ring and its
 * completion records in hugepage memory, where the primary's engine
 * writes them. */
static int
sim_mp_queue_setup(struct rte_sva_dev *dev, uint16_t qid,
		   const struct rte_sva_queue_conf *conf)
{
	struct sim_mp_view *v = sim_mp_view(dev);
	struct sim_wq *wq;
	struct sim_queue *q;
	int ret;

	if (conf->mode != RTE_SVA_QUEUE_SHARED) {
		SIM_LOG(ERR, "%s: a secondary process has shared work queues only (a dedicated one has a single producer)",
			dev->name);
		return -ENOTSUP;
	}
	wq = conf->wq_id < SIM_MAX_WQS ?
		__atomic_load_n(&v->primary->wqs[conf->wq_id], __ATOMIC_ACQUIRE) : NULL;
	if (wq == NULL || __atomic_load_n(&wq->nb_attached, __ATOMIC_RELAXED) == 0) {
		SIM_LOG(ERR, "%s: the primary has no queue on shared WQ %u: its engines serve only the WQs its queues use",
			dev->name, conf->wq_id);
		return -ENOENT;
	}
	if (conf->wq_size != 0 && conf->wq_size != wq->mask + 1) {
		SIM_LOG(ERR, "%s: wq_size %u: the primary's WQ %u has %u slots",
			dev->name, conf->wq_size, conf->wq_id, wq->mask + 1);
		return -EINVAL;
	}
	q = rte_zmalloc_socket("sva_sim_mp_queue", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       dev->numa_node);
	if (q == NULL)
		return -ENOMEM;
	q->ends = rte_zmalloc_socket("sva_sim_mp_ends", sizeof(*q->ends) * conf->nb_desc,
				     RTE_CACHE_LINE_SIZE, dev->numa_node);
	if (q->ends == NULL || dsa_ring_alloc(&q->r, qid, conf->nb_desc,
					      v->sd.args.max_xfer, dev->numa_node) != 0) {
		sim_queue_free_new(q);
		return -ENOMEM;
	}
	q->swq = wq;
	/* The primary's errno (-ENOSPC: its slots full; -EFAULT, -EPERM),
	 * or -ENODEV when it did not answer: the caller tells them apart. */
	ret = sim_mp_queue_request(dev, SIM_MP_OP_QUEUE_ADD, q);
	if (ret != 0) {
		sim_queue_free_new(q);
		return ret;
	}
	if (v->sd.queues[qid] != NULL)
		sim_mp_queue_free(dev, v->sd.queues[qid]);
	v->sd.queues[qid] = q;
	return 0;
}

static int
sim_mp_start(struct rte_sva_dev *dev)
{
	struct sim_mp_view *v = sim_mp_view(dev);

	if (!__atomic_load_n(&v->primary->started, __ATOMIC_ACQUIRE))
		SIM_LOG(NOTICE, "%s: the primary's device is stopped: what we submit waits until it starts",
			dev->name);
	for (uint16_t q = 0; q < v->sd.nb_queues; q++)
		dsa_ring_start(&v->sd.queues[q]->r);
	v->sd.fp_nb_queues = v->sd.nb_queues;
	__atomic_store_n(&v->sd.started, true, __ATOMIC_RELEASE);
	return 0;
}

/* Refuse new ops, then wait until the primary's engines completed what our
 * queues pushed (while the primary runs them: its own stop drains). */
static int
sim_mp_stop(struct rte_sva_dev *dev)
{
	struct sim_mp_view *v = sim_mp_view(dev);

	for (uint16_t q = 0; q < v->sd.nb_queues; q++) {
		struct sim_queue *sq = v->sd.queues[q];
		uint32_t target;

		if (sq == NULL)
			continue;
		dsa_ring_stop(&sq->r);
		target = __atomic_load_n(&sq->swq->tail, __ATOMIC_ACQUIRE);
		while ((int32_t)(__atomic_load_n(&sq->swq->done, __ATOMIC_ACQUIRE) -
				 target) < 0 &&
		       __atomic_load_n(&v->primary->started, __ATOMIC_ACQUIRE))
			rte_pause();
	}
	__atomic_store_n(&v->sd.started, false, __ATOMIC_RELEASE);
	return 0;
}

static int
sim_mp_close(struct rte_sva_dev *dev)
{
	struct rte_sva_mp_msg m = { .op = SIM_MP_OP_DETACH };

	sim_mp_queues_free(dev);
	/* The primary also forgets us when we exit. */
	sim_mp_request(dev->name, &m);
	return 0;
}

static int
sim_mp_dump(const struct rte_sva_dev *dev, FILE *f)
{
	const struct sim_mp_view *v = sim_mp_view(dev);

	fprintf(f, "  sim: attached to the primary's device (container %d there, its engines)\n",
		v->cid);
	return sim_dump(dev, f);
}

/* The primary attached the PASID when it bound us (pasid_alloc). */
static int
sim_mp_pasid_attach(struct rte_sva_dev *dev, uint32_t pasid, struct rte_sva_mm *mm)
{
	RTE_SET_USED(pasid);
	return mm->backend == dev->backend ? 0 : -ENOTSUP;
}

/* ...and detaches it (draining) when it unbinds us (pasid_free). */
static int
sim_mp_pasid_detach(struct rte_sva_dev *dev, uint32_t pasid)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(pasid);
	return 0;
}

/* The translation cache is the primary's device's: it invalidates. */
static int
sim_mp_cache_invalidate(struct rte_sva_dev *dev, const struct rte_sva_cache_inv *inv)
{
	struct rte_sva_mp_msg m = { .op = SIM_MP_OP_INVALIDATE };
	int ret;

	memcpy(m.data, inv, sizeof(*inv));
	ret = sim_mp_request(dev->name, &m);
	if (ret != 0)
		SIM_LOG(ERR, "%s: invalidate through the primary failed: %s%s%s",
			dev->name, strerror(-ret), m.why[0] != '\0' ? ": " : "", m.why);
	return ret;
}

static const struct rte_sva_dev_ops sim_mp_ops = {
	.dev_info_get = sim_mp_info_get,
	.dev_configure = sim_mp_configure,
	.queue_setup = sim_mp_queue_setup,
	.dev_start = sim_mp_start,
	.dev_stop = sim_mp_stop,
	.dev_close = sim_mp_close,
	.stats_get = sim_stats_get,
	.stats_reset = sim_stats_reset,
	.dev_dump = sim_mp_dump,
	.pasid_attach = sim_mp_pasid_attach,
	.pasid_detach = sim_mp_pasid_detach,
	.cache_invalidate = sim_mp_cache_invalidate,
	.queue_idle = sim_queue_idle,
};

int
sim_mp_probe_secondary(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_sva_mp_msg m = { .op = SIM_MP_OP_ATTACH };
	struct sim_dev *primary;
	struct sim_mp_view *v;
	struct rte_sva_dev *dev;
	int ret;

	ret = sim_mp_request(name, &m);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: probe in a secondary process failed: cannot attach to the primary's device: %s%s%s (no private device of that name is made)",
			name, strerror(-ret), m.why[0] != '\0' ? ": " : "", m.why);
		return ret;
	}
	primary = (struct sim_dev *)(uintptr_t)m.value;
	/* The primary's device must lie in memory both processes map. */
	if (rte_mem_virt2memseg_list(primary) == NULL ||
	    m.cid < 0 || m.cid >= RTE_SVA_MAX_CONTAINERS) {
		SIM_LOG(ERR, "%s: probe in a secondary process failed: the primary's device state at %p is not in shared memory here",
			name, (void *)primary);
		ret = -EFAULT;
		goto detach;
	}
	dev = rte_sva_pmd_allocate(name, SOCKET_ID_ANY, sizeof(*v));
	if (dev == NULL) {
		ret = -rte_errno;
		goto detach;
	}
	v = dev->dev_private;
	v->primary = primary;
	v->cid = m.cid;
	v->sd.sva = dev;
	v->sd.args = primary->args;
	v->sd.iommu.pagemap_fd = -1;
	dev->device = &vdev->device;
	dev->dev_ops = &sim_mp_ops;
	dev->backend = sim_mp_backend(m.cid);
	sim_fastpath_install(dev->fp_obj);
	rte_sva_pmd_probing_finish(dev);
	SIM_LOG(INFO, "%s: attached to the primary's device (dev_id %d here, container %d there)",
		name, dev->dev_id, m.cid);
	return 0;
detach:
	m.op = SIM_MP_OP_DETACH;
	rte_sva_pmd_mp_request(&m);
	return ret;
}
