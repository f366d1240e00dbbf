"""A listening socket of its own for each worker process, so the kernel shares connections
between the workers.

uvicorn's worker processes share the one socket its supervisor binds, and an asyncio server
accepts greedily: whichever worker wakes first takes every connection waiting, and a client
that keeps its connections open (a proxy, a load generator, an integrator's pool) ends up
served by one process while the others idle. With ``SO_REUSEPORT`` (Linux) each worker binds
the same address with its own socket and the kernel spreads new connections across them by
their address hash. uvicorn's supervisor (restarts, signals, health checks) stays as it is:
it hands each worker its "sockets" by pickling them into the new process, and
:class:`OwnSocketPerWorker` unpickles as a freshly bound socket there.
"""

from __future__ import annotations

import socket
import sys

__all__ = ["OwnSocketPerWorker", "balanced_by_kernel", "reserve"]


def balanced_by_kernel() -> bool:
    """Whether this system spreads connections between sockets bound with SO_REUSEPORT
    (Linux does; elsewhere the option only lets sockets share an address)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _bound(host: str, port: int, *, share: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def reserve(host: str, port: int) -> socket.socket:
    """Bind (without listening) the address the workers will share, so that a taken port fails
    here, in the supervisor, with one clear error (OSError), and nobody else takes it while a
    worker restarts. A socket that does not listen is given no connections.

    The address is first bound once *without* SO_REUSEPORT: that fails if anything holds it,
    even another service of the same user that shares it — which SO_REUSEPORT alone would
    silently let this one join."""
    _bound(host, port, share=False).close()
    return _bound(host, port)


def _own_socket(host: str, port: int) -> list[socket.socket]:
    return [_bound(host, port)]


class OwnSocketPerWorker(list[socket.socket]):
    """An empty list in the supervisor; in each worker process it arrives (by pickling, as
    uvicorn passes sockets to a spawned worker) as a list holding a socket bound there."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[object, tuple[str, int]]:  # type: ignore[override]
        return _own_socket, (self.host, self.port)
