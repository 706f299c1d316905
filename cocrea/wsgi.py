import os

from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings")
application = get_wsgi_application()

from cocrea.core.warmup import freezer  # noqa: E402 - after Django is set up

# Long-lived objects out of the garbage collector's walks, once the first requests have loaded
# them (cocrea/core/warmup.py). Kept by the module, as the signal holds receivers weakly.
freeze_what_lasts = freezer()
request_started.connect(freeze_what_lasts, dispatch_uid="cocrea.core.warmup")
