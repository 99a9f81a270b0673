"""Settings: environment over TOML file over defaults; emergency numbers by region."""

from __future__ import annotations

import subprocess
import sys

from careguide.config import Settings, emergency_number


def test_toml_file_and_environment(tmp_path, monkeypatch):
    config = tmp_path / "careguide.toml"
    config.write_text('region = "HK"\nport = 9001\ndefault_language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("CAREGUIDE_CONFIG_FILE", str(config))
    monkeypatch.delenv("CAREGUIDE_PORT", raising=False)
    monkeypatch.delenv("CAREGUIDE_DEFAULT_LANGUAGE", raising=False)
    settings = Settings()
    assert (settings.region, settings.port, settings.emergency_number) == ("HK", 9001, "999")
    monkeypatch.setenv("CAREGUIDE_PORT", "9002")
    assert Settings().port == 9002  # the environment wins over the file


def test_emergency_numbers():
    assert emergency_number("cn") == "120"
    assert emergency_number("US") == "911"
    assert emergency_number("GB") == "999"
    assert emergency_number("ZZ") == "112"


def test_sqlite_is_the_embedded_default(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="")
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'careguide.db'}"


def test_every_command_has_help():
    import typer
    from typer.testing import CliRunner

    from careguide.cli import app

    def commands(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name]
            if hasattr(command, "commands"):
                yield from commands(command, [*prefix, name])

    runner = CliRunner()
    paths = list(commands(typer.main.get_command(app), []))
    assert {"run", "worker"} <= {p[0] for p in paths} and ["audit", "verify"] in paths and ["demo", "seed"] in paths
    for path in [[], *paths]:
        done = runner.invoke(app, [*path, "--help"])
        assert done.exit_code == 0 and "Usage" in done.output, (path, done.output)


def test_the_command_starts_as_a_module():
    done = subprocess.run([sys.executable, "-m", "careguide", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage" in done.stdout
