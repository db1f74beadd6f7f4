"""Write the sample FFT files in this folder (run from the repository root:
python tests/data/fft/make_samples.py). The numbers are made up; see README.md."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

INPATIENT_HEADER = ["Yearnumber", "Periodname", "Parent Org Code", "PARENT NAME", "Org code", "Org  name",
                    "Total Responses", "Total Eligible", "Prop_Pos", "1 Very Good SUM", "2 good sum",
                    "3 Neither Good nor Poor SUM", "4 Poor SUM", "5 Very Poor SUM", "6 Dont Know SUM"]
AE_HEADER = ["Yearnumber", "Periodname", "Parent org code", "Parent name", "ORG CODE", "Org name",
             "Total responses", "Total Eligible", "Prop_Pos", "1 Very Good", "2 Good", "3 Neither good nor poor",
             "4 Poor", "5 Very poor", "6 Dont Know"]
ICB1 = ("QE1", "NHS EXAMPLE NORTH INTEGRATED CARE BOARD")
ICB2 = ("QE2", "NHS EXAMPLE SOUTH INTEGRATED CARE BOARD")
IS1 = ("IS1", "INDEPENDENT SECTOR PROVIDERS")


def row(year, month, parent, code, name, eligible, counts, prop=None):
    if counts == ["*"]:  # suppressed: the total (3) is published, the answer counts are not
        total, counts, prop = 3, ["*"] * 6, "*"
    else:
        total = sum(counts)
    if prop is None:
        prop = round((counts[0] + counts[1]) / total, 4)
    return [year, month, parent[0], parent[1], code, name, total, eligible, prop, *counts]


def inpatient_aug():
    y, m = "2024_25", "AUGUST"
    return [row(y, m, ICB1, "XQA", "EXAMPLE A TEACHING HOSPITALS NHS TRUST", 1500, [300, 60, 15, 10, 5, 10]),
            row(y, m, ICB1, "XQB", "EXAMPLE B HOSPITALS NHS TRUST", 600, [80, 25, 5, 4, 3, 3]),
            row(y, m, ICB2, "XQC", "EXAMPLE C COMMUNITY NHS TRUST", 40, ["*"]),
            row(y, m, ICB2, "XQD", "EXAMPLE D NHS FOUNDATION TRUST", 300, [20, 10, 5, 5, 5, 5]),
            row(y, m, IS1, "XQ401", "EXAMPLE INDEPENDENT HOSPITAL", 90, [20, 4, 1, 0, 0, 0])]


def inpatient_sep():
    y, m = "2024_25", "SEPTEMBER"
    return [row(y, m, ICB1, "XQA", "EXAMPLE A TEACHING HOSPITALS NHS TRUST", 1500, [310, 60, 10, 10, 10, 10]),
            row(y, m, ICB1, "XQB", "EXAMPLE B HOSPITALS NHS FOUNDATION TRUST", 600, [90, 20, 5, 5, 5, 5])]


def write_csv(name, header, rows):
    with open(HERE / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def write_ae_xlsx(name):
    """Layout as NHS England's monthly workbook: title rows, header on row 3, a site sheet first."""
    y, m = "2024-25", "August"
    wb = openpyxl.Workbook()
    site = wb.active
    site.title = "Parent & Self - Site Level"
    site.append(["A&E Friends and Family Test - site level"])
    site.append([])
    site.append(AE_HEADER[:6] + ["Site Code", "Site Name"] + AE_HEADER[6:])
    site.append([y, m, *ICB1, "XQA", "EXAMPLE A TEACHING HOSPITALS NHS TRUST", "RXA01", "EXAMPLE A GENERAL",
                 500, 900, 0.85, 300, 125, 25, 20, 15, 15])
    org = wb.create_sheet("Parent & Self - Organisation Le")
    org.append(["A&E Friends and Family Test - organisation level"])
    org.append([])
    org.append(AE_HEADER)
    org.append(row(y, m, ICB1, "XQA", "EXAMPLE A TEACHING HOSPITALS NHS TRUST", 1800, [600, 250, 50, 40, 30, 30]))
    org.append(row(y, m, ICB1, "XQB", "EXAMPLE B HOSPITALS NHS TRUST", 60, ["*"]))
    org.append(row(y, m, ICB2, "XQD", "EXAMPLE D NHS FOUNDATION TRUST", 400, [100, 50, 20, 10, 10, 10]))
    wb.properties.creator = "tests/data/fft/make_samples.py"
    wb.save(HERE / name)


def main():
    write_csv("inpatient-2024-08.csv", INPATIENT_HEADER, inpatient_aug())
    write_csv("inpatient-2024-09.csv", INPATIENT_HEADER, inpatient_sep())
    revised = inpatient_aug()
    revised[0] = row("2024_25", "AUGUST", ICB1, "XQA", "EXAMPLE A TEACHING HOSPITALS NHS TRUST", 1500, [301, 60, 15, 10, 5, 10])
    write_csv("inpatient-2024-08-revised.csv", INPATIENT_HEADER, revised)
    write_csv("ambulance-2025-01.csv", AE_HEADER,
              [row("2024-25", "JANUARY", ICB1, "XQ9", "EXAMPLE AMBULANCE SERVICE NHS TRUST", 300, [50, 20, 4, 2, 2, 2])])
    write_ae_xlsx("FFT_AE_V1 Aug-24.xlsx")


if __name__ == "__main__":
    main()
