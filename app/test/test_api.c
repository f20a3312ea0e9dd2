/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Control API: device enumeration, information, the configure/start/stop
 * life cycle, draining stop, dump, status strings, close and re-probe, and
 * the thread-safety statement of rte_sva.h (an observer thread while the
 * device is reconfigured or re-probed; under TSan too). */

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <rte_bus_vdev.h>

#include <rte_sva_fault.h>

#include "test.h"

#define PAGE 4096u

static void *
map_buf(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* One verified copy of len bytes on (dev, qid). */
static int
copy_check(int16_t dev, uint16_t qid, uint32_t pasid, uint32_t len,
	   uint64_t seed)
{
	uint8_t *src = malloc(len), *dst = malloc(len + 64);
	struct rte_sva_result r;
	int idx;

	TEST_ASSERT(src != NULL && dst != NULL, "malloc");
	test_fill_random(src, len, seed);
	memset(dst, 0x5a, len + 64);
	idx = rte_sva_copy(dev, qid, pasid, src, dst, len, 0);
	TEST_ASSERT(idx >= 0, "copy on dev %d q %u: %d", dev, qid, idx);
	TEST_ASSERT_EQ(test_wait_one(dev, qid, &r), 0, "wait dev %d q %u", dev, qid);
	TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "dev %d q %u: %s", dev,
		       qid, rte_sva_status_str(r.status));
	TEST_ASSERT(memcmp(src, dst, len) == 0, "data dev %d q %u", dev, qid);
	for (uint32_t i = len; i < len + 64; i++)
		TEST_ASSERT_EQ(dst[i], 0x5a, "byte %u past the end written", i);
	free(src);
	free(dst);
	return TEST_OK;
}

static int
test_enumeration(void)
{
	uint16_t count = rte_sva_count_avail();
	unsigned int seen = 0;
	bool have0 = false, have1 = false;
	int16_t id;
	int sim1;

	TEST_ASSERT(count >= 2, "sva_sim0 and sva_sim1 are probed (count %u)", count);
	RTE_SVA_FOREACH_DEV(id) {
		TEST_ASSERT(rte_sva_is_valid(id), "FOREACH gave invalid id %d", id);
		have0 |= id == tenv.dev_id;
		seen++;
		TEST_ASSERT(seen <= RTE_SVA_MAX_DEVS, "FOREACH does not end");
	}
	TEST_ASSERT_EQ(seen, count, "FOREACH visits count_avail devices");
	sim1 = rte_sva_get_dev_id_by_name("sva_sim1");
	TEST_ASSERT(sim1 >= 0, "sva_sim1: %d", sim1);
	TEST_ASSERT(sim1 != tenv.dev_id, "distinct ids");
	RTE_SVA_FOREACH_DEV(id)
		have1 |= id == sim1;
	TEST_ASSERT(have0 && have1, "FOREACH visits sva_sim0 and sva_sim1");
	/* Every id FOREACH skips is invalid. */
	for (int i = 0; i < RTE_SVA_MAX_DEVS; i++) {
		bool listed = false;

		RTE_SVA_FOREACH_DEV(id)
			listed |= id == i;
		TEST_ASSERT_EQ(rte_sva_is_valid(i), listed, "id %d", i);
	}
	TEST_ASSERT(!rte_sva_is_valid(-1), "-1 is invalid");
	TEST_ASSERT(!rte_sva_is_valid(RTE_SVA_MAX_DEVS), "MAX_DEVS is invalid");
	TEST_ASSERT(!rte_sva_is_valid(INT16_MAX), "INT16_MAX is invalid");
	TEST_ASSERT_EQ(rte_sva_next_dev(-5), rte_sva_next_dev(0), "negative start");
	TEST_ASSERT_EQ(rte_sva_next_dev(RTE_SVA_MAX_DEVS), -1, "past the end");
	TEST_ASSERT_EQ(rte_sva_next_dev(tenv.dev_id), tenv.dev_id, "start is inclusive");

	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("sva_sim0"), tenv.dev_id, "by name");
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("sva_sim_nonexistent"), -ENODEV,
		       "unknown name");
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name(""), -ENODEV, "empty name");
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name(NULL), -EINVAL, "NULL name");
	return TEST_OK;
}

static int
test_info(void)
{
	const uint64_t all_ops = RTE_SVA_OP_CAPA_COPY | RTE_SVA_OP_CAPA_FILL |
		RTE_SVA_OP_CAPA_COMPARE | RTE_SVA_OP_CAPA_COMPARE_PATTERN |
		RTE_SVA_OP_CAPA_CRC32C | RTE_SVA_OP_CAPA_COPY_CRC32C |
		RTE_SVA_OP_CAPA_DUALCAST;
	struct rte_sva_info info;

	memset(&info, 0xff, sizeof(info));
	TEST_ASSERT_EQ(rte_sva_info_get(tenv.dev_id, &info), 0, "info_get");
	TEST_ASSERT_EQ(info.op_capa & all_ops, all_ops, "op_capa 0x%llx",
		       (unsigned long long)info.op_capa);
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE, "shared queues");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE, "dedicated queues");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_SOFTWARE, "software device");
	TEST_ASSERT_EQ(info.pasid_bits, 20, "pasid_bits");
	TEST_ASSERT_EQ(info.addr_width, 47, "addr_width");
	TEST_ASSERT(info.max_xfer_size >= (2u << 20), "max_xfer_size %u",
		    info.max_xfer_size);
	TEST_ASSERT(info.min_desc > 0 && rte_is_power_of_2(info.min_desc),
		    "min_desc %u", info.min_desc);
	TEST_ASSERT(rte_is_power_of_2(info.max_desc), "max_desc %u", info.max_desc);
	TEST_ASSERT(info.min_desc <= TEST_DEPTH && TEST_DEPTH <= info.max_desc,
		    "depth %u..%u", info.min_desc, info.max_desc);
	TEST_ASSERT(info.max_queues >= TEST_NB_QUEUES &&
		    info.max_queues <= RTE_SVA_MAX_QUEUES, "max_queues %u",
		    info.max_queues);
	TEST_ASSERT(info.max_wqs >= 1, "max_wqs %u", info.max_wqs);
	TEST_ASSERT_EQ(info.nb_queues, TEST_NB_QUEUES, "nb_queues");
	TEST_ASSERT(info.dev_name != NULL && strcmp(info.dev_name, "sva_sim0") == 0,
		    "dev_name %s", info.dev_name ? info.dev_name : "(null)");
	TEST_ASSERT(info.driver_name != NULL &&
		    strcmp(info.driver_name, "sva_sim") == 0, "driver_name %s",
		    info.driver_name ? info.driver_name : "(null)");
	TEST_ASSERT(info.numa_node >= 0 || info.numa_node == SOCKET_ID_ANY,
		    "numa_node %d", info.numa_node);
	for (unsigned int i = 0; i < RTE_DIM(info.reserved); i++)
		TEST_ASSERT_EQ(info.reserved[i], 0, "reserved[%u]", i);
	return TEST_OK;
}

static int
setup_queues(int16_t dev, uint16_t nb, uint16_t depth)
{
	struct rte_sva_conf conf = { .nb_queues = nb };
	struct rte_sva_queue_conf qc = { .nb_desc = depth,
		.mode = RTE_SVA_QUEUE_DEDICATED, .socket_id = SOCKET_ID_ANY };

	TEST_ASSERT_EQ(rte_sva_configure(dev, &conf), 0, "configure %u queues", nb);
	for (uint16_t q = 0; q < nb; q++)
		TEST_ASSERT_EQ(rte_sva_queue_setup(dev, q, &qc), 0, "queue %u", q);
	return TEST_OK;
}

static int
lifecycle_body(void)
{
	struct rte_sva_info info;
	uint8_t a[64] = { 0 }, b[64] = { 0 };

	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
	TEST_RUN(setup_queues(tenv.dev_id, 3, 64));
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start");
	TEST_ASSERT_EQ(rte_sva_info_get(tenv.dev_id, &info), 0, "info");
	TEST_ASSERT_EQ(info.nb_queues, 3, "nb_queues after configure");
	for (uint16_t q = 0; q < 3; q++)
		TEST_RUN(copy_check(tenv.dev_id, q, tenv.pasid, 5000 + q, q));
	TEST_ASSERT_EQ(rte_sva_copy(tenv.dev_id, 3, tenv.pasid, a, b, 64, 0), -EINVAL,
		       "qid 3 of 3 queues");
	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");

	/* Reconfigure with a different count; the old queues are gone. */
	TEST_RUN(setup_queues(tenv.dev_id, 1, 128));
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start");
	TEST_ASSERT_EQ(rte_sva_info_get(tenv.dev_id, &info), 0, "info");
	TEST_ASSERT_EQ(info.nb_queues, 1, "nb_queues after reconfigure");
	TEST_RUN(copy_check(tenv.dev_id, 0, tenv.pasid, 100000, 9));
	TEST_ASSERT_EQ(rte_sva_copy(tenv.dev_id, 1, tenv.pasid, a, b, 64, 0), -EINVAL,
		       "qid 1 after reconfigure to 1 queue");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(tenv.dev_id, 0), 127, "depth 128");
	return TEST_OK;
}

static int
test_lifecycle(void)
{
	return test_restoring(lifecycle_body);
}

static int
test_start_stop_idempotent(void)
{
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start when started");
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start again");
	TEST_RUN(copy_check(tenv.dev_id, 0, tenv.pasid, 3000, 1));
	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop when stopped");
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start after stop");
	TEST_RUN(copy_check(tenv.dev_id, 1, tenv.pasid, 3000, 2));
	TEST_ASSERT_EQ(rte_sva_start(-1), -EINVAL, "start bad id");
	TEST_ASSERT_EQ(rte_sva_stop(-1), -EINVAL, "stop bad id");
	TEST_ASSERT_EQ(rte_sva_stop(RTE_SVA_MAX_DEVS), -EINVAL, "stop bad id");
	return TEST_OK;
}


/* Submit 500 copies and stop at once: stop returns only after the device
 * drained them, so every completion is there without waiting. */
#define DRAIN_N 500
#define DRAIN_SLOT 8192u

static int
drain_body(uint8_t *src, uint8_t *dst)
{
	static struct rte_sva_result res[DRAIN_N];
	uint32_t len[DRAIN_N];
	uint16_t got, last = 0;
	int first = -1;

	test_fill_random(src, DRAIN_N * DRAIN_SLOT, 41);
	memset(dst, 0, DRAIN_N * DRAIN_SLOT);
	for (int i = 0; i < DRAIN_N; i++) {
		int idx;

		len[i] = 1000 + (uint32_t)(i * 37) % 7000;
		idx = rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src + i * DRAIN_SLOT,
				   dst + i * DRAIN_SLOT, len[i], 0);
		TEST_ASSERT(idx >= 0, "enqueue %d: %d", i, idx);
		if (first < 0)
			first = idx;
		TEST_ASSERT_EQ(idx, (uint16_t)(first + i), "ring index of op %d", i);
	}
	TEST_ASSERT_EQ(rte_sva_submit(tenv.dev_id, 0), 0, "submit");
	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
	got = rte_sva_completed_results(tenv.dev_id, 0, DRAIN_N, &last, res);
	TEST_ASSERT_EQ(got, DRAIN_N, "completions present right after stop");
	TEST_ASSERT_EQ(last, (uint16_t)(first + DRAIN_N - 1), "last_idx");
	for (int i = 0; i < DRAIN_N; i++) {
		TEST_ASSERT_EQ(res[i].status, RTE_SVA_STATUS_SUCCESS, "op %d: %s", i,
			       rte_sva_status_str(res[i].status));
		TEST_ASSERT(memcmp(src + i * DRAIN_SLOT, dst + i * DRAIN_SLOT,
				   len[i]) == 0, "data of op %d", i);
		TEST_ASSERT_EQ(dst[i * DRAIN_SLOT + len[i]], 0, "op %d wrote past its end", i);
	}
	TEST_ASSERT_EQ(rte_sva_completed_results(tenv.dev_id, 0, 1, NULL, res), 0,
		       "nothing more to reap");
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "restart");
	return copy_check(tenv.dev_id, 0, tenv.pasid, 777, 5);
}

static int
test_stop_drains(void)
{
	uint8_t *src = map_buf(DRAIN_N * DRAIN_SLOT);
	uint8_t *dst = map_buf(DRAIN_N * DRAIN_SLOT);
	int ret;

	TEST_ASSERT(src != NULL && dst != NULL, "mmap");
	ret = drain_body(src, dst);
	munmap(src, DRAIN_N * DRAIN_SLOT);
	munmap(dst, DRAIN_N * DRAIN_SLOT);
	if (ret != TEST_OK)
		test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH);
	return ret;
}

/* The same with one operation submitted just before stop, many times: the
 * engine is idle when the doorbell rings, the window where a stop could
 * overtake the submission. */
static int
stop_drains_repeated_body(void)
{
	uint8_t src[256], dst[256];
	struct rte_sva_result r;

	for (int it = 0; it < 300; it++) {
		test_fill_random(src, sizeof(src), it);
		memset(dst, 0, sizeof(dst));
		TEST_ASSERT(rte_sva_copy(tenv.dev_id, 0, tenv.pasid, src, dst,
					 sizeof(src), RTE_SVA_OP_FLAG_SUBMIT) >= 0,
			    "enqueue %d", it);
		TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
		TEST_ASSERT_EQ(rte_sva_completed_results(tenv.dev_id, 0, 1, NULL, &r), 1,
			       "iteration %d: op not completed when stop returned", it);
		TEST_ASSERT_EQ(r.status, RTE_SVA_STATUS_SUCCESS, "iteration %d", it);
		TEST_ASSERT(memcmp(src, dst, sizeof(src)) == 0, "data, iteration %d", it);
		TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start");
	}
	return TEST_OK;
}

static int
test_stop_drains_repeated(void)
{
	int ret = stop_drains_repeated_body();

	if (ret != TEST_OK)
		test_dev_setup(tenv.dev_id, TEST_NB_QUEUES, TEST_DEPTH);
	return ret;
}

static int
dump_contains(int16_t dev, const char *a, const char *b)
{
	char *buf = NULL;
	size_t sz = 0;
	FILE *f = open_memstream(&buf, &sz);
	int ret;

	TEST_ASSERT(f != NULL, "open_memstream");
	ret = rte_sva_dump(dev, f);
	fclose(f);
	if (ret != 0) {
		free(buf);
		TEST_ASSERT_EQ(ret, 0, "dump");
	}
	if (strstr(buf, a) == NULL || strstr(buf, b) == NULL) {
		printf("    dump lacks \"%s\" or \"%s\":\n%s", a, b, buf);
		free(buf);
		return TEST_FAILED;
	}
	free(buf);
	return TEST_OK;
}

static int
test_dump(void)
{
	TEST_RUN(dump_contains(tenv.dev_id, "sva_sim0", "started"));
	TEST_ASSERT_EQ(rte_sva_stop(tenv.dev_id), 0, "stop");
	TEST_RUN(dump_contains(tenv.dev_id, "sva_sim0", "configured"));
	TEST_ASSERT_EQ(rte_sva_start(tenv.dev_id), 0, "start");
	TEST_ASSERT_EQ(rte_sva_dump(tenv.dev_id, NULL), -EINVAL, "NULL file");
	TEST_ASSERT_EQ(rte_sva_dump(-1, stdout), -EINVAL, "bad id");
	TEST_ASSERT_EQ(rte_sva_dump(RTE_SVA_MAX_DEVS - 1, stdout), -EINVAL,
		       "unused id");
	return TEST_OK;
}

static int
test_status_str(void)
{
	static const enum rte_sva_status_code codes[] = {
		RTE_SVA_STATUS_SUCCESS, RTE_SVA_STATUS_COMPARE_MISMATCH,
		RTE_SVA_STATUS_PAGE_FAULT, RTE_SVA_STATUS_TRANSLATION_FAIL,
		RTE_SVA_STATUS_INVALID_PASID, RTE_SVA_STATUS_BAD_PASID_ENTRY,
		RTE_SVA_STATUS_INVALID_OPCODE, RTE_SVA_STATUS_INVALID_FLAGS,
		RTE_SVA_STATUS_INVALID_LENGTH, RTE_SVA_STATUS_INVALID_ADDR,
		RTE_SVA_STATUS_OVERLAP, RTE_SVA_STATUS_RESERVED_NONZERO,
		RTE_SVA_STATUS_ABORTED, RTE_SVA_STATUS_ERROR_UNKNOWN,
	};
	const char *s[RTE_DIM(codes)];

	for (unsigned int i = 0; i < RTE_DIM(codes); i++) {
		s[i] = rte_sva_status_str(codes[i]);
		TEST_ASSERT(s[i] != NULL && s[i][0] != '\0', "code %d", codes[i]);
		for (unsigned int j = 0; j < i; j++)
			TEST_ASSERT(strcmp(s[i], s[j]) != 0,
				    "codes %d and %d share \"%s\"", codes[i],
				    codes[j], s[i]);
	}
	TEST_ASSERT(rte_sva_status_str((enum rte_sva_status_code)200) != NULL,
		    "unknown code");
	TEST_ASSERT(rte_sva_status_str((enum rte_sva_status_code)-1) != NULL,
		    "negative code");
	return TEST_OK;
}

static int
reprobe_body(int *cid)
{
	uint16_t before = rte_sva_count_avail();
	struct rte_sva_info info;
	uint32_t pasid;
	uint8_t a[64] = { 0 }, b[64] = { 0 };
	int id, id2;

	TEST_ASSERT_EQ(rte_vdev_init("sva_sim7", NULL), 0, "probe sva_sim7");
	id = rte_sva_get_dev_id_by_name("sva_sim7");
	TEST_ASSERT(id >= 0 && rte_sva_is_valid(id), "sva_sim7 id %d", id);
	TEST_ASSERT_EQ(rte_sva_count_avail(), before + 1, "count after probe");
	TEST_ASSERT_EQ(rte_sva_info_get(id, &info), 0, "info");
	TEST_ASSERT(strcmp(info.dev_name, "sva_sim7") == 0, "name %s", info.dev_name);
	TEST_ASSERT(rte_vdev_init("sva_sim7", NULL) < 0, "a second sva_sim7");
	TEST_ASSERT_EQ(rte_sva_count_avail(), before + 1, "count after dup probe");

	TEST_ASSERT_EQ(test_dev_setup(id, 1, 64), 0, "setup sva_sim7");
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, id), 0, "add_dev");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &pasid), 0, "bind");
	TEST_RUN(copy_check(id, 0, pasid, 20000, 11));
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid), 0, "destroy");
	*cid = -1;

	/* Bus removal of a started device. */
	TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim7"), 0, "uninit");
	TEST_ASSERT(!rte_sva_is_valid(id), "id %d still valid after uninit", id);
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("sva_sim7"), -ENODEV, "name gone");
	TEST_ASSERT_EQ(rte_sva_count_avail(), before, "count after uninit");

	/* Re-probe, use, then rte_sva_close(). */
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim7", NULL), 0, "re-probe");
	id2 = rte_sva_get_dev_id_by_name("sva_sim7");
	TEST_ASSERT(id2 >= 0 && rte_sva_is_valid(id2), "re-probed id %d", id2);
	TEST_ASSERT_EQ(test_dev_setup(id2, 1, 64), 0, "setup re-probed");
	*cid = rte_sva_container_create();
	TEST_ASSERT(*cid >= 0, "container");
	TEST_ASSERT_EQ(rte_sva_container_add_dev(*cid, id2), 0, "add_dev");
	TEST_ASSERT_EQ(rte_sva_bind(*cid, 0, &pasid), 0, "bind");
	TEST_RUN(copy_check(id2, 0, pasid, 20000, 12));
	TEST_ASSERT_EQ(rte_sva_container_destroy(*cid), 0, "destroy");
	*cid = -1;
	TEST_ASSERT_EQ(rte_sva_close(id2), -EBUSY, "close while started");
	TEST_ASSERT(rte_sva_is_valid(id2), "refused close keeps the device");
	TEST_ASSERT_EQ(rte_sva_stop(id2), 0, "stop");
	TEST_ASSERT_EQ(rte_sva_close(id2), 0, "close");
	TEST_ASSERT(!rte_sva_is_valid(id2), "id %d valid after close", id2);
	TEST_ASSERT_EQ(rte_sva_get_dev_id_by_name("sva_sim7"), -ENODEV,
		       "name after close");
	TEST_ASSERT_EQ(rte_sva_count_avail(), before, "count after close");
	TEST_ASSERT_EQ(rte_sva_close(id2), -EINVAL, "second close");
	TEST_ASSERT_EQ(rte_sva_info_get(id2, &info), -EINVAL, "info of closed");
	TEST_ASSERT_EQ(rte_sva_start(id2), -EINVAL, "start of closed");
	/* The fast path of a closed id refuses instead of crashing. */
	TEST_ASSERT_EQ(rte_sva_copy(id2, 0, pasid, a, b, sizeof(a), 0), -EINVAL,
		       "copy on closed device");
	TEST_ASSERT_EQ(rte_sva_completed(id2, 0, 4, NULL, NULL), 0, "completed");
	TEST_ASSERT_EQ(rte_sva_burst_capacity(id2, 0), 0, "burst_capacity");
	/* The bus device remains; removing it finds nothing to release. */
	TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim7"), 0, "uninit after close");
	TEST_ASSERT_EQ(rte_vdev_init("sva_sim7", NULL), 0, "name reusable");
	TEST_ASSERT(rte_sva_get_dev_id_by_name("sva_sim7") >= 0, "third probe");
	TEST_ASSERT_EQ(rte_vdev_uninit("sva_sim7"), 0, "final uninit");
	TEST_ASSERT_EQ(rte_sva_count_avail(), before, "count at the end");
	return TEST_OK;
}

static int
test_close_reprobe(void)
{
	int cid = -1;
	int ret = reprobe_body(&cid);

	if (cid >= 0)
		rte_sva_container_destroy(cid);
	if (rte_sva_get_dev_id_by_name("sva_sim7") >= 0)
		rte_vdev_uninit("sva_sim7");
	return ret;
}

/* ------------------------------------- observers on another thread */

/* A thread calling the lock-free and the read-only public functions on
 * one device id in a loop, while the main thread changes the device:
 * each call must return one of its documented values, and (under TSan)
 * none may read what the change writes without the control lock. */
struct observer {
	int16_t dev;
	int stop;
	unsigned int rounds;
	const char *bad;     /* the first call that returned something else */
	int bad_ret;
	pthread_t th;
};

static void *
observer_main(void *arg)
{
	struct observer *o = arg;
	FILE *f = fopen("/dev/null", "w");
	struct rte_sva_info info;
	struct rte_sva_stats st;
	int ret;

	while (!__atomic_load_n(&o->stop, __ATOMIC_ACQUIRE) && o->bad == NULL) {
		ret = rte_sva_queue_idle(o->dev, 0);
		if (ret != 0 && ret != 1 && ret != -EINVAL) {
			o->bad = "queue_idle";
			o->bad_ret = ret;
		}
		ret = rte_sva_info_get(o->dev, &info);
		if (ret != 0 && ret != -EINVAL) {
			o->bad = "info_get";
			o->bad_ret = ret;
		}
		ret = rte_sva_stats_get(o->dev, RTE_SVA_ALL_QUEUES, &st);
		if (ret != 0 && ret != -EINVAL) {
			o->bad = "stats_get";
			o->bad_ret = ret;
		}
		if (f != NULL) {
			ret = rte_sva_dump(o->dev, f);
			if (ret != 0 && ret != -EINVAL) {
				o->bad = "dump";
				o->bad_ret = ret;
			}
		}
		/* A device with no fault queue, or a free slot. */
		ret = rte_sva_fault_process(o->dev, 8);
		if (ret != -ENOTSUP && ret != -EINVAL && ret < 0) {
			o->bad = "fault_process";
			o->bad_ret = ret;
		}
		if (rte_sva_is_valid(o->dev) && rte_sva_count_avail() == 0) {
			o->bad = "count_avail";
			o->bad_ret = 0;
		}
		o->rounds++;
	}
	if (f != NULL)
		fclose(f);
	return NULL;
}

static int
observer_start(struct observer *o, int16_t dev)
{
	memset(o, 0, sizeof(*o));
	o->dev = dev;
	TEST_ASSERT_EQ(pthread_create(&o->th, NULL, observer_main, o), 0, "observer");
	return TEST_OK;
}

/* Stop the observer; fail if it saw an undocumented value or never ran. */
static int
observer_end(struct observer *o)
{
	__atomic_store_n(&o->stop, 1, __ATOMIC_RELEASE);
	pthread_join(o->th, NULL);
	TEST_ASSERT(o->bad == NULL, "%s returned %d", o->bad, o->bad_ret);
	TEST_ASSERT(o->rounds > 0, "the observer ran");
	printf("    %u observations\n", o->rounds);
	return TEST_OK;
}

/* Reconfigure between one and two queues of changing depth while the
 * observer asks whether queue 0 is idle (the driver frees and allocates
 * the queues it reads). */
static int
test_observe_reconfigure(void)
{
	const char *name = "sva_sim_api_obs0";
	struct observer o;
	int16_t dev;
	int ret = TEST_OK;

	TEST_RUN(test_vdev_start(name, &dev));
	TEST_RUN(observer_start(&o, dev));
	for (unsigned int i = 0; i < 200 && ret == TEST_OK; i++) {
		if (rte_sva_stop(dev) != 0 ||
		    setup_queues(dev, 1 + i % 2, (uint16_t)(64u << (i % 3))) != TEST_OK ||
		    rte_sva_start(dev) != 0)
			ret = TEST_FAILED;
	}
	if (observer_end(&o) != TEST_OK)
		ret = TEST_FAILED;
	test_vdev_remove(name);
	return ret;
}

/* Probe and remove a device again and again while the observer calls on
 * its id: between the two, the slot is free (-EINVAL), never half torn
 * down. */
static int
test_observe_reprobe(void)
{
	const char *name = "sva_sim_api_obs1";
	struct observer o;
	int16_t dev;
	int ret = TEST_OK;

	TEST_RUN(test_vdev_start(name, &dev));
	TEST_RUN(observer_start(&o, dev));
	for (unsigned int i = 0; i < 50 && ret == TEST_OK; i++) {
		int16_t again;

		if (rte_vdev_uninit(name) != 0 ||
		    test_vdev_start(name, &again) != TEST_OK || again != dev) {
			printf("    round %u: re-probe failed or took another slot\n", i);
			ret = TEST_FAILED;
		}
	}
	if (observer_end(&o) != TEST_OK)
		ret = TEST_FAILED;
	test_vdev_remove(name);
	return ret;
}

/* Two threads registering and unregistering fault handlers at once: each
 * registration must land in a slot of its own and be found again. */
#define HREG_RANGES 6
#define HREG_ROUNDS 2000

struct hreg {
	uint64_t base;
	int failed_ret;
	const char *failed;
	pthread_t th;
};

static int
hreg_fn(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(f);
	RTE_SET_USED(arg);
	return RTE_SVA_PAGE_RESP_INVALID;
}

static void *
hreg_main(void *arg)
{
	struct hreg *h = arg;

	for (unsigned int r = 0; r < HREG_ROUNDS && h->failed == NULL; r++) {
		for (unsigned int i = 0; i < HREG_RANGES; i++) {
			int ret = rte_sva_fault_handler_register(h->base + i * PAGE, PAGE,
								 hreg_fn, h);
			if (ret != 0) {
				h->failed = "register";
				h->failed_ret = ret;
			}
		}
		if (rte_sva_fault_around_set(r % 4) != 0)
			h->failed = "fault_around_set";
		for (unsigned int i = 0; i < HREG_RANGES; i++) {
			int ret = rte_sva_fault_handler_unregister(h->base + i * PAGE);
			if (ret != 0 && h->failed == NULL) {
				h->failed = "unregister";
				h->failed_ret = ret;
			}
		}
	}
	return NULL;
}

static int
test_handlers_concurrent(void)
{
	/* Address ranges nobody maps: the handlers are never called. */
	struct hreg h[2] = { { .base = 0x7e0000000000ull }, { .base = 0x7e0000100000ull } };

	for (unsigned int t = 0; t < RTE_DIM(h); t++)
		TEST_ASSERT_EQ(pthread_create(&h[t].th, NULL, hreg_main, &h[t]), 0, "thread");
	for (unsigned int t = 0; t < RTE_DIM(h); t++)
		pthread_join(h[t].th, NULL);
	rte_sva_fault_around_set(0);
	for (unsigned int t = 0; t < RTE_DIM(h); t++)
		TEST_ASSERT(h[t].failed == NULL, "thread %u: %s returned %d", t,
			    h[t].failed, h[t].failed_ret);
	/* Nothing left behind: every slot is free again. */
	for (unsigned int i = 0; i < 16; i++)
		TEST_ASSERT_EQ(rte_sva_fault_handler_register(h[0].base + i * PAGE, PAGE,
							      hreg_fn, NULL), 0, "slot %u", i);
	for (unsigned int i = 0; i < 16; i++)
		TEST_ASSERT_EQ(rte_sva_fault_handler_unregister(h[0].base + i * PAGE), 0,
			       "slot %u", i);
	return TEST_OK;
}

static const struct test_case cases[] = {
	{ "enumeration and lookup by name", test_enumeration },
	{ "info_get fields", test_info },
	{ "configure/start/stop/reconfigure", test_lifecycle },
	{ "start and stop are idempotent", test_start_stop_idempotent },
	{ "stop drains 500 submitted copies", test_stop_drains },
	{ "stop drains a just-submitted op (x300)", test_stop_drains_repeated },
	{ "dump", test_dump },
	{ "status strings distinct", test_status_str },
	{ "close and re-probe through the vdev bus", test_close_reprobe },
	{ "observer thread while the device is reconfigured", test_observe_reconfigure },
	{ "observer thread while the device is re-probed", test_observe_reprobe },
	{ "fault handlers registered from two threads at once", test_handlers_concurrent },
};

const struct test_suite suite_api = { "api", cases, RTE_DIM(cases) };
