from services.notifications.adapters.messages import Messages
from services.notifications.adapters.read_models import ReadModels
from shared.uow import UnitOfWork


class NotificationsUnitOfWork(UnitOfWork):
    @property
    def messages(self) -> Messages:
        return Messages(self.session)

    @property
    def read_models(self) -> ReadModels:
        return ReadModels(self.session)
