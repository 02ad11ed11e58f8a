from shared.settings import service_settings_config
from shared.supplier import InvoicingSettings


class Settings(InvoicingSettings):
    service_name = "commissioning"
    default_port = 8003
    model_config = service_settings_config(service_name)

    # The supplier on every contract in the register, unless a contract names another.
    company_name: str = "Schools Company Ltd"
    # The customer on every invoice for a statutory contract.
    la_name: str = "Hertfordshire County Council"
    la_invoice_address: str = "County Hall, Pegs Lane, Hertford SG13 8DQ"
    # A variation that changes a contract's value by more than this (pence) takes effect only
    # once a second, different person approves it.
    variation_second_approval_over_pence: int = 5_000_000
