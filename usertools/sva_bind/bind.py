# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""--bind / --unbind: driver_override, unbind, probe, and the checks before."""

import os
import re
import sys

from . import sysfs
from .sysfs import OpError, UsageError, link_name, read_text
from .scan import BDF_RE, is_vfio, read_pci_device, resolve_devices


def current_driver(roots, bdf):
    return link_name(roots.pci_dev(bdf, "driver"))


def do_write(path, text):
    try:
        sysfs.sysfs_write(path, text)
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
