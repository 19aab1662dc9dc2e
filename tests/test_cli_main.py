"""The command group: commands load lazily, the help listing stays true to the commands, and a
question on a built index imports neither torch nor sentence-transformers."""

from __future__ import annotations

import json
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
    # the graph options (kg_cli.options) are listed too; they need kg.config's store names
    assert "LOADED ['kg.config', 'kg.errors', 'kg_cli.main', 'kg_cli.options']" in out


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


# ------------------------------------------------- graph options before or after the command
THESAURUS = str(ROOT / "tests" / "data" / "vocab_thesaurus.ttl")
VEHICLES = str(ROOT / "tests" / "data" / "qa_vehicles.ttl")


def _kg(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_graph_options_work_before_and_after_the_command(tmp_path: Path) -> None:
    cache = str(tmp_path)
    after = _kg("show", "--graph", THESAURUS, "--lang", "fr", "--cache-dir", cache, "stars")
    before = _kg("--graph", THESAURUS, "--lang", "fr", "--cache-dir", cache, "show", "stars")
    mixed = _kg("--lang", "fr", "show", "--graph", THESAURUS, "--cache-dir", cache, "stars")
    assert after == before == mixed
    assert "étoiles" in before
    english = _kg("--graph", THESAURUS, "--cache-dir", cache, "show", "stars")
    assert "étoiles" not in english.splitlines()[0]


def test_option_after_the_command_wins(tmp_path: Path) -> None:
    out = _kg("--graph", VEHICLES, "--lang", "fr", "show", "--graph", THESAURUS, "--lang",
              "en", "--cache-dir", str(tmp_path), "stars")
    assert out.splitlines()[0].startswith("stars")


def test_nested_commands_and_ask_take_leading_options(tmp_path: Path) -> None:
    cache = str(tmp_path)
    built = json.loads(_kg("--graph", VEHICLES, "--cache-dir", cache, "index", "build", "--json"))
    assert built["path"].startswith(cache)
    status = json.loads(_kg("--graph", VEHICLES, "--cache-dir", cache, "index", "status",
                            "--json"))
    assert status["state"] == "ready"
    before = json.loads(_kg("--graph", VEHICLES, "--cache-dir", cache, "ask", "--json",
                            "What is a bicycle?"))
    after = json.loads(_kg("ask", "--graph", VEHICLES, "--cache-dir", cache, "--json",
                           "What is a bicycle?"))
    assert before == after and "Bicycle" in before["answer"]
    cleared = json.loads(_kg("--graph", VEHICLES, "--cache-dir", cache, "index", "clear",
                             "--json"))
    assert not cleared["every_graph"] and cleared["indexes"] == 1


def test_a_bad_leading_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["--store", "nowhere", "show", "x"])
    assert result.exit_code == 2 and "--store" in result.output
