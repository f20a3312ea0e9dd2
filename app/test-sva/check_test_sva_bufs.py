# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Groups bufs, dmasva and dmaperf of check-test-sva.py: the buffer options,
dma_sva over the device measured as the rte_dma baseline, and case files in
dpdk-test-dma-perf's format. check-test-sva.py sets m to itself (its
helpers and device arguments) before calling them."""

import os
import re

m = None   # the check-test-sva.py module

DMA_SVA = "--vdev=dma_sva0,dev=sva_sim0"


def t_bufs(b):
    """--buf, --src-numa, --dst-numa, --cache-flush: each kind runs and
    verifies, the header says what was used; a node that is not there is
    refused before anything runs."""
    c = b.c
    for kind, extra, flush in (("rte_malloc", [], False),
                               ("mmap", ["--src-numa", "0", "--dst-numa", "0"], True),
                               ("malloc", ["--dst-numa", "0"], True)):
        args = ["--op", "copy,dualcast", "--size", "64,4K", "--duration",
                "0.05", "--buf", kind] + extra + ["--cache-flush"] * flush
        r = b.run([m.SIM, m.SKEL], args)
        what = "--buf %s %s" % (kind, " ".join(extra + ["--cache-flush"] * flush))
        m.ok_run(c, r, what)
        objs = b.parse_json(r)
        c.check(len(objs) == 4 and all(o["verified"] is True for o in objs),
                "%s: 4 cases verified" % what)
        for o in objs:
            m.engine_ok(c, o["sva"], "%s %s %d sva" % (what, o["op"], o["size"]))
            m.engine_ok(c, o["cpu"], "%s %s %d cpu" % (what, o["op"], o["size"]))
        hdr = re.search(r"^buffers: ([a-z_]+).*src NUMA node (\S+), dst NUMA node "
                      r"(\S+), caches (.*)$", r.out, re.M)
        if c.check(hdr is not None, "%s: a buffers line" % what):
            c.check(hdr.group(1) == kind, "%s: kind named" % what)
            c.check(hdr.group(2) == ("0" if "--src-numa" in extra else "any") and
                    hdr.group(3) == ("0" if "--dst-numa" in extra else "any"),
                    "%s: nodes named (%s)" % (what, hdr.group(0)))
            c.check(hdr.group(4).startswith("flushed before each pass (clflush")
                    if flush else hdr.group(4) == "not flushed",
                    "%s: flush said (%s)" % (what, hdr.group(4)))
    for what, args, msg in (
            ("--src-numa 7", ["--src-numa", "7"], "--src-numa 7: no NUMA node 7"),
            ("rte_malloc on node 7", ["--buf", "rte_malloc", "--dst-numa", "7"],
             "--dst-numa 7: EAL has no memory on NUMA node 7"),
            ("--buf nosuch", ["--buf", "nosuch"], "unknown buffer kind 'nosuch'"),
            ("--dst-numa x", ["--dst-numa", "x"], "bad NUMA node 'x'")):
        r = b.run([m.SIM], args + ["--duration", "0.05"])
        c.check(r.rc == 2 and msg in r.text, "%s: exit code 2 (got %s) and "
                "says %r" % (what, r.rc, msg))
        c.check(r.json_lines is None and " | verify" not in r.out,
                "%s: runs nothing" % what)


def t_dmasva(b):
    """dma_sva over the device measured as the rte_dma baseline: it binds
    in the adapter's container, both engines run on one device, and the
    header says what sva/dma means."""
    c = b.c
    r = b.run([m.SIM, DMA_SVA], ["--op", "copy,fill", "--size", "64,4K",
                               "--duration", "0.05"])
    m.ok_run(c, r, "dma_sva baseline")
    c.check("already in container" not in r.text,
            "dma_sva baseline: no container conflict")
    c.check(re.search(r"^rte_dma baseline dma_sva0 is dma_sva over sva_sim0, "
                      r"the device measured", r.out, re.M) is not None,
            "dma_sva baseline: the header says dma_sva over sva_sim0")
    objs = b.parse_json(r)
    c.check(len(objs) == 4, "dma_sva baseline: 4 cases (got %d)" % len(objs))
    for o in objs:
        what = "dma_sva baseline %s %d" % (o["op"], o["size"])
        c.check(o["verified"] is True, "%s: verified" % what)
        m.engine_ok(c, o["sva"], what + " sva")
        m.engine_ok(c, o["dma"], what + " dma")
        c.check(o["ratios"]["sva_dma"] is not None, "%s: sva/dma ratio" % what)
    # scaling over two devices, one of them in the adapter's container:
    # refused, saying which device is in which
    r = b.run([m.SIM, "--vdev=sva_sim1", DMA_SVA],
              ["--mode", "scaling", "--size", "4K", "--duration", "0.02"])
    want = ("sva_sim0 is in container 0, sva_sim1 in no container: "
            "one bind cannot serve both")
    c.check(r.rc == 2 and want in r.out, "dma_sva baseline, scaling over "
            "sva_sim0 and sva_sim1: exit code 2 (got %s) and says %r"
            % (r.rc, want))
    # beside another rte_dma device: --dma picks the adapter
    r = b.run([m.SIM, m.SKEL, DMA_SVA], ["--size", "4K", "--duration", "0.05",
                                     "--dma", "dma_sva0"])
    m.ok_run(c, r, "--dma dma_sva0")
    c.check("dma_sva over sva_sim0" in r.out, "--dma dma_sva0: named")
    r = b.run([m.SIM, m.SKEL, DMA_SVA], ["--size", "4K", "--duration", "0.05",
                                     "--dma", "dma_skeleton0"])
    m.ok_run(c, r, "--dma dma_skeleton0 beside dma_sva0")
    c.check("dma_sva over" not in r.out, "--dma dma_skeleton0: no such line")


DMAPERF_INI = """; dpdk-test-dma-perf's format
[case1]
type=DMA_MEM_COPY
mem_size=1
buf_size=64,4096,4,MUL
dma_ring_size=1024
kick_batch=16
src_numa_node=0
dst_numa_node=0
cache_flush=0
test_seconds=0.05
lcore_dma0=lcore=0,dev=dma_sva0,dir=mem2mem
eal_args=--in-memory --file-prefix=test

[case2]
skip=1
type=DMA_MEM_COPY
lcore_dma0=lcore=10,dev=0000:00:04.1,dir=mem2mem

[case3]
type=CPU_MEM_COPY
mem_size=2
buf_size=4096
dma_ring_size=64,256,4,MUL
src_numa_node=0
dst_numa_node=0
cache_flush=1
test_seconds=0.05
lcore = 0, 1
"""


def t_dmaperf(b):
    """Case files in dpdk-test-dma-perf's format: the sweeps expand into
    the rows expected, in order, verified; skip=1 drops a section; what
    does not map is refused naming the key and the line."""
    c = b.c
    path = os.path.join(b.tmp, "dmaperf.ini")
    with open(path, "w") as f:
        f.write(DMAPERF_INI)
    r = b.run([m.SIM, m.SKEL, DMA_SVA], ["--config", path], csv_out=True)
    m.ok_run(c, r, "dma-perf config")
    objs = b.parse_json(r)
    got = [(o["op"], o["size"], o["batch"], o["depth"]) for o in objs]
    want = [("copy", s, 16, 1024) for s in (64, 256, 1024, 4096)] + \
        [("copy", 4096, 32, d) for d in (64, 256)]
    c.check(got == want, "dma-perf config: rows of case1 and case3, in order "
            "(got %s)" % got)
    c.check(all(o["verified"] is True for o in objs), "dma-perf config: verified")
    for o in objs:
        what = "dma-perf %d/%d/%d" % (o["size"], o["batch"], o["depth"])
        m.engine_ok(c, o["sva"], what + " sva")
        m.engine_ok(c, o["cpu"], what + " cpu")
        m.engine_ok(c, o["dma"], what + " dma")
    rows = m.table_rows(r, ["copy"])
    c.check(sum(len(v) for v in rows.values()) == 6 and
            all(" ok" in line for v in rows.values() for line in v),
            "dma-perf config: 6 table rows, ok")
    sec = re.split(r"(?m)^== ", r.out)
    c.check(len(sec) == 3 and "[case1]" in sec[1] and "[case3]" in sec[2],
            "dma-perf config: sections case1 and case3 announced, case2 skipped")
    if len(sec) == 3:
        c.check("rte_dma baseline dma_sva0 is dma_sva over sva_sim0" in sec[1]
                and "src NUMA node 0, dst NUMA node 0, caches not flushed" in sec[1],
                "dma-perf case1: lcore_dma0's dev is the baseline; nodes")
        c.check("caches flushed before each pass" in sec[2],
                "dma-perf case3: cache_flush=1")
    c.check("eal_args ignored" in r.err and "CPU_MEM_COPY" in r.err,
            "dma-perf config: notes for eal_args and CPU_MEM_COPY")
    blocks = m.csv_blocks(c, r.csv_text, "dma-perf CSV")
    c.check(len(blocks) == 1 and len(blocks[0][1]) == 6,
            "dma-perf CSV: one block of 6 rows")

    # what does not map: refused, naming key and line, nothing run
    base = "[case1]\ntype=DMA_MEM_COPY\nbuf_size=64\ntest_seconds=0.05\n"
    for what, extra, msg in (
            ("unknown key", "bogus_key=1\n", ":5: key 'bogus_key': unknown key"),
            ("mem2dev", "lcore_dma0=lcore=0,dev=dma_sva0,dir=mem2dev\n",
             ":5: key 'lcore_dma0': dir=mem2dev: only mem2mem"),
            ("scatter-gather", "dma_src_sge=4\n",
             ":5: key 'dma_src_sge': scatter-gather"),
            ("bad sweep", "kick_batch=16,64,2,POW\n",
             ":5: key 'kick_batch': bad value '16,64,2,POW'"),
            ("empty sweep field", "kick_batch=16,64,,2,MUL\n",
             ":5: key 'kick_batch': empty element in list '16,64,,2,MUL'"),
            ("mem_size sweep", "mem_size=1,8,2,MUL\n",
             ":5: key 'mem_size': a sweep is not supported"),
            # dpdk-test-dma-perf's mem_size is a count of megabytes: a
            # size suffix (1K would read as 1024 MB) or 0 is refused
            ("mem_size suffix", "mem_size=1K\n",
             ":5: key 'mem_size': want megabytes"),
            ("mem_size 0", "mem_size=0\n",
             ":5: key 'mem_size': want megabytes"),
            ("other type", "type=DMA_MEM_FILL\n", ":5: key 'type': unknown type"),
            ("not an EAL lcore", "lcore_dma0=lcore=9,dev=dma_sva0,dir=mem2mem\n",
             ":5: lcore 9 is not an EAL lcore"),
            ("no such dev", "lcore_dma0=lcore=0,dev=dma_nosuch,dir=mem2mem\n",
             "no rte_dma device dma_nosuch")):
        with open(path, "w") as f:
            f.write(base + extra)
        r = b.run([m.SIM, DMA_SVA], ["--config", path])
        c.check(r.rc == 2 and msg in r.text, "dma-perf %s: exit code 2 (got "
                "%s) and says %r" % (what, r.rc, msg))
        c.check(r.json_lines is None and " | verify" not in r.out,
                "dma-perf %s: runs nothing" % what)

    # the shipped example, durations cut short
    shipped = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "dmaperf.ini")
    with open(shipped) as f:
        text = re.sub(r"(?m)^test_seconds=.*$", "test_seconds=0.02", f.read())
    with open(path, "w") as f:
        f.write(text)
    r = b.run([m.SIM, DMA_SVA, m.SKEL], ["--config", path])
    m.ok_run(c, r, "dmaperf.ini")
    objs = b.parse_json(r)
    c.check(len(objs) > 0 and all(o["verified"] is True and o["sva"]["errors"] == 0
                                  for o in objs), "dmaperf.ini: all verified")
