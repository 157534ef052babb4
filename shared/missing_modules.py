"""Optional modules that are not installed, marked missing once so that each later `import` fails at once.

httpx and httpcore ask whether `sniffio` is there (to tell trio from asyncio) with an `import` inside a
function, several times for every request (each lock, semaphore and cancellation shield httpcore makes), and
run on asyncio when it is not. Python does not remember an import that failed: every try searched each
directory of `sys.path` again, a few `stat` calls apiece, which was about a tenth of the gateway's CPU per
read. `sys.modules[name] = None` is the import system's own way of saying "not there": the import then
raises the same `ModuleNotFoundError` without searching, and `importlib.util.find_spec` answers None as
before. A module that is installed is left alone, so nothing changes where it is (trio, which needs
`sniffio`, could only run where `sniffio` is installed).
"""

import importlib.util
import sys

# Asked for on every request, optional to the libraries that ask.
OPTIONAL_MODULES = ("sniffio",)


def mark_missing_modules(names: tuple[str, ...] = OPTIONAL_MODULES) -> list[str]:
    """Mark those of `names` that cannot be imported; answers the ones marked now."""
    marked = []
    for name in names:
        if name in sys.modules:
            continue  # imported already, or marked
        if importlib.util.find_spec(name) is None:
            sys.modules[name] = None  # type: ignore[assignment]
            marked.append(name)
    return marked
