from shared.settings import (
    OFF_THE_MONEY_PATH_GATHER_SECONDS,
    ServiceSettings,
    service_settings_config,
)


class Settings(ServiceSettings):
    service_name = "evaluation"
    default_port = 8004
    default_gather_seconds = OFF_THE_MONEY_PATH_GATHER_SECONDS
    model_config = service_settings_config(service_name)

    # a provider whose average rating falls below this, over at least this many ratings,
    # is flagged for a review of its quality assurance
    rating_flag_threshold: float = 3.0
    rating_flag_minimum: int = 3
