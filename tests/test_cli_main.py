"""The command group: commands load lazily, the help listing stays true to the commands, and a
question on a built index imports neither torch nor sentence-transformers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from kg_cli.main import COMMANDS, cli, load_command

ROOT = Path(__file__).parent.parent


def test_table_matches_the_commands() -> None:
    for name, (_target, short) in COMMANDS.items():
        command = load_command(name)
        assert isinstance(command, click.Command)
        assert command.name == name
        full = " ".join((command.help or "").split())
        assert full.startswith(short.rstrip(".").rstrip()), name


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom kg_cli.main import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print(r.output)\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('kg_cli.', 'kg.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    for name in COMMANDS:
        assert f"  {name} " in out
    assert "LOADED ['kg.errors', 'kg_cli.main']" in out


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["nope"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_ask_on_built_index_imports_no_torch(engine, session_cache: Path) -> None:
    code = (
        "import sys\nsys.argv = ['kg', 'ask', 'what is a GAN?']\nfrom kg_cli.main import cli\n"
        "try:\n    cli()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'sklearn', 'pyshacl') "
        "if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)"
    )
    env = {**os.environ, "KG_CACHE_DIR": str(session_cache)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=True)
    assert "HEAVY []" in proc.stderr
    assert "Generative Adversarial" in proc.stdout
