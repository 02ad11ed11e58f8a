"""A forest plot like the EEF Toolkit's: one row per programme and measure, g and its 95% CI.

An effect size over the spread between schools is on another scale from one over pupils'
spread (several times larger for the same difference), so each scale gets its own panel."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.evaluation.domain.months_progress import Spread

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LABEL_WIDTH = 48  # characters per line of a row's label, wrapped so that none is cut off


@dataclass(frozen=True)
class Row:
    label: str
    effect: float
    low: float
    high: float
    spread: Spread  # what g was divided by


def forest_plot_png(rows: list[Row]) -> bytes:
    # Imported here: matplotlib takes seconds to load, and only this report needs it.
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot

    panels = [(s, [r for r in rows if r.spread is s]) for s in Spread]
    panels = [(spread, found) for spread, found in panels if found] or [(Spread.PUPILS, [])]
    labels = [[textwrap.fill(row.label, LABEL_WIDTH) for row in found] for _, found in panels]
    heights = [
        1.4 + 0.45 * max(1, len(found)) + 0.2 * sum(label.count("\n") + 1 for label in wrapped)
        for (_, found), wrapped in zip(panels, labels, strict=True)
    ]
    figure, axes_list = pyplot.subplots(
        len(panels),
        1,
        figsize=(12, sum(heights)),
        dpi=100,
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    try:
        for axes, (spread, found), wrapped in zip(axes_list[:, 0], panels, labels, strict=True):
            _panel(axes, spread, found, wrapped)
        axes_list[0, 0].set_title("Impact by programme" if rows else "No effect sizes yet")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _panel(axes: Axes, spread: Spread, rows: list[Row], labels: list[str]) -> None:
    positions = list(range(len(rows), 0, -1))
    for y, row in zip(positions, rows, strict=True):
        axes.plot([row.low, row.high], [y, y], color="#1f4e79", linewidth=1.5)
        axes.plot([row.effect], [y], marker="s", color="#1f4e79", markersize=7)
        axes.text(
            1.02,
            y,
            f"{row.effect:.2f} [{row.low:.2f}, {row.high:.2f}]",
            transform=axes.get_yaxis_transform(),
            va="center",
            fontsize=9,
        )
    axes.axvline(0, color="#888888", linewidth=1, linestyle="--")
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_ylim(0.3, len(rows) + 0.7)
    scale = "" if spread is Spread.PUPILS else " (not the EEF Toolkit's scale)"
    axes.set_xlabel(f"Hedges' g over {spread}{scale}, with 95% confidence interval")
