"""docgen init and docgen new: a fresh workspace and engagement that validate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml


def test_init_new_validate(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    assert run("init", str(ws)).exit_code == 0
    for rel in ("mkdocs.yml", "templates/process.yml", "templates/engagement/index.md.j2"):
        assert (ws / rel).is_file()
    result = run(
        "new", "2026-020-demo", "--title", "示例合作", "--partner", "杭州示例科技有限公司",
        "--mode", "合资", "--owner", "张伟", "--code", "ZS-2026-020", "--root", str(ws),
    )
    assert result.exit_code == 0, result.err
    folder = ws / "engagements" / "2026-020-demo"
    index = yaml.safe_load((folder / "index.md").read_text(encoding="utf-8").split("---")[1])
    assert index["mode"] == "joint-venture" and index["stage"] == "preparation"
    assert "market-research.collect-info" in (folder / "preparation.md").read_text(encoding="utf-8")
    assert run("validate", "--root", str(ws)).exit_code == 0
    # what the first stage's document still needs is a warning at the scaffold's own line
    strict = run("validate", "--root", str(ws), "--strict", "--format", "json")
    assert strict.exit_code == 1
    found = json.loads(strict.out)["diagnostics"]
    lines = (folder / "index.md").read_text(encoding="utf-8").split("\n")
    assert {d["code"] for d in found} == {"document-field-missing"}
    for d in found:
        field = d["message"].split(" needs ")[1].split(",")[0].rsplit(".", 1)[-1]
        assert lines[d["line"] - 1].lstrip().startswith(f"{field}:"), (d, lines[d["line"] - 1])
    assert len(found) == 4  # summary, scope, profit split, exit mechanism


def test_new_refuses_a_code_in_use(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    args = ["--title", "甲", "--partner", "甲公司", "--mode", "合资", "--owner", "张伟", "--root", str(ws)]
    assert run("new", "2026-001-a", *args, "--code", "ZS-1").exit_code == 0
    result = run("new", "2026-002-b", *args, "--code", "ZS-1")
    assert result.exit_code == 2 and "ZS-1" in result.err and "2026-001-a" in result.err
    assert not (ws / "engagements" / "2026-002-b").exists()


def test_init_keeps_existing_files(tmp_path: Path, run) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert "kept" in result.out
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"


def test_init_english_process(tmp_path: Path, run) -> None:
    run("init", str(tmp_path), "--lang", "en")
    assert "language: en" in (tmp_path / "templates/process.yml").read_text(encoding="utf-8")


def test_hostile_partner_text_is_data(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    hostile = '<script>alert(1)</script> {{ 7*7 }} **x** "q": #c [bold]b[/bold] 🚀'
    result = run(
        "new", "x-1", "--title", hostile, "--partner", hostile, "--mode", "agency",
        "--owner", "王五", "--root", str(tmp_path),
    )
    assert result.exit_code == 0, result.err
    text = (tmp_path / "engagements/x-1/index.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n"))
    assert data["title"] == hostile and data["partner"]["name"] == hostile
    assert run("validate", "--root", str(tmp_path)).exit_code == 0
    status = run("status", "x-1", "--root", str(tmp_path))
    assert "[bold]b[/bold]" in status.out and "{{ 7*7 }}" in status.out


def test_new_rejects_unsafe_ids(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    for bad in ("../x", "my project", "华信", "A-1", ""):
        result = run(
            "new", bad, "--title", "t", "--partner", "p", "--mode", "agency",
            "--owner", "o", "--root", str(tmp_path),
        )
        assert result.exit_code == 2, bad
        assert "not a valid engagement id" in result.err
    assert sorted(p.name for p in (tmp_path / "engagements").iterdir()) == [".gitkeep"]
    assert not (tmp_path / "x").exists()


def test_new_refuses_existing_and_unknown_mode(tmp_path: Path, run) -> None:
    run("init", str(tmp_path))
    args = ["--title", "t", "--partner", "p", "--owner", "o", "--root", str(tmp_path)]
    assert run("new", "a-1", "--mode", "agency", *args).exit_code == 0
    again = run("new", "a-1", "--mode", "agency", *args)
    assert again.exit_code == 2 and "already exists" in again.err
    bad_mode = run("new", "a-2", "--mode", "agncy", *args)
    assert bad_mode.exit_code == 2 and "did you mean 'agency'" in bad_mode.err


def test_no_workspace_is_exit_2(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "no mkdocs.yml" in result.err


def test_usage_error_is_exit_2(run) -> None:
    assert run("validate", "--format", "xml").exit_code == 2


def test_init_names_the_site_and_our_side(tmp_path: Path, run) -> None:
    """Issue 26: the site's name heads its home page; our organisation is every contract's 甲方."""
    ws = tmp_path / "ws"
    said = run("init", str(ws), "--name", "苏州工业园区招商项目库", "--organization", "苏州工业园区产业投资有限公司")
    assert said.exit_code == 0, said.err
    config = yaml.safe_load((ws / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == "苏州工业园区招商项目库"
    assert config["theme"]["name"] == "material"
    docgen = next(p["docgen"] for p in config["plugins"] if isinstance(p, dict) and "docgen" in p)
    assert docgen["organization"]["name"] == "苏州工业园区产业投资有限公司"
    assert (ws / "docs/guide.md").read_text("utf-8").startswith("# 苏州工业园区招商项目库\n")
    # the keys a contract needs of us stand ready, commented, with an example that validates
    text = (ws / "mkdocs.yml").read_text("utf-8")
    assert "# credit_code:" in text and "# address:" in text


def test_a_new_engagement_offers_its_modes_contract_keys(tmp_path: Path, run) -> None:
    """Issue 26: 合资 asks for both sides' contributions and the term, with Chinese examples;
    a lead that came in without a call has no 招商公告 block; the examples validate as written."""
    ws = tmp_path / "ws"
    run("init", str(ws))
    for slug, mode, origin in (("2026-001-jv", "合资", "主动来访"), ("2026-002-agent", "代理", "公开招商")):
        assert run("new", slug, "--title", "示例", "--partner", "示例有限公司", "--mode", mode,
                   "--owner", "王磊", "--origin", origin, "--root", str(ws)).exit_code == 0  # fmt: skip
    jv = (ws / "engagements/2026-001-jv/index.md").read_text("utf-8")
    agent = (ws / "engagements/2026-002-agent/index.md").read_text("utf-8")
    assert "  investment:" in jv and "  partner_investment:" in jv and "  term_months:" in jv
    assert "  investment:" not in agent and "call:" in agent and "call:" not in jv
    assert "due_diligence:" in jv and "method: 仲裁" in jv and "payer: 乙方" in jv
    # each example of the terms, filled in as its comment shows, is accepted
    examples = {
        m[1]: m[2].split("（或")[0].strip() for m in re.finditer(r"^  (\w+):[^#\n]*#[^\n]*?例：(.*)$", jv, re.M)
    }
    assert {"investment", "partner_investment", "payments", "dispute_resolution"} <= set(examples)
    filled = jv
    for key in ("investment", "partner_investment", "payments", "dispute_resolution", "term_months"):
        filled = "\n".join(
            f"  {key}: {examples[key]}" if line.startswith(f"  {key}:") else line for line in filled.split("\n")
        )
    (ws / "engagements/2026-001-jv/index.md").write_text(filled, "utf-8")
    said = run("validate", "--root", str(ws), "--format", "json")
    errors = [d for d in json.loads(said.out)["diagnostics"] if d["severity"] == "error"]
    assert not errors, errors
    from docgen.workspace.load import load_portfolio

    terms = load_portfolio(ws).get("2026-001-jv").index.data.terms  # type: ignore[union-attr]
    assert terms.investment.amount == 80_000_000 and terms.partner_investment.amount == 120_000_000
    assert terms.payments[0].payer == "partner" and terms.dispute_resolution.method == "arbitration"


def test_add_says_the_values_an_option_takes(tmp_path: Path, run) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    import os

    here = os.getcwd()
    os.chdir(ws)
    try:
        shown = run("add", "risk", "--help").out
    finally:
        os.chdir(here)
    assert "技术风险" in shown and "外部市场风险" in shown
