"""What the tests share, so that no test copies another: the settings every test runs under,
databases, one `make_app`, synthetic people and ID numbers, staff who sign in, page and HTTP
helpers, hostile payloads, real servers and the checks run after them.

Test modules and the root `tests/conftest.py` import from here; this package never imports a
test module or a conftest. `bench/` may import it too.
"""
