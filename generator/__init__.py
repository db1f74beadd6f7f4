"""Patient-experience league tables: validate data packages and build the site."""
