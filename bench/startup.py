"""Benchmark: how long a worker takes to be back at work after a crash, and where the time goes.

For each service's worker it measures, on a nats-server of its own and migrated SQLite files:

    interpreter   `python -c pass` (the floor: every restart pays it)
    imports       importing the CLI's registry and building the service and its worker (no I/O)
    checks        connect, check every stream (create or update), bind every durable consumer,
                  the streams and consumers already there, as after a crash
    restart       spawn `schools-platform worker <name>` -> its log says "worker running"
                  (connected, streams checked, consumers started, relay started); then SIGKILL;
                  and the CPU seconds the worker used until then, which is about what the
                  restart takes on an idle machine (the wall-clock time includes waiting for
                  the CPU while other work runs)

With `--compare DIR` (another checkout, e.g. `git worktree add /tmp/before main`) it measures
that tree's workers too, alternating with this one's in the same run on the same server, and
prints this tree's restart as a ratio of the other's: the machine may be shared, so only
same-run ratios compare. Run from the repository root (median and max of --runs restarts):

    .venv/bin/python bench/startup.py --runs 5 [--compare /tmp/before]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from services import registry  # noqa: E402
from tests.support.nats_server import NatsServer, free_port  # noqa: E402

IMPORTS = (
    "import time; began = time.perf_counter(); from services import registry; "
    "registry.service({name!r}).worker(); print(time.perf_counter() - began)"
)
CHECKS = """
import asyncio, time
from services import registry
from shared.messaging.streams import ensure_streams

async def checks():
    worker = registry.service({name!r}).worker()
    began = time.perf_counter()
    await ensure_streams(worker.link.url, replicas=worker.stream_replicas)
    await worker.link.connect()
    await asyncio.gather(*(each._bind(worker.link.jetstream) for each in worker.consumers))
    print(time.perf_counter() - began)
    await worker.link.close()

asyncio.run(checks())
"""


def seconds_to_run(command: list[str], tree: Path, env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=tree, capture_output=True)
    return time.perf_counter() - began


def timed_in_process(code: str, tree: Path, env: dict[str, str]) -> float:
    """What the snippet prints: a time it measured itself, past the interpreter's start."""
    found = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=tree, env=env, capture_output=True, text=True
    )
    return float(found.stdout.strip().splitlines()[-1])


def restart(name: str, tree: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Seconds from spawn to "worker running", and the CPU seconds the worker used meanwhile
    (what the start costs, whatever else the machine is doing)."""
    began = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker", name],
            env=env,
            cwd=tree,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while f"{name} worker running" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.perf_counter() - began > 120:
                raise RuntimeError(f"{name} worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.01)
        seconds = time.perf_counter() - began
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = -signal.SIGKILL
    return seconds, usage.ru_utime + usage.ru_stime


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", nargs="*", default=list(registry.NAMES))
    parser.add_argument("--compare", type=Path, help="another checkout, measured in the same run")
    args = parser.parse_args()
    trees = {"this": REPOSITORY} | ({"compared": args.compare.resolve()} if args.compare else {})
    nats = NatsServer().start()
    folder = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATS_")}
    env |= {"NATS_URL": nats.url, "PLATFORM_DATA_DIR": str(folder)}
    for name in registry.NAMES:
        env[f"{name.upper()}_METRICS_PORT"] = str(free_port())
    print(f"start: {load_average()}")
    try:
        migrate = [sys.executable, "-m", "services.cli", "migrate"]
        subprocess.run(migrate, env=env, cwd=REPOSITORY, check=True, capture_output=True)
        interpreter = seconds_to_run([sys.executable, "-c", "pass"], REPOSITORY)
        print(f"interpreter start: {interpreter:.2f} s")
        print(
            f"{'worker':<15}{'tree':<10}{'imports s':>10}{'checks s':>10}"
            f"{'restart median s':>18}{'max s':>8}{'CPU s':>8}{'restart / compared':>20}"
        )
        for name in args.services:
            restarts: dict[str, list[tuple[float, float]]] = {label: [] for label in trees}
            for tree in trees.values():  # the first start creates the streams and consumers
                restart(name, tree, env, folder / f"{name}.log")
            for _ in range(args.runs):  # alternating, so both see the same moments of load
                for label, tree in trees.items():
                    restarts[label].append(restart(name, tree, env, folder / f"{name}.log"))
            for label, tree in trees.items():
                imports = timed_in_process(IMPORTS.format(name=name), tree, env)
                checks = timed_in_process(CHECKS.format(name=name), tree, env)
                times = [seconds for seconds, _ in restarts[label]]
                cpu = statistics.median(used for _, used in restarts[label])
                ratio = (
                    f"{statistics.median(times) / statistics.median(compared):>20.2f}"
                    if label == "this"
                    and (compared := [seconds for seconds, _ in restarts.get("compared", [])])
                    else ""
                )
                print(
                    f"{name:<15}{label:<10}{imports:>10.2f}{checks:>10.2f}"
                    f"{statistics.median(times):>18.2f}{max(times):>8.2f}{cpu:>8.2f}{ratio}",
                    flush=True,
                )
    finally:
        nats.remove()
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
