#!/usr/bin/env bash
# Build a standard data package from the real CMS HCAHPS file kept for the tests
# (66 US hospitals, patients discharged 2016-04-01 to 2017-03-31; public domain).
#
#   scripts/import_hcahps_example.sh OUT_FOLDER [RETRIEVED_DATE]
#   e.g. scripts/import_hcahps_example.sh datapackages/cms-hcahps 2025-01-31
#
# Running it again changes no byte. The same import through the CLI is
# `import hcahps FILE --into OUT_FOLDER` once the lead has wired the command.
set -euo pipefail
if [ $# -lt 1 ]; then
    echo "usage: $0 OUT_FOLDER [RETRIEVED_DATE as YYYY-MM-DD]" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
python3 - "$@" <<'PY'
import json
import sys
from pathlib import Path

from generator.importers import run_import
from generator.problems import is_error

out = Path(sys.argv[1])
today = sys.argv[2] if len(sys.argv) > 2 else None
summary, problems = run_import("hcahps", Path("tests/data/real/cms-hcahps-2016-17/HCAHPSHOSPITAL.csv"), out, today=today)
print(json.dumps(summary, indent=2))
for p in problems:
    print(f"{p.severity}: {p.code}: {p.message} (row {p.row}, {p.field})", file=sys.stderr)
sys.exit(1 if any(is_error(p) for p in problems) else 0)
PY
