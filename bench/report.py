"""Writes one benchmark's figures into its own section of BENCHMARKS.md, with machine and date."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
_HEADER = "# Benchmarks\n\nEach section is rewritten by the script named in it.\n"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), flags=re.MULTILINE)
        cpu = names[0] if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(re.findall(r"MemTotal:\s+(\d+)", meminfo.read_text())[0])
        memory = f", {total_kib / 1024 / 1024:.0f} GiB"
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, "
        f"load average {load:.2f} at the end"
    )


def record(title: str, script: str, lines: Sequence[str]) -> None:
    """Replace (or append) the section `## title` of BENCHMARKS.md and echo it to stdout."""
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    body = "\n".join([f"## {title}", "", f"`{script}` on {today}, {machine()}.", "", *lines, ""])
    print(body)
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else _HEADER
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: body + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    BENCHMARKS.write_text(text.rstrip("\n") + "\n")
