"""The wire: an HTTP client with retries and checked downloads, and a raw snapshot store.

Nothing in this package knows about a particular provider. Provider quirks (how an error
body reads, which content types are data, which metadata to keep beside a snapshot) come
in as parameters and hooks, so StatBank and Eurostat share the same code.
"""

from .http import Download, HttpClient, Request
from .snapshots import Snapshot, SnapshotStore, query_key

__all__ = ["Download", "HttpClient", "Request", "Snapshot", "SnapshotStore", "query_key"]
