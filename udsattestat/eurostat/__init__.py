"""Eurostat's dissemination API: JSON-stat parsing, a client, and the live indicators.

``jsonstat`` is pure parsing (bytes → tidy frame); ``client`` builds requests and fetches
them through the shared wire layer (:mod:`udsattestat.net`); ``indicators`` turns the
``poverty-eu`` and ``drug-deaths-eu`` tables into the bundle's schema.
"""
