"""Stage 4, site: charts, rendering, downloads and the only writer (staging, MkDocs, publish)."""
