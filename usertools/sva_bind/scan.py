# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Scanning sysfs: PCI devices, IOMMU units and groups, idxd work queues, uacce
devices, in one snapshot; device arguments resolved against it."""

import os
import re

from . import sysfs
from .sysfs import (
    SYSFS_BDF_RE, UsageError, hex_id, link_name, listdir, pci_parent,
    read_int, read_text)
from .pciconfig import parse_config


UACCE_DEV_SVA = 0x1


# A few devices known to do SVA, for friendlier output.
KNOWN_DEVICES = {
    ("8086", "0b25"): ("Intel DSA", "idxd"),
    ("8086", "0cfe"): ("Intel IAA", "idxd"),
    ("19e5", "a250"): ("HiSilicon ZIP", "hisi_zip"),
    ("19e5", "a255"): ("HiSilicon SEC", "hisi_sec2"),
    ("19e5", "a258"): ("HiSilicon HPRE", "hisi_hpre"),
}


BDF_RE = re.compile(r"^(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):"
                    r"([0-9a-fA-F]{2})\.([0-7])$")


def read_pci_device(roots, bdf, privileged):
    d = roots.pci_dev(bdf)
    vendor = hex_id(read_text(os.path.join(d, "vendor")), 4)
    device = hex_id(read_text(os.path.join(d, "device")), 4)
    klass = hex_id(read_text(os.path.join(d, "class")), 6)
    override_path = os.path.join(d, "driver_override")
    override = read_text(override_path)
    if override in ("", "(null)"):
        override = None
    group = link_name(os.path.join(d, "iommu_group"))
    info = {
        "bdf": bdf, "vendor": vendor, "device": device, "class": klass,
        "name": KNOWN_DEVICES.get((vendor, device), (None, None))[0],
        "bridge": bool(klass and klass.startswith("06")),
        "driver": link_name(os.path.join(d, "driver")),
        "driver_override": override,
        "driver_override_supported": os.path.exists(override_path),
        "iommu_group": group,
        "iommu_domain": (read_text(roots.sys("kernel", "iommu_groups",
                                             group, "type"))
                         if group is not None else None),
        "iommu_unit": link_name(os.path.join(d, "iommu")),
        "numa_node": read_int(os.path.join(d, "numa_node")),
        "vfio_dev": listdir(os.path.join(d, "vfio-dev")),
        "interfaces": [],
    }
    for netdir in [os.path.join(d, "net")] + [
            os.path.join(d, v, "net") for v in listdir(d)
            if v.startswith("virtio")]:
        for ifname in listdir(netdir):
            info["interfaces"].append({
                "name": ifname,
                "operstate": read_text(os.path.join(netdir, ifname,
                                                    "operstate"))})
    try:
        with open(os.path.join(d, "config"), "rb") as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(4096)
        info["config"] = parse_config(data, size or None, privileged)
    except OSError as e:
        info["config"] = parse_config(b"", 0, privileged)
        info["config"]["note"] = "cannot read config space: %s" % e.strerror
    return info


def scan_pci(roots, privileged):
    return [read_pci_device(roots, bdf, privileged)
            for bdf in listdir(roots.sys("bus", "pci", "devices"))]


def scan_iommu(roots):
    units = []
    base = roots.sys("class", "iommu")
    for name in listdir(base):
        p = os.path.join(base, name)
        unit = {"name": name, "kind": "unknown",
                "devices": len(listdir(os.path.join(p, "devices")))}
        if os.path.isdir(os.path.join(p, "intel-iommu")):
            unit["kind"] = "Intel VT-d"
            ecap = read_int(os.path.join(p, "intel-iommu", "ecap"), 16)
            if ecap is not None:
                unit["ecap"] = "%x" % ecap
                unit["pasid"] = bool((ecap >> 40) & 1)
                unit["scalable_mode"] = bool((ecap >> 43) & 1)
                unit["page_requests"] = bool((ecap >> 29) & 1)
                unit["pasid_bits"] = (((ecap >> 35) & 0x1f) + 1
                                      if unit["pasid"] else 0)
        elif os.path.isdir(os.path.join(p, "amd-iommu")):
            unit["kind"] = "AMD-Vi"
            text = read_text(os.path.join(p, "amd-iommu", "features"))
            try:
                efr = int(text.split(":")[0], 16)
            except (AttributeError, ValueError):
                efr = None
            if efr is not None:
                unit["features"] = "%x" % efr
                unit["pasid"] = bool((efr >> 4) & 1)        # GTSup
                unit["page_requests"] = bool((efr >> 1) & 1)  # PPRSup
                unit["pasid_bits"] = (((efr >> 32) & 0x1f) + 1
                                      if unit["pasid"] else 0)
        elif name.startswith("smmu3."):
            unit["kind"] = "Arm SMMUv3"
        elif name.startswith("smmu."):
            unit["kind"] = "Arm SMMU v1/v2"
            unit["pasid"] = False
        units.append(unit)
    groups = []
    gbase = roots.sys("kernel", "iommu_groups")
    for g in sorted(listdir(gbase), key=lambda s: (len(s), s)):
        groups.append({"group": g,
                       "type": read_text(os.path.join(gbase, g, "type")),
                       "devices": listdir(os.path.join(gbase, g, "devices"))})
    types = {}
    for g in groups:
        types[g["type"] or "unknown"] = types.get(g["type"] or "unknown",
                                                  0) + 1
    return {"present": bool(units), "units": units, "groups": groups,
            "domain_types": types,
            "iommufd": os.path.exists(roots.dev("iommu"))}


def scan_idxd(roots):
    base = roots.sys("bus", "dsa", "devices")
    res = {"present": os.path.isdir(base), "devices": [], "wqs": []}
    byid = {}
    for name in listdir(base):
        p = os.path.join(base, name)
        m = re.match(r"^(dsa|iax)(\d+)$", name)
        if m:
            dev = {"name": name, "pci": pci_parent(os.path.join(p, "x")),
                   "state": read_text(os.path.join(p, "state")),
                   "pasid_enabled": read_int(os.path.join(p,
                                                          "pasid_enabled"))}
            byid[int(m.group(2))] = dev
            res["devices"].append(dev)
    for name in listdir(base):
        m = re.match(r"^wq(\d+)\.(\d+)$", name)
        if not m:
            continue
        p = os.path.join(base, name)
        parent = byid.get(int(m.group(1)))
        prefix = re.match(r"^[a-z]+", parent["name"]).group(0) \
            if parent else "dsa"
        cdev = roots.dev(prefix, name)
        wq = {"name": name, "device": parent["name"] if parent else None,
              "pci": (parent["pci"] if parent else None) or pci_parent(p),
              "mode": read_text(os.path.join(p, "mode")),
              "type": read_text(os.path.join(p, "type")),
              "state": read_text(os.path.join(p, "state")),
              "wq_name": read_text(os.path.join(p, "name")),
              "size": read_int(os.path.join(p, "size"), 10),
              "driver_name": read_text(os.path.join(p, "driver_name")),
              "cdev": cdev, "cdev_present": os.path.exists(cdev),
              "cdev_access": os.access(cdev, os.R_OK | os.W_OK)}
        res["wqs"].append(wq)
    res["wqs"].sort(key=lambda w: tuple(int(x) for x in
                                        w["name"][2:].split(".")))
    return res


def scan_uacce(roots):
    base = roots.sys("class", "uacce")
    res = []
    for name in listdir(base):
        p = os.path.join(base, name)
        flags = read_int(os.path.join(p, "flags"))
        pci = link_name(os.path.join(p, "device"))
        if not pci or not SYSFS_BDF_RE.match(pci):
            pci = pci_parent(os.path.join(p, "x"))
            if pci is None:
                pci = pci_parent(p)
        algs = read_text(os.path.join(p, "algorithms")) or ""
        cdev = roots.dev(name)
        res.append({"name": name, "pci": pci,
                    "api": read_text(os.path.join(p, "api")),
                    "flags": flags,
                    "sva": bool(flags is not None and flags & UACCE_DEV_SVA),
                    "available_instances": read_int(
                        os.path.join(p, "available_instances")),
                    "algorithms": algs.split(),
                    "cdev": cdev, "cdev_present": os.path.exists(cdev)})
    return res


def snapshot(roots):
    privileged = sysfs.is_privileged()
    return {"sysfs_root": roots.sysfs, "dev_root": roots.dev_root,
            "privileged": privileged,
            "iommu": scan_iommu(roots),
            "pci": scan_pci(roots, privileged),
            "idxd": scan_idxd(roots),
            "uacce": scan_uacce(roots),
            "vfio_pci_loaded": os.path.isdir(
                roots.sys("bus", "pci", "drivers", "vfio-pci"))}


def normalize_bdf(text):
    m = BDF_RE.match(text)
    if not m:
        raise UsageError(
            "'%s' is not a PCI address: expected DDDD:BB:DD.F or BB:DD.F in "
            "hex, e.g. 0000:00:04.0 or 00:04.0" % text)
    if int(m.group(3), 16) > 0x1f:
        raise UsageError("'%s': device number %s is out of range (00-1f)"
                         % (text, m.group(3)))
    return "%04x:%s:%s.%s" % (int(m.group(1) or "0", 16), m.group(2).lower(),
                              m.group(3).lower(), m.group(4))


def resolve_devices(roots, args):
    out = []
    for a in args:
        bdf = normalize_bdf(a)
        if not os.path.isdir(roots.pci_dev(bdf)):
            raise UsageError(
                "unknown device %s: not in %s (see --status for the list)"
                % (a, roots.sys("bus", "pci", "devices")))
        if bdf not in out:
            out.append(bdf)
    return out


def is_vfio(driver):
    return bool(driver) and (driver == "vfio-pci"
                             or driver.endswith("_vfio_pci")
                             or driver.endswith("-vfio-pci"))
