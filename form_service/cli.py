"""The `portal` command: one entry point over the site builder and the form service."""

from __future__ import annotations

import click

from site_builder.commands import check_command


@click.group()
def main() -> None:
    """上海工会“技能培训促就业行动” portal: content, site, forms and staff tools."""


main.add_command(check_command)
