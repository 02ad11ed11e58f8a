"""Benchmark: how long a worker takes to be back at work after a crash.

For each service's worker it measures, on a nats-server of its own and a migrated SQLite file:

    interpreter   `python -c pass`
    imports       importing the CLI and building the service and its worker (no I/O)
    restart       spawn `schools-platform worker <name>` -> its log says "worker running"
                  (connected, streams checked, every durable consumer bound, relay started),
                  the streams and consumers already there, as after a crash; then SIGKILL

Run from the repository root (median and max of --runs restarts):

    .venv/bin/python bench/startup.py --runs 5
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


def seconds_to_run(command: list[str], env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=REPOSITORY, capture_output=True)
    return time.perf_counter() - began


def imports(name: str) -> float:
    found = subprocess.run(
        [sys.executable, "-c", IMPORTS.format(name=name)],
        check=True,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
    )
    return float(found.stdout.strip())


def restart(name: str, env: dict[str, str], log: Path) -> float:
    began = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "worker", name],
            env=env,
            cwd=REPOSITORY,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while f"{name} worker running" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.perf_counter() - began > 120:
                raise RuntimeError(f"{name} worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.01)
        return time.perf_counter() - began
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", nargs="*", default=list(registry.NAMES))
    args = parser.parse_args()
    nats = NatsServer().start()
    folder = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NATS_")}
    env |= {"NATS_URL": nats.url, "PLATFORM_DATA_DIR": str(folder)}
    for name in registry.NAMES:
        env[f"{name.upper()}_METRICS_PORT"] = str(free_port())
    try:
        subprocess.run(
            [sys.executable, "-m", "services.cli", "migrate"], env=env, cwd=REPOSITORY, check=True
        )
        interpreter = seconds_to_run([sys.executable, "-c", "pass"])
        print(f"interpreter start: {interpreter:.2f} s")
        print(f"{'worker':<16}{'imports s':>10}{'restart median s':>18}{'max s':>8}")
        for name in args.services:
            restart(name, env, folder / f"{name}.log")  # the first start creates the consumers
            times = [restart(name, env, folder / f"{name}.log") for _ in range(args.runs)]
            print(
                f"{name:<16}{imports(name):>10.2f}"
                f"{statistics.median(times):>18.2f}{max(times):>8.2f}"
            )
    finally:
        nats.remove()


if __name__ == "__main__":
    main()
