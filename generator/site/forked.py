"""Work done in a second process while this one does other work: render's downloads and provider pages (issue 20).

The child is forked once the build context is made, so it reads the context without a copy: gc.freeze(),
until the child ends, keeps either process's collector from writing to (and so copying) the objects made
before the fork. What it yields comes back in batches (the first item at once), which a thread here
receives; with listens=True it can also wait for the parent's word (render.Later: where to write its pages,
so that they need not come back at all). An error in the child is raised here, with its traceback as the
message; the child ends when this process ends, however it ends (die_with_parent).
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import traceback
from typing import Any, Callable, Iterable, Iterator

try:
    import fcntl
except ImportError:  # not on Windows, where nothing is forked
    fcntl = None  # type: ignore[assignment]

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
BATCH = 64  # items per message: few enough messages, small enough batches
PIPE_BYTES = 1 << 20  # the largest pipe Linux gives without privileges (/proc/sys/fs/pipe-max-size)


def _wide(conn) -> None:
    """A 1 MB pipe (Linux; 64 KB by default): the receiving thread reads a batch in a few large pieces, each
    waiting for the main thread to let go of the GIL, instead of in many small ones (at England scale the
    child spent most of its time waiting to send)."""
    if fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    try:
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass


def give_back_memory() -> None:
    """Hand freed heap memory back to the system. glibc keeps it otherwise: 1.6 of the 2.9 GB the build holds after
    compare() at England scale. Called between stages, and before a fork so the child shares a smaller image.
    A no-op where the C library has no malloc_trim."""
    try:
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return
    if trim is not None:
        trim(0)


def die_with_parent() -> None:
    """Linux: this process is killed when the process that started it ends, however it ends (SIGTERM from a
    cancelled CI job, SIGKILL from the out-of-memory killer), instead of running on. Elsewhere a no-op."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent ended before the line above: end now
        os._exit(1)


def _child(conn, make: Callable[..., Iterable[Any]], back=None, say=None) -> None:
    die_with_parent()
    if say is not None:
        say.close()  # the parent's end: held here too, a recv() would never see the parent go
    try:
        batch: list[Any] = []
        if back is not None:  # make(heard): heard() waits for the parent's next word (Forked.tell)
            def heard() -> Any:
                if batch:  # what was made so far goes first: the parent may be waiting for it
                    conn.send(("items", batch[:]))
                    batch.clear()
                return back.recv()
            made = make(heard)
        else:
            made = make()
        first = True
        for item in made:
            batch.append(item)
            if len(batch) >= BATCH or first:  # the first item at once: the parent may be waiting for it (first())
                conn.send(("items", batch))
                batch, first = [], False
        conn.send(("items", batch))
        conn.send(("done", None))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class Forked:
    """make() run in a forked child; items() gives what it yielded, in order, once it is done. With
    listens=True the child runs make(heard), and heard() there returns what the parent says with tell()."""

    def __init__(self, make: Callable[..., Iterable[Any]], listens: bool = False):
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        _wide(send)
        hear, say = ctx.Pipe(duplex=False) if listens else (None, None)
        self._say: Any = say
        give_back_memory()
        gc.freeze()  # until the child ends, neither collector writes to (and so copies) the objects made so far
        self._frozen = True
        try:
            self._proc = ctx.Process(target=_child, args=(send, make, hear, say), daemon=True)
            self._proc.start()
        except BaseException:
            self._unfreeze()
            raise
        send.close()
        if hear is not None:
            hear.close()
        self._got: list[Any] = []
        self._error: str | None = None
        self._arrived = threading.Condition()
        self._ended = False
        self._thread = threading.Thread(target=self._receive, args=(receive,), daemon=True)
        self._thread.start()

    def _receive(self, conn) -> None:
        try:
            while True:
                kind, value = conn.recv()
                if kind == "items":
                    with self._arrived:
                        self._got.extend(value)
                        self._arrived.notify_all()
                elif kind == "done":
                    return
                else:
                    self._error = value
                    return
        except EOFError:
            self._error = "the second process ended without its results"
        finally:
            conn.close()
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def check(self) -> None:
        """Raise the child's error now if it has sent one (so the parent stops before more work)."""
        if self._error is not None:
            self.items()

    def tell(self, value: Any) -> None:
        """Say value to the child (listens=True): its next heard() returns it."""
        assert self._say is not None
        try:
            self._say.send(value)
        except (BrokenPipeError, OSError):
            pass  # the child has ended (an error it sent is raised by items())

    def first(self) -> Any:
        """The first item the child made, as soon as it has come (the child goes on)."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._got or self._ended)
            if self._got:
                return self._got[0]
        self.items()  # ended with nothing: raises the child's error
        raise RuntimeError("second process made nothing")

    def _unfreeze(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def items(self) -> Iterator[Any]:
        self._thread.join()
        self._proc.join()
        self._unfreeze()
        if self._error is not None:
            raise RuntimeError(f"second process failed:\n{self._error}")
        got, self._got = self._got, []
        return iter(got)

    def stop(self) -> None:
        """End the child (when the parent failed first)."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._unfreeze()
        if self._say is not None:
            self._say.close()
            self._say = None


def workers() -> int:
    return min(2, os.cpu_count() or 1)
