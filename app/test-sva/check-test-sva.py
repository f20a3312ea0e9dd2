#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Outcome checks for dpdk-test-sva: exit codes, results, CSV and JSON.

    check-test-sva.py [--cases FILE] BINARY [GROUP...]

Runs the benchmark on sva_sim (and dma_skeleton) devices with short
durations and asserts what it reports, never how fast: every expected case
is there, data verified, no errors, operations counted, baselines present or
absent as the engines allow, CSV consistent with JSON, case files honoured,
bad input refused with exit code 2 before anything runs.

Groups: throughput latency scaling churn fault csv config badinput bufs
dmasva dmaperf repeat (default: all). --cases: the shipped cases.ini, run with its durations cut short.
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

EAL = ["--no-huge", "-m", "1024", "--no-pci", "--no-shconf",
       "--log-level=lib.eal:error"]
SIM = "--vdev=sva_sim0"
SKEL = "--vdev=dma_skeleton0,lcore=1"
PRI = "--vdev=sva_sim0,pri=1"
ALL_OPS = ["copy", "fill", "compare", "compare_pattern", "crc32c",
           "copy_crc32c", "dualcast"]
DMA_OPS = {"copy", "fill"}   # what rte_dma has at all
RUN_TIMEOUT = 60


class Checks:
    """Counts checks; prints each failure with the run it came from."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.run = None

    def check(self, cond, what):
        if cond:
            self.passed += 1
            return True
        self.failed += 1
        print("FAIL: %s" % what)
        if self.run is not None and not self.run.dumped:
            self.run.dump()
        return False

    def skip(self, what):
        self.skipped += 1
        print("skip: %s" % what)


class Run:
    """One run of the benchmark: exit code, stdout, stderr, JSON, CSV."""

    def __init__(self, cmd, rc, out, err, json_lines, csv_text):
        self.cmd = cmd
        self.rc = rc
        self.out = out
        self.err = err
        self.json_lines = json_lines
        self.csv_text = csv_text
        self.dumped = False

    @property
    def text(self):
        return self.out + self.err

    def dump(self):
        self.dumped = True
        print("  command: %s" % " ".join(self.cmd))
        print("  exit code: %s" % self.rc)
        for name, s in (("stdout", self.out), ("stderr", self.err)):
            if s.strip():
                print("  %s:\n    %s" % (name,
                                        "\n    ".join(s.rstrip().split("\n"))))


class Bench:
    def __init__(self, binary, checks):
        self.binary = binary
        self.c = checks
        self.tmp = tempfile.mkdtemp(prefix="check-test-sva.")
        self.n = 0

    def run(self, vdevs, args, lcores="0,1", json_out=True, csv_out=False):
        """Run with JSON (and CSV) into temp files; None for a file that
        was not written at all."""
        self.n += 1
        jpath = os.path.join(self.tmp, "r%d.json" % self.n)
        cpath = os.path.join(self.tmp, "r%d.csv" % self.n)
        cmd = [self.binary] + EAL + ["-l", lcores] + vdevs + ["--"] + args
        if json_out:
            cmd += ["--json", jpath]
        if csv_out:
            cmd += ["--csv", cpath]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True,
                               timeout=RUN_TIMEOUT, check=False)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = "timeout", e.stdout or "", e.stderr or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            if isinstance(err, bytes):
                err = err.decode(errors="replace")
        lines = None
        if os.path.exists(jpath):
            with open(jpath) as f:
                lines = f.read().splitlines()
        text = None
        if os.path.exists(cpath):
            with open(cpath) as f:
                text = f.read()
        r = Run(cmd, rc, out, err, lines, text)
        self.c.run = r
        return r

    def raw(self, args):
        """Run with exactly these arguments (no EAL options added)."""
        cmd = [self.binary] + args
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           timeout=RUN_TIMEOUT, check=False)
        r = Run(cmd, p.returncode, p.stdout, p.stderr, None, None)
        self.c.run = r
        return r

    def parse_json(self, r):
        """Every line one JSON object; the list of them (empty on failure)."""
        c = self.c
        if not c.check(r.json_lines is not None, "JSON file written"):
            return []
        objs = []
        for i, line in enumerate(r.json_lines):
            try:
                objs.append(json.loads(line))
            except ValueError as e:
                c.check(False, "JSON line %d parses: %s: %r" % (i + 1, e, line))
                return []
        c.check(len(objs) > 0, "JSON has results")
        return objs


def hugepages_total():
    """Hugepages configured on this machine, of every size."""
    n = 0
    base = "/sys/kernel/mm/hugepages"
    for d in os.listdir(base) if os.path.isdir(base) else []:
        with open(os.path.join(base, d, "nr_hugepages")) as f:
            n += int(f.read())
    return n


def ok_run(c, r, what):
    return c.check(r.rc == 0, "%s: exit code 0 (got %s)" % (what, r.rc))


def by_key(c, objs, keyf, what):
    """Results keyed by keyf(obj), each key once."""
    d = {}
    for o in objs:
        k = keyf(o)
        c.check(k not in d, "%s: case %s reported once" % (what, k))
        d[k] = o
    return d


def engine_ok(c, fig, what):
    """A throughput engine's figures: ran, counted, no errors."""
    if not c.check(isinstance(fig, dict), "%s present" % what):
        return
    c.check(fig["ops"] > 0, "%s: ops > 0 (%s)" % (what, fig["ops"]))
    c.check(fig["errors"] == 0, "%s: errors 0 (%s)" % (what, fig["errors"]))
    c.check(fig["mops"] > 0 and fig["seconds"] > 0,
            "%s: mops and seconds > 0" % what)


def lat_ok(c, fig, what):
    if not c.check(isinstance(fig, dict), "%s present" % what):
        return
    c.check(fig["samples"] > 0, "%s: samples > 0" % what)
    c.check(fig["errors"] == 0, "%s: errors 0" % what)
    c.check(0 <= fig["p50_us"] <= fig["p99_us"] <= fig["p999_us"] <=
            fig["max_us"], "%s: p50 <= p99 <= p99.9 <= max" % what)


def table_rows(r, ops):
    """Table rows of stdout by their first word (an op name)."""
    rows = {}
    for line in r.out.splitlines():
        w = line.split()
        if len(w) > 2 and w[0] in ops:
            rows.setdefault((w[0], int(w[1])), []).append(line)
    return rows


# ------------------------------------------------------------------ groups

def t_throughput(b):
    c = b.c
    sizes = [64, 4096]
    r = b.run([SIM, SKEL], ["--op", "all", "--size", "64,4K",
                            "--duration", "0.1"])
    ok_run(c, r, "throughput")
    c.check("medians of" not in r.out,
            "throughput: no medians line without --repeat")
    c.check(re.search(r"^CPU baselines: .*crc32c (ISA-L crc32_iscsi|serial SSE4\.2)",
                      r.out, re.M) is not None,
            "throughput: the header names the crc32c baseline's implementation")
    res = by_key(c, b.parse_json(r), lambda o: (o["op"], o["size"]),
                 "throughput")
    rows = table_rows(r, ALL_OPS)
    for op in ALL_OPS:
        for size in sizes:
            what = "throughput %s %d" % (op, size)
            o = res.get((op, size))
            if not c.check(o is not None, "%s: in the JSON" % what):
                continue
            c.check(o["mode"] == "throughput" and o["batch"] == 32 and
                    o["depth"] == 1024 and o["producers"] == 1,
                    "%s: mode and default knobs" % what)
            c.check(o["verified"] is True, "%s: verified" % what)
            engine_ok(c, o["sva"], what + " sva")
            engine_ok(c, o["cpu"], what + " cpu")
            c.check(o["ratios"]["sva_cpu"] is not None,
                    "%s: sva/cpu ratio" % what)
            row = rows.get((op, size), [])
            c.check(len(row) == 1 and " ok" in row[0],
                    "%s: one table row, ok" % what)
            if op == "copy":
                engine_ok(c, o["dma"], what + " dma")
                c.check(o["ratios"]["sva_dma"] is not None,
                        "%s: sva/dma ratio" % what)
            elif op in DMA_OPS:
                # dma_skeleton has no fill: a null baseline, said why
                if o["dma"] is None:
                    c.check(len(row) == 1 and "(dma: device has no fill)"
                            in row[0], "%s: table says why no dma" % what)
                else:
                    engine_ok(c, o["dma"], what + " dma")
            else:
                c.check(o["dma"] is None and
                        o["ratios"]["sva_dma"] is None,
                        "%s: dma baseline null (not in rte_dma)" % what)
                c.check(len(row) == 1 and
                        "(dma: no %s in rte_dma)" % op in row[0],
                        "%s: table says why no dma" % what)
    c.check(len(res) == len(ALL_OPS) * len(sizes),
            "throughput: %d results, no others (got %d)" %
            (len(ALL_OPS) * len(sizes), len(res)))

    # no baselines at all
    r = b.run([SIM, SKEL], ["--op", "copy", "--size", "4K", "--duration",
                            "0.05", "--no-cpu", "--no-dma"])
    ok_run(c, r, "--no-cpu --no-dma")
    objs = b.parse_json(r)
    c.check(len(objs) == 1 and objs[0]["cpu"] is None and
            objs[0]["dma"] is None and objs[0]["verified"] is True and
            objs[0]["sva"]["ops"] > 0, "--no-cpu --no-dma: sva only")
    c.check("CPU baseline none" in r.out and
            "CPU baseline on" not in r.out,
            "--no-cpu --no-dma: the header names no CPU baseline")
    c.check("CPU baselines:" not in r.out,
            "--no-cpu --no-dma: no CPU baseline implementations listed")

    # two producers, two queues of one device
    r = b.run([SIM], ["--op", "copy,dualcast", "--size", "4K", "--producers",
                      "1,2", "--batch", "8,16", "--depth", "64",
                      "--duration", "0.05"])
    ok_run(c, r, "producers 1,2")
    res = by_key(c, b.parse_json(r), lambda o: (o["op"], o["batch"],
                                                o["producers"]),
                 "producers 1,2")
    for k in [(op, bt, p) for op in ("copy", "dualcast") for bt in (8, 16)
              for p in (1, 2)]:
        o = res.get(k)
        if c.check(o is not None, "throughput %s batch %d producers %d: "
                   "in the JSON" % k):
            c.check(o["depth"] == 64 and o["verified"] is True,
                    "throughput %s b%d p%d: verified" % k)
            engine_ok(c, o["sva"], "throughput %s b%d p%d sva" % k)
            c.check(o["dma"] is None, "throughput %s b%d p%d: no dma "
                    "device, dma null" % k)


def t_latency(b):
    c = b.c
    ops, sizes = ["copy", "fill", "crc32c"], [64, 4096]
    r = b.run([SIM, SKEL], ["--mode", "latency", "--op", ",".join(ops),
                            "--size", "64,4K", "--duration", "0.05"])
    ok_run(c, r, "latency")
    res = by_key(c, b.parse_json(r), lambda o: (o["op"], o["size"]),
                 "latency")
    c.check(len(res) == len(ops) * len(sizes), "latency: %d results" %
            (len(ops) * len(sizes)))
    for op in ops:
        for size in sizes:
            what = "latency %s %d" % (op, size)
            o = res.get((op, size))
            if not c.check(o is not None, "%s: in the JSON" % what):
                continue
            c.check(o["mode"] == "latency" and o["verified"] is True,
                    "%s: verified" % what)
            lat_ok(c, o["sva"], what + " sva")
            lat_ok(c, o["cpu"], what + " cpu")
            if op == "copy":
                lat_ok(c, o["dma"], what + " dma")
            elif op == "fill":
                c.check(o["dma"] is not None or
                        o.get("dma_note") == "device has no fill",
                        "%s: dma present or said why not" % what)
            else:
                c.check(o["dma"] is None and
                        o.get("dma_note") == "no %s in rte_dma" % op,
                        "%s: dma null, dma_note says why" % what)


def t_scaling(b):
    c = b.c
    r = b.run([SIM, "--vdev=sva_sim1"], ["--mode", "scaling", "--producers",
                                         "2", "--op", "copy", "--size", "4K",
                                         "--duration", "0.05"])
    ok_run(c, r, "scaling")
    objs = b.parse_json(r)
    res = by_key(c, objs, lambda o: (o["devices"], o["producers"]),
                 "scaling")
    # devices 1..2 x producers 1..2, none with more devices than producers
    want = [(1, 1), (1, 2), (2, 2)]
    c.check(sorted(res) == want, "scaling: points %s (got %s)" %
            (want, sorted(res)))
    for k in want:
        o = res.get(k)
        if o is None:
            continue
        what = "scaling %d dev %d prd" % k
        c.check(o["mode"] == "scaling" and o["verified"] is True,
                "%s: verified" % what)
        c.check(o["queues_per_dev"] == -(-k[1] // k[0]),
                "%s: queues per device" % what)
        engine_ok(c, o["sva"], what + " sva")
        c.check(o["speedup"] is not None and o["speedup"] > 0,
                "%s: speedup" % what)
    if objs:
        c.check(objs[0]["speedup"] == 1.0,
                "scaling: speedup of the first point is 1")


def t_churn(b):
    c = b.c
    for vdevs in ([SIM], [SIM, "--vdev=sva_sim1"]):
        r = b.run(vdevs, ["--mode", "bind-churn", "--duration", "0.1"])
        what = "bind-churn on %d device(s)" % len(vdevs)
        ok_run(c, r, what)
        objs = b.parse_json(r)
        if not c.check(len(objs) == 1, "%s: one result" % what):
            continue
        o = objs[0]
        c.check(o["mode"] == "bind-churn" and o["devices"] == len(vdevs),
                "%s: devices" % what)
        c.check(o["errors"] == 0, "%s: errors 0 (%s)" % (what, o["errors"]))
        c.check(o["cycles"] > 0 and o["cycles_per_s"] > 0,
                "%s: cycles > 0" % what)


def csv_blocks(c, text, what):
    """CSV of one or more header+rows blocks: a list of (header, rows)."""
    blocks = []
    if not c.check(text is not None and text != "", "%s: CSV written" % what):
        return blocks
    for row in csv.reader(text.splitlines()):
        if row and row[0] in ("op", "mode"):
            blocks.append((row, []))
        elif c.check(len(blocks) > 0, "%s: CSV starts with a header" % what):
            blocks[-1][1].append(dict(zip(blocks[-1][0], row)))
            c.check(len(row) == len(blocks[-1][0]),
                    "%s: CSV row as wide as its header: %s" % (what, row))
    return blocks


def f4(v):
    """A JSON figure as CSV prints it (empty for null)."""
    return "" if v is None else "%.4f" % v


def t_csv(b):
    c = b.c
    r = b.run([SIM, SKEL], ["--op", "copy,fill,crc32c", "--size", "64,4K",
                            "--duration", "0.05"], csv_out=True)
    ok_run(c, r, "throughput CSV")
    objs = b.parse_json(r)
    blocks = csv_blocks(c, r.csv_text, "throughput CSV")
    if not c.check(len(blocks) == 1, "throughput CSV: one block"):
        return
    head, rows = blocks[0]
    c.check(head == ["op", "size", "batch", "depth", "producers", "sva_mops",
                     "sva_gbps", "sva_errors", "cpu_mops", "cpu_gbps",
                     "dma_mops", "dma_gbps", "sva_cpu_ratio",
                     "sva_dma_ratio", "verified", "rounds",
                     "sva_busy_ns_per_op"],
            "throughput CSV header")
    c.check(len(rows) == len(objs) == 6, "throughput CSV: a row per JSON "
            "result (%d, %d)" % (len(rows), len(objs)))
    for row, o in zip(rows, objs):
        what = "throughput CSV %s %s" % (row.get("op"), row.get("size"))
        for k in ("op", "size", "batch", "depth", "producers"):
            c.check(row.get(k) == str(o[k]), "%s: %s as in JSON" % (what, k))
        c.check(row.get("sva_mops") == f4(o["sva"]["mops"]) and
                row.get("sva_gbps") == f4(o["sva"]["gbps"]) and
                row.get("sva_errors") == str(o["sva"]["errors"]),
                "%s: sva figures as in JSON" % what)
        for e in ("cpu", "dma"):
            fig = o[e] or {}
            c.check(row.get(e + "_mops") == f4(fig.get("mops")) and
                    row.get(e + "_gbps") == f4(fig.get("gbps")),
                    "%s: %s figures as in JSON" % (what, e))
        c.check(row.get("sva_cpu_ratio") == f4(o["ratios"]["sva_cpu"]) and
                row.get("sva_dma_ratio") == f4(o["ratios"]["sva_dma"]),
                "%s: ratios as in JSON" % what)
        c.check(row.get("verified") == ("1" if o["verified"] else "0"),
                "%s: verified as in JSON" % what)
        c.check(row.get("rounds") == "1" == str(len(o["rounds"])),
                "%s: one round without --repeat" % what)
        # the engine's time per op: counted by sva_sim, some and no more
        # than the pass's own time per op (one engine); none for the
        # CPU and rte_dma passes
        busy = o["sva"]["busy_ns_per_op"]
        c.check(busy is not None and 0 < busy <= 1e3 / o["sva"]["mops"] * 1.001,
                "%s: engine busy %s ns/op within the pass's %.1f" %
                (what, busy, 1e3 / o["sva"]["mops"]))
        c.check(row.get("sva_busy_ns_per_op") == f4(busy),
                "%s: engine busy as in JSON" % what)
        c.check(all((o[e] or {}).get("busy_ns_per_op") is None
                    for e in ("cpu", "dma")),
                "%s: no engine busy for the baselines" % what)
        c.check(re.search(r"engine busy [0-9.]+ of [0-9.]+ ns/op", r.out)
                is not None, "%s: engine busy in the table" % what)

    # latency, scaling: their own headers, same figures
    r = b.run([SIM, SKEL], ["--mode", "latency", "--op", "copy,crc32c",
                            "--size", "64", "--duration", "0.05"],
              csv_out=True)
    ok_run(c, r, "latency CSV")
    objs = b.parse_json(r)
    blocks = csv_blocks(c, r.csv_text, "latency CSV")
    if c.check(len(blocks) == 1 and len(blocks[0][1]) == len(objs) == 2,
               "latency CSV: one block, a row per result"):
        for row, o in zip(blocks[0][1], objs):
            what = "latency CSV %s" % o["op"]
            c.check(row.get("mode") == "latency" and row.get("op") == o["op"]
                    and row.get("size") == str(o["size"]),
                    "%s: case as in JSON" % what)
            for e in ("sva", "cpu", "dma"):
                fig = o[e] or {}
                c.check(row.get(e + "_p50_us") == f4(fig.get("p50_us")) and
                        row.get(e + "_samples") ==
                        ("" if o[e] is None else str(fig["samples"])),
                        "%s: %s figures as in JSON" % (what, e))
            c.check(row.get("verified") == "1", "%s: verified" % what)

    r = b.run([SIM, "--vdev=sva_sim1"], ["--mode", "scaling", "--producers",
                                         "2", "--size", "4K", "--duration",
                                         "0.05"], csv_out=True)
    ok_run(c, r, "scaling CSV")
    objs = b.parse_json(r)
    blocks = csv_blocks(c, r.csv_text, "scaling CSV")
    if c.check(len(blocks) == 1 and len(blocks[0][1]) == len(objs) == 3,
               "scaling CSV: one block, a row per result"):
        for row, o in zip(blocks[0][1], objs):
            c.check(row.get("devices") == str(o["devices"]) and
                    row.get("producers") == str(o["producers"]) and
                    row.get("sva_mops") == f4(o["sva"]["mops"]) and
                    row.get("speedup") == f4(o["speedup"]) and
                    row.get("verified") == "1" and row.get("rounds") == "1",
                    "scaling CSV %d dev %d prd: as in JSON" %
                    (o["devices"], o["producers"]))

    # fault: one row per case but the ratio line (JSON only)
    r = b.run([PRI], ["--mode", "fault", "--fault-ops", "50"], csv_out=True)
    ok_run(c, r, "fault CSV")
    objs = [o for o in b.parse_json(r) if o["case"] != "ratio"]
    blocks = csv_blocks(c, r.csv_text, "fault CSV")
    if c.check(len(blocks) == 1 and len(blocks[0][1]) == len(objs),
               "fault CSV: one block, a row per case"):
        for row, o in zip(blocks[0][1], objs):
            # one name per figure: the CSV header is the JSON object's keys
            c.check(list(blocks[0][0]) == list(o.keys()),
                    "fault CSV %s: columns named as the JSON keys (%s vs %s)"
                    % (o["case"], blocks[0][0], list(o.keys())))
            c.check(row.get("case") == o["case"] and
                    row.get("ops") == str(o["ops"]) and
                    row.get("prq_per_s") ==
                    "%.1f" % o["prq_per_s"] and
                    row.get("rt_p50_us") == "%.3f" % o["rt_p50_us"] and
                    row.get("verified") == "1",
                    "fault CSV %s: as in JSON" % o["case"])


def t_config(b, cases_ini):
    c = b.c
    path = os.path.join(b.tmp, "two.ini")
    with open(path, "w") as f:
        f.write("# two sets of cases\n"
                "[case]\n"
                "mode = throughput\n"
                "op = copy, fill   ; comment after a value\n"
                "size = 64\n"
                "\n"
                "[case]\n"
                "mode = latency\n"
                "op = crc32c\n"
                "size = 4K, 64\n")
    r = b.run([SIM, SKEL], ["--config", path, "--duration", "0.05"],
              csv_out=True)
    ok_run(c, r, "--config")
    objs = b.parse_json(r)
    got = [(o["mode"], o["op"], o["size"]) for o in objs]
    want = [("throughput", "copy", 64), ("throughput", "fill", 64),
            ("latency", "crc32c", 4096), ("latency", "crc32c", 64)]
    c.check(got == want, "--config: cases of both sections, in order "
            "(got %s)" % got)
    c.check(all(o["verified"] is True for o in objs), "--config: verified")
    for i, mode in ((1, "throughput"), (2, "latency")):
        c.check(re.search(r"== %s:\d+ \[case %d\]: %s" %
                          (re.escape(path), i, mode), r.out) is not None,
                "--config: section %d announced" % i)
    blocks = csv_blocks(c, r.csv_text, "--config CSV")
    c.check([h[0] for h, _ in blocks] == ["op", "mode"] and
            [len(rows) for _, rows in blocks] == [2, 2],
            "--config CSV: a header before each mode's rows")

    # a key the mode does not use: a note, still runs
    with open(path, "w") as f:
        f.write("[case]\nmode = bind-churn\nduration = 0.05\nsize = 64\n")
    r = b.run([SIM], ["--config", path])
    ok_run(c, r, "--config bind-churn with size")
    c.check("size has no effect in bind-churn mode" in r.err,
            "--config: unused key noted")
    objs = b.parse_json(r)
    c.check(len(objs) == 1 and objs[0]["mode"] == "bind-churn" and
            objs[0]["errors"] == 0, "--config: bind-churn ran")

    if cases_ini is None:
        c.skip("the shipped cases.ini (no --cases)")
        return
    # the shipped example, durations cut short (every mode)
    with open(cases_ini) as f:
        text = f.read()
    text = re.sub(r"(?m)^duration\s*=.*$", "duration = 0.02", text)
    text = re.sub(r"(?m)^fault_ops\s*=.*$", "fault_ops = 50", text)
    short = os.path.join(b.tmp, "cases.ini")
    with open(short, "w") as f:
        f.write(text)
    r = b.run([PRI, SKEL], ["--config", short], csv_out=True)
    ok_run(c, r, "cases.ini")
    objs = b.parse_json(r)
    modes = []
    for o in objs:
        if not modes or modes[-1] != o["mode"]:
            modes.append(o["mode"])
    c.check(modes == ["throughput", "latency", "scaling", "bind-churn",
                      "fault"], "cases.ini: every mode in order (got %s)" %
            modes)
    c.check(all(o.get("verified", True) is True and
                o.get("errors", 0) == 0 for o in objs),
            "cases.ini: all verified, no errors")
    c.check(len(csv_blocks(c, r.csv_text, "cases.ini CSV")) == 5,
            "cases.ini CSV: five blocks")


def t_badinput(b):
    c = b.c
    bad_ini = os.path.join(b.tmp, "bad.ini")
    with open(bad_ini, "w") as f:
        f.write("[case]\nmode = latency\nsize = 0\n")
    cases = [
        ("unknown mode", [SIM], ["--mode", "nosuch"],
         "unknown mode 'nosuch'"),
        ("--size 0", [SIM], ["--size", "0"], "--size: bad value '0'"),
        ("--depth 33", [SIM], ["--depth", "33"],
         "--depth: bad value '33' (want a power of two"),
        ("unknown op", [SIM], ["--op", "copy,nosuch"],
         "unknown operation 'nosuch'"),
        ("missing --config", [SIM],
         ["--config", os.path.join(b.tmp, "nosuch.ini")],
         "nosuch.ini: cannot open"),
        ("bad value in --config", [SIM], ["--config", bad_ini],
         "bad.ini:3: [case 1]: key 'size'"),
        ("fault without pri", [SIM], ["--mode", "fault"],
         "fault mode needs a device with page requests"),
        ("--sva nosuchdev", [SIM], ["--sva", "nosuchdev"],
         "no SVA device named nosuchdev"),
        ("no SVA device", [], [], "no SVA device"),
        ("batch not below depth", [SIM], ["--batch", "64", "--depth", "64"],
         "--batch 64 must be below --depth 64"),
        ("too many producers", [SIM], ["--producers", "3"],
         "3 producers need 2 worker lcores"),
        ("--duration 0", [SIM], ["--duration", "0"], "--duration: bad value"),
        ("unknown option", [SIM], ["--nosuch"], "see --help"),
        ("stray argument", [SIM], ["stray"], "unexpected argument 'stray'"),
        ("trailing comma", [SIM], ["--op", "copy,"], "empty element in list"),
        ("fault worker on the main lcore", [PRI], ["--mode", "fault", "--fault-worker", "0"],
         "not an EAL worker lcore"),
        ("empty element", [SIM], ["--size", "64,,4K"], "empty element in list"),
        ("--repeat 0", [SIM], ["--repeat", "0"],
         "--repeat: bad value '0' (want rounds 1..99)"),
        ("--repeat 100", [SIM], ["--repeat", "100"],
         "--repeat: bad value '100' (want rounds 1..99)"),
        ("--repeat x", [SIM], ["--repeat", "x"],
         "--repeat: bad value 'x' (want rounds 1..99)"),
        # 2^32 + 3: a count read into 32 bits unchecked would be 3
        ("--repeat 4294967299", [SIM], ["--repeat", "4294967299"],
         "--repeat: bad value '4294967299' (want rounds 1..99)"),
        ("--repeat 3K", [SIM], ["--repeat", "3K"],
         "--repeat: bad value '3K' (want rounds 1..99)"),
        ("unknown --fault-backend", [PRI],
         ["--mode", "fault", "--fault-backend", "bogus"],
         "--fault-backend: unknown backend 'bogus'"),
    ]
    if not os.path.exists("/dev/iommu"):   # no kernel's iommufd mock here
        cases.append(("--fault-backend iommufd-mock without the mock", [PRI],
                      ["--mode", "fault", "--fault-backend", "iommufd-mock"],
                      "--fault-backend iommufd-mock: unavailable here"))
    for what, vdevs, args, msg in cases:
        r = b.run(vdevs, args + ["--duration", "0.05"] *
                  ("--duration" not in args), csv_out=True)
        c.check(r.rc == 2, "%s: exit code 2 (got %s)" % (what, r.rc))
        c.check(msg in r.text, "%s: says %r" % (what, msg))
        c.check(r.json_lines is None and r.csv_text is None and
                "SVA device sva_sim0" not in r.out and
                " | verify" not in r.out, "%s: runs nothing" % what)
    r = b.run([SIM], ["--help"], json_out=False)
    c.check(r.rc == 0 and "--fault-ops" in r.out and "Exit status" in r.out,
            "--help: exit code 0, the options and exit codes")
    # --help needs no EAL: neither as the only argument nor after --
    for args in (["--help"], ["--", "--help"], ["-h"]):
        r = b.raw(args)
        c.check(r.rc == 0 and "Exit status" in r.out and
                "EAL:" not in r.text,
                "%s: usage with exit code 0, EAL not started" % " ".join(args))
    # a failed probe names the --vdev given, not a made-up one
    r = b.run(["--vdev=sva_sim0,nosuchkey=1"], [], json_out=False)
    c.check(r.rc == 2, "failed probe: exit code 2 (got %s)" % r.rc)
    c.check("add --vdev=sva_sim0" not in r.out and
            "--vdev=sva_sim0,nosuchkey=1" in r.out and
            "probe" in r.out,
            "failed probe: the hint names the --vdev given and that its "
            "probe failed")
    # no hugepages and no --no-huge: EAL fails, the hint says --no-huge
    if hugepages_total() == 0:
        r = b.raw(["--no-pci", "--no-shconf", "-l", "0", SIM, "--"])
        c.check(r.rc == 2 and "--no-huge -m" in r.out,
                "no hugepages: exit code 2 and a --no-huge -m hint")
    else:
        c.skip("no-hugepage hint: this machine has hugepages")


# Groups bufs, dmasva and dmaperf: check_test_sva_bufs.py, beside this file
# (on sys.path as the script's directory), given this module's helpers.
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import check_test_sva_bufs  # noqa: E402
check_test_sva_bufs.m = sys.modules[__name__]
t_bufs = check_test_sva_bufs.t_bufs
t_dmasva = check_test_sva_bufs.t_dmasva
t_dmaperf = check_test_sva_bufs.t_dmaperf
# Group fault: check_test_sva_fault.py, the same way.
import check_test_sva_fault  # noqa: E402
check_test_sva_fault.m = sys.modules[__name__]
t_fault = check_test_sva_fault.t_fault
# Group repeat: check_test_sva_repeat.py, the same way.
import check_test_sva_repeat  # noqa: E402
check_test_sva_repeat.m = sys.modules[__name__]
t_repeat = check_test_sva_repeat.t_repeat


GROUPS = ["throughput", "latency", "scaling", "churn", "fault", "csv",
          "config", "badinput", "bufs", "dmasva", "dmaperf", "repeat"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", help="the shipped cases.ini")
    ap.add_argument("binary")
    ap.add_argument("groups", nargs="*", metavar="GROUP",
                    help=" ".join(GROUPS) + " (default: all)")
    a = ap.parse_args()
    for g in a.groups:
        if g not in GROUPS:
            ap.error("unknown group %r (want %s)" % (g, " ".join(GROUPS)))
    checks = Checks()
    b = Bench(os.path.abspath(a.binary), checks)
    groups_ok = groups_failed = 0
    for g in a.groups or GROUPS:
        print("== %s" % g)
        sys.stdout.flush()
        failed_before = checks.failed
        if g == "config":
            t_config(b, a.cases and os.path.abspath(a.cases))
        else:
            globals()["t_" + g](b)
        if checks.failed == failed_before:
            groups_ok += 1
        else:
            groups_failed += 1
    print("checks: %d held, %d failed, %d skipped" %
          (checks.passed, checks.failed, checks.skipped))
    # The run scripts add up these lines over every test: count groups,
    # as the C suites count test cases, not individual checks.
    print("%d passed, %d failed, 0 skipped" % (groups_ok, groups_failed))
    shutil.rmtree(b.tmp, ignore_errors=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
