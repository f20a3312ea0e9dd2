/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Cases of the ctrl_edge suite: every driver refuses a bad devarg (octal,
 * hex, signed, blank, repeated keys, a CPU we may not run on) at probe,
 * with a log line, and still takes the good spelling (issue 10 item 17);
 * sizes take K/M/G, and the default engine CPU is free of EAL lcores or
 * warned about (issue 13 item 7). */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_bus_vdev.h>
#include <rte_lcore.h>
#include <rte_sva.h>

#include "test.h"
#include "test_ctrl_edge.h"

/* Each args string must fail the probe of name, with a log line. */
static int
refused_args(const char *name, const char *const *bad, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *log;
		int r;

		test_log_start();
		r = rte_vdev_init(name, bad[i]);
		log = test_log_stop();
		if (r == 0)
			rte_vdev_uninit(name);
		TEST_ASSERT(r < 0, "%s,%s accepted", name, bad[i]);
		TEST_ASSERT(strlen(log) > 0, "%s,%s refused silently", name, bad[i]);
	}
	return TEST_OK;
}

int
t_devargs_sim(void)
{
	static const char *const bad[] = {
		"queues=010", "queues=0x4", "queues=+4", "queues=-4",
		"queues= 4", "queues=4 ", "queues=", "max_desc=0x100",
		"fq_size=0100", "pasid_bits=+8", "queues=4,queues=4",
		"queues=4,queues=2", "pri=0,pri=1", "idle=spin,idle=yield",
		"atc=1,wqs=2,atc=1",
		/* Sizes: K/M/G only, digits before it, no overflow. */
		"max_xfer=64X", "max_xfer=64KB", "max_xfer=K", "max_xfer=0x10K",
		"max_xfer=064K", "max_xfer=2G", "max_xfer=17179869184G",
		"max_xfer=3K", "max_xfer=64K4",
	};
	static const struct { const char *arg; unsigned int xfer; } sizes[] = {
		{ "max_xfer=64K", 64u << 10 }, { "max_xfer=1M", 1u << 20 },
		{ "max_xfer=1G", 1u << 30 }, { "max_xfer=16m", 16u << 20 },
		{ "max_xfer=8192", 8192 },
	};
	const char *log;
	int r;

	TEST_RUN(refused_args(SIM_C_NAME, bad, RTE_DIM(bad)));
	/* Still fine: decimal numbers, repeatable engine_cpu. */
	TEST_ASSERT_EQ(rte_vdev_init(SIM_C_NAME, "queues=4,max_desc=128,pasid_bits=10"),
		       0, "decimal");
	TEST_ASSERT_EQ(rte_vdev_uninit(SIM_C_NAME), 0, "uninit");
	TEST_ASSERT(rte_vdev_init(SIM_C_NAME, "queues=0") < 0, "range");
	/* A size with a binary suffix is that many bytes. */
	for (unsigned int i = 0; i < RTE_DIM(sizes); i++) {
		struct rte_sva_info info;

		TEST_ASSERT_EQ(rte_vdev_init(SIM_C_NAME, sizes[i].arg), 0, "%s",
			       sizes[i].arg);
		r = rte_sva_info_get((int16_t)rte_sva_get_dev_id_by_name(SIM_C_NAME), &info);
		rte_vdev_uninit(SIM_C_NAME);
		TEST_ASSERT_EQ(r, 0, "info of %s", sizes[i].arg);
		TEST_ASSERT_EQ(info.max_xfer_size, sizes[i].xfer, "%s: max_xfer %u",
			       sizes[i].arg, (unsigned int)info.max_xfer_size);
	}
	/* The refusal names the key and the suffixes taken. */
	test_log_start();
	r = rte_vdev_init(SIM_C_NAME, "max_xfer=64X");
	log = test_log_stop();
	TEST_ASSERT(r < 0, "max_xfer=64X accepted");
	TEST_ASSERT(strstr(log, "max_xfer=64X") != NULL && strstr(log, "K, M or G") != NULL,
		    "the refusal of 64X says: %s", log);
	return TEST_OK;
}

/* The CPUs EAL threads run on: every lcore's (main, workers, service). */
static void
eal_cpus(rte_cpuset_t *used)
{
	CPU_ZERO(used);
	for (unsigned int l = 0; l < RTE_MAX_LCORE; l++) {
		enum rte_lcore_role_t role = rte_eal_lcore_role(l);
		rte_cpuset_t s;

		if (role != ROLE_RTE && role != ROLE_SERVICE)
			continue;
		s = rte_lcore_cpuset(l);
		CPU_OR(used, used, &s);
	}
}

/* Engine 0's CPU of name, as rte_sva_dump() prints it. */
static int
engine0_cpu(const char *name, int *cpu)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int id = rte_sva_get_dev_id_by_name(name), ret = -1;
	const char *p;

	if (f == NULL)
		return -1;
	if (id >= 0 && rte_sva_dump((int16_t)id, f) == 0) {
		fflush(f);
		p = strstr(buf, "engine 0: cpu ");
		if (p != NULL && sscanf(p, "engine 0: cpu %d", cpu) == 1)
			ret = 0;
	}
	fclose(f);
	free(buf);
	return ret;
}

/* Without engine_cpu the engine goes to a CPU no EAL lcore runs on when
 * this process may use one (the driver's own check of engine_cpu= says
 * which it may), else it shares one with a WARNING saying how to choose. */
static int
engine_default_cpu(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	rte_cpuset_t used;
	const char *log;
	int cpu = -2, free_cpu = -1;
	char arg[32];

	eal_cpus(&used);
	for (int c = 0; c < ncpu && c < CPU_SETSIZE && free_cpu < 0; c++) {
		if (CPU_ISSET(c, &used))
			continue;
		snprintf(arg, sizeof(arg), "engine_cpu=%d", c);
		if (rte_vdev_init(SIM_C_NAME, arg) == 0) {
			free_cpu = c;
			rte_vdev_uninit(SIM_C_NAME);
		}
	}
	test_log_start();
	if (rte_vdev_init(SIM_C_NAME, NULL) != 0) {
		test_log_stop();
		TEST_ASSERT(false, "probe %s", SIM_C_NAME);
	}
	log = test_log_stop();
	TEST_ASSERT_EQ(engine0_cpu(SIM_C_NAME, &cpu), 0, "engine 0's CPU in the dump");
	rte_vdev_uninit(SIM_C_NAME);
	if (free_cpu >= 0) {
		printf("    %u lcore(s): engine on CPU %d, free of EAL lcores\n",
		       rte_lcore_count(), cpu);
		TEST_ASSERT(cpu >= 0 && !CPU_ISSET(cpu, &used),
			    "engine on CPU %d though CPU %d is free of lcores", cpu,
			    free_cpu);
		TEST_ASSERT(strstr(log, "engine_cpu=") == NULL, "a warning: %s", log);
	} else {
		printf("    %u lcore(s): no free CPU, engine on CPU %d, warned\n",
		       rte_lcore_count(), cpu);
		TEST_ASSERT(strstr(log, "shares") != NULL, "no warning: %s", log);
		TEST_ASSERT(strstr(log, "lcore") != NULL && strstr(log, "engine_cpu=") != NULL,
			    "the warning names the lcore and engine_cpu=: %s", log);
	}
	return TEST_OK;
}

/* Here (the suite's lcores) and in a process with lcores 0,1: on two CPUs
 * that is CPU 1 for the engine with -l 0, and the warning with -l 0,1. */
int
t_devargs_engine_default(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	rte_cpuset_t mine, all;
	int ret;

	TEST_RUN(engine_default_cpu());
	if (ncpu < 2)
		return TEST_OK;
	/* The new process starts with the affinity of the thread that forks
	 * it: this main lcore's one CPU, unless widened for the while. */
	TEST_ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine),
		       0, "own affinity");
	CPU_ZERO(&all);
	for (long c = 0; c < ncpu && c < CPU_SETSIZE; c++)
		CPU_SET(c, &all);
	TEST_ASSERT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(all), &all),
		       0, "widen affinity");
	ret = test_spawn_run("ctrl_edge", "engine_default_cpu", "0,1", 60000);
	pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine);
	return ret;
}

const struct test_role ctrl_devargs_roles[] = {
	{ "engine_default_cpu", engine_default_cpu },
	{ NULL, NULL },
};

/* A CPU this process may not run on fails the probe (not the start). */
int
t_devargs_engine_cpu(void)
{
	rte_cpuset_t main_set = rte_lcore_cpuset(rte_get_main_lcore());
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	char bad1[64], bad2[64], good[64];
	const char *const bad[] = { bad1, bad2 };
	struct own_dev o = { .cid = -1 };
	int cpu = -1, ret;

	for (int c = 0; c < CPU_SETSIZE && cpu < 0; c++)
		if (CPU_ISSET(c, &main_set))
			cpu = c;
	TEST_ASSERT(cpu >= 0, "the main lcore's CPU");
	snprintf(bad1, sizeof(bad1), "engine_cpu=%ld", ncpu);
	snprintf(bad2, sizeof(bad2), "engines=2,engine_cpu=%d,engine_cpu=%d",
		 cpu, CPU_SETSIZE - 1);
	TEST_RUN(refused_args(SIM_C_NAME, bad, RTE_DIM(bad)));
	/* One we may run on probes and starts. */
	snprintf(good, sizeof(good), "engines=2,engine_cpu=%d,engine_cpu=%d",
		 cpu, cpu);
	ret = own_setup(&o, SIM_C_NAME, good, true);
	if (ret == TEST_OK)
		ret = one_copy(&o, 0, NULL);
	own_teardown(&o, SIM_C_NAME);
	return ret;
}

int
t_devargs_idxd(void)
{
	static const char *const bad[] = {
		"wq_prefix=ctrl,queues=010", "wq_prefix=ctrl,queues=0x2",
		"wq_prefix=ctrl,queues=+2", "wq_prefix=ctrl,queues=-2",
		"wq_prefix=ctrl,queues=2,queues=2", "wq_prefix=ctrl,wq_prefix=ctrl",
		"wq_prefix=ctrl,submit=portal,submit=write",
	};
	int ret;

	TEST_ASSERT_EQ(tree_build(), 0, "fake tree");
	ret = refused_args(IDXD, bad, RTE_DIM(bad));
	if (ret == TEST_OK && rte_vdev_init(IDXD, "wq_prefix=ctrl,queues=2") != 0) {
		printf("    FAIL: decimal queues=2 refused\n");
		ret = TEST_FAILED;
	}
	rte_vdev_uninit(IDXD);
	tree_remove();
	return ret;
}

int
t_devargs_dma_sva(void)
{
	static const char *const bad[] = {
		"dev=" SIM_B ",queue=01", "dev=" SIM_B ",queue=0x1",
		"dev=" SIM_B ",queue=+1", "dev=" SIM_B ",queue=-1",
		"dev=" SIM_B ",queue=1,queue=1", "dev=" SIM_B ",dev=" SIM_B,
	};
	int ret;

	TEST_ASSERT_EQ(rte_vdev_init(SIM_B, NULL), 0, "probe " SIM_B);
	ret = refused_args(DMA_A, bad, RTE_DIM(bad));
	if (ret == TEST_OK && rte_vdev_init(DMA_A, "dev=" SIM_B ",queue=1") != 0) {
		printf("    FAIL: queue=1 refused\n");
		ret = TEST_FAILED;
	}
	rte_vdev_uninit(DMA_A);
	rte_vdev_uninit(SIM_B);
	return ret;
}
