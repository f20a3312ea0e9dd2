# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Text output of --status and --check."""

import os
import re
import textwrap


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


def headline(r):
    """The verdict with the librte_sva driver that serves the device, or why
    none does."""
    if r["sva_driver"] is None:
        return "NOT SUPPORTED: %s" % r["unsupported"]
    return "%s (served by %s)" % (r["verdict"].upper(), r["sva_driver"])


def format_check(res):
    out = ["SVA check (sysfs %s, dev %s, %s)" % (
        res["sysfs_root"], res["dev_root"],
        "as root" if res["privileged"] else "not root"), ""]
    out.append("Machine")
    out.extend(format_findings(res["machine"], "  "))
    for r in res["devices"]:
        out.append("")
        out.append("%s  driver %s: %s" % (dev_title(r), r["driver"] or "none",
                                          headline(r)))
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
