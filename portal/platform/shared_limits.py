"""Rate-limit counters in a file that every gunicorn worker on the host maps
into memory (``file+shared://<path>``, the default without Redis).

Counted in each worker's memory, "30 per minute" let 90 through with three
workers; here the workers share one table, so a limit is exact across them,
for the cost of two ``flock`` calls and a few reads of shared memory per hit
(bench/RESULTS.md). Several instances on other hosts still need Redis.

The table is open addressing over a fixed number of slots, each holding a
key's digest, the end of its window and its count (limits' fixed window). A
slot whose window has ended is free again; if every slot a key may use holds
a live window (tens of thousands of addresses at once), the one ending soonest
gives way.
"""
from __future__ import annotations

import fcntl
import mmap
import os
import struct
import threading
import time
from contextlib import contextmanager
from hashlib import blake2b
from pathlib import Path

from limits.storage import Storage

SLOT = struct.Struct("<8sdq")  # key digest, end of the window (epoch seconds), count
SLOTS = 1 << 16
SIZE = SLOT.size * SLOTS  # 1.5 MB
PROBES = 32
NEVER_USED = bytes(8)


def _digest(key: str) -> bytes:
    return blake2b(key.encode(), digest_size=8).digest()


class SharedFileStorage(Storage):
    """limits' storage for fixed windows, shared by the processes that open one file."""

    STORAGE_SCHEME = ["file+shared"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        self.path = Path(uri.split("://", 1)[1])
        self._pid = None
        self._threads = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        """limits: the errors of this storage."""
        return OSError

    def _mapped(self):
        # Each process opens the file itself: a descriptor inherited across
        # fork shares its flock with the parent and siblings, so it would not
        # keep them out.
        if self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if os.fstat(fd).st_size < SIZE:
                os.ftruncate(fd, SIZE)  # zeros: every slot never used
            self._fd, self._map, self._pid = fd, mmap.mmap(fd, SIZE), os.getpid()
        return self._fd, self._map

    @contextmanager
    def _locked(self):
        with self._threads:
            fd, table = self._mapped()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield table
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    @staticmethod
    def _find(table, digest: bytes, now: float) -> tuple[int, int, float]:
        """(offset, count, end) of the key's live window, count 0 when it has none:
        then offset is where to start one."""
        start = int.from_bytes(digest, "little") % SLOTS
        free = soonest = None
        for probe in range(PROBES):
            offset = (start + probe) % SLOTS * SLOT.size
            found, end, count = SLOT.unpack_from(table, offset)
            if end > now:
                if found == digest:
                    return offset, count, end
                if soonest is None or end < soonest[1]:
                    soonest = (offset, end)
                continue
            if free is None:
                free = offset
            if found == NEVER_USED:  # a key is never placed beyond a slot never used
                break
        return (free if free is not None else soonest[0]), 0, now

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add to the key's count, starting a window of ``expiry`` seconds if it has none."""
        digest, now = _digest(key), time.time()
        with self._locked() as table:
            offset, count, end = self._find(table, digest, now)
            if not count:
                end = now + expiry
            SLOT.pack_into(table, offset, digest, end, count + amount)
        return count + amount

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none is running)."""
        with self._locked() as table:
            return self._find(table, _digest(key), time.time())[1]

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (now when none is running)."""
        with self._locked() as table:
            return self._find(table, _digest(key), time.time())[2]

    def clear(self, key: str) -> None:
        """End the key's window."""
        digest = _digest(key)
        with self._locked() as table:
            offset, count, _ = self._find(table, digest, time.time())
            if count:
                SLOT.pack_into(table, offset, digest, 0.0, 0)

    def reset(self) -> None:
        """Forget every counter."""
        with self._locked() as table:
            table[:] = bytes(SIZE)

    def check(self) -> bool:
        """The file can be opened and mapped."""
        try:
            self._mapped()
        except OSError:
            return False
        return True
