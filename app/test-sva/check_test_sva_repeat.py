# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Group repeat of check-test-sva.py: --repeat N in throughput and scaling
modes (rounds in the JSON, medians computed here, the CSV's count, the
table's spread), the case-file key. Fault mode's rounds are in group fault,
refusals in badinput. check-test-sva.py sets m to itself (its helpers and
device arguments) before calling them."""

import os
import re
import statistics

m = None   # the check-test-sva.py module


def median_ok(c, got, values, what):
    """got (a JSON figure, 4 decimals) is the median of values (each as
    printed): equal within the printing's rounding; both null when no
    value is there."""
    values = [v for v in values if v is not None]
    if not values:
        return c.check(got is None, "%s: null, no round has it (%s)" %
                       (what, got))
    want = statistics.median(values)
    return c.check(got is not None and abs(got - want) <= 1.5e-4,
                   "%s: %s is the median of the rounds' %s" %
                   (what, got, values))


def t_repeat(b):
    """--repeat N: N rounds per case, each engine's figure and each ratio
    the median of the rounds', the rounds in the JSON, their count in the
    CSV; the key of case files; a mode without rounds notes it."""
    c = b.c
    r = b.run([m.SIM, m.SKEL], ["--op", "copy,crc32c", "--size", "64,4K",
                                "--duration", "0.05", "--repeat", "3"],
              csv_out=True)
    m.ok_run(c, r, "--repeat 3")
    c.check(re.search(r"^medians of 3 rounds per case", r.out, re.M)
            is not None, "--repeat 3: the header says medians of 3 rounds")
    objs = b.parse_json(r)
    c.check(len(objs) == 4, "--repeat 3: 4 cases (got %d)" % len(objs))
    rows = m.table_rows(r, m.ALL_OPS)
    for o in objs:
        what = "--repeat 3 %s %d" % (o["op"], o["size"])
        rounds = o.get("rounds", [])
        if not c.check(len(rounds) == 3, "%s: 3 rounds (got %d)" %
                       (what, len(rounds))):
            continue
        c.check(o["verified"] is True, "%s: verified" % what)
        for e in ("sva", "cpu", "dma"):
            for k in ("mops", "gbps"):
                median_ok(c, (o[e] or {}).get(k),
                          [x[e + "_" + k] for x in rounds],
                          "%s %s %s" % (what, e, k))
        for k in ("sva_cpu", "sva_dma"):
            vals = [x[k] for x in rounds if x[k] is not None]
            median_ok(c, o["ratios"][k], vals, "%s ratio %s" % (what, k))
            if vals:
                c.check(abs(o["ratios"][k + "_min"] - min(vals)) <= 1e-4 and
                        abs(o["ratios"][k + "_max"] - max(vals)) <= 1e-4,
                        "%s ratio %s: min and max of the rounds'" % (what, k))
        # sums over the rounds: each pass runs at least --duration, so an
        # engine's seconds are at least 3 of them (a median would be 1)
        c.check(o["sva"]["ops"] > 0 and o["sva"]["errors"] == 0,
                "%s: sva ops counted, no errors" % what)
        for e in ("sva", "cpu", "dma"):
            if o[e] is not None:
                c.check(o[e]["seconds"] >= 3 * 0.05 - 1e-4,
                        "%s %s: seconds %s, the sum of 3 rounds of 0.05 s"
                        % (what, e, o[e]["seconds"]))
        row = rows.get((o["op"], o["size"]), [])
        spread = re.findall(r"\[([0-9.]+)-([0-9.]+)\]", row[0]) if row else []
        if c.check(len(row) == 1 and len(spread) >= 1,
                   "%s: one table row with a [min-max] spread" % what):
            lo, hi = float(spread[0][0]), float(spread[0][1])
            m_ = o["ratios"]["sva_cpu"]
            c.check(lo - 0.01 <= m_ <= hi + 0.01,
                    "%s: the sva/cpu median %s within its spread [%s-%s]" %
                    (what, m_, lo, hi))
            c.check(len(spread) == (2 if o["op"] == "copy" else 1),
                    "%s: a sva/dma spread where there is a dma figure" % what)
    blocks = m.csv_blocks(c, r.csv_text, "--repeat 3 CSV")
    if c.check(len(blocks) == 1 and len(blocks[0][1]) == len(objs),
               "--repeat 3 CSV: a row per result"):
        for row, o in zip(blocks[0][1], objs):
            c.check(row.get("rounds") == "3" and
                    row.get("sva_mops") == m.f4(o["sva"]["mops"]) and
                    row.get("sva_cpu_ratio") == m.f4(o["ratios"]["sva_cpu"]),
                    "--repeat 3 CSV %s %s: 3 rounds, medians as in JSON" %
                    (o["op"], o["size"]))

    # scaling: each point's rounds
    r = b.run([m.SIM, "--vdev=sva_sim1"],
              ["--mode", "scaling", "--producers", "2", "--size", "4K",
               "--duration", "0.05", "--repeat", "3"])
    m.ok_run(c, r, "scaling --repeat 3")
    c.check("medians of 3 rounds per case" in r.out,
            "scaling --repeat 3: the header says medians of 3 rounds")
    objs = b.parse_json(r)
    c.check(len(objs) == 3, "scaling --repeat 3: 3 points")
    for o in objs:
        what = "scaling --repeat 3 %d dev %d prd" % (o["devices"],
                                                     o["producers"])
        rounds = o.get("rounds", [])
        if c.check(len(rounds) == 3 and o["verified"] is True,
                   "%s: 3 rounds, verified" % what):
            median_ok(c, o["sva"]["mops"], [x["sva_mops"] for x in rounds],
                      what + " sva mops")
    if objs:
        c.check(objs[0]["speedup"] == 1.0,
                "scaling --repeat 3: speedup of the first point is 1")

    # the case-file key; latency takes no rounds (a note)
    path = os.path.join(b.tmp, "repeat.ini")
    with open(path, "w") as f:
        f.write("[case]\nmode = throughput\nsize = 64\nrepeat = 2\n"
                "[case]\nmode = latency\nsize = 64\nrepeat = 2\n")
    r = b.run([m.SIM], ["--config", path, "--duration", "0.05"])
    m.ok_run(c, r, "repeat = 2 in a case file")
    objs = b.parse_json(r)
    c.check([(o["mode"], len(o.get("rounds", []))) for o in objs] ==
            [("throughput", 2), ("latency", 0)],
            "repeat = 2: 2 rounds of the throughput case, none in latency")
    c.check("repeat has no effect in latency mode" in r.err,
            "repeat = 2: latency notes the key it does not use")
    with open(path, "w") as f:
        f.write("[case]\nmode = throughput\nrepeat = 1K\n")
    r = b.run([m.SIM], ["--config", path])
    c.check(r.rc == 2 and "key 'repeat': bad value '1K' (want rounds 1..99)"
            in r.text and r.json_lines is None,
            "repeat = 1K: refused with exit code 2 (got %s), naming the key"
            % r.rc)
