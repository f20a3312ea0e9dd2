# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Fakes for the dpdk-sva-bind.py tests: PCI config-space images assembled
byte by byte, fake sysfs and /dev trees (PCI devices, IOMMU units and
groups, idxd work queues, uacce devices, a PCI drivers tree), a fake kernel
that acts on what the tool writes, and the scenarios the tests build."""

import os


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
NOPASID = "0000:3d:00.0"
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


def build_nopasid(t):
    """A vfio-pci device with ATS but no PASID (nor PRI): the iommufd probe
    refuses it (PASID width 0)."""
    t.add_iommu("dmar0")
    t.add_driver("vfio-pci")
    t.add_pci(NOPASID, 0xabcd, 0x9abc, 0x120000,
              config_space(0xabcd, 0x9abc, 0x120000, [(ATS, ats_body())]),
              driver="vfio-pci", group=9, group_type="DMA", iommu="dmar0")
    t.add_vfio_dev(NOPASID, "vfio2")


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
