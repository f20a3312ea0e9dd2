/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */
#ifndef TEST_SVA_H
#define TEST_SVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_sva.h>

/* The PASID of this process on the container the current mode bound
 * (run.c); the producers tag their operations with it. */
extern uint32_t bench_pasid;

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
	/* The SVA pass: the device's engine time per op (rte_sva_stats
	 * busy_ns over ops), beside the pass's own 1000 / mops; NAN for the
	 * CPU and rte_dma passes and a device that does not count it. */
	double busy_ns_op;
	char note[64];
};

/* --repeat: each case runs this many rounds at most (and at least one). */
#define BENCH_REPEAT_MAX 99

/* One round of a throughput case: each engine's pass, in this order. */
struct bench_round {
	struct bench_figures sva, cpu, dma;
};

/*
 * A throughput case over its rounds (rounds.c): each engine's mops and gbps
 * the median of its rounds' (ops, errors and seconds their sums), the
 * ratios the median of the rounds' own ratios, with their range; NAN where
 * no round has both engines.
 */
struct bench_result {
	struct bench_case c;
	struct bench_figures sva, cpu, dma;
	bool verified;
	const struct bench_round *rounds;
	uint16_t nb_rounds;
	double sva_cpu, sva_cpu_min, sva_cpu_max;
	double sva_dma, sva_dma_min, sva_dma_max;
};

/* Latency figures of one engine for one case, in microseconds. */
struct lat_figures {
	bool valid;
	uint64_t samples;
	uint64_t errors;
	double p50, p99, p999, max, mean;
	char note[64];
};

struct lat_result {
	struct bench_case c;
	struct lat_figures sva, cpu, dma;
	bool verified;
};

/* One scaling point: producers spread over devices, aggregate figures. */
struct scale_result {
	struct bench_case c;
	uint16_t devices;
	uint16_t queues_per_dev;   /* most queues any device has */
	struct bench_figures sva;  /* over the rounds, as bench_result's */
	double speedup;            /* over 1 producer on 1 device, NAN if none */
	bool verified;
	const struct bench_figures *rounds;   /* each round's sva figures */
	uint16_t nb_rounds;
	double mops_min, mops_max; /* range of the rounds' Mops */
};

/* Where the buffers come from (--buf; bufs.c). */
enum bench_buf_kind { BUF_MALLOC, BUF_RTE_MALLOC, BUF_MMAP, BUF_COUNT };

struct bench_opts {
	const char *sva_name;
	const char *dma_name;      /* NULL: first rte_dma device, if any */
	bool no_cpu;
	bool no_dma;
	bool verify;
	double duration;           /* seconds per measurement */
	uint32_t working_set;      /* bytes of buffers per side */
	const char *mode;          /* throughput, latency, scaling, bind-churn, fault */
	uint64_t fault_ops;        /* fault mode: operations per case */
	uint32_t repeat;           /* rounds per case (--repeat, 1..99) */
	int fault_worker;          /* fault mode: worker lcore, -1 = poll */
	int fault_backend;         /* fault mode: FAULT_BACKEND_* */
	const char *json_path;
	const char *csv_path;
	bool quiet;
	/* Buffers of the current set of cases (bufs.c). */
	int buf_kind;              /* enum bench_buf_kind */
	int src_numa, dst_numa;    /* NUMA node of each side, -1 = any */
	bool cache_flush;          /* flush both sides before each pass */
};

/* Buffers shared by every engine of a case (bufs.c). */
struct bench_bufs {
	uint32_t nb;
	uint32_t size;
	uint8_t **src;
	uint8_t **dst;
	uint8_t **dst2;
	int kind;                  /* enum bench_buf_kind */
	bool flush;                /* bench_bufs_flush() flushes */
	size_t len;                /* bytes allocated per buffer */
};

extern const char *const bench_op_names[OP_COUNT];
extern const char *const bench_buf_names[BUF_COUNT];

/* The buffers of a case: working_set bytes per side (at most 256 buffers
 * of size bytes), of o's kind, on o's nodes. 0, or (then free) -ENOMEM or
 * the negative errno of placing them on a node (mbind(), said on stdout). */
int bench_bufs_alloc(struct bench_bufs *b, const struct bench_opts *o,
		     uint32_t size, bool need_dst2);
void bench_bufs_free(struct bench_bufs *b);
/* o's buffer options usable here (nodes exist, a flush instruction): 0,
 * or <0 with the reason in err. Needs EAL (rte_malloc's sockets). */
int bench_bufs_check(const struct bench_opts *o, char *err, size_t errsz);
/* Flush every buffer from the CPU caches when b->flush (bufs_prepare()
 * calls it last, before each measured pass). */
void bench_bufs_flush(const struct bench_bufs *b);
bool bench_cache_flush_supported(void);
/* "clflushopt", "clflush" or "none". */
const char *bench_cache_flush_insn(void);
/* One line: kind, nodes, flush. */
void bench_bufs_describe(FILE *f, const struct bench_opts *o);
/* enum bench_buf_kind of a name, or -EINVAL with a reason in err. */
int parse_buf_kind(const char *arg, char *err, size_t errsz);

int bench_sva_run(const struct bench_opts *o, int16_t dev_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct bench_figures *f, bool *verified);
/* The throughput loop over several devices: producer p drives queue p / nd
 * of devs[p % nd]. bench_sva_run() is this with one device. */
int bench_sva_run_devs(const struct bench_opts *o, const int16_t *devs,
		       uint16_t nb_devs, const struct bench_case *c,
		       struct bench_bufs *b, struct bench_figures *f,
		       bool *verified);

/* Latency: one operation in flight, each timed with rte_rdtsc(). */
int bench_sva_latency(const struct bench_opts *o, int16_t dev_id,
		      const struct bench_case *c, struct bench_bufs *b,
		      struct lat_figures *f, bool *verified);
int bench_cpu_latency(const struct bench_opts *o, const struct bench_case *c,
		      struct bench_bufs *b, struct lat_figures *f);
int bench_dma_latency(const struct bench_opts *o, int16_t dma_id,
		      const struct bench_case *c, struct bench_bufs *b,
		      struct lat_figures *f);
/* qsort() comparison of uint64_t, ascending. */
int bench_cmp_u64(const void *a, const void *b);
/* Cycles of an empty rte_rdtsc() pair (median), for the record. */
uint64_t bench_timer_overhead(void);
int bench_cpu_run(const struct bench_opts *o, const struct bench_case *c,
		  struct bench_bufs *b, struct bench_figures *f);
int bench_dma_run(const struct bench_opts *o, int16_t dma_id,
		  const struct bench_case *c, struct bench_bufs *b,
		  struct bench_figures *f);

int bench_churn_run(const struct bench_opts *o, const int16_t *devs,
		    uint16_t nb_devs, FILE *json, FILE *csv);

int bench_fault_run(const struct bench_opts *o, int16_t dev, int worker_lcore,
		    FILE *json, FILE *csv);

/* Fault mode's case through the real kernel (fault_iommufd.c), by
 * --fault-backend: auto runs it when the kernel has the iommufd test mock
 * and says why not otherwise; iommufd-mock requires it; none leaves it. */
enum { FAULT_BACKEND_AUTO, FAULT_BACKEND_IOMMUFD_MOCK, FAULT_BACKEND_NONE };
/* FAULT_BACKEND_* of a name, or -EINVAL. */
int fault_backend_parse(const char *s);
/* 0 when the iommufd mock can be opened here; <0 errno, why says why. */
int fault_iommufd_available(char *why, size_t len);

/* ------------------------------------------------- rounds (--repeat) */

/* The rounds of each case: o->repeat held to 1..BENCH_REPEAT_MAX
 * (spec_set() refuses others; a zeroed bench_opts runs one round). */
uint16_t bench_rounds(const struct bench_opts *o);
/* The median of the finite values of v[0..n) (the mean of the middle two
 * when their count is even), NAN when there is none; v is left as it is. */
double bench_median(const double *v, unsigned int n);
/* "what k+1/n" into buf (round k of n, from 0), or "what" alone when n is
 * 1: a progress line's label. @return buf. */
const char *bench_round_label(char *buf, size_t len, const char *what,
			      unsigned int k, unsigned int n);
/* The finite values of v[0..n) (the first BENCH_REPEAT_MAX of them) into
 * s, ascending: what bench_median() takes the middle of. @return their
 * count. */
unsigned int bench_sorted(double s[BENCH_REPEAT_MAX], const double *v,
			  unsigned int n);
/* The smallest and largest finite value of v[0..n), NAN when none. */
void bench_range(const double *v, unsigned int n, double *lo, double *hi);
/* a's Mops over b's (of one round), NAN unless both ran. */
double bench_ratio(const struct bench_figures *a, const struct bench_figures *b);
/* r's figures and ratios from its r->nb_rounds rounds (r->rounds). */
void bench_rounds_reduce(struct bench_result *r);
/* r's sva figures and Mops range from its rounds. */
void bench_scale_rounds_reduce(struct scale_result *r);

/* rounds > 1: the table's spread columns, after the ratios. */
void output_table_header(FILE *f, uint16_t rounds);
void output_table_row(FILE *f, const struct bench_result *r);
void output_csv_header(FILE *f);
void output_csv_row(FILE *f, const struct bench_result *r);
void output_json(FILE *f, const struct bench_result *r);
/* "name":v into a JSON object being written (4 decimals), or
 * "name":null for a figure not taken (NaN). */
void output_json_ratio(FILE *f, const char *name, double v);

void output_lat_table_header(FILE *f);
void output_lat_table_row(FILE *f, const struct lat_result *r);
void output_lat_csv_header(FILE *f);
void output_lat_csv_row(FILE *f, const struct lat_result *r);
void output_lat_json(FILE *f, const struct lat_result *r);

void output_scale_table_header(FILE *f, uint16_t rounds);
void output_scale_table_row(FILE *f, const struct scale_result *r);
void output_scale_csv_header(FILE *f);
void output_scale_csv_row(FILE *f, const struct scale_result *r);
void output_scale_json(FILE *f, const struct scale_result *r);

/* Progress line on stderr (a tty only, not with --quiet). */
void progress_init(bool enable, uint32_t total_cases, double estimate_s);
void progress_case(const char *label);
void progress_sub(const char *engine);   /* re-render: engine, elapsed */
void progress_clear(void);   /* before printing to stdout */
void progress_done(void);

/* ------------------------------------------------------------ case files */

enum bench_mode {
	MODE_THROUGHPUT, MODE_LATENCY, MODE_SCALING, MODE_BIND_CHURN,
	MODE_FAULT, MODE_COUNT
};

extern const char *const bench_mode_names[MODE_COUNT];

#define MAX_LIST 32

/* Knobs, as bits of case_spec::set_keys and of what a mode uses. */
enum {
	KEY_MODE = 1 << 0, KEY_OP = 1 << 1, KEY_SIZE = 1 << 2,
	KEY_BATCH = 1 << 3, KEY_DEPTH = 1 << 4, KEY_PRODUCERS = 1 << 5,
	KEY_DURATION = 1 << 6, KEY_WORKING_SET = 1 << 7, KEY_FAULT_OPS = 1 << 8,
	KEY_BUF = 1 << 9, KEY_SRC_NUMA = 1 << 10, KEY_DST_NUMA = 1 << 11,
	KEY_CACHE_FLUSH = 1 << 12, KEY_DMA = 1 << 13, KEY_REPEAT = 1 << 14,
};
extern const uint32_t bench_mode_keys[MODE_COUNT];
const char *spec_key_name(uint32_t key);

/* A set of cases: one mode, lists of knobs (every combination is a case). */
struct case_spec {
	enum bench_mode mode;
	uint32_t ops[MAX_LIST], sizes[MAX_LIST], batches[MAX_LIST];
	uint32_t depths[MAX_LIST], producers[MAX_LIST];
	int nops, nsizes, nbatches, ndepths, nproducers;
	uint32_t set_keys;         /* KEY_* given explicitly */
	double duration;
	uint32_t working_set;
	uint64_t fault_ops;
	uint32_t repeat;           /* rounds per case, 1..BENCH_REPEAT_MAX */
	int buf_kind;              /* enum bench_buf_kind */
	int src_numa, dst_numa;    /* -1: any */
	bool cache_flush;
	char dma[64];              /* rte_dma baseline of the set; "" = as given */
	char origin[128];          /* "FILE:LINE [case N]" or "command line" */
};

/* The KEY_* of a key name (working-set and working_set alike), 0 if none. */
uint32_t spec_key(const char *name);
/* Set a key of a spec from its text as an option or a case file gives it,
 * and mark it in set_keys: 0, or -EINVAL with a reason in err. */
int spec_set(struct case_spec *s, uint32_t key, const char *v, char *err,
	     size_t errsz);

/* Value parsers shared by the options and case files: they return the
 * count (lists) or 0, or -EINVAL with a reason in err. */
int parse_size(const char *s, uint32_t *out);
/* A count in digits alone (no K/M: "1K" or "3x" is a typo), min..max,
 * min at least 1; 0 or -EINVAL (the caller says why). */
int parse_count(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_list(const char *arg, uint32_t *out, uint32_t min, uint32_t max,
	       char *err, size_t errsz);
int parse_ops(const char *arg, uint32_t *ops, char *err, size_t errsz);
int parse_mode(const char *arg, char *err, size_t errsz);
int parse_duration(const char *arg, double *out, char *err, size_t errsz);
/* "a,,b", ",a" or "a,": an empty element, which strtok_r would skip; true
 * with the reason in err. */
bool list_has_empty(const char *arg, char *err, size_t errsz);
/* Remove every blank of s in place (a case file's "64, 4096" is "64,4096"). */
void strip_blanks(char *s);

/* A dpdk-test-dma-perf section ([case1]...) being read (config_dmaperf.c). */
struct dmaperf_section {
	const char *path;
	int lineno;                /* of the key being read */
	unsigned int nb_dma;       /* lcore_dma entries */
	bool skip;                 /* skip=1 */
	unsigned int nb_lcores;    /* lcores named, checked at the end */
	uint16_t lcores[64];
	int lcore_line[64];
};
/* Start s as such a section: throughput mode, copy. */
void dmaperf_section_begin(struct case_spec *s, struct dmaperf_section *dp,
			   const char *path);
/* One key=value of it onto s: 0, or -1 after an error naming key and line. */
int dmaperf_key(struct case_spec *s, struct dmaperf_section *dp,
		const char *key, char *val);
/* What the section's end decides (producers from lcore_dma): 0 or -1. */
int dmaperf_section_end(struct case_spec *s, struct dmaperf_section *dp);

/* Read a case file; every [case] starts from *defaults. Returns the number
 * of specs (in *out, malloc'd) or -1 after printing an error. */
int config_load(const char *path, const struct case_spec *defaults,
		struct case_spec **out);

#endif
