/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * Devargs of sva_idxd (doc/guides/idxd.rst): wq_prefix, submit, queues.
 * The style of every driver of this tree (sva_devargs.h): a static key list
 * that refuses unknown keys, one handler per key, each refusal one log line
 * naming the device, the key and the reason, and -EINVAL from the probe.
 */

#include <errno.h>
#include <string.h>

#include <rte_kvargs.h>

#include "idxd_private.h"
#include "sva_devargs.h"

#define IDXD_DEFAULT_PREFIX "sva"

/* Index of each key in idxd_keys[] and idxd_key_handlers[]. */
enum idxd_key {
	IDXD_KEY_WQ_PREFIX,
	IDXD_KEY_SUBMIT,
	IDXD_KEY_QUEUES,
	IDXD_KEY_COUNT
};

static const char *const idxd_keys[IDXD_KEY_COUNT + 1] = {
	[IDXD_KEY_WQ_PREFIX] = "wq_prefix",
	[IDXD_KEY_SUBMIT] = "submit",
	[IDXD_KEY_QUEUES] = "queues",
	[IDXD_KEY_COUNT] = NULL,
};

/* submit=: in the order of enum idxd_submit_mode. */
static const char *const idxd_submit_names[] = {
	[IDXD_SUBMIT_AUTO] = "auto",
	[IDXD_SUBMIT_PORTAL] = "portal",
	[IDXD_SUBMIT_WRITE] = "write",
	NULL
};

struct idxd_arg_ctx {
	struct idxd_devargs *a;
	const char *dev;
};

static int
idxd_arg_wq_prefix(const char *key, const char *val, void *opaque)
{
	struct idxd_arg_ctx *ctx = opaque;
	const char *why;

	if (sva_devarg_str(val, ctx->a->wq_prefix, sizeof(ctx->a->wq_prefix),
			   &why) != 0)
		return sva_devarg_refused(idxd_logtype, ctx->dev, key, val, why,
					  "1..%zu characters",
					  sizeof(ctx->a->wq_prefix) - 1);
	return 0;
}

static int
idxd_arg_submit(const char *key, const char *val, void *opaque)
{
	struct idxd_arg_ctx *ctx = opaque;
	const char *why;
	unsigned int i;

	if (sva_devarg_choice(val, idxd_submit_names, &i, &why) != 0)
		return sva_devarg_refused(idxd_logtype, ctx->dev, key, val, why,
					  "auto, portal or write");
	ctx->a->submit = (enum idxd_submit_mode)i;
	return 0;
}

static int
idxd_arg_queues(const char *key, const char *val, void *opaque)
{
	struct idxd_arg_ctx *ctx = opaque;
	const char *why;
	uint64_t v;

	if (sva_devarg_uint(val, 1, RTE_SVA_MAX_QUEUES, &v, &why) != 0)
		return sva_devarg_refused(idxd_logtype, ctx->dev, key, val, why,
					  "a decimal number in 1..%d",
					  RTE_SVA_MAX_QUEUES);
	ctx->a->max_queues = (uint16_t)v;
	return 0;
}

static const arg_handler_t idxd_key_handlers[IDXD_KEY_COUNT] = {
	[IDXD_KEY_WQ_PREFIX] = idxd_arg_wq_prefix,
	[IDXD_KEY_SUBMIT] = idxd_arg_submit,
	[IDXD_KEY_QUEUES] = idxd_arg_queues,
};

int
idxd_devargs_parse(const char *name, const char *args, struct idxd_devargs *a)
{
	struct idxd_arg_ctx ctx = { .a = a, .dev = name };
	struct rte_kvargs *kv;
	int ret;

	*a = (struct idxd_devargs){
		.wq_prefix = IDXD_DEFAULT_PREFIX,
		.submit = IDXD_SUBMIT_AUTO,
		.max_queues = RTE_SVA_MAX_QUEUES,
	};
	ret = sva_devargs_parse(idxd_logtype, name, args, idxd_keys, NULL, &kv);
	if (ret != 0)
		return ret;
	ret = sva_devargs_process(kv, idxd_keys, idxd_key_handlers, &ctx);
	rte_kvargs_free(kv);
	return ret;
}
