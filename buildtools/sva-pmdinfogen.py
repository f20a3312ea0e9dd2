#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""
Generate the PMD info C file of a driver library from its object files.

DPDK's RTE_PMD_REGISTER_* macros leave static string symbols in a driver's
objects (rte_dev.h, bus_*_driver.h):

  this_pmd_name<N>              the driver name    (RTE_PMD_REGISTER_PCI/VDEV/...)
  __<name>_param_string_export  its devargs         (RTE_PMD_REGISTER_PARAM_STRING)
  __<name>_kmod_dep_export      kernel modules      (RTE_PMD_REGISTER_KMOD_DEP)
  __<name>_pci_tbl_export       name of its struct rte_pci_id table
                                                    (RTE_PMD_REGISTER_PCI_TABLE)

This reads them with pyelftools from ELF objects, static archives (regular or
thin) or linked ELF files, and writes a C file with one definition per driver,
in the format of DPDK's buildtools/pmdinfogen.py:

  const char <name>_pmd_info[] __attribute__((used)) =
          "PMD_INFO_STRING= {\"name\": ..., \"params\": ..., \"kmod\": ...,
                             \"pci_ids\": [[vendor, device, subvendor, subdevice], ...]}";

Compiled into the driver library, the string lands in .rodata, where DPDK's
dpdk-pmdinfo.py and usertools/sva-pmdinfo.py find it.

Usage: sva-pmdinfogen.py [--allow-empty] -o OUTPUT.c INPUT [INPUT...]
"""

import argparse
import collections
import io
import json
import os
import re
import struct
import sys

try:
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection
except ImportError:
    ELFFile = None

PROG = "sva-pmdinfogen"
NAME_SYMBOL = re.compile(r"^this_pmd_name([0-9]+|[A-Za-z_][A-Za-z0-9_]*)$")  # 25.11: global this_pmd_name<driver>
C_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OPTIONS = (("params", "_param_string_export"), ("kmod", "_kmod_dep_export"))
PCI_TABLE_SUFFIX = "_pci_tbl_export"


class GenError(Exception):
    pass


# --------------------------------------------------------------------------
# Inputs: ELF files and ar archives.

def archive_members(path, data):
    """Yield (member name, bytes) of a System V / GNU ar archive, thin or not."""
    thin = data.startswith(b"!<thin>\n")
    pos, longnames = 8, b""
    while pos + 60 <= len(data):
        hdr = data[pos:pos + 60]
        pos += 60
        if hdr[58:60] != b"`\n":
            raise GenError("%s: corrupt archive member header at %d" % (path, pos - 60))
        name = hdr[0:16].decode("ascii", "replace").rstrip()
        size = int(hdr[48:58].decode("ascii").strip() or "0")
        special = name in ("/", "//", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED")
        body = None
        if not thin or special:
            body = data[pos:pos + size]
            pos += size + (size & 1)
        if name == "//":
            longnames = body
            continue
        if special:
            continue
        if name.startswith("#1/"):            # BSD: name prefixes the data
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0").decode(), body[n:]
        elif name.startswith("/") and name[1:].isdigit():
            off = int(name[1:])
            end = longnames.find(b"\n", off)
            name = longnames[off:end if end >= 0 else None].decode().rstrip("/")
        else:
            name = name.rstrip("/")
        if thin:
            member = name if os.path.isabs(name) else \
                os.path.join(os.path.dirname(path), name)
            try:
                with open(member, "rb") as f:
                    body = f.read()
            except OSError as e:
                raise GenError("%s: thin archive member: %s" % (path, e)) from e
        yield name, body


def load_inputs(paths):
    """Return a list of (label, ELFFile) for every ELF object in the inputs."""
    images = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise GenError(str(e)) from e
        if data.startswith((b"!<arch>\n", b"!<thin>\n")):
            members = [("%s(%s)" % (path, n), b)
                       for n, b in archive_members(path, data)]
        else:
            members = [(path, data)]
        for label, body in members:
            if not body.startswith(b"\x7fELF"):
                if len(members) == 1 and label == path:
                    raise GenError("%s: not an ELF file or ar archive" % path)
                continue                      # e.g. a non-ELF archive member
            try:
                images.append((label, ELFFile(io.BytesIO(body))))
            except ELFError as e:
                raise GenError("%s: %s" % (label, e)) from e
    return images


# --------------------------------------------------------------------------
# Symbols.

class Image:
    """Symbols of one ELF object -- or of one source file of a linked ELF,
    whose .symtab keeps each file's local symbols after its STT_FILE entry --
    with their contents.  'symbols' sees this scope's locals and then the
    globals of the whole ELF; 'own' lists the names defined in this scope."""

    def __init__(self, label, elf, local, global_):
        self.label = label
        self.elf = elf
        self.big_endian = not elf.little_endian
        self.relocatable = elf["e_type"] == "ET_REL"
        self.symbols = collections.ChainMap(local, global_)
        self.own = list(local)

    def names(self, pattern):
        """Symbols matching 'pattern', by the number they end with (the
        __COUNTER__ of this_pmd_name<N>: registration order)."""
        found = [n for n in self.own if pattern.match(n)]
        return sorted(found, key=lambda n: int(re.search(r"[0-9]*$", n).group() or 0))

    def data(self, name, offset=0, size=None):
        """Bytes of symbol 'name' from 'offset' (to its end when size is None)."""
        sym = self.symbols.get(name)
        if sym is None:
            return None
        shndx = sym["st_shndx"]
        if not isinstance(shndx, int):        # SHN_UNDEF, SHN_ABS, SHN_COMMON
            raise GenError("%s: symbol %s has no data (%s)" % (self.label, name, shndx))
        sec = self.elf.get_section(shndx)
        if sec["sh_type"] == "SHT_NOBITS":
            raise GenError("%s: symbol %s is zero-initialised (in %s)"
                           % (self.label, name, sec.name))
        base = sym["st_value"] - (0 if self.relocatable else sec["sh_addr"])
        sec_data = sec.data()
        start = base + offset
        if size is None:
            end = base + sym["st_size"] if sym["st_size"] else len(sec_data)
        else:
            end = start + size
        return sec_data[start:end]

    def string(self, name):
        raw = self.data(name)
        if raw is None:
            return None
        raw = raw.split(b"\0", 1)[0]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise GenError("%s: symbol %s is not a UTF-8 string" % (self.label, name)) from e


STRIPPED = []


def scopes(label, elf):
    """The Image scopes of an ELF file: one per source file, one for globals."""
    symtab = elf.get_section_by_name(".symtab")
    if symtab is None or not isinstance(symtab, SymbolTableSection):
        STRIPPED.append(label)                # nothing to find
        return []
    linked = elf["e_type"] != "ET_REL"
    files, globals_ = [(label, {})], {}
    for sym in symtab.iter_symbols():
        kind, bind = sym["st_info"]["type"], sym["st_info"]["bind"]
        if kind == "STT_FILE":
            if linked:
                files.append(("%s[%s]" % (label, sym.name), {}))
            continue
        if not sym.name or kind == "STT_SECTION" or sym["st_shndx"] == "SHN_UNDEF":
            continue
        table = files[-1][1] if bind == "STB_LOCAL" else globals_
        table.setdefault(sym.name, sym)
    return [Image(lbl, elf, local, globals_) for lbl, local in files + [(label, globals_)]]


def lookup(images, first, name):
    """The image holding symbol 'name': 'first' if it has it, else any other."""
    if name in first.symbols:
        return first
    for img in images:
        if name in img.symbols:
            return img
    return None


def pci_ids(img, table):
    """Entries of a struct rte_pci_id table: [vendor, device, subvendor, subdevice].

    struct rte_pci_id { uint32_t class_id; uint16_t vendor_id, device_id,
    subsystem_vendor_id, subsystem_device_id; } -- 12 bytes; the table ends
    at the entry with device_id 0 (DPDK's { .vendor_id = 0 } sentinel).
    """
    fmt = (">" if img.big_endian else "<") + "IHHHH"
    size = struct.calcsize(fmt)
    data = img.data(table)
    result = []
    for off in range(0, len(data) - size + 1, size):
        _, vendor, device, sub_vendor, sub_device = struct.unpack_from(fmt, data, off)
        if device == 0:
            break
        result.append([vendor, device, sub_vendor, sub_device])
    return result


def load_drivers(images):
    drivers, where = [], {}
    for img in images:
        for sym in img.names(NAME_SYMBOL):
            name = img.string(sym)
            if not name:
                continue
            if not C_IDENT.match(name):
                raise GenError("%s: %s = %r is not a C identifier"
                               % (img.label, sym, name))
            if name in where:
                if where[name] is img:        # registered twice in one object
                    continue
                raise GenError("driver %s registered in both %s and %s"
                               % (name, where[name].label, img.label))
            where[name] = img
            info = {"name": name}
            for key, suffix in OPTIONS:
                sym_name = "__%s%s" % (name, suffix)
                owner = lookup(images, img, sym_name)
                if owner is not None:
                    info[key] = owner.string(sym_name)
            info["pci_ids"] = []
            tbl_sym = "__%s%s" % (name, PCI_TABLE_SUFFIX)
            owner = lookup(images, img, tbl_sym)
            if owner is not None:
                table = owner.string(tbl_sym)
                table_owner = lookup(images, owner, table)
                if table_owner is None:
                    raise GenError("%s: PCI table %s of driver %s is declared "
                                   "but not defined" % (owner.label, table, name))
                info["pci_ids"] = pci_ids(table_owner, table)
            drivers.append(info)
    return drivers


# --------------------------------------------------------------------------
# Output.

def c_literal(text, width=72):
    """'text' (ASCII) as C string literal(s), split into lines of about 'width'."""
    out, line = [], ""
    for ch in text:
        if ch in "\\\"?":                     # '?': no trigraphs in -std=c11
            esc = "\\" + ch
        elif " " <= ch <= "~":
            esc = ch
        else:
            esc = "\\%03o" % ord(ch)
        if len(line) + len(esc) > width:
            out.append(line)
            line = ""
        line += esc
    out.append(line)
    return "\n\t".join('"%s"' % chunk for chunk in out)


def render(drivers, inputs):
    lines = [
        "/* Generated by buildtools/sva-pmdinfogen.py from",
        " *   " + "\n *   ".join(os.path.basename(p).replace("*/", "*_/")
                               for p in inputs),
        " * Do not edit.  Read with usertools/sva-pmdinfo.py or dpdk-pmdinfo.py. */",
        "",
    ]
    for info in drivers:
        # ensure_ascii: the literal is printable ASCII, as dpdk-pmdinfo.py wants.
        text = "PMD_INFO_STRING= " + json.dumps(info, ensure_ascii=True)
        lines.append("const char %s_pmd_info[] __attribute__((used)) =\n\t%s;"
                     % (info["name"], c_literal(text)))
        lines.append("")
    if not drivers:
        lines.append("typedef int sva_pmdinfo_no_driver;  /* not an empty unit */")
    return "\n".join(lines) + "\n"


def write_output(path, text):
    if path == "-":
        sys.stdout.write(text)
        return
    with open(path, "w", encoding="ascii") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(
        prog=PROG, description=__doc__.split("\n\n")[0].strip())
    parser.add_argument("inputs", metavar="INPUT", nargs="+",
                        help="ELF object, static archive or linked ELF file")
    parser.add_argument("-o", "--output", required=True,
                        help="C file to write ('-': standard output)")
    parser.add_argument("--allow-empty", action="store_true",
                        help="write a file without drivers instead of failing "
                        "when the inputs register none")
    args = parser.parse_args()

    if ELFFile is None:
        print("%s: the Python module 'elftools' (pyelftools) is missing for %s; "
              "run usertools/sva-setup.sh (it installs python3-pyelftools)"
              % (PROG, sys.executable), file=sys.stderr)
        return 1
    try:
        images = [img for label, elf in load_inputs(args.inputs)
                  for img in scopes(label, elf)]
        drivers = load_drivers(images)
    except GenError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    if not drivers and not args.allow_empty:
        why = "not a driver, or built with LTO (no data in its objects)"
        if STRIPPED:
            why = "no symbol table (stripped) in " + ", ".join(STRIPPED)
        print("%s: no driver registration (RTE_PMD_REGISTER_*, symbol "
              "this_pmd_name<N>) found in %s; %s"
              % (PROG, " ".join(args.inputs), why), file=sys.stderr)
        return 1
    write_output(args.output, render(drivers, args.inputs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
