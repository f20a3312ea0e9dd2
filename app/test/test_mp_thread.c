/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The primary's "sva-mp" thread (rte_sva_mp.c), which serves the
 * secondaries' requests, seen and disturbed from the outside, in the
 * primary of the multiprocess test: signals that interrupt its wait,
 * and its epoll descriptor replaced under it (dup2(), as a stray close
 * and reopen elsewhere in a process would), after which its wait fails. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test.h"
#include "test_mp.h"

#define MP_THREAD "sva-mp"

pid_t
mp_thread_tid(void)
{
	char path[300], comm[32];
	struct dirent *e;
	pid_t tid = -1;
	DIR *d = opendir("/proc/self/task");

	if (d == NULL)
		return -1;
	while (tid < 0 && (e = readdir(d)) != NULL) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
		    strncmp(comm, MP_THREAD "\n", sizeof(MP_THREAD)) == 0)
			tid = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return tid;
}

/* The descriptor thread tid waits on in epoll_wait() (or epoll_pwait),
 * once it waits there; -1 if it does not within 10 s. */
static int
mp_thread_epfd(pid_t tid)
{
	uint64_t end = mp_now_ms() + 10000;
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	while (mp_now_ms() < end) {
		long nr = -1;
		unsigned long a1 = 0;
		FILE *f = fopen(path, "re");

		if (f == NULL)
			return -1;
		if (fscanf(f, "%ld %lx", &nr, &a1) != 2)
			nr = -1;
		fclose(f);
		if (nr == SYS_epoll_wait || nr == SYS_epoll_pwait)
			return (int)a1;
		sched_yield();
	}
	return -1;
}

static bool
fd_is(int fd, const char *link)
{
	char path[64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, link) == 0;
}

/* The eventfd epoll descriptor epfd watches (the thread's wake-up), or -1. */
static int
mp_thread_evfd(int epfd)
{
	char path[64], line[256];
	int evfd = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	while (evfd < 0 && fgets(line, sizeof(line), f) != NULL) {
		int fd;

		if (sscanf(line, "tfd: %d", &fd) == 1 && fd_is(fd, "anon_inode:[eventfd]"))
			evfd = fd;
	}
	fclose(f);
	return evfd;
}

static void
mp_on_usr1(int sig)
{
	(void)sig;
}

int
mp_thread_interrupt(unsigned int n)
{
	struct sigaction sa = { .sa_handler = mp_on_usr1 };  /* no SA_RESTART */
	char path[64], line[128];
	unsigned long long blocked = ~0ull;
	pid_t tid = mp_thread_tid();
	FILE *f;

	TEST_ASSERT(tid > 0, "no %s thread in the primary", MP_THREAD);
	TEST_ASSERT_EQ(sigaction(SIGUSR1, &sa, NULL), 0, "SIGUSR1 handler");
	/* The signal must reach its epoll_wait(), not wait blocked. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	f = fopen(path, "re");
	TEST_ASSERT(f != NULL, "%s", path);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "SigBlk: %llx", &blocked) == 1)
			break;
	fclose(f);
	TEST_ASSERT(!(blocked & (1ull << (SIGUSR1 - 1))),
		    "the %s thread blocks SIGUSR1 (SigBlk %llx)", MP_THREAD, blocked);
	for (unsigned int i = 0; i < n; i++) {
		/* Each one while it waits: an interrupted epoll_wait (EINTR). */
		TEST_ASSERT(mp_thread_epfd(tid) >= 0, "the %s thread waits", MP_THREAD);
		TEST_ASSERT_EQ(syscall(SYS_tgkill, getpid(), tid, SIGUSR1), 0, "tgkill");
	}
	TEST_ASSERT(mp_thread_epfd(tid) >= 0 && mp_thread_tid() == tid,
		    "the %s thread waits again after %u signals", MP_THREAD, n);
	printf("    ok: %u signals interrupted the %s thread's wait; it waits again\n",
	       n, MP_THREAD);
	return TEST_OK;
}

int
mp_thread_break(void)
{
	static const uint64_t one = 1;
	pid_t tid = mp_thread_tid();
	uint64_t end = mp_now_ms() + 10000;
	int epfd, evfd, null;

	TEST_ASSERT(tid > 0, "no %s thread in the primary", MP_THREAD);
	epfd = mp_thread_epfd(tid);
	TEST_ASSERT(epfd >= 0 && fd_is(epfd, "anon_inode:[eventpoll]"),
		    "the %s thread waits on an epoll descriptor (%d)", MP_THREAD, epfd);
	evfd = mp_thread_evfd(epfd);
	TEST_ASSERT(evfd >= 0, "the eventfd of the %s thread's epoll %d", MP_THREAD, epfd);
	/* Its wait in progress holds the old epoll; its next one gets
	 * /dev/null: EINVAL. Wake it for that next wait. */
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	TEST_ASSERT(null >= 0 && dup2(null, epfd) == epfd, "dup2 over epoll fd %d", epfd);
	close(null);
	TEST_ASSERT(write(evfd, &one, sizeof(one)) == sizeof(one), "wake the %s thread",
		    MP_THREAD);
	while (mp_thread_tid() == tid) {
		TEST_ASSERT(mp_now_ms() < end, "the %s thread still runs 10 s after its epoll fd %d became /dev/null",
			    MP_THREAD, epfd);
		sched_yield();
	}
	printf("    ok: the %s thread stopped: its epoll fd %d became /dev/null\n",
	       MP_THREAD, epfd);
	return TEST_OK;
}
