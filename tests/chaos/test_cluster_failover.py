"""A three-node JetStream cluster with three replicas of every stream: the node leading the
orders stream is killed (SIGKILL) mid-load and started again; the replicas elect another,
publishing and consuming go on, and every invariant holds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.chaos.test_chaos import seed, sqlite_files
from tests.support.chaos.nats import NatsCluster
from tests.support.chaos.run import Options, chaos, running_fleet

pytestmark = pytest.mark.e2e


def test_killing_the_stream_leader_mid_load_loses_nothing_and_applies_nothing_twice(
    tmp_path: Path,
) -> None:
    cluster = NatsCluster().start_all()
    options = Options(seed=seed(), actions=30, per_second=2.0, kills=2, targets=(cluster.LEADER,))
    with running_fleet(cluster, sqlite_files(tmp_path), stream_replicas=3) as fleet:
        first_leader = cluster.leader()
        outcome = asyncio.run(chaos(fleet, options))
        replicas = asyncio.run(stream_replicas(cluster.url))
    report = "\n".join(outcome.lines())
    print(report)
    assert outcome.holds, report
    assert [target for _, target, _ in outcome.kills] == [cluster.LEADER] * 2
    assert first_leader.startswith("nats-")
    assert set(replicas.values()) == {3}


async def stream_replicas(url: str) -> dict[str, int]:
    from shared.messaging.connection import connect_once
    from shared.messaging.streams import PRODUCERS

    connection = await connect_once(url)
    try:
        jetstream = connection.jetstream()
        return {
            producer: (await jetstream.stream_info(producer.upper())).config.num_replicas or 1
            for producer in PRODUCERS
        }
    finally:
        await connection.close()
