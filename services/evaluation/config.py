from shared.settings import ServiceSettings, service_settings_config


class Settings(ServiceSettings):
    service_name = "evaluation"
    default_port = 8004
    model_config = service_settings_config(service_name)
