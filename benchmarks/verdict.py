"""One machine-readable line per measured figure, for ``run_all.py``'s table.

A benchmark script calls ``result(figure, target, measured, met)`` where it computes a
figure that has a target; the line goes to standard output beside the script's own human
output, so a script run alone still prints as before (with these extra lines)::

    @result<TAB>figure<TAB>target<TAB>measured<TAB>met | NOT met | no target

``machine()`` describes the computer in one line (CPU, cores, Python, load average).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

MARK = "@result"


def _field(text: str) -> str:
    return " ".join(str(text).replace("\t", " ").split())


def verdict_word(met: bool | None) -> str:
    if met is None:
        return "no target"
    return "met" if met else "NOT met"


def result_line(figure: str, target: str, measured: str, met: bool | None) -> str:
    fields = (MARK, _field(figure), _field(target), _field(measured), verdict_word(met))
    return "\t".join(fields)


def result(figure: str, target: str, measured: str, met: bool | None) -> None:
    """Print one ``@result`` line for ``run_all.py`` to collect."""
    print(result_line(figure, target, measured, met), flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "processor\t: ")):
                value = line.split(":", 1)[1].strip()
                if value and not value.isdigit():
                    return value
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> str:
    """The computer in one line: CPU model, cores, Python version, load average."""
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()},"
        f" Python {sys.version.split()[0]}, load average {_load()}"
    )


if __name__ == "__main__":
    print(machine())
