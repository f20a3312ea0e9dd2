#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Plot dpdk-test-sva CSV or JSON output as PNG charts.

    sva-plot.py results.csv [more.json ...] [-o DIR] [--backend auto|matplotlib|builtin]

Reads the CSV that dpdk-test-sva --csv writes (one file may hold several
modes: a header line starts each block of rows of one mode) or the JSON
lines of --json (one object per result), and writes:

  throughput_<op>.png   GB/s (or Mops with --metric mops) against size, the
                        SVA device beside the CPU and rte_dma baselines
  latency_<op>.png      p50, p99 and p99.9 microseconds against size, per
                        engine (log scale)
  scaling_<op>_<size>.png  aggregate Mops against producers, one line per
                        device count
  fault.txt, bind_churn.txt  the fault and bind-churn blocks as text tables
                        (also printed): their rows are named cases or one
                        figure per device count, nothing to draw a line on

A file that is missing, unreadable or malformed stops the tool with one
line naming it and exit status 2; no rows to plot is status 1.

Uses matplotlib when it is installed; otherwise draws the same charts with
a small built-in rasteriser (zlib + struct, a 5x7 font, upper-case text), so
it needs nothing beyond the Python standard library.
"""

import argparse
import csv
import io
import json
import math
import os
import struct
import sys
import zlib

ENGINES = ("sva", "cpu", "dma")
COLORS = {"sva": (31, 119, 180), "cpu": (255, 127, 14), "dma": (44, 160, 44)}
EXTRA_COLORS = [(214, 39, 40), (148, 103, 189), (140, 86, 75), (227, 119, 194),
                (127, 127, 127), (188, 189, 34), (23, 190, 207)]
PCTS = (("p50", "solid"), ("p99", "dashed"), ("p999", "dotted"))
PCT_LABEL = {"p50": "p50", "p99": "p99", "p999": "p99.9"}


# ----------------------------------------------------------------- reading

class InputError(Exception):
    """Input that cannot be read or parsed: one line, naming the file."""


# Columns that must be integers where a row has them (x axes, group keys).
INT_KEYS = ("size", "batch", "depth", "producers", "devices")


def flatten(obj, prefix=""):
    """A JSON result as a flat row: {"sva": {"mops": 1}} -> {"sva_mops": 1};
    "ratios" members keep their own names, as in the CSV (sva_cpu_ratio)."""
    row = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            if k == "ratios" and not prefix:
                row.update({"%s_ratio" % rk: rv for rk, rv in v.items()})
            else:
                row.update(flatten(v, "%s%s_" % (prefix, k)))
        elif v is None:
            continue
        elif isinstance(v, bool):
            row[prefix + k] = "1" if v else "0"
        else:
            row[prefix + k] = str(v)
    return row


def read_json_lines(path, f):
    rows = []
    for lineno, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            # numbers kept as written: tables show the figures as given
            obj = json.loads(line, parse_float=str, parse_int=str)
        except ValueError as e:
            raise InputError("%s:%d: not JSON (%s)" % (path, lineno, e))
        if not isinstance(obj, dict):
            raise InputError("%s:%d: not a JSON object" % (path, lineno))
        row = flatten(obj)
        row.setdefault("mode", "throughput")
        row["_at"] = "%s:%d" % (path, lineno)
        rows.append(row)
    return rows


def read_csv_rows(path, f):
    rows, header = [], None
    try:
        for lineno, rec in enumerate(csv.reader(f), 1):
            if not rec:
                continue
            if rec[0] in ("op", "mode"):
                header = rec
                continue
            if header is None:
                raise InputError("%s:%d: row before any header line"
                                 % (path, lineno))
            if len(rec) != len(header):
                raise InputError("%s:%d: %d fields, header has %d"
                                 % (path, lineno, len(rec), len(header)))
            row = dict(zip(header, rec))
            row.setdefault("mode", "throughput")
            row["_at"] = "%s:%d" % (path, lineno)
            rows.append(row)
    except csv.Error as e:
        raise InputError("%s: not CSV (%s)" % (path, e))
    return rows


def read_input(paths):
    """Rows of every file (CSV from --csv, or the JSON lines of --json) as
    dicts, each with a 'mode' key; InputError on anything unreadable."""
    rows = []
    for path in paths:
        try:
            with open(path, newline="", encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise InputError("%s: %s" % (path, e.strerror or e))
        except UnicodeDecodeError:
            raise InputError("%s: not text (not dpdk-test-sva output)" % path)
        if text.lstrip().startswith("{"):
            got = read_json_lines(path, io.StringIO(text))
        else:
            got = read_csv_rows(path, io.StringIO(text, newline=""))
        for row in got:
            for k in INT_KEYS:
                if k in row and row[k] != "":
                    try:
                        int(row[k])
                    except ValueError:
                        raise InputError("%s: %s '%s' is not an integer"
                                         % (row["_at"], k, row[k]))
        rows += got
    return rows


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def size_label(n):
    n = int(n)
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return "%dM" % (n >> 20)
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return "%dK" % (n >> 10)
    return str(n)


def knobs_label(row, keys):
    return " ".join("%s%s" % (k[0], row[k]) for k in keys)


def varying(rows, keys):
    """The keys among `keys` that take more than one value in rows."""
    return [k for k in keys if len({r.get(k) for r in rows}) > 1]


# ------------------------------------------------------------ chart model

class Series:
    def __init__(self, label, color, style="solid"):
        self.label = label
        self.color = color
        self.style = style
        self.points = []          # (x, y)


class Chart:
    def __init__(self, title, xlabel, ylabel, logx=False, logy=False,
                 xticks=None):
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.logx = logx
        self.logy = logy
        self.xticks = xticks or []   # (x, label)
        self.series = []

    def add(self, s):
        if s.points:
            # one point per x: the last row given wins (several runs)
            last = dict(s.points)
            if len(last) != len(s.points):
                print("note: %s, %s: several rows per point, the last kept"
                      % (self.title, s.label), file=sys.stderr)
            s.points = sorted(last.items())
            self.series.append(s)


def throughput_charts(rows, metric):
    charts = {}
    rows = [r for r in rows if r["mode"] == "throughput"]
    for op in sorted({r["op"] for r in rows}):
        ops = [r for r in rows if r["op"] == op]
        var = varying(ops, ("batch", "depth", "producers"))
        sizes = sorted({int(r["size"]) for r in ops})
        unit = "GB/s" if metric == "gbps" else "Mops"
        ch = Chart("%s: throughput against size" % op, "bytes per operation",
                   unit, logx=True,
                   xticks=[(s, size_label(s)) for s in sizes])
        groups = sorted({knobs_label(r, var) for r in ops})
        for gi, g in enumerate(groups):
            for eng in ENGINES:
                s = Series(("%s %s" % (eng, g)).strip(), COLORS[eng],
                           ("solid", "dashed", "dotted")[gi % 3])
                for r in ops:
                    if knobs_label(r, var) != g:
                        continue
                    y = num(r.get("%s_%s" % (eng, metric)))
                    if y is not None:
                        s.points.append((int(r["size"]), y))
                ch.add(s)
        if ch.series:
            charts["throughput_%s" % op] = ch
    return charts


def latency_charts(rows):
    charts = {}
    rows = [r for r in rows if r["mode"] == "latency"]
    for op in sorted({r["op"] for r in rows}):
        ops = [r for r in rows if r["op"] == op]
        var = varying(ops, ("depth",))
        sizes = sorted({int(r["size"]) for r in ops})
        ch = Chart("%s: latency, one operation in flight" % op,
                   "bytes per operation", "microseconds", logx=True,
                   logy=True, xticks=[(s, size_label(s)) for s in sizes])
        for g in sorted({knobs_label(r, var) for r in ops}):
            for eng in ENGINES:
                for pct, style in PCTS:
                    s = Series(("%s %s %s" % (eng, PCT_LABEL[pct], g)).strip(),
                               COLORS[eng], style)
                    for r in ops:
                        if knobs_label(r, var) != g:
                            continue
                        y = num(r.get("%s_%s_us" % (eng, pct)))
                        if y is not None and y > 0:
                            s.points.append((int(r["size"]), y))
                    ch.add(s)
        if ch.series:
            charts["latency_%s" % op] = ch
    return charts


def scaling_charts(rows):
    charts = {}
    rows = [r for r in rows if r["mode"] == "scaling"]
    for key in sorted({(r["op"], int(r["size"])) for r in rows}):
        sel = [r for r in rows if (r["op"], int(r["size"])) == key]
        var = varying(sel, ("batch", "depth"))
        prods = sorted({int(r["producers"]) for r in sel})
        ch = Chart("%s %s: scaling" % (key[0], size_label(key[1])),
                   "producers", "Mops (all devices)",
                   xticks=[(p, str(p)) for p in prods])
        devs = sorted({int(r["devices"]) for r in sel})
        groups = sorted({knobs_label(r, var) for r in sel})
        for gi, g in enumerate(groups):
            for di, d in enumerate(devs):
                s = Series(("%d device%s %s" % (d, "s" if d > 1 else "", g)).strip(),
                           EXTRA_COLORS[di % len(EXTRA_COLORS)]
                           if di else COLORS["sva"],
                           ("solid", "dashed", "dotted")[gi % 3])
                for r in sel:
                    if int(r["devices"]) == d and knobs_label(r, var) == g:
                        y = num(r.get("sva_mops"))
                        if y is not None:
                            s.points.append((int(r["producers"]), y))
                ch.add(s)
        if ch.series:
            charts["scaling_%s_%s" % (key[0], size_label(key[1]))] = ch
    return charts


# ------------------------------------------------------------------ tables

# Blocks with no size axis to plot against: a fault case per row (cold,
# uffd-spin, ...: categories, not a scale) and one bind-churn figure per
# device count. They are written as aligned text tables instead.
TABLES = (("fault", "fault"), ("bind-churn", "bind_churn"))


def table_text(rows):
    """rows as an aligned text table, columns in order of first appearance
    (JSON's ratio objects add columns only their rows fill)."""
    cols = []
    for r in rows:
        cols += [k for k in r if k not in ("mode", "_at") and k not in cols]
    lines = [cols] + [[r.get(c, "-") or "-" for c in cols] for r in rows]
    widths = [max(len(ln[i]) for ln in lines) for i in range(len(cols))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(ln, widths)).rstrip()
                     for ln in lines) + "\n"


def tables(rows):
    """{file name: text} for the fault and bind-churn blocks present."""
    out = {}
    for mode, name in TABLES:
        sel = [r for r in rows if r["mode"] == mode]
        if sel:
            out[name + ".txt"] = table_text(sel)
    return out


# --------------------------------------------------------- matplotlib back

def render_matplotlib(ch, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, ax = plt.subplots(figsize=(9, 5.2), dpi=100)
    for s in ch.series:
        xs, ys = zip(*s.points)
        ax.plot(xs, ys, marker="o", markersize=4, linestyle={
            "solid": "-", "dashed": "--", "dotted": ":"}[s.style],
            color=tuple(c / 255 for c in s.color), label=s.label)
    if ch.logx:
        ax.set_xscale("log", base=2)
    if ch.logy:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    if ch.xticks:
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        ax.set_xticks([x for x, _ in ch.xticks])
        ax.set_xticklabels([lab for _, lab in ch.xticks])
    ax.set_title(ch.title)
    ax.set_xlabel(ch.xlabel)
    ax.set_ylabel(ch.ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# ------------------------------------------------------------ builtin back

# 5x7 glyphs, rows top to bottom; text is drawn upper-case.
FONT = {
    " ": [".....", ".....", ".....", ".....", ".....", ".....", "....."],
    "A": [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "B": ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
    "C": [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
    "D": ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
    "E": ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
    "F": ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
    "G": [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"],
    "H": ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "I": [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "J": ["..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."],
    "K": ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
    "L": ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
    "M": ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
    "N": ["#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"],
    "O": [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
    "P": ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
    "Q": [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
    "R": ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
    "S": [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
    "T": ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
    "U": ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
    "V": ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
    "W": ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
    "X": ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"],
    "Y": ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
    "Z": ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"],
    "0": [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."],
    "1": ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."],
    "2": [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"],
    "3": ["#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."],
    "4": ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."],
    "5": ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."],
    "6": ["..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."],
    "7": ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."],
    "8": [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."],
    "9": [".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."],
    ".": [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."],
    ",": [".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."],
    ":": [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."],
    "-": [".....", ".....", ".....", "#####", ".....", ".....", "....."],
    "_": [".....", ".....", ".....", ".....", ".....", ".....", "#####"],
    "+": [".....", "..#..", "..#..", "#####", "..#..", "..#..", "....."],
    "=": [".....", ".....", "#####", ".....", "#####", ".....", "....."],
    "/": [".....", "....#", "...#.", "..#..", ".#...", "#....", "....."],
    "(": ["...#.", "..#..", ".#...", ".#...", ".#...", "..#..", "...#."],
    ")": [".#...", "..#..", "...#.", "...#.", "...#.", "..#..", ".#..."],
    "%": ["##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"],
    "x": [".....", ".....", "#...#", ".#.#.", "..#..", ".#.#.", "#...#"],
    "?": [".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."],
}


class Canvas:
    def __init__(self, w, h, bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.px = bytearray(bytes(bg) * (w * h))

    def set(self, x, y, c):
        if 0 <= x < self.w and 0 <= y < self.h:
            i = (y * self.w + x) * 3
            self.px[i:i + 3] = bytes(c)

    def rect(self, x0, y0, x1, y1, c):
        for y in range(max(0, y0), min(self.h, y1)):
            i = (y * self.w + max(0, x0)) * 3
            n = min(self.w, x1) - max(0, x0)
            if n > 0:
                self.px[i:i + 3 * n] = bytes(c) * n

    def line(self, x0, y0, x1, y1, c, width=1, style="solid"):
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err, step = dx + dy, 0
        while True:
            on = (style == "solid" or
                  (style == "dashed" and (step // 8) % 2 == 0) or
                  (style == "dotted" and (step // 3) % 2 == 0))
            if on:
                self.rect(x0 - width // 2, y0 - width // 2,
                          x0 - width // 2 + width, y0 - width // 2 + width, c)
            if x0 == x1 and y0 == y1:
                break
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy
            step += 1

    def text(self, x, y, s, c=(0, 0, 0), scale=1, vertical=False):
        """Draw s with its top-left at (x, y); vertical: bottom to top."""
        for ch in s:
            g = FONT.get(ch, FONT.get(ch.upper(), FONT["?"]))
            for r, bits in enumerate(g):
                for col, b in enumerate(bits):
                    if b != "#":
                        continue
                    for i in range(scale):
                        for j in range(scale):
                            if vertical:
                                self.set(x + r * scale + j,
                                         y - col * scale - i, c)
                            else:
                                self.set(x + col * scale + i,
                                         y + r * scale + j, c)
            if vertical:
                y -= 6 * scale
            else:
                x += 6 * scale

    def png(self, path):
        raw = bytearray()
        row = self.w * 3
        for y in range(self.h):
            raw.append(0)
            raw += self.px[y * row:(y + 1) * row]

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data +
                    struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))

        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h,
                                               8, 2, 0, 0, 0)))
            f.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
            f.write(chunk(b"IEND", b""))


def text_width(s, scale):
    return len(s) * 6 * scale - scale


def fmt_tick(v):
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return "%g" % v if a < 1e6 else "%.0e" % v
    if a >= 1:
        return ("%.2f" % v).rstrip("0").rstrip(".")
    return ("%.4f" % v).rstrip("0").rstrip(".")


def nice_ticks(lo, hi, n=6):
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    count = int(math.ceil((hi - start) / step - 1e-9))
    return [round(start + i * step, 12) for i in range(max(count, 1) + 1)]


def render_builtin(ch, path):
    W, H = 960, 560
    L, R, T, B = 90, 290, 50, 70      # plot margins (legend on the right)
    cv = Canvas(W, H)
    pw, ph = W - L - R, H - T - B
    xs = [x for s in ch.series for x, _ in s.points]
    ys = [y for s in ch.series for _, y in s.points]

    # x mapping
    fx = (lambda v: math.log2(v)) if ch.logx else (lambda v: float(v))
    x0, x1 = fx(min(xs)), fx(max(xs))
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    pad = (x1 - x0) * 0.05
    x0, x1 = x0 - pad, x1 + pad

    # y mapping and ticks
    if ch.logy:
        lo = math.floor(math.log10(min(ys)))
        hi = math.ceil(math.log10(max(ys)))
        if hi == lo:
            hi += 1
        y0, y1 = lo, hi
        fy = (lambda v: math.log10(v))
        yticks = [10 ** e for e in range(lo, hi + 1)]
    else:
        yticks = nice_ticks(0, max(ys) * 1.05)
        y0, y1 = 0.0, yticks[-1] or 1.0
        fy = (lambda v: float(v))

    def px(v):
        return L + int(round((fx(v) - x0) / (x1 - x0) * pw))

    def py(v):
        return T + ph - int(round((fy(v) - y0) / (y1 - y0) * ph))

    grid, axis = (225, 225, 225), (60, 60, 60)
    for t in yticks:
        y = py(t)
        cv.line(L, y, L + pw, y, grid)
        lab = fmt_tick(t)
        cv.text(L - 8 - text_width(lab, 2), y - 7, lab, axis, 2)
    ticks = ch.xticks or [(v, fmt_tick(v)) for v in sorted(set(xs))]
    for v, lab in ticks:
        x = px(v)
        cv.line(x, T, x, T + ph, grid)
        cv.line(x, T + ph, x, T + ph + 5, axis)
        cv.text(x - text_width(lab, 2) // 2, T + ph + 10, lab, axis, 2)
    cv.line(L, T, L, T + ph, axis, 2)
    cv.line(L, T + ph, L + pw, T + ph, axis, 2)

    cv.text(L + (pw - text_width(ch.title, 2)) // 2, 15, ch.title, (0, 0, 0), 2)
    cv.text(L + (pw - text_width(ch.xlabel, 2)) // 2, H - 28, ch.xlabel, axis, 2)
    cv.text(18, T + (ph + text_width(ch.ylabel, 2)) // 2, ch.ylabel, axis, 2,
            vertical=True)

    for s in ch.series:
        pts = [(px(x), py(y)) for x, y in s.points]
        for (ax_, ay), (bx, by) in zip(pts, pts[1:]):
            cv.line(ax_, ay, bx, by, s.color, 3, s.style)
        for x, y in pts:
            cv.rect(x - 3, y - 3, x + 4, y + 4, s.color)

    # legend
    lx, ly = L + pw + 20, T + 5
    for s in ch.series:
        cv.line(lx, ly + 7, lx + 34, ly + 7, s.color, 3, s.style)
        cv.rect(lx + 14, ly + 4, lx + 21, ly + 11, s.color)
        cv.text(lx + 42, ly + 1, s.label[:19], (0, 0, 0), 2)
        ly += 22
    cv.png(path)


# --------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(
        description="Plot dpdk-test-sva CSV (--csv) as PNG charts.")
    ap.add_argument("csv", nargs="+", help="CSV file(s) from dpdk-test-sva --csv")
    ap.add_argument("-o", "--outdir", default=".", help="directory for the PNGs")
    ap.add_argument("--metric", choices=("gbps", "mops"), default="gbps",
                    help="throughput charts: GB/s (default) or Mops")
    ap.add_argument("--backend", choices=("auto", "matplotlib", "builtin"),
                    default="auto", help="renderer (auto: matplotlib if installed)")
    args = ap.parse_args()

    backend = args.backend
    if backend in ("auto", "matplotlib"):
        try:
            import matplotlib  # noqa: F401
            backend = "matplotlib"
        except ImportError:
            if backend == "matplotlib":
                sys.exit("matplotlib is not installed (python3-matplotlib)")
            backend = "builtin"
    render = render_matplotlib if backend == "matplotlib" else render_builtin

    try:
        rows = read_input(args.csv)
    except InputError as e:
        print("sva-plot.py: %s" % e, file=sys.stderr)
        return 2
    charts = {}
    charts.update(throughput_charts(rows, args.metric))
    charts.update(latency_charts(rows))
    charts.update(scaling_charts(rows))
    texts = tables(rows)
    if not charts and not texts:
        print("sva-plot.py: nothing to plot in %s: no throughput, latency, "
              "scaling, fault or bind-churn rows" % " ".join(args.csv),
              file=sys.stderr)
        return 1
    try:
        os.makedirs(args.outdir, exist_ok=True)
        for name, ch in sorted(charts.items()):
            path = os.path.join(args.outdir, name + ".png")
            render(ch, path)
            print("%s (%s)" % (path, backend))
        for name, text in sorted(texts.items()):
            path = os.path.join(args.outdir, name)
            with open(path, "w") as f:
                f.write(text)
            print("%s (table)\n%s" % (path, text))
    except OSError as e:
        print("sva-plot.py: %s: %s" % (e.filename or args.outdir,
                                       e.strerror or e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
