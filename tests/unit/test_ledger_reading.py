"""How the ledger's figures read to a person: headings in words, pounds, percentages, and a
reason where a figure cannot be worked out."""

from __future__ import annotations

from services.ledger.application.reading import Unit, heading, heading_with_unit, measure


def test_figures_are_named_in_words_with_their_unit() -> None:
    assert heading("surplus_traded_pence") == "Surplus: traded strand"
    assert heading("buy_back_Secondary_percent") == "Buy-back: Secondary schools"
    assert heading_with_unit("income_pence") == "Income (£)"
    assert heading_with_unit("renewal_rate_percent") == "Last year's buyers who bought again (%)"
    assert heading_with_unit("net_burn_months") == "Months the burn is averaged over"


def test_a_measure_shows_pounds_percentages_and_months() -> None:
    assert measure("surplus_traded_pence", 263_730)["shown"] == "£2,637.30"
    assert measure("surplus_core_pence", -2_020_000)["shown"] == "-£20,200.00"
    assert measure("buy_back_Primary_percent", 66.7)["shown"] == "66.7%"
    assert measure("buy_back_Primary_percent", 100.0)["shown"] == "100.0%"
    assert measure("runway_months", 7.2)["shown"] == "7.2 months"
    assert measure("runway_months", 12.0)["shown"] == "12.0 months"
    # a long runway in months, not in six significant figures ('1.23457e+07 months')
    assert measure("runway_months", 12_345_678.9)["shown"] == "12,345,678.9 months"
    assert measure("pd_against_2_to_5_percent", "within")["shown"] == "Within the 2 to 5% guide"
    assert measure("runway_months", 7.2)["unit"] == Unit.MONTHS
    assert measure("as_of", "2026-12-03")["shown"] == "3 December 2026"
    assert measure("net_burn_months", "2026-09,2026-10,2026-11")["shown"] == (
        "September 2026 to November 2026"
    )


def test_a_figure_that_cannot_be_worked_out_says_why_instead_of_a_blank() -> None:
    runway = measure("runway_months", None)
    assert runway["value"] is None
    assert runway["shown"] == "No runway to count"
    assert runway["note"].startswith("Reserves are not being spent")
    share = measure("grant_share_percent", None)
    assert (share["shown"], share["note"]) == ("Not enough data", "No income this year")
