#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Kernel-lab case: dpdk-test-sva's fault mode with its iommufd-mock case,
page requests through the lab guest's real kernel (the iommufd test mock
device: TRIGGER_IOPF -> fault fd -> librte_sva's fault queue -> fault
worker -> resolver -> response accepted by the kernel), beside the mode's
other cases of the same run.

Checks outcomes, never timings: exit code 0; the iommufd-mock row in the
table, the CSV and the JSON, and the rows of the other cases beside it;
every request answered (ops), round trips measured (p50 > 0, ordered
percentiles); the kernel accepted every response (none refused, none lost
to a write error), read one group per request, mapped one page each and
its mock domain mirrors them; the library answered each SUCCESS.

  check_fault_iommufd.py PATH/TO/dpdk-test-sva
Exit 0 pass, 1 fail, 77 outside the lab guest (no /dev/iommu)."""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

# Over 512 pages (2 MiB): a region of cold pages able to hold a huge page.
OPS = 1000
# One vCPU in the guest: lcore 1 (the fault worker) shares it.
EAL = ["--no-huge", "-m", "256", "--no-pci", "--no-shconf", "--lcores=0,1@0",
       "--vdev=sva_sim0,pri=1", "--log-level=lib.eal:error"]
failures = []


def check(cond, msg):
    print(("  ok: " if cond else "  FAIL: ") + msg)
    if not cond:
        failures.append(msg)
    return cond


def run(tool, tmp, extra, ops):
    js, cs = os.path.join(tmp, "out.json"), os.path.join(tmp, "out.csv")
    cmd = [tool] + EAL + ["--", "--mode", "fault", "--fault-ops", str(ops),
                          "--json", js, "--csv", cs] + extra
    print("$ " + " ".join(cmd))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=240)
    print(p.stdout)
    objs, rows = [], []
    if os.path.exists(js):
        with open(js) as f:
            objs = [json.loads(l) for l in f if l.strip()]
    if os.path.exists(cs):
        with open(cs) as f:
            rows = list(csv.DictReader(io.StringIO(f.read())))
    return p.returncode, p.stdout, objs, rows, ops


def by_case(objs):
    return {o.get("case"): o for o in objs}


def table_row(out, name):
    for line in out.splitlines():
        w = line.split()
        if w and w[0] == name:
            return w
    return None


def check_run(what, rc, out, objs, rows, OPS):
    check(rc == 0, "%s: exit code 0 (got %s)" % (what, rc))
    res = by_case(objs)
    # every case of the run verified, the device's and the baselines too
    bad = [o["case"] for o in objs if o.get("verified") is False]
    check(not bad, "%s: every case verified (failed: %s)" % (what, bad))
    # the baselines of the same run, beside the case
    for name in ("cold", "dontneed", "uffd-same", "iommufd-mock"):
        check(name in res, "%s: JSON has case %s" % (what, name))
        check(table_row(out, name) is not None,
              "%s: the table has a row %s" % (what, name))
    o = res.get("iommufd-mock")
    if check(o is not None, "%s: iommufd-mock result" % what):
        check(o["verified"] is True, "%s: iommufd-mock verified" % what)
        check(o["ops"] == OPS, "%s: %d requests (got %s)" % (what, OPS, o["ops"]))
        check(o["rt_p50_us"] > 0, "%s: p50 %s us > 0" % (what, o["rt_p50_us"]))
        check(o["rt_p50_us"] <= o["rt_p99_us"] <= o["rt_p999_us"] <= o["rt_max_us"],
              "%s: p50 <= p99 <= p99.9 <= max" % what)
        check(o["ops_per_s"] > 0 and
              abs(o["prq_per_s"] - o["ops_per_s"]) <= 1e-3 * o["ops_per_s"],
              "%s: one accepted response per request (ops/s %s, PRQ/s %s)" %
              (what, o["ops_per_s"], o["prq_per_s"]))
        row = [r for r in rows if r.get("case") == "iommufd-mock"]
        check(len(row) == 1 and row[0].get("mode") == "fault" and
              row[0].get("ops") == str(OPS) and row[0].get("verified") == "1" and
              row[0].get("rt_p50_us") == "%.3f" % o["rt_p50_us"],
              "%s: the CSV row is the JSON's (%s)" % (what, row))
        w = table_row(out, "iommufd-mock")
        check(w is not None and w[1] == str(OPS) and w[-1] == "ok",
              "%s: the table row says %d ops, ok (%s)" % (what, OPS, w))
    k = res.get("iommufd-mock-kernel")
    if check(k is not None, "%s: the kernel's counters (iommufd-mock-kernel)" % what):
        check(k["responses_accepted"] == OPS, "%s: the kernel accepted %d responses (%s)"
              % (what, OPS, k["responses_accepted"]))
        check(k["responses_refused"] == 0 and k["write_errors"] == 0,
              "%s: none refused (%s), none lost (%s)" %
              (what, k["responses_refused"], k["write_errors"]))
        check(k["groups_read"] == OPS, "%s: %d groups read from the fault fd (%s)"
              % (what, OPS, k["groups_read"]))
        check(k["pages_mapped"] == OPS, "%s: one page mapped per request (%s)"
              % (what, k["pages_mapped"]))
        check(k["resp_success"] == OPS, "%s: the library answered SUCCESS %d times (%s)"
              % (what, OPS, k["resp_success"]))
        check(k["mirrored"] is True, "%s: the mock domain maps the pages" % what)
    check("accepted %d of %d responses" % (OPS, OPS) in out,
          "%s: the counters line" % what)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    if not os.path.exists("/dev/iommu"):
        print("no /dev/iommu: not a lab guest (skipped)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        # with the fault worker on lcore 1, and asked for explicitly (a
        # kernel without the mock would stop it with exit code 2)
        check_run("worker", *run(tool, tmp, ["--fault-worker", "1",
                                             "--fault-backend", "iommufd-mock"], OPS))
    with tempfile.TemporaryDirectory() as tmp:
        # by default (auto) the case runs too; the producer answers itself
        check_run("auto", *run(tool, tmp, [], 200))
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
