"""Statistics Denmark's StatBank API (api.statbank.dk), done right.

``build request → fetch bytes → parse(bytes)``, kept apart:

- :mod:`.tableinfo` reads a table's metadata (variables, codes, labels, ``updated``);
- :mod:`.plan` turns a selection into a request: cells counted from tableinfo, CSV under
  the cap, BULK (every variable filled in) over it;
- :mod:`.client` talks to the API (base URL from ``$UDSATTESTAT_STATBANK_URL``) and turns
  DST's JSON errors into :class:`~udsattestat.errors.ProviderError` with a hint;
- :mod:`.body` reads CSV/BULK bytes (header checked, numbers by the response's language),
  :mod:`.tidy` turns them into the tidy schema by code (``..`` kept as a suppressed null),
  :mod:`.stream` writes any size as Parquet in flat memory, :mod:`.followed` while it
  downloads, :mod:`.complete` restores what BULK leaves out (``--complete``);
- :mod:`.fetch` ties them together with the raw snapshot store;
- :mod:`.indicators` reads any dataset with a ``[statbank]`` mapping live;
- :mod:`.mapping` resolves that mapping against tableinfo, :mod:`.hooks` the quirks it cannot say.
"""
