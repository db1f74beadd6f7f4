"""Stage 1, data: read the data packages, check them against the standard, and hand on a typed Dataset."""
