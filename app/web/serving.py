"""Running the web app under uvicorn, in one process or several.

With several processes (or `--reload`) uvicorn binds the listening socket itself and leaves
its protocol number at 0 (uvicorn issue 3149, open in 0.54). Accepted connections inherit
that number, and asyncio turns on TCP_NODELAY only for sockets that say IPPROTO_TCP, so
Nagle's algorithm stayed on: every response after the first on a keep-alive connection
waited about 40 ms for the client's delayed ACK. The socket is rebuilt here with the
protocol said, before the worker processes inherit it.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import ChangeReload, Multiprocess

APP = "app.main:app"


class TcpConfig(uvicorn.Config):
    """uvicorn's configuration, binding a TCP listener that says it is TCP."""

    def bind_socket(self) -> socket.socket:
        return said_tcp(super().bind_socket())


def said_tcp(sock: socket.socket) -> socket.socket:
    """The same listening socket, with IPPROTO_TCP as its protocol if it is a TCP one."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
        return sock
    if sock.proto == socket.IPPROTO_TCP:
        return sock
    inheritable = sock.get_inheritable()
    rebuilt = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    rebuilt.set_inheritable(inheritable)
    return rebuilt


def run(host: str, port: int, processes: int, reload: bool) -> None:
    """Serve until interrupted: one process, `processes` workers sharing one listener, or a
    reloading development server."""
    if processes == 1 and not reload:
        # asyncio builds this listener itself, from getaddrinfo, which says TCP.
        uvicorn.run(APP, host=host, port=port, proxy_headers=False)
        return
    config = TcpConfig(
        APP, host=host, port=port, reload=reload, workers=processes, proxy_headers=False
    )
    try:
        if config.should_reload:
            server = uvicorn.Server(config)
            ChangeReload(config, target=server.run, sockets=[config.bind_socket()]).run()
        else:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
    except KeyboardInterrupt:
        pass
