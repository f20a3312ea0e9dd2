/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * dpdk-test-sva: benchmark of SVA devices.
 *
 *   dpdk-test-sva [EAL options] -- [options]
 *
 * Throughput mode: for each case (operation x size x batch x depth x
 * producers) the SVA device, the CPU and an rte_dma device run the same
 * operation over the same buffers in the same process, one after the other.
 * Latency mode: the same engines with one operation in flight, each timed.
 * Scaling mode: the throughput loop over 1..N producers and 1..D devices.
 * Bind-churn and fault modes: see churn.c and fault.c.
 *
 * The command line makes one set of cases; --config FILE makes one per
 * [case] section, the command line giving the defaults.
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <rte_dmadev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <rte_sva.h>
#include <rte_sva_bond.h>

#include "run.h"
#include "test_sva.h"

static void
usage(const char *prg)
{
	printf(
"Usage: %s [EAL options] -- [options]\n"
"\n"
"Measures an SVA device against the CPU and an rte_dma device, in the same\n"
"process, on the same plain malloc buffers. Each case runs for --duration\n"
"seconds on each engine; data is verified after each SVA run.\n"
"\n"
"Modes (--mode):\n"
"  throughput      (default) operations per second and GB/s per case:\n"
"                  producers keep depth-1 operations in flight and ring the\n"
"                  doorbell every batch; then the CPU (memcpy, memset,\n"
"                  memcmp, CRC32C) and the rte_dma device (copy, fill) run\n"
"                  the same operations on the same buffers.\n"
"                  Uses: op size batch depth producers duration working-set\n"
"                  repeat\n"
"  latency         one operation in flight: enqueue with SUBMIT, spin on\n"
"                  completion, each operation timed with rte_rdtsc; p50, p99,\n"
"                  p99.9 and max in microseconds, with the CPU (one call\n"
"                  timed) and rte_dma (one operation at a time) beside it.\n"
"                  Uses: op size depth duration working-set\n"
"  scaling         the throughput loop for producers 1..N (N: --producers,\n"
"                  default every EAL lcore; a list is taken as is) times\n"
"                  devices 1..D (every SVA device): producer p drives queue\n"
"                  p/D of device p%%D; all devices share one container and\n"
"                  one bind (one PASID). Aggregate Mops and GB/s, speedup\n"
"                  over the first point. Points with more devices than\n"
"                  producers are skipped.\n"
"                  Uses: op size batch depth producers duration working-set\n"
"                  repeat\n"
"  bind-churn      bind + unbind of this process on a container of every\n"
"                  SVA device (started), cycles per second and latency.\n"
"                  Uses: duration\n"
"  fault           page requests on a device with pri=1: cold pages,\n"
"                  MADV_DONTNEED'd pages, an injected fault-rate sweep;\n"
"                  round trip p50/p99/p99.9 beside a userfaultfd fault.\n"
"                  Uses: fault-ops repeat (4 KiB copies, fixed cases)\n"
"    --fault-ops N     operations per case (default 2000)\n"
"    --fault-worker L  run the fault worker on EAL lcore L (default: the\n"
"                      producer polls the fault queue itself)\n"
"    --fault-backend B the case through the real kernel's iommufd fault\n"
"                      queue on its test mock device (CONFIG_IOMMUFD_TEST):\n"
"                      auto (default: run when the kernel has the mock,\n"
"                      else skipped saying why), iommufd-mock (required:\n"
"                      exit 2 without it), none\n"
"\n"
"Options (lists are comma separated; every combination is a case; a knob a\n"
"mode does not use is ignored with a note):\n"
"  --mode M         throughput, latency, scaling, bind-churn, fault\n"
"  --op LIST        copy, fill, compare, compare_pattern, crc32c,\n"
"                   copy_crc32c, dualcast, or all (default: copy)\n"
"  --size LIST      bytes per operation, K/M suffixes (default: 64,4K,64K)\n"
"  --batch LIST     operations per doorbell (default: 32)\n"
"  --depth LIST     queue depth, a power of two, 32..4096 (default: 1024)\n"
"  --producers LIST producer lcores, each with its own queue; the first is\n"
"                   the main lcore, the others EAL workers (default: 1;\n"
"                   scaling: a single N means 1..N)\n"
"  --duration S     seconds per measurement (default: 1)\n"
"  --repeat N       rounds per case, 1..99 (default: 1). Throughput: each\n"
"                   round runs the SVA pass (verified), then the CPU pass,\n"
"                   then the rte_dma pass, so a slow phase of the host hits\n"
"                   every engine alike; the table prints each engine's\n"
"                   median Mops and GB/s and the median of the rounds'\n"
"                   own ratios, with their range ([min-max]). Scaling: the\n"
"                   median of each point's rounds and their Mops range.\n"
"                   Fault: the cold and first-touch cases alternate N\n"
"                   times, the ratio row is the median of the rounds'\n"
"                   ratios (each listed); the other cases run once\n"
"  --working-set B  bytes of buffers per side, K/M suffixes (default: 1M)\n"
"  --buf KIND       buffers: malloc (default; page-aligned libc memory), mmap\n"
"                   (an anonymous mapping each) or rte_malloc (EAL's heap:\n"
"                   hugepages, or with --no-huge EAL's anonymous memory)\n"
"  --src-numa N     NUMA node of the source buffers (default: any; malloc and\n"
"  --dst-numa N     mmap through mbind, rte_malloc through its socket)\n"
"  --cache-flush    flush source and destination from the CPU caches before\n"
"                   each measured pass (clflushopt, else clflush), so that\n"
"                   the device and the CPU baselines start equally cold\n"
"  --config FILE    run the cases of an INI-like file: one [case] section per\n"
"                   set of cases, keys mode, op, size, batch, depth,\n"
"                   producers, duration, working_set, fault_ops, buf,\n"
"                   src_numa, dst_numa, cache_flush (0|1), dma, repeat\n"
"                   (values as the options; a key left out takes the\n"
"                   option's value);\n"
"                   [case1], [case2]... sections are read as\n"
"                   dpdk-test-dma-perf's (type, mem_size, buf_size,\n"
"                   dma_ring_size, kick_batch with first,last,incr,ADD|MUL,\n"
"                   src/dst_numa_node, cache_flush, test_seconds, lcore_dma,\n"
"                   lcore, skip; see the guide).\n"
"                   Examples: app/test-sva/cases.ini, dmaperf.ini\n"
"  --sva NAME       SVA device (default: the first one)\n"
"  --dma NAME       rte_dma baseline device (default: the first one; a\n"
"                   dma_sva adapter over the SVA device measured gives the\n"
"                   dmadev API's overhead on one device)\n"
"  --no-dma         skip the rte_dma baseline\n"
"  --no-cpu         skip the CPU baseline\n"
"  --no-verify      skip data verification\n"
"  --csv FILE       also write CSV ('-' = stdout); a file of several modes has\n"
"                   a header line before each block of rows of one mode\n"
"  --json FILE      also write one JSON object per result ('-' = stdout)\n"
"  --quiet          no table, no progress line\n"
"  --help, -h       this text (EAL is not started)\n"
"\n"
"A progress line (case i of n, elapsed time) is rewritten on stderr when it\n"
"is a terminal and the run takes over 3 seconds.\n"
"\n"
"Output columns:\n"
"  throughput  op size batch depth prd | sva Mops, GB/s | cpu Mops, GB/s |\n"
"              dma Mops, GB/s | sva/cpu sva/dma (Mops ratios), with\n"
"              --repeat N > 1 their ranges over the rounds | verify\n"
"  latency     op size depth | sva p50 p99 p99.9 max | cpu ... | dma ... |\n"
"              verify  (microseconds; '-' where an engine lacks the op)\n"
"  scaling     op size batch depth devs prd q/dev | sva Mops, GB/s, errors |\n"
"              speedup, with --repeat N > 1 the Mops range | verify\n"
"  bind-churn  devices, bind+unbind/s, p50 and p99 microseconds, errors\n"
"  fault       case, ops, ops/s, page requests/s, round trip p50 p99 p99.9\n"
"              max (microseconds)\n"
"  CSV and JSON carry the same figures, plus sample counts, means, errors;\n"
"  with --repeat the medians under the same names, JSON each round's figures\n"
"  (\"rounds\"), CSV their count (column rounds).\n"
"  Plot CSV with usertools/sva-plot.py.\n"
"\n"
"Examples (engine and dma_skeleton worker on the second core):\n"
"  %s --no-huge -m 1024 --no-pci -l 0,1 --vdev=sva_sim0 \\\n"
"      --vdev=dma_skeleton0,lcore=1 -- --op copy --size 64,4K,64K\n"
"  ... -- --mode latency --op copy,fill --size 64,4K --csv lat.csv\n"
"  ... --vdev=sva_sim0 --vdev=sva_sim1 -- --mode scaling --size 4K\n"
"  ... --vdev=sva_sim0,pri=1 -- --config app/test-sva/cases.ini\n"
"\n"
"Exit status: 0 when every case ran and verified, 1 on a verification\n"
"failure (the other cases still run), 2 on a usage or setup error (bad\n"
"option or case file, no device, cannot bind or configure).\n", prg, prg);
}

/* ------------------------------------------- before and after EAL init */

/* --help or -h for this tool: after "--", or anywhere when there is no "--"
 * (EAL would take it and print its own usage). Checked before EAL starts,
 * so that the usage needs no hugepages, devices or privileges. */
static bool
wants_help(int argc, char **argv)
{
	int i, from = 1;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			from = i + 1;
			break;
		}
	for (i = from; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/* Hugepages configured on this machine, every size; 0 when none or when
 * sysfs cannot tell. */
static unsigned long
hugepages_total(void)
{
	static const char base[] = "/sys/kernel/mm/hugepages";
	unsigned long n = 0, v;
	struct dirent *e;
	char path[512];
	DIR *d = opendir(base);
	FILE *f;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/nr_hugepages", base, e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%lu", &v) == 1)
			n += v;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* The EAL options (before "--"): whether opt is one of them, and each --vdev
 * argument into vdevs (pointers into argv, taken before EAL permutes it). */
static bool
eal_args_scan(int argc, char **argv, const char *opt, const char **vdevs,
	      int *nvdevs, int max)
{
	bool found = false;

	*nvdevs = 0;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], opt) == 0)
			found = true;
		if (strncmp(argv[i], "--vdev=", 7) == 0)
			v = argv[i] + 7;
		else if (strcmp(argv[i], "--vdev") == 0 && i + 1 < argc)
			v = argv[++i];
		if (v != NULL && *nvdevs < max)
			vdevs[(*nvdevs)++] = v;
	}
	return found;
}

/* No SVA device after EAL init: say what was given and why none probed. */
static void
no_device_hint(const char **vdevs, int nvdevs)
{
	bool sva = false;

	for (int i = 0; i < nvdevs; i++)
		if (strncmp(vdevs[i], "sva_", 4) == 0) {
			printf("no SVA device: the probe of --vdev=%s failed "
			       "(the driver's reason is logged above)\n", vdevs[i]);
			sva = true;
		}
	if (sva)
		return;
	if (nvdevs == 0) {
		printf("no SVA device: add --vdev=sva_sim0 to the EAL options\n");
		return;
	}
	printf("no SVA device: none of");
	for (int i = 0; i < nvdevs; i++)
		printf(" --vdev=%s", vdevs[i]);
	printf(" is one; add --vdev=sva_sim0 for the software device\n");
}

static FILE *
open_out(const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "w");
	if (f == NULL)
		printf("cannot open %s: %s\n", path, strerror(errno));
	return f;
}

/* ---------------------------------------------------------- the cases */

static uint32_t
spec_cases(const struct case_spec *s, uint16_t nb_devs)
{
	uint32_t prods[MAX_LIST], pts = 0;
	int np;

	switch (s->mode) {
	case MODE_THROUGHPUT:
		return s->nops * s->nsizes * s->nbatches * s->ndepths * s->nproducers;
	case MODE_LATENCY:
		return s->nops * s->nsizes * s->ndepths;
	case MODE_SCALING:
		np = scale_producers(s, prods);
		for (uint16_t nd = 1; nd <= nb_devs; nd++)
			for (int i = 0; i < np; i++)
				pts += prods[i] >= nd;
		return s->nops * s->nsizes * s->nbatches * s->ndepths * pts;
	default:
		return 1;
	}
}

/* Rough seconds a spec takes, for the progress line only. */
static double
spec_seconds(const struct case_spec *s, uint16_t nb_devs, const struct run_ctx *x)
{
	double engines = 1 + !x->o.no_cpu + (x->dma_id >= 0);

	switch (s->mode) {
	case MODE_THROUGHPUT:
		return spec_cases(s, nb_devs) * s->duration * engines * s->repeat;
	case MODE_LATENCY:
		return spec_cases(s, nb_devs) * s->duration * engines;
	case MODE_SCALING:
		return spec_cases(s, nb_devs) * s->duration * s->repeat;
	case MODE_BIND_CHURN:
		return spec_cases(s, nb_devs) * s->duration;
	default:
		return 0.2 + s->fault_ops * (1 + s->repeat) / 20000.0;
	}
}

/* Checks that need EAL; a message naming the spec, 0 or -1. cli_keys: the
 * options given on the command line (defaults of every [case]). */
static int
spec_check(struct case_spec *s, bool from_file, uint32_t cli_keys)
{
	const char *dash = from_file ? "" : "--";
	uint32_t nl = rte_lcore_count();
	uint32_t unused = s->set_keys & ~bench_mode_keys[s->mode] & ~KEY_MODE;
	char pre[160];

	snprintf(pre, sizeof(pre), "%s%s", s->origin, s->origin[0] ? ": " : "");
	for (uint32_t k = 1; unused != 0; k <<= 1)
		if (unused & k) {
			fprintf(stderr, "%snote: %s%s has no effect in %s mode\n",
				pre, dash, spec_key_name(k), bench_mode_names[s->mode]);
			unused &= ~k;
		}
	if (s->mode == MODE_THROUGHPUT || s->mode == MODE_SCALING) {
		for (int i = 0; i < s->ndepths; i++)
			for (int j = 0; j < s->nbatches; j++)
				if (s->batches[j] >= s->depths[i]) {
					printf("%s%sbatch %u must be below %sdepth %u\n",
					       pre, dash, s->batches[j], dash,
					       s->depths[i]);
					return -1;
				}
		for (int i = 0; i < s->nproducers; i++)
			if (s->producers[i] > nl) {
				printf("%s%u producers need %u worker lcores (-l); have %u\n",
				       pre, s->producers[i], s->producers[i] - 1, nl - 1);
				return -1;
			}
	}
	{
		struct bench_opts bo = {
			.working_set = s->working_set, .buf_kind = s->buf_kind,
			.src_numa = s->src_numa, .dst_numa = s->dst_numa,
			.cache_flush = s->cache_flush,
		};
		char err[256];

		if (bench_bufs_check(&bo, err, sizeof(err)) != 0) {
			/* the key as the option is spelled: src-numa */
			for (char *q = err; !from_file && *q && *q != ' '; q++)
				if (*q == '_')
					*q = '-';
			printf("%s%s%s\n", pre, dash, err);
			return -1;
		}
	}
	if (s->mode == MODE_SCALING &&
	    !((s->set_keys | cli_keys) & KEY_PRODUCERS)) {
		/* every EAL lcore */
		s->producers[0] = RTE_MIN(nl, (uint32_t)RTE_SVA_MAX_QUEUES);
		s->nproducers = 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	/* 'k': the keys of a case, named as in case files */
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'k' },
		{ "fault-ops", required_argument, NULL, 'k' },
		{ "fault-worker", required_argument, NULL, 'W' },
		{ "fault-backend", required_argument, NULL, 'B' },
		{ "op", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 'k' },
		{ "batch", required_argument, NULL, 'k' },
		{ "depth", required_argument, NULL, 'k' },
		{ "producers", required_argument, NULL, 'k' },
		{ "duration", required_argument, NULL, 'k' },
		{ "repeat", required_argument, NULL, 'k' },
		{ "working-set", required_argument, NULL, 'k' },
		{ "buf", required_argument, NULL, 'k' },
		{ "src-numa", required_argument, NULL, 'k' },
		{ "dst-numa", required_argument, NULL, 'k' },
		{ "cache-flush", no_argument, NULL, 'F' },
		{ "config", required_argument, NULL, 'f' },
		{ "sva", required_argument, NULL, 'S' },
		{ "dma", required_argument, NULL, 'D' },
		{ "no-dma", no_argument, NULL, 'N' },
		{ "no-cpu", no_argument, NULL, 'C' },
		{ "no-verify", no_argument, NULL, 'V' },
		{ "csv", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* The command line's set of cases: the defaults of a case file's. */
	struct case_spec cli = {
		.mode = MODE_THROUGHPUT,
		.ops = { OP_COPY }, .nops = 1,
		.sizes = { 64, 4096, 65536 }, .nsizes = 3,
		.batches = { 32 }, .nbatches = 1,
		.depths = { 1024 }, .ndepths = 1,
		.producers = { 1 }, .nproducers = 1,
		.duration = 1.0, .working_set = 1u << 20, .fault_ops = 2000,
		.repeat = 1,
		.buf_kind = BUF_MALLOC, .src_numa = -1, .dst_numa = -1,
		.origin = "",   /* messages name files only */
	};
	struct run_ctx x = { .o = { .verify = true, .fault_worker = -1 },
			     .dma_id = -1, .csv_kind = CSV_NONE };
	struct case_spec *specs = &cli;
	const char *config = NULL;
	int nspecs = 1, rc = EXIT_SETUP, ret, opt, li, d16, dma_default;
	uint32_t total = 0;
	double estimate = 0;
	char err[256];
	const char *vdevs[16];
	int nvdevs;
	bool no_huge;

	if (wants_help(argc, argv)) {
		usage(argv[0]);
		return EXIT_OK;
	}
	no_huge = eal_args_scan(argc, argv, "--no-huge", vdevs, &nvdevs,
				(int)RTE_DIM(vdevs));
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("EAL init failed: %s\n", rte_strerror(rte_errno));
		if (!no_huge && hugepages_total() == 0)
			printf("no hugepages are configured here: add --no-huge -m <MB> "
			       "to the EAL options (e.g. --no-huge -m 1024)\n");
		return EXIT_SETUP;
	}
	argc -= ret;
	argv += ret;

	while ((opt = getopt_long(argc, argv, "h", longopts, &li)) != -1) {
		char *end;

		switch (opt) {
		case 'k':   /* a key of the command line's set of cases */
			if (spec_set(&cli, spec_key(longopts[li].name), optarg,
				     err, sizeof(err)) != 0) {
				printf("--%s: %s\n", longopts[li].name, err);
				return EXIT_SETUP;
			}
			break;
		case 'W':
			x.o.fault_worker = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg || x.o.fault_worker < 0 ||
			    x.o.fault_worker >= RTE_MAX_LCORE) {
				printf("--fault-worker: want an EAL lcore id\n");
				return EXIT_SETUP;
			}
			break;
		case 'B':
			x.o.fault_backend = fault_backend_parse(optarg);
			if (x.o.fault_backend < 0) {
				printf("--fault-backend: unknown backend '%s' (want auto, iommufd-mock, none)\n",
				       optarg);
				return EXIT_SETUP;
			}
			break;
		case 'F':
			spec_set(&cli, KEY_CACHE_FLUSH, "1", err, sizeof(err));
			break;
		case 'f': config = optarg; break;
		case 'S': x.o.sva_name = optarg; break;
		case 'D': x.o.dma_name = optarg; break;
		case 'N': x.o.no_dma = true; break;
		case 'C': x.o.no_cpu = true; break;
		case 'V': x.o.verify = false; break;
		case 'c': x.o.csv_path = optarg; break;
		case 'j': x.o.json_path = optarg; break;
		case 'q': x.o.quiet = true; break;
		case 'h': usage(argv[0]); return EXIT_OK;
		default:
			printf("see --help\n");
			return EXIT_SETUP;
		}
	}
	if (optind < argc) {
		printf("unexpected argument '%s' (see --help)\n", argv[optind]);
		return EXIT_SETUP;
	}
	if (config != NULL) {
		struct case_spec defaults = cli;

		nspecs = config_load(config, &defaults, &specs);
		if (nspecs < 0)
			return EXIT_SETUP;
	}
	for (int i = 0; i < nspecs; i++)
		if (spec_check(&specs[i], config != NULL, cli.set_keys) != 0)
			goto setup_fail;
	if (x.o.fault_worker >= 0) {
		bool any_fault = false;

		for (int i = 0; i < nspecs; i++)
			any_fault |= specs[i].mode == MODE_FAULT;
		if (!any_fault)
			fprintf(stderr, "note: --fault-worker has no effect without fault mode\n");
		else if (!rte_lcore_is_enabled((unsigned int)x.o.fault_worker) ||
			 (unsigned int)x.o.fault_worker == rte_get_main_lcore()) {
			printf("--fault-worker %d: not an EAL worker lcore (see -l)\n",
			       x.o.fault_worker);
			goto setup_fail;
		}
	}
	if (x.o.fault_backend == FAULT_BACKEND_IOMMUFD_MOCK) {
		bool any_fault = false;

		for (int i = 0; i < nspecs; i++)
			any_fault |= specs[i].mode == MODE_FAULT;
		if (!any_fault)
			fprintf(stderr, "note: --fault-backend has no effect without fault mode\n");
		else if (fault_iommufd_available(err, sizeof(err)) != 0) {
			printf("--fault-backend iommufd-mock: unavailable here: %s\n", err);
			goto setup_fail;
		}
	}

	/* Devices: every SVA device (scaling, bind-churn), the one measured. */
	RTE_SVA_FOREACH_DEV(d16)
		x.devs[x.nb_devs++] = d16;
	if (x.nb_devs == 0) {
		no_device_hint(vdevs, nvdevs);
		goto setup_fail;
	}
	x.sva_id = x.o.sva_name ? rte_sva_get_dev_id_by_name(x.o.sva_name) : x.devs[0];
	if (x.sva_id < 0) {
		printf("no SVA device named %s; have:", x.o.sva_name);
		for (uint16_t d = 0; d < x.nb_devs; d++) {
			rte_sva_info_get(x.devs[d], &x.info);
			printf(" %s", x.info.dev_name);
		}
		printf("\n");
		goto setup_fail;
	}
	rte_sva_info_get(x.sva_id, &x.info);
	x.o.sva_name = x.info.dev_name;
	for (int i = 0; i < nspecs; i++)
		if (specs[i].mode == MODE_FAULT &&
		    !(x.info.dev_capa & RTE_SVA_CAPA_PAGE_REQUEST)) {
			printf("%s%sfault mode needs a device with page requests: "
			       "--vdev=sva_sim0,pri=1\n", specs[i].origin,
			       specs[i].origin[0] ? ": " : "");
			goto setup_fail;
		}
	if (!x.o.no_dma) {
		if (x.o.dma_name != NULL) {
			x.dma_id = rte_dma_get_dev_id_by_name(x.o.dma_name);
			if (x.dma_id < 0) {
				printf("no rte_dma device %s\n", x.o.dma_name);
				goto setup_fail;
			}
		} else {
			x.dma_id = rte_dma_next_dev(0);
		}
	}
	/* A set of cases may name its own rte_dma baseline (key dma, or a
	 * dma-perf section's lcore_dma dev): it must exist. */
	for (int i = 0; i < nspecs; i++)
		if (!x.o.no_dma && specs[i].dma[0] != '\0' &&
		    strcmp(specs[i].dma, "none") != 0 &&
		    rte_dma_get_dev_id_by_name(specs[i].dma) < 0) {
			printf("%s%sno rte_dma device %s (add its --vdev, or dma = none)\n",
			       specs[i].origin, specs[i].origin[0] ? ": " : "",
			       specs[i].dma);
			goto setup_fail;
		}
	dma_default = x.dma_id;
	if (x.o.csv_path && (x.csv = open_out(x.o.csv_path)) == NULL)
		goto setup_fail;
	if (x.o.json_path && (x.json = open_out(x.o.json_path)) == NULL)
		goto setup_fail;

	for (int i = 0; i < nspecs; i++) {
		total += spec_cases(&specs[i], x.nb_devs);
		estimate += spec_seconds(&specs[i], x.nb_devs, &x);
	}
	progress_init(!x.o.quiet, total, estimate);

	rc = EXIT_OK;
	for (int i = 0; i < nspecs && rc != EXIT_SETUP; i++) {
		const struct case_spec *s = &specs[i];

		x.o.mode = bench_mode_names[s->mode];
		x.o.duration = s->duration;
		x.o.working_set = s->working_set;
		x.o.fault_ops = s->fault_ops;
		x.o.repeat = s->repeat;
		x.o.buf_kind = s->buf_kind;
		x.o.src_numa = s->src_numa;
		x.o.dst_numa = s->dst_numa;
		x.o.cache_flush = s->cache_flush;
		x.dma_id = dma_default;
		if (!x.o.no_dma && s->dma[0] != '\0')
			x.dma_id = strcmp(s->dma, "none") == 0 ? -1 :
				rte_dma_get_dev_id_by_name(s->dma);
		if (config != NULL && !x.o.quiet) {
			progress_clear();
			printf("%s== %s: %s\n", i ? "\n" : "", s->origin, x.o.mode);
		}
		switch (s->mode) {
		case MODE_THROUGHPUT: ret = run_throughput(&x, s); break;
		case MODE_LATENCY: ret = run_latency(&x, s); break;
		case MODE_SCALING: ret = run_scaling(&x, s); break;
		case MODE_BIND_CHURN: ret = run_churn(&x); break;
		default: ret = run_fault(&x); break;
		}
		if (ret > rc)
			rc = ret;
	}
	progress_done();
setup_fail:
	/* After a setup error too (rc still EXIT_SETUP, no device started
	 * yet): the case file's specs and EAL released as after a run. */
	if (x.csv && x.csv != stdout)
		fclose(x.csv);
	if (x.json && x.json != stdout)
		fclose(x.json);
	unbind_all();
	for (uint16_t d = 0; d < x.nb_devs; d++)
		rte_sva_stop(x.devs[d]);
	if (specs != &cli)
		free(specs);
	rte_eal_cleanup();
	return rc;
}
