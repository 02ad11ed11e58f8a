from shared.settings import ServiceSettings, service_settings_config


class Settings(ServiceSettings):
    service_name = "ledger"
    default_port = 8005
    model_config = service_settings_config(service_name)

    # How often the worker posts the income that has fallen due (it is keyed: reruns are free).
    recognition_every_seconds: float = 300.0
