"""Import a package without one of the optional modules it would import too (pure).

Some packages import a module at import time for a feature govcase does not use, and that module
costs more to import than the package: jieba reads its model files through pkg_resources when it
can (setuptools' scan of every installed distribution, 0.1 s of every process's start), bs4 imports
soupsieve for CSS selectors (its regular expressions doubled bs4's import).
"""
from __future__ import annotations

import importlib
import sys
import warnings
from types import ModuleType


def import_without(package: str, skipped: str, warning: str | None = None) -> ModuleType:
    """``package``, imported with ``skipped`` unimportable meanwhile, unless either is imported
    already (then as it is); ``warning``: the start of the warning the package gives when it
    misses the module, not shown."""
    if package in sys.modules:
        return sys.modules[package]
    hidden = skipped not in sys.modules
    if hidden:
        sys.modules[skipped] = None  # "import skipped" raises ImportError meanwhile
    try:
        with warnings.catch_warnings():
            if warning:
                warnings.filterwarnings("ignore", message=warning)
            return importlib.import_module(package)
    finally:
        if hidden:
            del sys.modules[skipped]
