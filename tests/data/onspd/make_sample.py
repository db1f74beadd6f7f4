"""Writes onspd-sample.csv: a few rows in the ONS Postcode Directory's layout (made up, not real
postcodes' places), to test the importer without the 1.3 GB file. Run: python3 tests/data/onspd/make_sample.py"""
import csv
from pathlib import Path

HEADER = ["pcd", "pcd2", "pcds", "dointr", "doterm", "oscty", "ctry", "lat", "long"]
ROWS = [  # pcds, doterm, lat, long
    ("EX1 1AA", "", "50.7000", "-3.5000"),
    ("EX1 2BB", "", "50.7200", "-3.5400"),
    ("EX1 3CC", "202001", "51.9000", "-1.0000"),    # ended: not counted
    ("EX10 8DD", "", "50.6800", "-3.2400"),         # a longer district, kept apart from EX1
    ("EX10 9EE", "", "50.6900", "-3.2600"),
    ("EX2 4FF", "", "99.999999", "0.000000"),      # no grid reference: not counted
    ("SW1A 1AA", "", "51.5010", "-0.1416"),
]


def main():
    out = Path(__file__).with_name("onspd-sample.csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for pcds, ended, lat, lon in ROWS:
            w.writerow([pcds.replace(" ", "").ljust(7), pcds, pcds, "199801", ended, "E99999999", "E92000001", lat, lon])


if __name__ == "__main__":
    main()
