"""Rows of the benchmark table: samples, their median and spread, a baseline and a target.

Each measurement returns `Row`s; `render` prints them as one plain-text table
(also valid Markdown) so the README can quote a real run.
"""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Row:
    """One figure. `higher_better` says which way the ratio to the baseline should go."""

    figure: str
    unit: str
    samples: tuple[float, ...]
    target: str
    baseline: tuple[float, ...] = ()
    baseline_name: str = "—"
    check: Callable[[float, float | None], bool] | None = field(default=None, compare=False)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def base_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.base_median
        if base is None or base == 0 or not self.samples:
            return None
        return self.median / base

    @property
    def verdict(self) -> str:
        if self.check is None or not self.samples:
            return "n/a" if not self.samples else ""
        return "met" if self.check(self.median, self.ratio) else "MISSED"


def fmt(value: float | None, unit: str = "") -> str:
    """Three significant figures, thousands grouped."""
    if value is None or value != value:  # NaN
        return "—"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def _spread(samples: Sequence[float], unit: str) -> str:
    if not samples:
        return "—"
    return f"{fmt(min(samples))}–{fmt(max(samples), unit)}"


HEADER = ("figure", "median", "min–max", "n", "baseline (same run)", "ratio", "target", "")


def cells(row: Row) -> tuple[str, ...]:
    base = "—"
    if row.baseline:
        base = f"{row.baseline_name}: {fmt(row.base_median, row.unit)}"
    elif row.baseline_name != "—":
        base = row.baseline_name
    ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
    figure = row.figure + (f" ({row.note})" if row.note else "")
    return (
        figure,
        fmt(row.median, row.unit),
        _spread(row.samples, row.unit),
        str(len(row.samples)),
        base,
        ratio,
        row.target,
        row.verdict,
    )


def render(rows: Sequence[Row]) -> str:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    body = [HEADER, *(cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(HEADER))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    out = [line(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(v) for v in body[1:]]
    return "\n".join(out)


def machine_line() -> str:
    """Cores, memory, CPU model, OS and Python: printed above every table."""
    cores = os.cpu_count() or 0
    mem_gb = 0.0
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for text in fh:
                if text.startswith("MemTotal:"):
                    mem_gb = int(text.split()[1]) / 1024 / 1024
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for text in fh:
                if text.startswith("model name"):
                    model = text.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load {os.getloadavg()[0]:.1f} at start"
    return (
        f"Machine: {cores} cores ({model}), {mem_gb:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}{load}"
    )
