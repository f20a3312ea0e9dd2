/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* The lifecycle hook registry (see rte_sva_lifecycle.h for the events and
 * who registers). A handful of layers register, each once, from its
 * constructor: a small array kept sorted by rank at insertion. */

#include <stdio.h>

#include <rte_common.h>

#include "rte_sva_lifecycle.h"

#define SVA_LC_HOOKS 8

static const struct sva_lifecycle_hook *hooks[SVA_LC_HOOKS];
static unsigned int nb_hooks;

void
sva_lifecycle_register(const struct sva_lifecycle_hook *hook)
{
	unsigned int i;

	/* Constructors run before the EAL (and its log) is up: stderr. */
	if (hook == NULL || hook->fn == NULL || nb_hooks == SVA_LC_HOOKS) {
		fprintf(stderr, "librte_sva: lifecycle hook %s not registered (%s)\n",
			hook != NULL && hook->name != NULL ? hook->name : "?",
			nb_hooks == SVA_LC_HOOKS ? "registry full" : "no function");
		return;
	}
	/* Equal ranks keep registration order. */
	for (i = nb_hooks; i > 0 && hooks[i - 1]->rank > hook->rank; i--)
		hooks[i] = hooks[i - 1];
	hooks[i] = hook;
	nb_hooks++;
}

void
sva_lifecycle_notify(struct rte_sva_dev *dev, enum sva_lifecycle_event ev)
{
	for (unsigned int i = 0; i < nb_hooks; i++)
		hooks[i]->fn(dev, ev);
}
