#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The librte_sva authors
"""Show, check and bind devices for Shared Virtual Addressing (librte_sva).

The entry point only: the code is the sva_bind package, found beside this
script (the source tree) or, once installed, in <prefix>/share/librte_sva
(bindir and datadir under the same prefix, as meson installs them).
"""

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
for _d in (_HERE, os.path.join(_HERE, "..", "share", "librte_sva")):
    if os.path.isfile(os.path.join(_d, "sva_bind", "__init__.py")):
        sys.path.insert(0, os.path.normpath(_d))
        break

from sva_bind import main  # noqa: E402 (after the path is known)

if __name__ == "__main__":
    sys.exit(main())
