#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Check the result CSV of DPDK's dpdk-test-dma-perf against its config.

  sva-dma-perf-check.py CONFIG.ini RESULT.csv

For every [caseN] of CONFIG that is not skipped, the tool must have written
one result row per value of the case's swept variable (buf_size,
kick_batch, dma_ring_size or mem_size, written first,last,step,ADD|MUL),
naming the case's device, with nonzero bandwidth (Gbps) and MOps. Prints a
table of the figures (and, where a case of dma_skeleton0 has the same
scenarios as one of another device, the ratio) and
"dma-perf: N passed, N failed"; exit status 1 if any check failed, 2 on
unreadable input.
"""

import configparser
import re
import sys

# Result row: Scenario i,lcore,DMA,ring,kick,buf,nbuf,memory,cycles,Gbps,MOps
ROW = re.compile(r"^Scenario (\d+),(\d+),([^,]+),(\d+),(\d+),(\d+),(\d+),"
                 r"([\d.]+),(\d+),([\d.]+),([\d.]+)\s*$")
CASE = re.compile(r"^Case (\d+) : ")
SWEPT = ("mem_size", "buf_size", "dma_ring_size", "kick_batch")


def sweep(text):
    """The values of a config entry: one number or first,last,step,ADD|MUL."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        return [int(parts[0])]
    first, last, step, how = int(parts[0]), int(parts[1]), int(parts[2]), parts[3]
    if step < 1 or (how == "MUL" and step < 2) or how not in ("ADD", "MUL"):
        raise ValueError(f"bad sweep '{text}'")
    vals, v = [], first
    while v <= last:
        vals.append(v)
        v = v + step if how == "ADD" else v * step
    if not vals:
        raise ValueError(f"bad sweep '{text}' (first > last: no value)")
    return vals


def load_cases(path):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",))
    if not cp.read(path):
        raise OSError(f"cannot read {path}")
    cases = {}
    n = 1
    while cp.has_section(f"case{n}"):
        sec = cp[f"case{n}"]
        n += 1
        if sec.get("skip", "0").strip() == "1":
            continue
        if "buf_size" not in sec:
            # dpdk-test-dma-perf requires it; without it there is no row
            # to look for
            raise ValueError(f"{path}: [case{n - 1}]: no buf_size")
        dev = re.search(r"dev=([^,\s]+)", sec.get("lcore_dma0", ""))
        var = [k for k in SWEPT if len(sec.get(k, "0").split(",")) > 1]
        key = var[0] if var else "buf_size"
        try:
            cases[n - 1] = {
                "dev": dev.group(1) if dev else "CPU",
                "key": key,
                "values": sweep(sec.get(key)),
                "buf_size": sweep(sec.get("buf_size"))[0],
                "kick_batch": sweep(sec.get("kick_batch", "0"))[0],
            }
        except ValueError as e:
            raise ValueError(f"{path}: [case{n - 1}]: {e}") from None
    return cases


def load_rows(path):
    rows = {}
    case = None
    with open(path, errors="replace") as f:
        for line in f:
            m = CASE.match(line)
            if m:
                case = int(m[1])
                continue
            m = ROW.match(line)
            if m and case is not None:
                rows.setdefault(case, []).append({
                    "dev": m[3], "dma_ring_size": int(m[4]),
                    "kick_batch": int(m[5]), "buf_size": int(m[6]),
                    "mem_size": float(m[8]), "gbps": float(m[10]),
                    "mops": float(m[11])})
    return rows


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        cases = load_cases(argv[1])
        rows = load_rows(argv[2])
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"dma-perf: error: {e}", file=sys.stderr)
        return 2
    passed = failed = 0
    found = {}
    for n, c in sorted(cases.items()):
        for v in c["values"]:
            want = "MiB" if c["key"] == "mem_size" else ""
            got = [r for r in rows.get(n, []) if r["dev"] == c["dev"] and
                   (r[c["key"]] == v if c["key"] != "mem_size"
                    else abs(r["mem_size"] - v) < 0.01)]
            what = f"case {n} {c['dev']} {c['key']}={v}{want}"
            if not got:
                print(f"  FAILED: {what}: no result row")
                failed += 1
            elif got[0]["gbps"] <= 0 or got[0]["mops"] <= 0:
                print(f"  FAILED: {what}: zero throughput "
                      f"({got[0]['gbps']} Gbps, {got[0]['mops']} MOps)")
                failed += 1
            else:
                passed += 1
                found[(c["dev"], c["key"], v,
                       c["buf_size"] if c["key"] != "buf_size" else None)] = got[0]
    # The table: every scenario, with dma_skeleton0's figures beside.
    print(f"  {'device':<14} {'buf_size':>8} {'kick':>5} {'Gbps':>9} {'MOps':>8}"
          f" {'skel Gbps':>10} {'skel MOps':>10} {'MOps ratio':>10}")
    for (dev, key, v, buf), r in found.items():
        if dev == "dma_skeleton0":
            continue
        s = found.get(("dma_skeleton0", key, v, buf))
        sk = (f"{s['gbps']:>10.3f} {s['mops']:>10.3f} {r['mops'] / s['mops']:>10.2f}"
              if s else f"{'-':>10} {'-':>10} {'-':>10}")
        print(f"  {dev:<14} {r['buf_size']:>8} {r['kick_batch']:>5} "
              f"{r['gbps']:>9.3f} {r['mops']:>8.3f} {sk}")
    print(f"dma-perf: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
