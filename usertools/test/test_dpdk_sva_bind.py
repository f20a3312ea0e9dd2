#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Tests for usertools/dpdk-sva-bind.py (the sva_bind package) against fake
sysfs trees.

Every test builds its own tree in a temporary directory: PCI devices with
config-space images assembled byte by byte, IOMMU units and groups, idxd
work queues, uacce devices and a PCI drivers tree whose files record what the
tool writes (sva_bind_fakes.py).  Nothing touches the real /sys.  The
config-space parser's own tests are in test_config_space.py; this file runs
them too.

    python3 usertools/test/test_dpdk_sva_bind.py [-v] [unittest args]
    python3 usertools/test/test_dpdk_sva_bind.py --build-tree DIR [--no-iommu]

The second form only builds the example tree used in
doc/guides/usertools.rst (DIR/sys, DIR/dev) and exits.
"""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import sva_bind as sva  # noqa: E402 (the package beside the script)
SCRIPT = os.path.join(HERE, "..", "dpdk-sva-bind.py")

from sva_bind_fakes import (
    ATS, BRIDGE, CAPABLE, DSA, DSA2, ECAP_SVA, FakeKernel, FakeTree, NIC,
    NOPASID, NOPRI, PASID, PRI, SEC, ZIP, ats_body, build_capable,
    build_demo, build_idxd, build_nic, build_nopasid, build_nopri,
    build_uacce, config_space, pasid_body, pri_body)
from test_config_space import ConfigSpaceTest  # noqa: F401 (run here too)


# --- tests ---------------------------------------------------------------------------------

class ToolTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="sva-bind-test-")
        self.addCleanup(self._tmp.cleanup)
        self.t = FakeTree(self._tmp.name)
        p = mock.patch.object(sva.sysfs, "is_privileged", return_value=True)
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
        k = FakeKernel(self.t, sva.sysfs.sysfs_write)
        p = mock.patch.object(sva.sysfs, "sysfs_write", k)
        p.start()
        self.addCleanup(p.stop)
        return k


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
    def test_not_supported(self):
        # The iommufd backend's fault-capable domain needs page requests:
        # without PRI its probe fails, so no driver serves the device.
        build_capable(self.t)
        build_nopri(self.t)
        rc, out, _ = self.run_tool("--status", NOPRI)
        self.assertIn("PASID  yes: 16-bit", out)
        self.assertIn("PRI    no", out)
        self.assertIn("ATS    yes: invalidate queue depth 8", out)
        rc, res = self.check_json(NOPRI)
        self.assertEqual(rc, 1)
        d = self.device(res, NOPRI)
        self.assertEqual((d["verdict"], d["ready"], d["usable"],
                          d["sva_driver"]),
                         ("not supported", False, False, None), d["findings"])
        self.assertIn("no PRI", d["unsupported"])
        self.assertEqual(res["ready"], [])
        rc, out, _ = self.run_tool("--check", NOPRI)
        self.assertIn("driver vfio-pci: NOT SUPPORTED: sva_iommufd declines "
                      "it: no PRI capability", out)
        self.assertNotIn("READY", out)


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
        with mock.patch.object(sva.sysfs, "is_privileged", return_value=False):
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
        self.assertEqual((rc, res["usable"], res["ready"]), (1, [], []))
        for bdf in (ZIP, SEC):
            z = self.device(res, bdf)
            self.assertEqual((z["backend"], z["verdict"], z["sva_driver"],
                              z["ready"], z["usable"]),
                             ("uacce", "not supported", None, False, False))
            self.assertEqual(z["unsupported"],
                             "no uacce backend in librte_sva")
        # The way out: vfio-pci and sva_iommufd (ZIP has PASID and PRI).
        self.assertIn("--bind vfio-pci %s" % ZIP,
                      self.messages(self.device(res, ZIP), "blocker"))


class DriverVerdictTest(ToolTest):
    """Each verdict names the librte_sva driver that serves the device;
    one no driver serves is NOT SUPPORTED, never READY."""

    def check_line(self, bdf):
        rc, out, _ = self.run_tool("--check", bdf)
        return next(line for line in out.splitlines()
                    if line.startswith(bdf))

    def test_uacce_device(self):
        build_uacce(self.t)
        rc, res = self.check_json(ZIP)
        self.assertEqual(rc, 1)
        d = self.device(res, ZIP)
        self.assertIsNone(d["sva_driver"])
        self.assertFalse(d["ready"])
        self.assertTrue(self.check_line(ZIP).endswith(
            "driver hisi_zip: NOT SUPPORTED: no uacce backend in librte_sva"))

    def test_vfio_device_without_pasid(self):
        build_nopasid(self.t)
        rc, res = self.check_json(NOPASID)
        self.assertEqual(rc, 1)
        d = self.device(res, NOPASID)
        self.assertEqual((d["backend"], d["sva_driver"], d["verdict"],
                          d["ready"]),
                         ("iommufd", None, "not supported", False))
        self.assertIn("no PASID capability", d["unsupported"])
        line = self.check_line(NOPASID)
        self.assertIn("driver vfio-pci: NOT SUPPORTED: sva_iommufd declines "
                      "it: no PASID capability", line)
        self.assertNotIn("READY", line)

    def test_idxd_wq(self):
        build_idxd(self.t)
        rc, res = self.check_json(DSA)
        self.assertEqual(rc, 0)
        d = self.device(res, DSA)
        self.assertEqual((d["sva_driver"], d["verdict"], d["unsupported"]),
                         ("sva_idxd", "ready", None))
        self.assertTrue(self.check_line(DSA).endswith(
            "driver idxd: READY (served by sva_idxd)"))

    def test_vfio_capable_device(self):
        build_capable(self.t, driver="vfio-pci")
        self.t.add_vfio_dev(CAPABLE)
        rc, res = self.check_json(CAPABLE)
        d = self.device(res, CAPABLE)
        self.assertEqual((d["sva_driver"], d["verdict"]),
                         ("sva_iommufd", "ready"), d["findings"])
        self.assertTrue(self.check_line(CAPABLE).endswith(
            "READY (served by sva_iommufd)"))


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
        self.assertIn("Summary: 3 of 7 device(s) can use SVA", p.stdout)
        p = run("--status", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(json.loads(p.stdout)["pci"]), 8)
        p = run("--bind", "vfio-pci", "1:2:3")
        self.assertEqual(p.returncode, 2)

    def test_installed_layout(self):
        """As meson installs it: the script in bin, the package in
        share/librte_sva, found through a symlink to the script too."""
        build_demo(self.t)
        prefix = os.path.join(self._tmp.name, "prefix")
        shutil.copytree(os.path.join(HERE, "..", "sva_bind"),
                        os.path.join(prefix, "share", "librte_sva", "sva_bind"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        os.makedirs(os.path.join(prefix, "bin"))
        script = os.path.join(prefix, "bin", "dpdk-sva-bind.py")
        shutil.copy(SCRIPT, script)
        alias = os.path.join(self._tmp.name, "dpdk-sva-bind")
        os.symlink(script, alias)
        env = dict(os.environ, SVA_SYSFS_ROOT=self.t.sys,
                   SVA_DEV_ROOT=self.t.dev, PYTHONDONTWRITEBYTECODE="1")
        for path in (script, alias):
            p = subprocess.run([sys.executable, path, "--check"], env=env,
                               cwd=self._tmp.name, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("Summary: 3 of 7 device(s) can use SVA", p.stdout)


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
