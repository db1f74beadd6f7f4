"""Escaping and sanitising strings for the place they land. Imports nothing from the project."""
