#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocrea.settings")
    # manage.py is the developer's tool: development unless told otherwise. The web server
    # (cocrea/wsgi.py) keeps the safe default, production; set COCREA_ENVIRONMENT=production
    # for commands run on a production host.
    os.environ.setdefault("COCREA_ENVIRONMENT", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
