from shared.settings import (
    OFF_THE_MONEY_PATH_GATHER_SECONDS,
    ServiceSettings,
    service_settings_config,
)


class Settings(ServiceSettings):
    service_name = "catalogue"
    default_port = 8001
    default_gather_seconds = OFF_THE_MONEY_PATH_GATHER_SECONDS
    model_config = service_settings_config(service_name)

    home_la_code: str = "919"  # Hertfordshire: schools elsewhere pay the out-of-area price
    place_offer_hours: int = 48  # how long a freed place is held for the next school waiting
    # how often the worker calls off the sessions still under their minimum at their decision
    # date, and closes the waiting lists of those that can no longer be booked
    session_decision_every_seconds: float = 3600.0
    offer_expiry_every_seconds: float = 300.0  # how often offers not accepted in time lapse
