"""The deployment files parse and say what the operations guide promises.

Docker is not available where the tests run, so images are not built here; these
checks catch the mistakes that are easy to make in files nobody runs locally.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from bot.config import Settings

DEPLOY = Path(__file__).parents[2] / "deploy"


def test_dockerfile_is_multi_stage_runs_as_a_user_and_checks_health() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]
    assert len(stages) == 2 and stages[0].startswith("python:3.11-slim AS build")
    final = stages[1]
    assert final.startswith("python:3.11-slim\n")
    assert "COPY --from=build /opt/peerpath /opt/peerpath" in final
    assert not re.search(r"apt-get|build-essential|gcc|COPY (bot|adapters|scheduling)", final)
    [user] = re.findall(r"^USER (\S+)$", final, flags=re.MULTILINE)
    assert user not in ("root", "0") and "useradd --system --uid 10001" in final
    assert "127.0.0.1:3000/healthz" in final.split("HEALTHCHECK", 1)[1]
    assert "'.[postgres]'" in stages[0]
    assert re.search(r'^CMD \["peerpath", "run"\]$', final, flags=re.MULTILINE)


def test_compose_runs_peerpath_on_postgresql_16_with_a_volume_and_healthchecks() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    postgres, peerpath = compose["services"]["postgres"], compose["services"]["peerpath"]
    assert postgres["image"] == "postgres:16"
    assert (
        postgres["volumes"] == ["pgdata:/var/lib/postgresql/data"]
        and "pgdata" in compose["volumes"]
    )
    assert "pg_isready" in postgres["healthcheck"]["test"][1]
    assert peerpath["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert (DEPLOY / ".." / peerpath["build"]["dockerfile"]).is_file()
    assert peerpath["env_file"] == ".env"
    assert peerpath["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "@postgres:5432/" in peerpath["environment"]["DATABASE_URL"]
    assert peerpath["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert any("/readyz" in part for part in peerpath["healthcheck"]["test"])
    grace = int(peerpath["stop_grace_period"].rstrip("s"))
    assert grace > Settings().shutdown_seconds


def test_kubernetes_runs_two_replicas_probed_on_healthz_and_readyz_with_a_secret() -> None:
    documents = list(yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()))
    by_kind = {doc["kind"]: doc for doc in documents}
    secret, deployment = by_kind["Secret"], by_kind["Deployment"]
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"} <= set(secret["stringData"])
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > Settings().shutdown_seconds
    [container] = pod["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["envFrom"] == [{"secretRef": {"name": secret["metadata"]["name"]}}]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert env["PEERPATH_PORT"] == str(container["ports"][0]["containerPort"])
    assert set(env) <= {field.alias for field in Settings.model_fields.values()}
    service = by_kind["Service"]
    assert service["spec"]["selector"] == spec["selector"]["matchLabels"]


def test_systemd_units_run_as_a_user_and_outlast_the_shutdown_budget() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / "peerpath.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("/peerpath run")
    assert service["User"] == "peerpath" and service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > Settings().shutdown_seconds
    assert service["Environment"].startswith("DATABASE_URL=sqlite+aiosqlite:////var/lib/")
    backup = configparser.ConfigParser(strict=False, interpolation=None)
    backup.read(DEPLOY / "systemd" / "peerpath-backup.service")
    assert "peerpath db backup" in backup["Service"]["ExecStart"]


def test_the_guide_links_every_deployment_file() -> None:
    guide = (DEPLOY / "README.md").read_text()
    for name in (
        "Dockerfile",
        "docker-compose.yml",
        "kubernetes.yaml",
        "systemd/peerpath.service",
        "systemd/peerpath-backup.timer",
        "env.example",
        "slack-setup.md",
        "discord-setup.md",
    ):
        assert f"]({name})" in guide, name
