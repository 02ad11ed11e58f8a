"""A forest plot like the EEF Toolkit's: one row per programme and measure, g and its 95% CI."""

from __future__ import annotations

import io
from dataclasses import dataclass


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

    height = 1.2 + 0.45 * max(1, len(rows))
    figure, axes = pyplot.subplots(figsize=(10, height), dpi=100)
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
        axes.set_yticks(positions, [row.label for row in rows])
        axes.set_ylim(0.3, len(rows) + 0.7)
        axes.set_xlabel("Hedges' g with 95% confidence interval")
        axes.set_title("Impact by programme" if rows else "No effect sizes yet")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
