"""Stage 2, compute: comparisons, suppression, trends, red flags and the release record. Pure; no I/O."""
