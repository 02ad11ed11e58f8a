from shared.settings import ServiceSettings, service_settings_config


class Settings(ServiceSettings):
    service_name = "catalogue"
    default_port = 8001
    model_config = service_settings_config(service_name)
