#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""sva-pmdinfo.py on a build directory lists each driver once: the linked
library, not the generated pmd.c object beside it nor a symlink to it.
Usage: test_sva_pmdinfo.py BUILD_DRIVERS_DIR
Prints "N passed, N failed, N skipped" like the other suites."""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "sva-pmdinfo.py")
results = {"passed": 0, "failed": 0, "skipped": 0}


def check(name, cond, detail=""):
    results["passed" if cond else "failed"] += 1
    print("%s %s %s" % ("ok  " if cond else "FAIL", name, "" if cond else detail))


def listing(*args):
    p = subprocess.run([sys.executable, TOOL, "--json"] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    names = [d["name"] for d in json.loads(p.stdout)] if p.returncode == 0 else []
    return p.returncode, names, p.stderr


def main():
    drivers = sys.argv[1]
    rc, names, err = listing(drivers)
    check("build_dir_exit", rc == 0, "rc=%d %s" % (rc, err))
    check("build_dir_has_sim", "sva_sim" in names, repr(names))
    check("build_dir_each_once", len(names) == len(set(names)), repr(sorted(names)))

    sos = [p for p in glob.glob(os.path.join(drivers, "librte_sva_sim.so.*.*.*"))
           if os.path.isfile(p)]
    objs = glob.glob(os.path.join(drivers, "*", "*rte_sva_sim.pmd.c.o"))
    if not sos or not objs:
        results["skipped"] += 1
        print("skip fixture_dir (no librte_sva_sim.so.X.Y.Z or pmd.c.o in %s)" % drivers)
    else:
        with tempfile.TemporaryDirectory(prefix="sva-pmdinfo-test-") as d:
            so = os.path.join(d, os.path.basename(sos[0]))
            shutil.copy(sos[0], so)
            os.symlink(os.path.basename(so), os.path.join(d, "librte_sva_sim.so"))
            os.mkdir(os.path.join(d, "obj"))
            obj = os.path.join(d, "obj", os.path.basename(objs[0]))
            shutil.copy(objs[0], obj)
            rc, names, err = listing(d)
            check("fixture_dir_once", rc == 0 and names == ["sva_sim"],
                  "rc=%d %r %s" % (rc, names, err))
            # Named explicitly, an object file is still read.
            rc, names, err = listing(obj)
            check("named_object_read", rc == 0 and names == ["sva_sim"],
                  "rc=%d %r %s" % (rc, names, err))
            rc, names, err = listing(so, os.path.join(d, "librte_sva_sim.so"))
            check("named_twice_via_symlink_once", rc == 0 and names == ["sva_sim"],
                  "rc=%d %r %s" % (rc, names, err))

    print("%d passed, %d failed, %d skipped" % (
        results["passed"], results["failed"], results["skipped"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
