"""tmtool: French-English translation memories and termbases.

The library is the product; the ``tmtool`` command is a thin client of it. Submodules are
imported lazily so that ``import tmtool`` and the CLI start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "align", "split_text", "TmtoolError"]

if TYPE_CHECKING:  # pragma: no cover
    from .alignment import align
    from .errors import TmtoolError
    from .segment import split_text

_LAZY = {
    "align": ("tmtool.alignment", "align"),
    "split_text": ("tmtool.segment", "split_text"),
    "TmtoolError": ("tmtool.errors", "TmtoolError"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'tmtool' has no attribute {name!r}")
