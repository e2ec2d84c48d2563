"""Staff accounts, their sessions and the audit log.

`users.py` keeps accounts (argon2id passwords, roles, units) and server-side sessions;
`audit.py` writes and reads the append-only audit log. Operations elsewhere call `audit.record`
themselves, so a web view and a CLI command are each one call. May import `store/` (tables and
the encryption of what it keeps), `messages` and `site_builder.catalog`; never a blueprint,
`web/` or `cli/`.
"""
