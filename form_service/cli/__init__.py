"""The `portal` command: one entry point over the site builder and the form service."""

from __future__ import annotations

import click

from site_builder.commands import build_command, check_command


@click.group()
def main() -> None:
    """上海工会“技能培训促就业行动” portal: content, site, forms and staff tools."""


main.add_command(check_command)
main.add_command(build_command)

from form_service.cli.backup import COMMANDS as BACKUP_COMMANDS  # noqa: E402
from form_service.cli.service import COMMANDS as FORM_COMMANDS  # noqa: E402
from form_service.cli.staff import COMMANDS as STAFF_COMMANDS  # noqa: E402

for _command in (*FORM_COMMANDS, *STAFF_COMMANDS, *BACKUP_COMMANDS):
    main.add_command(_command)
