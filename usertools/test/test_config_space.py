#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Tests of usertools/sva_bind/pciconfig.py: config-space images parsed
field by field, chains that loop or point outside, short and garbage files.
Run by test_dpdk_sva_bind.py (one meson test) or on its own."""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import sva_bind as sva  # noqa: E402 (the package beside the script)
from sva_bind_fakes import (
    AER, ATS, CAPABLE_EXT, PASID, PRI, ats_body, config_space, pasid_body,
    pri_body, put32)


class ConfigSpaceTest(unittest.TestCase):
    def test_capable_chain(self):
        cfg = sva.parse_config(config_space(0xabcd, 0x1234, 0x120000,
                                            CAPABLE_EXT, pcie_type=0x9))
        self.assertEqual([c["id"] for c in cfg["std_caps"]], [0x01, 0x10, 0x11])
        self.assertEqual(cfg["pcie"]["type_name"],
                         "root complex integrated endpoint")
        self.assertEqual([(c["name"], c["offset"]) for c in cfg["ext_caps"]],
                         [("ATS", 0x100), ("PRI", 0x108), ("PASID", 0x118)])
        p = cfg["pasid"]
        self.assertEqual((p["present"], p["max_width"], p["max_pasids"]),
                         (True, 20, 1 << 20))
        self.assertEqual((p["exec_supported"], p["priv_supported"],
                          p["enabled"]), (False, True, True))
        self.assertEqual((cfg["pri"]["max_requests"], cfg["pri"]["enabled"]),
                         (512, False))
        self.assertEqual(cfg["ats"]["queue_depth"], 32)    # 0 encodes 32
        self.assertTrue(cfg["ats"]["page_aligned"])
        self.assertIsNone(cfg["note"])

    def test_field_bits(self):
        ext = [(PASID, pasid_body(width=8, exec_=True, priv=False,
                                  enabled=False)),
               (PRI, pri_body(capacity=64, allocated=32, enabled=True,
                              status=0x8101)),
               (ATS, ats_body(qdepth=5, page_aligned=False, enabled=True,
                              stu=3))]
        cfg = sva.parse_config(config_space(1, 2, 0x120000, ext))
        p, r, a = cfg["pasid"], cfg["pri"], cfg["ats"]
        self.assertEqual((p["max_width"], p["exec_supported"],
                          p["priv_supported"], p["enabled"]),
                         (8, True, False, False))
        self.assertEqual((r["max_requests"], r["allocated_requests"],
                          r["enabled"], r["response_failure"], r["stopped"],
                          r["response_needs_pasid"]),
                         (64, 32, True, True, True, True))
        self.assertEqual((a["queue_depth"], a["page_aligned"], a["enabled"],
                          a["stu"]), (5, False, True, 3))

    def test_other_caps_skipped_and_pri_absent(self):
        cfg = sva.parse_config(config_space(
            1, 2, 0x120000, [(AER, bytes(0x44)), (0x000b, bytes(12)),
                             (PASID, pasid_body(16)), (ATS, ats_body())]))
        self.assertEqual([c["id"] for c in cfg["ext_caps"]],
                         [AER, 0x000b, PASID, ATS])
        self.assertEqual(cfg["pasid"]["max_width"], 16)
        self.assertIs(cfg["pri"]["present"], False)
        self.assertIs(cfg["ats"]["present"], True)

    def test_no_extended_caps(self):
        cfg = sva.parse_config(config_space(1, 2, 0x120000, []))
        self.assertEqual(cfg["ext_caps"], [])
        for k in ("pasid", "pri", "ats"):
            self.assertIs(cfg[k]["present"], False)

    def test_loop_and_bad_pointer_terminate(self):
        c = bytearray(config_space(1, 2, 0x120000, [(ATS, ats_body())]))
        put32(c, 0x100, ATS | (1 << 16) | (0x100 << 20))    # points at itself
        cfg = sva.parse_config(bytes(c))
        self.assertIn("loop", cfg["note"])
        self.assertEqual(len(cfg["ext_caps"]), 1)
        put32(c, 0x100, ATS | (1 << 16) | (0x40 << 20))     # below 0x100
        cfg = sva.parse_config(bytes(c))
        self.assertIn("malformed", cfg["note"])

    def test_nonroot_read_is_64_bytes(self):
        # The kernel returns only 64 bytes of config to non-root readers,
        # while the file still claims the full size.
        full = config_space(1, 2, 0x120000, CAPABLE_EXT)
        cfg = sva.parse_config(full[:64], 4096, privileged=False)
        self.assertIsNone(cfg["pasid"]["present"])
        self.assertIn("only the first 64 of the 4096 bytes", cfg["note"])
        self.assertIn("rerun as root", cfg["note"])

    def test_short_256_byte_config(self):
        short = config_space(1, 2, 0x120000, size=256)
        cfg = sva.parse_config(short, 256, privileged=False)
        self.assertIsNone(cfg["pasid"]["present"])
        self.assertIn("readable only by root", cfg["note"])
        cfg = sva.parse_config(short, 256, privileged=True)
        self.assertIsNone(cfg["pasid"]["present"])
        self.assertIn("exposes only 256 bytes", cfg["note"])
        conv = config_space(1, 2, 0x020000, size=256, pcie=False)
        cfg = sva.parse_config(conv, 256, privileged=True)
        self.assertIs(cfg["pasid"]["present"], False)
        self.assertIn("conventional PCI", cfg["note"])

    def test_garbage(self):
        self.assertIsNone(sva.parse_config(b"\xff" * 10)["pasid"]["present"])
        cfg = sva.parse_config(b"\xff" * 4096)      # all-ones: no device
        self.assertIs(cfg["pasid"]["present"], False)


if __name__ == "__main__":
    unittest.main()
