# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""The sysfs and /dev roots, the one place the tool writes, small readers, errors."""

import os
import re


SYSFS_ENV = "SVA_SYSFS_ROOT"


DEV_ENV = "SVA_DEV_ROOT"


SYSFS_BDF_RE = re.compile(r"^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")


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
