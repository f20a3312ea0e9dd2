#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Build the librte_sva API reference with doxygen and fail on any warning.

    doxygen_build.py DOXYGEN CONF OUTDIR HEADER...

Runs DOXYGEN on CONF with INPUT = the headers and OUTPUT_DIRECTORY = OUTDIR,
prints every warning, then the count, and a closing line in the test
harness's form ("N passed, N failed, N skipped") that the test script adds
up. Exit status 0 only with no warning. Meson runs it as the test 'doxygen'
(suite 'docs') and, with -Ddocs=true, to build the reference."""

import os
import subprocess
import sys


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    doxygen, conf, outdir, headers = argv[1], argv[2], argv[3], argv[4:]
    os.makedirs(outdir, exist_ok=True)
    log = os.path.join(outdir, "doxygen-warnings.log")
    with open(conf, encoding="utf-8") as f:
        text = f.read()
    # Later assignments win: the paths come from meson, not from CONF.
    text += "\nINPUT = " + " ".join('"%s"' % h for h in headers) + "\n"
    text += 'OUTPUT_DIRECTORY = "%s"\n' % outdir
    text += 'WARN_LOGFILE = "%s"\n' % log
    run = subprocess.run([doxygen, "-"], input=text, text=True,
                         capture_output=True, check=False)
    warnings = []
    if os.path.exists(log):
        with open(log, encoding="utf-8", errors="replace") as f:
            warnings = [l.rstrip() for l in f if l.strip()]
    for w in warnings:
        print(w)
    if run.stderr.strip():
        print(run.stderr.strip())
    n = sum(1 for w in warnings if "warning:" in w or "error:" in w)
    ok = run.returncode == 0 and n == 0
    print("API reference: %d header%s, %d warning%s -> %s" %
          (len(headers), "" if len(headers) == 1 else "s", n,
           "" if n == 1 else "s", os.path.join(outdir, "html", "index.html")))
    print("%d passed, %d failed, 0 skipped" % (1 if ok else 0, 0 if ok else 1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
