"""A durable pull consumer that works in batches: fetch what is there (up to a batch size, without
waiting to fill it), apply it in one transaction, then ack every message. An event that fails is
redelivered after a backoff and, after its last delivery, parked with an alarm."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass

import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from shared import metrics
from shared.db import Sessions
from shared.messaging.alarms import park
from shared.messaging.consumer import Subscription, apply_batch
from shared.messaging.relay import stopping
from shared.messaging.tables import MessagingTables

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    batch_size: int = 256
    max_deliveries: int = 5  # then the event is parked in dead_letters
    ack_wait_seconds: float = 30.0  # a batch not acked by then is redelivered
    backoff_seconds: tuple[float, ...] = (1.0, 5.0, 30.0)  # before the 2nd, 3rd, later delivery
    max_ack_pending: int = 1024
    idle_fetch_seconds: float = 5.0  # how long one fetch waits when nothing arrives
    gather_seconds: float = 0.0  # after a batch, how long to let the next one gather

    def delay_after(self, deliveries: int) -> float:
        # Jittered: events that failed together (racing on one row) must not retry in lockstep.
        delay = self.backoff_seconds[min(deliveries, len(self.backoff_seconds)) - 1]
        return delay * random.uniform(0.5, 1.5)

    def consumer_config(self, subscription: Subscription) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=subscription.durable,
            filter_subject=subscription.subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_seconds,
            # The server never gives up on a message by itself: we park it, so none is lost.
            max_deliver=-1,
            max_ack_pending=self.max_ack_pending,
        )


class BatchedConsumer:
    def __init__(
        self,
        subscription: Subscription,
        *,
        policy: DeliveryPolicy,
        sessions: Sessions,
        tables: MessagingTables,
    ) -> None:
        self.subscription = subscription
        self.policy = policy
        self._sessions = sessions
        self._tables = tables

    async def run_forever(self, jetstream: JetStreamContext) -> None:
        pull = await self._bind(jetstream)
        while True:
            try:
                messages = await pull.fetch(self.policy.batch_size, self.policy.idle_fetch_seconds)
            except (nats.errors.TimeoutError, TimeoutError):  # nothing came: fetch again
                # nats-py's fetch may turn the cancellation that stops us into a timeout
                if stopping():
                    raise asyncio.CancelledError from None
                continue
            except Exception as error:  # NATS away: the messages wait on the server
                if stopping():
                    raise asyncio.CancelledError from None
                log.warning("%s: fetch failed (%r); retrying", self.subscription.durable, error)
                await asyncio.sleep(1.0)
                continue
            try:
                await self.handle(messages)
            except Exception:  # the database away: what was not acked comes back after ack_wait
                if stopping():
                    raise asyncio.CancelledError from None
                log.exception("%s: a batch could not be handled", self.subscription.durable)
                await asyncio.sleep(1.0)
                continue
            if messages and len(messages) < self.policy.batch_size and self.policy.gather_seconds:
                await asyncio.sleep(self.policy.gather_seconds)

    async def handle(self, messages: list[Msg]) -> None:
        if not messages:  # a fetch that ran out its time may return none
            return
        consumer, subject = self.subscription.consumer, self.subscription.subject
        metrics.consumer_batch(consumer, subject, len(messages))
        # Given before: after a failure (a nak), or to a worker that died before its ack.
        if again := sum(message.metadata.num_delivered > 1 for message in messages):
            metrics.events_redelivered(consumer, subject, again)
        readable = []
        for message in messages:
            try:
                readable.append((message, self.subscription.envelope(message.data)))
            except ValueError as error:  # a retry cannot help a body that is not the event
                await self._park(message, error)
        outcomes = await apply_batch(
            [envelope for _, envelope in readable],
            uow_factory=self.subscription.uow_factory,
            apply=self.subscription.apply,
        )
        for (message, _), outcome in zip(readable, outcomes, strict=True):
            if not isinstance(outcome, Exception):
                await message.ack()
                if outcome:  # not a redelivery of one the inbox holds
                    metrics.events_applied(self.subscription.consumer, message.subject)
        for (message, envelope), outcome in zip(readable, outcomes, strict=True):
            if isinstance(outcome, Exception):
                await self._retry_or_park(message, outcome, str(envelope.event_id))

    async def _retry_or_park(self, message: Msg, error: Exception, event_id: str) -> None:
        deliveries = message.metadata.num_delivered
        if deliveries >= self.policy.max_deliveries:
            await self._park(message, error, event_id=event_id)
            return
        log.warning(
            "%s: event %s failed on delivery %d, will be retried: %r",
            self.subscription.durable,
            event_id,
            deliveries,
            error,
        )
        await message.nak(delay=self.policy.delay_after(deliveries))

    async def _park(self, message: Msg, error: Exception, *, event_id: str | None = None) -> None:
        headers = message.headers or {}
        await park(
            self._sessions,
            self._tables,
            event_id=event_id
            or headers.get("Nats-Msg-Id")
            or f"stream-sequence-{message.metadata.sequence.stream}",
            subject=message.subject,
            consumer=self.subscription.durable,
            deliveries=message.metadata.num_delivered,
            error=repr(error),
            body=message.data.decode(errors="replace"),
        )
        await message.term()
        metrics.events_parked(self.subscription.consumer, message.subject)

    async def _bind(self, jetstream: JetStreamContext) -> JetStreamContext.PullSubscription:
        subscription = self.subscription
        while True:
            try:
                # Creates the durable consumer, or brings an existing one up to this policy.
                await jetstream.add_consumer(
                    subscription.stream, self.policy.consumer_config(subscription)
                )
                return await jetstream.pull_subscribe_bind(
                    durable=subscription.durable, stream=subscription.stream
                )
            except Exception as error:  # JetStream not answering yet
                if stopping():
                    raise asyncio.CancelledError from None
                log.warning("%s: cannot bind yet (%r)", subscription.durable, error)
                await asyncio.sleep(1.0)
