"""Statistics Denmark's StatBank API (api.statbank.dk), done right.

``build request → fetch bytes → parse(bytes)``, kept apart:

- :mod:`.tableinfo` reads a table's metadata (variables, codes, labels, ``updated``);
- :mod:`.plan` turns a selection into a request: cells counted from tableinfo, CSV under
  the cap, BULK (every variable filled in) over it;
- :mod:`.client` talks to the API (base URL from ``$UDSATTESTAT_STATBANK_URL``) and turns
  DST's JSON errors into :class:`~udsattestat.errors.ProviderError` with a hint;
- :mod:`.parse` streams CSV/BULK bytes into the tidy schema as Parquet, by code, numbers
  read by the response's language, ``..`` kept as a suppressed null;
- :mod:`.fetch` ties them together with the raw snapshot store;
- :mod:`.indicators` makes ``poverty`` live from IFOR51.
"""
