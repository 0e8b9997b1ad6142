"""Fixtures for the bot's tests: a Redis server of a test's own (to stop, restart or pause), and a real three-node
Redis Cluster formed with redis-cli, for REDIS_CLUSTER=1."""
from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time

import pytest

from tests.bot.harness import RedisServer


def need(*binaries: str) -> None:
    """Fail, saying how to install it, when a Redis binary a test needs is missing."""
    missing = [binary for binary in binaries if shutil.which(binary) is None]
    if missing:
        pytest.fail(f"this test needs {' and '.join(missing)} (apt-get install redis-server)")


def cluster_ports(count: int) -> list[int]:
    """Free ports whose cluster-bus port (port + 10000) is free and valid too."""
    found: list[int] = []
    while len(found) < count:
        port = random.randint(20000, 45000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        if port not in found:
            found.append(port)
    return found


def _ping(port: int) -> str:
    return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory) -> list[int]:
    """Ports of a real three-node cluster (no replicas, no persistence) on loopback, stopped after the module."""
    need("redis-server", "redis-cli")
    ports = cluster_ports(3)
    folder = tmp_path_factory.mktemp("cluster")
    nodes = []
    for port in ports:
        (folder / str(port)).mkdir()
        nodes.append(subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", "nodes.conf", "--save", "", "--appendonly", "no", "--dir", str(folder / str(port))],
            stdout=subprocess.DEVNULL))
    try:
        for port in ports:
            for _ in range(100):
                if _ping(port) == "PONG":
                    break
                time.sleep(0.05)
        subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{p}" for p in ports], "--cluster-replicas", "0",
                        "--cluster-yes"], capture_output=True, check=True, timeout=60)
        for _ in range(200):
            info = subprocess.run(["redis-cli", "-p", str(ports[0]), "cluster", "info"], capture_output=True, text=True).stdout
            if "cluster_state:ok" in info:
                break
            time.sleep(0.05)
        yield ports
    finally:
        for node in nodes:
            node.terminate()
            node.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A started RedisServer of the test's own (append-only file in tmp_path), stopped after the test."""
    need("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
