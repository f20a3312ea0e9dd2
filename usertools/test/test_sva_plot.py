#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""sva-plot.py on generated dpdk-test-sva output: one-line errors with exit
status 2 for missing or malformed input; throughput charts; fault and
bind-churn blocks tabulated, from CSV and from JSON lines.
Prints "N passed, N failed, N skipped" like the other suites."""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PLOT = os.path.join(HERE, "..", "sva-plot.py")

# As app/test-sva/output.c, run.c, fault.c and churn.c write them.
CSV = """op,size,batch,depth,producers,sva_mops,sva_gbps,sva_errors,cpu_mops,cpu_gbps,dma_mops,dma_gbps,sva_cpu_ratio,sva_dma_ratio,verified
copy,64,32,64,1,10.0000,0.6400,0,20.0000,1.2800,,,0.5000,,1
copy,4096,32,64,1,2.0000,8.1920,0,1.0000,4.0960,,,2.0000,,1
mode,case,ops,ops_per_s,prq_per_s,rt_p50_us,rt_p99_us,rt_p999_us,rt_max_us,verified
fault,cold,1000,5000.0,5000.0,1.250,3.500,7.000,9.000,1
fault,uffd-spin,1000,4000.0,4000.0,2.500,4.500,8.000,10.000,1
mode,devices,cycles_per_s,p50_us,p99_us,errors
bind-churn,2,12345.0,40.500,90.250,0
"""

JSON = """{"mode":"throughput","op":"copy","size":64,"batch":32,"depth":64,"producers":1,"sva":{"mops":10.0,"gbps":0.64,"ops":10,"errors":0,"seconds":1.0},"cpu":null,"dma":null,"ratios":{"sva_cpu":null,"sva_dma":null},"verified":true}
{"mode":"throughput","op":"copy","size":4096,"batch":32,"depth":64,"producers":1,"sva":{"mops":2.0,"gbps":8.19,"ops":10,"errors":0,"seconds":1.0},"cpu":null,"dma":null,"ratios":{"sva_cpu":null,"sva_dma":null},"verified":true}
{"mode":"fault","case":"cold","ops":1000,"ops_per_s":5000.0,"prq_per_s":5000.0,"rt_p50_us":1.250,"rt_p99_us":3.500,"rt_p999_us":7.000,"rt_max_us":9.000,"verified":true}
{"mode":"fault","case":"ratio","uffd_p50_over_prq_p50":2.000,"uffd_spin_p50_over_prq_p50":1.500,"uffd_same_cpu_p50_over_prq_p50":3.000}
{"mode":"bind-churn","devices":2,"cycles_per_s":12345.0,"p50_us":40.500,"p99_us":90.250,"cycles":12345,"errors":0}
"""

results = {"passed": 0, "failed": 0, "skipped": 0}


def run(*args):
    p = subprocess.run([sys.executable, PLOT, "--backend", "builtin"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    if cond:
        results["passed"] += 1
        print("ok   %s" % name)
    else:
        results["failed"] += 1
        print("FAIL %s %s" % (name, detail))


def one_line_error(name, rc, err, path):
    lines = err.strip().splitlines()
    check(name, rc == 2 and len(lines) == 1 and path in lines[0] and
          "Traceback" not in err, "rc=%d stderr=%r" % (rc, err))


def main():
    with tempfile.TemporaryDirectory(prefix="sva-plot-test-") as d:
        out = os.path.join(d, "out")
        missing = os.path.join(d, "no-such.csv")
        rc, _, err = run(missing, "-o", out)
        one_line_error("missing_file", rc, err, missing)

        unreadable = os.path.join(d, "dir.csv")
        os.mkdir(unreadable)
        rc, _, err = run(unreadable, "-o", out)
        one_line_error("unreadable_file", rc, err, unreadable)

        bad = os.path.join(d, "bad.csv")
        with open(bad, "w") as f:
            f.write("op,size,batch\ncopy,64\n")
        rc, _, err = run(bad, "-o", out)
        one_line_error("short_row", rc, err, bad)

        badnum = os.path.join(d, "badnum.csv")
        with open(badnum, "w") as f:
            f.write(CSV.splitlines()[0] + "\ncopy,big,32,64,1,1,1,0,,,,,,,1\n")
        rc, _, err = run(badnum, "-o", out)
        one_line_error("bad_number", rc, err, badnum)

        badjson = os.path.join(d, "bad.json")
        with open(badjson, "w") as f:
            f.write('{"mode":"fault",\n')
        rc, _, err = run(badjson, "-o", out)
        one_line_error("bad_json", rc, err, badjson)

        binary = os.path.join(d, "binary.csv")
        with open(binary, "wb") as f:
            f.write(b"\xff\xfe\x00\x81op,size\n")
        rc, _, err = run(binary, "-o", out)
        one_line_error("binary_file", rc, err, binary)

        for kind, text in (("csv", CSV), ("json", JSON)):
            src = os.path.join(d, "all." + kind)
            o = os.path.join(d, "out-" + kind)
            with open(src, "w") as f:
                f.write(text)
            rc, so, err = run(src, "-o", o)
            check("%s_exit" % kind, rc == 0, "rc=%d %s" % (rc, err))
            png = os.path.join(o, "throughput_copy.png")
            check("%s_throughput_png" % kind, os.path.isfile(png) and
                  open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n")
            ft = os.path.join(o, "fault.txt")
            bt = os.path.join(o, "bind_churn.txt")
            fault = open(ft).read() if os.path.isfile(ft) else ""
            churn = open(bt).read() if os.path.isfile(bt) else ""
            check("%s_fault_table" % kind, "cold" in fault and "1.250" in fault
                  and "3.500" in fault and "5000.0" in fault, repr(fault))
            check("%s_churn_table" % kind, "12345.0" in churn and
                  "40.500" in churn and "90.250" in churn, repr(churn))
            check("%s_tables_printed" % kind, "cold" in so and "12345.0" in so,
                  repr(so))
        ft = os.path.join(d, "out-json", "fault.txt")
        check("json_fault_ratio", os.path.isfile(ft) and
              "uffd_p50_over_prq_p50" in open(ft).read())

    print("%d passed, %d failed, %d skipped" % (
        results["passed"], results["failed"], results["skipped"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
