from shared.settings import ServiceSettings, service_settings_config


class Settings(ServiceSettings):
    service_name = "commissioning"
    default_port = 8003
    model_config = service_settings_config(service_name)

    invoice_payment_days: int = 30
    # The supplier on every contract in the register, unless a contract names another.
    company_name: str = "Schools Company Ltd"
