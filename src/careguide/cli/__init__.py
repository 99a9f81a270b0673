"""The ``careguide`` command.

Each skill contributes its commands from its own module in this package through a
``register(app, eval_app)`` function; ``COMMAND_MODULES`` lists them.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="careguide - an open, self-hostable AI health manager.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluation suites; each prints its figures (with --json, one JSON object last).")
app.add_typer(eval_app, name="eval")

# One module per domain; each defines register(app: typer.Typer, eval_app: typer.Typer) -> None.
COMMAND_MODULES: list[str] = [
    "careguide.cli.core",
    "careguide.cli.privacy",
    "careguide.cli.booking",
    "careguide.cli.factcheck",
    "careguide.cli.records",
    "careguide.cli.assistant",
    "careguide.cli.reports",
    "careguide.cli.voice",
    "careguide.cli.triage",
    "careguide.cli.clinician",
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app, eval_app)


_register_all()


def main() -> None:
    app()
