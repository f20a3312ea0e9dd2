# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""The command line: options, help, and main()."""

import argparse
import json
import os
import sys

from .sysfs import DEV_ENV, OpError, Roots, SYSFS_ENV, UsageError
from .scan import resolve_devices, snapshot
from .verdicts import run_check
from .report import format_check, format_status
from .bind import bind_one, check_bind_args, unbind_one


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
  - a librte_sva driver for it: sva_idxd for an idxd work queue
    (/dev/dsa/wqX.Y) in user mode; sva_iommufd for a vfio-pci device with
    PASID and PRI (its probe refuses a device without them). librte_sva has
    no uacce backend.
"""


EPILOG = """\
what "usable" means (--check):
  ready               everything is in place
  usable after setup  the hardware and platform can do it; the [todo] lines
                      say what to run (bind a driver, load a module, enable a
                      work queue) - nothing needs a reboot or new hardware
  (limited)           works with restrictions, e.g. no page faults
  not usable          a [blocker]: no IOMMU, PASID off, ...
  not supported       no librte_sva driver serves the device (uacce, or a
                      vfio-pci device without PASID or PRI); the reason
                      follows the verdict
  unknown             config space unreadable (not root)
each verdict names the driver that serves the device ("served by sva_idxd";
--json: "sva_driver", null when none does, and "unsupported", the reason).

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
