"""The shared store: engine set-up, all tables in one metadata, migrations, backup and restore.

`tables.py` is the one schema truth; `migrations/` builds it step by step and `migrate.py` runs
them and compares the live store with the metadata (`portal db check`); `crypto.py` encrypts
what the store keeps (ID and phone numbers, second-factor secrets) and keys their hashes. It imports nothing from
the rest of the service; every area above it reads and writes through `Store.read()` and
`Store.write()`.
"""

from form_service.store.engine import Store, StoreBusy

__all__ = ["Store", "StoreBusy"]
