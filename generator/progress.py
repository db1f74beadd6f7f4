"""Progress lines for long stages: live on a terminal, plain lines otherwise (CI)."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.perf_counter()
        self.timings: dict[str, float] = {}
        self._stage: str | None = None
        self._start = 0.0

    def stage(self, name: str, detail: str = "") -> None:
        self.done()
        self._stage, self._start = name, time.perf_counter()
        if not self.quiet:
            end = "" if self.tty else "\n"
            self.stream.write(f"{'  ' if self.tty else ''}{name}{': ' + detail if detail else ''}…{end}")
            self.stream.flush()

    def done(self) -> None:
        if self._stage is None:
            return
        took = time.perf_counter() - self._start
        self.timings[self._stage] = took
        if not self.quiet and self.tty:
            self.stream.write(f"\r  {self._stage} done in {took:.1f} s\n")
            self.stream.flush()
        self._stage = None

    def total(self) -> float:
        return time.perf_counter() - self.t0
