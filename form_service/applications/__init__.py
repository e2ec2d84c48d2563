"""The application aggregate: what a person applies for and everything that happens to it.

Submitting (`submit.py`, seats in `seats.py`), the states and steps of each track
(`lifecycle.py`), outcomes (`outcomes.py`), the person's identity and its encryption
(`identity.py`; encryption lives in `store/crypto.py`), reference numbers, consent, the contact who answers, staff look-ups
(`queries.py`), retention and demo data. Functions take a connection or a `Store` and keyword
arguments; they never see a request. May import `store/`, `accounts/`, `messages` and
`site_builder.catalog`; never a blueprint, `web/`, `reports/` or `cli/`.
"""
