"""Stage 4, site: charts, rendering, downloads and the writer (staging, MkDocs, publish)."""
