/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_SVA_RUN_H
#define TEST_SVA_RUN_H

/* The mode runners of dpdk-test-sva (run.c), called by main.c. */

#include <stdint.h>
#include <stdio.h>

#include <rte_sva.h>

#include "test_sva.h"

/* Exit status contract (also in --help and the guide). */
#define EXIT_OK 0
#define EXIT_VERIFY 1
#define EXIT_SETUP 2

enum csv_kind { CSV_NONE = -1 };

struct run_ctx {
	struct bench_opts o;       /* duration/working set set per spec */
	int16_t sva_id;
	int16_t dma_id;
	struct rte_sva_info info;
	int16_t devs[RTE_SVA_MAX_DEVS];
	uint16_t nb_devs;
	FILE *csv, *json;
	int csv_kind;              /* mode of the last CSV header written */
};

/* Drop the process's bond and container (bind-churn makes its own). */
void unbind_all(void);
/* The producer counts a scaling group runs, ascending. @return how many. */
int scale_producers(const struct case_spec *s, uint32_t *out);
/* Each mode over the set of cases s: EXIT_OK, EXIT_VERIFY or EXIT_SETUP. */
int run_throughput(struct run_ctx *x, const struct case_spec *s);
int run_latency(struct run_ctx *x, const struct case_spec *s);
int run_scaling(struct run_ctx *x, const struct case_spec *s);
int run_churn(struct run_ctx *x);
int run_fault(struct run_ctx *x);

#endif
