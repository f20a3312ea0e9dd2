#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Kernel-lab case: usertools/dpdk-sva-bind.py against the lab guest's real
sysfs. What the tool says about QEMU's edu device (its IOMMU group and the
group's domain type, the vfio-pci binding and cdev, PASID/PRI/ATS, the
Intel IOMMU unit's ecap bits, /dev/iommu) must be what sysfs and config
space say, read here independently; and its verdict for edu must be "not
usable" for SVA for the reasons that are true, with no set-up steps; its
--unbind and --bind change the real sysfs as they say.

  sva_bind_check.py PATH/TO/dpdk-sva-bind.py
Exit 0 pass, 1 fail, 77 outside the lab guest (no edu device)."""
import json
import os
import subprocess
import sys
import time

SYS = "/sys"
failures = []


def check(cond, msg):
    if cond:
        print("  ok: " + msg)
    else:
        print("  FAIL: " + msg)
        failures.append(msg)


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def link(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def find_edu():
    base = os.path.join(SYS, "bus/pci/devices")
    for bdf in sorted(os.listdir(base)):
        if (read(os.path.join(base, bdf, "vendor")) == "0x1234" and
                read(os.path.join(base, bdf, "device")) == "0x11e8"):
            return bdf
    return None


def pcie_ext_caps(bdf):
    """The extended capability IDs in edu's config space (read as root)."""
    with open(os.path.join(SYS, "bus/pci/devices", bdf, "config"), "rb") as f:
        cfg = f.read(4096)
    caps, ids = [], set()
    if len(cfg) < 256:
        return len(cfg), None, None
    # Standard list: is there a PCI Express capability (id 0x10)?
    if cfg[6] & 0x10:
        p = cfg[0x34] & 0xfc
        seen = 0
        while p and seen < 48:
            ids.add(cfg[p])
            p = cfg[p + 1] & 0xfc
            seen += 1
    if 0x10 not in ids or len(cfg) <= 256:
        return len(cfg), 0x10 in ids, []
    off = 0x100
    while off and len(caps) < 64:
        hdr = int.from_bytes(cfg[off:off + 4], "little")
        if hdr == 0 or hdr == 0xffffffff:
            break
        caps.append(hdr & 0xffff)
        off = (hdr >> 20) & 0xffc
    return len(cfg), True, caps


def run_tool(tool, *args):
    p = subprocess.run([sys.executable, tool] + list(args), capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    tool = sys.argv[1]
    bdf = find_edu()
    if bdf is None:
        print("SKIP: no edu device: run in the lab guest "
              "(bash lab/lab.sh run -- python3 %s %s)" % (sys.argv[0], tool))
        return 77
    dev = os.path.join(SYS, "bus/pci/devices", bdf)
    # The lab binds edu to vfio-pci (driver_override) if a case has not yet.
    if link(os.path.join(dev, "driver")) != "vfio-pci":
        rc, out, err = run_tool(tool, "--bind", "vfio-pci", bdf)
        print("  dpdk-sva-bind.py --bind vfio-pci %s: exit %d %s" % (bdf, rc, (out + err).strip()))
        check(rc == 0, "the tool binds edu to vfio-pci")
    # The tool's --unbind and --bind on the real kernel: sysfs follows.
    rc, out, err = run_tool(tool, "--unbind", bdf)
    print("  dpdk-sva-bind.py --unbind %s: exit %d %s" % (bdf, rc, (out + err).strip()))
    check(rc == 0 and link(os.path.join(dev, "driver")) is None,
          "--unbind: sysfs shows edu without a driver")
    check(read(os.path.join(dev, "driver_override")) in ("(null)", ""),
          "--unbind: driver_override cleared (%r)" % read(os.path.join(dev, "driver_override")))
    check(not os.path.isdir(os.path.join(dev, "vfio-dev")) or
          not os.listdir(os.path.join(dev, "vfio-dev")), "--unbind: the vfio-dev cdev is gone")
    rc, out, err = run_tool(tool, "--bind", "vfio-pci", bdf)
    print("  dpdk-sva-bind.py --bind vfio-pci %s: exit %d %s" % (bdf, rc, (out + err).strip()))
    check(rc == 0 and "bound to vfio-pci" in out, "--bind vfio-pci: the tool says bound")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (
            os.path.isdir(os.path.join(dev, "vfio-dev")) and os.listdir(os.path.join(dev, "vfio-dev"))):
        time.sleep(0.01)
    driver = link(os.path.join(dev, "driver"))
    check(driver == "vfio-pci", "sysfs: edu %s is bound to vfio-pci (%s)" % (bdf, driver))
    rc, out, err = run_tool(tool, "--bind", "vfio-pci", bdf)
    check(rc == 0 and "already bound" in out, "--bind again: 'already bound' (%s)" % out.strip())

    # Independent reading of the facts.
    group = link(os.path.join(dev, "iommu_group"))
    gtype = read(os.path.join(SYS, "kernel/iommu_groups", group or "-", "type"))
    gdevs = sorted(os.listdir(os.path.join(SYS, "kernel/iommu_groups", group, "devices"))) \
        if group else []
    vfio_dev = sorted(os.listdir(os.path.join(dev, "vfio-dev"))) \
        if os.path.isdir(os.path.join(dev, "vfio-dev")) else []
    unit = link(os.path.join(dev, "iommu"))
    ecap = read(os.path.join(SYS, "class/iommu", unit or "-", "intel-iommu/ecap"))
    cfglen, pcie, ext = pcie_ext_caps(bdf)
    print("  sysfs: group %s (%s) devices %s, vfio-dev %s, unit %s ecap %s, "
          "config %d bytes, PCIe cap %s, ext caps %s" % (group, gtype, gdevs, vfio_dev, unit,
                                                          ecap, cfglen, pcie, ext))
    check(group is not None, "sysfs: edu has an IOMMU group (the vIOMMU is on)")
    check(bool(vfio_dev), "sysfs: edu has a vfio-dev cdev")

    rc, out, err = run_tool(tool, "--status", "--json")
    check(rc == 0, "--status --json exits 0 (%d %s)" % (rc, err.strip()[:200]))
    st = json.loads(out)
    d = next((x for x in st["pci"] if x["bdf"] == bdf), None)
    check(d is not None, "--status lists edu %s" % bdf)
    if d is None:
        return 1
    check(d["vendor"] == "1234" and d["device"] == "11e8", "--status: edu's ids")
    check(d["driver"] == driver, "--status: driver %s == sysfs %s" % (d["driver"], driver))
    check(d["driver_override"] == "vfio-pci",
          "--status: driver_override %s" % d["driver_override"])
    check(d["iommu_group"] == group, "--status: iommu group %s == sysfs %s"
          % (d["iommu_group"], group))
    check(d["iommu_domain"] == gtype, "--status: group domain %s == sysfs %s"
          % (d["iommu_domain"], gtype))
    check(d["iommu_unit"] == unit, "--status: IOMMU unit %s == sysfs %s"
          % (d["iommu_unit"], unit))
    check(sorted(d["vfio_dev"]) == vfio_dev, "--status: vfio-dev %s == sysfs %s"
          % (d["vfio_dev"], vfio_dev))
    has = {"pasid": 0x1b in (ext or []), "pri": 0x13 in (ext or []),
           "ats": 0x0f in (ext or [])}
    for k in ("pasid", "pri", "ats"):
        check(d["config"][k]["present"] == has[k], "--status: %s present=%s, config space "
              "says %s" % (k.upper(), d["config"][k]["present"], has[k]))
    check(st["iommu"]["present"], "--status: an IOMMU is present")
    check(st["iommu"]["iommufd"] == os.path.exists("/dev/iommu"),
          "--status: iommufd %s == /dev/iommu exists %s"
          % (st["iommu"]["iommufd"], os.path.exists("/dev/iommu")))
    g = next((x for x in st["iommu"]["groups"] if x["group"] == group), None)
    check(g is not None and sorted(g["devices"]) == gdevs and g["type"] == gtype,
          "--status: group %s lists %s (%s)" % (group, g and g["devices"], g and g["type"]))
    u = next((x for x in st["iommu"]["units"] if x["name"] == unit), None)
    check(u is not None and u["kind"] == "Intel VT-d", "--status: unit %s is Intel VT-d" % unit)
    if u is not None and ecap is not None:
        e = int(ecap, 16)
        check(u.get("pasid") == bool((e >> 40) & 1),
              "--status: unit PASID %s == ecap bit 40 %s" % (u.get("pasid"), bool((e >> 40) & 1)))
        check(u.get("page_requests") == bool((e >> 29) & 1),
              "--status: unit page requests %s == ecap bit 29 %s"
              % (u.get("page_requests"), bool((e >> 29) & 1)))
        check(u.get("scalable_mode") == bool((e >> 43) & 1),
              "--status: unit scalable mode %s == ecap bit 43 %s"
              % (u.get("scalable_mode"), bool((e >> 43) & 1)))

    rc, out, err = run_tool(tool, "--check", "--json", bdf)
    ck = json.loads(out)
    r = ck["devices"][0] if ck["devices"] else None
    check(r is not None and r["bdf"] == bdf, "--check reports edu")
    if r is not None:
        msgs = [(f["severity"], f["message"]) for f in r["findings"]]
        for sev, m in msgs:
            print("    %s: %s" % (sev, m))
        check(r["usable"] is False and r["verdict"] == "not supported"
              and r["sva_driver"] is None,
              "--check: edu not usable for SVA (verdict %r)" % r["verdict"])
        check(rc == 1 and ck["exit_status"] == 1, "--check exits 1 when nothing is usable")
        check(any(s == "blocker" and "PASID" in m for s, m in msgs),
              "--check: a blocker names the missing PASID capability")
        check(not any(s == "blocker" and "no IOMMU" in m for s, m in msgs),
              "--check: no 'no IOMMU' blocker (there is one)")
        # The hardware rules SVA out here, so by design the tool skips the
        # software-path steps (vfio binding, cdev, iommufd): none appear.
        check(not any(s == "todo" for s, m in msgs),
              "--check: no set-up steps once the hardware rules SVA out")
        check(any(s == "ok" and "group %s" % group in m and gtype in m for s, m in msgs),
              "--check: reports edu's group %s and its %s domain as translated" % (group, gtype))
        if ecap is not None:
            e = int(ecap, 16)
            check(any(s == "blocker" and "no PASID support" in m for s, m in msgs)
                  == (not (e >> 40) & 1),
                  "--check: 'IOMMU has no PASID support' blocker iff ecap bit 40 clear")
            check(any(s == "limit" and "no page requests" in m for s, m in msgs)
                  == (not (e >> 29) & 1),
                  "--check: 'takes no page requests' limit iff ecap bit 29 clear")
        check(any(s == "blocker" and "conventional PCI" in m for s, m in msgs) == (not pcie),
              "--check: 'conventional PCI device' blocker iff config space has no "
              "PCI Express capability (has one: %s)" % pcie)

    rc, out, err = run_tool(tool, "--status", bdf)
    check(rc == 0 and bdf in out, "--status (text) names edu")
    print(out)
    if failures:
        print("FAIL sva_bind_sysfs: %d check(s) failed:" % len(failures))
        for f in failures:
            print("  - " + f)
        return 1
    print("PASS sva_bind_sysfs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
