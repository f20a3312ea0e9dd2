#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""
Tests of the PMD info of the driver libraries: what buildtools/sva-pmdinfogen.py
puts into them, as read by usertools/sva-pmdinfo.py and, when installed, by
DPDK's dpdk-pmdinfo.py.  Run by 'meson test pmdinfo' (buildtools/meson.build),
which passes the paths:

  test_pmdinfo.py --reader R --generator G --driver LIB --driver-source SRC
                  --fixture LIB --fixture-objects ARCHIVE [unittest args]

Prints "N passed, N failed, N skipped" last; exits non-zero on failure.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
DRIVER_NAME = "sva_sim"

# What the fixture (buildtools/test/pmdinfo_fixture_*.c) registers, as the
# readers report it: PCI ids as hex strings, 0xffff wildcards left out.
FIXTURE = {
    "sva_fixture_pci": {
        "name": "sva_fixture_pci",
        "params": 'wq=<0-7> label="<text>" path=<dir\\file> q=<??=> tab=<\t>',
        "kmod": "* vfio-pci | igb_uio",
        "pci_ids": [
            {"vendor": "8086", "device": "0b25"},
            {"vendor": "8086", "device": "11fb"},
            {"vendor": "1af4", "device": "1041",
             "subsystem_vendor": "1af4", "subsystem_device": "0001"},
        ],
    },
    "sva_fixture_vdev": {"name": "sva_fixture_vdev",
                         "params": "size=<int> mode=<a|b>"},
    "sva_fixture_bare": {"name": "sva_fixture_bare"},
}


# --------------------------------------------------------------------------
# Helpers.

def run(cmd, check=True):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if check and proc.returncode != 0:
        raise AssertionError("%s exited %d:\n%s%s" % (" ".join(cmd), proc.returncode,
                                                     proc.stdout, proc.stderr))
    return proc


def reader(*args, check=True):
    return run([sys.executable, ARGS.reader] + list(args), check=check)


def reader_json(path):
    return json.loads(reader("--json", path).stdout)


def dpdk_pmdinfo():
    """DPDK's dpdk-pmdinfo.py, or None (SVA_DPDK_PMDINFO overrides)."""
    path = os.environ.get("SVA_DPDK_PMDINFO") or shutil.which("dpdk-pmdinfo.py") \
        or "/usr/bin/dpdk-pmdinfo.py"
    return path if os.path.isfile(path) else None


def dpdk_json(path):
    tool = dpdk_pmdinfo()
    # Its own interpreter line is /usr/bin/python3; this one has pyelftools.
    return json.loads(run([sys.executable, tool, path]).stdout)


C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
             "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def c_unescape(body):
    def repl(m):
        e = m.group(1)
        if e[0] in "01234567":
            return chr(int(e, 8))
        if e[0] == "x":
            return chr(int(e[1:], 16))
        return C_ESCAPES[e]
    return re.sub(r"\\([0-7]{1,3}|x[0-9a-fA-F]+|.)", repl, body)


def source_param_string(path):
    """The string of the first RTE_PMD_REGISTER_PARAM_STRING() in a C file:
    its adjacent literals joined, escapes decoded."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"RTE_PMD_REGISTER_PARAM_STRING\s*\(\s*\w+\s*,((?:\s*\"(?:[^\"\\\n]|\\.)*\")+)\s*\)",
                  text)
    if not m:
        raise AssertionError("%s: no RTE_PMD_REGISTER_PARAM_STRING(name, \"...\")" % path)
    return "".join(c_unescape(s) for s in re.findall(r"\"((?:[^\"\\\n]|\\.)*)\"", m.group(1)))


# --------------------------------------------------------------------------
# The sva_sim driver library.

class SimDriver(unittest.TestCase):

    def test_json(self):
        """sva-pmdinfo.py --json: one driver, sva_sim, with the exact devargs."""
        info = reader_json(ARGS.driver)
        self.assertEqual([d["name"] for d in info], [DRIVER_NAME])
        self.assertEqual(info[0], {
            "name": DRIVER_NAME,
            "params": source_param_string(ARGS.driver_source),
        })

    def test_table(self):
        """sva-pmdinfo.py: a header line and a row for sva_sim."""
        lines = reader(ARGS.driver).stdout.splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertEqual(lines[0].split()[:5], ["DRIVER", "FILE", "KMOD", "PCI", "IDS"])
        row = lines[1].split(None, 4)
        self.assertEqual(row[0], DRIVER_NAME)
        self.assertEqual(row[1], os.path.basename(ARGS.driver))
        self.assertEqual(row[2:4], ["-", "-"])
        self.assertEqual(row[4], source_param_string(ARGS.driver_source))

    def test_dpdk_pmdinfo(self):
        """DPDK's dpdk-pmdinfo.py reports the same sva_sim driver."""
        if dpdk_pmdinfo() is None:
            self.skipTest("dpdk-pmdinfo.py not installed (Debian package dpdk)")
        ours = reader_json(ARGS.driver)
        theirs = [d for d in dpdk_json(ARGS.driver) if d.get("name") == DRIVER_NAME]
        self.assertEqual(theirs, ours)

    def test_no_info_elsewhere(self):
        """A file without drivers: no rows, exit status 1."""
        proc = reader("--json", sys.executable, check=False)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), [])


# --------------------------------------------------------------------------
# The fixture library: PCI ids, kernel modules, escaping, several drivers.

class Fixture(unittest.TestCase):

    def test_drivers(self):
        """Every driver and field of the fixture, exactly."""
        info = {d["name"]: d for d in reader_json(ARGS.fixture)}
        self.assertEqual(info, FIXTURE)

    def test_dpdk_pmdinfo(self):
        """DPDK's dpdk-pmdinfo.py reads the same from the fixture."""
        if dpdk_pmdinfo() is None:
            self.skipTest("dpdk-pmdinfo.py not installed (Debian package dpdk)")
        theirs = {d["name"]: d for d in dpdk_json(ARGS.fixture)
                  if d.get("name", "").startswith("sva_fixture_")}
        self.assertEqual(theirs, FIXTURE)

    def test_table_pci(self):
        """The table lists kernel modules and PCI ids."""
        out = reader(ARGS.fixture).stdout
        row = [line for line in out.splitlines() if line.startswith("sva_fixture_pci ")]
        self.assertEqual(len(row), 1, out)
        self.assertIn("* vfio-pci | igb_uio", row[0])
        self.assertIn("8086:0b25, 8086:11fb, 1af4:1041 (1af4:0001)", row[0])


# --------------------------------------------------------------------------
# The generator on its own.

class Generator(unittest.TestCase):

    def generate(self, *inputs, extra=()):
        return run([sys.executable, ARGS.generator, "-o", "-"] + list(extra) + list(inputs),
                   check=False)

    def test_archive(self):
        """From the static archive: one definition per driver, DPDK's format."""
        proc = self.generate(ARGS.fixture_objects)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        defs = re.findall(r"^const char (\w+)_pmd_info\[\] __attribute__\(\(used\)\) =$",
                          proc.stdout, re.M)
        self.assertEqual(sorted(defs), sorted(FIXTURE))
        self.assertIn('"PMD_INFO_STRING= {', proc.stdout)

    def test_linked_library(self):
        """From a linked library, the same drivers as from its objects."""
        a = self.generate(ARGS.fixture_objects)
        b = self.generate(ARGS.fixture)
        self.assertEqual(b.returncode, 0, b.stderr)
        strip = lambda s: s.split("*/", 1)[1]  # noqa: E731 (header names inputs)
        self.assertEqual(strip(a.stdout), strip(b.stdout))

    def test_no_driver(self):
        """Inputs that register no driver fail, unless --allow-empty."""
        proc = self.generate(sys.executable)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no driver registration", proc.stderr)
        proc = self.generate(sys.executable, extra=["--allow-empty"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("PMD_INFO_STRING", proc.stdout)

    def test_not_elf(self):
        """A file that is neither ELF nor an archive is an error."""
        with tempfile.NamedTemporaryFile(suffix=".o") as f:
            f.write(b"not an object\n")
            f.flush()
            proc = self.generate(f.name)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("not an ELF file", proc.stderr)


# --------------------------------------------------------------------------

def main():
    global ARGS  # pylint: disable=global-statement
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for opt in ("reader", "generator", "driver", "driver-source", "fixture",
                "fixture-objects"):
        parser.add_argument("--" + opt, required=True)
    ARGS, rest = parser.parse_known_args()

    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    if rest:                                  # unittest-style test names
        suite = unittest.defaultTestLoader.loadTestsFromNames(rest, sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
