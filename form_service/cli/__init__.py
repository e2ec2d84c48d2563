"""The `portal` command: one thin entry point, one module per group of commands.

Commands parse options, call one operation in an area and print its result; the operations
write their own audit records. `common.py` holds what they share (the running app, the actor,
printing content problems).
"""

from __future__ import annotations

import click

from form_service.cli import backup, content, data, imports, reports, service, staff, two_factor


@click.group()
def main() -> None:
    """上海工会“技能培训促就业行动” portal: content, site, forms and staff tools."""


for _command in (
    content.check_command,
    content.build_command,
    service.db_group,
    service.serve_command,
    staff.staff_command,
    reports.export_command,
    reports.stats_command,
    data.demo_data_command,
    data.purge_command,
    backup.backup_command,
    backup.restore_command,
    imports.import_group,
):
    main.add_command(_command)
staff.staff_command.add_command(two_factor.two_factor_command)  # portal staff 2fa …
