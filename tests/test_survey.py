"""Survey import: GBK read, anonymised aggregates, small groups not broken out."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_samples
from docgen.workspace.load import load_portfolio

HENGTONG = "2025-014-hengtong-logistics"
CSV = (
    "group,姓名,沟通效率,资源支持,problem-solving,goals,overall,comment\n"
    "合作方,王小明,5,4,3,4,4,非常满意\n合作方,李,4,4,4,5,4,\n合作方,赵,5,5,4,4,5,\n"
    "合作方,钱,4,3,3,4,4,\n合作方,孙,5,4,4,4,5,\n"
    "本方,周,4,4,3,4,4,\n本方,吴,5,5,4,5,5,\n本方,郑,4,3,,4,4,\n"
)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    copy_samples(tmp_path, parts=("mkdocs.yml", "templates"))
    return tmp_path


def test_gbk_csv_is_read_and_small_group_not_broken_out(ws: Path, run) -> None:
    csv_file = ws / "results.csv"
    csv_file.write_bytes(CSV.encode("gbk"))
    result = run("survey", "import", HENGTONG, str(csv_file), "--root", str(ws))
    assert result.exit_code == 0, result.err
    assert "GB18030" in result.out
    survey = load_portfolio(ws, [HENGTONG]).engagements[0].survey
    assert survey is not None
    entry = survey.data.surveys[0]
    assert entry.respondents == 8
    assert entry.questions["communication"].mean == 4.5
    assert entry.questions["problem-solving"].n == 7  # one blank answer
    assert entry.groups["合作方"].respondents == 5 and not entry.groups["合作方"].suppressed
    assert entry.groups["合作方"].questions["communication"].distribution == {4: 2, 5: 3}
    small = entry.groups["本方"]
    assert small.suppressed and small.respondents == 3 and small.questions == {}
    text = (ws / "engagements" / HENGTONG / "survey.md").read_text(encoding="utf-8")
    assert "王小明" not in text and "非常满意" not in text
    assert run("validate", HENGTONG, "--root", str(ws), "--strict").exit_code == 0


def test_second_import_appends(ws: Path, run) -> None:
    csv_file = ws / "results.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    run("survey", "import", HENGTONG, str(csv_file), "--root", str(ws))
    run("survey", "import", HENGTONG, str(csv_file), "--root", str(ws))
    survey = load_portfolio(ws, [HENGTONG]).engagements[0].survey
    assert survey is not None and len(survey.data.surveys) == 2


def test_bad_score_names_csv_line_and_writes_nothing(ws: Path, run) -> None:
    csv_file = ws / "results.csv"
    csv_file.write_text(CSV.replace("合作方,钱,4,3,3", "合作方,钱,4,7,3"), encoding="utf-8")
    result = run("survey", "import", HENGTONG, str(csv_file), "--root", str(ws))
    assert result.exit_code == 2
    assert "results.csv:5:4: error invalid-value" in result.err
    assert not (ws / "engagements" / HENGTONG / "survey.md").exists()


def test_whole_survey_below_threshold_keeps_no_distribution(ws: Path, run) -> None:
    csv_file = ws / "few.csv"
    csv_file.write_text("overall\n4\n5\n", encoding="utf-8")
    assert run("survey", "import", HENGTONG, str(csv_file), "--root", str(ws)).exit_code == 0
    survey = load_portfolio(ws, [HENGTONG]).engagements[0].survey
    assert survey is not None
    q = survey.data.surveys[0].questions["overall"]
    assert (q.mean, q.n, q.distribution) == (4.5, 2, {})
