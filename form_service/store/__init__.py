"""The shared store: tables, engine set-up, migrations and the queries other areas reuse."""

from form_service.store.engine import Store, init_app, store

__all__ = ["Store", "init_app", "store"]
