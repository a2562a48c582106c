"""A real network partition for tests: the database's packets are dropped, not refused.

The app reaches PostgreSQL through a forwarder inside a network namespace, across a veth
pair: ``app → 10.x.y.2:PORT (namespace) → 10.x.y.1:PORT (host) → 127.0.0.1:5432``. Taking
the namespace's end of the pair down makes the kernel drop everything the app sends,
with no reset and no "refused": what a cut cable or a firewall that drops looks like.
Needs root and iproute2 (``ip netns``); ``python -m tests.network_partition`` is the
forwarder itself.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def possible() -> str | None:
    """None when a partition can be made here, else why not."""
    if os.geteuid() != 0:
        return "needs root (ip netns)"
    if shutil.which("ip") is None:
        return "needs iproute2 (ip)"
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


class Partition:
    """A forwarded path to ``target_port`` on this machine that can be cut and healed."""

    def __init__(self, target_port: int) -> None:
        tag = f"{random.getrandbits(24):06x}"
        self.namespace, self.host_end, self.far_end = f"yq{tag}", f"yq{tag}h", f"yq{tag}n"
        net = f"10.{random.randint(200, 250)}.{random.randint(0, 255)}"
        self.host_ip, self.far_ip = f"{net}.1", f"{net}.2"
        self.port = 6543
        self._processes: list[subprocess.Popen] = []
        _ip("netns", "add", self.namespace)
        try:
            _ip("link", "add", self.host_end, "type", "veth", "peer", "name", self.far_end)
            _ip("link", "set", self.far_end, "netns", self.namespace)
            _ip("addr", "add", f"{self.host_ip}/30", "dev", self.host_end)
            _ip("link", "set", self.host_end, "up")
            _ip("netns", "exec", self.namespace, "ip", "addr", "add", f"{self.far_ip}/30", "dev", self.far_end)
            _ip("netns", "exec", self.namespace, "ip", "link", "set", self.far_end, "up")
            _ip("netns", "exec", self.namespace, "ip", "link", "set", "lo", "up")
            forward = [sys.executable, "-m", "tests.network_partition"]
            self._start([*forward, self.host_ip, str(self.port), "127.0.0.1", str(target_port)])
            self._start(
                ["ip", "netns", "exec", self.namespace, *forward, self.far_ip, str(self.port), self.host_ip, str(self.port)]
            )
            self._wait_open()
        except BaseException:
            self.close()
            raise

    @property
    def address(self) -> tuple[str, int]:
        """Where the app connects."""
        return self.far_ip, self.port

    def _start(self, command: list[str]) -> None:
        self._processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def _wait_open(self, timeout: float = 10) -> None:
        import socket

        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(self.address, timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def cut(self) -> None:
        """Packets to the database are dropped from now on."""
        _ip("netns", "exec", self.namespace, "ip", "link", "set", self.far_end, "down")

    def heal(self) -> None:
        _ip("netns", "exec", self.namespace, "ip", "link", "set", self.far_end, "up")

    def close(self) -> None:
        for process in self._processes:
            process.kill()
            process.wait()
        subprocess.run(["ip", "link", "del", self.host_end], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)


@contextmanager
def partitioned_test_city(url: str) -> Iterator[tuple[Partition, str]]:
    """The hand-built test city loaded into the empty database at ``url``, reached only
    through a cuttable path: (the partition, the URL to connect to). Where no partition can
    be made the test is skipped, or fails under CI=true (CI runs as root)."""
    import pytest
    from sqlalchemy.engine import make_url

    from data_access.engine import make_engine, upgrade_schema
    from tests import fixtures_data

    why_not = possible()
    if why_not:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"the partition test {why_not}; CI runs it as root", pytrace=False)
        pytest.skip(f"the partition test {why_not}")
    engine = make_engine(url)
    upgrade_schema(engine)
    fixtures_data.load(engine)
    engine.dispose()
    direct = make_url(url)
    partition = Partition(direct.port or {"postgresql": 5432}.get(direct.get_backend_name(), 3306))
    host, port = partition.address
    try:
        yield partition, direct.set(host=host, port=port).render_as_string(hide_password=False)
    finally:
        partition.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def _forward(listen_host: str, listen_port: int, target_host: str, target_port: int) -> None:
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))

    server = await asyncio.start_server(handle, listen_host, listen_port, reuse_address=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    host, port, target_host, target_port = sys.argv[1:5]
    asyncio.run(_forward(host, int(port), target_host, int(target_port)))
