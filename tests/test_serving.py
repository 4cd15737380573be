"""The listener `serve` shares between its processes turns Nagle's algorithm off."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from app.web.serving import TcpConfig, said_tcp


def nodelay_of_accepted_connection(listener: socket.socket) -> int:
    """TCP_NODELAY on the connection asyncio accepts from `listener`, as uvicorn's workers
    accept theirs."""
    seen: list[int] = []

    class Report(asyncio.Protocol):
        def connection_made(self, transport):
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        server = await asyncio.get_running_loop().create_server(Report, sock=listener)
        host, port = listener.getsockname()[:2]
        _, writer = await asyncio.open_connection(host, port)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(accept_one())
    return seen[0]


def test_uvicorns_own_shared_listener_leaves_nagle_on():
    # The upstream bug this module works around (uvicorn issue 3149). When this fails,
    # uvicorn has fixed it and TcpConfig can go.
    listener = uvicorn.Config("app.main:app", host="127.0.0.1", port=0).bind_socket()
    assert listener.proto == 0
    assert nodelay_of_accepted_connection(listener) == 0


def test_our_shared_listener_turns_nagle_off():
    listener = TcpConfig("app.main:app", host="127.0.0.1", port=0, workers=2).bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    assert listener.get_inheritable()  # the worker processes must receive it
    assert nodelay_of_accepted_connection(listener) == 1


def test_only_tcp_listeners_are_rebuilt(tmp_path):
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(tmp_path / "s"))
    assert said_tcp(unix) is unix
    unix.close()
    v6 = socket.socket(socket.AF_INET6)
    rebuilt = said_tcp(v6)
    assert rebuilt.family == socket.AF_INET6 and rebuilt.proto == socket.IPPROTO_TCP
    rebuilt.close()
