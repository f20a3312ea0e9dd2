/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The PASID pool (issue 10 item 16): how it is opened (no symlink, no
 * foreign or world-writable file), who holds what when it runs out, and
 * that an unprivileged user cannot take root's PASIDs. Each case runs this
 * binary again as a fresh process, which opens the pool anew. Signal-free
 * (also run under TSan). Devices: sva_sim50, sva_sim51, sva_sim52. */

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_sva_iommu.h>

#include "test.h"

/* ---------------------------------------------- the system-wide PASID pool */

/*
 * The pool is opened once per process, at its first bind (the fixture's):
 * tests of how it is opened run this test binary again, as a fresh process
 * with the same EAL arguments, RTE_SVA_PASID_LOCK set and a role.
 */

/* Role "hold": bind PASIDs of range SVA_BE_RANGE=lo,hi on sva_sim50..52,
 * one container each, write them (and the binds' returns) to fd SVA_BE_W,
 * then hold them until fd SVA_BE_R reads EOF. */
static int
role_hold(void)
{
	const char *range = getenv("SVA_BE_RANGE"), *w = getenv("SVA_BE_W"),
		*r = getenv("SVA_BE_R");
	uint32_t lo, hi;
	int32_t msg[6];
	char c;

	TEST_ASSERT(range && w && r && sscanf(range, "%u,%u", &lo, &hi) == 2, "role args");
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	for (int k = 0; k < 3; k++) {
		char name[16];
		uint32_t p = 0;
		int16_t d;
		int cid;

		snprintf(name, sizeof(name), "sva_sim%d", 50 + k);
		TEST_RUN(test_vdev_start(name, &d));
		cid = rte_sva_container_create();
		TEST_ASSERT(cid >= 0 && rte_sva_container_add_dev(cid, d) == 0, "container");
		msg[3 + k] = rte_sva_bind(cid, 0, &p);
		msg[k] = (int32_t)p;
	}
	TEST_ASSERT(write(atoi(w), msg, sizeof(msg)) == (ssize_t)sizeof(msg), "report");
	while (read(atoi(r), &c, 1) > 0)
		;
	return TEST_OK;
}

/* Role "none": only the fixture, whose bind opened the pool. */
static int
role_none(void)
{
	return TEST_OK;
}

/* Run role "none" (only the fixture, whose bind opens the pool) with the
 * pool at path. @return its exit status (0: the pool was usable, 1: the
 * fixture's bind failed) or -1; its output in out (NUL-terminated). */
static int
pool_try(const char *dir, const char *path, char *out, size_t outlen)
{
	char env[PATH_MAX + 32], outpath[PATH_MAX];
	const char *envs[] = { env, NULL };
	int fd, st;
	ssize_t n;
	pid_t pid;

	snprintf(env, sizeof(env), "RTE_SVA_PASID_LOCK=%s", path);
	snprintf(outpath, sizeof(outpath), "%s.out", dir);
	fd = open(outpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = test_spawn("pasid_pool", "none", NULL, envs, fd, NULL);
	st = pid > 0 ? test_spawn_wait(pid, 120000) : -1;
	n = pread(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(outpath);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	fchmod(fd, mode);
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#define POOL_OUT 65536

/* A symbolic link planted at the pool's path (here to a private file of
 * ours, standing for /etc/shadow) is not followed: the pool is refused,
 * the target keeps its bytes and its mode. */
static int
pool_symlink_body(const char *dir, char *out)
{
	char target[PATH_MAX], link[PATH_MAX], buf[32] = "";
	struct stat st;
	int fd;

	snprintf(target, sizeof(target), "%s/precious", dir);
	snprintf(link, sizeof(link), "%s/pasid.lock", dir);
	TEST_ASSERT_EQ(write_file(target, "precious", 0600), 0, "target");
	TEST_ASSERT_EQ(symlink(target, link), 0, "plant the link");
	TEST_ASSERT_EQ(pool_try(dir, link, out, POOL_OUT), 1,
		       "a fresh process with the pool behind a symlink: its bind fails");
	TEST_ASSERT(strstr(out, "is a symbolic link: refusing to follow it") != NULL,
		    "it says why");
	TEST_ASSERT_EQ(stat(target, &st), 0, "target");
	TEST_ASSERT_EQ(st.st_mode & 07777, 0600, "target mode");
	TEST_ASSERT_EQ(st.st_size, 8, "target size");
	fd = open(target, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open target");
	TEST_ASSERT_EQ(read(fd, buf, sizeof(buf)), 8, "read target");
	close(fd);
	TEST_ASSERT(strcmp(buf, "precious") == 0, "target bytes: %s", buf);
	/* A symlinked directory is refused too. */
	unlink(link);
	snprintf(link, sizeof(link), "%s/sub", dir);
	TEST_ASSERT_EQ(symlink(dir, link), 0, "directory link");
	snprintf(link, sizeof(link), "%s/sub/pasid.lock", dir);
	TEST_ASSERT_EQ(pool_try(dir, link, out, POOL_OUT), 1, "pool in a symlinked directory");
	TEST_ASSERT(strstr(out, "is a symbolic link or not a directory") != NULL,
		    "it says why");
	return TEST_OK;
}

static int
pool_cleanup(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static int
test_pool_symlink(void)
{
	char dir[] = "/tmp/sva_pool.XXXXXX";
	char *out = malloc(POOL_OUT);
	int ret;

	TEST_ASSERT(out != NULL && mkdtemp(dir) != NULL, "private directory");
	ret = pool_symlink_body(dir, out);
	pool_cleanup(dir);
	free(out);
	return ret;
}

/* A pool file others may write, or someone else's, or in a directory
 * others may write, is refused with a reason, and left as it was; a fresh
 * private directory gets a private pool. */
static int
pool_perm_body(const char *dir, char *out)
{
	char path[PATH_MAX], sub[PATH_MAX - 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/pasid.lock", dir);
	TEST_ASSERT_EQ(write_file(path, "", 0666), 0, "world-writable pool file");
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "world-writable pool");
	TEST_ASSERT(strstr(out, "mode 0666") != NULL &&
		    strstr(out, "is not a private file of uid") != NULL, "it says why");
	TEST_ASSERT_EQ(stat(path, &st), 0, "stat");
	TEST_ASSERT_EQ(st.st_mode & 07777, 0666, "left as it was");
	TEST_ASSERT_EQ(chmod(path, 0600), 0, "chmod");
	if (chown(path, 65534, 65534) == 0) {
		TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "someone else's pool");
		TEST_ASSERT(strstr(out, "owner uid 65534") != NULL, "it says why");
	} else {
		printf("    cannot chown (not root?): foreign owner not tried\n");
	}
	unlink(path);
	/* Others may write the directory. */
	snprintf(sub, sizeof(sub), "%s/open", dir);
	TEST_ASSERT_EQ(mkdir(sub, 0700), 0, "mkdir");
	TEST_ASSERT_EQ(chmod(sub, 01777), 0, "chmod 1777");
	snprintf(path, sizeof(path), "%s/pasid.lock", sub);
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 1, "pool in a world-writable directory");
	TEST_ASSERT(strstr(out, "may be written by others") != NULL, "it says why");
	TEST_ASSERT(access(path, F_OK) != 0, "no file created there");
	/* A private directory: the pool is created there, 0600, ours. */
	TEST_ASSERT_EQ(chmod(sub, 0700), 0, "chmod 0700");
	TEST_ASSERT_EQ(pool_try(dir, path, out, POOL_OUT), 0, "private pool: the fresh process runs");
	TEST_ASSERT_EQ(stat(path, &st), 0, "pool created");
	TEST_ASSERT(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
		    st.st_uid == geteuid(), "pool mode %o owner %u", st.st_mode & 07777,
		    (unsigned int)st.st_uid);
	return TEST_OK;
}

static int
test_pool_permissions(void)
{
	char dir[] = "/tmp/sva_pool.XXXXXX";
	char *out = malloc(POOL_OUT);
	int ret;

	TEST_ASSERT(out != NULL && mkdtemp(dir) != NULL, "private directory");
	ret = pool_perm_body(dir, out);
	pool_cleanup(dir);
	free(out);
	return ret;
}

/* A range of 4 PASIDs, picked by pid so that concurrent runs rarely meet. */
static uint32_t
pool_range_lo(uint32_t salt)
{
	return 8192u + ((uint32_t)getpid() % 20000u) * 32u + salt * 8u;
}

/* Another process of ours holds 3 of 4 PASIDs: we get the 4th; then the
 * pool is exhausted and the error names who holds what; when that process
 * exits, its PASIDs come back. */
static int
pool_exhaust_body(int *cids, int *to_child, pid_t *child)
{
	const uint32_t lo = pool_range_lo(0), hi = lo + 3;
	char range[48], wenv[32], renv[32], want[64];
	const char *envs[] = { range, wenv, renv, NULL };
	int c2p[2], p2c[2], keep[3] = { -1, -1, -1 };
	int32_t theirs[6];
	uint32_t p = 0, q = 0;
	const char *log;
	int16_t d;
	int st, ret;

	TEST_ASSERT(pipe2(c2p, O_CLOEXEC) == 0 && pipe2(p2c, O_CLOEXEC) == 0, "pipes");
	snprintf(range, sizeof(range), "SVA_BE_RANGE=%u,%u", lo, hi);
	snprintf(wenv, sizeof(wenv), "SVA_BE_W=%d", c2p[1]);
	snprintf(renv, sizeof(renv), "SVA_BE_R=%d", p2c[0]);
	keep[0] = c2p[1];
	keep[1] = p2c[0];
	*child = test_spawn("pasid_pool", "hold", NULL, envs, -1, keep);
	close(c2p[1]);
	close(p2c[0]);
	*to_child = p2c[1];
	TEST_ASSERT(*child > 0, "spawn");
	ret = (int)read(c2p[0], theirs, sizeof(theirs));
	close(c2p[0]);
	TEST_ASSERT_EQ(ret, (int)sizeof(theirs), "the other process's report");
	for (int k = 0; k < 3; k++) {
		TEST_ASSERT_EQ(theirs[3 + k], 0, "its bind %d", k);
		TEST_ASSERT((uint32_t)theirs[k] >= lo && (uint32_t)theirs[k] <= hi,
			    "its PASID %d", theirs[k]);
	}
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	TEST_RUN(test_vdev_start("sva_sim50", &d));
	cids[0] = rte_sva_container_create();
	TEST_ASSERT(cids[0] >= 0 && rte_sva_container_add_dev(cids[0], d) == 0, "container");
	TEST_RUN(test_vdev_start("sva_sim51", &d));
	cids[1] = rte_sva_container_create();
	TEST_ASSERT(cids[1] >= 0 && rte_sva_container_add_dev(cids[1], d) == 0, "container");
	TEST_ASSERT_EQ(rte_sva_bind(cids[0], 0, &p), 0, "bind the free one");
	for (int k = 0; k < 3; k++)
		TEST_ASSERT(p != (uint32_t)theirs[k], "PASID %u held by both processes", p);
	test_log_start();
	ret = rte_sva_bind(cids[1], 0, &q);
	log = test_log_stop();
	TEST_ASSERT_EQ(ret, -ENOSPC, "exhausted");
	snprintf(want, sizeof(want), "all PASIDs in %u..%u", lo, hi);
	TEST_ASSERT(strstr(log, want) != NULL, "names the range");
	snprintf(want, sizeof(want), "1 by this process (pid %d)", (int)getpid());
	TEST_ASSERT(strstr(log, want) != NULL, "names us");
	snprintf(want, sizeof(want), "3 by pid %d (uid %u)", (int)*child,
		 (unsigned int)getuid());
	TEST_ASSERT(strstr(log, want) != NULL, "names the other process");
	/* It exits: its PASIDs are free again. */
	close(*to_child);
	*to_child = -1;
	st = test_spawn_wait(*child, 120000);
	*child = -1;
	TEST_ASSERT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other process ended");
	TEST_ASSERT_EQ(rte_sva_bind(cids[1], 0, &q), 0, "bind after it left");
	TEST_ASSERT(q >= lo && q <= hi && q != p, "PASID %u", q);
	return TEST_OK;
}

static int
test_pool_exhaustion(void)
{
	int cids[2] = { -1, -1 }, to_child = -1, ret;
	pid_t child = -1;

	ret = pool_exhaust_body(cids, &to_child, &child);
	if (to_child >= 0)
		close(to_child);
	if (child > 0)
		test_spawn_wait(child, 120000);
	for (int k = 0; k < 2; k++)
		if (cids[k] >= 0)
			rte_sva_container_destroy(cids[k]);
	test_vdev_remove("sva_sim50");
	test_vdev_remove("sva_sim51");
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}

/* The attacker: the path of our pool (found as root, among the parent's
 * descriptors), then uid 65534, then every way to take the PASIDs lo..hi
 * from it: open it (write, else read: a read lock blocks a write lock),
 * lock each PASID's byte (the old layout) and record (the new one), plant
 * a link beside it. Reports a byte of ATK_* bits; waits until fd r reads
 * EOF, holding what it took. */
#define ATK_OPENED 1
#define ATK_LOCKED 2
#define ATK_PLANTED 4
#define ATK_NOPOOL 0x40
#define ATK_NOSETUID 0x80

static __rte_noreturn void
attacker(int w, int r, uint32_t lo, uint32_t hi)
{
	char fdpath[64], path[PATH_MAX] = "", dirpath[PATH_MAX], *slash;
	struct dirent *e;
	char rep = 0, c;
	DIR *d;
	int fd;

	snprintf(fdpath, sizeof(fdpath), "/proc/%d/fd", (int)getppid());
	d = opendir(fdpath);
	while (d != NULL && path[0] == '\0' && (e = readdir(d)) != NULL) {
		char lp[PATH_MAX];
		ssize_t n;

		snprintf(lp, sizeof(lp), "%s/%s", fdpath, e->d_name);
		n = readlink(lp, path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
		if (strstr(path, "pasid") == NULL || strstr(path, "lock") == NULL)
			path[0] = '\0';
	}
	if (d != NULL)
		closedir(d);
	if (path[0] == '\0')
		rep = ATK_NOPOOL;
	else if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		 setresuid(65534, 65534, 65534) != 0)
		rep = ATK_NOSETUID;
	if (rep == 0) {
		short type = F_WRLCK;

		fd = open(path, O_RDWR);
		if (fd < 0) {
			fd = open(path, O_RDONLY);
			type = F_RDLCK;
		}
		if (fd >= 0)
			rep |= ATK_OPENED;
		for (uint32_t p = lo; fd >= 0 && p <= hi; p++) {
			struct flock b = { .l_type = type, .l_whence = SEEK_SET,
					   .l_start = p, .l_len = 1 };
			struct flock rec = { .l_type = type, .l_whence = SEEK_SET,
					     .l_start = (off_t)p * 16, .l_len = 16 };

			if (fcntl(fd, F_OFD_SETLK, &b) == 0 ||
			    fcntl(fd, F_OFD_SETLK, &rec) == 0)
				rep |= ATK_LOCKED;
		}
		snprintf(dirpath, sizeof(dirpath), "%s", path);
		slash = strrchr(dirpath, '/');
		if (slash != NULL) {
			strcpy(slash, "/planted-by-65534");
			if (symlink("/etc/passwd", dirpath) == 0) {
				unlink(dirpath);
				rep |= ATK_PLANTED;
			}
		}
	}
	if (write(w, &rep, 1) != 1)
		_exit(1);
	while (read(r, &c, 1) > 0)
		;
	_exit(0);
}

static int
pool_attack_body(int *cid, int *to_child, pid_t *child)
{
	const uint32_t lo = pool_range_lo(1), hi = lo + 3;
	int c2p[2], p2c[2];
	uint32_t p = 0;
	char rep = 0;
	int16_t d;
	int ret;

	TEST_ASSERT(pipe(c2p) == 0 && pipe(p2c) == 0, "pipes");
	fflush(stdout);
	*child = test_fork();
	TEST_ASSERT(*child >= 0, "fork");
	if (*child == 0) {
		close(c2p[0]);
		close(p2c[1]);
		attacker(c2p[1], p2c[0], lo, hi);
	}
	close(c2p[1]);
	close(p2c[0]);
	*to_child = p2c[1];
	TEST_ASSERT_EQ(read(c2p[0], &rep, 1), 1, "the attacker's report");
	close(c2p[0]);
	if (rep & ATK_NOSETUID) {
		printf("    cannot become uid 65534 (not root?)\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT(!(rep & ATK_NOPOOL), "the attacker found no pool file among our descriptors");
	/* Root still gets PASIDs of the range from its pool. */
	TEST_ASSERT_EQ(rte_sva_pasid_range_set(lo, hi), 0, "range");
	TEST_RUN(test_vdev_start("sva_sim50", &d));
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0 && rte_sva_container_add_dev(*cid, d) == 0, "container");
	ret = rte_sva_bind(*cid, 0, &p);
	TEST_ASSERT(!(rep & ATK_OPENED), "uid 65534 opened root's PASID pool%s",
		    rep & ATK_LOCKED ? " and locked PASIDs in it" : "");
	TEST_ASSERT(!(rep & ATK_PLANTED), "uid 65534 planted a link beside root's pool");
	TEST_ASSERT_EQ(ret, 0, "root's bind while the attacker waits");
	TEST_ASSERT(p >= lo && p <= hi, "PASID %u", p);
	return TEST_OK;
}

static int
test_pool_unprivileged(void)
{
	int cid = -1, to_child = -1, ret;
	pid_t child = -1;

	ret = pool_attack_body(&cid, &to_child, &child);
	if (to_child >= 0)
		close(to_child);
	if (child > 0)
		test_spawn_wait(child, 120000);
	if (cid >= 0)
		rte_sva_container_destroy(cid);
	test_vdev_remove("sva_sim50");
	if (rte_sva_pasid_range_set(1, RTE_BIT32(20) - 1) != 0) {
		printf("    cannot restore the PASID range\n");
		return TEST_FAILED;
	}
	return ret;
}

static const struct test_case cases[] = {
	{ "pool: a planted symlink is not followed", test_pool_symlink },
	{ "pool: others' or world-writable files refused", test_pool_permissions },
	{ "pool: exhaustion names who holds the PASIDs", test_pool_exhaustion },
	{ "pool: uid 65534 cannot take root's PASIDs", test_pool_unprivileged },
};

/* Fresh processes of the PASID pool tests (test_spawn()). */
static const struct test_role roles[] = {
	{ "none", role_none },
	{ "hold", role_hold },
	{ NULL, NULL },
};

const struct test_suite suite_pasid_pool = { "pasid_pool", cases, RTE_DIM(cases), roles };
