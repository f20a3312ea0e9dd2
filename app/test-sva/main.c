/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/*
 * dpdk-test-sva: benchmark of SVA devices.
 *
 *   dpdk-test-sva [EAL options] -- [options]
 *
 * Throughput mode: for each case (operation x size x batch x depth) the SVA
 * device, the CPU and an rte_dma device run the same operation over the
 * same buffers in the same process, one after the other.
 */

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

#include "test_sva.h"

#define MAX_LIST 32

uint32_t bench_pasid;

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
"  throughput      (default) operations per second and GB/s per case\n"
"  bind-churn      bind + unbind of this process on a container of every\n"
"                  SVA device (started), cycles per second and latency\n"
"  fault           page requests on a device with pri=1: cold pages,\n"
"                  MADV_DONTNEED'd pages, an injected fault-rate sweep;\n"
"                  round trip p50/p99/p99.9 beside a userfaultfd fault\n"
"    --fault-ops N     operations per case (default 2000)\n"
"    --fault-worker L  run the fault worker on EAL lcore L (default: the\n"
"                      producer polls the fault queue itself)\n"
"\n"
"Options (lists are comma separated; every combination is a case):\n"
"  --op LIST        copy, fill, compare, compare_pattern, crc32c,\n"
"                   copy_crc32c, dualcast, or all (default: copy)\n"
"  --size LIST      bytes per operation, K/M suffixes (default: 64,4K,64K)\n"
"  --batch LIST     operations per doorbell (default: 32)\n"
"  --depth LIST     queue depth, a power of two (default: 1024)\n"
"  --producers N    producer lcores, each with its own queue; the first is\n"
"                   the main lcore, the others EAL workers (default: 1)\n"
"  --duration S     seconds per measurement (default: 1)\n"
"  --working-set B  bytes of buffers per side, K/M suffixes (default: 1M)\n"
"  --sva NAME       SVA device (default: the first one)\n"
"  --dma NAME       rte_dma baseline device (default: the first one)\n"
"  --no-dma         skip the rte_dma baseline\n"
"  --no-cpu         skip the CPU baseline\n"
"  --no-verify      skip data verification\n"
"  --csv FILE       also write CSV\n"
"  --json FILE      also write one JSON object per result ('-' = stdout)\n"
"  --quiet          no table\n"
"  --help           this text\n"
"\n"
"Example (engine and dma_skeleton worker on the second core):\n"
"  %s --no-huge -m 1024 --no-pci -l 0,1 --vdev=sva_sim0 \\\n"
"      --vdev=dma_skeleton0,lcore=1 -- --op copy --size 64,4K,64K\n"
"\n"
"Exit status: 0 when every case ran and verified, 1 on a verification\n"
"failure, 2 on a usage or setup error.\n", prg, prg);
}

static int
parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k') {
		v <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v <<= 20;
		end++;
	}
	if (*end != '\0' || v == 0 || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* Parse a comma list of sizes/numbers into out[]; returns count or <0. */
static int
parse_list(const char *arg, const char *what, uint32_t *out, uint32_t max)
{
	char buf[512], *save = NULL, *tok;
	int n = 0;

	if (strlen(arg) >= sizeof(buf)) {
		printf("--%s: list too long\n", what);
		return -EINVAL;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_LIST || parse_size(tok, &out[n]) != 0 || out[n] > max) {
			printf("--%s: bad value '%s' (1..%u, at most %d values)\n",
			       what, tok, max, MAX_LIST);
			return -EINVAL;
		}
		n++;
	}
	if (n == 0) {
		printf("--%s: empty list\n", what);
		return -EINVAL;
	}
	return n;
}

static int
parse_ops(const char *arg, uint32_t *ops)
{
	char buf[256], *save = NULL, *tok;
	int n = 0;

	if (strcmp(arg, "all") == 0) {
		for (int i = 0; i < OP_COUNT; i++)
			ops[n++] = i;
		return n;
	}
	if (strlen(arg) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; i < OP_COUNT; i++)
			if (strcmp(tok, bench_op_names[i]) == 0)
				break;
		if (i == OP_COUNT || n == MAX_LIST) {
			printf("--op: unknown operation '%s'\n", tok);
			return -EINVAL;
		}
		ops[n++] = i;
	}
	return n;
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "fault-ops", required_argument, NULL, 'F' },
		{ "fault-worker", required_argument, NULL, 'W' },
		{ "op", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "depth", required_argument, NULL, 'd' },
		{ "producers", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 't' },
		{ "working-set", required_argument, NULL, 'w' },
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
	struct bench_opts o = { .verify = true, .duration = 1.0,
				.working_set = 1u << 20, .fault_ops = 2000,
				.fault_worker = -1 };
	uint32_t ops[MAX_LIST] = { OP_COPY }, sizes[MAX_LIST] = { 64, 4096, 65536 };
	uint32_t batches[MAX_LIST] = { 32 }, depths[MAX_LIST] = { 1024 };
	int nops = 1, nsizes = 3, nbatches = 1, ndepths = 1;
	uint32_t producers = 1;
	FILE *csv = NULL, *json = NULL;
	int16_t sva_id, dma_id = -1;
	struct rte_sva_info info;
	bool all_ok = true;
	int ret, opt, cid;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("EAL init failed: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	argc -= ret;
	argv += ret;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int n = 0;
		char *end;

		switch (opt) {
		case 'm':
			o.mode = optarg;
			if (strcmp(optarg, "throughput") != 0 &&
			    strcmp(optarg, "bind-churn") != 0 &&
			    strcmp(optarg, "fault") != 0) {
				printf("--mode: want throughput, bind-churn or fault\n");
				n = -1;
			}
			break;
		case 'F': {
			uint32_t v;

			n = parse_size(optarg, &v) == 0 && v <= 1000000 ? 1 : -1;
			if (n < 0)
				printf("--fault-ops: want 1..1000000\n");
			o.fault_ops = v;
			break;
		}
		case 'W':
			o.fault_worker = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.fault_worker < 0 ||
			    o.fault_worker >= RTE_MAX_LCORE) {
				printf("--fault-worker: want an EAL lcore id\n");
				n = -1;
			}
			break;
		case 'o': n = nops = parse_ops(optarg, ops); break;
		case 's': n = nsizes = parse_list(optarg, "size", sizes, 1u << 30); break;
		case 'b': n = nbatches = parse_list(optarg, "batch", batches, 1024); break;
		case 'd': n = ndepths = parse_list(optarg, "depth", depths, 4096); break;
		case 'p': {
			uint32_t v[MAX_LIST];

			n = parse_list(optarg, "producers", v, RTE_SVA_MAX_QUEUES);
			producers = v[0];
			break;
		}
		case 't':
			o.duration = strtod(optarg, &end);
			if (*end != '\0' || o.duration <= 0 || o.duration > 3600) {
				printf("--duration: want seconds in (0, 3600]\n");
				n = -1;
			}
			break;
		case 'w': n = parse_size(optarg, &o.working_set) == 0 ? 1 : -1;
			if (n < 0)
				printf("--working-set: bad size '%s'\n", optarg);
			break;
		case 'S': o.sva_name = optarg; break;
		case 'D': o.dma_name = optarg; break;
		case 'N': o.no_dma = true; break;
		case 'C': o.no_cpu = true; break;
		case 'V': o.verify = false; break;
		case 'c': o.csv_path = optarg; break;
		case 'j': o.json_path = optarg; break;
		case 'q': o.quiet = true; break;
		case 'h': usage(argv[0]); return 0;
		default: usage(argv[0]); return 2;
		}
		if (n < 0)
			return 2;
	}
	if (optind < argc) {
		printf("unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	for (int i = 0; i < ndepths; i++) {
		if (!rte_is_power_of_2(depths[i]) || depths[i] < 32) {
			printf("--depth %u: want a power of two >= 32\n", depths[i]);
			return 2;
		}
		for (int j = 0; j < nbatches; j++)
			if (batches[j] >= depths[i]) {
				printf("--batch %u must be below --depth %u\n",
				       batches[j], depths[i]);
				return 2;
			}
	}

	if (o.mode != NULL && strcmp(o.mode, "bind-churn") == 0) {
		int16_t devs[RTE_SVA_MAX_DEVS], d;
		uint16_t nd = 0;

		RTE_SVA_FOREACH_DEV(d)
			devs[nd++] = d;
		if (nd == 0) {
			printf("no SVA device: add --vdev=sva_sim0 --vdev=sva_sim1\n");
			return 2;
		}
		if (o.csv_path && (csv = open_out(o.csv_path)) == NULL)
			return 2;
		if (o.json_path && (json = open_out(o.json_path)) == NULL)
			return 2;
		if (csv)
			fprintf(csv, "mode,devices,cycles_per_s,p50_us,p99_us,errors\n");
		ret = bench_churn_run(&o, devs, nd, json, csv);
		rte_eal_cleanup();
		return ret < 0 ? 2 : ret;
	}

	sva_id = o.sva_name ? rte_sva_get_dev_id_by_name(o.sva_name) : rte_sva_next_dev(0);
	if (sva_id < 0) {
		printf("no SVA device%s%s: add --vdev=sva_sim0 to the EAL options\n",
		       o.sva_name ? " named " : "", o.sva_name ? o.sva_name : "");
		return 2;
	}
	rte_sva_info_get(sva_id, &info);
	o.sva_name = info.dev_name;
	cid = rte_sva_container_create();
	if (cid < 0 || rte_sva_container_add_dev(cid, sva_id) != 0 ||
	    rte_sva_bind(cid, 0, &bench_pasid) != 0) {
		printf("cannot bind this process to %s\n", o.sva_name);
		return 2;
	}
	if (o.mode != NULL && strcmp(o.mode, "fault") == 0) {
		if (o.csv_path && (csv = open_out(o.csv_path)) == NULL)
			return 2;
		if (o.json_path && (json = open_out(o.json_path)) == NULL)
			return 2;
		if (csv)
			fprintf(csv, "mode,case,ops,ops_per_s,prq_per_s,rt_p50_us,"
				"rt_p99_us,rt_p999_us,rt_max_us,verified\n");
		ret = bench_fault_run(&o, sva_id, o.fault_worker, json, csv);
		rte_sva_container_destroy(cid);
		rte_eal_cleanup();
		return ret < 0 ? 2 : ret;
	}
	if (!o.no_dma) {
		if (o.dma_name != NULL) {
			dma_id = rte_dma_get_dev_id_by_name(o.dma_name);
			if (dma_id < 0) {
				printf("no rte_dma device %s\n", o.dma_name);
				return 2;
			}
		} else {
			dma_id = rte_dma_next_dev(0);
		}
	}
	if (o.csv_path && (csv = open_out(o.csv_path)) == NULL)
		return 2;
	if (o.json_path && (json = open_out(o.json_path)) == NULL)
		return 2;
	if (csv)
		output_csv_header(csv);
	if (!o.quiet) {
		struct rte_dma_info di;

		printf("SVA device %s (PASID %u), CPU baseline on lcore %u, rte_dma baseline %s\n",
		       o.sva_name, bench_pasid, rte_lcore_id(),
		       dma_id >= 0 && rte_dma_info_get(dma_id, &di) == 0 ? di.dev_name : "none");
		output_table_header(stdout);
	}

	for (int io = 0; io < nops; io++)
	for (int is = 0; is < nsizes; is++)
	for (int ib = 0; ib < nbatches; ib++)
	for (int id = 0; id < ndepths; id++) {
		struct bench_result r = {
			.c = { .op = ops[io], .size = sizes[is], .batch = batches[ib],
			       .depth = depths[id], .producers = producers },
		};
		struct bench_bufs b;

		if (sizes[is] > info.max_xfer_size) {
			printf("size %u above the device's max transfer %u: skipped\n",
			       sizes[is], info.max_xfer_size);
			continue;
		}
		if (bench_bufs_alloc(&b, sizes[is], o.working_set,
				     ops[io] == OP_DUALCAST) != 0) {
			printf("out of memory for %u-byte buffers\n", sizes[is]);
			return 2;
		}
		ret = bench_sva_run(&o, sva_id, &r.c, &b, &r.sva, &r.verified);
		if (ret != 0)
			return 2;
		if (!o.no_cpu)
			bench_cpu_run(&o, &r.c, &b, &r.cpu);
		if (dma_id >= 0)
			bench_dma_run(&o, dma_id, &r.c, &b, &r.dma);
		bench_bufs_free(&b);
		all_ok &= r.verified;
		if (!o.quiet)
			output_table_row(stdout, &r);
		if (csv)
			output_csv_row(csv, &r);
		if (json)
			output_json(json, &r);
	}
	if (csv && csv != stdout)
		fclose(csv);
	if (json && json != stdout)
		fclose(json);
	rte_sva_container_destroy(cid);
	rte_eal_cleanup();
	return all_ok ? 0 : 1;
}
