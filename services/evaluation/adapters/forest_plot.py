"""A forest plot like the EEF Toolkit's: one row per programme and measure, g and its 95% CI."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

LABEL_WIDTH = 48  # characters per line of a row's label, wrapped so that none is cut off


@dataclass(frozen=True)
class Row:
    label: str
    effect: float
    low: float
    high: float


def forest_plot_png(rows: list[Row]) -> bytes:
    # Imported here: matplotlib takes seconds to load, and only this report needs it.
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot

    labels = [textwrap.fill(row.label, LABEL_WIDTH) for row in rows]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = 1.4 + 0.45 * max(1, len(rows)) + 0.2 * lines
    figure, axes = pyplot.subplots(figsize=(12, height), dpi=100)
    try:
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
        axes.set_xlabel("Hedges' g with 95% confidence interval")
        axes.set_title("Impact by programme" if rows else "No effect sizes yet")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
