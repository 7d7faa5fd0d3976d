"""docgen init --ci: workflows for GitHub, GitLab and Gitea, valid against the hosts'
published schemas (SchemaStore's, as check-jsonschema ships them), and the annotation
formats they use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import copy_samples

CHECK = Path(sys.executable).parent / "check-jsonschema"
SCHEMAS = {"github": "vendor.github-workflows", "gitea": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}
FILES = {"github": ".github/workflows/docgen.yml", "gitea": ".gitea/workflows/docgen.yml", "gitlab": ".gitlab-ci.yml"}
REMINDERS = """
      reminders:
        channels:
          - {type: wecom, url_env: ZS_WECOM_WEBHOOK}
          - {type: email, host: smtp.example.com, from: zs@example.com, user_env: ZS_SMTP_USER, password_env: ZS_SMTP_PASSWORD}
"""


def _schema_check(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK), "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = copy_samples(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + REMINDERS),
        "utf-8",
    )
    subprocess.run(["git", "-C", str(root), "init", "-q", "-b", "trunk"], check=True)
    return root


def test_each_hosts_workflow_is_valid_against_its_schema(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("init", str(workspace), "--ci", "github", "--ci", "gitlab", "--ci", "gitea")
    assert result.exit_code == 0, result.err
    for host, rel in FILES.items():
        assert f"wrote {workspace / rel}" in result.out
        checked = _schema_check(SCHEMAS[host], workspace / rel)
        assert checked.returncode == 0, (host, checked.stdout + checked.stderr)
    # the check can fail: a job without runs-on is not a GitHub workflow
    broken = workspace / "broken.yml"
    data = yaml.safe_load((workspace / FILES["github"]).read_text("utf-8"))
    del data["jobs"]["validate"]["runs-on"]
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert _schema_check(SCHEMAS["github"], broken).returncode != 0
    # a second run keeps the team's edited file
    again = run("init", str(workspace), "--ci", "github")
    assert f"kept {workspace / FILES['github']} (exists)" in again.out


def test_the_github_workflow_validates_publishes_and_reminds(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("init", str(workspace), "--ci", "github")
    data = yaml.safe_load((workspace / FILES["github"]).read_text("utf-8"))
    triggers = data[True]  # YAML 1.1 reads the key 'on' as true
    assert set(triggers) >= {"push", "pull_request", "schedule"}
    jobs = data["jobs"]
    steps = {name: [s.get("run", s.get("uses")) for s in job["steps"]] for name, job in jobs.items()}
    assert "docgen validate --format github" in steps["validate"]
    assert jobs["publish"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/trunk'"
    assert "docgen publish" in steps["publish"] and "docgen publish --audience partner" in steps["publish"]
    assert "actions/deploy-pages@v4" in steps["publish"]
    remind = next(s for s in jobs["remind"]["steps"] if s.get("run") == "docgen remind --send")
    assert remind["env"] == {
        name: f"${{{{ secrets.{name} }}}}" for name in ("ZS_WECOM_WEBHOOK", "ZS_SMTP_USER", "ZS_SMTP_PASSWORD")
    }
    assert jobs["remind"]["if"] == "github.event_name == 'schedule'"


def test_the_gitlab_pipeline_reports_code_quality_and_publishes_pages(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    run("init", str(workspace), "--ci", "gitlab")
    data = yaml.safe_load((workspace / FILES["gitlab"]).read_text("utf-8"))
    assert data["validate"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "docgen publish --site-dir public" in data["pages"]["script"]
    assert data["pages"]["artifacts"]["paths"][0] == "public"
    assert data["remind"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]


def test_validate_speaks_the_hosts_annotation_formats(workspace: Path, run) -> None:  # type: ignore[no-untyped-def]
    index = workspace / "engagements/2026-011-lingyun-robotics/index.md"
    index.write_text(index.read_text("utf-8").replace("mode: technology-licensing", "mode: 合做"), "utf-8")
    github = run("validate", "--format", "github", "--root", str(workspace))
    assert github.exit_code == 1
    line = next(x for x in github.out.splitlines() if "unknown-mode" in x)
    assert line.startswith(
        "::error file=engagements/2026-011-lingyun-robotics/index.md,line=16,col=1,title=unknown-mode::"
    )
    assert "unknown cooperation mode '合做' (did you mean '合资' (joint-venture)?)" in line
    gitlab = run("validate", "--format", "gitlab", "--root", str(workspace))
    issues = json.loads(gitlab.out)
    issue = next(i for i in issues if i["check_name"] == "unknown-mode")
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "engagements/2026-011-lingyun-robotics/index.md", "lines": {"begin": 16}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
