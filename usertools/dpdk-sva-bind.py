#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Show, check and bind devices for Shared Virtual Addressing (librte_sva).

The tool reads only sysfs and /dev (both relocatable, for tests and for
inspecting a copy of another machine's tree) and writes only when asked to
bind or unbind.  Standard library only.
"""

import argparse
import json
import os
import re
import sys
import textwrap

SYSFS_ENV = "SVA_SYSFS_ROOT"
DEV_ENV = "SVA_DEV_ROOT"

# --- PCI configuration space -------------------------------------------------

CFG_STATUS = 0x06               # 16 bits; bit 4: capabilities list present
CFG_STATUS_CAP_LIST = 0x10
CFG_HEADER_TYPE = 0x0e          # bits 6:0: 0 normal, 1 bridge, 2 CardBus
CFG_CAP_PTR = 0x34              # first standard capability (types 0 and 1)
CFG_CAP_PTR_CARDBUS = 0x14
CFG_EXT_START = 0x100           # extended capabilities: 0x100 .. 0xfff
CFG_EXT_MAX_CAPS = (4096 - 256) // 8

CAP_ID_PCIE = 0x10

EXT_CAP_ATS = 0x000f
EXT_CAP_PRI = 0x0013
EXT_CAP_PASID = 0x001b

EXT_CAP_NAMES = {
    0x0001: "AER", 0x0002: "VC", 0x0003: "DSN", 0x0004: "power budget",
    0x000b: "vendor-specific", 0x000d: "ACS", 0x000e: "ARI",
    EXT_CAP_ATS: "ATS", 0x0010: "SR-IOV", EXT_CAP_PRI: "PRI",
    0x0015: "resizable BAR", 0x0017: "TPH", 0x0018: "LTR",
    0x0019: "secondary PCIe", EXT_CAP_PASID: "PASID", 0x001d: "DPC",
    0x001e: "L1 PM substates", 0x001f: "PTM", 0x0023: "DVSEC",
}

PCIE_PORT_TYPES = {
    0x0: "endpoint", 0x1: "legacy endpoint", 0x4: "root port",
    0x5: "switch upstream port", 0x6: "switch downstream port",
    0x7: "PCIe-to-PCI bridge", 0x8: "PCI-to-PCIe bridge",
    0x9: "root complex integrated endpoint",
    0xa: "root complex event collector",
}

# PASID capability: +4 capability register, +6 control register.
PASID_CAP_EXEC = 0x0002
PASID_CAP_PRIV = 0x0004
PASID_CTRL_ENABLE = 0x0001
PASID_CTRL_EXEC = 0x0002
PASID_CTRL_PRIV = 0x0004
# PRI: +4 control, +6 status, +8 outstanding page request capacity,
# +0xc outstanding page request allocation.
PRI_CTRL_ENABLE = 0x0001
PRI_STATUS_RF = 0x0001
PRI_STATUS_UPRGI = 0x0002
PRI_STATUS_STOPPED = 0x0100
PRI_STATUS_PASID = 0x8000
# ATS: +4 capability, +6 control.
ATS_CAP_QDEP_MASK = 0x001f      # 0 means 32
ATS_CAP_PAGE_ALIGNED = 0x0020
ATS_CAP_GLOBAL_INVAL = 0x0040
ATS_CTRL_ENABLE = 0x8000
ATS_CTRL_STU_MASK = 0x001f

CAP_SIZES = {EXT_CAP_ATS: 8, EXT_CAP_PRI: 16, EXT_CAP_PASID: 8}

UACCE_DEV_SVA = 0x1

# A few devices known to do SVA, for friendlier output.
KNOWN_DEVICES = {
    ("8086", "0b25"): ("Intel DSA", "idxd"),
    ("8086", "0cfe"): ("Intel IAA", "idxd"),
    ("19e5", "a250"): ("HiSilicon ZIP", "hisi_zip"),
    ("19e5", "a255"): ("HiSilicon SEC", "hisi_sec2"),
    ("19e5", "a258"): ("HiSilicon HPRE", "hisi_hpre"),
}

# Drivers that let vfio take DMA ownership of a device sharing its group.
DMA_OWNER_FRIENDLY = {"vfio-pci", "pci-stub", "pcieport"}

BDF_RE = re.compile(r"^(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):"
                    r"([0-9a-fA-F]{2})\.([0-7])$")
SYSFS_BDF_RE = re.compile(r"^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")

NO_IOMMU_FIX = (
    "enable the IOMMU in the firmware (Intel VT-d, AMD-Vi, Arm SMMUv3) and "
    "in the kernel: Intel: boot with intel_iommu=on,sm_on (scalable mode "
    "carries PASIDs); AMD: on by default once the firmware enables it "
    "(remove amd_iommu=off); Arm: the arm-smmu-v3 driver "
    "(CONFIG_ARM_SMMU_V3); everywhere: remove iommu=off. In a virtual "
    "machine the hypervisor must give the guest a virtual IOMMU with PASID "
    "support. Without any of this, librte_sva's software device "
    "(--vdev=sva_sim0) still runs.")

# Fix texts: one step a line.
IDXD_WQ_RECIPE = (
    "accel-config config-engine {dev}/engine{id}.0 --group-id=0\n"
    "accel-config config-wq {dev}/wq{id}.0 --group-id=0 --mode=dedicated "
    "--type=user --name=sva --priority=10 --wq-size=32\n"
    "(newer kernels also want --driver-name=user on config-wq)\n"
    "accel-config enable-device {dev}\n"
    "accel-config enable-wq {dev}/wq{id}.0")


class UsageError(Exception):
    """Bad arguments: exit status 2, nothing written."""


class OpError(Exception):
    """An operation failed: exit status 1."""


def is_privileged():
    """Root reads all of config space; others get the first 64 bytes."""
    return os.geteuid() == 0


def sysfs_write(path, text):
    """Every write the tool makes goes through here."""
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


class Roots:
    def __init__(self, sysfs, dev):
        self.sysfs = sysfs
        self.dev_root = dev

    def sys(self, *parts):
        return os.path.join(self.sysfs, *parts)

    def dev(self, *parts):
        return os.path.join(self.dev_root, *parts)

    def pci_dev(self, bdf, *parts):
        return self.sys("bus", "pci", "devices", bdf, *parts)


# --- small readers -------------------------------------------------------------

def read_text(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def read_int(path, base=0):
    text = read_text(path)
    if text is None:
        return None
    try:
        return int(text, base)
    except ValueError:
        return None


def link_name(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def hex_id(text, width):
    """'0x8086' -> '8086'."""
    if text is None:
        return None
    try:
        return "%0*x" % (width, int(text, 16))
    except ValueError:
        return text


def pci_parent(path):
    """The PCI address among the first few parents of a sysfs device."""
    real = os.path.realpath(path)
    for _ in range(4):
        real = os.path.dirname(real)
        name = os.path.basename(real)
        if SYSFS_BDF_RE.match(name):
            return name
    return None


def u16(data, off):
    return int.from_bytes(data[off:off + 2], "little")


def u32(data, off):
    return int.from_bytes(data[off:off + 4], "little")


# --- config space parsing --------------------------------------------------------

def parse_config(data, file_size=None, privileged=True):
    """Decode the capabilities SVA cares about from a config-space image.

    data: the bytes read; file_size: the size sysfs reports for the file
    (a non-root read returns fewer bytes than that). Each of "pasid", "pri"
    and "ats" is a dict whose "present" is True, False, or None (cannot
    tell: see "note").
    """
    n = len(data)
    size = n if file_size is None else file_size
    unknown = {"present": None}
    cfg = {"bytes_read": n, "size": size, "pcie": None, "std_caps": None,
           "ext_caps": None, "pasid": dict(unknown), "pri": dict(unknown),
           "ats": dict(unknown), "note": None}
    if n < 64:
        cfg["note"] = ("config space unreadable (%d bytes read)" % n)
        return cfg

    htype = data[CFG_HEADER_TYPE] & 0x7f
    if n > 0x40:
        std = []
        if u16(data, CFG_STATUS) & CFG_STATUS_CAP_LIST:
            ptr_at = {0: CFG_CAP_PTR, 1: CFG_CAP_PTR,
                      2: CFG_CAP_PTR_CARDBUS}.get(htype)
            ptr = data[ptr_at] & 0xfc if ptr_at is not None else 0
            seen = set()
            while ptr >= 0x40 and ptr + 1 < min(n, 0x100) \
                    and ptr not in seen and len(std) < 48:
                seen.add(ptr)
                std.append({"id": data[ptr], "offset": ptr})
                ptr = data[ptr + 1] & 0xfc
        cfg["std_caps"] = std
        for cap in std:
            if cap["id"] == CAP_ID_PCIE and cap["offset"] + 4 <= n:
                reg = u16(data, cap["offset"] + 2)
                ptype = (reg >> 4) & 0xf
                cfg["pcie"] = {"offset": cap["offset"], "version": reg & 0xf,
                               "type": ptype,
                               "type_name": PCIE_PORT_TYPES.get(
                                   ptype, "type %#x" % ptype)}
                break

    if n < CFG_EXT_START + 4:
        if n < size:
            cfg["note"] = (
                "only the first %d of the %d bytes of config space are "
                "readable: the kernel shows the rest (the capability lists; "
                "PASID, PRI and ATS live at 0x100 and up) only to root "
                "(CAP_SYS_ADMIN): rerun as root" % (n, size))
        elif cfg["std_caps"] is None:
            cfg["note"] = "config space too short to read (%d bytes)" % n
        elif cfg["pcie"] is not None and not privileged:
            cfg["note"] = (
                "config space is %d bytes as read by a non-root user: the "
                "extended capabilities (PASID, PRI, ATS at 0x100-0xfff) are "
                "readable only by root: rerun as root" % n)
        elif cfg["pcie"] is not None:
            cfg["note"] = (
                "PCI Express device, but the kernel exposes only %d bytes of "
                "its config space (no extended config access: look for "
                "pci=nommconf, or a firmware without an MCFG/ECAM table): "
                "PASID, PRI and ATS cannot be read" % n)
        else:
            cfg["note"] = (
                "conventional PCI device (no PCI Express capability): no "
                "extended capabilities, so no PASID, PRI or ATS")
            cfg["ext_caps"] = []
            for key in ("pasid", "pri", "ats"):
                cfg[key] = {"present": False}
        return cfg

    ext = []
    complete = True
    off = CFG_EXT_START
    seen = set()
    while off:
        if off in seen or len(ext) >= CFG_EXT_MAX_CAPS:
            cfg["note"] = ("malformed extended capability list (loop at "
                           "%#x)" % off)
            break
        seen.add(off)
        if off + 4 > n:
            complete = False
            cfg["note"] = ("extended capability at %#x lies beyond the %d "
                           "readable bytes" % (off, n))
            break
        hdr = u32(data, off)
        if hdr in (0, 0xffffffff):
            break
        cid = hdr & 0xffff
        nxt = (hdr >> 20) & 0xffc
        ext.append({"id": cid, "version": (hdr >> 16) & 0xf, "offset": off,
                    "name": EXT_CAP_NAMES.get(cid, "%#06x" % cid)})
        if nxt and nxt < CFG_EXT_START:
            cfg["note"] = ("malformed extended capability list (next "
                           "pointer %#x at %#x)" % (nxt, off))
            break
        off = nxt
    cfg["ext_caps"] = ext

    decoders = {EXT_CAP_PASID: ("pasid", _decode_pasid),
                EXT_CAP_PRI: ("pri", _decode_pri),
                EXT_CAP_ATS: ("ats", _decode_ats)}
    for key, _ in decoders.values():
        cfg[key] = {"present": False if complete else None}
    for cap in ext:
        if cap["id"] not in decoders:
            continue
        key, decode = decoders[cap["id"]]
        if cfg[key]["present"]:
            continue            # first instance only
        off = cap["offset"]
        if off + CAP_SIZES[cap["id"]] > n:
            cfg[key] = {"present": True, "offset": off,
                        "note": "capability truncated"}
            continue
        cfg[key] = decode(data, off)
    return cfg


def _decode_pasid(data, off):
    cap = u16(data, off + 4)
    ctl = u16(data, off + 6)
    width = (cap >> 8) & 0x1f
    return {"present": True, "offset": off, "max_width": width,
            "max_pasids": 1 << width,
            "exec_supported": bool(cap & PASID_CAP_EXEC),
            "priv_supported": bool(cap & PASID_CAP_PRIV),
            "enabled": bool(ctl & PASID_CTRL_ENABLE),
            "exec_enabled": bool(ctl & PASID_CTRL_EXEC),
            "priv_enabled": bool(ctl & PASID_CTRL_PRIV)}


def _decode_pri(data, off):
    ctl = u16(data, off + 4)
    sts = u16(data, off + 6)
    return {"present": True, "offset": off,
            "max_requests": u32(data, off + 8),
            "allocated_requests": u32(data, off + 12),
            "enabled": bool(ctl & PRI_CTRL_ENABLE),
            "response_failure": bool(sts & PRI_STATUS_RF),
            "unexpected_group_index": bool(sts & PRI_STATUS_UPRGI),
            "stopped": bool(sts & PRI_STATUS_STOPPED),
            "response_needs_pasid": bool(sts & PRI_STATUS_PASID)}


def _decode_ats(data, off):
    cap = u16(data, off + 4)
    ctl = u16(data, off + 6)
    qdep = cap & ATS_CAP_QDEP_MASK
    return {"present": True, "offset": off,
            "queue_depth": qdep if qdep else 32,
            "page_aligned": bool(cap & ATS_CAP_PAGE_ALIGNED),
            "global_invalidate": bool(cap & ATS_CAP_GLOBAL_INVAL),
            "enabled": bool(ctl & ATS_CTRL_ENABLE),
            "stu": ctl & ATS_CTRL_STU_MASK}


# --- scanning sysfs --------------------------------------------------------------

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
    privileged = is_privileged()
    return {"sysfs_root": roots.sysfs, "dev_root": roots.dev_root,
            "privileged": privileged,
            "iommu": scan_iommu(roots),
            "pci": scan_pci(roots, privileged),
            "idxd": scan_idxd(roots),
            "uacce": scan_uacce(roots),
            "vfio_pci_loaded": os.path.isdir(
                roots.sys("bus", "pci", "drivers", "vfio-pci"))}


# --- arguments -------------------------------------------------------------------

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


# --- --check ---------------------------------------------------------------------

SEVERITIES = ("ok", "info", "todo", "limit", "warn", "unknown", "blocker")


class Findings(list):
    def add(self, severity, message, fix=None):
        assert severity in SEVERITIES
        self.append({"severity": severity, "message": message, "fix": fix})

    def has(self, severity):
        return any(f["severity"] == severity for f in self)


def unit_for(iommu, dev):
    if dev["iommu_unit"]:
        for u in iommu["units"]:
            if u["name"] == dev["iommu_unit"]:
                return u
    return iommu["units"][0] if len(iommu["units"]) == 1 else None


def machine_findings(snap):
    f = Findings()
    iommu = snap["iommu"]
    if not iommu["present"] and not iommu["groups"]:
        f.add("blocker", "no IOMMU: %s is empty and there are no IOMMU "
              "groups, so no device DMA is translated, let alone tagged "
              "with a PASID" % os.path.join(snap["sysfs_root"], "class",
                                            "iommu"), NO_IOMMU_FIX)
    elif not iommu["present"]:
        f.add("blocker", "IOMMU groups exist but no IOMMU is registered "
              "(VFIO no-IOMMU mode?): DMA is not translated", NO_IOMMU_FIX)
    else:
        for u in iommu["units"]:
            f.add("ok", "IOMMU %s" % describe_unit(u))
        types = ", ".join("%s x%d" % kv for kv in
                          sorted(iommu["domain_types"].items()))
        f.add("info", "%d IOMMU groups; default domains: %s"
              % (len(iommu["groups"]), types or "none"))
    if not snap["privileged"] and any(
            d["config"]["pasid"]["present"] is None for d in snap["pci"]):
        f.add("unknown", "not running as root: the kernel hides config "
              "space past the first 64 bytes, where PASID, PRI and ATS "
              "live", "rerun as root (sudo)")
    return f


def check_device(snap, dev):
    f = Findings()
    iommu = snap["iommu"]
    bdf = dev["bdf"]
    cfg = dev["config"]
    driver = dev["driver"]

    # The platform: is DMA from this device translated by an IOMMU?
    domain = dev["iommu_domain"]
    if not iommu["present"]:
        f.add("blocker", "no IOMMU on this machine (see above)")
    elif dev["iommu_group"] is None:
        f.add("blocker", "not behind any IOMMU (no iommu_group)",
              "the IOMMU does not cover this device: check the firmware's "
              "DMAR/IVRS/IORT tables and dmesg")
    elif domain in ("DMA", "DMA-FQ"):
        f.add("ok", "IOMMU group %s, default domain %s: DMA is translated"
              % (dev["iommu_group"], domain))
    unit = unit_for(iommu, dev) if iommu["present"] else None
    if unit is not None:
        if unit.get("pasid") is False:
            f.add("blocker", "IOMMU %s has no PASID support" % unit["name"],
                  "SVA needs an IOMMU that translates PASID-tagged DMA "
                  "(Intel scalable mode, AMD GT, Arm SMMUv3 substreams)")
        elif unit.get("scalable_mode") is False:
            f.add("blocker", "IOMMU %s has no scalable mode, which carries "
                  "PASIDs on VT-d" % unit["name"])
        if unit.get("page_requests") is False:
            f.add("limit", "IOMMU %s takes no page requests: devices "
                  "cannot fault pages in" % unit["name"],
                  "populate buffers before use (MADV_POPULATE_WRITE, "
                  "mlock)")

    # The device: PASID, PRI, ATS.
    pasid, pri, ats = cfg["pasid"], cfg["pri"], cfg["ats"]
    if pasid["present"] is None:
        f.add("unknown", "cannot tell whether the device has PASID: %s"
              % (cfg["note"] or "config space not readable"))
    elif not pasid["present"]:
        if cfg["pcie"] is None and cfg["ext_caps"] == [] and cfg["note"]:
            f.add("blocker", cfg["note"])
        else:
            f.add("blocker", "no PASID capability: the device cannot tag "
                  "its DMA with an address-space ID, so it cannot use "
                  "process virtual addresses")
    else:
        if "max_width" in pasid:
            f.add("ok", "PASID capability: %d-bit PASIDs, execute %s, "
                  "privileged %s" % (pasid["max_width"],
                                     yn(pasid["exec_supported"]),
                                     yn(pasid["priv_supported"])))
            if not pasid["enabled"]:
                f.add("warn", "PASID capability present but not enabled",
                      "the IOMMU driver enables it when it can give this "
                      "device PASIDs (Intel scalable mode and Arm SMMUv3 "
                      "at probe, AMD at attach); if it stays off with the "
                      "device bound, the IOMMU is not in PASID mode "
                      "(Intel: intel_iommu=on,sm_on) or the path to the "
                      "root port lacks end-to-end TLP prefixes")
        if pri["present"] is False:
            f.add("limit", "no PRI capability: the device cannot ask for "
                  "missing pages, so only memory that is already populated "
                  "and stays resident works (no device page faults)",
                  "touch, MADV_POPULATE_WRITE or mlock buffers before "
                  "submitting; a not-present page fails the descriptor")
        elif pri["present"] and "max_requests" in pri:
            f.add("ok", "PRI capability: %d outstanding page requests%s"
                  % (pri["max_requests"],
                     ", enabled" if pri["enabled"] else ""))
            if pri["response_failure"] or pri["unexpected_group_index"]:
                f.add("warn", "PRI status reports a failed or unexpected "
                      "page response: the device's page requests are "
                      "stalled until PRI is reset")
        if ats["present"] is False:
            f.add("warn", "no ATS capability: no device TLB, every access "
                  "is translated by the IOMMU (slower)%s"
                  % ("; PRI without ATS is not a valid combination"
                     if pri["present"] else ""))
        elif ats["present"] and "queue_depth" in ats:
            f.add("ok", "ATS capability: invalidate queue depth %d%s"
                  % (ats["queue_depth"],
                     ", enabled" if ats["enabled"] else ""))

    # The software path: which librte_sva backend, and is it set up?
    # Skipped when the hardware already rules SVA out: steps would be noise.
    wqs = [w for w in snap["idxd"]["wqs"] if w["pci"] == bdf]
    idevs = [i for i in snap["idxd"]["devices"] if i["pci"] == bdf]
    uaccs = [u for u in snap["uacce"] if u["pci"] == bdf]
    hardware_ok = not f.has("blocker")
    if driver == "idxd" or idevs:
        backend, kernel_path = "idxd", True
        if hardware_ok:
            _check_idxd(snap, dev, idevs, wqs, f)
    elif uaccs:
        backend, kernel_path = "uacce", True
        if hardware_ok:
            _check_uacce(uaccs, f)
    else:
        backend, kernel_path = "iommufd", False
        if hardware_ok:
            _check_vfio(snap, dev, f)

    if domain in ("identity", "blocked") and iommu["present"]:
        what = ("identity (passthrough): DMA bypasses translation"
                if domain == "identity" else "blocked: DMA is refused")
        if kernel_path:
            f.add("blocker", "IOMMU group %s default domain is %s, and "
                  "the kernel driver %s uses that domain"
                  % (dev["iommu_group"], what, driver or "?"),
                  "boot with iommu.passthrough=0 (drop iommu=pt), or "
                  "switch this group at run time: unbind the device, "
                  "echo DMA > %s, bind it again; or use vfio-pci "
                  "(iommufd attaches its own domain)"
                  % os.path.join(snap["sysfs_root"], "kernel",
                                 "iommu_groups", dev["iommu_group"], "type"))
        else:
            f.add("info", "IOMMU group %s default domain is %s; that does "
                  "not matter once vfio-pci owns the device (iommufd "
                  "attaches its own domain)" % (dev["iommu_group"], what))
    elif domain not in (None, "DMA", "DMA-FQ", "identity", "blocked"):
        f.add("warn", "IOMMU group %s default domain type '%s' is not one "
              "this tool knows" % (dev["iommu_group"], domain))

    return {"bdf": bdf, "vendor": dev["vendor"], "device": dev["device"],
            "name": dev["name"], "driver": driver, "backend": backend,
            **verdict(f), "findings": list(f)}


def _check_idxd(snap, dev, idevs, wqs, f):
    bdf = dev["bdf"]
    if dev["driver"] != "idxd" or not idevs:
        f.add("todo", "the idxd driver has not registered this device on "
              "the dsa bus", "modprobe idxd (it binds DSA/IAA devices)")
        return
    for i in idevs:
        if i["pasid_enabled"] == 0:
            f.add("blocker", "idxd runs %s without PASID (pasid_enabled = "
                  "0): the kernel could not enable SVA on it" % i["name"],
                  "the IOMMU must be on and in PASID mode (Intel: "
                  "intel_iommu=on,sm_on); see dmesg for idxd")
        elif i["pasid_enabled"] == 1:
            f.add("ok", "idxd device %s has PASID enabled" % i["name"])
    usable = []
    for w in wqs:
        problems = []
        if w["state"] != "enabled":
            problems.append("state %s" % w["state"])
        if w["type"] != "user":
            problems.append("type %s (not for user space)" % w["type"])
        if w["mode"] not in ("dedicated", "shared"):
            problems.append("mode %s" % w["mode"])
        if not w["cdev_present"]:
            problems.append("no %s" % w["cdev"])
        if problems:
            f.add("info", "work queue %s not usable: %s"
                  % (w["name"], ", ".join(problems)))
            continue
        usable.append(w)
        f.add("ok", "work queue %s: %s, user, enabled, %s (size %s)"
              % (w["name"], w["mode"], w["cdev"], w["size"]))
        if not w["cdev_access"]:
            f.add("warn", "this user cannot open %s for reading and "
                  "writing" % w["cdev"], "run as root, or chown/chmod it "
                  "(e.g. with a udev rule)")
    if not usable:
        d = idevs[0]
        num = re.sub(r"^[a-z]+", "", d["name"])
        f.add("todo", "no enabled user work queue on %s (%s)"
              % (d["name"], bdf), IDXD_WQ_RECIPE.format(dev=d["name"],
                                                        id=num))
    elif any(w["mode"] == "shared" for w in usable):
        f.add("info", "shared work queues take descriptors through ENQCMD: "
              "the CPU needs the 'enqcmd' flag (/proc/cpuinfo)")


def _check_uacce(uaccs, f):
    any_sva = False
    for u in uaccs:
        if not u["sva"]:
            f.add("blocker", "uacce device %s registered without SVA "
                  "(flags %s, bit 0 clear): its driver could not enable SVA "
                  "for the device" % (u["name"], fmt_flags(u["flags"])),
                  "the IOMMU must be on with PASID and page-request "
                  "support; see dmesg for the accelerator's driver")
            continue
        any_sva = True
        f.add("ok", "uacce device %s: api %s, SVA, %s free queue "
              "instance(s), algorithms: %s"
              % (u["name"], u["api"], u["available_instances"],
                 " ".join(u["algorithms"]) or "-"))
        if u["available_instances"] == 0:
            f.add("warn", "uacce device %s has no free queue instance"
                  % u["name"], "close other users of %s" % u["cdev"])
        if not u["cdev_present"]:
            f.add("todo", "no %s character device" % u["cdev"],
                  "check udev, or mknod it from <sysfs>/class/uacce/%s/dev"
                  % u["name"])
    return any_sva


def _check_vfio(snap, dev, f):
    bdf = dev["bdf"]
    driver = dev["driver"]
    if is_vfio(driver):
        f.add("ok", "bound to %s: the iommufd backend can open it" % driver)
        if not dev["vfio_dev"]:
            f.add("blocker", "no VFIO device cdev (%s missing): the kernel "
                  "lacks CONFIG_VFIO_DEVICE_CDEV (Linux 6.6+), which the "
                  "iommufd backend needs"
                  % os.path.join("bus/pci/devices", bdf, "vfio-dev"))
        else:
            for v in dev["vfio_dev"]:
                path = os.path.join(snap["dev_root"], "vfio", "devices", v)
                if os.path.exists(path):
                    f.add("ok", "VFIO device cdev %s" % path)
                else:
                    f.add("todo", "no %s character device" % path,
                          "check udev")
    else:
        steps = []
        if not snap["vfio_pci_loaded"]:
            steps.append("modprobe vfio-pci")
        steps.append("dpdk-sva-bind.py --bind vfio-pci %s" % bdf)
        f.add("todo", "bind to vfio-pci for the iommufd backend (now: %s)"
              % (driver or "no driver"), "\n".join(steps))
        up = [i["name"] for i in dev["interfaces"]
              if i["operstate"] == "up"]
        if up:
            f.add("warn", "network interface %s is up: binding takes it "
                  "away (the tool refuses without --force)" % ", ".join(up))
        kd = KNOWN_DEVICES.get((dev["vendor"], dev["device"]))
        if kd and kd[1] == "idxd":
            f.add("info", "alternatively use the kernel's idxd work queues: "
                  "modprobe idxd, then configure a user work queue")
        elif kd:
            f.add("info", "alternatively use the kernel's uacce interface: "
                  "modprobe %s" % kd[1])
    if not snap["iommu"]["iommufd"]:
        f.add("todo", "no %s (iommufd)" % os.path.join(snap["dev_root"],
                                                       "iommu"),
              "modprobe iommufd (CONFIG_IOMMUFD)")
    group = dev["iommu_group"]
    if group is not None:
        for g in snap["iommu"]["groups"]:
            if g["group"] != group:
                continue
            for other in g["devices"]:
                if other == bdf:
                    continue
                od = next((d for d in snap["pci"] if d["bdf"] == other),
                          None)
                if od is None or od["bridge"] or od["driver"] is None \
                        or od["driver"] in DMA_OWNER_FRIENDLY \
                        or is_vfio(od["driver"]):
                    continue
                f.add("todo", "IOMMU group %s also holds %s, bound to %s: "
                      "vfio owns a group's DMA only when no other kernel "
                      "driver uses it" % (group, other, od["driver"]),
                      "dpdk-sva-bind.py --bind vfio-pci %s (or --unbind it)"
                      % other)
    f.add("info", "the iommufd backend needs Linux 6.15+ (PASID attach "
          "through the VFIO cdev; fault queues since 6.11)")


def verdict(f):
    if f.has("blocker"):
        v = {"usable": False, "ready": False, "verdict": "not usable"}
    elif f.has("unknown"):
        v = {"usable": None, "ready": False, "verdict": "unknown"}
    else:
        ready = not f.has("todo")
        v = {"usable": True, "ready": ready,
             "verdict": "ready" if ready else "usable after setup"}
    v["limited"] = bool(v["usable"]) and f.has("limit")
    if v["limited"]:
        v["verdict"] += " (limited)"
    return v


def run_check(snap, only=None):
    machine = machine_findings(snap)
    results, skipped = [], []
    for dev in snap["pci"]:
        if only is not None:
            if dev["bdf"] not in only:
                continue
        elif dev["bridge"]:
            skipped.append(dev["bdf"])
            continue
        results.append(check_device(snap, dev))
    usable = [r["bdf"] for r in results if r["usable"]]
    return {"sysfs_root": snap["sysfs_root"], "dev_root": snap["dev_root"],
            "privileged": snap["privileged"], "machine": list(machine),
            "devices": results, "skipped_bridges": skipped,
            "usable": usable,
            "ready": [r["bdf"] for r in results if r["ready"]],
            "exit_status": 0 if usable else 1}


# --- text output -------------------------------------------------------------------

def yn(b):
    return "yes" if b else "no"


def fmt_flags(flags):
    return "?" if flags is None else "%#x" % flags


def describe_unit(u):
    parts = []
    if "pasid" in u:
        parts.append("PASID %s" % (("yes (%d bits)" % u["pasid_bits"])
                                   if u["pasid"] and u.get("pasid_bits")
                                   else yn(u["pasid"])))
    if "scalable_mode" in u:
        parts.append("scalable mode %s" % yn(u["scalable_mode"]))
    if "page_requests" in u:
        parts.append("page requests %s" % yn(u["page_requests"]))
    return "%s: %s%s, %d device(s)" % (
        u["name"], u["kind"], (" (" + ", ".join(parts) + ")") if parts
        else "", u["devices"])


def wrap(text, indent, first=""):
    return textwrap.fill(text, width=79, initial_indent=indent + first,
                         subsequent_indent=indent + " " * len(first),
                         break_on_hyphens=False, break_long_words=False)


def dev_title(d):
    name = (" " + d["name"]) if d.get("name") else ""
    return "%s  %s:%s%s" % (d["bdf"], d["vendor"], d["device"], name)


def format_status(snap, only=None):
    out = []
    iommu = snap["iommu"]
    out.append("IOMMU")
    if not iommu["units"]:
        out.append("  none: %s is empty%s" % (
            os.path.join(snap["sysfs_root"], "class", "iommu"),
            "" if iommu["groups"] else ", no IOMMU groups"))
    for u in iommu["units"]:
        out.append("  " + describe_unit(u))
    if iommu["groups"]:
        out.append("  %d groups, default domains: %s" % (
            len(iommu["groups"]), ", ".join(
                "%s x%d" % kv for kv in sorted(iommu["domain_types"].items()))))
    out.append("  %s: %s" % (os.path.join(snap["dev_root"], "iommu"),
                             "present" if iommu["iommufd"] else "absent"))
    out.append("")
    out.append("PCI devices (PASID, PRI, ATS from config space)")
    if not snap["pci"]:
        out.append("  none")
    for d in snap["pci"]:
        if only is not None and d["bdf"] not in only:
            continue
        grp = ("%s (%s)" % (d["iommu_group"], d["iommu_domain"] or "?")
               if d["iommu_group"] is not None else "none")
        line = "  %s  class %s  driver %s  group %s" % (
            dev_title(d), d["class"], d["driver"] or "none", grp)
        if d["driver_override"]:
            line += "  override %s" % d["driver_override"]
        out.append(line)
        out.extend(format_caps(d["config"]))
    out.append("")
    idxd = snap["idxd"]
    out.append("idxd work queues (%s)" % os.path.join(
        snap["sysfs_root"], "bus", "dsa"))
    if not idxd["present"]:
        out.append("  none: no dsa bus (idxd not loaded, or no DSA/IAA)")
    elif not idxd["wqs"]:
        out.append("  none configured")
    for i in idxd["devices"] + [{"name": None}]:
        wqs = [w for w in idxd["wqs"] if w["device"] == i["name"]]
        if i["name"] is None:
            if not wqs:
                break
            out.append("  (work queues of no known device)")
        else:
            out.append("  %s @ %s  state %s  pasid_enabled %s%s" % (
                i["name"], i["pci"] or "?", i["state"] or "?",
                "?" if i["pasid_enabled"] is None else i["pasid_enabled"],
                "" if wqs else "  (no work queues)"))
        for w in wqs:
            out.append("    %s  mode %s  type %s  state %s  name %s  size %s"
                       % (w["name"], w["mode"], w["type"], w["state"],
                          w["wq_name"] or "-", w["size"]))
            out.append("          %s %s" % (
                w["cdev"], "present" if w["cdev_present"] else "absent"))
    out.append("")
    out.append("uacce devices (%s)" % os.path.join(
        snap["sysfs_root"], "class", "uacce"))
    if not snap["uacce"]:
        out.append("  none")
    for u in snap["uacce"]:
        out.append("  %s @ %s  api %s  flags %s%s  available_instances %s"
                   % (u["name"], u["pci"] or "?", u["api"],
                      fmt_flags(u["flags"]), " (SVA)" if u["sva"] else
                      " (no SVA)", u["available_instances"]))
        out.append("      algorithms %s  %s %s" % (
            " ".join(u["algorithms"]) or "-", u["cdev"],
            "present" if u["cdev_present"] else "absent"))
    return "\n".join(out) + "\n"


def format_caps(cfg):
    ind = "      "
    if cfg["pasid"]["present"] is None or (
            cfg["ext_caps"] == [] and cfg["pcie"] is None and cfg["note"]):
        return [wrap(cfg["note"] or "capabilities unknown", ind)]
    lines = []
    p, r, a = cfg["pasid"], cfg["pri"], cfg["ats"]
    if not p["present"]:
        lines.append(ind + "PASID  no")
    elif "max_width" in p:
        lines.append(ind + "PASID  yes: %d-bit, exec %s, priv %s, enabled %s"
                     % (p["max_width"], yn(p["exec_supported"]),
                        yn(p["priv_supported"]), yn(p["enabled"])))
    if not r["present"]:
        lines.append(ind + "PRI    no")
    elif "max_requests" in r:
        lines.append(ind + "PRI    yes: %d outstanding page requests, "
                     "enabled %s" % (r["max_requests"], yn(r["enabled"])))
    if not a["present"]:
        lines.append(ind + "ATS    no")
    elif "queue_depth" in a:
        lines.append(ind + "ATS    yes: invalidate queue depth %d, enabled %s"
                     % (a["queue_depth"], yn(a["enabled"])))
    if cfg["note"]:
        lines.append(wrap(cfg["note"], ind))
    return lines


COMMAND_RE = re.compile(r"^(modprobe|accel-config|dpdk-sva-bind\.py|echo) ")

TAGS = {"ok": "[ok]     ", "info": "[info]   ", "todo": "[todo]   ",
        "limit": "[limit]  ", "warn": "[warn]   ", "unknown": "[?]      ",
        "blocker": "[blocker]"}


def format_findings(findings, indent):
    out = []
    for f in findings:
        out.append(wrap(f["message"], indent, TAGS[f["severity"]] + " "))
        for i, step in enumerate((f["fix"] or "").splitlines()):
            first = "do: " if i == 0 else "    "
            if COMMAND_RE.match(step):      # keep commands copyable
                out.append(indent + " " * 10 + first + step)
            else:
                out.append(wrap(step, indent + " " * 10, first))
    return out


def format_check(res):
    out = ["SVA check (sysfs %s, dev %s, %s)" % (
        res["sysfs_root"], res["dev_root"],
        "as root" if res["privileged"] else "not root"), ""]
    out.append("Machine")
    out.extend(format_findings(res["machine"], "  "))
    for r in res["devices"]:
        out.append("")
        out.append("%s  driver %s: %s" % (dev_title(r), r["driver"] or "none",
                                          r["verdict"].upper()))
        out.extend(format_findings(r["findings"], "  "))
    out.append("")
    n = len(res["devices"])
    ready = len(res["ready"])
    usable = len(res["usable"])
    line = ("Summary: %d of %d device(s) can use SVA (%d ready now, %d after "
            "the [todo] steps)" % (usable, n, ready, usable - ready))
    if res["skipped_bridges"]:
        line += "; %d bridge(s) not examined" % len(res["skipped_bridges"])
    out.append(wrap(line + ".", ""))
    if not usable:
        out.append(wrap("No device here can do SVA; librte_sva's software "
                        "device (--vdev=sva_sim0) runs anyway.", ""))
    return "\n".join(out) + "\n"


# --- bind / unbind ---------------------------------------------------------------

def current_driver(roots, bdf):
    return link_name(roots.pci_dev(bdf, "driver"))


def do_write(path, text):
    try:
        sysfs_write(path, text)
    except OSError as e:
        hint = " (run as root)" if e.errno in (1, 13) else ""
        raise OpError("cannot write '%s' to %s: %s%s"
                      % (text.strip() or "\\n", path, e.strerror, hint))


def check_bind_args(roots, driver, devs, force, unbind=False):
    """Validate everything before the first write."""
    if not devs:
        raise UsageError("no device given")
    if not unbind:
        if BDF_RE.match(driver):
            raise UsageError(
                "'%s' looks like a PCI address, not a driver: did you forget "
                "the driver? usage: --bind DRIVER DEV..." % driver)
        if not re.match(r"^[A-Za-z0-9_.-]+$", driver):
            raise UsageError("'%s' is not a driver name" % driver)
        if not os.path.isdir(roots.sys("bus", "pci", "drivers", driver)):
            raise UsageError(
                "unknown driver '%s': it is not loaded (no %s); load it "
                "first, e.g. modprobe %s" % (
                    driver, roots.sys("bus", "pci", "drivers", driver),
                    driver))
    bdfs = resolve_devices(roots, devs)
    for bdf in bdfs:
        if not os.path.exists(roots.pci_dev(bdf, "driver_override")):
            raise OpError("%s has no driver_override (kernel older than "
                          "3.15?): nothing written" % bdf)
        dev = read_pci_device(roots, bdf, True)
        if not unbind and is_vfio(driver) and dev["iommu_group"] is None \
                and dev["driver"] != driver:
            raise OpError("%s is in no IOMMU group: %s would refuse it "
                          "(and without an IOMMU there is no SVA); nothing "
                          "written" % (bdf, driver))
        up = [i["name"] for i in dev["interfaces"] if i["operstate"] == "up"]
        if up and not force and (unbind or dev["driver"] != driver):
            raise OpError("%s carries network interface %s, which is up: "
                          "refusing to take it away (use --force if you are "
                          "sure); nothing written" % (bdf, ", ".join(up)))
    return bdfs


def bind_one(roots, bdf, driver):
    d = roots.pci_dev(bdf)
    cur = current_driver(roots, bdf)
    if cur == driver:
        print("%s: already bound to %s" % (bdf, driver))
        return True
    do_write(os.path.join(d, "driver_override"), driver)
    if cur:
        do_write(os.path.join(d, "driver", "unbind"), bdf)
    probe = roots.sys("bus", "pci", "drivers_probe")
    probe_err = None
    try:
        do_write(probe, bdf)
    except OpError as e:
        probe_err = e
    new = current_driver(roots, bdf)
    if new == driver:
        print("%s: bound to %s%s" % (bdf, driver,
                                     (" (was %s)" % cur) if cur else ""))
        return True
    msg = "%s: the kernel did not bind it to %s (now: %s)" % (
        bdf, driver, new or "no driver")
    if probe_err:
        msg += "; %s" % probe_err
    if is_vfio(driver) and not os.path.exists(os.path.join(d, "iommu_group")):
        msg += "; vfio-pci takes only devices in an IOMMU group"
    print("error: " + msg + "; see dmesg", file=sys.stderr)
    # Roll back: clear the override and let the kernel pick its driver.
    do_write(os.path.join(d, "driver_override"), "\n")
    if cur and new is None:
        try:
            do_write(probe, bdf)
        except OpError:
            pass
        back = current_driver(roots, bdf)
        print("%s: %s" % (bdf, ("restored to %s" % back) if back
                          else "left without a driver"), file=sys.stderr)
    return False


def unbind_one(roots, bdf):
    d = roots.pci_dev(bdf)
    cur = current_driver(roots, bdf)
    if read_text(os.path.join(d, "driver_override")) not in (None, "",
                                                             "(null)"):
        do_write(os.path.join(d, "driver_override"), "\n")
    if not cur:
        print("%s: not bound to any driver" % bdf)
        return True
    do_write(os.path.join(d, "driver", "unbind"), bdf)
    if current_driver(roots, bdf):
        print("error: %s: still bound to %s after unbind; see dmesg"
              % (bdf, current_driver(roots, bdf)), file=sys.stderr)
        return False
    print("%s: unbound from %s (to give it back: dpdk-sva-bind.py --bind "
          "%s %s)" % (bdf, cur, cur, bdf))
    return True


# --- command line ------------------------------------------------------------------

DESCRIPTION = """\
Show, check and bind devices for Shared Virtual Addressing (librte_sva).

SVA lets a device use a process's own virtual addresses: the process binds its
address space to a PASID, the device tags its DMA with that PASID, and the
IOMMU translates through the process's page tables. That needs, all at once:
  - an IOMMU that translates device DMA (the group's default domain "DMA" or
    "DMA-FQ"; "identity" means passthrough) and supports PASIDs;
  - a device with the PCIe PASID capability; with PRI as well it can fault
    pages in, otherwise only already-populated, resident memory works; ATS
    gives it a translation cache;
  - a way in from user space: an idxd work queue (/dev/dsa/wqX.Y) in user
    mode, a uacce device with the SVA flag, or vfio-pci for the iommufd
    backend.
"""

EPILOG = """\
what "usable" means (--check):
  ready               everything is in place
  usable after setup  the hardware and platform can do it; the [todo] lines
                      say what to run (bind a driver, load a module, enable a
                      work queue) - nothing needs a reboot or new hardware
  (limited)           works with restrictions, e.g. no PRI: no page faults
  not usable          a [blocker]: no IOMMU, no PASID capability, ...
  unknown             config space unreadable (not root)

tags in --check output:
  [ok] fine   [info] for your information   [todo] a step you can run now
  [limit] works, with a restriction   [warn] worth a look
  [?] cannot tell   [blocker] rules SVA out until fixed

examples:
  %(prog)s --status
      devices with PASID/PRI/ATS, the IOMMU, idxd work queues, uacce devices
  %(prog)s --check
      why SVA is or is not usable here, and what to change
  %(prog)s --check --json 0000:6a:01.0
      one device, for scripts (exit status 0 if it can use SVA)
  %(prog)s --bind vfio-pci 3b:00.0
      hand a device to vfio-pci (the iommufd backend)
  %(prog)s --unbind 0000:3b:00.0
      detach it from its driver
  %(prog)s --bind idxd 0000:6a:01.0
      give it back to a kernel driver
  SVA_SYSFS_ROOT=/tmp/tree/sys %(prog)s --check
      read a copied or fake sysfs tree instead of /sys

run as root: the kernel shows non-root users only the first 64 bytes of
config space (PASID, PRI and ATS sit past 0x100), and all writes need root.

bind/unbind write <dev>/driver_override, <dev>/driver/unbind and
<sysfs>/bus/pci/drivers_probe; every argument is checked before the first
write. --unbind also clears driver_override.

exit status: 0 success (--check: at least one device can use SVA);
             1 failure (--check: none can); 2 bad usage, nothing written.

environment: SVA_SYSFS_ROOT (default /sys), SVA_DEV_ROOT (default /dev);
             the options take precedence.
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def make_parser():
    p = Parser(prog="dpdk-sva-bind.py", description=DESCRIPTION,
               epilog=EPILOG,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    act = p.add_mutually_exclusive_group()
    act.add_argument("-s", "--status", action="store_true",
                     help="list PCI devices with their PASID/PRI/ATS "
                     "capabilities and IOMMU group, the IOMMU and its "
                     "default domains, idxd work queues and uacce devices")
    act.add_argument("-c", "--check", action="store_true",
                     help="explain, device by device, whether SVA is usable "
                     "and what to change; bridges are skipped unless named")
    act.add_argument("-b", "--bind", metavar="DRIVER",
                     help="bind DEV... to DRIVER (e.g. vfio-pci) through "
                     "driver_override")
    act.add_argument("-u", "--unbind", action="store_true",
                     help="unbind DEV... from their drivers")
    p.add_argument("devices", nargs="*", metavar="DEV",
                   help="PCI address, DDDD:BB:DD.F or BB:DD.F (limits "
                   "--status and --check to these devices)")
    p.add_argument("--json", action="store_true",
                   help="machine-readable output (--status, --check)")
    p.add_argument("--force", action="store_true",
                   help="bind/unbind even a device whose network interface "
                   "is up")
    p.add_argument("--sysfs-root", metavar="DIR",
                   help="read sysfs from DIR (default $%s or /sys)"
                   % SYSFS_ENV)
    p.add_argument("--dev-root", metavar="DIR",
                   help="look for device nodes in DIR (default $%s or /dev)"
                   % DEV_ENV)
    return p


def main(argv=None, environ=None):
    env = os.environ if environ is None else environ
    parser = make_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:         # --help
            return e.code if isinstance(e.code, int) else 0
        if not (args.status or args.check or args.bind is not None
                or args.unbind):
            raise UsageError("choose one of --status, --check, --bind, "
                             "--unbind (--help explains them)")
        if args.json and (args.bind is not None or args.unbind):
            raise UsageError("--json goes with --status and --check")
        sysfs = args.sysfs_root or env.get(SYSFS_ENV) or "/sys"
        dev = args.dev_root or env.get(DEV_ENV) or "/dev"
        if not os.path.isdir(sysfs):
            raise UsageError("sysfs root %s: no such directory" % sysfs)
        roots = Roots(sysfs, dev)

        if args.bind is not None or args.unbind:
            bdfs = check_bind_args(roots, args.bind, args.devices,
                                   args.force, unbind=args.unbind)
            ok = True
            for bdf in bdfs:
                if args.unbind:
                    ok = unbind_one(roots, bdf) and ok
                else:
                    ok = bind_one(roots, bdf, args.bind) and ok
            return 0 if ok else 1

        only = resolve_devices(roots, args.devices) if args.devices else None
        snap = snapshot(roots)
        if args.status:
            if args.json:
                if only is not None:
                    snap["pci"] = [d for d in snap["pci"] if d["bdf"] in only]
                print(json.dumps(snap, indent=2, sort_keys=True))
            else:
                sys.stdout.write(format_status(snap, only))
            return 0
        res = run_check(snap, only)
        if args.json:
            print(json.dumps(res, indent=2, sort_keys=True))
        else:
            sys.stdout.write(format_check(res))
        return res["exit_status"]
    except UsageError as e:
        print("%s: error: %s" % (parser.prog, e), file=sys.stderr)
        print("usage: see %s --help" % parser.prog, file=sys.stderr)
        return 2
    except OpError as e:
        print("%s: error: %s" % (parser.prog, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
