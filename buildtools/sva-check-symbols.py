#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Check that every driver library exports only what it may.

A driver library of this tree is loaded next to others and next to the
application: an internal function it exports can be called, or interposed,
by anything in the process, and silently becomes ABI. So each driver links
with a version script (local: *) and this check, run by meson test (suite
'symbols'), reads what each library really exports with
`nm -D --defined-only` and fails on any symbol that is neither

  - a PMD registration or info symbol: this_pmd_name*, rte_pmd_*, __pmd_*,
    <name>_pmd_info (buildtools/sva-pmdinfogen.py), nor
  - listed by name in the global: part of the version script of the
    driver directory that builds the library (its documented public API,
    e.g. sva_iommufd.h's helpers).

A library with no version script found is an error too: without one it
exports every non-static function.

Usage: sva-check-symbols.py --source-root DIR --build-root DIR [--nm NM]
                            [--expect-refusal] [LIB...]
Without LIB, every lib*.so below BUILD_ROOT/drivers is checked.
Exit status: 0 clean, 1 a symbol or a version script is wrong, 2 usage or
an nm failure.
"""

import argparse
import fnmatch
import glob
import os
import re
import subprocess
import sys

PMD_PATTERNS = ["this_pmd_name*", "rte_pmd_*", "__pmd_*", "*_pmd_info"]


def lib_name(path):
    """'librte_sva_sim.so.0.1.0' -> 'sva_sim'."""
    base = os.path.basename(path)
    m = re.match(r"lib(?:rte_)?(.+?)\.so(\..*)?$", base)
    return m.group(1) if m else None


def map_globals(path):
    """The names listed under global: in a version script (no wildcards:
    a wildcard there would export what this check exists to refuse)."""
    text = re.sub(r"#.*", "", open(path, encoding="utf-8").read())
    names, errors = set(), []
    for node in re.finditer(r"\{(.*?)\}", text, re.S):
        body = node.group(1)
        part = re.split(r"\blocal\s*:", body)[0]
        part = re.sub(r"\bglobal\s*:", "", part)
        for item in part.split(";"):
            item = item.strip()
            if not item:
                continue
            if any(c in item for c in "*?["):
                errors.append("%s: wildcard '%s' in global:" % (path, item))
            names.add(item)
    if "local: *;" not in re.sub(r"\s+", " ", text).replace(" ;", ";"):
        errors.append("%s: no 'local: *;'" % path)
    return names, errors


def find_map(source_root, name):
    """The version script of the driver directory whose meson.build builds
    librte_<name>: one naming drv_name = '<name>' or the library itself."""
    wanted = [r"drv_name\s*=\s*'%s'" % re.escape(name),
              r"'(rte_)?%s'" % re.escape(name)]
    for vmap in sorted(glob.glob(os.path.join(source_root, "drivers", "**",
                                              "version.map"), recursive=True)):
        mb = os.path.join(os.path.dirname(vmap), "meson.build")
        if not os.path.exists(mb):
            continue
        text = open(mb, encoding="utf-8").read()
        if any(re.search(w, text) for w in wanted):
            return vmap
    return None


def exported(nm, lib):
    """Defined dynamic symbols of lib, version suffixes stripped."""
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        sym = parts[2].split("@")[0]
        # The version node itself (an absolute symbol named after it).
        if parts[1] == "A":
            continue
        syms.add(sym)
    return syms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--build-root", required=True)
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--expect-refusal", action="store_true",
                    help="the check's own test: exit 0 only if the "
                    "libraries are refused (status 1 otherwise)")
    ap.add_argument("libs", nargs="*")
    a = ap.parse_args()
    rc = check(a)
    if a.expect_refusal:
        print("refused, as expected" if rc == 1 else
              "NOT refused (status %d): the check is broken" % rc)
        return 0 if rc == 1 else 1
    return rc


def check(a):
    """0 clean, 1 refused, 2 usage or nm failure."""
    libs = a.libs or sorted(
        p for p in glob.glob(os.path.join(a.build_root, "drivers", "**",
                                          "lib*.so"), recursive=True)
        if not os.path.islink(p) or os.path.exists(p))
    if not libs:
        print("no driver library below %s/drivers" % a.build_root)
        return 2
    bad = 0
    for lib in libs:
        name = lib_name(lib)
        vmap = find_map(a.source_root, name) if name else None
        if vmap is None:
            print("FAIL %s: no version script (drivers/**/version.map whose "
                  "meson.build builds %s): it exports every non-static "
                  "symbol" % (lib, name))
            bad += 1
            continue
        allowed, errors = map_globals(vmap)
        for e in errors:
            print("FAIL " + e)
        bad += len(errors)
        try:
            syms = exported(a.nm, lib)
        except (OSError, subprocess.CalledProcessError) as e:
            print("ERROR %s: %s" % (lib, e))
            return 2
        extra = sorted(s for s in syms if s not in allowed and
                       not any(fnmatch.fnmatchcase(s, p) for p in PMD_PATTERNS))
        for s in extra:
            print("FAIL %s exports %s: not a PMD symbol and not in %s "
                  "global:" % (os.path.basename(lib), s,
                               os.path.relpath(vmap, a.source_root)))
        bad += len(extra)
        if not extra and not errors:
            print("ok   %s: %d symbol(s), version script %s" % (
                os.path.basename(lib), len(syms),
                os.path.relpath(vmap, a.source_root)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
