"""Who is signed in (a demo user, or a person from the OpenID provider), the seeded demo users
one per role, and what each role finds in its navigation."""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import Role

# Schools in the real register, each paying by a different price
ABBOTS_LANGLEY = 117083  # a maintained primary, 415 on roll
SANDRINGHAM = 136609  # a secondary academy, 1,817 on roll
RADLETT_LODGE = 117646  # an independent special school, 55 on roll
DEMO_TRUST = "DEMO-1"  # the seed's made-up academy trust (services/seed/demo_trust.py)


@dataclass(frozen=True)
class User:
    id: str  # a demo user's id, or the provider's subject
    name: str
    role: Role
    urn: int | None = None
    trust: str | None = None  # a trust buyer's academy trust


DEMO_USERS = (
    User("school", "School business manager, Abbots Langley School", Role.SCHOOL, ABBOTS_LANGLEY),
    User("school-academy", "School business manager, Sandringham School", Role.SCHOOL, SANDRINGHAM),
    User(
        "school-independent",
        "School business manager, Radlett Lodge School",
        Role.SCHOOL,
        RADLETT_LODGE,
    ),
    User(
        "trust-buyer",
        "Trust buyer, Demo Academy Trust (made up: Sandringham and the two Fleetville schools)",
        Role.TRUST_BUYER,
        trust=DEMO_TRUST,
    ),
    User(
        "approver",
        "Headteacher (approver), Abbots Langley School",
        Role.SCHOOL_APPROVER,
        ABBOTS_LANGLEY,
    ),
    User("la-officer", "LA school improvement officer", Role.LA_OFFICER),
    # A second LA officer: a large variation needs two different people's approval.
    User("la-director", "LA director of education", Role.LA_OFFICER),
    User("finance", "Finance officer", Role.FINANCE),
    User("catalogue-admin", "Catalogue administrator", Role.CATALOGUE_ADMIN),
    User("evaluator", "Evaluator", Role.EVALUATOR),
    User("admin", "Platform administrator", Role.ADMIN),
)


def demo_user(user_id: str) -> User | None:
    return next((user for user in DEMO_USERS if user.id == user_id), None)


SHOP = ("Shop", "/shop")
ORDERS = ("Orders", "/orders")
CONTRACTS = ("Contracts", "/contracts")
SCHOOLS = ("Schools", "/schools")
CASES = ("Cases", "/cases")
DASHBOARD = ("Finance dashboard", "/finance")
JOURNAL = ("Journal", "/finance/journal")
INVOICES = ("Invoices", "/finance/invoices")
CARD_REFUNDS = ("Card refunds", "/finance/refunds")
LA_INVOICES = ("LA invoices", "/la-invoices")
PERIODS = ("Periods", "/finance/periods")
RENEWALS = ("Renewals", "/finance/renewals")
CATALOGUE = ("Catalogue", "/catalogue")
PROVIDERS = ("Providers", "/providers")
PARTICIPANTS = ("Participants", "/participants")
PROGRAMMES = ("Programmes", "/programmes")
NETWORKS = ("Networks", "/networks")
AUDIT = ("Audit", "/audit")  # for the roles that read some service's audit (AUDIT_READERS)
MESSAGES = ("Messages", "/messages")  # every user's, after their role's own pages

FINANCE_PAGES = (DASHBOARD, JOURNAL, INVOICES, CARD_REFUNDS, LA_INVOICES, RENEWALS, PERIODS, ORDERS)

NAVIGATION: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.SCHOOL: (
        SHOP,
        ("Basket", "/basket"),
        ("Your orders", "/orders"),
        ("Course bookings", "/bookings"),
        ("Renew", "/renewal"),
        ("Rate services", "/ratings"),
    ),
    Role.TRUST_BUYER: (
        SHOP,
        ("Trust basket", "/trust/basket"),
        ("Trust orders", "/orders"),
        ("Course bookings", "/trust/bookings"),
        ("Renew", "/trust/renewal"),
    ),
    Role.SCHOOL_APPROVER: (("Orders to approve", "/approvals"),),
    Role.LA_OFFICER: (CONTRACTS, LA_INVOICES, SCHOOLS, CASES, AUDIT),
    Role.FINANCE: (*FINANCE_PAGES, AUDIT),
    Role.CATALOGUE_ADMIN: (CATALOGUE, PROVIDERS, AUDIT),
    Role.EVALUATOR: (PROGRAMMES, PARTICIPANTS, NETWORKS, AUDIT),
    Role.ADMIN: (
        CONTRACTS,
        SCHOOLS,
        CASES,
        *FINANCE_PAGES,
        CATALOGUE,
        PROVIDERS,
        PROGRAMMES,
        PARTICIPANTS,
        NETWORKS,
        AUDIT,
    ),
}


def home_of(role: Role) -> str:
    return NAVIGATION[role][0][1]
