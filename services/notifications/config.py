from typing import Literal

from pydantic import Field, model_validator

from shared.bounds import EmailAddress, is_email_address
from shared.settings import (
    OFF_THE_MONEY_PATH_GATHER_SECONDS,
    RenewalWindowSettings,
    service_settings_config,
)


class Settings(RenewalWindowSettings):
    service_name = "notifications"
    default_port = 8006
    default_gather_seconds = OFF_THE_MONEY_PATH_GATHER_SECONDS
    model_config = service_settings_config(service_name)

    # smtp: any SMTP server (locally, the run command's own); notify: GOV.UK Notify
    delivery: Literal["smtp", "notify"] = "smtp"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Schools Company <no-reply@schools-company.example>"
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    # One GOV.UK Notify email template per message template, by name; each Notify template
    # shows ((subject)), ((body)) and ((link)) (and ((attachment)) where a letter goes with it).
    notify_template_ids: dict[str, str] = {}
    # Where the links in messages lead.
    portal_url: str = "http://127.0.0.1:8000"
    # The mailbox of each staff role (LA officers, finance, evaluators, catalogue admins, admins).
    staff_emails: dict[str, EmailAddress] = {
        "la_officer": "la-officers@schools-company.example",
        "finance": "finance@schools-company.example",
        "catalogue_admin": "catalogue@schools-company.example",
        "evaluator": "evaluation@schools-company.example",
        "admin": "platform-admin@schools-company.example",
    }
    # A school contact with no address of its own, outside production: this made-up address (in
    # production, or when empty, the message is kept as failed for an administrator to see).
    school_email_pattern: str = "{contact}.{urn}@schools.example"
    # The mailbox of each academy trust's buyer, by trust code (the register names none); outside
    # production, a trust not listed gets this made-up address, and in production its message is
    # kept as failed for an administrator to see.
    trust_emails: dict[str, EmailAddress] = {}
    trust_email_pattern: str = "buyer.{trust}@trusts.example"
    deliver_every_seconds: float = 2.0
    deliver_batch_size: int = 20
    # How long a delivery worker holds a message it is sending (renewed every third of it while
    # the mail service takes its time): only a worker that died lets it go to another.
    deliver_claim_seconds: float = Field(default=600.0, gt=0, le=3600)
    delivery_backoff_seconds: list[float] = [10.0, 60.0, 300.0, 1800.0, 3600.0]
    remind_every_seconds: float = 300.0

    @model_validator(mode="after")
    def _refuse_unsafe_delivery(self) -> "Settings":
        if self.delivery == "notify" and not self.notify_api_key:
            raise ValueError("notify_api_key: GOV.UK Notify needs an API key")
        return self

    @model_validator(mode="after")
    def _refuse_patterns_that_make_no_address(self) -> "Settings":
        """Each pattern, filled in, makes one plain address (or it is empty: none)."""
        for name, fields in PATTERN_FIELDS.items():
            pattern = getattr(self, name)
            try:
                example = pattern.format(**fields)
            except (KeyError, IndexError, ValueError) as error:
                named = ", ".join(f"{{{field}}}" for field in fields)
                raise ValueError(f"{name}: may name only {named}") from error
            if pattern and not is_email_address(example):
                raise ValueError(f"{name}: {example!r} is not one email address")
        return self


# What each address pattern is filled in with (with an example of each).
PATTERN_FIELDS: dict[str, dict[str, object]] = {
    "school_email_pattern": {"contact": "business_manager", "urn": 117083},
    "trust_email_pattern": {"trust": "TR0042"},
}
