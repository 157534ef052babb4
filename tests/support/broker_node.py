"""A RabbitMQ node of a test's own on this machine, beside the shared broker, for faults that touch the broker
itself (stopping and starting its app) and so must never be played on a broker other runs use.

The node has a name, ports, data and logs of its own (under a temporary directory), no plugins (so it
contends for no management port), its own Erlang cookie (the temporary directory is its HOME, for the server
and for `rabbitmqctl` alike) and its own configuration files (so it reads nothing of the machine's
/etc/rabbitmq, whose listener is the shared broker's port). A fresh node has the user guest/guest, allowed
from loopback: `make run-services` connects every service with one URL, as it does to the shared broker.
The node is stopped and its directory removed on leaving, whatever happened.

Debian's `/usr/sbin/rabbitmq-server` and `rabbitmqctl` are wrappers that, run as root, switch to the
`rabbitmq` user (who could not read a root-owned temporary directory) and drop HOME: the scripts they wrap
(`/usr/lib/rabbitmq/bin`) are used when present, else those on the PATH (RABBITMQ_SCRIPTS_DIR overrides).
An epmd already running on the machine is shared; if none is, the node starts one, which stays.
"""

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest

START_SECONDS = 120.0
CONTROL_SECONDS = 120.0
DEBIAN_SCRIPTS = Path("/usr/lib/rabbitmq/bin")
# The CLI tools listen on the node's distribution port plus 10000 (up to 10010 more): keep both in range.
DIST_PORTS = (20000, 55000)


class BrokerNodeFailed(RuntimeError):
    """The node did not start, or a `rabbitmqctl` command on it failed: what it said is in the message."""


def scripts_dir() -> Path | None:
    """Where `rabbitmq-server` and `rabbitmqctl` themselves are, or None when RabbitMQ is not installed."""
    if override := os.environ.get("RABBITMQ_SCRIPTS_DIR"):
        return Path(override)
    if (DEBIAN_SCRIPTS / "rabbitmq-server").exists():
        return DEBIAN_SCRIPTS
    found = shutil.which("rabbitmq-server")
    return Path(found).resolve().parent if found else None


@dataclass
class BrokerNode:
    """One running node: its AMQP URL, and the app stopped and started as an operator does."""

    name: str
    amqp_port: int
    dist_port: int
    directory: Path
    scripts: Path
    process: subprocess.Popen[bytes] | None = None
    # Lines of rabbitmq.conf beside the listener: a setting of the deployed brokers', say.
    config_lines: Sequence[str] = ()
    # The CPUs the node may run on (all when None): a broker kept off the cores of what a test measures.
    cpus: frozenset[int] | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    @property
    def log_file(self) -> Path:
        return self.directory / "log" / f"{self.name}.log"

    def ctl(self, *arguments: str, timeout: float = CONTROL_SECONDS) -> str:
        """`rabbitmqctl -n <node> …`: what it printed; BrokerNodeFailed with its output when it fails."""
        done = subprocess.run([str(self.scripts / "rabbitmqctl"), "-q", "-n", self.name, *arguments],
                              env=self._environment(), capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0:
            said = (done.stdout + done.stderr).decode(errors="replace").strip()
            raise BrokerNodeFailed(f"rabbitmqctl {' '.join(arguments)} on {self.name} exited {done.returncode}: "
                                   f"{said[-1500:]}")
        return done.stdout.decode(errors="replace")

    def stop_app(self) -> None:
        """Stop the RabbitMQ application (every connection closed, the port shut), the Erlang node left up."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        """Start the application again; returns once it accepts connections."""
        self.ctl("start_app")
        self.ctl("await_startup", "--timeout", str(int(START_SECONDS)))

    def start(self) -> None:
        for folder in ("home", "mnesia", "log"):
            (self.directory / folder).mkdir(parents=True)
        (self.directory / "rabbitmq.conf").write_text(
            "".join(f"{line}\n" for line in [f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}", *self.config_lines]))
        (self.directory / "enabled_plugins").write_text("[].\n")
        (self.directory / "rabbitmq-env.conf").write_text("")
        output = (self.directory / "server.out").open("wb")
        self.process = subprocess.Popen([str(self.scripts / "rabbitmq-server")], env=self._environment(),
                                        cwd=self.directory, stdin=subprocess.DEVNULL, stdout=output,
                                        stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=on_cpus(self.cpus))
        output.close()
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise BrokerNodeFailed(f"rabbitmq-server for {self.name} exited {self.process.returncode} "
                                       f"before it was up: {self._said()}")
            try:
                # Refused at once while the node has not registered with epmd yet: poll it.
                self.ctl("await_startup", "--timeout", "5", timeout=30)
                return
            except BrokerNodeFailed:
                if time.monotonic() >= deadline:
                    raise BrokerNodeFailed(f"{self.name} not up after {START_SECONDS:.0f} s: {self._said()}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        """Stop the node (gracefully, else killed) and remove its directory."""
        try:
            if self.process is not None and self.process.poll() is None:
                try:
                    self.ctl("stop", timeout=60)
                    self.process.wait(timeout=30)
                except (BrokerNodeFailed, subprocess.TimeoutExpired):
                    os.killpg(self.process.pid, 9)
                    self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _environment(self) -> dict[str, str]:
        kept = {key: value for key, value in os.environ.items()
                if not key.startswith(("RABBITMQ_", "ERL_")) or key == "RABBITMQ_SCRIPTS_DIR"}
        return {**kept, "HOME": str(self.directory / "home"), "RABBITMQ_NODENAME": self.name,
                "RABBITMQ_NODE_PORT": str(self.amqp_port), "RABBITMQ_DIST_PORT": str(self.dist_port),
                "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
                "RABBITMQ_LOG_BASE": str(self.directory / "log"),
                "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq.conf"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
                "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
                "RABBITMQ_PID_FILE": str(self.directory / "node.pid"),
                # A node that fails to start writes its crash dump here, not into the caller's checkout.
                "ERL_CRASH_DUMP": str(self.directory / "erl_crash.dump")}

    def _said(self) -> str:
        """The end of the server's own output and of its log: why it did not start."""
        parts = []
        for path in (self.directory / "server.out", self.log_file):
            if path.exists():
                parts.append(f"[{path.name}] {path.read_text(errors='replace')[-1500:]}")
        return " ".join(parts) or "no output"


def _free_port(low: int = 1024, high: int = 65535) -> int:
    for _ in range(200):
        port = random.randint(low, high)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise BrokerNodeFailed(f"no free port between {low} and {high}")


@contextmanager
def own_broker_node(config_lines: Sequence[str] = (), cpus: frozenset[int] | None = None) -> Iterator[BrokerNode]:
    """A node of the caller's own, up (with `config_lines` in its rabbitmq.conf, on `cpus` when given); stopped
    and removed afterwards. Skips loudly (fails under CI=true) when RabbitMQ is not installed here or the node cannot
    start, saying why."""
    scripts = scripts_dir()
    if scripts is None:
        _cannot("RabbitMQ is not installed here (no rabbitmq-server): cannot start a broker node of the test's own")
    assert scripts is not None
    node = BrokerNode(f"hoso-faults-{uuid4().hex[:8]}@localhost", _free_port(), _free_port(*DIST_PORTS),
                      Path(tempfile.mkdtemp(prefix="hoso-faults-node-")), scripts, config_lines=config_lines,
                      cpus=cpus)
    try:
        try:
            node.start()
        except BrokerNodeFailed as failed:
            _cannot(f"a broker node of the test's own did not start: {failed}")
        yield node
    finally:
        node.stop()


def on_cpus(cpus: frozenset[int] | None) -> Callable[[], None] | None:
    """A child's pre-exec step that keeps it (and what it starts) on `cpus`; None for no restriction."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def _cannot(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(f"SKIPPED, NOT RUN: {reason}")
