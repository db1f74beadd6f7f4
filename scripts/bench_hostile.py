"""Peak memory and time of `validate --json` on hostile inputs of growing size (issue #21).

    python3 scripts/bench_hostile.py            # groups.csv of 250k..2M lines of "a", and the worst files at the limits

Each case is the minimal test package with one file replaced, validated in a fresh process measured by
/usr/bin/time (peak resident set size and wall time). Time and memory should grow in proportion to the
input; every case must stay under 1 GB.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.settings import LIMITS  # noqa: E402

MINIMAL = ROOT / "tests" / "packages" / "minimal"
SCORES_HEADER = "provider,measure,period,group,responses,numerator,mean,se,sd,observed,expected\n"


def groups_lines(n: int):
    return "groups.csv", "id,dimension,label,seldom_heard\n" + "a\n" * n


def tiny_cells():
    """As many one-letter cells as the cell limit allows (the most cells per byte)."""
    return "scores.csv", SCORES_HEADER + "a,a,a,a,a,a,a,a,a,a,a\n" * (LIMITS.file_cells // 11 - 1)


def distinct_cells():
    """As many distinct 10-digit cells as the byte limit allows (the most distinct values per byte)."""
    rows = (LIMITS.file_bytes - 200) // (11 * 11)
    return "scores.csv", SCORES_HEADER + "".join(",".join(f"{i * 11 + j:010d}" for j in range(11)) + "\n" for i in range(rows))


def redirect_chain(n: int):
    """n redirects, each to the next: reporting each chain walks at most domain.MAX_HOPS steps."""
    return "redirects.csv", "from,to\n" + "".join(f"r{i},r{i + 1}\n" for i in range(n)) + f"r{n},listening-to-carers\n"


def markdown_links(n_bytes: int):
    """One case study whose body is n_bytes of Markdown links (every token is looked at once)."""
    body = "[a](b) " * (n_bytes // 7)
    return "case-studies.csv", ("id,title,themes,setting,providers,measures,intervention_date,published,summary,body\n"
                                f"links,Links,improving-experience,inpatient,XR1,fft-inpatient,2023-10-01,2024-06-01,S,\"{body}\"\n")


def measure(name: str, content: tuple[str, str]) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "minimal"
        shutil.copytree(MINIMAL, pkg)
        (pkg / content[0]).write_text(content[1], encoding="utf-8")
        size = (pkg / content[0]).stat().st_size
        env = dict(os.environ, PYTHONPATH=str(ROOT), OPENBLAS_NUM_THREADS="1")
        p = subprocess.run(["/usr/bin/time", "-f", "%M %e", sys.executable, "-m", "generator", "validate", "--json", str(pkg)],
                           capture_output=True, text=True, env=env)
        kb, secs = p.stderr.strip().splitlines()[-1].split()
        assert "Traceback" not in p.stderr and p.returncode == 1, p.stderr[-2000:]
        return size / 1e6, int(kb) / 1024, float(secs)


def main() -> int:
    cases = [(f"groups.csv, {n:,} lines of 'a'", groups_lines(n)) for n in (250_000, 500_000, 1_000_000)]
    cases.append(("groups.csv, lines of 'a' up to file_cells", groups_lines(LIMITS.file_cells // 4 - 1)))
    cases += [("scores.csv, one-letter cells up to file_cells", tiny_cells()),
              ("scores.csv, distinct 10-digit cells up to file_bytes", distinct_cells())]
    cases += [(f"redirects.csv, a chain of {n:,}", redirect_chain(n)) for n in (3_000, 30_000)]
    cases += [(f"case-studies.csv, one body of {n // 1000:,} KB of links", markdown_links(n)) for n in (100_000, 1_000_000)]
    print("| input | MB | peak MB | seconds |\n| --- | ---: | ---: | ---: |")
    for name, content in cases:
        mb, peak, secs = measure(name, content)
        print(f"| {name} | {mb:.1f} | {peak:.0f} | {secs:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
