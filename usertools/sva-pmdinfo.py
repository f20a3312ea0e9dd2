#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""
List the drivers (PMDs) built into DPDK / librte_sva binaries: name, devargs,
kernel modules and PCI ids, from the "PMD_INFO_STRING=" JSON strings that the
build (buildtools/sva-pmdinfogen.py, or DPDK's pmdinfogen) puts in .rodata.

Needs only the Python standard library; the JSON output is that of DPDK's
dpdk-pmdinfo.py.

examples:
  %(prog)s build/drivers/sva/sim/librte_sva_sim.so
  %(prog)s --json /usr/lib/x86_64-linux-gnu/dpdk/pmds-23/ | jq '.[].name'
  %(prog)s --deps build/app/test/sva_autotest   # and the librte_* it links

Exit status: 0 when at least one driver was found, 1 when none, 2 on errors.
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys

PREFIX = b"PMD_INFO_STRING="
PCI_FIELDS = ("vendor", "device", "subsystem_vendor", "subsystem_device")
PCI_ANY_ID = 0xFFFF
PCI_SHOWN = 4                                 # PCI ids a table row lists


class ReadError(Exception):
    pass


# --------------------------------------------------------------------------
# Minimal ELF reader: section headers and section contents.

def elf_sections(f):
    """Yield (name, sh_type, data reader) for each section of an ELF file."""
    ident = f.read(16)
    if len(ident) < 16 or ident[:4] != b"\x7fELF":
        raise ReadError("not an ELF file")
    if ident[4] not in (1, 2) or ident[5] not in (1, 2):
        raise ReadError("unknown ELF class or data encoding")
    is64, end = ident[4] == 2, "<" if ident[5] == 1 else ">"
    if is64:
        hdr_fmt, sh_fmt = end + "40xQ10xHHH", end + "IIQQQQIIQQ"
    else:
        hdr_fmt, sh_fmt = end + "32xI10xHHH", end + "IIIIIIIIII"
    f.seek(0)
    raw = f.read(struct.calcsize(hdr_fmt))
    if len(raw) < struct.calcsize(hdr_fmt):
        raise ReadError("truncated ELF header")
    shoff, shentsize, shnum, shstrndx = struct.unpack(hdr_fmt, raw)
    if shoff == 0:
        return
    sh_size = struct.calcsize(sh_fmt)
    if shentsize < sh_size:
        raise ReadError("bad section header size %d" % shentsize)

    def section(i):
        f.seek(shoff + i * shentsize)
        raw = f.read(sh_size)
        if len(raw) < sh_size:
            raise ReadError("truncated section header table")
        return struct.unpack(sh_fmt, raw)

    first = section(0)
    if shnum == 0:                            # extended numbering
        shnum = first[5]
    if shstrndx == 0xFFFF:                    # SHN_XINDEX
        shstrndx = first[6]
    headers = [section(i) for i in range(shnum)]
    if not 0 < shstrndx < shnum:
        return

    def read(h):
        f.seek(h[4])
        return f.read(h[5])

    names = read(headers[shstrndx])
    for h in headers[1:]:
        name = names[h[0]:names.find(b"\0", h[0])].decode("ascii", "replace")
        yield name, h[1], (lambda h=h: read(h))


SHT_NOBITS = 8


def pmd_strings(path):
    """The PMD_INFO_STRING= JSON texts in the .rodata sections of 'path'."""
    found = []
    try:
        with open(path, "rb") as f:
            for name, sh_type, read in elf_sections(f):
                if sh_type == SHT_NOBITS or not (
                        name == ".rodata" or name.startswith(".rodata.")):
                    continue
                data = read()
                pos = data.find(PREFIX)
                while pos >= 0:
                    end = data.find(b"\0", pos)
                    found.append(data[pos + len(PREFIX):end if end >= 0 else None])
                    pos = data.find(PREFIX, pos + len(PREFIX))
    except OSError as e:
        raise ReadError(e.strerror or str(e)) from e
    return found


def scrub_pci_ids(info):
    """As dpdk-pmdinfo.py: ids as 4-digit hex strings, wildcards (0xffff) and
    empty lists dropped."""
    pci_ids = []
    for fields in info.pop("pci_ids", []):
        pci = {k: "%04x" % v for k, v in zip(PCI_FIELDS, fields) if v != PCI_ANY_ID}
        if pci:
            pci_ids.append(pci)
    if pci_ids:
        info["pci_ids"] = pci_ids
    return info


def drivers_in(path, warn):
    drivers = []
    for raw in pmd_strings(path):
        try:
            info = json.loads(raw.decode("ascii"))
            if not isinstance(info, dict) or "name" not in info:
                raise ValueError("no driver name")
            drivers.append(scrub_pci_ids(info))
        except (ValueError, UnicodeDecodeError) as e:
            warn("%s: unreadable PMD info (%s)" % (path, e))
    return drivers


# --------------------------------------------------------------------------
# Which files.

LDD_LINE = re.compile(r"^\s*(librte_\S+)\s+=>\s+(/\S+)\s+\(0x[0-9a-fA-F]+\)\s*$", re.M)


def linked_rte_libs(path, warn):
    """librte_* libraries 'path' links to, as resolved by ldd."""
    try:
        out = subprocess.run(["ldd", path], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, check=False)
    except OSError as e:
        warn("ldd: %s" % e)
        return []
    if out.returncode != 0:
        warn("%s: ldd failed: %s" % (path, out.stderr.decode(errors="replace").strip()))
        return []
    return [m.group(2) for m in LDD_LINE.finditer(out.stdout.decode(errors="replace"))]


ET_REL = 1


def is_relocatable(path):
    """True for an ELF relocatable object (.o). In a build directory the
    generated rte_<driver>.pmd.c.o holds the same PMD_INFO_STRING as the
    library linked from it; the library is what EAL loads, so a directory
    walk lists that and leaves the objects out (a named .o is still read)."""
    try:
        with open(path, "rb") as f:
            ident = f.read(18)
    except OSError:
        return False
    if len(ident) < 18 or ident[:4] != b"\x7fELF" or ident[5] not in (1, 2):
        return False
    return struct.unpack("<H" if ident[5] == 1 else ">H", ident[16:18])[0] == ET_REL


def expand(paths, deps, warn):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    full = os.path.join(root, n)
                    if os.path.isfile(full) and not os.path.islink(full):
                        if is_relocatable(full):
                            warn("%s: object file, skipped (its library is listed)" % full)
                            continue
                        files.append((full, True))
        else:
            files.append((p, False))
    result, seen = [], set()

    def add(path, quiet):
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            result.append((path, quiet))

    for path, quiet in files:
        add(path, quiet)
        if deps and not quiet:
            for lib in linked_rte_libs(path, warn):
                add(lib, True)
    return result


# --------------------------------------------------------------------------
# Output.

def pci_text(info):
    ids = []
    for pci in info.get("pci_ids", []):
        ids.append("%s:%s" % (pci.get("vendor", "*"), pci.get("device", "*")) +
                   ("" if "subsystem_vendor" not in pci and "subsystem_device" not in pci
                    else " (%s:%s)" % (pci.get("subsystem_vendor", "*"),
                                       pci.get("subsystem_device", "*"))))
    if len(ids) > PCI_SHOWN + 1:               # the full list: --json
        ids[PCI_SHOWN:] = ["(+%d more)" % (len(ids) - PCI_SHOWN)]
    return ", ".join(ids) or "-"


def table(rows):
    head = ("DRIVER", "FILE", "KMOD", "PCI IDS", "PARAMS")
    lines = [head] + [(info["name"], os.path.basename(path),
                       info.get("kmod") or "-", pci_text(info),
                       info.get("params") or "-") for path, info in rows]
    widths = [max(len(r[i]) for r in lines) for i in range(len(head) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1]
                     for r in lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", metavar="FILE", nargs="+",
                        help="driver library, application, or a directory of them")
    parser.add_argument("-j", "--json", action="store_true",
                        help="print a JSON list, as dpdk-pmdinfo.py does")
    parser.add_argument("-d", "--deps", action="store_true",
                        help="also read the librte_* libraries each FILE links "
                        "to (found with ldd, as dpdk-pmdinfo.py does)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="report files that are not ELF or have bad PMD info")
    args = parser.parse_args()

    def warn(msg):
        if args.verbose:
            print("sva-pmdinfo: %s" % msg, file=sys.stderr)

    status = 0
    rows = []
    for path, quiet in expand(args.files, args.deps, warn):
        try:
            rows += [(path, info) for info in drivers_in(path, warn)]
        except ReadError as e:
            if quiet:                         # found by walking a directory
                warn("%s: %s" % (path, e))
            else:
                print("sva-pmdinfo: %s: %s" % (path, e), file=sys.stderr)
                status = 2
    try:
        if args.json:
            print(json.dumps([info for _, info in rows], indent=2))
        elif rows:
            print(table(rows))
        else:
            print("no PMD info found in %s" % " ".join(args.files), file=sys.stderr)
    except BrokenPipeError:
        pass
    return status or (0 if rows else 1)


if __name__ == "__main__":
    sys.exit(main())
