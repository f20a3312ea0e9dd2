/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
/* The iommufd fault queue: records read from the fault fd into the
 * library's fault queue, responses written back (sva_iommufd.h).
 *
 * The kernel's fault fd read hands out WHOLE groups only: a group whose
 * records do not all fit in the reader's buffer stays queued, and a read
 * that cannot take even the first group fails EINVAL (Linux 7.2, checked
 * in the lab; 6.11 returned 0 with the fd still readable). So the read
 * buffer grows until any group fits (up to SVA_IOMMUFD_GROUP_MAX records).
 * A read returns 0 when nothing is queued; it never blocks. The kernel picks one
 * cookie per group when it hands the group out; every record of the group
 * carries it, the last one has LAST_PAGE, and the one response echoes it.
 * A response whose cookie is not outstanding (answered already, or its
 * PASID detached, which answers INVALID) is refused with EINVAL, and the
 * kernel stops there, reporting the ones before it as written.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "sva_iommufd_priv.h"

void
sva_iommufd_fault_free(struct sva_iommufd *ctx)
{
	free(ctx->held);
	free(ctx->pending);
	ctx->held = NULL;
	ctx->pending = NULL;
	ctx->held_cap = ctx->pending_cap = 0;
	ctx->held_first = ctx->held_n = 0;
}

void
sva_iommufd_fault_convert(const struct sva_iommufd_pgfault *in, int16_t dev_id,
			  struct rte_sva_fault *out)
{
	memset(out, 0, sizeof(*out));
	out->type = RTE_SVA_FAULT_PAGE_REQ;
	if (in->flags & SVA_PGFAULT_F_PASID_VALID)
		out->flags |= RTE_SVA_FAULT_F_PASID_VALID;
	if (in->flags & SVA_PGFAULT_F_LAST_PAGE)
		out->flags |= RTE_SVA_FAULT_F_LAST_PAGE;
	out->pasid = in->pasid;
	out->grpid = in->grpid;
	out->perm = (in->perm & SVA_PGFAULT_PERM_READ ? RTE_SVA_PERM_READ : 0) |
		(in->perm & SVA_PGFAULT_PERM_WRITE ? RTE_SVA_PERM_WRITE : 0) |
		(in->perm & SVA_PGFAULT_PERM_EXEC ? RTE_SVA_PERM_EXEC : 0) |
		(in->perm & SVA_PGFAULT_PERM_PRIV ? RTE_SVA_PERM_PRIV : 0);
	out->addr = in->addr;
	/* The requester's length hint in pages from addr's on, for the
	 * resolver's fault-around (rte_sva_fault::hint_pages). */
	out->hint_pages = (uint16_t)RTE_MIN((in->addr % 4096 + (uint64_t)in->length + 4095) / 4096,
					    (uint64_t)UINT16_MAX);
	out->cookie = in->cookie;
	out->dev_id = dev_id;
	out->tsc = rte_rdtsc();
}

/* Remember a page of a group read, to map it when the group is answered
 * SUCCESS. The table grows; without memory the page is counted lost (its
 * group is then answered without mapping it: the device faults again). */
static void
track(struct sva_iommufd *ctx, const struct sva_iommufd_pgfault *in)
{
	uint64_t len = RTE_MAX((uint64_t)in->length, ctx->page_size);
	struct sva_iommufd_pending *p = NULL;

	rte_spinlock_lock(&ctx->lock);
	for (unsigned int i = 0; i < ctx->pending_cap && p == NULL; i++)
		if (!ctx->pending[i].used)
			p = &ctx->pending[i];
	if (p == NULL) {
		unsigned int cap = ctx->pending_cap * 2;
		struct sva_iommufd_pending *t = realloc(ctx->pending, cap * sizeof(*t));

		if (t != NULL) {
			memset(t + ctx->pending_cap, 0, ctx->pending_cap * sizeof(*t));
			p = &t[ctx->pending_cap];
			ctx->pending = t;
			ctx->pending_cap = cap;
		}
	}
	if (p != NULL)
		*p = (struct sva_iommufd_pending) {
			.cookie = in->cookie, .pasid = in->pasid,
			.addr = RTE_ALIGN_FLOOR(in->addr, ctx->page_size),
			.len = len, .perm = in->perm, .used = true,
		};
	else
		ctx->pending_lost++;
	rte_spinlock_unlock(&ctx->lock);
}

/* Report held records (read and tracked already), in order, up to max.
 * @return 0 when all went or max was reached; <0 from the report
 * (-ENOSPC: the library's queue is full). */
static int
held_report(struct sva_iommufd *ctx, struct rte_sva_dev *dev, unsigned int *done,
	    unsigned int max)
{
	while (ctx->held_n > 0 && *done < max) {
		struct rte_sva_fault f;
		int ret;

		sva_iommufd_fault_convert(&ctx->held[ctx->held_first], dev->dev_id, &f);
		ret = rte_sva_pmd_fault_report(dev, &f);
		if (ret < 0)
			return ret;
		ctx->held_first++;
		ctx->held_n--;
		(*done)++;
	}
	if (ctx->held_n == 0)
		ctx->held_first = 0;
	return 0;
}

static int
fault_fd_readable(struct sva_iommufd *ctx)
{
	struct pollfd p = { .fd = ctx->fault_fd, .events = POLLIN };
	int n = sva_kops->poll(&p, 1, 0);

	if (n < 0)
		return -errno;
	return n > 0 && (p.revents & POLLIN) != 0;
}

int
sva_iommufd_fault_wait(struct sva_iommufd *ctx, int timeout_ms)
{
	struct pollfd p = { .fd = ctx->fault_fd, .events = POLLIN };
	int n;

	if (ctx->fault_fd < 0)
		return -EINVAL;
	if (ctx->held_n > 0)
		return 1;
	n = sva_kops->poll(&p, 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n > 0 && (p.revents & POLLIN) != 0;
}

/* A group did not fit: double the read buffer (empty now). */
static int
held_grow(struct sva_iommufd *ctx)
{
	unsigned int cap = ctx->held_cap * 2;
	struct sva_iommufd_pgfault *t;

	if (cap > SVA_IOMMUFD_GROUP_MAX)
		return -E2BIG;
	t = realloc(ctx->held, cap * sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	ctx->held = t;
	ctx->held_cap = cap;
	SVA_CNT_ADD(ctx, buf_grows, 1);
	RTE_SVA_LOG(INFO, "%s: a page-request group larger than %u records: fault read "
		    "buffer now %u records", ctx->bdf, cap / 2, cap);
	return 0;
}

int
sva_iommufd_fault_poll(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
		       unsigned int max)
{
	const size_t rec = sizeof(ctx->held[0]);
	unsigned int done = 0;
	int ret;

	if (ctx->fault_fd < 0 || dev == NULL || ctx->held == NULL)
		return -EINVAL;
	/* A record read from the fault fd exists nowhere else: what an
	 * earlier poll could not report goes first, and nothing more is read
	 * until it went. */
	for (;;) {
		ssize_t n;

		ret = held_report(ctx, dev, &done, max);
		if (ret < 0 || done >= max || ctx->held_n > 0)
			break;
		n = sva_kops->read(ctx->fault_fd, ctx->held, ctx->held_cap * rec);
		if (n < 0 && errno == EINVAL) {
			/* 7.2: the first group does not fit. */
			if (held_grow(ctx) == 0)
				continue;
			SVA_CNT_ADD(ctx, group_too_big, 1);
			RTE_SVA_LOG(ERR, "%s: a page-request group over %u records cannot "
				    "be read: it waits until its PASID is detached (answered "
				    "INVALID by the kernel)", ctx->bdf,
				    (unsigned int)SVA_IOMMUFD_GROUP_MAX);
			break;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			ret = -errno;
			RTE_SVA_LOG(ERR, "%s: fault fd read: %s", ctx->bdf, strerror(errno));
			return done > 0 ? (int)done : ret;
		}
		if (n == 0) {
			/* Nothing queued, or (before 7.2) a group that does not fit. */
			int r = fault_fd_readable(ctx);

			if (r == 1 && held_grow(ctx) == 0)
				continue;
			if (r == 1) {
				SVA_CNT_ADD(ctx, group_too_big, 1);
				RTE_SVA_LOG(ERR, "%s: a page-request group over %u records "
					    "cannot be read: it waits until its PASID is "
					    "detached (answered INVALID by the kernel)",
					    ctx->bdf, (unsigned int)SVA_IOMMUFD_GROUP_MAX);
			}
			break;
		}
		ctx->held_first = 0;
		ctx->held_n = (unsigned int)((size_t)n / rec);
		SVA_CNT_ADD(ctx, reads, 1);
		SVA_CNT_ADD(ctx, records, ctx->held_n);
		for (unsigned int i = 0; i < ctx->held_n; i++) {
			track(ctx, &ctx->held[i]);
			if (ctx->held[i].flags & SVA_PGFAULT_F_LAST_PAGE)
				SVA_CNT_ADD(ctx, groups, 1);
		}
		if ((size_t)n % rec != 0) {
			/* Not the kernel's format: keep the whole records. */
			RTE_SVA_LOG(ERR, "%s: fault fd gave %zd bytes, not a multiple of %zu",
				    ctx->bdf, n, rec);
			held_report(ctx, dev, &done, max);
			return done > 0 ? (int)done : -EIO;
		}
	}
	/* A full queue is the back-pressure: the rest waits in ctx. */
	if (ret < 0 && ret != -ENOSPC) {
		RTE_SVA_LOG(ERR, "%s: fault report: %s: %u record%s kept for the next poll",
			    ctx->bdf, strerror(-ret), ctx->held_n, ctx->held_n == 1 ? "" : "s");
		if (done == 0)
			return ret;
	}
	return (int)done;
}

/* Map what a SUCCESS group asked for and encode its response; a group
 * whose pages cannot be mapped is answered INVALID. Under ctx->lock. */
static struct sva_iommufd_page_response
response_prepare(struct sva_iommufd *ctx, const struct rte_sva_page_response *resp)
{
	struct sva_iommufd_page_response r = {
		.cookie = resp->cookie,
		.code = resp->code == RTE_SVA_PAGE_RESP_SUCCESS ?
			SVA_IOMMUFD_RESP_SUCCESS : SVA_IOMMUFD_RESP_INVALID,
	};

	for (unsigned int i = 0; i < ctx->pending_cap; i++) {
		struct sva_iommufd_pending *p = &ctx->pending[i];

		if (!p->used || p->cookie != resp->cookie || p->pasid != resp->pasid)
			continue;
		if (r.code == SVA_IOMMUFD_RESP_SUCCESS &&
		    sva_iommufd_map(ctx, p->addr, p->len,
				    (p->perm & SVA_PGFAULT_PERM_WRITE) != 0) < 0) {
			RTE_SVA_LOG(WARNING, "%s: cannot map 0x%" PRIx64 "+%" PRIu64
				    " for PASID %u: answering INVALID", ctx->bdf,
				    p->addr, p->len, p->pasid);
			r.code = SVA_IOMMUFD_RESP_INVALID;
		}
		p->used = false;
	}
	return r;
}

int
sva_iommufd_page_response(struct sva_iommufd *ctx,
			  const struct rte_sva_page_response *resp)
{
	struct sva_iommufd_page_response r;
	ssize_t n;

	if (ctx->fault_fd < 0 || ctx->pending == NULL)
		return -EINVAL;
	rte_spinlock_lock(&ctx->lock);
	r = response_prepare(ctx, resp);
	rte_spinlock_unlock(&ctx->lock);
	n = sva_kops->write(ctx->fault_fd, &r, sizeof(r));
	SVA_CNT_ADD(ctx, writes, 1);
	if (n == (ssize_t)sizeof(r)) {
		SVA_CNT_ADD(ctx, responses, 1);
		return 0;
	}
	if (n < 0 && errno == EINVAL) {
		SVA_CNT_ADD(ctx, refused, 1);
		RTE_SVA_LOG(NOTICE, "%s: response cookie %u (PASID %u group %u) refused by "
			    "the kernel: not outstanding (answered already, or detached)",
			    ctx->bdf, r.cookie, resp->pasid, resp->grpid);
		return -EINVAL;
	}
	SVA_CNT_ADD(ctx, write_errors, 1);
	return n < 0 ? -errno : -EIO;
}

int
sva_iommufd_page_response_burst(struct sva_iommufd *ctx, struct rte_sva_dev *dev,
				const struct rte_sva_page_response *resp,
				uint16_t n)
{
	struct sva_iommufd_page_response r[64];
	uint16_t done = 0;

	if (ctx->fault_fd < 0 || ctx->pending == NULL || (n != 0 && resp == NULL))
		return -EINVAL;
	while (done < n) {
		uint16_t k = RTE_MIN((uint16_t)(n - done), (uint16_t)RTE_DIM(r));
		uint16_t w = 0;

		rte_spinlock_lock(&ctx->lock);
		for (uint16_t i = 0; i < k; i++)
			r[i] = response_prepare(ctx, &resp[done + i]);
		rte_spinlock_unlock(&ctx->lock);
		/* The kernel stops at a response it refuses (stale group),
		 * reporting the ones before it: drop that one, go on. */
		while (w < k) {
			ssize_t got = sva_kops->write(ctx->fault_fd, &r[w],
						      (size_t)(k - w) * sizeof(r[0]));

			SVA_CNT_ADD(ctx, writes, 1);
			if (got < 0 && errno == EINTR)
				continue;
			if ((got < 0 && errno != EINVAL) ||
			    (got > 0 && got % (ssize_t)sizeof(r[0]) != 0)) {
				int err = got < 0 ? errno : EIO;

				SVA_CNT_ADD(ctx, write_errors, (uint64_t)(n - done - w));
				RTE_SVA_LOG(ERR, "%s: fault fd write failed (%s): %u page responses lost",
					    ctx->bdf, strerror(err), (unsigned int)(n - done - w));
				/* What went before it went: the caller counts
				 * the rest as not delivered. */
				return done + w > 0 ? (int)(done + w) : -err;
			}
			if (got <= 0) {
				const struct rte_sva_page_response *q = &resp[done + w];

				/* Its group is gone (detached, or answered). */
				SVA_CNT_ADD(ctx, refused, 1);
				RTE_SVA_LOG(NOTICE, "%s: response cookie %u (PASID %u group %u) "
					    "refused by the kernel: not outstanding (answered "
					    "already, or detached): dropped as stale",
					    ctx->bdf, r[w].cookie, q->pasid, q->grpid);
				if (dev != NULL)
					rte_sva_pmd_fault_event(dev, RTE_SVA_FAULT_EV_STALE_RESPONSE);
				w++;
				continue;
			}
			SVA_CNT_ADD(ctx, responses, (uint64_t)got / sizeof(r[0]));
			w += (uint16_t)(got / (ssize_t)sizeof(r[0]));
		}
		done += k;
	}
	return n;
}

void
sva_iommufd_counters_get(const struct sva_iommufd *ctx, struct sva_iommufd_counters *c)
{
	const uint64_t *src = (const uint64_t *)&ctx->cnt;
	uint64_t *dst = (uint64_t *)c;

	for (size_t i = 0; i < sizeof(*c) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}
