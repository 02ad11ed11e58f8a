from tests.support.orders_shop import localstripe, shop

__all__ = ["localstripe", "shop"]
