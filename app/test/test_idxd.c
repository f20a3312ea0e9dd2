/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Suite "idxd": the sva_idxd driver without DSA hardware.
 *
 * Discovery runs against fake sysfs and /dev trees built here in a temp dir
 * (SVA_SYSFS_ROOT, SVA_DEV_ROOT). A WQ node that is a page-sized regular
 * file is a "fake portal" the driver maps and writes descriptors into; an
 * empty one receives them through the write() path. The descriptors the
 * driver produced are checked field by field against the DSA layout
 * (dsa_hw.h); the test then plays the device, writing the completion
 * records, and checks what reaping returns. Only public and library
 * headers and the suite's own helpers (test_idxd_tree.h) are used.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>

#include "dsa_hw.h"
#include "test.h"
#include "test_idxd_tree.h"

#define IDXD_DEV "sva_idxd0"

/*
 * wq0.0 app1_d   user dedicated enabled, portal file
 * wq0.1 app1_s   user shared    enabled, portal file
 * wq0.2 app1_off user dedicated disabled
 * wq0.3 app1_k   kernel         enabled
 * wq0.4 app1_nn  user dedicated enabled, no /dev node
 * wq0.5 other    user dedicated enabled, portal file
 * wq1.0 enc_w    user dedicated enabled, empty node (write() sink)
 */
static int
tree_build(void)
{
	const enum test_idxd_node P = TEST_IDXD_NODE_PORTAL;
	int ret = test_idxd_tree_create("dsa0");

	if (ret != 0)
		return ret;
	if (test_idxd_add_wq("wq0.0", "user", "app1_d", "enabled", "dedicated", P) ||
	    test_idxd_add_wq("wq0.1", "user", "app1_s", "enabled", "shared", P) ||
	    test_idxd_add_wq("wq0.2", "user", "app1_off", "disabled", "dedicated", P) ||
	    test_idxd_add_wq("wq0.3", "kernel", "app1_k", "enabled", "dedicated", P) ||
	    test_idxd_add_wq("wq0.4", "user", "app1_nn", "enabled", "dedicated",
			     TEST_IDXD_NODE_NONE) ||
	    test_idxd_add_wq("wq0.5", "user", "other", "enabled", "dedicated", P) ||
	    test_idxd_add_wq("wq1.0", "user", "enc_w", "enabled", "dedicated",
			     TEST_IDXD_NODE_WRITE))
		return -EIO;
	return 0;
}

static int
probe(const char *args)
{
	return rte_vdev_init(IDXD_DEV, args);
}

/* ------------------------------------------------------------- discovery */

static int
t_discover(void)
{
	struct rte_sva_queue_conf qc = { .nb_desc = 64, .socket_id = SOCKET_ID_ANY };
	struct rte_sva_conf conf = { .nb_queues = 3 };
	struct rte_sva_info info;
	int16_t id;

	TEST_ASSERT_EQ(probe("wq_prefix=app1"), 0, "dedicated + shared found");
	id = rte_sva_get_dev_id_by_name(IDXD_DEV);
	TEST_ASSERT(id >= 0, "device registered");
	TEST_ASSERT_EQ(rte_sva_info_get(id, &info), 0, "info");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_DEDICATED_QUEUE, "dedicated");
	TEST_ASSERT(info.dev_capa & RTE_SVA_CAPA_SHARED_QUEUE, "shared");
	TEST_ASSERT(!(info.dev_capa & RTE_SVA_CAPA_SOFTWARE), "hardware");
	TEST_ASSERT_EQ(info.max_wqs, 1, "one shared WQ");
	TEST_ASSERT_EQ(info.max_xfer_size, 2097152, "from max_transfer_size");
	TEST_ASSERT_EQ(info.pasid_bits, 20, "PASID width");
	/* Exactly one dedicated WQ was claimed: a second dedicated queue
	 * finds none (wq0.2 disabled, wq0.3 kernel, wq0.4 no node, wq0.5
	 * another prefix); any number of queues share the shared WQ. */
	TEST_ASSERT_EQ(rte_sva_configure(id, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_sva_queue_setup(id, 0, &qc), 0, "dedicated queue");
	TEST_ASSERT(rte_sva_queue_setup(id, 1, &qc) < 0, "no 2nd dedicated WQ");
	qc.mode = RTE_SVA_QUEUE_SHARED;
	TEST_ASSERT_EQ(rte_sva_queue_setup(id, 1, &qc), 0, "shared queue 1");
	TEST_ASSERT_EQ(rte_sva_queue_setup(id, 2, &qc), 0, "shared queue 2");
	qc.wq_id = 1;
	TEST_ASSERT(rte_sva_queue_setup(id, 2, &qc) < 0, "no 2nd shared WQ");
	TEST_ASSERT_EQ(rte_vdev_uninit(IDXD_DEV), 0, "uninit");
	TEST_ASSERT_EQ(probe("wq_prefix=other"), 0, "prefix selects wq0.5");
	TEST_ASSERT_EQ(rte_vdev_uninit(IDXD_DEV), 0, "uninit");
	return TEST_OK;
}

static int
t_not_found(void)
{
	char p[256];

	TEST_ASSERT(probe("wq_prefix=app1_off") < 0, "disabled WQ not claimed");
	TEST_ASSERT(probe("wq_prefix=app1_k") < 0, "kernel WQ ignored");
	TEST_ASSERT(probe("wq_prefix=app1_nn") < 0, "WQ without /dev node");
	TEST_ASSERT(probe("wq_prefix=nomatch") < 0, "no WQ with the prefix");
	TEST_ASSERT(rte_sva_get_dev_id_by_name(IDXD_DEV) < 0, "nothing left");
	snprintf(p, sizeof(p), "%s/empty", test_idxd_root);
	setenv("SVA_SYSFS_ROOT", p, 1);
	TEST_ASSERT(probe("wq_prefix=app1") < 0, "no idxd driver loaded");
	snprintf(p, sizeof(p), "%s/sys", test_idxd_root);
	setenv("SVA_SYSFS_ROOT", p, 1);
	snprintf(p, sizeof(p), "%s/empty", test_idxd_root);
	setenv("SVA_DEV_ROOT", p, 1);
	TEST_ASSERT(probe("wq_prefix=app1") < 0, "no /dev/dsa nodes");
	snprintf(p, sizeof(p), "%s/dev", test_idxd_root);
	setenv("SVA_DEV_ROOT", p, 1);
	if (geteuid() != 0) {
		snprintf(p, sizeof(p), "%s/dev/dsa/wq0.5", test_idxd_root);
		chmod(p, 0);
		TEST_ASSERT(probe("wq_prefix=other") < 0, "permission denied");
		chmod(p, 0600);
	}
	return TEST_OK;
}

static int
t_bad_devargs(void)
{
	/* Each refused with -EINVAL and a log line naming the device, the
	 * key and the reason (the devargs style of every driver). */
	static const struct { const char *args, *log; } bad[] = {
		{ "wq_prefix=app1,bogus=1", IDXD_DEV ": devarg bogus: unknown key" },
		{ "wq_prefix=app1,submit=never",
		  IDXD_DEV ": devarg submit=never: not one of the choices" },
		{ "wq_prefix=app1,queues=0", IDXD_DEV ": devarg queues=0: out of range" },
		{ "wq_prefix=app1,queues=65", IDXD_DEV ": devarg queues=65: out of range" },
		{ "wq_prefix=", IDXD_DEV ": devarg wq_prefix=: no value" },
		{ "wq_prefix=app1,submit=", IDXD_DEV ": devarg submit=: no value" },
		{ "wq_prefix=app1,queues=2,queues=2",
		  IDXD_DEV ": devarg queues: given more than once" },
		{ "wq_prefix=app1,=1", IDXD_DEV ": cannot parse devargs" },
	};

	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		const char *log;
		int ret;

		test_log_start();
		ret = probe(bad[i].args);
		log = test_log_stop();
		TEST_ASSERT_EQ(ret, -EINVAL, "devargs \"%s\" refused", bad[i].args);
		TEST_ASSERT(strstr(log, bad[i].log) != NULL,
			    "devargs \"%s\": no log line with '%s' (log: '%s')",
			    bad[i].args, bad[i].log, log);
	}
	TEST_ASSERT_EQ(probe("wq_prefix=app1,submit=write,queues=2"), 0,
		       "good devargs");
	TEST_ASSERT_EQ(rte_vdev_uninit(IDXD_DEV), 0, "uninit");
	return TEST_OK;
}

/* ------------------------------------------------- portal and reaping */


static int
portal_body(int16_t id, uint32_t pasid)
{
	static uint8_t src[256], dst[256];
	struct dsa_desc *pd = test_idxd_portal_map("wq0.0"), *ps = test_idxd_portal_map("wq0.1");
	struct rte_sva_result res[4];
	uint16_t st[2];
	int r;

	TEST_ASSERT(pd != NULL && ps != NULL, "fake portals mapped");
	TEST_ASSERT_EQ(test_dev_setup(id, 1, 64), 0, "start (q0 dedicated)");
	/* Queue 0: the dedicated WQ's portal gets one MOVDIR64B-sized store. */
	r = rte_sva_copy(id, 0, pasid, src, dst, 256, RTE_SVA_OP_FLAG_SUBMIT);
	TEST_ASSERT_EQ(r, 0, "copy enqueued");
	TEST_ASSERT_EQ(dsa_desc_op(&pd[0]), DSA_OP_MEMMOVE, "opcode in portal");
	TEST_ASSERT_EQ(pd[0].src, (uintptr_t)src, "src");
	TEST_ASSERT_EQ(pd[0].dst, (uintptr_t)dst, "dst");
	TEST_ASSERT_EQ(pd[0].xfer_size, 256, "size");
	TEST_ASSERT_EQ(dsa_desc_flags(&pd[0]), DSA_FLAG_CRAV | DSA_FLAG_RCR,
		       "flags");
	TEST_ASSERT_EQ(pd[0].pasid_priv, 0, "PASID field left to the WQ");
	TEST_ASSERT_EQ(pd[0].cmpl_addr % 32, 0, "record aligned");
	TEST_ASSERT_EQ(rte_sva_completed(id, 0, 4, NULL, NULL), 0, "in flight");
	test_idxd_complete(&pd[0], DSA_ST_SUCCESS);
	TEST_ASSERT_EQ(rte_sva_completed(id, 0, 4, NULL, NULL), 1, "reaped");
	/* A PASID that is not the device's completes without submission. */
	r = rte_sva_fill(id, 0, 5, 0, dst, 8, RTE_SVA_OP_FLAG_SUBMIT);
	TEST_ASSERT(r >= 0, "fill enqueued");
	TEST_ASSERT_EQ(dsa_desc_op(&pd[1]), 0, "nothing reached the portal");
	TEST_ASSERT_EQ(rte_sva_completed_status(id, 0, 2, NULL, st), 1, "one");
	TEST_ASSERT_EQ(st[0], RTE_SVA_STATUS_INVALID_PASID, "status");
	rte_sva_stop(id);
	/* Queue 1 on the shared WQ: ENQCMD-sized stores cycle the portal. */
	{
		struct rte_sva_conf conf = { .nb_queues = 1 };
		struct rte_sva_queue_conf qc = {
			.nb_desc = 64, .mode = RTE_SVA_QUEUE_SHARED,
			.socket_id = SOCKET_ID_ANY,
		};

		TEST_ASSERT_EQ(rte_sva_configure(id, &conf), 0, "configure");
		TEST_ASSERT_EQ(rte_sva_queue_setup(id, 0, &qc), 0, "shared q");
		TEST_ASSERT_EQ(rte_sva_start(id), 0, "start");
	}
	TEST_ASSERT(rte_sva_fill(id, 0, pasid, 0x0102030405060708ull, dst, 64,
				 0) >= 0, "fill");
	TEST_ASSERT(rte_sva_compare(id, 0, pasid, src, dst, 64, 0) >= 0, "cmp");
	TEST_ASSERT_EQ(dsa_desc_op(&ps[0]), 0, "staged until the doorbell");
	TEST_ASSERT_EQ(rte_sva_submit(id, 0), 0, "doorbell");
	TEST_ASSERT_EQ(dsa_desc_op(&ps[0]), DSA_OP_MEMFILL, "slot 0");
	TEST_ASSERT_EQ(ps[0].src, 0x0102030405060708ull, "pattern");
	TEST_ASSERT_EQ(dsa_desc_op(&ps[1]), DSA_OP_COMPARE, "slot 1");
	TEST_ASSERT_EQ(dsa_desc_flags(&ps[1]), DSA_FLAG_CRAV | DSA_FLAG_RCR |
		       DSA_FLAGS_COMPARE, "compare flags");
	/* Out of order completion: reaped in order all the same. */
	test_idxd_complete(&ps[1], DSA_ST_SUCCESS_PRED);
	TEST_ASSERT_EQ(rte_sva_completed_results(id, 0, 4, NULL, res), 0,
		       "first still in flight");
	((struct dsa_cmpl *)(uintptr_t)ps[0].cmpl_addr)->fault_addr =
		(uintptr_t)dst + 4096;
	((struct dsa_cmpl *)(uintptr_t)ps[0].cmpl_addr)->bytes_completed = 4096;
	test_idxd_complete(&ps[0], DSA_ST_PAGE_FAULT_NOBOF | DSA_ST_WRITE);
	TEST_ASSERT_EQ(rte_sva_completed_results(id, 0, 4, NULL, res), 2, "both");
	TEST_ASSERT_EQ(res[0].status, RTE_SVA_STATUS_PAGE_FAULT, "partial");
	TEST_ASSERT_EQ(res[0].bytes_completed, 4096, "bytes completed");
	TEST_ASSERT_EQ(res[0].fault_addr, (uintptr_t)dst + 4096, "fault addr");
	TEST_ASSERT(res[0].flags & RTE_SVA_RESULT_F_WRITE, "write fault");
	TEST_ASSERT_EQ(res[1].status, RTE_SVA_STATUS_COMPARE_MISMATCH, "cmp");
	rte_sva_stop(id);
	munmap(pd, 4096);
	munmap(ps, 4096);
	return TEST_OK;
}

/* The kernel owns the PASID of our address space and does not disclose
 * it: bind says so, and another process's address space is refused. */
static int
kernel_pasid_checks(int cid, uint32_t pasid)
{
	struct rte_sva_bond_info bi;
	uint32_t again = 0, other = 0;
	pid_t kid;
	int ret;

	TEST_ASSERT_EQ(pasid, RTE_SVA_PASID_KERNEL, "bind reports the kernel's PASID");
	TEST_ASSERT_EQ(rte_sva_container_bonds(cid, &bi, 1), 1, "one bond");
	TEST_ASSERT(bi.kernel_pasid == 1 && bi.pasid == RTE_SVA_PASID_KERNEL && bi.self,
		    "kernel-owned: %u, PASID %u", bi.kernel_pasid, bi.pasid);
	TEST_ASSERT_EQ(rte_sva_bind(cid, 0, &again), 0, "bind again");
	TEST_ASSERT_EQ(again, RTE_SVA_PASID_KERNEL, "the same");
	TEST_ASSERT_EQ(rte_sva_unbind(cid, 0), 0, "drop the second reference");
	fflush(stdout);
	kid = test_fork();
	TEST_ASSERT(kid >= 0, "fork");
	if (kid == 0) {
		for (;;)
			pause();
	}
	ret = rte_sva_bind(cid, kid, &other);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	TEST_ASSERT_EQ(ret, -ENOTSUP, "another process's address space");
	return TEST_OK;
}

static int
t_portal(void)
{
	int16_t id;
	uint32_t pasid;
	int cid, ret;

	TEST_ASSERT_EQ(probe("wq_prefix=app1,submit=portal"), 0, "probe");
	id = rte_sva_get_dev_id_by_name(IDXD_DEV);
	cid = rte_sva_container_create();
	TEST_ASSERT(cid >= 0, "container");
	ret = rte_sva_container_add_dev(cid, id);
	if (ret == 0)
		ret = rte_sva_bind(cid, 0, &pasid);
	ret = ret == 0 ? kernel_pasid_checks(cid, pasid) : TEST_FAILED;
	ret = ret == 0 ? portal_body(id, pasid) : TEST_FAILED;
	rte_sva_container_destroy(cid);
	rte_vdev_uninit(IDXD_DEV);
	return ret;
}

/* ------------------------------------------------- descriptor encoding */

#define NB_ENC 7
#define ENC_LEN 4096

struct enc_bufs {
	uint8_t *src, *dst, *a, *b, *fdst, *cdst, *d1, *d2, *pat;
};

/* Enqueue the seven operations on (dev, qid), op k returning idx[k]. */
static int
enqueue_all(int16_t dev, uint32_t pasid, const struct enc_bufs *e,
	    uint64_t flags, int idx[NB_ENC])
{
	idx[0] = rte_sva_copy(dev, 0, pasid, e->src, e->dst, ENC_LEN, flags);
	idx[1] = rte_sva_fill(dev, 0, pasid, 0xa5a5a5a55a5a5a5aull, e->fdst,
			      1000, flags);
	idx[2] = rte_sva_compare(dev, 0, pasid, e->a, e->b, ENC_LEN, flags);
	idx[3] = rte_sva_compare_pattern(dev, 0, pasid, e->pat,
					 0x1122334455667788ull, 512, flags);
	idx[4] = rte_sva_crc32c(dev, 0, pasid, e->src, 0, ENC_LEN, flags);
	idx[5] = rte_sva_copy_crc32c(dev, 0, pasid, e->src, e->cdst, 0x1234,
				     ENC_LEN, flags);
	idx[6] = rte_sva_dualcast(dev, 0, pasid, e->src, e->d1, e->d2, ENC_LEN,
				  flags);
	for (int k = 0; k < NB_ENC; k++)
		TEST_ASSERT(idx[k] >= 0, "op %d enqueued: %d", k, idx[k]);
	return TEST_OK;
}

/* The descriptor DSA expects for each op of enqueue_all(), field by field
 * (flags: what every idxd op asks for; the PASID field stays 0, the kernel
 * or ENQCMD provides it). The sim's producer builds the same bytes: both
 * come from dsa_producer.h over the dsa_hw.h encoders. */
static int
check_descs(const struct dsa_desc *got, const struct enc_bufs *e)
{
	static const uint8_t op[NB_ENC] = {
		DSA_OP_MEMMOVE, DSA_OP_MEMFILL, DSA_OP_COMPARE, DSA_OP_COMPVAL,
		DSA_OP_CRCGEN, DSA_OP_COPY_CRC, DSA_OP_DUALCAST,
	};
	const uint64_t src[NB_ENC] = {
		(uintptr_t)e->src, 0xa5a5a5a55a5a5a5aull, (uintptr_t)e->a,
		(uintptr_t)e->pat, (uintptr_t)e->src, (uintptr_t)e->src,
		(uintptr_t)e->src,
	};
	const uint64_t dst[NB_ENC] = {
		(uintptr_t)e->dst, (uintptr_t)e->fdst, (uintptr_t)e->b,
		0x1122334455667788ull, 0, (uintptr_t)e->cdst, (uintptr_t)e->d1,
	};
	const uint32_t len[NB_ENC] = {
		ENC_LEN, 1000, ENC_LEN, 512, ENC_LEN, ENC_LEN, ENC_LEN,
	};

	for (int k = 0; k < NB_ENC; k++) {
		uint32_t f = dsa_desc_flags(&got[k]);

		TEST_ASSERT_EQ(dsa_desc_op(&got[k]), op[k], "op %d: opcode", k);
		TEST_ASSERT_EQ(got[k].pasid_priv, 0, "op %d: PASID field", k);
		TEST_ASSERT((f & (DSA_FLAG_CRAV | DSA_FLAG_RCR)) ==
			    (DSA_FLAG_CRAV | DSA_FLAG_RCR),
			    "op %d: asks for a record (flags 0x%x)", k, f);
		TEST_ASSERT_EQ(got[k].cmpl_addr % DSA_CMPL_ALIGN, 0, "op %d", k);
		TEST_ASSERT_EQ(got[k].src, src[k], "op %d: source", k);
		if (op[k] != DSA_OP_CRCGEN)
			TEST_ASSERT_EQ(got[k].dst, dst[k], "op %d: destination", k);
		TEST_ASSERT_EQ(got[k].xfer_size, len[k], "op %d: size", k);
		if (op[k] == DSA_OP_COMPARE || op[k] == DSA_OP_COMPVAL)
			TEST_ASSERT_EQ(f & DSA_FLAGS_COMPARE, DSA_FLAGS_COMPARE,
				       "op %d: result as status", k);
	}
	TEST_ASSERT_EQ(got[6].dst2, (uintptr_t)e->d2, "dualcast: 2nd destination");
	TEST_ASSERT_EQ(got[4].crc_seed, 0, "crc seed");
	TEST_ASSERT_EQ(got[5].crc_seed, 0x1234, "copy crc seed");
	return TEST_OK;
}

static int
encode_body(int16_t idxd, uint32_t kpasid, struct enc_bufs *e)
{
	struct dsa_desc got[NB_ENC];
	struct rte_sva_result res[NB_ENC];
	int iidx[NB_ENC];
	char path[256];
	int fd;

	TEST_ASSERT_EQ(test_dev_setup(idxd, 1, 64), 0, "idxd start");
	/* idxd: each op goes through write() into the sink file. */
	TEST_RUN(enqueue_all(idxd, kpasid, e, RTE_SVA_OP_FLAG_SUBMIT, iidx));
	snprintf(path, sizeof(path), "%s/dev/dsa/wq1.0", test_idxd_root);
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "sink");
	TEST_ASSERT_EQ(pread(fd, got, sizeof(got), 0), (long)sizeof(got),
		       "64 bytes written per descriptor");
	close(fd);
	TEST_RUN(check_descs(got, e));

	/* Play the device: the records a DSA would write, then what the
	 * driver makes of them. */
	for (int k = 0; k < NB_ENC; k++) {
		struct dsa_cmpl *c = (struct dsa_cmpl *)(uintptr_t)got[k].cmpl_addr;

		if (k == 2) {           /* compare: differs at byte 777 */
			c->result = 1;
			c->bytes_completed = 777;
		} else if (k == 4 || k == 5) {
			c->crc_val = 0xc0ffee00u + (uint32_t)k;
		}
		test_idxd_complete(&got[k], k == 2 ? DSA_ST_SUCCESS_PRED :
				   DSA_ST_SUCCESS);
	}
	TEST_ASSERT_EQ(test_wait_results(idxd, 0, NB_ENC, res), 0, "results");
	for (int k = 0; k < NB_ENC; k++)
		if (k != 2)
			TEST_ASSERT_EQ(res[k].status, RTE_SVA_STATUS_SUCCESS,
				       "op %d", k);
	TEST_ASSERT_EQ(res[2].status, RTE_SVA_STATUS_COMPARE_MISMATCH, "cmp");
	TEST_ASSERT_EQ(res[2].bytes_completed, 777, "first difference");
	TEST_ASSERT_EQ(res[4].crc, 0xc0ffee04u, "crc");
	TEST_ASSERT_EQ(res[5].crc, 0xc0ffee05u, "copy crc");
	return TEST_OK;
}

static int
t_encode(void)
{
	struct enc_bufs e;
	uint8_t *mem = aligned_alloc(4096, 9 * 2 * ENC_LEN);
	uint32_t kpasid;
	int16_t idxd;
	int kcid = -1, ret;

	TEST_ASSERT(mem != NULL, "buffers");
	memset(mem, 0, 9 * 2 * ENC_LEN);
	e = (struct enc_bufs){ mem, mem + 2 * ENC_LEN, mem + 4 * ENC_LEN,
		mem + 6 * ENC_LEN, mem + 8 * ENC_LEN, mem + 10 * ENC_LEN,
		mem + 12 * ENC_LEN, mem + 14 * ENC_LEN, mem + 16 * ENC_LEN };
	ret = probe("wq_prefix=enc_w");
	idxd = rte_sva_get_dev_id_by_name(IDXD_DEV);
	/* Our own address space, with the PASID the kernel owns. */
	if (ret == 0 && (kcid = rte_sva_container_create()) >= 0 &&
	    rte_sva_container_add_dev(kcid, idxd) == 0 &&
	    rte_sva_bind(kcid, 0, &kpasid) == 0 && kpasid == RTE_SVA_PASID_KERNEL)
		ret = encode_body(idxd, kpasid, &e);
	else
		ret = TEST_FAILED;
	if (idxd >= 0)
		rte_sva_stop(idxd);
	if (kcid >= 0)
		rte_sva_container_destroy(kcid);
	rte_vdev_uninit(IDXD_DEV);
	free(mem);
	return ret;
}

/* ------------------------------------------------------------------ suite */

static int
t_setup(void)
{
	TEST_ASSERT_EQ(tree_build(), 0, "fake sysfs and /dev trees in %s", test_idxd_root);
	return TEST_OK;
}

static int
t_teardown(void)
{
	test_idxd_tree_remove();
	return TEST_OK;
}

static const struct test_case idxd_cases[] = {
	{ "idxd_fake_tree", t_setup },
	{ "idxd_discover_dedicated_and_shared", t_discover },
	{ "idxd_probe_fails_clearly", t_not_found },
	{ "idxd_bad_devargs", t_bad_devargs },
	{ "idxd_fake_portal_and_reaping", t_portal },
	{ "idxd_encoding", t_encode },
	{ "idxd_cleanup", t_teardown },
};

const struct test_suite suite_idxd = {
	.name = "idxd",
	.cases = idxd_cases,
	.nb_cases = RTE_DIM(idxd_cases),
};
