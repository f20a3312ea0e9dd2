/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * DPDK multi-process: the primary binds secondaries' address spaces on
 * their request and serves drivers' requests (rte_sva_mp.h).
 *
 * A request arrives on DPDK's IPC thread, which must not wait for anything
 * a handler does: binding allocates (a PASID-table leaf, say), and a
 * primary that grows its heap asks every secondary over IPC, whose replies
 * that very thread receives. So the IPC thread only queues the request;
 * the library's "sva-mp" control thread serves it and replies. The same
 * thread watches each secondary that sent a request (its pidfd): when it
 * exits, the bonds made for it are released, as the application would
 * have unbound them. The exit monitor (rte_sva_monitor.c) has marked them
 * defunct by then, so nothing touched its address space meanwhile.
 *
 * The pid a request names is the sender's claim, so the primary checks
 * that this process maps the primary's runtime configuration (it is a
 * secondary of this primary) before anything else; a bind then applies
 * the backend's permission check (ptrace-attach rights) as any bind of
 * another process does.
 *
 * The thread stops only when its own descriptors fail (an epoll_wait() or
 * a read of its eventfd failing with anything but EINTR: something else
 * in the process closed or replaced them). Then every request is refused
 * at once, saying so, rather than left for the secondary's timeout, and
 * a driver's next rte_sva_pmd_mp_serve() (a device probed) starts it
 * again on fresh descriptors.
 */

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_string_fns.h>

#include "rte_sva_bond.h"
#include "rte_sva_mp.h"
#include "rte_sva_pmd.h"
#include "sva_compat.h"

#define MP_ACTION      RTE_SVA_MP_ACTION
#define MP_TIMEOUT_S   5
#define MP_HANDLERS    4
#define MP_PENDING     32
#define MP_CLIENTS     RTE_SVA_MP_CLIENTS
#define MP_PEER_LEN    128   /* a unix socket path (sun_path is 108) */

/* One rte_mp message carries a request. */
_Static_assert(sizeof(struct rte_sva_mp_msg) <= RTE_MP_MAX_PARAM_LEN,
	       "struct rte_sva_mp_msg outgrew an rte_mp message");

struct mp_pending {
	struct rte_sva_mp_msg m;
	char peer[MP_PEER_LEN];
};

struct mp_client {
	pid_t pid;                   /* 0: free */
	int pidfd;
	/* A request of it was served: the library or a driver may hold
	 * something for it until it exits. Until then each refusal gives
	 * the slot back (a refused probe holds nothing). */
	bool served;
	uint32_t refs[RTE_SVA_MAX_CONTAINERS]; /* binds made for it */
};

static struct {
	pthread_mutex_t lock;        /* handlers, the pending ring, start */
	bool started;                /* the sva-mp thread serves */
	bool stopped;                /* it stopped: join it, then start again */
	bool registered;             /* our rte_mp action */
	int bad_fd;                  /* the descriptor that failed: not ours now */
	char stop_why[48];           /* why it stopped (a reply's why holds it) */
	struct {
		char driver[RTE_SVA_MP_DRIVER_LEN];
		rte_sva_mp_handler_t fn;
		rte_sva_mp_gone_t gone;
	} handlers[MP_HANDLERS];
	struct mp_pending pending[MP_PENDING];
	uint32_t head, tail;
	int evfd, epfd;
	pthread_t thread;
	/* Control thread only. */
	struct mp_client clients[MP_CLIENTS];
} mp = { .lock = PTHREAD_MUTEX_INITIALIZER, .evfd = -1, .epfd = -1, .bad_fd = -1 };

static void
mp_send_reply(const struct rte_sva_mp_msg *m, const char *peer)
{
	struct rte_mp_msg reply;

	memset(&reply, 0, sizeof(reply));
	rte_strscpy(reply.name, MP_ACTION, sizeof(reply.name));
	reply.len_param = sizeof(*m);
	memcpy(reply.param, m, sizeof(*m));
	if (rte_mp_reply(&reply, peer) != 0)
		RTE_SVA_LOG(ERR, "multi-process: cannot reply to pid %d: %s",
			    (int)m->pid, rte_strerror(rte_errno));
}

static void
mp_fail(struct rte_sva_mp_msg *m, int ret, const char *why)
{
	m->ret = ret;
	rte_strscpy(m->why, why, sizeof(m->why));
}

/* DPDK's IPC thread: queue the request for the control thread. */
static int
mp_action(const struct rte_mp_msg *msg, const void *peer)
{
	struct rte_sva_mp_msg m;
	uint64_t one = 1;
	bool queued = false, stopped;
	char why[RTE_SVA_MP_WHY_LEN];

	if (msg->len_param != sizeof(m)) {
		RTE_SVA_LOG(ERR, "multi-process: request of %d bytes, expected %zu (a secondary of another librte_sva version?)",
			    msg->len_param, sizeof(m));
		return -EINVAL;
	}
	memcpy(&m, msg->param, sizeof(m));
	m.driver[sizeof(m.driver) - 1] = '\0';
	m.name[sizeof(m.name) - 1] = '\0';
	pthread_mutex_lock(&mp.lock);
	stopped = !mp.started;
	if (stopped) {
		snprintf(why, sizeof(why), "the primary's sva-mp thread stopped: %s",
			 mp.stop_why);
	} else if (mp.tail - mp.head < MP_PENDING) {
		struct mp_pending *p = &mp.pending[mp.tail++ % MP_PENDING];

		p->m = m;
		rte_strscpy(p->peer, peer, sizeof(p->peer));
		queued = true;
		/* Under the lock: mp_start() replaces the descriptors of a
		 * stopped thread under it. */
		if (write(mp.evfd, &one, sizeof(one)) != sizeof(one))
			RTE_SVA_LOG(ERR, "multi-process: cannot wake the sva-mp thread: %s",
				    strerror(errno));
	}
	pthread_mutex_unlock(&mp.lock);
	if (stopped) {
		RTE_SVA_LOG(ERR, "multi-process: request %u of pid %d refused: %s (a device probe starts it again)",
			    m.op, (int)m.pid, why);
		mp_fail(&m, -ENODEV, why);
		mp_send_reply(&m, peer);
	} else if (!queued) {
		mp_fail(&m, -EBUSY, "the primary has too many requests pending");
		mp_send_reply(&m, peer);
	}
	return 0;
}

/* True if pid maps this primary's runtime configuration: a secondary of
 * ours (or ourselves). */
static bool
mp_is_our_secondary(pid_t pid)
{
	char path[PATH_MAX], line[PATH_MAX + 128], cfg[PATH_MAX];
	bool found = false;
	FILE *f;

	/* As maps names it: /var/run is a link to /run on most systems. */
	snprintf(path, sizeof(path), "%s/config", rte_eal_get_runtime_dir());
	if (realpath(path, cfg) == NULL)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *p = strchr(line, '/');

		if (p != NULL) {
			p[strcspn(p, "\n")] = '\0';
			found = strcmp(p, cfg) == 0;
		}
	}
	fclose(f);
	return found;
}

static struct mp_client *
mp_client_get(pid_t pid, struct rte_sva_mp_msg *m)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct mp_client *free_slot = NULL;
	int fd;

	for (unsigned int i = 0; i < MP_CLIENTS; i++) {
		if (mp.clients[i].pid == pid)
			return &mp.clients[i];
		if (mp.clients[i].pid == 0 && free_slot == NULL)
			free_slot = &mp.clients[i];
	}
	if (free_slot == NULL) {
		RTE_SVA_LOG(ERR, "multi-process: pid %d refused: %d secondaries are served already",
			    (int)pid, MP_CLIENTS);
		mp_fail(m, -ENOSPC, "the primary serves too many secondaries");
		return NULL;
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	ev.data.fd = fd;
	if (fd < 0 || epoll_ctl(mp.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		int ret = -errno;

		RTE_SVA_LOG(ERR, "multi-process: cannot watch pid %d for its exit: %s",
			    (int)pid, strerror(-ret));
		if (fd >= 0)
			close(fd);
		mp_fail(m, ret, "the primary cannot watch this process for its exit");
		return NULL;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->pid = pid;
	free_slot->pidfd = fd;
	return free_slot;
}

/* Give back the slot of a client never served: nothing to release. */
static void
mp_client_put(struct mp_client *c)
{
	epoll_ctl(mp.epfd, EPOLL_CTL_DEL, c->pidfd, NULL);
	close(c->pidfd);
	memset(c, 0, sizeof(*c));
}

/* A secondary exited: release what was bound for it, tell the drivers. */
static void
mp_client_gone(struct mp_client *c)
{
	rte_sva_mp_gone_t gone[MP_HANDLERS];
	unsigned int released = 0;

	for (int cid = 0; cid < RTE_SVA_MAX_CONTAINERS; cid++) {
		for (; c->refs[cid] > 0; c->refs[cid]--) {
			if (rte_sva_unbind(cid, c->pid) != 0)
				break;  /* unbound by the application already */
			released++;
		}
	}
	RTE_SVA_LOG(NOTICE, "multi-process: secondary pid %d exited: %u bind reference(s) released",
		    (int)c->pid, released);
	/* Read under the lock, as mp_serve() reads the handlers: a driver
	 * may register one (rte_sva_pmd_mp_serve()) meanwhile. Called
	 * outside it: a driver's gone may take its time. */
	pthread_mutex_lock(&mp.lock);
	for (unsigned int i = 0; i < MP_HANDLERS; i++)
		gone[i] = mp.handlers[i].gone;
	pthread_mutex_unlock(&mp.lock);
	for (unsigned int i = 0; i < MP_HANDLERS; i++)
		if (gone[i] != NULL)
			gone[i](c->pid);
	epoll_ctl(mp.epfd, EPOLL_CTL_DEL, c->pidfd, NULL);
	close(c->pidfd);
	memset(c, 0, sizeof(*c));
}

static void
mp_serve_bond(struct mp_client *c, struct rte_sva_mp_msg *m)
{
	if (m->cid < 0 || m->cid >= RTE_SVA_MAX_CONTAINERS) {
		mp_fail(m, -EINVAL, "no such container in the primary");
		return;
	}
	if (m->op == RTE_SVA_MP_OP_BIND) {
		m->ret = rte_sva_bind(m->cid, c->pid, &m->pasid);
		if (m->ret == 0)
			c->refs[m->cid]++;
		else
			mp_fail(m, m->ret, "the primary's bind of this process failed (its log says why)");
		return;
	}
	if (c->refs[m->cid] == 0) {
		mp_fail(m, -ENOENT, "this process is not bound in that container");
		return;
	}
	m->ret = rte_sva_unbind(m->cid, c->pid);
	/* Failed or not, one reference less to release at exit: a failed
	 * unbind found no bond of this process left (-ENOENT), nor would
	 * the exit's. */
	c->refs[m->cid]--;
	if (m->ret != 0)
		mp_fail(m, m->ret, "the primary's unbind of this process failed (its log says why)");
}

/* Request m of client c: the library's or a driver's. */
static void
mp_serve_client(struct mp_client *c, struct rte_sva_mp_msg *m)
{
	rte_sva_mp_handler_t fn = NULL;

	if (m->op == RTE_SVA_MP_OP_BIND || m->op == RTE_SVA_MP_OP_UNBIND) {
		mp_serve_bond(c, m);
		return;
	}
	pthread_mutex_lock(&mp.lock);
	for (unsigned int i = 0; i < MP_HANDLERS; i++)
		if (mp.handlers[i].fn != NULL &&
		    strcmp(mp.handlers[i].driver, m->driver) == 0)
			fn = mp.handlers[i].fn;
	pthread_mutex_unlock(&mp.lock);
	if (m->op < RTE_SVA_MP_OP_DRIVER || fn == NULL) {
		mp_fail(m, -ENODEV, "the primary has no such driver or request");
		return;
	}
	fn(m);
}

static void
mp_serve(struct rte_sva_mp_msg *m)
{
	struct mp_client *c;

	m->ret = 0;
	m->why[0] = '\0';
	if (m->pid <= 0 || m->pid == getpid() || !mp_is_our_secondary(m->pid)) {
		RTE_SVA_LOG(ERR, "multi-process: request from pid %d refused: not a secondary of this primary (it maps no %s/config)",
			    (int)m->pid, rte_eal_get_runtime_dir());
		mp_fail(m, -EPERM, "the sender is not a secondary of this primary");
		return;
	}
	c = mp_client_get(m->pid, m);
	if (c == NULL)
		return;
	mp_serve_client(c, m);
	if (m->ret == 0)
		c->served = true;
	else if (!c->served)
		mp_client_put(c);
}

/* The sva-mp thread's end: what, on descriptor fd, failed with err.
 * From now on a request is refused at once (mp_action()); those queued
 * are refused here. fd is left open: a descriptor that reports EBADF or
 * EINVAL is no longer the one we opened (closed, or another file now). */
static void
mp_thread_stop(const char *what, int fd, int err)
{
	struct mp_pending p[MP_PENDING];
	char why[RTE_SVA_MP_WHY_LEN];
	unsigned int n = 0;

	pthread_mutex_lock(&mp.lock);
	mp.started = false;
	mp.stopped = true;
	mp.bad_fd = fd;
	snprintf(mp.stop_why, sizeof(mp.stop_why), "%s: %s", what, strerror(err));
	snprintf(why, sizeof(why), "the primary's sva-mp thread stopped: %s", mp.stop_why);
	while (mp.head != mp.tail)
		p[n++] = mp.pending[mp.head++ % MP_PENDING];
	pthread_mutex_unlock(&mp.lock);
	RTE_SVA_LOG(ERR, "multi-process: the sva-mp thread stopped: %s (fd %d); secondaries' requests are refused until a driver serves them again (a device probe)",
		    mp.stop_why, fd);
	for (unsigned int i = 0; i < n; i++) {
		mp_fail(&p[i].m, -ENODEV, why);
		mp_send_reply(&p[i].m, p[i].peer);
	}
}

static void *
mp_thread_main(void *arg)
{
	struct epoll_event ev[8];

	RTE_SET_USED(arg);
	for (;;) {
		int n = epoll_wait(mp.epfd, ev, RTE_DIM(ev), -1);

		/* A signal (EINTR) is no reason to stop: wait again. */
		if (n < 0 && errno != EINTR) {
			mp_thread_stop("epoll_wait", mp.epfd, errno);
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			uint64_t cnt;

			if (ev[i].data.fd != mp.evfd) {
				for (unsigned int k = 0; k < MP_CLIENTS; k++)
					if (mp.clients[k].pid != 0 &&
					    mp.clients[k].pidfd == ev[i].data.fd)
						mp_client_gone(&mp.clients[k]);
				continue;
			}
			if (read(mp.evfd, &cnt, sizeof(cnt)) < 0 &&
			    errno != EAGAIN && errno != EINTR) {
				mp_thread_stop("read of its eventfd", mp.evfd, errno);
				return NULL;
			}
			for (;;) {
				struct mp_pending p;
				bool got = false;

				pthread_mutex_lock(&mp.lock);
				if (mp.head != mp.tail) {
					p = mp.pending[mp.head++ % MP_PENDING];
					got = true;
				}
				pthread_mutex_unlock(&mp.lock);
				if (!got)
					break;
				mp_serve(&p.m);
				mp_send_reply(&p.m, p.peer);
			}
		}
	}
	return NULL;
}

/* Close the thread's descriptors, but the one that failed (not ours). */
static void
mp_fds_close(void)
{
	if (mp.evfd >= 0 && mp.evfd != mp.bad_fd)
		close(mp.evfd);
	if (mp.epfd >= 0 && mp.epfd != mp.bad_fd)
		close(mp.epfd);
	mp.evfd = mp.epfd = mp.bad_fd = -1;
}

/* The thread's eventfd and epoll, watching the secondaries served
 * already (a start again after a stop keeps them). */
static int
mp_fds_open(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ret;

	mp.evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	mp.epfd = epoll_create1(EPOLL_CLOEXEC);
	ev.data.fd = mp.evfd;
	if (mp.evfd < 0 || mp.epfd < 0 ||
	    epoll_ctl(mp.epfd, EPOLL_CTL_ADD, mp.evfd, &ev) != 0) {
		ret = -errno;
		RTE_SVA_LOG(ERR, "multi-process: cannot make the sva-mp thread's fds: %s",
			    strerror(-ret));
		mp_fds_close();
		return ret;
	}
	for (unsigned int i = 0; i < MP_CLIENTS; i++) {
		if (mp.clients[i].pid == 0)
			continue;
		ev.data.fd = mp.clients[i].pidfd;
		if (epoll_ctl(mp.epfd, EPOLL_CTL_ADD, ev.data.fd, &ev) != 0)
			RTE_SVA_LOG(ERR, "multi-process: cannot watch secondary pid %d for its exit again: %s (its binds are released when this process exits)",
				    (int)mp.clients[i].pid, strerror(errno));
	}
	return 0;
}

/* Under mp.lock. Starts the thread, or starts it again after it stopped. */
static int
mp_start(void)
{
	int ret;

	if (mp.started)
		return 0;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -ENOTSUP;
	if (mp.stopped) {
		/* It takes no lock once stopped: only its last replies. */
		pthread_join(mp.thread, NULL);
		mp.stopped = false;
		mp_fds_close();
		RTE_SVA_LOG(NOTICE, "multi-process: starting the sva-mp thread again (it stopped: %s)",
			    mp.stop_why);
	}
	ret = mp_fds_open();
	if (ret != 0)
		goto fail;
	if (!mp.registered) {
		if (rte_mp_action_register(MP_ACTION, mp_action) != 0) {
			ret = -rte_errno;
			/* --no-shconf, --in-memory: no secondary can exist. */
			if (ret != -ENOTSUP)
				RTE_SVA_LOG(ERR, "multi-process: cannot register IPC action %s: %s",
					    MP_ACTION, rte_strerror(-ret));
			goto fail;
		}
		mp.registered = true;
	}
	ret = sva_ctrl_thread_create(&mp.thread, "sva-mp", mp_thread_main, NULL);
	if (ret != 0) {
		RTE_SVA_LOG(ERR, "multi-process: cannot start the sva-mp thread: %s",
			    strerror(-ret));
		goto fail;
	}
	mp.started = true;
	return 0;
fail:
	/* Registered, the action refuses requests saying why. */
	snprintf(mp.stop_why, sizeof(mp.stop_why), "it could not start: %s",
		 strerror(-ret));
	mp_fds_close();
	return ret;
}

int
rte_sva_pmd_mp_serve(const char *driver, rte_sva_mp_handler_t fn,
		     rte_sva_mp_gone_t gone)
{
	int ret, slot = -1;

	if (driver == NULL || fn == NULL ||
	    strnlen(driver, RTE_SVA_MP_DRIVER_LEN) >= RTE_SVA_MP_DRIVER_LEN) {
		RTE_SVA_LOG(ERR, "multi-process: serve needs a driver name (< %d characters) and a handler",
			    RTE_SVA_MP_DRIVER_LEN);
		return -EINVAL;
	}
	pthread_mutex_lock(&mp.lock);
	for (int i = 0; i < MP_HANDLERS; i++) {
		if (mp.handlers[i].fn != NULL &&
		    strcmp(mp.handlers[i].driver, driver) == 0) {
			/* Served already; start the thread again if it stopped. */
			ret = mp_start();
			pthread_mutex_unlock(&mp.lock);
			return ret;
		}
		if (mp.handlers[i].fn == NULL && slot < 0)
			slot = i;
	}
	ret = slot < 0 ? -ENOSPC : mp_start();
	if (ret == 0) {
		rte_strscpy(mp.handlers[slot].driver, driver, RTE_SVA_MP_DRIVER_LEN);
		mp.handlers[slot].gone = gone;
		mp.handlers[slot].fn = fn;
	} else if (ret == -ENOSPC) {
		RTE_SVA_LOG(ERR, "multi-process: no handler slot for %s", driver);
	}
	pthread_mutex_unlock(&mp.lock);
	return ret;
}

int
rte_sva_pmd_mp_request(struct rte_sva_mp_msg *m)
{
	struct timespec ts = { .tv_sec = MP_TIMEOUT_S };
	struct rte_mp_reply rep = { 0 };
	struct rte_mp_msg req;
	int ret;

	if (m == NULL) {
		RTE_SVA_LOG(ERR, "multi-process: request: NULL message");
		return -EINVAL;
	}
	if (rte_eal_process_type() != RTE_PROC_SECONDARY) {
		RTE_SVA_LOG(ERR, "multi-process: only a secondary sends requests to the primary");
		return -ENOTSUP;
	}
	m->pid = getpid();
	memset(&req, 0, sizeof(req));
	rte_strscpy(req.name, MP_ACTION, sizeof(req.name));
	req.len_param = sizeof(*m);
	memcpy(req.param, m, sizeof(*m));
	ret = rte_mp_request_sync(&req, &rep, &ts);
	if (ret != 0 || rep.nb_received != 1 ||
	    rep.msgs[0].len_param != sizeof(*m)) {
		RTE_SVA_LOG(ERR, "multi-process: the primary did not answer request %u of %s within %d s (its librte_sva serves no such driver: none of its devices is of %s, or it is not multi-process capable)",
			    m->op, m->driver[0] != '\0' ? m->driver : "the library",
			    MP_TIMEOUT_S, m->driver[0] != '\0' ? m->driver : "librte_sva");
		free(rep.msgs);
		return -ENODEV;
	}
	memcpy(m, rep.msgs[0].param, sizeof(*m));
	free(rep.msgs);
	m->why[sizeof(m->why) - 1] = '\0';
	return m->ret;
}
