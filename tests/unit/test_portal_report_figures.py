"""The impact report's figures as a person reads them on the evaluator's page."""

from __future__ import annotations

from services.portal.entrypoints.reports import shown
from shared.api.evaluation import FigurePublic


def a_figure(name: str, value: float | int | str | None) -> FigurePublic:
    return FigurePublic(measure_id=None, measure="", figure=name, value=value, method="")


def test_a_cost_given_back_reads_minus_its_pounds_not_a_pound_more() -> None:
    """Refunds after a programme's sales can leave its cost below nothing: -150 pence read
    '£-2.50', a pound more given back than was."""
    assert shown(a_figure("cost (pence)", -150)) == "-£1.50"
    assert shown(a_figure("cost (pence)", -1_234_567.4)) == "-£12,345.67"
    assert shown(a_figure("cost (pence)", 215_996)) == "£2,159.96"
