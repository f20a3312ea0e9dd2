/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* A VFIO device without PASID and without PRI (QEMU's edu in the lab) on
 * the kernel double, modelled on what Linux 7.2.13 did there
 * (app/test-lab/vfio_backend.c): GET_HW_INFO reports PASID width 0, a
 * fault-capable hwpt on the RID is ENODEV and leaves the device blocked
 * until an explicit detach. sva_iommufd_open() refuses such a device;
 * sva_iommufd_open_rid() serves it. */

#define ALLOW_INTERNAL_API 1

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "../../drivers/sva/iommufd/sva_iommufd.h"
#include "kdouble/sva_kdouble.h"
#include "test.h"
#include "test_iommufd.h"

#define RID_BDF "0000:00:04.0"   /* the fake sysfs of with_double() */

static struct sva_iommufd rctx;

static void
edu(struct sva_kdouble *k)
{
	k->dev_pasid = false;
	k->dev_pri = false;
}

static void
pri_only(struct sva_kdouble *k)
{
	k->dev_pasid = false;
}

/* Run body on the edu-like double; rctx closed after it, whatever body
 * returned (with_double() then checks no fd is left). */
static int (*rid_body)(void);
static int
rid_wrap(void)
{
	int r = rid_body();

	sva_iommufd_close(&rctx);
	return r;
}

static int
run(void (*setup)(struct sva_kdouble *), int (*body)(void))
{
	rid_body = body;
	return with_double(setup, true, rid_wrap);
}

/* The PASID open: refused with the reason, nothing left open. */
static int
body_open_refused(void)
{
	TEST_ASSERT_EQ(sva_iommufd_open(&rctx, RID_BDF), -ENOTSUP, "open: %s", rctx.err);
	TEST_ASSERT(strstr(rctx.err, SVA_MSG_NO_PASID) != NULL, "'%s' lacks '%s'",
		    rctx.err, SVA_MSG_NO_PASID);
	TEST_ASSERT_EQ(kd.open_fds, 0, "fds left open by the refused open");
	TEST_ASSERT(rctx.iommufd == -1 && rctx.devfd == -1 && rctx.fault_fd == -1,
		    "ctx fds %d %d %d", rctx.iommufd, rctx.devfd, rctx.fault_fd);
	TEST_ASSERT_EQ(kd.ioas_id | kd.hwpt_id | kd.fault_id, 0, "objects left");
	return TEST_OK;
}

int
test_rid_open_refused(void)
{
	return run(edu, body_open_refused);
}

/* The RID open: the fault hwpt refused ENODEV, the explicit detach, then
 * the RID on the IOAS's automatic domain, unblocked. */
static int
body_open_rid(void)
{
	int bad, det, ok;

	TEST_ASSERT_EQ(sva_iommufd_open_rid(&rctx, RID_BDF), 0, "%s", rctx.err);
	TEST_ASSERT_EQ(rctx.rid_fault_err, ENODEV, "fault hwpt refused with %d",
		       rctx.rid_fault_err);
	TEST_ASSERT_EQ(kd.nb_rid_blocks, 1, "refused fault-capable attaches");
	bad = sva_kdouble_find_call(&kd, SVA_VFIO_DEVICE_ATTACH_PT, 0);
	TEST_ASSERT(bad >= 0 && kd.calls[bad].err == ENODEV, "first attach: ENODEV");
	det = sva_kdouble_find_call(&kd, SVA_VFIO_DEVICE_DETACH_PT, (unsigned int)bad);
	TEST_ASSERT(det > bad && kd.calls[det].err == 0, "no detach after the refusal");
	ok = sva_kdouble_find_call(&kd, SVA_VFIO_DEVICE_ATTACH_PT, (unsigned int)bad + 1);
	TEST_ASSERT(ok > det && kd.calls[ok].err == 0, "IOAS attach not after the detach");
	TEST_ASSERT(!kd.rid_blocked, "device left blocked (detach forgotten)");
	TEST_ASSERT(kd.rid_auto_id != 0 && kd.rid_pt == kd.rid_auto_id,
		    "RID on %u, automatic domain %u", kd.rid_pt, kd.rid_auto_id);
	TEST_ASSERT_EQ(rctx.rid_pt_id, kd.rid_pt, "pt id written back");
	TEST_ASSERT(rctx.rid_pt_id != rctx.ioas_id, "pt id is the IOAS's");
	/* the refused fault queue and hwpt undone */
	TEST_ASSERT(rctx.fault_fd == -1 && rctx.fault_id == 0 && rctx.rid_hwpt_id == 0,
		    "fault fd %d id %u hwpt %u", rctx.fault_fd, rctx.fault_id, rctx.rid_hwpt_id);
	TEST_ASSERT(!kd.fault_fd_open && kd.fault_id == 0 && kd.hwpt_id == 0,
		    "double: fault %u hwpt %u", kd.fault_id, kd.hwpt_id);
	TEST_ASSERT_EQ(kd.open_fds, 2, "iommufd and cdev only");

	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&rctx, 1), -EINVAL, "PASID attach");
	TEST_ASSERT(strstr(rctx.err, "opened without PASID") != NULL, "%s", rctx.err);
	TEST_ASSERT_EQ(kd.nb_attached, 0, "a PASID reached the double");

	/* VA as IOVA, on demand */
	static uint8_t buf[3 * 4096] __rte_aligned(4096);
	uint64_t va = (uintptr_t)buf;

	TEST_ASSERT_EQ(sva_iommufd_map(&rctx, va + 100, 5000, true), 0, "%s", rctx.err);
	TEST_ASSERT(kd.nb_maps >= 1, "no IOAS_MAP");
	for (unsigned int i = 0; i < kd.nb_maps; i++) {
		TEST_ASSERT_EQ(kd.maps[i].iova, kd.maps[i].va, "map %u: IOVA != VA", i);
		TEST_ASSERT(kd.maps[i].flags & SVA_IOAS_MAP_WRITEABLE, "map %u not writable", i);
	}
	TEST_ASSERT(kd.maps[0].va <= va + 100 &&
		    kd.maps[kd.nb_maps - 1].va + kd.maps[kd.nb_maps - 1].len >= va + 5100,
		    "[va+100, va+5100) not covered");
	TEST_ASSERT_EQ(sva_iommufd_map(&rctx, va + 200, 100, true), 0, "mapped again");

	sva_iommufd_close(&rctx);
	TEST_ASSERT_EQ(kd.open_fds, 0, "fds after close");
	TEST_ASSERT_EQ(kd.ioas_id, 0, "IOAS not destroyed");
	return TEST_OK;
}

int
test_rid_open(void)
{
	return run(edu, body_open_rid);
}

/* The double itself: a backend that forgets the detach gets a device that
 * stays blocked and an IOAS that cannot go (as on Linux 7.2.13). */
static int
body_forgot_detach(void)
{
	const struct sva_kops *k = sva_kdouble_kops();
	struct sva_iommufd_hwpt_alloc ha = { .size = sizeof(ha) };
	struct sva_vfio_attach_pt at = { .argsz = SVA_VFIO_ATTACH_PT_MINSZ };
	struct sva_vfio_detach_pt dt = { .argsz = SVA_VFIO_DETACH_PT_MINSZ };
	struct sva_iommufd_destroy d = { .size = sizeof(d) };
	struct sva_iommufd_fault_alloc fa = { .size = sizeof(fa) };

	TEST_ASSERT_EQ(sva_iommufd_open_rid(&rctx, RID_BDF), 0, "%s", rctx.err);
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_DETACH_PT, &dt), 0, "detach");
	TEST_ASSERT_EQ(kd.rid_pt, 0, "detached");
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_FAULT_QUEUE_ALLOC, &fa), 0, "fault");
	ha.flags = SVA_HWPT_FAULT_ID_VALID | SVA_HWPT_ALLOC_PASID;  /* PASID: taken */
	ha.dev_id = rctx.dev_id;
	ha.pt_id = rctx.ioas_id;
	ha.fault_id = fa.out_fault_id;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_HWPT_ALLOC, &ha), 0,
		       "HWPT_ALLOC(PASID, fault) on a device without PASID");
	at.pt_id = ha.out_hwpt_id;
	errno = 0;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_ATTACH_PT, &at), -1, "RID");
	TEST_ASSERT_EQ(errno, ENODEV, "fault hwpt on the RID without PRI");
	TEST_ASSERT(kd.rid_blocked, "not blocked after the refusal");
	/* nothing attached, yet iommufd counts the device on the IOAS */
	d.id = rctx.ioas_id;
	errno = 0;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_DESTROY, &d), -1, "IOAS");
	TEST_ASSERT_EQ(errno, EBUSY, "IOAS destroy while counted attached");
	at.pt_id = rctx.ioas_id;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_ATTACH_PT, &at), 0, "IOAS");
	TEST_ASSERT(kd.rid_blocked, "an attach without the detach unblocked it");
	d.id = ha.out_hwpt_id;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_DESTROY, &d), 0, "hwpt");
	k->close((int)fa.out_fault_fd);
	d.id = fa.out_fault_id;
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_IOMMU, SVA_IOMMU_DESTROY, &d), 0, "fault");
	TEST_ASSERT_EQ(k->ioctl(SVA_KD_FD_CDEV, SVA_VFIO_DEVICE_DETACH_PT, &dt), 0, "detach");
	TEST_ASSERT(!kd.rid_blocked && kd.rid_pt == 0, "the detach did not repair it");
	return TEST_OK;
}

int
test_rid_forgot_detach(void)
{
	return run(edu, body_forgot_detach);
}

/* No PASID but PRI: the RID gets the fault-capable hwpt, no detach. */
static int
body_open_rid_pri(void)
{
	TEST_ASSERT_EQ(sva_iommufd_open_rid(&rctx, RID_BDF), 0, "%s", rctx.err);
	TEST_ASSERT_EQ(rctx.rid_fault_err, 0, "fault hwpt refused: %d", rctx.rid_fault_err);
	TEST_ASSERT(rctx.rid_hwpt_id != 0 && kd.rid_pt == rctx.rid_hwpt_id && kd.hwpt_fault,
		    "RID on %u, want fault hwpt %u", kd.rid_pt, rctx.rid_hwpt_id);
	TEST_ASSERT_EQ(sva_kdouble_find_call(&kd, SVA_VFIO_DEVICE_DETACH_PT, 0), -1,
		       "a detach with nothing refused");
	TEST_ASSERT(rctx.fault_fd == SVA_KD_FD_FAULT && kd.fault_fd_open, "fault fd");
	TEST_ASSERT_EQ(sva_iommufd_pasid_attach(&rctx, 1), -EINVAL, "PASID attach");
	return TEST_OK;
}

int
test_rid_open_pri(void)
{
	return run(pri_only, body_open_rid_pri);
}
