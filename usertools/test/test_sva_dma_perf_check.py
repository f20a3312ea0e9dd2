#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""sva-dma-perf-check.py on generated dpdk-test-dma-perf result files,
against the project's own usertools/sva-dma-perf.ini: every row present
passes; a missing row, a row of zero throughput, a row of another device
and a result file the tool never wrote fail, each naming the case; input
that cannot be read exits 2.
Prints "N passed, N failed, N skipped" like the other suites."""

import configparser
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "..", "sva-dma-perf-check.py")
INI = os.path.join(HERE, "..", "sva-dma-perf.ini")

# As DPDK 24.11's app/test-dma-perf writes its result file.
HDR = ("Case {n} : DMA_MEM_COPY,lcore,DMA,DMA ring size,kick batch size,"
       "buffer size(B),number of buffers,memory(MB),average cycle,"
       "bandwidth(Gbps),MOps\n")
ROW = "Scenario {i},1,{dev},1024,{kick},{buf},16,1.00,1000,{gbps},{mops}\n"
SUM = "Scenario {i} Summary, , , , , ,16,1.00,1000.0,{gbps},{mops}\n"

results = {"passed": 0, "failed": 0, "skipped": 0}


def expect(name, cond, detail=""):
    if cond:
        results["passed"] += 1
        print(f"  ok: {name}")
    else:
        results["failed"] += 1
        print(f"  FAILED: {name} {detail}")


def sweep(text):
    p = [x.strip() for x in text.split(",")]
    if len(p) == 1:
        return [int(p[0])]
    v, out = int(p[0]), []
    while v <= int(p[1]):
        out.append(v)
        v = v * int(p[2]) if p[3] == "MUL" else v + int(p[2])
    return out


def result_file(skip=None, zero=None, rename=None):
    """The rows a full run of INI writes; skip/zero/rename: (case, value)."""
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",))
    cp.read(INI)
    text = ",,,,,,,,\n,,,,,,,,\nTest Environment:\nCPU frequency,2.596 Ghz,,,,,,,,\n"
    n = 1
    while cp.has_section(f"case{n}"):
        s = cp[f"case{n}"]
        dev = s["lcore_dma0"].split("dev=")[1].split(",")[0]
        key = "kick_batch" if "," in s["kick_batch"] else "buf_size"
        text += ",,,,,,,,\n" + HDR.format(n=n)
        for i, v in enumerate(sweep(s[key]), 1):
            kick = v if key == "kick_batch" else int(s["kick_batch"])
            buf = v if key == "buf_size" else int(s["buf_size"])
            if (n, v) == skip:
                continue
            gbps, mops = ("0.000", "0.000") if (n, v) == zero else ("12.5", "1.25")
            d = "dma_other0" if (n, v) == rename else dev
            text += ROW.format(i=i, dev=d, kick=kick, buf=buf, gbps=gbps, mops=mops)
            text += SUM.format(i=i, gbps=gbps, mops=mops)
        n += 1
    return text, n - 1


def run(csv_text):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(csv_text)
    try:
        p = subprocess.run([sys.executable, CHECK, INI, f.name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=30)
    finally:
        os.unlink(f.name)
    return p


def main():
    full, ncases = result_file()
    expect("the ini has the size cases and the kick_batch cases", ncases >= 4,
           f"({ncases} cases)")
    rows = sum(1 for line in full.splitlines()
               if line.startswith("Scenario") and "Summary" not in line)

    p = run(full)
    expect("a full result file passes", p.returncode == 0,
           f"(exit {p.returncode}: {p.stdout[-300:]})")
    expect(f"it counts every row ({rows})",
           f"dma-perf: {rows} passed, 0 failed" in p.stdout, p.stdout[-200:])
    expect("the table puts dma_skeleton0 beside dma_sva0 with the ratio",
           "dma_sva0" in p.stdout and "MOps ratio" in p.stdout and
           " 1.00" in p.stdout, p.stdout[:400])

    for name, kw, why in (("a missing 64 B row", {"skip": (1, 64)}, "no result row"),
                          ("a zero-throughput 64 KiB row", {"zero": (3, 65280)},
                           "zero throughput"),
                          ("a row of another device", {"rename": (5, 16)},
                           "no result row")):
        text, _ = result_file(**kw)
        p = run(text)
        expect(f"{name} fails", p.returncode == 1 and why in p.stdout and
               f"dma-perf: {rows - 1} passed, 1 failed" in p.stdout,
               f"(exit {p.returncode}: {p.stdout[-300:]})")

    p = run(",,,,,,,,\nInvalid case 1\n")
    expect("a file without rows fails every check",
           p.returncode == 1 and f"dma-perf: 0 passed, {rows} failed" in p.stdout,
           f"(exit {p.returncode}: {p.stdout[-200:]})")

    p = subprocess.run([sys.executable, CHECK, INI, "/nonexistent/r.csv"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=30)
    expect("an unreadable result file exits 2 with one line",
           p.returncode == 2 and p.stderr.startswith("dma-perf: error:") and
           p.stderr.count("\n") == 1, f"(exit {p.returncode}: {p.stderr})")

    # a case without buf_size (dpdk-test-dma-perf requires one), a sweep
    # of no value (first > last: nothing would be checked): exit 2, one
    # line naming the case and the key, no traceback
    for name, keys, says in (
            ("a case without buf_size", "kick_batch=16\n", "buf_size"),
            ("a sweep of no value", "buf_size=4096,64,4,MUL\n",
             "bad sweep '4096,64,4,MUL'")):
        with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
            f.write("[case1]\ntype=DMA_MEM_COPY\n" + keys +
                    "lcore_dma0=lcore=1,dev=dma_sva0,dir=mem2mem\n")
        try:
            p = subprocess.run([sys.executable, CHECK, f.name, "/dev/null"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, timeout=30)
        finally:
            os.unlink(f.name)
        expect(f"{name} exits 2 with one line naming it",
               p.returncode == 2 and p.stderr.startswith("dma-perf: error:") and
               "[case1]" in p.stderr and says in p.stderr and
               p.stderr.count("\n") == 1, f"(exit {p.returncode}: {p.stderr})")

    print(f"{results['passed']} passed, {results['failed']} failed, "
          f"{results['skipped']} skipped")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
