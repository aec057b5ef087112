"""An httpx transport that connects only to addresses checked beforehand (decision 0011).

The URL's host still names the server: httpx sends it in the ``Host`` header and httpcore
gives it to TLS for SNI and the certificate check. Only the TCP connection goes to a pinned
address instead of asking DNS again, which could answer differently (DNS rebinding).
"""

from __future__ import annotations

import typing
from collections.abc import Sequence

import httpcore
import httpx

from .url_safety import Address


class PinnedBackend(httpcore.NetworkBackend):
    """httpcore's own blocking backend, dialling the pinned addresses in order."""

    def __init__(self, addresses: Sequence[Address]) -> None:
        if not addresses:
            raise ValueError("no address to connect to")
        self._addresses = [str(address) for address in addresses]
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in self._addresses:
            try:
                return self._backend.connect_tcp(
                    address, port, timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` (HTTP/1.1, no proxy) whose connections go to ``addresses``."""

    def __init__(self, addresses: Sequence[Address]) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context)
        # HTTPTransport takes no network backend: its pool is replaced by one that has ours
        # (HTTPTransport's request handling, closing and context manager use only the pool).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=PinnedBackend(addresses)
        )
