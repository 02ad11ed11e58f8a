from shared.settings import ServiceSettings, service_settings_config


class Settings(ServiceSettings):
    service_name = "orders"
    default_port = 8002
    model_config = service_settings_config(service_name)

    invoice_payment_days: int = 30
