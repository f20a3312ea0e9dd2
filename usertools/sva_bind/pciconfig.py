# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""PCI configuration space: the capability chains and the PASID, PRI and ATS
capabilities, decoded from the bytes of a config file."""

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


def u16(data, off):
    return int.from_bytes(data[off:off + 2], "little")


def u32(data, off):
    return int.from_bytes(data[off:off + 4], "little")


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
