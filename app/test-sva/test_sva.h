/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_SVA_H
#define TEST_SVA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_sva.h>

enum bench_op {
	OP_COPY, OP_FILL, OP_COMPARE, OP_COMPARE_PATTERN, OP_CRC32C,
	OP_COPY_CRC32C, OP_DUALCAST, OP_COUNT
};

/* One benchmark case: an operation at a size, with its knobs. */
struct bench_case {
	enum bench_op op;
	uint32_t size;
	uint16_t batch;
	uint16_t depth;
	uint16_t producers;
};

/* Figures of one engine (sva, cpu or dma) for one case. */
struct bench_figures {
	bool valid;
	double mops;
	double gbps;
	uint64_t ops;
	uint64_t errors;
	double seconds;
	char note[64];
};

struct bench_result {
	struct bench_case c;
	struct bench_figures sva, cpu, dma;
	bool verified;
};

struct bench_opts {
	const char *sva_name;
	const char *dma_name;      /* NULL: first rte_dma device, if any */
	bool no_cpu;
	bool no_dma;
	bool verify;
	double duration;           /* seconds per measurement */
	uint32_t working_set;      /* bytes of buffers per side */
	const char *mode;          /* throughput, bind-churn, fault */
	uint64_t fault_ops;        /* fault mode: operations per case */
	int fault_worker;          /* fault mode: worker lcore, -1 = poll */
	const char *json_path;
	const char *csv_path;
	bool quiet;
};

/* Buffers shared by every engine of a case: plain malloc memory. */
struct bench_bufs {
	uint32_t nb;
	uint32_t size;
	uint8_t **src;
	uint8_t **dst;
	uint8_t **dst2;
};

extern const char *const bench_op_names[OP_COUNT];

int bench_bufs_alloc(struct bench_bufs *b, uint32_t size, uint32_t working_set,
		     bool need_dst2);
void bench_bufs_free(struct bench_bufs *b);

int bench_sva_run(const struct bench_opts *o, int16_t dev_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct bench_figures *f, bool *verified);
int bench_cpu_run(const struct bench_opts *o, const struct bench_case *c,
		  struct bench_bufs *b, struct bench_figures *f);
int bench_dma_run(const struct bench_opts *o, int16_t dma_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct bench_figures *f);

int bench_churn_run(const struct bench_opts *o, const int16_t *devs,
		    uint16_t nb_devs, FILE *json, FILE *csv);

int bench_fault_run(const struct bench_opts *o, int16_t dev, int worker_lcore,
		    FILE *json, FILE *csv);

void output_table_header(FILE *f);
void output_table_row(FILE *f, const struct bench_result *r);
void output_csv_header(FILE *f);
void output_csv_row(FILE *f, const struct bench_result *r);
void output_json(FILE *f, const struct bench_result *r);

#endif
