#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Tests for usertools/dpdk-sva-bind.py against fake sysfs trees.

Every test builds its own tree in a temporary directory: PCI devices with
config-space images assembled byte by byte, IOMMU units and groups, idxd
work queues, uacce devices and a PCI drivers tree whose files record what the
tool writes.  Nothing touches the real /sys.

    python3 usertools/test/test_dpdk_sva_bind.py [-v] [unittest args]
    python3 usertools/test/test_dpdk_sva_bind.py --build-tree DIR [--no-iommu]

The second form only builds the example tree used in
doc/guides/usertools.rst (DIR/sys, DIR/dev) and exits.
"""

import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "dpdk-sva-bind.py")

_spec = importlib.util.spec_from_file_location("dpdk_sva_bind", SCRIPT)
sva = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sva)


# --- config space images, byte by byte ------------------------------------------

def put8(buf, off, val):
    buf[off] = val & 0xff


def put16(buf, off, val):
    put8(buf, off, val)
    put8(buf, off + 1, val >> 8)


def put32(buf, off, val):
    put16(buf, off, val)
    put16(buf, off + 2, val >> 16)


def ats_body(qdepth=0, page_aligned=True, enabled=False, stu=0):
    b = bytearray(4)
    put16(b, 0, (qdepth & 0x1f) | (0x20 if page_aligned else 0))
    put16(b, 2, (0x8000 if enabled else 0) | (stu & 0x1f))
    return bytes(b)


def pri_body(capacity=512, allocated=0, enabled=False, status=0):
    b = bytearray(12)
    put16(b, 0, 0x0001 if enabled else 0)       # control
    put16(b, 2, status)                          # status
    put32(b, 4, capacity)                        # outstanding capacity
    put32(b, 8, allocated)                       # outstanding allocation
    return bytes(b)


def pasid_body(width=20, exec_=False, priv=True, enabled=True):
    b = bytearray(4)
    put16(b, 0, ((width & 0x1f) << 8) | (0x2 if exec_ else 0)
          | (0x4 if priv else 0))
    put16(b, 2, 0x0001 if enabled else 0)
    return bytes(b)


ATS, PRI, PASID, AER = 0x000f, 0x0013, 0x001b, 0x0001


def config_space(vendor, device, klass, ext=(), size=4096, pcie=True,
                 pcie_type=0x0):
    """A type-0 header with PM -> [PCI Express ->] MSI-X at 0x40/0x50/0x70,
    and the extended capabilities `ext` = [(id, body), ...] chained from
    0x100 in order, each header carrying version 1 and the next offset."""
    c = bytearray(size)
    put16(c, 0x00, vendor)
    put16(c, 0x02, device)
    put16(c, 0x04, 0x0006)              # command: memory, bus master
    put16(c, 0x06, 0x0010)              # status: capabilities list
    put8(c, 0x08, 0x01)                 # revision
    put8(c, 0x09, klass)                # programming interface
    put8(c, 0x0a, klass >> 8)           # subclass
    put8(c, 0x0b, klass >> 16)          # base class
    put8(c, 0x0e, 0x00)                 # header type 0
    put8(c, 0x34, 0x40)                 # capabilities pointer
    put8(c, 0x40, 0x01)                 # power management
    put8(c, 0x41, 0x50 if pcie else 0x70)
    put16(c, 0x42, 0x0003)
    if pcie:
        put8(c, 0x50, 0x10)             # PCI Express
        put8(c, 0x51, 0x70)
        put16(c, 0x52, 0x0002 | (pcie_type << 4))
    put8(c, 0x70, 0x11)                 # MSI-X, end of list
    put8(c, 0x71, 0x00)
    off = 0x100
    ext = list(ext)
    assert not ext or size == 4096
    for i, (cid, body) in enumerate(ext):
        nxt = 0 if i == len(ext) - 1 else (off + 4 + len(body) + 3) & ~3
        put32(c, off, cid | (1 << 16) | (nxt << 20))
        c[off + 4:off + 4 + len(body)] = body
        off = nxt
    return bytes(c)


CAPABLE_EXT = [(ATS, ats_body()), (PRI, pri_body()), (PASID, pasid_body())]

# VT-d extended capabilities: PASID (40), scalable mode (43), page requests
# (29), PASID size 19 -> 20 bits (39:35), plus a few low bits.
ECAP_SVA = (1 << 43) | (1 << 40) | (19 << 35) | (1 << 29) | 0xda


# --- fake sysfs / dev trees ---------------------------------------------------------

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(os.path.relpath(target, os.path.dirname(path)), path)


class FakeTree:
    """A sysfs tree laid out like the kernel's, with relative symlinks."""

    def __init__(self, root):
        self.root = root
        self.sys = os.path.join(root, "sys")
        self.dev = os.path.join(root, "dev")
        for d in ("bus/pci/devices", "bus/pci/drivers", "class/iommu",
                  "kernel/iommu_groups", "devices"):
            os.makedirs(os.path.join(self.sys, d), exist_ok=True)
        os.makedirs(self.dev, exist_ok=True)
        write(self.s("bus/pci/drivers_probe"), "")

    def s(self, *parts):
        return os.path.join(self.sys, *parts)

    def real(self, bdf):
        dom, bus, _ = bdf.split(":")
        return self.s("devices", "pci%s:%s" % (dom, bus), bdf)

    def add_driver(self, name):
        d = self.s("bus/pci/drivers", name)
        if not os.path.isdir(d):
            for f in ("bind", "unbind", "new_id"):
                write(os.path.join(d, f), "")
        return d

    def add_iommu(self, name="dmar0", ecap=ECAP_SVA):
        real = self.s("devices/virtual/iommu", name)
        if os.path.isdir(real):
            return real
        write(os.path.join(real, "intel-iommu", "ecap"), "%x\n" % ecap)
        write(os.path.join(real, "intel-iommu", "cap"), "d2008c40660462\n")
        os.makedirs(os.path.join(real, "devices"), exist_ok=True)
        link(self.s("class/iommu", name), real)
        write(os.path.join(self.dev, "iommu"), "")      # iommufd
        return real

    def add_group(self, num, kind="DMA-FQ"):
        g = self.s("kernel/iommu_groups", str(num))
        write(os.path.join(g, "type"), kind + "\n")
        os.makedirs(os.path.join(g, "devices"), exist_ok=True)
        return g

    def add_pci(self, bdf, vendor, device, klass, config, driver=None,
                group=None, group_type="DMA-FQ", iommu=None, override=None):
        real = self.real(bdf)
        write(os.path.join(real, "vendor"), "0x%04x\n" % vendor)
        write(os.path.join(real, "device"), "0x%04x\n" % device)
        write(os.path.join(real, "class"), "0x%06x\n" % klass)
        write(os.path.join(real, "config"), config)
        write(os.path.join(real, "driver_override"),
              (override or "(null)") + "\n")
        write(os.path.join(real, "numa_node"), "0\n")
        link(self.s("bus/pci/devices", bdf), real)
        if driver:
            link(os.path.join(real, "driver"), self.add_driver(driver))
        if group is not None:
            g = self.s("kernel/iommu_groups", str(group))
            if not os.path.isdir(g):
                self.add_group(group, group_type)
            link(os.path.join(real, "iommu_group"), g)
            link(os.path.join(g, "devices", bdf), real)
        if iommu:
            unit = self.s("devices/virtual/iommu", iommu)
            link(os.path.join(real, "iommu"), unit)
            link(os.path.join(unit, "devices", bdf), real)
        return real

    def add_net(self, bdf, ifname, operstate="up"):
        write(os.path.join(self.real(bdf), "net", ifname, "operstate"),
              operstate + "\n")

    def add_vfio_dev(self, bdf, name="vfio0"):
        os.makedirs(os.path.join(self.real(bdf), "vfio-dev", name),
                    exist_ok=True)
        write(os.path.join(self.dev, "vfio", "devices", name), "")

    def add_idxd(self, bdf, name="dsa0", pasid_enabled=1, state="enabled"):
        real = os.path.join(self.real(bdf), name)
        write(os.path.join(real, "state"), state + "\n")
        if pasid_enabled is not None:
            write(os.path.join(real, "pasid_enabled"), "%d\n" % pasid_enabled)
        link(self.s("bus/dsa/devices", name), real)
        return real

    def add_wq(self, bdf, idxd, wq, mode="shared", type_="user",
               state="enabled", name="app1", size=32, cdev=True):
        real = os.path.join(self.real(bdf), idxd, wq)
        for attr, val in (("mode", mode), ("type", type_), ("state", state),
                          ("name", name), ("size", str(size)),
                          ("driver_name", "user" if type_ == "user" else "")):
            write(os.path.join(real, attr), val + "\n")
        link(self.s("bus/dsa/devices", wq), real)
        if cdev:
            write(os.path.join(self.dev, idxd.rstrip("0123456789"), wq), "")
        return real

    def add_uacce(self, bdf, name, api="hisi_qm_v2", flags=1, avail=256,
                  algorithms=("zlib", "gzip"), cdev=True):
        real = os.path.join(self.real(bdf), "uacce", name)
        write(os.path.join(real, "api"), api + "\n")
        write(os.path.join(real, "flags"), "%u\n" % flags)
        write(os.path.join(real, "available_instances"), "%d\n" % avail)
        write(os.path.join(real, "algorithms"), "\n".join(algorithms) + "\n")
        link(os.path.join(real, "device"), self.real(bdf))
        link(self.s("class/uacce", name), real)
        if cdev:
            write(os.path.join(self.dev, name), "")
        return real

    def files(self):
        """Everything in the tree: path -> content or link target."""
        out = {}
        for top in (self.sys, self.dev):
            for dirpath, dirnames, filenames in os.walk(top):
                for n in dirnames + filenames:
                    p = os.path.join(dirpath, n)
                    if os.path.islink(p):
                        out[p] = "-> " + os.readlink(p)
                    elif os.path.isfile(p):
                        with open(p, "rb") as f:
                            out[p] = f.read()
        return out


class FakeKernel:
    """Wraps the tool's sysfs_write and does what the kernel would: unbind
    drops the driver link; drivers_probe binds the driver_override driver."""

    def __init__(self, tree, orig):
        self.tree = tree
        self.orig = orig
        self.writes = []

    def __call__(self, path, text):
        self.orig(path, text)
        self.writes.append((os.path.relpath(path, self.tree.sys), text))
        base = os.path.basename(path)
        if base == "unbind":
            drv = os.path.join(self.tree.real(text.strip()), "driver")
            if os.path.islink(drv):
                os.unlink(drv)
        elif base == "drivers_probe":
            bdf = text.strip()
            real = self.tree.real(bdf)
            drv = os.path.join(real, "driver")
            with open(os.path.join(real, "driver_override")) as f:
                ovr = f.read().strip()
            target = self.tree.s("bus/pci/drivers", ovr)
            if not os.path.islink(drv) and ovr and ovr != "(null)" \
                    and os.path.isdir(target):
                link(drv, target)
                if ovr == "vfio-pci" and os.path.islink(
                        os.path.join(real, "iommu_group")):
                    self.tree.add_vfio_dev(bdf)


# --- scenarios -------------------------------------------------------------------------

CAPABLE = "0000:3b:00.0"
NOPRI = "0000:3c:00.0"
DSA = "0000:6a:01.0"
DSA2 = "0000:e7:01.0"
ZIP = "0000:75:00.0"
SEC = "0000:76:00.0"
NIC = "0000:00:1f.6"
BRIDGE = "0000:00:00.0"


def build_capable(t, driver="foo_accel"):
    """PASID+PRI+ATS device, IOMMU in DMA mode, vfio-pci loaded."""
    t.add_iommu("dmar0")
    t.add_driver("vfio-pci")
    t.add_pci(BRIDGE, 0x8086, 0x09a2, 0x060000,
              config_space(0x8086, 0x09a2, 0x060000, pcie_type=0x4),
              group=0, iommu="dmar0")
    t.add_pci(CAPABLE, 0xabcd, 0x1234, 0x120000,
              config_space(0xabcd, 0x1234, 0x120000, CAPABLE_EXT),
              driver=driver, group=7, group_type="DMA", iommu="dmar0")


def build_nopri(t):
    t.add_pci(NOPRI, 0xabcd, 0x5678, 0x120000,
              config_space(0xabcd, 0x5678, 0x120000,
                           [(AER, bytes(0x44)), (PASID, pasid_body(16)),
                            (ATS, ats_body(qdepth=8))]),
              driver="vfio-pci", group=8, group_type="DMA-FQ", iommu="dmar0")
    t.add_vfio_dev(NOPRI, "vfio1")


def build_idxd(t):
    t.add_iommu("dmar0")
    cfg = config_space(0x8086, 0x0b25, 0x088000, CAPABLE_EXT, pcie_type=0x9)
    t.add_pci(DSA, 0x8086, 0x0b25, 0x088000, cfg, driver="idxd", group=20,
              iommu="dmar0")
    t.add_idxd(DSA, "dsa0")
    t.add_wq(DSA, "dsa0", "wq0.0", mode="shared", name="app1", size=32)
    t.add_wq(DSA, "dsa0", "wq0.1", mode="dedicated", type_="kernel",
             state="disabled", name="", size=16, cdev=False)
    t.add_pci(DSA2, 0x8086, 0x0b25, 0x088000, cfg, driver="idxd", group=21,
              iommu="dmar0")
    t.add_idxd(DSA2, "dsa2", state="disabled")


def build_uacce(t):
    t.add_iommu("dmar0")
    cfg = config_space(0x19e5, 0xa250, 0x120000, CAPABLE_EXT, pcie_type=0x9)
    t.add_pci(ZIP, 0x19e5, 0xa250, 0x120000, cfg, driver="hisi_zip",
              group=30, iommu="dmar0")
    t.add_uacce(ZIP, "hisi_zip-0", flags=1, avail=256,
                algorithms=("zlib", "gzip", "deflate"))
    cfg = config_space(0x19e5, 0xa255, 0x108000, CAPABLE_EXT, pcie_type=0x9)
    t.add_pci(SEC, 0x19e5, 0xa255, 0x108000, cfg, driver="hisi_sec2",
              group=31, iommu="dmar0")
    t.add_uacce(SEC, "hisi_sec2-1", api="hisi_qm_v2", flags=0, avail=0,
                algorithms=("cipher",))


def build_nic(t, group=None):
    """A conventional PCI NIC (256-byte config, no PCIe capability)."""
    t.add_pci(NIC, 0x8086, 0x15bc, 0x020000,
              config_space(0x8086, 0x15bc, 0x020000, size=256, pcie=False),
              driver="e1000e", group=group, iommu="dmar0" if group else None)
    t.add_net(NIC, "eth0", "up")


def build_demo(t, iommu=True):
    if iommu:
        build_capable(t)
        build_nopri(t)
        build_idxd(t)
        build_uacce(t)
        build_nic(t, group=1)
    else:
        t.add_driver("vfio-pci")
        t.add_pci(CAPABLE, 0xabcd, 0x1234, 0x120000,
                  config_space(0xabcd, 0x1234, 0x120000, CAPABLE_EXT),
                  driver="foo_accel")
        build_nic(t)


# --- tests ---------------------------------------------------------------------------------

class ToolTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="sva-bind-test-")
        self.addCleanup(self._tmp.cleanup)
        self.t = FakeTree(self._tmp.name)
        p = mock.patch.object(sva, "is_privileged", return_value=True)
        p.start()
        self.addCleanup(p.stop)

    def run_tool(self, *args, roots=True, environ=None):
        argv = list(args)
        if roots:
            argv += ["--sysfs-root", self.t.sys, "--dev-root", self.t.dev]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = sva.main(argv, environ=environ if environ is not None
                          else {})
        return rc, out.getvalue(), err.getvalue()

    def check_json(self, *devs):
        rc, out, err = self.run_tool("--check", "--json", *devs)
        res = json.loads(out)
        self.assertEqual(rc, res["exit_status"], err)
        return rc, res

    def device(self, res, bdf):
        for d in res["devices"]:
            if d["bdf"] == bdf:
                return d
        self.fail("%s not in the check result" % bdf)

    def severities(self, dev):
        return [f["severity"] for f in dev["findings"]]

    def messages(self, dev, severity):
        return " | ".join(f["message"] + " " + (f["fix"] or "")
                          for f in dev["findings"]
                          if f["severity"] == severity)

    def kernel(self):
        k = FakeKernel(self.t, sva.sysfs_write)
        p = mock.patch.object(sva, "sysfs_write", k)
        p.start()
        self.addCleanup(p.stop)
        return k


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


class CapableDeviceTest(ToolTest):
    def setUp(self):
        super().setUp()
        build_capable(self.t)

    def test_status(self):
        rc, out, err = self.run_tool("--status")
        self.assertEqual(rc, 0, err)
        self.assertIn("dmar0: Intel VT-d (PASID yes (20 bits), scalable mode "
                      "yes, page requests yes)", out)
        self.assertIn("%s  abcd:1234  class 120000  driver foo_accel  group 7 "
                      "(DMA)" % CAPABLE, out)
        self.assertIn("PASID  yes: 20-bit, exec no, priv yes, enabled yes",
                      out)
        self.assertIn("PRI    yes: 512 outstanding page requests, enabled no",
                      out)
        self.assertIn("ATS    yes: invalidate queue depth 32, enabled no",
                      out)

    def test_status_json(self):
        rc, out, _ = self.run_tool("--status", "--json", "3b:00.0")
        self.assertEqual(rc, 0)
        snap = json.loads(out)
        self.assertEqual([d["bdf"] for d in snap["pci"]], [CAPABLE])
        d = snap["pci"][0]
        self.assertEqual(d["config"]["pasid"]["max_width"], 20)
        self.assertEqual(d["config"]["pri"]["max_requests"], 512)
        self.assertEqual(d["config"]["ats"]["queue_depth"], 32)
        self.assertEqual((d["driver"], d["iommu_group"], d["iommu_domain"]),
                         ("foo_accel", "7", "DMA"))
        self.assertTrue(snap["iommu"]["present"])
        self.assertEqual(snap["iommu"]["domain_types"],
                         {"DMA": 1, "DMA-FQ": 1})

    def test_check_usable_after_binding(self):
        rc, res = self.check_json()
        self.assertEqual(rc, 0)
        self.assertEqual(res["skipped_bridges"], [BRIDGE])
        d = self.device(res, CAPABLE)
        self.assertEqual((d["usable"], d["ready"], d["limited"]),
                         (True, False, False))
        self.assertEqual(d["verdict"], "usable after setup")
        self.assertEqual(d["backend"], "iommufd")
        self.assertIn("--bind vfio-pci %s" % CAPABLE,
                      self.messages(d, "todo"))
        self.assertNotIn("blocker", self.severities(d))
        rc, out, _ = self.run_tool("--check")
        self.assertIn("USABLE AFTER SETUP", out)
        self.assertIn("Summary: 1 of 1 device(s) can use SVA", out)

    def test_bind_writes_and_then_ready(self):
        k = self.kernel()
        rc, out, err = self.run_tool("--bind", "vfio-pci", "3b:00.0")
        self.assertEqual(rc, 0, err)
        self.assertIn("bound to vfio-pci (was foo_accel)", out)
        real = self.t.real(CAPABLE)
        with open(os.path.join(real, "driver_override")) as f:
            self.assertEqual(f.read(), "vfio-pci")
        with open(self.t.s("bus/pci/drivers/foo_accel/unbind")) as f:
            self.assertEqual(f.read(), CAPABLE)
        with open(self.t.s("bus/pci/drivers_probe")) as f:
            self.assertEqual(f.read(), CAPABLE)
        dev = "bus/pci/devices/" + CAPABLE
        self.assertEqual(k.writes, [
            (dev + "/driver_override", "vfio-pci"),
            (dev + "/driver/unbind", CAPABLE),
            ("bus/pci/drivers_probe", CAPABLE)])
        rc, res = self.check_json(CAPABLE)
        d = self.device(res, CAPABLE)
        self.assertEqual(d["verdict"], "ready", d["findings"])
        self.assertEqual(res["ready"], [CAPABLE])

    def test_bind_already_bound_writes_nothing(self):
        self.kernel()
        self.run_tool("--bind", "vfio-pci", CAPABLE)
        before = self.t.files()
        rc, out, _ = self.run_tool("--bind", "vfio-pci", CAPABLE)
        self.assertEqual(rc, 0)
        self.assertIn("already bound to vfio-pci", out)
        self.assertEqual(before, self.t.files())

    def test_bind_kernel_refuses_rolls_back(self):
        # No FakeKernel: the files are written but nothing binds.
        rc, out, err = self.run_tool("--bind", "vfio-pci", CAPABLE)
        self.assertEqual(rc, 1)
        self.assertIn("did not bind it to vfio-pci", err)
        with open(os.path.join(self.t.real(CAPABLE), "driver_override")) as f:
            self.assertEqual(f.read(), "\n")        # override cleared again
        with open(self.t.s("bus/pci/drivers/foo_accel/unbind")) as f:
            self.assertEqual(f.read(), CAPABLE)

    def test_unbind(self):
        k = self.kernel()
        self.run_tool("--bind", "vfio-pci", CAPABLE)
        rc, out, err = self.run_tool("--unbind", CAPABLE)
        self.assertEqual(rc, 0, err)
        self.assertIn("unbound from vfio-pci", out)
        real = self.t.real(CAPABLE)
        self.assertFalse(os.path.lexists(os.path.join(real, "driver")))
        with open(os.path.join(real, "driver_override")) as f:
            self.assertEqual(f.read(), "\n")
        with open(self.t.s("bus/pci/drivers/vfio-pci/unbind")) as f:
            self.assertEqual(f.read(), CAPABLE)
        self.assertEqual(k.writes[-1],
                         ("bus/pci/devices/%s/driver/unbind" % CAPABLE,
                          CAPABLE))
        rc, out, _ = self.run_tool("--unbind", CAPABLE)
        self.assertEqual(rc, 0)
        self.assertIn("not bound to any driver", out)

    def test_identity_domain_does_not_matter_for_vfio(self):
        with open(self.t.s("kernel/iommu_groups/7/type"), "w") as f:
            f.write("identity\n")
        rc, res = self.check_json(CAPABLE)
        d = self.device(res, CAPABLE)
        self.assertTrue(d["usable"])
        self.assertIn("identity", self.messages(d, "info"))

    def test_group_shared_with_kernel_driver(self):
        self.t.add_pci("0000:3b:00.1", 0xabcd, 0x1235, 0x020000,
                       config_space(0xabcd, 0x1235, 0x020000),
                       driver="ixgbe", group=7)
        rc, res = self.check_json(CAPABLE)
        d = self.device(res, CAPABLE)
        self.assertIn("also holds 0000:3b:00.1, bound to ixgbe",
                      self.messages(d, "todo"))

    def test_iommu_without_scalable_mode(self):
        with open(self.t.s("class/iommu/dmar0/intel-iommu/ecap"), "w") as f:
            f.write("%x\n" % (ECAP_SVA & ~(1 << 43)))
        rc, res = self.check_json()
        self.assertEqual(rc, 1)
        self.assertIn("no scalable mode",
                      self.messages(self.device(res, CAPABLE), "blocker"))

    def test_pasid_disabled_warns(self):
        cfg = config_space(0xabcd, 0x1234, 0x120000,
                           [(ATS, ats_body()), (PRI, pri_body()),
                            (PASID, pasid_body(enabled=False))])
        with open(os.path.join(self.t.real(CAPABLE), "config"), "wb") as f:
            f.write(cfg)
        rc, res = self.check_json()
        d = self.device(res, CAPABLE)
        self.assertIn("present but not enabled", self.messages(d, "warn"))
        self.assertIn("sm_on", self.messages(d, "warn"))

    def test_environment_roots(self):
        env = {"SVA_SYSFS_ROOT": self.t.sys, "SVA_DEV_ROOT": self.t.dev}
        rc, out, _ = self.run_tool("--check", roots=False, environ=env)
        self.assertEqual(rc, 0)
        self.assertIn("sysfs %s, dev %s" % (self.t.sys, self.t.dev), out)
        # The options win over the environment.
        empty = os.path.join(self._tmp.name, "empty")
        os.makedirs(empty)
        rc, out, _ = self.run_tool("--check", "--sysfs-root", empty,
                                   roots=False, environ=env)
        self.assertEqual(rc, 1)
        self.assertIn("no IOMMU", out)


class NoPriTest(ToolTest):
    def test_limited(self):
        build_capable(self.t)
        build_nopri(self.t)
        rc, out, _ = self.run_tool("--status", NOPRI)
        self.assertIn("PASID  yes: 16-bit", out)
        self.assertIn("PRI    no", out)
        self.assertIn("ATS    yes: invalidate queue depth 8", out)
        rc, res = self.check_json(NOPRI)
        self.assertEqual(rc, 0)
        d = self.device(res, NOPRI)
        self.assertEqual(d["verdict"], "ready (limited)", d["findings"])
        self.assertTrue(d["limited"])
        self.assertIn("no PRI capability", self.messages(d, "limit"))
        self.assertIn("populated", self.messages(d, "limit"))


class NoIommuTest(ToolTest):
    def test_no_iommu(self):
        build_demo(self.t, iommu=False)
        rc, out, _ = self.run_tool("--check")
        self.assertEqual(rc, 1)
        self.assertIn("[blocker] no IOMMU", out)
        self.assertIn("intel_iommu=on", out)
        self.assertIn("sva_sim0", out)
        rc, res = self.check_json()
        self.assertEqual((rc, res["usable"]), (1, []))
        d = self.device(res, CAPABLE)
        self.assertEqual(d["verdict"], "not usable")
        # The device itself is fine: the blocker is the platform.
        self.assertIn("no IOMMU", self.messages(d, "blocker"))
        self.assertIn("PASID capability", self.messages(d, "ok"))
        self.assertIn("conventional PCI",
                      self.messages(self.device(res, NIC), "blocker"))
        rc, out, _ = self.run_tool("--status")
        self.assertIn("none: %s is empty, no IOMMU groups"
                      % self.t.s("class/iommu"), out)


class ShortConfigTest(ToolTest):
    def setUp(self):
        super().setUp()
        build_capable(self.t)
        with open(os.path.join(self.t.real(CAPABLE), "config"), "wb") as f:
            f.write(config_space(0xabcd, 0x1234, 0x120000, size=256))

    def test_not_root(self):
        with mock.patch.object(sva, "is_privileged", return_value=False):
            rc, out, _ = self.run_tool("--status", CAPABLE)
            self.assertIn("readable only by root", out)
            rc, res = self.check_json()
        self.assertEqual(rc, 1)
        d = self.device(res, CAPABLE)
        self.assertEqual((d["verdict"], d["usable"]), ("unknown", None))
        self.assertIn("rerun as root", self.messages(d, "unknown"))
        self.assertIn("not running as root",
                      " ".join(f["message"] for f in res["machine"]))

    def test_root(self):
        rc, res = self.check_json()
        self.assertEqual(rc, 1)
        d = self.device(res, CAPABLE)
        self.assertEqual(d["verdict"], "unknown")
        self.assertIn("exposes only 256 bytes", self.messages(d, "unknown"))


class IdxdTest(ToolTest):
    def setUp(self):
        super().setUp()
        build_idxd(self.t)

    def test_status(self):
        rc, out, _ = self.run_tool("--status")
        self.assertIn("dsa0 @ %s  state enabled  pasid_enabled 1" % DSA, out)
        self.assertIn("wq0.0  mode shared  type user  state enabled  name "
                      "app1  size 32\n          %s present"
                      % os.path.join(self.t.dev, "dsa", "wq0.0"), out)
        self.assertIn("wq0.1  mode dedicated  type kernel  state disabled",
                      out)
        rc, out, _ = self.run_tool("--status", "--json")
        wqs = {w["name"]: w for w in json.loads(out)["idxd"]["wqs"]}
        self.assertEqual(wqs["wq0.0"]["pci"], DSA)
        self.assertEqual((wqs["wq0.0"]["mode"], wqs["wq0.0"]["size"],
                          wqs["wq0.0"]["cdev_present"]), ("shared", 32, True))
        self.assertFalse(wqs["wq0.1"]["cdev_present"])

    def test_check(self):
        rc, res = self.check_json()
        self.assertEqual(rc, 0)
        d = self.device(res, DSA)
        self.assertEqual((d["backend"], d["verdict"]), ("idxd", "ready"),
                         d["findings"])
        self.assertEqual(d["name"], "Intel DSA")
        self.assertIn("work queue wq0.0: shared", self.messages(d, "ok"))
        self.assertIn("wq0.1 not usable: state disabled, type kernel",
                      self.messages(d, "info"))
        self.assertIn("enqcmd", self.messages(d, "info"))
        d2 = self.device(res, DSA2)
        self.assertEqual(d2["verdict"], "usable after setup")
        self.assertIn("accel-config enable-device dsa2",
                      self.messages(d2, "todo"))

    def test_pasid_not_enabled_by_idxd(self):
        with open(self.t.s("bus/dsa/devices/dsa0/pasid_enabled"), "w") as f:
            f.write("0\n")
        rc, res = self.check_json(DSA)
        self.assertEqual(rc, 1)
        self.assertIn("pasid_enabled = 0",
                      self.messages(self.device(res, DSA), "blocker"))

    def test_identity_domain_blocks_kernel_driver(self):
        with open(self.t.s("kernel/iommu_groups/20/type"), "w") as f:
            f.write("identity\n")
        rc, res = self.check_json(DSA)
        self.assertEqual(rc, 1)
        self.assertIn("iommu.passthrough=0",
                      self.messages(self.device(res, DSA), "blocker"))


class UacceTest(ToolTest):
    def test_uacce(self):
        build_uacce(self.t)
        rc, out, _ = self.run_tool("--status")
        self.assertIn("hisi_zip-0 @ %s  api hisi_qm_v2  flags 0x1 (SVA)  "
                      "available_instances 256" % ZIP, out)
        self.assertIn("algorithms zlib gzip deflate", out)
        self.assertIn("hisi_sec2-1 @ %s  api hisi_qm_v2  flags 0x0 (no SVA)"
                      % SEC, out)
        rc, res = self.check_json()
        self.assertEqual((rc, res["usable"]), (0, [ZIP]))
        z = self.device(res, ZIP)
        self.assertEqual((z["backend"], z["verdict"]), ("uacce", "ready"))
        s = self.device(res, SEC)
        self.assertEqual(s["verdict"], "not usable")
        self.assertIn("without SVA", self.messages(s, "blocker"))


class BadInputTest(ToolTest):
    def setUp(self):
        super().setUp()
        build_capable(self.t)
        build_nic(self.t, group=1)
        self.before = self.t.files()

    def assert_untouched(self):
        self.assertEqual(self.before, self.t.files())

    def test_bad_bdf(self):
        for bad in ("00:04", "0000:00:04.8", "zz:00.0", "0000:00:20.0",
                    "0000:3b:00.0x", "3b.00.0", "", "000:3b:00.0"):
            for action in (["--bind", "vfio-pci"], ["--unbind"],
                           ["--check"], ["--status"]):
                rc, out, err = self.run_tool(*(action + [CAPABLE, bad]))
                self.assertEqual(rc, 2, (bad, action, err))
                self.assertTrue("not a PCI address" in err
                                or "out of range" in err, err)
        self.assert_untouched()

    def test_accepted_forms(self):
        for good in ("0000:3b:00.0", "3b:00.0", "3B:00.0", "0000:3B:00.0"):
            rc, out, err = self.run_tool("--status", good)
            self.assertEqual(rc, 0, (good, err))
            self.assertIn(CAPABLE, out)

    def test_unknown_device(self):
        rc, _, err = self.run_tool("--bind", "vfio-pci", CAPABLE,
                                   "0000:00:1f.7")
        self.assertEqual(rc, 2)
        self.assertIn("unknown device 0000:00:1f.7", err)
        rc, _, err = self.run_tool("--check", "00:1f.7")
        self.assertEqual(rc, 2)
        self.assert_untouched()

    def test_unknown_driver(self):
        rc, _, err = self.run_tool("--bind", "nosuchdrv", CAPABLE)
        self.assertEqual(rc, 2)
        self.assertIn("unknown driver 'nosuchdrv'", err)
        self.assertIn("modprobe nosuchdrv", err)
        rc, _, err = self.run_tool("--bind", "../../x", CAPABLE)
        self.assertEqual(rc, 2)
        self.assert_untouched()

    def test_forgotten_driver(self):
        rc, _, err = self.run_tool("--bind", CAPABLE, CAPABLE)
        self.assertEqual(rc, 2)
        self.assertIn("did you forget the driver", err)
        self.assert_untouched()

    def test_usage(self):
        for argv in ([], ["--status", "--check"], ["--bind", "vfio-pci"],
                     ["--unbind"], ["--bind", "vfio-pci", CAPABLE, "--json"],
                     ["--frobnicate"], ["--bind"]):
            rc, _, err = self.run_tool(*argv)
            self.assertEqual(rc, 2, (argv, err))
        rc, _, err = self.run_tool("--status", "--sysfs-root",
                                   os.path.join(self._tmp.name, "nope"),
                                   roots=False)
        self.assertEqual(rc, 2)
        self.assertIn("no such directory", err)
        self.assert_untouched()

    def test_refuses_interface_that_is_up(self):
        rc, _, err = self.run_tool("--bind", "vfio-pci", CAPABLE, NIC)
        self.assertEqual(rc, 1)
        self.assertIn("eth0", err)
        self.assertIn("--force", err)
        self.assert_untouched()
        self.kernel()
        rc, out, err = self.run_tool("--bind", "vfio-pci", NIC, "--force")
        self.assertEqual(rc, 0, err)
        self.assertIn("bound to vfio-pci (was e1000e)", out)

    def test_vfio_needs_iommu_group(self):
        t = FakeTree(os.path.join(self._tmp.name, "noiommu"))
        build_demo(t, iommu=False)
        before = t.files()
        rc, _, err = self.run_tool("--bind", "vfio-pci", CAPABLE,
                                   "--sysfs-root", t.sys, roots=False)
        self.assertEqual(rc, 1)
        self.assertIn("in no IOMMU group", err)
        self.assertEqual(before, t.files())

    def test_help_teaches(self):
        rc, out, _ = self.run_tool("--help", roots=False)
        self.assertEqual(rc, 0)
        for words in ("PASID", "PRI", "usable after setup", "exit status",
                      "SVA_SYSFS_ROOT", "driver_override", "--bind vfio-pci"):
            self.assertIn(words, out)


class CommandLineTest(ToolTest):
    """The script as a program: shebang-free invocation, exit codes."""

    def test_subprocess(self):
        build_demo(self.t)
        env = dict(os.environ, SVA_SYSFS_ROOT=self.t.sys,
                   SVA_DEV_ROOT=self.t.dev)
        run = lambda *a: subprocess.run([sys.executable, SCRIPT] + list(a),
                                        env=env, capture_output=True,
                                        text=True, timeout=60)
        p = run("--check")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Summary: 5 of 7 device(s) can use SVA", p.stdout)
        p = run("--status", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(json.loads(p.stdout)["pci"]), 8)
        p = run("--bind", "vfio-pci", "1:2:3")
        self.assertEqual(p.returncode, 2)


def build_tree_main(argv):
    """--build-tree DIR [--no-iommu]: the example tree for the docs."""
    root = argv[argv.index("--build-tree") + 1]
    build_demo(FakeTree(root), iommu="--no-iommu" not in argv)
    print("built %s/sys and %s/dev" % (root, root))
    return 0


def main():
    if "--build-tree" in sys.argv:
        return build_tree_main(sys.argv)
    prog = unittest.main(exit=False, verbosity=2)
    res = prog.result
    failed = len(res.failures) + len(res.errors) + \
        len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = res.testsRun - failed - skipped
    sys.stderr.flush()
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 and res.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
