/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Devargs of dma_sva (doc/guides/dma_sva.rst): dev=<SVA device> (required),
 * queue=<qid>, silent=0|1 (1, the default: silent mode offered where the
 * device can; 0 withholds RTE_DMA_CAPA_SILENT, for apps and tests that
 * expect every device to refuse it). The style of every driver of this tree (sva_devargs.h): a
 * static key list that refuses unknown keys, one handler per key, each
 * refusal one log line naming the device, the key and the reason, and
 * -EINVAL from the probe.
 */

#include <errno.h>
#include <string.h>

#include <rte_kvargs.h>

#include "dma_sva_private.h"
#include "sva_devargs.h"

/* Index of each key in dma_sva_keys[] and dma_sva_key_handlers[]. */
enum dma_sva_key {
	DMA_SVA_KEY_DEV,
	DMA_SVA_KEY_QUEUE,
	DMA_SVA_KEY_SILENT,
	DMA_SVA_KEY_COUNT
};

static const char *const dma_sva_keys[DMA_SVA_KEY_COUNT + 1] = {
	[DMA_SVA_KEY_DEV] = "dev",
	[DMA_SVA_KEY_QUEUE] = "queue",
	[DMA_SVA_KEY_SILENT] = "silent",
	[DMA_SVA_KEY_COUNT] = NULL,
};

struct dma_sva_arg_ctx {
	struct dma_sva_args *a;
	const char *dev;
};

static int
dma_sva_arg_dev(const char *key, const char *val, void *opaque)
{
	struct dma_sva_arg_ctx *ctx = opaque;
	const char *why;

	if (sva_devarg_str(val, ctx->a->dev, sizeof(ctx->a->dev), &why) != 0)
		return sva_devarg_refused(dma_sva_logtype, ctx->dev, key, val, why,
					  "an SVA device name of 1..%zu characters",
					  sizeof(ctx->a->dev) - 1);
	return 0;
}

static int
dma_sva_arg_queue(const char *key, const char *val, void *opaque)
{
	struct dma_sva_arg_ctx *ctx = opaque;
	const char *why;
	uint64_t v;

	if (sva_devarg_uint(val, 0, RTE_SVA_MAX_QUEUES - 1, &v, &why) != 0)
		return sva_devarg_refused(dma_sva_logtype, ctx->dev, key, val, why,
					  "a decimal queue number in 0..%u",
					  RTE_SVA_MAX_QUEUES - 1);
	ctx->a->qid = (uint16_t)v;
	return 0;
}

static int
dma_sva_arg_silent(const char *key, const char *val, void *opaque)
{
	struct dma_sva_arg_ctx *ctx = opaque;
	const char *why;
	uint64_t v;

	if (sva_devarg_uint(val, 0, 1, &v, &why) != 0)
		return sva_devarg_refused(dma_sva_logtype, ctx->dev, key, val, why,
					  "0 (withhold silent mode) or 1 (offer it where the device can)");
	ctx->a->no_silent = v == 0;
	return 0;
}

static const arg_handler_t dma_sva_key_handlers[DMA_SVA_KEY_COUNT] = {
	[DMA_SVA_KEY_DEV] = dma_sva_arg_dev,
	[DMA_SVA_KEY_QUEUE] = dma_sva_arg_queue,
	[DMA_SVA_KEY_SILENT] = dma_sva_arg_silent,
};

int
dma_sva_devargs_parse(const char *name, const char *args,
		      struct dma_sva_args *a)
{
	struct dma_sva_arg_ctx ctx = { .a = a, .dev = name };
	struct rte_kvargs *kv;
	int ret;

	memset(a, 0, sizeof(*a));
	ret = sva_devargs_parse(dma_sva_logtype, name, args, dma_sva_keys, NULL,
				&kv);
	if (ret != 0)
		return ret;
	ret = sva_devargs_process(kv, dma_sva_keys, dma_sva_key_handlers, &ctx);
	rte_kvargs_free(kv);
	if (ret == 0 && a->dev[0] == '\0') {
		DMA_SVA_LOG(ERR, "%s: devarg dev: missing; dev=<SVA device name> is required",
			    name);
		ret = -EINVAL;
	}
	return ret;
}
