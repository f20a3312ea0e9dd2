# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Show, check and bind devices for Shared Virtual Addressing (librte_sva).

The code of usertools/dpdk-sva-bind.py, one module a concept:

- sysfs: the sysfs and /dev roots, the one place the tool writes, readers
- pciconfig: PCI configuration space and its PASID, PRI and ATS capabilities
- scan: one snapshot of PCI devices, IOMMUs, idxd work queues, uacce devices
- verdicts: --check's findings, fixes and exit status
- report: text output of --status and --check
- bind: --bind / --unbind
- cli: the command line and main()

The tool reads only sysfs and /dev (both relocatable, for tests and for
inspecting a copy of another machine's tree) and writes only when asked to
bind or unbind.  Standard library only.
"""

from .cli import main
from .pciconfig import parse_config

__all__ = ["main", "parse_config"]
