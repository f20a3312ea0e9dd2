/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * sva_cross_process: the device works in another process's address space.
 *
 * A peer process allocates a buffer with plain malloc() and sends its pid
 * and the buffer's address. This process binds the peer's address space
 * (rte_sva_bind(cid, pid, &pasid)) and, with that PASID, has the device
 * fill, copy and checksum inside the peer's buffer: addresses that mean
 * nothing here. The peer then checks its own memory and reports back.
 *
 * The peer is either a child forked here (default), or a process started
 * separately with --peer, whose pid is given with --pid:
 *
 *   ./sva_cross_process --no-huge -m 256 --no-pci --no-shconf --vdev=sva_sim0
 *
 *   ./sva_cross_process --peer                        # terminal 1: prints PID
 *   ./sva_cross_process --no-huge -m 256 --no-pci --no-shconf \
 *       --vdev=sva_sim0 -- --pid PID                  # terminal 2
 *
 * Binding another process needs ptrace-attach rights over it (the check the
 * kernel makes when /proc/PID/mem is opened for writing): see README.md.
 *
 * Messages (fixed-size structs) travel over a pair of pipes: anonymous
 * with a forked child, FIFOs /tmp/sva_cross_process.PID.{req,rsp} with a
 * --peer process.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_sva.h>
#include <rte_sva_bond.h>

#define PART (1u << 20)                 /* the peer's buffer: A | B | C */
#define PATTERN 0x0123456789abcdefull
#define FIFO_FMT "/tmp/sva_cross_process.%d.%s"

/* peer -> us, once its buffer is ready */
struct hello {
	int32_t pid;
	uint32_t part;          /* bytes in each of A, B, C */
	uint64_t addr;          /* the buffer, in the peer's address space */
};

/* us -> peer, after the device is done */
struct go {
	uint64_t pattern;       /* C was filled with it */
	uint32_t crc;           /* CRC32C of A, as the device computed it */
	uint32_t ok;            /* 0: we failed, do not bother checking */
};

/* peer -> us */
struct report {
	uint32_t ok;
	uint32_t first_bad;     /* offset in the buffer, if not ok */
	char text[120];
};

static int
xfer(int fd, void *p, size_t n, bool wr)
{
	uint8_t *b = p;

	while (n > 0) {
		ssize_t r = wr ? write(fd, b, n) : read(fd, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static uint32_t
crc32c(uint32_t seed, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t crc = ~seed;

	while (n--) {
		crc ^= *b++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* ------------------------------------------------------------- the peer */

/* Runs in the peer: no EAL, no librte_sva, just memory and two fds. */
static int
peer_serve(int rfd, int wfd)
{
	struct hello h = { .pid = (int32_t)getpid(), .part = PART };
	struct report rep = { .ok = 1 };
	uint8_t *buf = malloc(3 * (size_t)PART), *a, *b, *c;
	struct go g;
	uint32_t my_crc;

	if (buf == NULL)
		return 1;
	a = buf;
	b = a + PART;
	c = b + PART;
	/* A: the peer's own data; B and C: zero. */
	for (uint32_t i = 0; i < PART; i++)
		a[i] = (uint8_t)(i * 31 + (i >> 12) + 7);
	memset(b, 0, PART);
	memset(c, 0, PART);
	my_crc = crc32c(0, a, PART);
	h.addr = (uintptr_t)buf;
	if (xfer(wfd, &h, sizeof(h), true) != 0)
		return 1;
	if (xfer(rfd, &g, sizeof(g), false) != 0)
		return 1;       /* the binder went away */
	if (!g.ok) {
		free(buf);
		return 0;
	}
	/* B must be a copy of A, C the pattern, and the device's CRC ours. */
	for (uint32_t i = 0; i < PART && rep.ok; i++)
		if (b[i] != a[i]) {
			rep.ok = 0;
			rep.first_bad = PART + i;
		}
	for (uint32_t i = 0; i < PART && rep.ok; i++)
		if (c[i] != (uint8_t)(g.pattern >> ((i % 8) * 8))) {
			rep.ok = 0;
			rep.first_bad = 2 * PART + i;
		}
	if (rep.ok && g.crc != my_crc)
		rep.ok = 0;
	snprintf(rep.text, sizeof(rep.text),
		 "peer %d: B == A, C == pattern, CRC 0x%08x %s: %s",
		 (int)getpid(), g.crc, g.crc == my_crc ? "matches" : "DIFFERS",
		 rep.ok ? "verified" : "WRONG");
	xfer(wfd, &rep, sizeof(rep), true);
	free(buf);
	return rep.ok ? 0 : 1;
}

static char fifo_req[64], fifo_rsp[64];

static void
peer_on_signal(int sig)
{
	unlink(fifo_req);
	unlink(fifo_rsp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* --peer: a separate process, reached through two FIFOs named by pid. */
static int
peer_main(void)
{
	char *req = fifo_req, *rsp = fifo_rsp;
	int rfd, wfd, ret;

	snprintf(req, sizeof(fifo_req), FIFO_FMT, (int)getpid(), "req");
	snprintf(rsp, sizeof(fifo_rsp), FIFO_FMT, (int)getpid(), "rsp");
	if (mkfifo(req, 0600) != 0 || mkfifo(rsp, 0600) != 0) {
		perror("mkfifo");
		unlink(req);
		return 1;
	}
	signal(SIGINT, peer_on_signal);
	signal(SIGTERM, peer_on_signal);
	/* With Yama ptrace_scope 1 only ancestors may attach: let any process
	 * of our user do so while we wait (a no-op without Yama). */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	printf("peer pid %d waiting: run\n"
	       "  sva_cross_process <EAL args> --vdev=sva_sim0 -- --pid %d\n",
	       (int)getpid(), (int)getpid());
	fflush(stdout);
	/* Same open order as the binder: req, then rsp. */
	rfd = open(req, O_RDONLY);
	wfd = rfd < 0 ? -1 : open(rsp, O_WRONLY);
	unlink(req);
	unlink(rsp);
	if (rfd < 0 || wfd < 0) {
		perror("open fifo");
		return 1;
	}
	/* The binder binds before it opens the FIFOs: its bond holds
	 * /proc/PID/mem open already, so the permission can go. */
	prctl(PR_SET_PTRACER, 0, 0, 0, 0);
	ret = peer_serve(rfd, wfd);
	printf("peer %d: %s\n", (int)getpid(), ret == 0 ? "done" : "failed");
	return ret;
}

/* ----------------------------------------------------------- the binder */

static void
explain_bind_error(int err, pid_t pid)
{
	FILE *f;
	int scope = -1;

	if (err == -ESRCH) {
		fprintf(stderr, "rte_sva_bind: no process %d\n", (int)pid);
		return;
	}
	if (err == -ENOTSUP) {
		fprintf(stderr, "rte_sva_bind: the device cannot reach other address spaces\n");
		return;
	}
	if (err != -EPERM) {
		fprintf(stderr, "rte_sva_bind(pid %d): %s\n", (int)pid, strerror(-err));
		return;
	}
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	if (f != NULL) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	fprintf(stderr,
		"rte_sva_bind(pid %d): permission denied (EPERM).\n"
		"Binding another process's address space needs the right to\n"
		"ptrace-attach to it (the kernel's check on opening /proc/%d/mem):\n"
		"  - the same user id, and the target not setuid/undumpable;\n"
		"  - Yama kernel.yama.ptrace_scope (here: %s): 0 allows any process of\n"
		"    that user, 1 only ancestors or a process the target named with\n"
		"    prctl(PR_SET_PTRACER) (--peer does), 2 only CAP_SYS_PTRACE, 3 none;\n"
		"  - or CAP_SYS_PTRACE (root).\n",
		(int)pid, (int)pid,
		scope < 0 ? "no Yama" : scope == 0 ? "0" : scope == 1 ? "1" :
		scope == 2 ? "2" : "3");
}

static int
wait_results(int16_t dev, uint16_t n, struct rte_sva_result *res)
{
	uint64_t deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	uint16_t got = 0;

	while (got < n) {
		got += rte_sva_completed_results(dev, 0, n - got, NULL, res + got);
		if (rte_get_timer_cycles() > deadline)
			return -1;
	}
	return 0;
}

/* Is any page of [addr, addr + len) mapped in this process? */
static bool
mapped_here(uint64_t addr, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t first = addr & ~(uint64_t)(pg - 1);
	unsigned char v;

	for (uint64_t a = first; a < addr + len; a += pg)
		if (mincore((void *)(uintptr_t)a, pg, &v) == 0)
			return true;    /* ENOMEM: not mapped */
	return false;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s <EAL args> [-- --pid PID]   bind PID (else fork a child)\n"
		"       %s --peer                      be the peer of another run\n",
		prog, prog);
}

int
main(int argc, char **argv)
{
	struct rte_sva_conf conf = { .nb_queues = 1 };
	struct rte_sva_queue_conf qconf = {
		.nb_desc = 64,
		.mode = RTE_SVA_QUEUE_DEDICATED,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_sva_result res[3];
	struct rte_sva_info info;
	struct report rep;
	struct hello h;
	struct go g = { .pattern = PATTERN };
	pid_t pid = 0, child = 0;
	int rfd = -1, wfd = -1, ret, cid = -1, status = 1;
	bool eal = false, bound = false, started = false;
	uint8_t *a, *b, *c;
	uint32_t pasid;
	int16_t dev = -1;

	if (argc > 1 && strcmp(argv[1], "--peer") == 0)
		return peer_main();

	/* Application arguments follow "--". They are read before EAL
	 * init: the child is forked before EAL makes any thread, so it is a
	 * plain single-threaded process. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		for (int j = i + 1; j < argc; j++) {
			if (strcmp(argv[j], "--pid") == 0 && j + 1 < argc) {
				pid = (pid_t)strtol(argv[++j], NULL, 0);
			} else {
				usage(argv[0]);
				return 1;
			}
		}
		break;
	}

	if (pid == 0) {
		int to_child[2], from_child[2];

		if (pipe(to_child) != 0 || pipe(from_child) != 0) {
			perror("pipe");
			return 1;
		}
		child = fork();
		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			close(to_child[1]);
			close(from_child[0]);
			_exit(peer_serve(to_child[0], from_child[1]));
		}
		close(to_child[0]);
		close(from_child[1]);
		pid = child;
		wfd = to_child[1];
		rfd = from_child[0];
	}

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	eal = true;
	dev = rte_sva_next_dev(0);
	if (dev < 0 || rte_sva_info_get(dev, &info) != 0) {
		fprintf(stderr, "no SVA device: add --vdev=sva_sim0\n");
		goto out;
	}
	if (!(info.dev_capa & RTE_SVA_CAPA_FOREIGN_BIND)) {
		fprintf(stderr, "%s cannot bind other processes\n", info.dev_name);
		goto out;
	}

	/* 1. Bind the peer's address space: its own PASID. */
	cid = rte_sva_container_create();
	if (cid < 0 || rte_sva_container_add_dev(cid, dev) != 0) {
		fprintf(stderr, "cannot set up the container\n");
		goto out;
	}
	ret = rte_sva_bind(cid, pid, &pasid);
	if (ret != 0) {
		explain_bind_error(ret, pid);
		goto out;
	}
	bound = true;
	if (rte_sva_configure(dev, &conf) != 0 ||
	    rte_sva_queue_setup(dev, 0, &qconf) != 0 || rte_sva_start(dev) != 0) {
		fprintf(stderr, "cannot start the device\n");
		goto out;
	}
	started = true;

	/* 2. Reach the peer (a --peer process: through its FIFOs). */
	if (child == 0) {
		char req[64], rsp[64];

		snprintf(req, sizeof(req), FIFO_FMT, (int)pid, "req");
		snprintf(rsp, sizeof(rsp), FIFO_FMT, (int)pid, "rsp");
		wfd = open(req, O_WRONLY);
		rfd = wfd < 0 ? -1 : open(rsp, O_RDONLY);
		if (rfd < 0) {
			fprintf(stderr, "%s: %s (is pid %d a \"%s --peer\"?)\n",
				wfd < 0 ? req : rsp, strerror(errno), (int)pid, argv[0]);
			goto out;
		}
	}
	if (xfer(rfd, &h, sizeof(h), false) != 0 || h.pid != pid || h.part == 0) {
		fprintf(stderr, "no hello from the peer\n");
		goto out;
	}
	printf("%s %d: buffer at %#" PRIx64 " (3 x %u bytes), bound with PASID %u\n",
	       child ? "child" : "peer", (int)pid, h.addr, h.part, pasid);
	printf("  that address in this process: %s\n",
	       mapped_here(h.addr, 3 * h.part) ? "mapped, to memory of our own" :
	       "not mapped");

	/* 3. In the peer's buffer: fill C, copy A to B, CRC A. The addresses
	 * are the peer's; the PASID says whose. */
	a = (uint8_t *)(uintptr_t)h.addr;
	b = a + h.part;
	c = b + h.part;

	if (rte_sva_fill(dev, 0, pasid, PATTERN, c, h.part, 0) < 0 ||
	    rte_sva_copy(dev, 0, pasid, a, b, h.part, 0) < 0 ||
	    rte_sva_crc32c(dev, 0, pasid, a, 0, h.part, RTE_SVA_OP_FLAG_SUBMIT) < 0 ||
	    wait_results(dev, 3, res) != 0) {
		fprintf(stderr, "enqueue or completion failed\n");
		xfer(wfd, &g, sizeof(g), true);     /* g.ok = 0: stand down */
		goto out;
	}
	printf("device: fill %s, copy %s, crc32c %s (0x%08x)\n",
	       rte_sva_status_str(res[0].status), rte_sva_status_str(res[1].status),
	       rte_sva_status_str(res[2].status), res[2].crc);
	g.ok = res[0].status == RTE_SVA_STATUS_SUCCESS &&
	       res[1].status == RTE_SVA_STATUS_SUCCESS &&
	       res[2].status == RTE_SVA_STATUS_SUCCESS;
	g.crc = res[2].crc;

	/* 4. The peer checks its own memory. */
	if (xfer(wfd, &g, sizeof(g), true) != 0 || !g.ok)
		goto out;
	if (xfer(rfd, &rep, sizeof(rep), false) != 0) {
		fprintf(stderr, "no report from the peer\n");
		goto out;
	}
	rep.text[sizeof(rep.text) - 1] = '\0';
	printf("%s\n", rep.text);
	if (!rep.ok)
		printf("  first wrong byte at offset %u\n", rep.first_bad);
	status = rep.ok ? 0 : 1;

out:
	if (started)
		rte_sva_stop(dev);
	if (bound)
		rte_sva_unbind(cid, pid);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	if (rfd >= 0)
		close(rfd);
	if (wfd >= 0)
		close(wfd);
	if (child > 0) {
		int ws;

		/* The child exits after its report, or on EOF of its pipe. */
		if (waitpid(child, &ws, 0) == child &&
		    (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0))
			status = 1;
	}
	if (eal)
		rte_eal_cleanup();
	printf("%s\n", status == 0 ? "cross-process copy verified" : "FAILED");
	return status;
}
