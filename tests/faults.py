"""Parts a fault test breaks on purpose: its own redis-server and a TCP proxy
in front of the loopback PostgreSQL.

Each test starts its own copy and stops only what it started (by PID, or by
closing its own sockets); the shared PostgreSQL and Redis are never touched.
Everything listens on 127.0.0.1 only.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_binary(name: str) -> str:
    """The binary's path; skip without it (fail under REQUIRE_REAL_SERVICES=1)."""
    path = shutil.which(name)
    if path is None:
        reason = f"needs the {name} binary on PATH"
        if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_REAL_SERVICES=1")
        pytest.skip(reason)
    return path


class RedisServer:
    """A throwaway redis-server on a free loopback port, without persistence."""

    def __init__(self):
        self.binary = require_binary("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with {self.process.returncode}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 10 s")

    def kill(self) -> None:
        """Stop it the hard way (the port then refuses connections)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was paused
            self.process.kill()
            self.process.wait(timeout=10)

    def pause(self) -> None:
        """Freeze it: connections are accepted by the kernel, never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class TcpProxy:
    """A loopback TCP proxy to ``target`` that a test can cut and restore.

    ``cut("refuse")`` closes every open connection and the listening socket,
    as a crashed server does (new connections are refused);
    ``cut("blackhole")`` closes the open connections but keeps accepting new
    ones without ever answering, as an unreachable host behind a firewall
    that drops packets does. ``restore()`` forwards again, on the same port.
    """

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._mode = "forward"
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    # -- control -----------------------------------------------------------------

    def start(self) -> "TcpProxy":
        self._listen()
        return self

    def cut(self, mode: str = "refuse") -> None:
        assert mode in ("refuse", "blackhole"), mode
        with self._lock:
            self._mode = mode
        self._close_connections()
        if mode == "refuse":
            self._unlisten()

    def restore(self) -> None:
        with self._lock:
            previous, self._mode = self._mode, "forward"
        # Held connections of a black hole never carried a byte: drop them.
        self._close_connections()
        if previous == "refuse":
            self._listen()

    def stop(self) -> None:
        self._stopped.set()
        self._unlisten()
        self._close_connections()

    # -- internals ---------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._thread = threading.Thread(
            target=self._accept_loop, args=(listener,), daemon=True
        )
        self._thread.start()

    def _unlisten(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            _shut(listener)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _track(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._sockets.update(sockets)

    def _close_connections(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _shut(sock)

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                mode = self._mode
            if mode == "blackhole":
                self._track(client)  # held open, never read nor answered
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._track(client, upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            # Both directions end; the sockets are closed by _close_connections.
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
