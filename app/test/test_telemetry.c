/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Telemetry: the /sva/... endpoints, read through the process's own
 * telemetry socket the way dpdk-telemetry.py reads them, and checked
 * against the values the API gives. */

#include <inttypes.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_pause.h>
#include <rte_string_fns.h>
#include <rte_sva_fault.h>

#include "test.h"

#define TEL_BUF (64 * 1024)   /* replies are at most 16 KB */
#define TEL_SUFFIXES 32       /* a busy socket path gets ":<n>" appended */
#define PG 4096u

static int tel_fd = -1;
static bool tel_tried;
static char tel_reply[TEL_BUF];

/* ------------------------------------------------------------ tiny JSON */

/* End of the JSON value starting at v (strings, objects, arrays, scalars). */
static const char *
jend(const char *v, const char *e)
{
	int depth = 0;
	bool str = false;

	for (const char *p = v; p < e; p++) {
		if (str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				str = false;
			if (!str && depth == 0)
				return p + 1;
			continue;
		}
		switch (*p) {
		case '"': str = true; break;
		case '{': case '[': depth++; break;
		case '}': case ']':
			if (depth == 0)
				return p;	/* scalar ended by its container */
			if (--depth == 0)
				return p + 1;
			break;
		case ',':
			if (depth == 0)
				return p;
			break;
		}
	}
	return e;
}

/* The value of "key" among the members of the object [s, e) (its own
 * members only, not those of nested objects); NULL if absent. */
static const char *
jfind(const char *s, const char *e, const char *key, const char **ve)
{
	size_t kl = strlen(key);
	const char *p = s;

	if (p >= e || *p != '{')
		return NULL;
	p++;
	while (p < e && *p == '"') {
		const char *k = p + 1, *q = memchr(k, '"', e - k), *v;

		if (q == NULL || q + 1 >= e || q[1] != ':')
			return NULL;
		v = q + 2;
		*ve = jend(v, e);
		if ((size_t)(q - k) == kl && memcmp(k, key, kl) == 0)
			return v;
		p = *ve;
		if (p < e && *p == ',')
			p++;
	}
	return NULL;
}

static int
ju64(const char *s, const char *e, const char *key, uint64_t *val)
{
	const char *ve, *v = jfind(s, e, key, &ve);
	char *end;

	if (v == NULL || *v < '0' || *v > '9') {
		printf("    no number \"%s\" in %.*s\n", key, (int)(e - s), s);
		return -1;
	}
	*val = strtoull(v, &end, 10);
	return end == ve ? 0 : -1;
}

static int
jstr(const char *s, const char *e, const char *key, char *buf, size_t sz)
{
	const char *ve, *v = jfind(s, e, key, &ve);
	size_t n;

	if (v == NULL || *v != '"' || ve - v < 2) {
		printf("    no string \"%s\" in %.*s\n", key, (int)(e - s), s);
		return -1;
	}
	n = RTE_MIN((size_t)(ve - v - 2), sz - 1);
	memcpy(buf, v + 1, n);
	buf[n] = '\0';
	return 0;
}

/* Span of the object or array under key. */
static int
jsub(const char *s, const char *e, const char *key, const char **os,
     const char **oe)
{
	const char *v = jfind(s, e, key, oe);

	if (v == NULL || (*v != '{' && *v != '[')) {
		printf("    no object \"%s\" in %.*s\n", key, (int)(e - s), s);
		return -1;
	}
	*os = v;
	return 0;
}

/* Number of members (object) or elements (array) of [s, e). */
static int
jcount(const char *s, const char *e)
{
	const char *p = s + 1;
	int n = 0;

	while (p < e && *p != '}' && *p != ']') {
		const char *ve;

		if (*s == '{') {
			const char *q = memchr(p + 1, '"', e - p - 1);

			if (q == NULL)
				return -1;
			p = q + 2;	/* past '":' */
		}
		ve = jend(p, e);
		n++;
		p = ve < e && *ve == ',' ? ve + 1 : ve;
	}
	return n;
}

/* Does the integer array [s, e) hold x? */
static bool
jarray_has(const char *s, const char *e, long long x)
{
	const char *p = s + 1;

	while (p < e && *p != ']') {
		char *end;
		long long v = strtoll(p, &end, 10);

		if (end == p)
			return false;
		if (v == x)
			return true;
		p = *end == ',' ? end + 1 : end;
	}
	return false;
}

/* ------------------------------------------------------------- socket */

static int
tel_open(void)
{
	const char *dir = rte_eal_get_runtime_dir();
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int first_err = 0, other_pid = 0;

	if (tel_fd >= 0)
		return 0;
	if (tel_tried)
		return -1;
	tel_tried = true;
	for (int i = 0; i < TEL_SUFFIXES; i++) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		struct timeval tv = { .tv_sec = 5 };
		const char *e;
		uint64_t pid = 0;
		ssize_t n;
		int fd;

		if (i == 0)
			snprintf(path, sizeof(path), "%s/dpdk_telemetry.v2", dir);
		else
			snprintf(path, sizeof(path), "%s/dpdk_telemetry.v2:%d", dir, i);
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (fd < 0) {
			printf("    telemetry: socket(): %s\n", strerror(errno));
			return -1;
		}
		strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			if (i == 0)
				first_err = errno;
			close(fd);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		/* First message: {"version":...,"pid":N,"max_output_len":N}. */
		n = recv(fd, tel_reply, sizeof(tel_reply) - 1, 0);
		if (n <= 0) {
			close(fd);
			continue;
		}
		tel_reply[n] = '\0';
		e = tel_reply + n;
		/* Another process of the same file prefix may own this path. */
		if (ju64(tel_reply, e, "pid", &pid) != 0 || pid != (uint64_t)getpid()) {
			if (i == 0)
				other_pid = (int)pid;
			close(fd);
			continue;
		}
		tel_fd = fd;
		return 0;
	}
	printf("    no telemetry socket of pid %d under %s (dpdk_telemetry.v2: %s%.0d):"
	       " telemetry disabled (--no-telemetry?) or no runtime directory\n",
	       (int)getpid(), dir, first_err != 0 ? strerror(first_err) :
	       "answered by pid ", other_pid);
	return -1;
}

/*
 * Send cmd; on success *s..*e is the value the reply holds under the
 * command name ({"/sva/x":<value>}). @return 0, or -1 on a socket error.
 */
static int
tel_cmd(const char *cmd, const char **s, const char **e)
{
	char name[64];
	const char *end;
	ssize_t n;

	if (send(tel_fd, cmd, strlen(cmd), 0) < 0) {
		printf("    send %s: %s\n", cmd, strerror(errno));
		return -1;
	}
	n = recv(tel_fd, tel_reply, sizeof(tel_reply) - 1, 0);
	if (n <= 0) {
		printf("    recv %s: %s\n", cmd, n < 0 ? strerror(errno) : "closed");
		return -1;
	}
	tel_reply[n] = '\0';
	end = tel_reply + n;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(cmd, ","), cmd);
	*s = jfind(tel_reply, end, name, e);
	if (*s == NULL) {
		printf("    %s: reply without \"%s\": %s\n", cmd, name, tel_reply);
		return -1;
	}
	return 0;
}

/* Send cmd and expect its value to be an object or array. */
static int
tel_obj(const char *cmd, const char **s, const char **e)
{
	if (tel_cmd(cmd, s, e) != 0)
		return -1;
	if (**s != '{' && **s != '[') {
		printf("    %s: %s\n", cmd, tel_reply);
		return -1;
	}
	return 0;
}

/* Send cmd and expect the error answer {"<cmd>":null}. */
static bool
tel_is_error(const char *cmd)
{
	const char *s, *e;

	if (tel_cmd(cmd, &s, &e) != 0)
		return false;
	if (e - s == 4 && memcmp(s, "null", 4) == 0)
		return true;
	printf("    %s: expected null, got %s\n", cmd, tel_reply);
	return false;
}

#define TEL_OPEN() do { \
	if (tel_open() != 0) \
		return TEST_SKIPPED; \
} while (0)

/* -------------------------------------------------------------- cases */

static int
test_tel_socket(void)
{
	const char *s, *e;
	uint64_t v;

	TEL_OPEN();
	TEST_ASSERT_EQ(tel_obj("/info", &s, &e), 0, "/info");
	TEST_ASSERT_EQ(ju64(s, e, "pid", &v), 0, "pid");
	TEST_ASSERT_EQ(v, getpid(), "our own socket");
	TEST_ASSERT_EQ(tel_obj("/", &s, &e), 0, "command list");
	for (const char *c = "/sva/list\0/sva/info\0/sva/stats\0/sva/bonds\0"
	     "/sva/faults\0"; *c != '\0'; c += strlen(c) + 1) {
		char q[32];

		snprintf(q, sizeof(q), "\"%s\"", c);
		TEST_ASSERT(memmem(s, e - s, q, strlen(q)) != NULL,
			    "%s registered: %.*s", c, (int)(e - s), s);
	}
	return TEST_OK;
}

static int
test_tel_list(void)
{
	const char *s, *e;
	int16_t id;

	TEL_OPEN();
	TEST_ASSERT_EQ(tel_obj("/sva/list", &s, &e), 0, "/sva/list");
	TEST_ASSERT(*s == '[', "an array");
	TEST_ASSERT_EQ(jcount(s, e), rte_sva_count_avail(), "%.*s", (int)(e - s), s);
	TEST_ASSERT(jarray_has(s, e, tenv.dev_id), "sva_sim0");
	id = (int16_t)rte_sva_get_dev_id_by_name("sva_sim1");
	TEST_ASSERT(id < 0 || jarray_has(s, e, id), "sva_sim1");
	RTE_SVA_FOREACH_DEV(id)
		TEST_ASSERT(jarray_has(s, e, id), "device %d listed", id);
	return TEST_OK;
}

static int
test_tel_info(void)
{
	struct rte_sva_info info;
	char cmd[64], str[128], hex[32];
	const char *s, *e, *fs, *fe;
	uint64_t v;

	TEL_OPEN();
	TEST_ASSERT_EQ(rte_sva_info_get(tenv.dev_id, &info), 0, "info");
	snprintf(cmd, sizeof(cmd), "/sva/info,%d", tenv.dev_id);
	TEST_ASSERT_EQ(tel_obj(cmd, &s, &e), 0, "%s", cmd);
	TEST_ASSERT_EQ(jstr(s, e, "name", str, sizeof(str)), 0, "name");
	TEST_ASSERT(strcmp(str, "sva_sim0") == 0, "name %s", str);
	TEST_ASSERT_EQ(jstr(s, e, "driver", str, sizeof(str)), 0, "driver");
	TEST_ASSERT(strcmp(str, info.driver_name) == 0, "driver %s", str);
	TEST_ASSERT_EQ(ju64(s, e, "nb_queues", &v), 0, "nb_queues");
	TEST_ASSERT_EQ(v, TEST_NB_QUEUES, "configured queues");
	TEST_ASSERT_EQ(ju64(s, e, "max_queues", &v), 0, "max_queues");
	TEST_ASSERT_EQ(v, info.max_queues, "max_queues");
	TEST_ASSERT_EQ(ju64(s, e, "min_desc", &v), 0, "min_desc");
	TEST_ASSERT_EQ(v, info.min_desc, "min_desc");
	TEST_ASSERT_EQ(ju64(s, e, "max_desc", &v), 0, "max_desc");
	TEST_ASSERT_EQ(v, info.max_desc, "max_desc");
	TEST_ASSERT_EQ(ju64(s, e, "max_xfer_size", &v), 0, "max_xfer_size");
	TEST_ASSERT_EQ(v, info.max_xfer_size, "max_xfer_size");
	TEST_ASSERT_EQ(ju64(s, e, "pasid_bits", &v), 0, "pasid_bits");
	TEST_ASSERT_EQ(v, info.pasid_bits, "pasid_bits");
	TEST_ASSERT_EQ(ju64(s, e, "addr_width", &v), 0, "addr_width");
	TEST_ASSERT_EQ(v, info.addr_width, "addr_width");
	TEST_ASSERT(jfind(s, e, "numa_node", &fe) != NULL, "numa_node");
	snprintf(hex, sizeof(hex), "0x%" PRIx64, info.dev_capa);
	TEST_ASSERT_EQ(jstr(s, e, "dev_capa", str, sizeof(str)), 0, "dev_capa");
	TEST_ASSERT(strcmp(str, hex) == 0, "dev_capa %s, expected %s", str, hex);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, info.op_capa);
	TEST_ASSERT_EQ(jstr(s, e, "op_capa", str, sizeof(str)), 0, "op_capa");
	TEST_ASSERT(strcmp(str, hex) == 0, "op_capa %s, expected %s", str, hex);
	/* Flag names: one per set bit. */
	TEST_ASSERT_EQ(jsub(s, e, "dev_capa_flags", &fs, &fe), 0, "dev_capa_flags");
	TEST_ASSERT_EQ(jcount(fs, fe), __builtin_popcountll(info.dev_capa), "%.*s",
		       (int)(fe - fs), fs);
	TEST_ASSERT(memmem(fs, fe - fs, "\"software\"", 10) != NULL, "software");
	TEST_ASSERT_EQ(jsub(s, e, "op_capa_flags", &fs, &fe), 0, "op_capa_flags");
	TEST_ASSERT_EQ(jcount(fs, fe), __builtin_popcountll(info.op_capa), "%.*s",
		       (int)(fe - fs), fs);
	TEST_ASSERT(memmem(fs, fe - fs, "\"copy\"", 6) != NULL, "copy");
	TEST_ASSERT_EQ(jsub(s, e, "iommu_cap_flags", &fs, &fe), 0, "iommu_cap_flags");
	return TEST_OK;
}

/* The telemetry stats under cmd equal st (device-wide fields with dev). */
static int
stats_match(const char *cmd, const struct rte_sva_stats *st, bool dev)
{
	const char *s, *e, *x;
	uint64_t v;

	TEST_ASSERT_EQ(tel_obj(cmd, &s, &e), 0, "%s", cmd);
#define FIELD(f) do { \
	TEST_ASSERT_EQ(ju64(s, e, #f, &v), 0, "%s " #f, cmd); \
	TEST_ASSERT_EQ(v, st->f, "%s " #f, cmd); \
} while (0)
	FIELD(submitted);
	FIELD(completed);
	FIELD(errors);
	FIELD(page_faults);
	FIELD(submit_retries);
	FIELD(bytes);
	if (dev) {
		FIELD(atc_hits);
		FIELD(atc_misses);
	} else {
		TEST_ASSERT(jfind(s, e, "atc_hits", &x) == NULL,
			    "%s: atc counters are device-wide", cmd);
	}
#undef FIELD
	return TEST_OK;
}

static int
test_tel_stats(void)
{
	struct rte_sva_stats before, q0, all, q1;
	struct rte_sva_result r;
	char cmd[64];
	uint8_t *src, *dst;
	int ret = TEST_FAILED;

	TEL_OPEN();
	src = malloc(PG);
	dst = malloc(PG);
	if (src == NULL || dst == NULL)
		goto out;
	if (rte_sva_stats_get(tenv.dev_id, 0, &before) != 0)
		goto out;
	test_fill_random(src, PG, 7);
	for (int i = 0; i < 5; i++) {
		memset(dst, 0, PG);
		if (rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst, PG, 0) < 0 ||
		    test_wait_one(tenv.dev_id, 0, &r) != 0 ||
		    r.status != RTE_SVA_STATUS_SUCCESS || memcmp(src, dst, PG) != 0) {
			printf("    copy %d failed (status %u)\n", i, r.status);
			goto out;
		}
	}
	if (rte_sva_stats_get(tenv.dev_id, 0, &q0) != 0 ||
	    rte_sva_stats_get(tenv.dev_id, 1, &q1) != 0 ||
	    rte_sva_stats_get(tenv.dev_id, RTE_SVA_ALL_QUEUES, &all) != 0)
		goto out;
	if (q0.submitted != before.submitted + 5 ||
	    q0.completed != before.completed + 5 ||
	    q0.bytes != before.bytes + 5 * PG) {
		printf("    API stats did not count the 5 copies\n");
		goto out;
	}
	snprintf(cmd, sizeof(cmd), "/sva/stats,%d,0", tenv.dev_id);
	if (stats_match(cmd, &q0, false) != TEST_OK)
		goto out;
	snprintf(cmd, sizeof(cmd), "/sva/stats,%d,1", tenv.dev_id);
	if (stats_match(cmd, &q1, false) != TEST_OK)
		goto out;
	snprintf(cmd, sizeof(cmd), "/sva/stats,%d", tenv.dev_id);
	if (stats_match(cmd, &all, true) != TEST_OK)
		goto out;
	ret = TEST_OK;
out:
	free(src);
	free(dst);
	return ret;
}

static int
test_tel_bonds(void)
{
	struct rte_sva_bond_info bi[64];
	int16_t devs[RTE_SVA_MAX_DEVS];
	const char *s, *e, *cs, *ce, *bs, *be, *xs, *xe;
	char key[32];
	int nb, nd, ncont = 0;
	uint64_t v;

	TEL_OPEN();
	TEST_ASSERT_EQ(tel_obj("/sva/bonds", &s, &e), 0, "/sva/bonds");
	for (int cid = 0; cid < RTE_SVA_MAX_CONTAINERS; cid++) {
		if (!rte_sva_container_is_valid(cid))
			continue;
		ncont++;
		snprintf(key, sizeof(key), "%d", cid);
		TEST_ASSERT_EQ(jsub(s, e, key, &cs, &ce), 0, "container %d", cid);
		nd = rte_sva_container_devs(cid, devs, RTE_DIM(devs));
		nb = rte_sva_container_bonds(cid, bi, RTE_DIM(bi));
		TEST_ASSERT(nd >= 0 && nb >= 0, "container %d", cid);
		TEST_ASSERT_EQ(jsub(cs, ce, "devs", &xs, &xe), 0, "devs");
		TEST_ASSERT_EQ(jcount(xs, xe), nd, "devices of %d", cid);
		for (int i = 0; i < nd; i++)
			TEST_ASSERT(jarray_has(xs, xe, devs[i]), "dev %d", devs[i]);
		TEST_ASSERT_EQ(ju64(cs, ce, "nb_bonds", &v), 0, "nb_bonds");
		TEST_ASSERT_EQ(v, nb, "bonds of %d", cid);
		TEST_ASSERT_EQ(jsub(cs, ce, "bonds", &bs, &be), 0, "bonds");
		TEST_ASSERT_EQ(jcount(bs, be), RTE_MIN(nb, 64), "bonds listed");
	}
	TEST_ASSERT_EQ(jcount(s, e), ncont, "one entry per container");

	/* The fixture's own bond. */
	snprintf(key, sizeof(key), "%d", tenv.cid);
	TEST_ASSERT_EQ(jsub(s, e, key, &cs, &ce), 0, "fixture container");
	TEST_ASSERT_EQ(jsub(cs, ce, "devs", &xs, &xe), 0, "devs");
	TEST_ASSERT(jarray_has(xs, xe, tenv.dev_id), "sva_sim0 in its container");
	TEST_ASSERT_EQ(jsub(cs, ce, "bonds", &bs, &be), 0, "bonds");
	snprintf(key, sizeof(key), "%d", (int)getpid());
	TEST_ASSERT_EQ(jsub(bs, be, key, &xs, &xe), 0, "our bond");
	TEST_ASSERT_EQ(ju64(xs, xe, "pid", &v), 0, "pid");
	TEST_ASSERT_EQ(v, getpid(), "pid");
	TEST_ASSERT_EQ(ju64(xs, xe, "pasid", &v), 0, "pasid");
	TEST_ASSERT_EQ(v, tenv.pasid, "pasid");
	TEST_ASSERT_EQ(ju64(xs, xe, "self", &v), 0, "self");
	TEST_ASSERT_EQ(v, 1, "self");
	TEST_ASSERT_EQ(ju64(xs, xe, "defunct", &v), 0, "defunct");
	TEST_ASSERT_EQ(v, 0, "defunct");
	/* The sim's PASIDs come from the library's range, not the kernel. */
	TEST_ASSERT_EQ(ju64(xs, xe, "kernel_pasid", &v), 0, "kernel_pasid");
	TEST_ASSERT_EQ(v, 0, "kernel_pasid");
	TEST_ASSERT_EQ(ju64(xs, xe, "refs", &v), 0, "refs");
	nb = rte_sva_container_bonds(tenv.cid, bi, RTE_DIM(bi));
	for (int i = 0; i < RTE_MIN(nb, 64); i++)
		if (bi[i].pid == getpid())
			TEST_ASSERT_EQ(v, bi[i].refs, "refs");
	return TEST_OK;
}

/* Histogram name of the reply [s, e) holds the non-empty buckets of h,
 * keyed by their lower bounds, and nothing else. */
static int
hist_match(const char *s, const char *e, const char *name, const uint64_t *h)
{
	const char *xs, *xe;
	uint64_t v, nonempty = 0;
	char key[32];

	TEST_ASSERT_EQ(jsub(s, e, name, &xs, &xe), 0, "%s", name);
	for (unsigned int i = 0; i < RTE_SVA_FAULT_HIST_BUCKETS; i++) {
		if (h[i] == 0)
			continue;
		nonempty++;
		snprintf(key, sizeof(key), "%" PRIu64, rte_sva_fault_hist_bucket_ns(i));
		TEST_ASSERT_EQ(ju64(xs, xe, key, &v), 0, "%s bucket %s", name, key);
		TEST_ASSERT_EQ(v, h[i], "%s bucket %s", name, key);
	}
	TEST_ASSERT_EQ(jcount(xs, xe), nonempty, "%s: only non-empty buckets: %.*s",
		       name, (int)(xe - xs), xs);
	return TEST_OK;
}

/* The fault stats of cmd match st. */
static int
faults_match(const char *cmd, const struct rte_sva_fault_stats *st)
{
	const char *s, *e, *xs, *xe;
	uint64_t v;

	TEST_ASSERT_EQ(tel_obj(cmd, &s, &e), 0, "%s", cmd);
#define FIELD(k, f) do { \
	TEST_ASSERT_EQ(ju64(s, e, k, &v), 0, "%s " k, cmd); \
	TEST_ASSERT_EQ(v, f, "%s " k, cmd); \
} while (0)
	FIELD("requests", st->requests);
	FIELD("groups", st->groups);
	FIELD("resp_success", st->resp_success);
	FIELD("resp_invalid", st->resp_invalid);
	FIELD("resp_failure", st->resp_failure);
	FIELD("stale_responses", st->stale_responses);
	FIELD("device_invalid", st->device_invalid);
	FIELD("queue_full", st->queue_full);
	FIELD("queue_size", st->queue_size);
	FIELD("queue_hwm", st->queue_hwm);
	FIELD("p50_ns", rte_sva_fault_hist_percentile(st, 50.0));
	FIELD("p99_ns", rte_sva_fault_hist_percentile(st, 99.0));
	FIELD("p99_9_ns", rte_sva_fault_hist_percentile(st, 99.9));
	FIELD("resolve_p50_ns", rte_sva_fault_resolve_percentile(st, 50.0));
	FIELD("resolve_p99_ns", rte_sva_fault_resolve_percentile(st, 99.0));
	FIELD("resolve_p99_9_ns", rte_sva_fault_resolve_percentile(st, 99.9));
#undef FIELD
	TEST_ASSERT_EQ(jsub(s, e, "unrecoverable", &xs, &xe), 0, "unrecoverable");
	TEST_ASSERT_EQ(jcount(xs, xe), RTE_SVA_FAULT_REASON_NB, "one per reason");
	TEST_ASSERT_EQ(ju64(xs, xe, "permission", &v), 0, "permission");
	TEST_ASSERT_EQ(v, st->unrecoverable[RTE_SVA_FAULT_REASON_PERMISSION], "permission");
	TEST_RUN(hist_match(s, e, "hist", st->hist));
	TEST_RUN(hist_match(s, e, "resolve_hist", st->resolve_hist));
	return TEST_OK;
}

static int16_t fdev = -1;
static int fcid = -1;

static int
faults_body(void)
{
	struct rte_sva_fault_stats st;
	struct rte_sva_result r;
	uint64_t deadline;
	uint32_t pasid;
	char cmd[64];
	uint8_t *src, *dst;
	uint16_t got = 0;

	TEST_ASSERT_EQ(rte_vdev_init("sva_sim5", "pri=1"), 0, "probe sva_sim5,pri=1");
	fdev = (int16_t)rte_sva_get_dev_id_by_name("sva_sim5");
	TEST_ASSERT(fdev >= 0, "dev id");
	snprintf(cmd, sizeof(cmd), "/sva/faults,%d", fdev);

	/* Fresh: nothing counted yet, the default queue size. */
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fdev, &st), 0, "fault stats");
	TEST_ASSERT_EQ(st.requests, 0, "fresh");
	TEST_ASSERT_EQ(st.queue_size, 1024, "default fq_size");
	TEST_RUN(faults_match(cmd, &st));

	/* One page request round trip, served by this thread. */
	fcid = rte_sva_container_create();
	TEST_ASSERT(fcid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(fcid, fdev), 0, "add");
	TEST_ASSERT_EQ(rte_sva_bind(fcid, 0, &pasid), 0, "bind");
	TEST_ASSERT_EQ(test_dev_setup(fdev, 1, 64), 0, "start");
	src = malloc(PG);
	dst = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(src != NULL && dst != MAP_FAILED, "buffers");
	test_fill_random(src, PG, 9);
	TEST_ASSERT(rte_sva_copy(fdev, 0, pasid, src, dst, PG,
				 RTE_SVA_OP_FLAG_BLOCK_ON_FAULT |
				 RTE_SVA_OP_FLAG_SUBMIT) >= 0, "enqueue");
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (got == 0 && rte_get_timer_cycles() < deadline) {
		rte_sva_fault_process(fdev, 64);
		got = rte_sva_completed_results(fdev, 0, 1, NULL, &r);
		rte_pause();
	}
	TEST_ASSERT_EQ(got, 1, "completion");
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "%s", rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, PG) == 0, "data");
	munmap(dst, PG);
	free(src);
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(fdev, &st), 0, "fault stats");
	TEST_ASSERT_EQ(st.requests, 1, "one page request");
	TEST_ASSERT_EQ(st.resp_success, 1, "one response");
	TEST_ASSERT_EQ(test_hist_total(st.hist), 1, "one round trip");
	TEST_ASSERT_EQ(test_hist_total(st.resolve_hist), 1, "one resolve");
	/* At least what the worker's fault-in of dst takes (a kernel entry,
	 * a page zeroed): > 0 could not fail, a non-empty histogram's
	 * percentile being a bucket's upper bound, 1 ns at least. (Whether
	 * the entry holds the resolve itself is fault_hist's to check: this
	 * queue's first record also meets its cold memory.) */
	TEST_ASSERT(rte_sva_fault_resolve_percentile(&st, 50) >= 64, "resolve p50 %" PRIu64
		    " ns: no fault-in", rte_sva_fault_resolve_percentile(&st, 50));
	TEST_RUN(faults_match(cmd, &st));

	/* No fault queue on sva_sim0: an error, like the API's -ENOTSUP. */
	TEST_ASSERT_EQ(rte_sva_fault_stats_get(tenv.dev_id, &st), -ENOTSUP, "sim0");
	snprintf(cmd, sizeof(cmd), "/sva/faults,%d", tenv.dev_id);
	TEST_ASSERT(tel_is_error(cmd), "%s", cmd);
	return TEST_OK;
}

static int
test_tel_faults(void)
{
	int ret;

	TEL_OPEN();
	ret = faults_body();
	if (fdev >= 0)
		rte_sva_stop(fdev);
	if (fcid >= 0)
		rte_sva_container_destroy(fcid);
	if (fdev >= 0 && rte_vdev_uninit("sva_sim5") != 0 && ret == TEST_OK) {
		printf("    FAIL: uninit sva_sim5\n");
		ret = TEST_FAILED;
	}
	fdev = -1;
	fcid = -1;
	return ret;
}

static int
test_tel_bad_params(void)
{
	static const char *const fmt[] = {
		"/sva/info", "/sva/info,", "/sva/info,x", "/sva/info,-1",
		"/sva/info,%d,0", "/sva/info,%dx", "/sva/info,99999999999",
		"/sva/info,63",
		"/sva/stats", "/sva/stats,abc", "/sva/stats,63", "/sva/stats,%d,",
		"/sva/stats,%d,x", "/sva/stats,%d,64", "/sva/stats,%d,2",
		"/sva/stats,%d,0,0", "/sva/stats,%d,0x1", "/sva/stats,%d,65535",
		"/sva/faults", "/sva/faults,", "/sva/faults,z", "/sva/faults,63",
		"/sva/faults,%d,1",
	};
	const char *s, *e;
	char cmd[64];

	TEL_OPEN();
	TEST_ASSERT(!rte_sva_is_valid(63), "device 63 exists");
	for (unsigned int i = 0; i < RTE_DIM(fmt); i++) {
		/* Every format takes at most one %d: the fixture's device. */
		snprintf(cmd, sizeof(cmd), fmt[i], tenv.dev_id);
		TEST_ASSERT(tel_is_error(cmd), "%s", cmd);
	}
	/* Still answering after the errors. */
	snprintf(cmd, sizeof(cmd), "/sva/info,%d", tenv.dev_id);
	TEST_ASSERT_EQ(tel_obj(cmd, &s, &e), 0, "%s", cmd);
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "telemetry socket and commands", test_tel_socket },
	{ "/sva/list", test_tel_list },
	{ "/sva/info", test_tel_info },
	{ "/sva/stats after copies", test_tel_stats },
	{ "/sva/bonds", test_tel_bonds },
	{ "/sva/faults (pri=1 device, none)", test_tel_faults },
	{ "bad parameters", test_tel_bad_params },
};

const struct test_suite suite_telemetry = {
	.name = "telemetry",
	.cases = cases,
	.nb_cases = RTE_DIM(cases),
};
