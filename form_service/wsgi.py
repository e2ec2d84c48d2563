"""The WSGI entry point for gunicorn: `gunicorn 'form_service.wsgi:app'`.

Production, behind one reverse proxy that terminates HTTPS (see docs/deployment-forms.md):

    PORTAL_ENV=production PORTAL_SECRET_KEY=… PORTAL_ID_KEY=… \\
    PORTAL_RATELIMIT_STORAGE_URL=redis://127.0.0.1:6379/0 PORTAL_PROXIES=1 PORTAL_WORKERS=4 \\
    gunicorn --workers 4 --bind 127.0.0.1:8000 'form_service.wsgi:app'
"""

import gc

from form_service import create_app

app = create_app()
# What start-up made (modules, the catalogue, templates) lives as long as the worker: keep it
# out of the garbage collector's full passes, which would otherwise walk it every few hundred
# requests and show as latency spikes.
gc.freeze()
