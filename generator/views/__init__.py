"""Stage 3, views: what each page shows, as plain data, and the site's address scheme. Pure."""
