"""Telling systemd how the kiosk is doing, through ``$NOTIFY_SOCKET`` (its ``sd_notify``
protocol: one datagram of ``KEY=value`` lines to a unix socket), without a library for it.

The service is ``Type=notify`` with ``WatchdogSec=`` (assets/kiosk/thereturn.service): the kiosk
says ``READY=1`` once its first frame is on the screen and ``WATCHDOG=1`` from its drawing loop,
so a loop that stops drawing stops the pings and systemd restarts the kiosk; ``STOPPING=1`` on
a deliberate stop, which systemd then leaves alone. Outside systemd there is no socket and every
call here does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field

log = logging.getLogger("thereturn.kiosk")


def socket_address(name: str) -> str | bytes | None:
    """Where to send: a path, an abstract socket (systemd writes it with a leading ``@``, the
    kernel wants a NUL byte), or None for an address this module cannot reach.

    >>> socket_address("/run/user/1000/systemd/notify")
    '/run/user/1000/systemd/notify'
    >>> socket_address("@/org/freedesktop/systemd1/notify/42")
    b'\\x00/org/freedesktop/systemd1/notify/42'
    >>> socket_address("vsock:2:1234") is None
    True
    """
    if name.startswith("@"):
        return b"\0" + name[1:].encode()
    if name.startswith("/"):
        return name
    return None


def watchdog_seconds(environ: Mapping[str, str], pid: int) -> float | None:
    """The watchdog's period when systemd set one for this process (``WATCHDOG_USEC``, and
    ``WATCHDOG_PID`` naming us when it is there), else None.

    >>> watchdog_seconds({"WATCHDOG_USEC": "30000000"}, 7)
    30.0
    >>> watchdog_seconds({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "8"}, 7) is None
    True
    >>> watchdog_seconds({"WATCHDOG_USEC": "soon"}, 7) is None
    True
    """
    owner = environ.get("WATCHDOG_PID")
    if owner is not None and owner != str(pid):
        return None  # meant for a process that started us
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 1e6 if usec > 0 else None


@dataclass
class Notifier:
    """The kiosk's line to systemd. ``address`` None: not started by systemd, nothing sent."""

    address: str | None = None
    #: the period systemd expects a ``WATCHDOG=1`` within (s), or None when it watches nothing
    watchdog: float | None = None
    _socket: socket.socket | None = field(default=None, repr=False)
    _failed: bool = field(default=False, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET") or None, watchdog_seconds(env, os.getpid()))

    @property
    def ping_every(self) -> float | None:
        """How often the drawing loop pings: four times a period, so a slow frame or two (a
        loop starting, the garbage swept) never comes near it."""
        return self.watchdog / 4.0 if self.watchdog is not None else None

    def send(self, *lines: str) -> bool:
        """Send one message; a failure is logged once and never stops the kiosk."""
        if self.address is None:
            return False
        target = socket_address(self.address)
        if target is None:
            self._fail(f"cannot reach NOTIFY_SOCKET={self.address}: only unix sockets are spoken")
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)  # never the drawing loop waiting on systemd
            self._socket.sendto("\n".join(lines).encode(), target)
        except BlockingIOError:
            self._fail(f"systemd is not reading its notify socket {self.address}: message dropped")
            return False
        except OSError as exc:
            self._fail(f"cannot notify systemd at {self.address}: {exc}")
            return False
        return True

    def ready(self, status: str) -> bool:
        return self.send("READY=1", f"STATUS={status}", f"MAINPID={os.getpid()}")

    def ping(self) -> bool:
        return self.send("WATCHDOG=1")

    def status(self, status: str) -> bool:
        return self.send(f"STATUS={status}")

    def stopping(self, status: str) -> bool:
        return self.send("STOPPING=1", f"STATUS={status}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _fail(self, message: str) -> None:
        if not self._failed:
            log.warning(message)
        self._failed = True
