"""What every `portal` command shares: the running app, who acts, and how problems are printed."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click
from flask import Flask

from form_service.accounts.audit import Actor
from form_service.web import services
from site_builder.catalog import ContentError


def print_problems(
    exc: ContentError, *, footer: str = "共 {count} 个问题。", to_stderr: bool = True
) -> None:
    """Print every content problem as `path:line: message`, then how many there were."""
    for problem in exc.problems:
        click.echo(str(problem), err=to_stderr)
    click.echo(footer.format(count=len(exc.problems)), err=True)


def report_content(exc: ContentError, **how: object) -> NoReturn:
    """Print every content problem (see `print_problems`), then exit 1."""
    print_problems(exc, **how)  # type: ignore[arg-type]
    raise SystemExit(1)


@contextmanager
def running_app() -> Iterator[Flask]:
    """Build the app from the environment, enter its context, close its connections at the end."""
    from form_service import create_app, settings

    try:
        app = create_app({"PORTAL_SERVE_SITE": False})
    except ContentError as exc:
        report_content(exc)
    except settings.UnsafeSettings as exc:
        raise click.ClickException(str(exc)) from None
    try:
        with app.app_context():
            yield app
    finally:
        services.store(app).dispose()


def command_line_actor() -> Actor:
    """Return who acts from the command line: the operating-system user."""
    return Actor(f"命令行:{getpass.getuser()}")


def password_from_stdin() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def database_url() -> str:
    """Return the store's URL from the environment (PORTAL_DATABASE_URL or data/portal.db)."""
    from form_service import settings

    return str(settings.from_environment()["PORTAL_DATABASE_URL"])
