"""The Slack manifest is derived from the registry, and the committed copy is never stale."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from adapters.slack.manifest import manifest, manifest_yaml
from bot.cli import main
from bot.commands.catalog import build_registry
from bot.startup import CONFIG_EXIT

COMMITTED = Path(__file__).parents[3] / "deploy" / "slack-manifest.yaml"


def test_committed_manifest_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == manifest_yaml(build_registry()), (
        "deploy/slack-manifest.yaml is stale: run "
        "`peerpath slack manifest --output deploy/slack-manifest.yaml`"
    )


def test_every_command_and_feature_is_declared() -> None:
    registry = build_registry()
    data = yaml.safe_load(manifest_yaml(registry))
    commands = {c["command"]: c for c in data["features"]["slash_commands"]}
    assert list(commands) == [f"/{c.name}" for c in registry]
    assert commands["/outreach"]["usage_hint"].startswith("contact=…")
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert {"commands", "chat:write", "im:write", "files:write", "users:read"} <= set(
        data["oauth_config"]["scopes"]["bot"]
    )


def test_http_manifest_points_every_url_at_slack_events() -> None:
    for base in ("https://peerpath.example.org", "https://peerpath.example.org/"):
        data = manifest(build_registry(), base)
        url = "https://peerpath.example.org/slack/events"
        assert data["settings"]["socket_mode_enabled"] is False
        assert data["settings"]["interactivity"]["request_url"] == url
        assert data["settings"]["event_subscriptions"]["request_url"] == url
        assert {c["url"] for c in data["features"]["slash_commands"]} == {url}


def test_cli_writes_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "manifest.yaml"
    assert main(["slack", "manifest", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == manifest_yaml(build_registry())


def test_oauth_manifest_names_the_redirect_and_the_uninstall_events() -> None:
    base = "https://peerpath.example.org/"
    events = ["app_home_opened", "app_uninstalled", "tokens_revoked"]
    data = manifest(build_registry(), base, oauth=True)
    assert data["oauth_config"]["redirect_urls"] == [
        "https://peerpath.example.org/slack/oauth_redirect"
    ]
    assert data["settings"]["event_subscriptions"]["bot_events"] == events
    assert data["settings"]["socket_mode_enabled"] is False
    socket = manifest(build_registry(), base, oauth=True, socket_mode=True)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["event_subscriptions"]
    assert socket["settings"]["event_subscriptions"]["bot_events"] == events
    assert socket["oauth_config"]["redirect_urls"] == data["oauth_config"]["redirect_urls"]
    one = manifest(build_registry(), base)
    assert "redirect_urls" not in one["oauth_config"]
    assert one["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_cli_emits_oauth_settings_when_oauth_is_configured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1111.2222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "secret")
    assert main(["slack", "manifest", "--url", "https://peerpath.example.org"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["oauth_config"]["redirect_urls"] == [
        "https://peerpath.example.org/slack/oauth_redirect"
    ]
    assert "app_uninstalled" in data["settings"]["event_subscriptions"]["bot_events"]
    assert main(["slack", "manifest"]) == CONFIG_EXIT  # installs need a URL to return to
    assert "--url https://" in capsys.readouterr().err


def test_shortcuts_are_declared_from_the_registry() -> None:
    registry = build_registry()
    data = yaml.safe_load(manifest_yaml(registry))
    declared = data["features"]["shortcuts"]
    assert [s["callback_id"] for s in declared] == list(registry.shortcuts)
    kinds = {s["name"]: s["type"] for s in declared}
    assert kinds == {
        "Log as outreach": "message",
        "Log a reply": "message",
        "Log an interview": "global",
    }
    assert all(1 <= len(s["description"]) <= 100 for s in declared)
    # Presses arrive on the interactivity URL, which HTTP mode points at /slack/events.
    http = manifest(registry, "https://peerpath.example.org")
    assert http["settings"]["interactivity"]["request_url"].endswith("/slack/events")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "# Socket Mode version, one workspace."),
        (
            ["--url", "https://h.example/base"],
            "# HTTP mode version, one workspace: requests go to https://h.example/base/slack/events.",
        ),
        (
            ["--url", "https://h.example", "--oauth"],
            "# Add to Slack version (many workspaces), HTTP mode at https://h.example/slack/events;",
        ),
        (
            ["--url", "https://h.example", "--oauth", "--socket-mode"],
            "# Add to Slack version (many workspaces), Socket Mode;",
        ),
    ],
)
def test_the_header_names_the_version_generated(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["slack", "manifest", *args]) == 0
    header = [line for line in capsys.readouterr().out.splitlines() if line.startswith("#")]
    assert header[1].startswith(says)
    if "--oauth" in args:
        assert header[2] == "# installs return to https://h.example/slack/oauth_redirect."
        assert "Socket Mode version" not in "\n".join(header)


@pytest.mark.parametrize(
    "url", ["peerpath.example.org", "ftp://h.example", "https://", "https://h:x"]
)
def test_a_url_that_is_no_address_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert main(["slack", "manifest", "--url", url]) == CONFIG_EXIT
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("--url must be the address people reach peerpath at")
    assert "e.g. https://peerpath.example.org" in line


def test_help_is_the_manifest_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["slack", "manifest", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: peerpath slack manifest") and "--socket-mode" in out
