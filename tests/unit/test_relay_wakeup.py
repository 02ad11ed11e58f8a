"""A commit's ring resumes the waiting relay on the loop's next turn. On a busy API process each
turn runs every request step that is ready meanwhile: a wake that took three turns kept each
event waiting that much longer before it went out."""

from __future__ import annotations

import asyncio
import time

from shared.messaging.relay import Wakeup


async def waiting(wakeup: Wakeup, seconds: float, woken: list[float]) -> asyncio.Task[None]:
    async def relay() -> None:
        await wakeup.wait(seconds)
        woken.append(time.monotonic())

    task = asyncio.create_task(relay())
    await asyncio.sleep(0)  # the relay now waits
    return task


async def test_a_ring_resumes_the_waiting_relay_on_the_next_turn_of_the_loop() -> None:
    wakeup, woken = Wakeup(), list[float]()
    task = await waiting(wakeup, 60, woken)

    wakeup.ring()
    await asyncio.sleep(0)  # one turn

    assert woken, "the relay was still waiting after one turn of the loop"
    await task


async def test_every_waiter_wakes_when_rung() -> None:
    """An API and a worker of one service in the same process (as in tests) share a wakeup."""
    wakeup, woken = Wakeup(), list[float]()
    tasks = [await waiting(wakeup, 60, woken), await waiting(wakeup, 60, woken)]

    wakeup.ring()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)

    assert len(woken) == 2


async def test_a_ring_before_the_wait_is_not_lost() -> None:
    wakeup = Wakeup()
    wakeup.ring()  # a commit while the relay was publishing

    started = time.monotonic()
    await wakeup.wait(60)
    assert time.monotonic() - started < 1
    # and it is used up: the next wait waits
    later = time.monotonic()
    await wakeup.wait(0.05)
    assert time.monotonic() - later >= 0.05


async def test_unrung_the_relay_looks_again_after_its_poll() -> None:
    wakeup, woken = Wakeup(), list[float]()
    started = time.monotonic()
    await (await waiting(wakeup, 0.05, woken))
    assert 0.05 <= woken[0] - started < 1


async def test_a_relay_stopped_while_it_waits_stops() -> None:
    wakeup, woken = Wakeup(), list[float]()
    task = await waiting(wakeup, 60, woken)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert done == {task} and task.cancelled()
    wakeup.ring()  # nobody waits: nothing breaks, and the ring waits for the next relay
    await asyncio.wait_for(wakeup.wait(60), timeout=1)
