# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Group fault of check-test-sva.py: fault mode's cases (cold, rates, miss,
advise/warm, worker=N and idle=N, first-touch, touch-amid, the userfaultfd
rows and the ratio row) on one and two devices. check-test-sva.py sets m to itself (its
helpers and device arguments) before calling them."""

import math
import os
import re
import statistics

m = None   # the check-test-sva.py module

FAULT_CASES = ["cold", "dontneed", "rate=0", "rate=0.01", "rate=0.1",
               "rate=0.5", "rate=1", "miss", "advise", "warm", "worker=1",
               "idle=1", "first-touch", "touch-amid"]


def fault_cases(nd=1):
    """Fault mode's cases with nd devices with page requests: worker=N and
    idle=N for N = 1, 2, 4, 8 up to nd."""
    ns = [n for n in (1, 2, 4, 8) if n <= nd]
    multi = ["worker=%d" % n for n in ns] + ["idle=%d" % n for n in ns]
    i = FAULT_CASES.index("worker=1")
    return FAULT_CASES[:i] + multi + FAULT_CASES[i + 2:]


UFFD_CASES = ["uffd", "uffd-spin", "uffd-same"]


def fault_results(b, r, what, nd=1):
    """Fault mode's cases by name, in the order given; checks the common
    parts (exit code, order, ops, verified, the userfaultfd rows); nd:
    devices with page requests."""
    c = b.c
    m.ok_run(c, r, what)
    objs = b.parse_json(r)
    names = [o["case"] for o in objs]
    want = fault_cases(nd)
    uffd = False
    if "userfaultfd unavailable here" in r.out:
        c.skip("%s: userfaultfd unavailable: no uffd cases" % what)
    elif "one CPU online" in r.out:
        c.skip("%s: one CPU: no uffd cases" % what)
    else:
        want += UFFD_CASES
        uffd = True
    want += ["ratio"]   # the first-touch ratio, with or without uffd
    c.check(names == want, "%s: cases %s (got %s)" % (what, want, names))
    res = m.by_key(c, objs, lambda o: o["case"], what)
    for name, o in res.items():
        if name == "ratio":
            # cold round trip over the CPU's own first-touch fault: both
            # measured, so neither p50 is 0 and the quotient is > 0
            k = "prq_p50_over_first_touch_p50"
            c.check(isinstance(o.get(k), (int, float)) and o[k] > 0,
                    "%s ratio: %s > 0 (%s)" % (what, k, o.get(k)))
            c.check(re.search(r"cold page request round trip vs CPU "
                              r"first-touch fault, p50: [0-9.]+x", r.out)
                    is not None,
                    "%s: the first-touch ratio printed" % what)
            c.check(len(o.get("rounds", [])) >= 1,
                    "%s ratio: its rounds listed" % what)
            # and over the same fault amid the producer's loop, which is
            # itself over the first touch: both measured, both > 0
            for k in ("prq_p50_over_touch_amid_p50",
                      "touch_amid_p50_over_first_touch_p50"):
                c.check(isinstance(o.get(k), (int, float)) and o[k] > 0,
                        "%s ratio: %s > 0 (%s)" % (what, k, o.get(k)))
            c.check(re.search(r"cold page request round trip vs CPU "
                              r"first-touch fault amid the producer's loop "
                              r"\(touch-amid\), p50: %.2fx" %
                              (o.get("prq_p50_over_touch_amid_p50") or 0),
                              r.out) is not None,
                    "%s: the touch-amid ratio printed as in JSON" % what)
            # The resolve is a part of each cold round trip (the worker's
            # fault-in of the page), so its p50 is above 0 and at most the
            # cold row's, both bucket bounds and both medians of the same
            # rounds.
            rv = o.get("cold_resolve_p50_us")
            cold = [x for x in objs if x["case"] == "cold"]
            c.check(isinstance(rv, (int, float)) and rv > 0 and
                    len(cold) == 1 and rv <= cold[0]["rt_p50_us"] + 1e-3,
                    "%s ratio: cold_resolve_p50_us %s in (0, the cold p50 %s]"
                    % (what, rv, cold[0]["rt_p50_us"] if cold else None))
            c.check(re.search(r"^of the cold round trip's p50, the resolve "
                              r"alone \(the worker's fault-in\): p50 "
                              r"%.2f us " % (rv or 0), r.out, re.M)
                    is not None,
                    "%s: the resolve's p50 printed as in JSON" % what)
            for k in ("uffd_p50_over_prq_p50", "uffd_spin_p50_over_prq_p50",
                      "uffd_same_cpu_p50_over_prq_p50"):
                if not uffd:
                    c.check(k not in o, "%s ratio: no %s without uffd" %
                            (what, k))
                    continue
                # A timing, printed with three decimals: on a loaded
                # machine (page-request round trips of milliseconds) it
                # rounds to 0.000, so only its presence and sign count.
                c.check(isinstance(o.get(k), (int, float)) and o[k] >= 0,
                        "%s ratio: %s >= 0" % (what, k))
            continue
        c.check(o["mode"] == "fault" and o["verified"] is True,
                "%s %s: verified" % (what, name))
        c.check(o["ops_per_s"] > 0, "%s %s: ops/s > 0" % (what, name))
        if name in ("first-touch", "touch-amid"):
            # CPU faults, not page requests; timed per page
            c.check(o["prq_per_s"] == 0 and o["rt_p50_us"] > 0 and
                    o["rt_p50_us"] <= o["rt_p99_us"],
                    "%s %s: no page requests, p50 <= p99 "
                    "measured" % (what, name))
        if name in UFFD_CASES:
            # every fault served by the handler: as many as operations
            c.check(math.isclose(o["prq_per_s"], o["ops_per_s"],
                                 rel_tol=1e-3),
                    "%s %s: one fault per operation" % (what, name))
    return res


def prq(o):
    return o["prq_per_s"] if o else float("nan")


def prq_per_op(o):
    if not o or not o["ops_per_s"]:
        return float("nan")
    return o["prq_per_s"] / o["ops_per_s"]


def t_fault(b):
    c = b.c
    ops = 200
    r = b.run([m.PRI], ["--mode", "fault", "--fault-ops", str(ops)])
    res = fault_results(b, r, "fault")
    for name in FAULT_CASES:
        o = res.get(name)
        # worker=N and idle=N count requests and polls, not operations
        if o is not None and not name.startswith(("worker=", "idle=")):
            c.check(o["ops"] == ops, "fault %s: %d ops" % (name, ops))
    for name in ("cold", "dontneed"):
        o = res.get(name)
        # every operation raises at least one page request
        c.check(o is not None and
                prq(o) >= o["ops_per_s"] * (1 - 1e-3),
                "fault %s: page requests >= operations (%s vs %s)" %
                (name, prq(o), o and o["ops_per_s"]))
        c.check(o is not None and o["rt_p50_us"] > 0,
                "fault %s: round trips measured" % name)
    c.check(prq(res.get("rate=0")) == 0, "fault rate=0: no page requests")
    for name in ("rate=0.01", "rate=0.1", "rate=0.5", "rate=1"):
        c.check(prq(res.get(name)) > 0, "fault %s: page requests" % name)
    # Per operation, not per second: both rates are timings of the same
    # run, their quotient is the count of requests per operation.
    c.check(prq_per_op(res.get("rate=1")) >= prq_per_op(res.get("rate=0.01")),
            "fault: rate=1 raises no fewer page requests per operation "
            "than 0.01")
    c.check(prq(res.get("miss")) == 0,
            "fault miss: no page requests for present pages by default")
    c.check("miss: no page requests" in r.out and
            "prq_all_misses=1" in r.out,
            "fault miss: the zeros are explained (prq_all_misses=1)")
    # advise: a fresh region advised before its burst takes no page
    # request (the point of rte_sva_advise()); warm: the same region again
    for name in ("advise", "warm"):
        o = res.get(name)
        c.check(o is not None and prq(o) == 0 and o["ops"] == ops,
                "fault %s: the row is there, %d ops, no page requests (%s)" %
                (name, ops, o and prq(o)))
    c.check(re.search(r"advise: medians of \d+ rounds: .* with 0 page "
                      r"requests", r.out) is not None,
            "fault advise: the summary line says 0 page requests")
    if not os.path.exists("/dev/iommu"):
        c.check("iommufd-mock: skipped (not a failure)" in r.out,
                "fault: the iommufd-mock case says why it is skipped")

    # a device that raises a page request on every translation miss
    r = b.run(["--vdev=sva_sim0,pri=1,prq_all_misses=1"],
              ["--mode", "fault", "--fault-ops", str(ops)])
    res = fault_results(b, r, "fault prq_all_misses=1")
    c.check(prq(res.get("miss")) > 0,
            "fault prq_all_misses=1 miss: page requests raised")
    c.check("miss: no page requests" not in r.out,
            "fault prq_all_misses=1 miss: no note about zeros")

    # the fault worker on its own lcore instead of polling
    r = b.run([m.PRI], ["--mode", "fault", "--fault-ops", "50",
                      "--fault-worker", "1"])
    res = fault_results(b, r, "fault --fault-worker 1")
    c.check(prq(res.get("cold")) > 0,
            "fault --fault-worker 1 cold: page requests served")

    # one worker serving two devices: worker=N answers every request it
    # raised (verified), idle=N times a poll of N empty queues
    ops = 50
    r = b.run([m.PRI, "--vdev=sva_sim1,pri=1"],
              ["--mode", "fault", "--fault-ops", str(ops)])
    res = fault_results(b, r, "fault, two devices", nd=2)
    for n in (1, 2):
        o = res.get("worker=%d" % n)
        c.check(o is not None and o["queues"] == n and
                o["ops"] == max(ops * 32, 1024) and
                math.isclose(prq(o), o["ops_per_s"], rel_tol=1e-3) and
                o["poll_ns"] == 0 and o["rt_p50_us"] > 0,
                "fault worker=%d: every request answered, %d queues" % (n, n))
        o = res.get("idle=%d" % n)
        c.check(o is not None and o["queues"] == n and prq(o) == 0 and
                o["poll_ns"] > 0 and o["ops"] == ops * 8 * 64,
                "fault idle=%d: %d queues, poll_ns > 0, no requests" % (n, n))
        c.check(re.search(r"idle poll of %d fault queues?: [0-9.]+ ns "
                          r"\([0-9.]+ ns per queue\)" % n, r.out) is not None,
                "fault idle=%d: the poll's cost printed" % n)
    for name, o in res.items():
        if name != "ratio" and not name.startswith(("worker=", "idle=")):
            c.check(o["queues"] == 0 and o["poll_ns"] == 0,
                    "fault %s: queues and poll_ns 0" % name)
    c.check("more with --vdev=sva_sim2,pri=1" in r.out,
            "fault, two devices: says how to add more")

    t_fault_repeat(b)


def t_fault_repeat(b):
    """--repeat 3: the cold and first-touch cases 3 rounds each, their rows
    the rounds' medians, the ratio the median of the rounds' ratios, each
    listed in the line and the JSON; the other cases once."""
    c = b.c
    ops = 50
    r = b.run([m.PRI], ["--mode", "fault", "--fault-ops", str(ops),
                        "--repeat", "3"])
    res = fault_results(b, r, "fault --repeat 3")
    c.check("cold and first-touch: medians of 3 rounds" in r.out,
            "fault --repeat 3: the header says medians of 3 rounds")
    o = res.get("ratio")
    rounds = o.get("rounds", []) if o else []
    if not c.check(len(rounds) == 3, "fault --repeat 3 ratio: 3 rounds "
                   "(got %d)" % len(rounds)):
        return
    k = "prq_p50_over_first_touch_p50"
    vals = [x[k] for x in rounds]
    c.check(all(v is not None and v > 0 for v in vals) and
            abs(o[k] - statistics.median(vals)) <= 1e-3,
            "fault --repeat 3 ratio: %s %s is the median of the rounds' %s"
            % (k, o[k], vals))
    # each round's ratio is its own cold p50 over its own first touch's
    for i, x in enumerate(rounds):
        c.check(x["first_touch_p50_us"] > 0 and
                abs(x[k] - x["cold_p50_us"] / x["first_touch_p50_us"])
                <= 2e-3, "fault --repeat 3 round %d: ratio %s = %s / %s" %
                (i, x[k], x["cold_p50_us"], x["first_touch_p50_us"]))
    # the resolve: each round's inside its own round trip, the ratio
    # row's the median of the rounds', and the line's ratio to the first
    # touch the median of the rounds' own ratios
    rk = "cold_resolve_p50_us"
    c.check(all(0 < x.get(rk, 0) <= x["cold_p50_us"] + 1e-3 for x in rounds),
            "fault --repeat 3: each round's %s in (0, its cold p50]" % rk)
    c.check(abs(o.get(rk, -1) - statistics.median(
        [x.get(rk, 0) for x in rounds])) <= 1e-3,
            "fault --repeat 3 ratio: %s %s the median of the rounds'" %
            (rk, o.get(rk)))
    line = re.search(r"the resolve alone \(the worker's fault-in\): p50 "
                     r"[0-9.]+ us \(([0-9.]+)x the first touch\)", r.out)
    want = statistics.median([x.get(rk, 0) / x["first_touch_p50_us"]
                              for x in rounds if x["first_touch_p50_us"] > 0]
                             or [float("nan")])
    c.check(line is not None and abs(float(line.group(1)) - want) <= 0.006,
            "fault --repeat 3: the resolve over the first touch is the "
            "median of the rounds' ratios (%s, want %.3f)" %
            (line.group(0) if line else None, want))
    # over touch-amid: the median of the rounds' own cold / touch-amid
    ak = "prq_p50_over_touch_amid_p50"
    want = statistics.median([x["cold_p50_us"] / x["touch_amid_p50_us"]
                              for x in rounds if x.get("touch_amid_p50_us")]
                             or [float("nan")])
    c.check(abs(o.get(ak, -1) - want) <= 2e-3,
            "fault --repeat 3 ratio: %s %s the median of the rounds' "
            "(want %.3f)" % (ak, o.get(ak), want))
    # the rows: medians of the rounds' p50s
    for name, key in (("cold", "cold_p50_us"),
                      ("first-touch", "first_touch_p50_us"),
                      ("touch-amid", "touch_amid_p50_us")):
        row = res.get(name)
        c.check(row is not None and abs(row["rt_p50_us"] - statistics.median(
            [x[key] for x in rounds])) <= 1e-3,
            "fault --repeat 3 %s: p50 the median of the rounds'" % name)
        c.check(row is not None and row["ops"] == ops,
                "fault --repeat 3 %s: %d ops a round" % (name, ops))
    line = re.search(r"first-touch fault, p50: ([0-9.]+)x \(median of 3: "
                     r"([0-9.]+) ([0-9.]+) ([0-9.]+);", r.out)
    if c.check(line is not None, "fault --repeat 3: the ratio line lists "
               "3 values and their median"):
        listed = [float(v) for v in line.groups()[1:]]
        c.check(listed == sorted(listed) and
                float(line.group(1)) == listed[1],
                "fault --repeat 3: the line's median is the middle of the "
                "values listed (%s)" % line.group(0))
        c.check(all(abs(u - v) <= 0.006
                    for u, v in zip(listed, sorted(vals))),
                "fault --repeat 3: the line lists the JSON's rounds (%s vs "
                "%s)" % (listed, vals))
