/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The kernel-IOMMU backends (drivers/sva/iommufd) against the kernel test
 * double: the iommufd bind -> IOAS -> fault queue -> hwpt -> PASID attach
 * sequence, its error paths, fault records and responses, and backend
 * probing (the seeds' VFIO ioctls and fault ring: test_iommufd_seeds.c). One test uses the real
 * kernel of this machine. */

#define ALLOW_INTERNAL_API 1

#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_sva_pmd.h>
#include <sw_iommu.h>

#include "../../drivers/sva/iommufd/sva_iommufd.h"
#include "kdouble/sva_kdouble.h"
#include "test.h"
#include "test_iommufd.h"

#define BDF "0000:00:04.0"

struct sva_kdouble kd;
static struct sva_iommufd ctx;
static char tmproot[64];

/* A fake sysfs with BDF's vfio-dev/vfio3 and a dev root, through the
 * SVA_SYSFS_ROOT / SVA_DEV_ROOT overrides. */
static int
fake_roots(bool with_cdev)
{
	char p[256];

	snprintf(tmproot, sizeof(tmproot), "/tmp/sva_iommufd_XXXXXX");
	TEST_ASSERT(mkdtemp(tmproot) != NULL, "mkdtemp");
	snprintf(p, sizeof(p), "mkdir -p %s/sys/bus/pci/devices/%s%s %s/dev",
		 tmproot, BDF, with_cdev ? "/vfio-dev/vfio3" : "", tmproot);
	TEST_ASSERT_EQ(system(p), 0, "%s", p);
	snprintf(p, sizeof(p), "%s/sys", tmproot);
	setenv("SVA_SYSFS_ROOT", p, 1);
	snprintf(p, sizeof(p), "%s/dev", tmproot);
	setenv("SVA_DEV_ROOT", p, 1);
	return TEST_OK;
}

static void
unfake_roots(void)
{
	char p[128];

	snprintf(p, sizeof(p), "rm -rf %s", tmproot);
	if (system(p) != 0)
		printf("    cannot remove %s\n", tmproot);
	unsetenv("SVA_SYSFS_ROOT");
	unsetenv("SVA_DEV_ROOT");
}

/* Run body with a fresh double (tweaked by setup) installed. */
int
with_double(void (*setup)(struct sva_kdouble *), bool cdev, int (*body)(void))
{
	int r;

	sva_kdouble_init(&kd);
	if (setup != NULL)
		setup(&kd);
	r = fake_roots(cdev);
	if (r != TEST_OK)
		return r;
	sva_kdouble_install(&kd);
	r = body();
	sva_iommufd_close(&ctx);
	sva_kdouble_install(NULL);
	unfake_roots();
	if (r == TEST_OK && kd.open_fds != 0) {
		printf("    FAIL: %d fds left open\n", kd.open_fds);
		r = TEST_FAILED;
	}
	return r;
}

/* ---------------------------------------------------------- sequence */
static int
body_sequence(void)
{
	static const unsigned long seq[] = {
		SVA_VFIO_DEVICE_BIND_IOMMUFD, SVA_IOMMU_IOAS_ALLOC,
		SVA_IOMMU_GET_HW_INFO, SVA_IOMMU_FAULT_QUEUE_ALLOC,
		SVA_IOMMU_HWPT_ALLOC, SVA_VFIO_DEVICE_ATTACH_PT,
	};
	int at = 0;

	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	TEST_ASSERT(strstr(ctx.cdev, "/vfio/devices/vfio3") != NULL, "%s", ctx.cdev);
	TEST_ASSERT_EQ(ctx.dev_id, kd.dev_id, "dev id");
	TEST_ASSERT_EQ(ctx.ioas_id, kd.ioas_id, "ioas");
	TEST_ASSERT_EQ(ctx.fault_id, kd.fault_id, "fault");
	TEST_ASSERT_EQ(ctx.fault_fd, SVA_KD_FD_FAULT, "fault fd");
	TEST_ASSERT_EQ(ctx.hwpt_id, kd.hwpt_id, "hwpt");
	TEST_ASSERT(kd.hwpt_pasid && kd.hwpt_fault, "hwpt flags");
	TEST_ASSERT_EQ(ctx.max_pasid_log2, 20, "PASID width");
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, 5), 0, "%s", ctx.err);
	for (unsigned int i = 0; i < RTE_DIM(seq); i++) {
		at = sva_kdouble_find_call(&kd, seq[i], (unsigned int)at);
		TEST_ASSERT(at >= 0, "call %u (0x%lx) missing or out of order", i, seq[i]);
		TEST_ASSERT_EQ(kd.calls[at].err, 0, "call %u failed", i);
	}
	TEST_ASSERT_EQ(kd.calls[0].fd, SVA_KD_FD_CDEV, "bind on the cdev");
	TEST_ASSERT_EQ(kd.nb_attached, 1, "attached");
	TEST_ASSERT_EQ(kd.attached[0], 5, "pasid");
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, 5), -EEXIST, "twice");
	TEST_ASSERT_EQ(sva_iommufd_pasid_detach(&ctx, 5), 0, "%s", ctx.err);
	TEST_ASSERT_EQ(kd.nb_attached, 0, "detached");
	TEST_ASSERT_EQ(sva_iommufd_pasid_detach(&ctx, 5), -ENOENT, "detach twice");

	struct rte_sva_capability cap;
	sva_iommufd_capability(&ctx, &cap);
	TEST_ASSERT(cap.flags & RTE_SVA_IOMMU_CAP_PAGE_REQUEST, "page requests");
	TEST_ASSERT_EQ(cap.pasid_bits, 20, "bits");
	sva_iommufd_close(&ctx);
	TEST_ASSERT_EQ(kd.open_fds, 0, "fds closed");
	TEST_ASSERT_EQ(kd.ioas_id | kd.hwpt_id | kd.fault_id, 0, "objects destroyed");
	return TEST_OK;
}

static int
test_sequence(void)
{
	return with_double(NULL, true, body_sequence);
}

/* --------------------------------------------------------- error paths */
static int
expect_open_fails(int err, const char *msg)
{
	int r = sva_iommufd_open(&ctx, BDF);

	TEST_ASSERT_EQ(r, -err, "open: %s", ctx.err);
	TEST_ASSERT(strstr(ctx.err, msg) != NULL, "message '%s' lacks '%s'", ctx.err, msg);
	return TEST_OK;
}

static void k606(struct sva_kdouble *k) { k->kver = 606; }
static void k611(struct sva_kdouble *k) { k->kver = 611; }
static void k510(struct sva_kdouble *k) { k->kver = 510; }
static void nopasid(struct sva_kdouble *k) { k->dev_pasid = false; }
static void nopri(struct sva_kdouble *k) { k->dev_pri = false; }
static void noiommufd(struct sva_kdouble *k) { k->has_iommufd = false; }

static int body_old_606(void) { return expect_open_fails(ENOTSUP, SVA_MSG_OLD_KERNEL); }
static int body_old_611(void) { return expect_open_fails(ENOTSUP, SVA_MSG_OLD_KERNEL); }
static int body_old_510(void) { return expect_open_fails(ENOTTY, "needs 6.6"); }
static int body_nopasid(void) { return expect_open_fails(ENOTSUP, SVA_MSG_NO_PASID); }
static int body_noiommufd(void) { return expect_open_fails(ENOENT, SVA_MSG_NO_IOMMUFD); }
static int body_nocdev(void) { return expect_open_fails(ENODEV, "CONFIG_VFIO_DEVICE_CDEV"); }
static int
body_badbdf(void)
{
	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, "00:04"), -EINVAL, "bad bdf");
	TEST_ASSERT(strstr(ctx.err, "bad PCI address") != NULL, "%s", ctx.err);
	return TEST_OK;
}

/* PASID but no PRI: the kernel takes the PASID attach of the fault hwpt
 * (Linux 7.2.13 did even on edu, with no PASID either); page requests just
 * never come. */
static int
body_nopri(void)
{
	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, 3), 0, "attach: %s", ctx.err);
	TEST_ASSERT(kd.nb_attached == 1 && kd.attached[0] == 3, "not attached");
	return TEST_OK;
}

static int
body_badpasid(void)
{
	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, 1u << 20), -EINVAL, "too wide");
	return TEST_OK;
}

static int
test_errors(void)
{
	TEST_RUN(with_double(k606, true, body_old_606));
	TEST_RUN(with_double(k611, true, body_old_611));
	TEST_RUN(with_double(k510, true, body_old_510));
	TEST_RUN(with_double(nopasid, true, body_nopasid));
	TEST_RUN(with_double(nopri, true, body_nopri));
	TEST_RUN(with_double(noiommufd, true, body_noiommufd));
	TEST_RUN(with_double(NULL, false, body_nocdev));
	TEST_RUN(with_double(NULL, true, body_badbdf));
	TEST_RUN(with_double(NULL, true, body_badpasid));
	return TEST_OK;
}

/* The double itself applies the kernel's argument checks. */
static int
body_argchecks(void)
{
	struct sva_iommufd_hwpt_alloc ha = { .size = 24 };
	struct sva_vfio_attach_pt at = { .argsz = 8 };
	struct sva_vfio_bind_iommufd b = { .argsz = sizeof(b), .flags = 2,
					   .iommufd = SVA_KD_FD_IOMMU };
	struct sva_iommufd_ioas_alloc ia = { .size = sizeof(ia), .flags = 1 };
	uint8_t big[64] = { 0 };

	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	errno = 0;
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_HWPT_ALLOC, &ha), -1, "");
	TEST_ASSERT_EQ(errno, EINVAL, "size below minimum");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_ATTACH_PT, &at), -1, "");
	TEST_ASSERT_EQ(errno, EINVAL, "argsz below minsz");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_BIND_IOMMUFD, &b), -1, "");
	TEST_ASSERT_EQ(errno, EINVAL, "VFIO unknown flag");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_IOAS_ALLOC, &ia), -1, "");
	TEST_ASSERT_EQ(errno, EOPNOTSUPP, "iommufd unknown flag");
	*(uint32_t *)big = sizeof(big);
	big[60] = 1;
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_IOAS_ALLOC, big), -1, "");
	TEST_ASSERT_EQ(errno, E2BIG, "non-zero trailing bytes");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_CDEV, SVA_IOMMU_IOAS_ALLOC, &ia), -1, "");
	TEST_ASSERT_EQ(errno, ENOTTY, "iommufd ioctl on a VFIO fd");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_IOMMU, SVA_VFIO_DEVICE_ATTACH_PT, &at), -1, "");
	TEST_ASSERT_EQ(errno, ENOTTY, "VFIO ioctl on the iommufd");
	TEST_ASSERT_EQ(sva_kdouble_kops()->ioctl(SVA_KD_FD_FAULT, SVA_IOMMU_IOAS_ALLOC, &ia), -1, "");
	TEST_ASSERT_EQ(errno, ENOTTY, "ioctl on the fault fd");
	TEST_ASSERT_EQ(kd.calls[kd.nb_calls - 1].err, ENOTTY, "recorded");
	return TEST_OK;
}

static int
test_argchecks(void)
{
	return with_double(NULL, true, body_argchecks);
}

/* ------------------------------------------------------ fault records */
static int
test_convert(void)
{
	struct sva_iommufd_pgfault in = {
		.flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		.dev_id = 9, .pasid = 0x1234, .grpid = 0x1ff,
		.perm = SVA_PGFAULT_PERM_READ | SVA_PGFAULT_PERM_WRITE |
			SVA_PGFAULT_PERM_EXEC | SVA_PGFAULT_PERM_PRIV,
		.addr = 0x7f0012345000ull, .length = 8192, .cookie = 0xabcdef,
	};
	struct rte_sva_fault f;

	sva_iommufd_fault_convert(&in, 3, &f);
	TEST_ASSERT_EQ(f.type, RTE_SVA_FAULT_PAGE_REQ, "type");
	TEST_ASSERT_EQ(f.flags, RTE_SVA_FAULT_F_PASID_VALID | RTE_SVA_FAULT_F_LAST_PAGE,
		       "flags");
	TEST_ASSERT_EQ(f.pasid, 0x1234, "pasid");
	TEST_ASSERT_EQ(f.grpid, 0x1ff, "grpid");
	TEST_ASSERT_EQ(f.perm, RTE_SVA_PERM_READ | RTE_SVA_PERM_WRITE |
		       RTE_SVA_PERM_EXEC | RTE_SVA_PERM_PRIV, "perm");
	TEST_ASSERT_EQ(f.reason, 0, "reason");
	TEST_ASSERT_EQ(f.addr, 0x7f0012345000ull, "addr");
	TEST_ASSERT_EQ(f.cookie, 0xabcdef, "cookie");
	TEST_ASSERT_EQ(f.dev_id, 3, "dev_id");
	TEST_ASSERT(f.tsc != 0, "tsc");
	in.flags = 0;
	in.perm = SVA_PGFAULT_PERM_READ;
	sva_iommufd_fault_convert(&in, 3, &f);
	TEST_ASSERT_EQ(f.flags, 0, "no flags");
	TEST_ASSERT_EQ(f.perm, RTE_SVA_PERM_READ, "read only");
	return TEST_OK;
}

/* End to end: records read from the fault fd -> the library's fault queue
 * -> a fault handler -> page_response op -> IOAS map + {cookie, code}. */
static int
page_resp_op(struct rte_sva_dev *dev, const struct rte_sva_page_response *r)
{
	RTE_SET_USED(dev);
	return sva_iommufd_page_response(&ctx, r);
}

static int
page_resp_burst_op(struct rte_sva_dev *dev, const struct rte_sva_page_response *r,
		   uint16_t n)
{
	return sva_iommufd_page_response_burst(&ctx, dev, r, n);
}

/* Write calls to the fault fd recorded by the double since call index from. */
static unsigned int
fault_writes_since(unsigned int from)
{
	unsigned int n = 0;

	for (unsigned int i = from; i < kd.nb_calls; i++)
		n += kd.calls[i].fd == SVA_KD_FD_FAULT && kd.calls[i].req == 1;
	return n;
}

static int
dev_close_op(struct rte_sva_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

/* A device with only the IOMMU side (also used by test_iommufd_seeds.c). */
const struct rte_sva_dev_ops fault_ops = {
	.dev_close = dev_close_op,
	.page_response = page_resp_op,
	.page_response_burst = page_resp_burst_op,
};

static uint64_t handler_bad;

static int
handler(const struct rte_sva_fault *f, void *arg)
{
	RTE_SET_USED(arg);
	return f->addr == handler_bad ? RTE_SVA_PAGE_RESP_INVALID :
		RTE_SVA_PAGE_RESP_SUCCESS;
}

static int
body_faults(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *buf = aligned_alloc((size_t)pg, 8 * (size_t)pg);
	uint64_t b = (uint64_t)(uintptr_t)buf;
	struct rte_sva_dev *dev;
	int r = TEST_FAILED;

	TEST_ASSERT(buf != NULL, "alloc");
	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, tenv.pasid), 0, "%s", ctx.err);
	dev = rte_sva_pmd_allocate("iommufd_test0", SOCKET_ID_ANY, 64);
	TEST_ASSERT(dev != NULL, "allocate");
	dev->dev_ops = &fault_ops;
	dev->backend = &sw_iommu_backend;   /* the fixture's PASID, resolved here */
	if (rte_sva_pmd_fault_queue_create(dev, 64) != 0)
		goto out;
	rte_sva_pmd_probing_finish(dev);
	if (rte_sva_fault_handler_register(b, 8 * (uint64_t)pg, handler, NULL) != 0)
		goto out;
	handler_bad = b + 5 * (uint64_t)pg;

	/* group 1: two pages (read, then write, last) -> SUCCESS, mapped;
	 * group 2: one page the handler refuses -> INVALID, not mapped;
	 * group 3: one page the IOAS cannot map -> INVALID. */
	struct sva_iommufd_pgfault recs[] = {
		{ .flags = SVA_PGFAULT_F_PASID_VALID, .pasid = tenv.pasid, .grpid = 1,
		  .perm = SVA_PGFAULT_PERM_READ, .addr = b, .cookie = 100 },
		{ .flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		  .pasid = tenv.pasid, .grpid = 1, .perm = SVA_PGFAULT_PERM_WRITE,
		  .addr = b + (uint64_t)pg + 100, .cookie = 100 },
		{ .flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		  .pasid = tenv.pasid, .grpid = 2, .perm = SVA_PGFAULT_PERM_READ,
		  .addr = handler_bad, .cookie = 101 },
		{ .flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		  .pasid = tenv.pasid, .grpid = 3, .perm = SVA_PGFAULT_PERM_READ,
		  .addr = b + 6 * (uint64_t)pg, .cookie = 102 },
	};
	kd.bad_va = b + 6 * (uint64_t)pg;
	for (unsigned int i = 0; i < RTE_DIM(recs); i++)
		sva_kdouble_raise(&kd, &recs[i]);
	if (sva_iommufd_fault_poll(&ctx, dev, 64) != 4) {
		printf("    FAIL: poll\n");
		goto out;
	}
	unsigned int calls_before = kd.nb_calls;

	if (rte_sva_fault_process(dev->dev_id, 64) != 4) {
		printf("    FAIL: process\n");
		goto out;
	}
	/* The three groups of one burst: one write() of three responses. */
	if (fault_writes_since(calls_before) != 1) {
		printf("    FAIL: %u writes for one burst of responses\n",
		       fault_writes_since(calls_before));
		goto out;
	}
	if (kd.nb_resp != 3 || kd.resp[0].cookie != 100 ||
	    kd.resp[0].code != SVA_IOMMUFD_RESP_SUCCESS ||
	    kd.resp[1].cookie != 101 || kd.resp[1].code != SVA_IOMMUFD_RESP_INVALID ||
	    kd.resp[2].cookie != 102 || kd.resp[2].code != SVA_IOMMUFD_RESP_INVALID) {
		printf("    FAIL: responses (%u)\n", kd.nb_resp);
		goto out;
	}
	/* IOVA == VA, one page each, write permission where asked. */
	if (kd.nb_maps != 2 || kd.maps[0].va != b || kd.maps[0].iova != b ||
	    kd.maps[0].len != (uint64_t)pg ||
	    kd.maps[0].flags != (SVA_IOAS_MAP_FIXED_IOVA | SVA_IOAS_MAP_READABLE) ||
	    kd.maps[1].iova != b + (uint64_t)pg ||
	    !(kd.maps[1].flags & SVA_IOAS_MAP_WRITEABLE)) {
		printf("    FAIL: maps (%u)\n", kd.nb_maps);
		goto out;
	}
	/* A write fault on a page mapped read-only replaces the mapping. */
	if (sva_iommufd_map(&ctx, b, 1, true) != 0 || kd.nb_maps != 2 ||
	    !(kd.maps[0].flags & SVA_IOAS_MAP_WRITEABLE) ||
	    !(kd.maps[1].flags & SVA_IOAS_MAP_WRITEABLE)) {
		printf("    FAIL: remap RW\n");
		goto out;
	}
	/* A response nobody asked for is refused by the kernel. */
	struct rte_sva_page_response stale = { .pasid = tenv.pasid, .grpid = 7, .cookie = 999 };
	if (sva_iommufd_page_response(&ctx, &stale) != -EINVAL) {
		printf("    FAIL: stale response accepted\n");
		goto out;
	}
	/* A burst with a stale response between two good ones: the kernel
	 * takes the first, refuses the stale one, then takes the last. */
	struct sva_iommufd_pgfault more[] = {
		{ .flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		  .pasid = tenv.pasid, .grpid = 4, .perm = SVA_PGFAULT_PERM_READ,
		  .addr = b + 2 * (uint64_t)pg, .cookie = 200 },
		{ .flags = SVA_PGFAULT_F_PASID_VALID | SVA_PGFAULT_F_LAST_PAGE,
		  .pasid = tenv.pasid, .grpid = 5, .perm = SVA_PGFAULT_PERM_READ,
		  .addr = b + 3 * (uint64_t)pg, .cookie = 201 },
	};
	struct rte_sva_page_response burst[] = {
		{ .pasid = tenv.pasid, .grpid = 4, .cookie = 200, .code = RTE_SVA_PAGE_RESP_SUCCESS },
		{ .pasid = tenv.pasid, .grpid = 7, .cookie = 999, .code = RTE_SVA_PAGE_RESP_SUCCESS },
		{ .pasid = tenv.pasid, .grpid = 5, .cookie = 201, .code = RTE_SVA_PAGE_RESP_INVALID },
	};
	unsigned int resp_before = kd.nb_resp;

	for (unsigned int i = 0; i < RTE_DIM(more); i++)
		sva_kdouble_raise(&kd, &more[i]);
	if (sva_iommufd_fault_poll(&ctx, dev, 64) != 2 ||
	    rte_sva_fault_stats_reset(dev->dev_id) != 0 ||
	    sva_iommufd_page_response_burst(&ctx, dev, burst, RTE_DIM(burst)) != 3 ||
	    kd.nb_resp != resp_before + 2 ||
	    kd.resp[resp_before].cookie != 200 ||
	    kd.resp[resp_before].code != SVA_IOMMUFD_RESP_SUCCESS ||
	    kd.resp[resp_before + 1].cookie != 201 ||
	    kd.resp[resp_before + 1].code != SVA_IOMMUFD_RESP_INVALID) {
		printf("    FAIL: burst with a stale response (%u taken)\n",
		       kd.nb_resp - resp_before);
		goto out;
	}
	{
		struct rte_sva_fault_stats fst;

		if (rte_sva_fault_stats_get(dev->dev_id, &fst) != 0 ||
		    fst.stale_responses != 1) {
			printf("    FAIL: the refused response was not counted stale\n");
			goto out;
		}
	}
	r = TEST_OK;
out:
	rte_sva_fault_handler_unregister(b);
	rte_sva_pmd_release(dev);
	free(buf);
	return r;
}

static int
test_faults(void)
{
	return with_double(NULL, true, body_faults);
}

/* A group larger than the read buffer (the kernel reads whole groups
 * only; 7.2 fails a read that cannot take the first group EINVAL): the
 * buffer grows and the group is read whole. Only the double can raise a
 * multi-record group (the mock's TRIGGER_IOPF always sets LAST_PAGE). */
static int
body_big_group(void)
{
	struct sva_iommufd_counters c;
	struct rte_sva_dev *dev;
	int r = TEST_FAILED, n;

	TEST_ASSERT_EQ(sva_iommufd_open(&ctx, BDF), 0, "%s", ctx.err);
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&ctx, tenv.pasid), 0, "%s", ctx.err);
	dev = sva_iommufd_dev_create(&ctx, "iommufd_test2", 256);
	TEST_ASSERT(dev != NULL, "device");
	for (uint32_t i = 0; i < 100; i++) {
		struct sva_iommufd_pgfault f = {
			.flags = SVA_PGFAULT_F_PASID_VALID | (i == 99 ? SVA_PGFAULT_F_LAST_PAGE : 0),
			.pasid = tenv.pasid, .grpid = 4, .perm = SVA_PGFAULT_PERM_READ,
			.addr = 0x40000000ull + i * 4096,
		};
		if (sva_kdouble_raise(&kd, &f) != 0)
			goto out;
	}
	n = sva_iommufd_fault_poll(&ctx, dev, 256);
	sva_iommufd_counters_get(&ctx, &c);
	if (n != 100 || c.buf_grows != 1 || c.groups != 1 || c.reads != 1) {
		printf("    FAIL: poll %d, grows %" PRIu64 ", groups %" PRIu64 "\n",
		       n, c.buf_grows, c.groups);
		goto out;
	}
	r = TEST_OK;
out:
	rte_sva_pmd_release(dev);
	return r;
}

static int
test_big_group(void)
{
	return with_double(NULL, true, body_big_group);
}

/* ------------------------------------------------------------ probing */
static int
body_probe_iommufd(void)
{
	char why[512];

	TEST_ASSERT_EQ(sva_kbackend_probe(BDF, SVA_KD_FD_CONTAINER, why, sizeof(why)),
		       SVA_KBACKEND_IOMMUFD, "%s", why);
	TEST_ASSERT_EQ(kd.nb_attached, 0, "probe attach undone");
	return TEST_OK;
}

static int
body_probe_seeds(void)
{
	char why[512];

	TEST_ASSERT_EQ(sva_kbackend_probe(BDF, SVA_KD_FD_CONTAINER, why, sizeof(why)),
		       SVA_KBACKEND_VFIO_SEEDS, "%s", why);
	TEST_ASSERT(strstr(why, SVA_MSG_OLD_KERNEL) != NULL, "%s", why);
	return TEST_OK;
}

static int
body_probe_none(void)
{
	char why[512];

	TEST_ASSERT_EQ(sva_kbackend_probe(BDF, SVA_KD_FD_CONTAINER, why, sizeof(why)),
		       SVA_KBACKEND_NONE, "%s", why);
	TEST_ASSERT(strstr(why, SVA_MSG_NO_PASID) != NULL, "%s", why);
	TEST_ASSERT(strstr(why, "seeds' VFIO") != NULL, "%s", why);
	return TEST_OK;
}

static void k611_seeds(struct sva_kdouble *k) { k->kver = 611; k->seeds = true; }
/* no PASID (width 0, as Linux 7.2 reports for edu), no PRI, no seeds */
static void nopri_noseeds(struct sva_kdouble *k) { k->dev_pri = k->dev_pasid = false; }

static int
test_probe(void)
{
	TEST_RUN(with_double(NULL, true, body_probe_iommufd));
	TEST_RUN(with_double(k611_seeds, true, body_probe_seeds));
	return with_double(nopri_noseeds, true, body_probe_none);
}

/* This machine's own kernel, no double. */
static int
test_probe_real(void)
{
	char why[512];
	enum sva_kbackend b;

	unsetenv("SVA_DEV_ROOT");
	unsetenv("SVA_SYSFS_ROOT");
	b = sva_kbackend_probe(BDF, -1, why, sizeof(why));
	printf("    this machine: backend %d: %s\n", b, why[0] ? why : "(usable)");
	if (access("/dev/iommu", F_OK) == 0)
		return TEST_SKIPPED;   /* a machine with iommufd: nothing to assert */
	TEST_ASSERT_EQ(b, SVA_KBACKEND_NONE, "no backend");
	TEST_ASSERT(strstr(why, SVA_MSG_NO_IOMMUFD) != NULL, "%s", why);
	TEST_ASSERT(strstr(why, "CONFIG_IOMMUFD") != NULL, "%s", why);
	return TEST_OK;
}

/* The lab's sequence (app/test-lab/iommufd_seq.c) on the double. */
int test_iommufd_seq_run(unsigned int i);
unsigned int test_iommufd_seq_count(void);

static int
test_seq_count(void)
{
	/* a case added to the sequence needs its line below */
	TEST_ASSERT_EQ(test_iommufd_seq_count(), 11, "cases in iommufd_seq.c");
	return TEST_OK;
}
#define SEQ(i) static int seq_##i(void) { return test_iommufd_seq_run(i); }
SEQ(0) SEQ(1) SEQ(2) SEQ(3) SEQ(4) SEQ(5) SEQ(6) SEQ(7) SEQ(8) SEQ(9) SEQ(10)

static const struct test_case iommufd_cases[] = {
	{ "sequence", test_sequence },
	{ "errors", test_errors },
	{ "argchecks", test_argchecks },
	{ "convert", test_convert },
	{ "faults", test_faults },
	{ "big_group", test_big_group },
	{ "seeds_ioctls", test_seeds_ioctls },
	{ "seeds_ring", test_seeds_ring },
	{ "probe", test_probe },
	{ "probe_real", test_probe_real },
	{ "rid_open_refused", test_rid_open_refused },
	{ "rid_open", test_rid_open },
	{ "rid_forgot_detach", test_rid_forgot_detach },
	{ "rid_open_pri", test_rid_open_pri },
	/* names as in iommufd_seq.c; test_iommufd_seq_run() checks the count */
	{ "seq_open_close", seq_0 }, { "seq_ioas_mirror", seq_1 },
	{ "seq_fault_queue", seq_2 }, { "seq_pasid", seq_3 },
	{ "seq_whole_groups", seq_4 }, { "seq_fault_flow", seq_5 },
	{ "seq_bad_response", seq_6 }, { "seq_detach_pending", seq_7 },
	{ "seq_close_pending", seq_8 }, { "seq_cookies", seq_9 },
	{ "seq_no_fault_hwpt", seq_10 }, { "seq_count", test_seq_count },
};

const struct test_suite suite_iommufd = {
	.name = "iommufd",
	.cases = iommufd_cases,
	.nb_cases = RTE_DIM(iommufd_cases),
};
