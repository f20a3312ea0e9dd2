# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""--check: findings per device and for the machine, with fixes, and the verdict
(exit status) they add up to."""

import os
import re

from .scan import KNOWN_DEVICES, is_vfio
from .report import describe_unit, yn


# Drivers that let vfio take DMA ownership of a device sharing its group.
DMA_OWNER_FRIENDLY = {"vfio-pci", "pci-stub", "pcieport"}


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

    # Which librte_sva path the device is judged for follows its driver.
    wqs = [w for w in snap["idxd"]["wqs"] if w["pci"] == bdf]
    idevs = [i for i in snap["idxd"]["devices"] if i["pci"] == bdf]
    uaccs = [u for u in snap["uacce"] if u["pci"] == bdf]
    if driver == "idxd" or idevs:
        backend = "idxd"
    elif uaccs:
        backend = "uacce"
    else:
        backend = "iommufd"

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
        if pri["present"] is False and backend == "iommufd":
            f.add("blocker", "no PRI capability: sva_iommufd attaches "
                  "a fault-capable domain, which the kernel refuses "
                  "for a device that cannot send page requests")
        elif pri["present"] is False:
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

    # The software path: which librte_sva driver serves the device, and is
    # it set up? Skipped when the hardware already rules SVA out: steps
    # would be noise.
    sva_driver, unsupported = serving_driver(backend, dev, unit, uaccs)
    hardware_ok = not f.has("blocker")
    kernel_path = backend != "iommufd"
    if sva_driver is None:
        if backend == "uacce":
            _uacce_unsupported(dev, uaccs, f)
    elif backend == "idxd":
        if hardware_ok:
            _check_idxd(snap, dev, idevs, wqs, f)
    elif hardware_ok:
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
            "sva_driver": sva_driver, "unsupported": unsupported,
            **verdict(f, sva_driver), "findings": list(f)}


def serving_driver(backend, dev, unit, uaccs):
    """The librte_sva driver that will serve the device, or None and why
    none can. Mirrors the drivers' own probes: sva_idxd takes idxd work
    queues; sva_iommufd's probe allocates a PASID-capable, fault-capable
    domain (drivers/sva/iommufd/sva_iommufd.c: a PASID width of 0 and a
    device without PRI are refused); nothing drives uacce."""
    if backend == "idxd":
        return "sva_idxd", None
    if backend == "uacce":
        return None, "no uacce backend in librte_sva"
    cfg = dev["config"]
    why = None
    if cfg["pasid"]["present"] is False:
        why = "no PASID capability"
    elif cfg["pasid"].get("max_width") == 0:
        why = "PASID width 0"
    elif cfg["pri"]["present"] is False:
        why = "no PRI capability (no device page requests)"
    elif unit is not None and unit.get("pasid") is False:
        why = "IOMMU %s has no PASID support" % unit["name"]
    elif unit is not None and unit.get("page_requests") is False:
        why = "IOMMU %s takes no page requests" % unit["name"]
    if why:
        return None, "sva_iommufd declines it: " + why
    return "sva_iommufd", None


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


def _uacce_unsupported(dev, uaccs, f):
    names = ", ".join(u["name"] for u in uaccs)
    cfg = dev["config"]
    msg = ("registered with uacce (%s), and librte_sva has no uacce "
           "backend" % names)
    fix = None
    if cfg["pasid"]["present"] and cfg["pri"]["present"]:
        msg += ("; it has PASID and PRI, so sva_iommufd can serve it "
                "through vfio-pci instead")
        fix = "dpdk-sva-bind.py --bind vfio-pci %s" % dev["bdf"]
    f.add("blocker", msg, fix)


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


def verdict(f, sva_driver):
    """The verdict the findings add up to; a device no librte_sva driver
    serves is "not supported" whatever its findings."""
    if sva_driver is None:
        return {"usable": False, "ready": False, "verdict": "not supported",
                "limited": False}
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
