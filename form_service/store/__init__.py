"""The shared store: engine set-up, all tables in one metadata, migrations, backup and restore.

It imports nothing from the rest of the service except the application constants its tables
need; every area above it reads and writes through `Store.read()` and `Store.write()`.
"""

from form_service.store.engine import Store, StoreBusy

__all__ = ["Store", "StoreBusy"]
