"""Serving the session to web browsers."""
