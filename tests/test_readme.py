"""The README's commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)


def test_ci_runs_the_readme_run_and_test_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    run_command, test_command = shell_blocks()[:2]
    assert "peerpath" in run_command and "pytest" in test_command
    assert run_command.strip() in ci
    assert test_command.strip() in ci


def test_readme_lists_every_command() -> None:
    from bot.commands.catalog import build_registry

    readme = (ROOT / "README.md").read_text()
    for command in build_registry():
        assert f"| `/{command.name}` |" in readme, command.name
        for option in command.options:
            assert f"`{option.name}`" in readme, (command.name, option.name)
