"""The notifications API's HTTP models (declared in shared.api.notifications), built from the
messages it stores."""

from __future__ import annotations

from services.notifications.adapters.messages import StoredMessage
from shared.api import notifications as contract


class MessagePublic(contract.MessagePublic):
    @classmethod
    def of(cls, message: StoredMessage) -> MessagePublic:
        fields = {name: getattr(message, name) for name in cls.model_fields if name != "read"}
        return cls(**fields, read=message.read_at is not None)
