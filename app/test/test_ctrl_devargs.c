/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The librte_sva authors
 */

/* Cases of the ctrl_edge suite: every driver refuses a bad devarg (octal,
 * hex, signed, blank, repeated keys, a CPU we may not run on) at probe,
 * with a log line, and still takes the good spelling (issue 10 item 17). */

#include <sched.h>

#include <rte_bus_vdev.h>
#include <rte_lcore.h>

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
	};

	TEST_RUN(refused_args(SIM_C_NAME, bad, RTE_DIM(bad)));
	/* Still fine: decimal numbers, repeatable engine_cpu. */
	TEST_ASSERT_EQ(rte_vdev_init(SIM_C_NAME, "queues=4,max_desc=128,pasid_bits=10"),
		       0, "decimal");
	TEST_ASSERT_EQ(rte_vdev_uninit(SIM_C_NAME), 0, "uninit");
	TEST_ASSERT(rte_vdev_init(SIM_C_NAME, "queues=0") < 0, "range");
	return TEST_OK;
}

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
