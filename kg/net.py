"""Network address checks shared by the faces that listen on a port (HTTP server, MCP)."""

from __future__ import annotations

import ipaddress

__all__ = ["is_loopback"]


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: binding anywhere else needs consent."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
