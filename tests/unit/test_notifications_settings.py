"""Notifications' addresses from its settings are each one plain address: one with a comma in
it went to two people, and a pattern naming what it is not filled in with failed every
message to a school or trust with no address of its own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.notifications.config import Settings


def test_the_default_addresses_are_taken() -> None:
    settings = Settings()
    assert settings.trust_emails == {}
    assert settings.staff_emails["finance"] == "finance@schools-company.example"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("trust_emails", {"TR0042": "buyer@trust.example,someone@elsewhere.example"}),
        ("trust_emails", {"TR0042": "buyer@trust.example; someone@elsewhere.example"}),
        ("staff_emails", {"finance": "Finance <finance@schools-company.example>"}),
        ("school_email_pattern", "{contact}.{urn}@schools.example,someone@elsewhere.example"),
        ("school_email_pattern", "{contact}.{school}@schools.example"),
        ("trust_email_pattern", "buyer {trust}@trusts.example"),
    ],
)
def test_a_setting_that_is_not_one_address_is_refused_by_name(setting: str, value: object) -> None:
    with pytest.raises(ValidationError, match=setting):
        Settings.model_validate({setting: value})


def test_an_address_pattern_left_empty_means_none() -> None:
    assert Settings(school_email_pattern="", trust_email_pattern="").school_email_pattern == ""
