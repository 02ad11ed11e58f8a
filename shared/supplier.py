"""Who invoices, and where to pay: the company's legal particulars and bank details, the same on
every invoice to a school or to the LA. Read from settings (PLATFORM_SUPPLIER_VAT_NUMBER, …);
the defaults are placeholders for the demo, and every invoice carrying one says so."""

from __future__ import annotations

from dataclasses import dataclass

from shared.settings import ServiceSettings

DEMO_PLACEHOLDERS = {
    "supplier_legal_name": "Schools Company Ltd (demo placeholder)",
    "supplier_address": "1 Example Road, Hertford SG13 0ZZ (demo placeholder)",
    "supplier_vat_number": "GB 000 0000 00 (demo placeholder)",
    "bank_account_name": "Schools Company Ltd (demo placeholder)",
    "bank_sort_code": "00-00-00 (demo placeholder)",
    "bank_account_number": "00000000 (demo placeholder)",
}


@dataclass(frozen=True)
class Supplier:
    legal_name: str
    address: str
    vat_number: str
    bank_account_name: str
    bank_sort_code: str
    bank_account_number: str
    placeholders: bool  # any detail still the demo's placeholder: the invoice says so


class InvoicingSettings(ServiceSettings):
    """Settings of a service that issues VAT invoices."""

    invoice_payment_days: int = 30
    supplier_legal_name: str = DEMO_PLACEHOLDERS["supplier_legal_name"]
    supplier_address: str = DEMO_PLACEHOLDERS["supplier_address"]  # lines separated by ", "
    supplier_vat_number: str = DEMO_PLACEHOLDERS["supplier_vat_number"]
    bank_account_name: str = DEMO_PLACEHOLDERS["bank_account_name"]
    bank_sort_code: str = DEMO_PLACEHOLDERS["bank_sort_code"]
    bank_account_number: str = DEMO_PLACEHOLDERS["bank_account_number"]

    @property
    def supplier(self) -> Supplier:
        return Supplier(
            legal_name=self.supplier_legal_name,
            address=self.supplier_address,
            vat_number=self.supplier_vat_number,
            bank_account_name=self.bank_account_name,
            bank_sort_code=self.bank_sort_code,
            bank_account_number=self.bank_account_number,
            placeholders=any(getattr(self, k) == v for k, v in DEMO_PLACEHOLDERS.items()),
        )
