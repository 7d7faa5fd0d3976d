"""The 合作协议 of every cooperation mode: its articles, from the clause library (issue 11)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
import yaml

from conftest import REPO, TODAY, copy_samples
from docgen.pipeline.render import render_documents
from test_render import docx_text

FULL_TERMS = """\
terms:
  scope: 示例合作范围
  investment: {amount: 60000000, note: 现金出资, due: 2027-06-30}
  partner_investment: {amount: 90000000, note: 设备作价出资, due: 2027-12-31}
  profit_split: {us: 40, partner: 60}
  term_months: 120
  start: 2027-01-01
  end: 2036-12-31
  exit_mechanism: 合作满五年后任一方可按评估价转让其权益。
  breach_liability: 逾期履行的一方按日万分之五支付违约金。
  adjustment_triggers: [市场环境发生重大变化]
  dispute_resolution: {method: arbitration, institution: 苏州仲裁委员会}
  our_obligations: [提供场地]
  partner_obligations: [导入产线]
  payments:
    - {milestone: 首期款, payer: partner, amount: {amount: 1000000}, due: 2027-03-31}
  bank_accounts:
    us: {name: 示例集团, bank: 示例银行, account: "6222000011112222"}
  conditions_precedent: [甲方董事会批准]
  annexes: [{title: 许可技术清单}]
  signing_place: 江苏省苏州市
  project:
    land: {location: 示例产业园 A-01 地块, area_mu: 100, acquisition: 出让, years: 50}
    fixed_assets: {amount: 4亿}
    schedule: {start: 2027-06-30, production: 2028-12-31}
  joint_venture: {company: 示例合资科技有限公司, registered_capital: {amount: 1.5亿}, board: {seats: 5, ours: 2}, lock_up_years: 3}
  territory: 长三角地区
  licence: {technology: 高倍率磷酸铁锂正极材料制备技术（专利号 ZL202110000001.X）, type: 排他, field: 储能电池正极材料, annex: 许可技术清单}
  agency: {direction: 新能源汽车零部件项目, exclusive: true, targets: [每年引进签约项目不少于 3 个]}
  franchise: {resources: [“示例”注册商标, 门店运营手册], disclosed: 2026-12-01, cooling_off_days: 10}
"""

INDEX = """\
---
title: 示例{mode}项目
code: ZS-{number}
partner:
  name: 苏州示例科技有限公司
  credit_code: 91320505MA1XH7K20A
  address: 苏州市示例路 1 号
  contacts:
    - {{name: 王五, email: wangwu@example.cn}}
mode: {mode}
stage: preparation
status: active
owner: 张伟
dates:
  opened: 2026-01-05
summary: 示例
{terms}---
"""

#: The articles of a 合资 contract, in the order Chinese practice uses.
JOINT_VENTURE = [
    "定义与解释", "合作内容与范围", "合资公司", "甲方的权利和义务", "乙方的权利和义务",
    "合作期限", "费用与支付", "发票与税费", "知识产权", "陈述与保证", "保密",
    "不可抗力", "违约责任", "协议的解除与终止", "合作调整", "通知与送达", "争议解决",
    "廉洁与反商业贿赂", "转让限制", "生效条件与先决条件", "完整协议与可分割性", "附件", "其他",
]  # fmt: skip


def workspace(root: Path, modes: list[str], extra: str = "") -> Path:
    copy_samples(root, ())
    for number, mode in enumerate(modes, 1):
        folder = root / "engagements" / mode
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            INDEX.format(mode=mode, number=number, terms=FULL_TERMS + extra), encoding="utf-8"
        )
    return root


def articles(root: Path, engagement: str) -> list[str]:
    text = docx_text(root / "build/documents" / engagement / "cooperation-agreement.docx")
    return [line.removeprefix("[条] ") for line in text.splitlines() if line.startswith("[条] ")]


def expected(mode: str) -> list[str]:
    """The titles the process file and the clause library give ``mode``'s contract."""
    process = yaml.safe_load((REPO / "src/docgen/data/process.yml").read_text("utf-8"))
    own = next(m.get("clauses", []) for m in process["modes"] if m["id"] == mode)
    titles = []
    for ref in process["contract"]["clauses"]:
        for clause in own if ref.rstrip("?") == "mode" else [ref]:
            header = (REPO / f"src/docgen/data/clauses/{clause.rstrip('?')}.md.j2").read_text()
            data = yaml.safe_load(header.split("{#", 1)[1].split("#}", 1)[0])
            # the full terms give every optional clause but 文本与语言 (no English version)
            when = data.get("when")  # a clause left out of some modes' contracts
            if when and not jinja2.Environment().compile_expression(when)(mode={"id": mode}):
                continue
            if not data.get("preamble") and clause != "language?":
                titles.append(data["title"])
    return titles


MODES = ["joint-venture", "agency", "technology-licensing", "strategic-alliance", "investment",
         "franchise", "co-development"]  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = workspace(tmp_path_factory.mktemp("modes"), MODES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCGEN_TODAY", TODAY)
        report = render_documents(root, docs=["cooperation-agreement"])
    assert report.ok, report.diagnostics
    return root


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_has_every_article_in_order(rendered: Path, mode: str) -> None:
    found = articles(rendered, mode)
    assert found == expected(mode)
    mode_article = {"joint-venture": "合资公司", "agency": "代理事项", "investment": "项目投资与落地",
                    "technology-licensing": "技术许可", "strategic-alliance": "战略合作",
                    "franchise": "特许经营", "co-development": "联合开发"}[mode]  # fmt: skip
    assert found[2] == mode_article
    text = docx_text(rendered / "build/documents" / mode / "cooperation-agreement.docx")
    assert "鉴于：" in text and "签订地点：江苏省苏州市" in text
    assert "人民币壹佰万元整（¥1,000,000.00）" in text  # the payment schedule
    assert "wangwu@example.cn" in text  # 通知与送达 from the partner's contact


def test_the_joint_venture_contract_reads_as_chinese_practice_orders_it(rendered: Path) -> None:
    assert articles(rendered, "joint-venture") == JOINT_VENTURE
    text = docx_text(rendered / "build/documents/joint-venture/cooperation-agreement.docx")
    assert "于2027年6月30日前缴足" in text  # 出资期限


def test_licensing_maps_the_licensor_and_licensee(rendered: Path) -> None:
    text = docx_text(rendered / "build/documents/technology-licensing/cooperation-agreement.docx")
    assert "“许可方”：指甲方" in text and "“被许可方”：指乙方" in text
    assert "附件一：许可技术清单" in text


def test_an_engagement_replaces_a_clause_and_adds_its_own(tmp_path: Path, run) -> None:
    root = workspace(tmp_path, ["joint-venture"])
    record = root / "engagements/joint-venture/documents/cooperation-agreement.md"
    record.parent.mkdir()
    record.write_text(
        '---\nversion: "0.1"\nstatus: draft\nclauses:\n'
        "  - replaces: confidentiality\n    text: |\n      双方永久保密。\n\n      违者赔偿。\n"
        "  - title: 特别约定\n    text: 乙方应于签约后三十日内迁入园区。\n---\n",
        encoding="utf-8",
    )
    assert run("render", "--root", str(root), "--doc", "cooperation-agreement").exit_code == 0
    found = articles(root, "joint-venture")
    assert found == [*JOINT_VENTURE[:-1], "特别约定", "其他"]  # added before 其他
    text = docx_text(root / "build/documents/joint-venture/cooperation-agreement.docx")
    assert "[款] 双方永久保密。\n[款] 违者赔偿。" in text  # each paragraph one 款
    assert "商业秘密承担保密义务" not in text


def test_validate_reports_what_a_required_clause_lacks_at_its_line(tmp_path: Path, run) -> None:
    root = workspace(tmp_path, ["joint-venture"])
    index = root / "engagements/joint-venture/index.md"
    text = index.read_text("utf-8")
    text = text.replace(", due: 2027-06-30}", "}").replace(
        "  payments:\n    - {milestone: 首期款, payer: partner, amount: {amount: 1000000}, "
        "due: 2027-03-31}\n",
        "",
    )
    index.write_text(text, "utf-8")
    record = root / "engagements/joint-venture/documents/cooperation-agreement.md"
    record.parent.mkdir()
    record.write_text(
        '---\nversion: "0.1"\nstatus: draft\nclauses:\n  - replaces: no-such-clause\n'
        "    text: 某条款\n---\n",
        encoding="utf-8",
    )
    result = run("validate", "--root", str(root))
    assert result.exit_code == 1
    lines = text.splitlines()
    investment = next(i for i, t in enumerate(lines, 1) if "  investment:" in t)
    terms = next(i for i, t in enumerate(lines, 1) if t == "terms:")
    out = result.out
    assert f"index.md:{investment}:3: error document-field-missing 合资公司 needs " \
           "terms.investment.due" in out  # fmt: skip
    assert f"index.md:{terms}:1: error document-field-missing 费用与支付 needs terms.payments" in out
    assert "cooperation-agreement.md:5:5: error clause-unknown no clause 'no-such-clause'" in out


def test_documents_made_only_for_engagements_with_a_record(tmp_path: Path, run) -> None:
    root = workspace(tmp_path, ["joint-venture"])
    folder = root / "engagements/joint-venture"
    assert run("render", "--root", str(root)).exit_code in (0, 1)
    made = root / "build/documents/joint-venture"
    for doc in ("supplementary-agreement", "retrospective-report", "major-event-notice"):
        assert not (made / f"{doc}.docx").exists(), doc  # no record: not made
    (folder / "documents").mkdir()
    (folder / "documents/supplementary-agreement.md").write_text(
        '---\nversion: "0.1"\n---\n', encoding="utf-8"
    )
    result = run("validate", "--root", str(root))
    assert result.exit_code == 1
    assert "补充协议 needs supplement.reason" in result.out
    assert "补充协议 needs agreement_signed" in result.out  # it cites the signed agreement


def test_samples_supplement_retrospective_and_notice(tmp_path: Path, run) -> None:
    copy_samples(tmp_path)
    engagement = "2025-014-hengtong-logistics"
    assert run("render", engagement, "--root", str(tmp_path)).exit_code == 0
    made = tmp_path / "build/documents" / engagement
    supplement = docx_text(made / "supplementary-agreement.docx")
    assert "于2026年3月2日签署《合作协议》（协议编号：ZS-2025-014-HT" in supplement
    # the signed agreement's 合资公司 article has nine 款: the one added is the tenth
    assert "[条] 修改内容\n[款] 原协议第三条（合资公司）增加一款，作为第（十）款：" in supplement
    assert "[款] 原协议第十五条（合作调整）增加一款，作为第（三）款：" in supplement
    retrospective = docx_text(made / "retrospective-report.docx")
    assert "风险“区域电商物流需求下滑导致入驻率不达标”" in retrospective  # R2 from risks.md
    assert "[Heading 1] 改进建议" in retrospective
    notice = docx_text(made / "major-event-notice.docx")
    assert notice.index("杭州恒通智慧物流有限公司：") < notice.index("特此函告。")


EN = """\
en:
  title: Demonstration Project
  partner_name: Suzhou Example Technology Co., Ltd.
  partner_address: 1 Example Road, Suzhou
  scope: the joint operation of the demonstration park
  exit_mechanism: After five years either Party may transfer its interest at appraised value.
  breach_liability: A Party late in performing pays 0.05% per day.
  our_obligations: [Provide the site]
  partner_obligations: [Bring in the production line]
  adjustment_triggers: [a material change of the market]
  arbitration_institution: Suzhou Arbitration Commission
"""


def test_the_english_contract_has_the_same_articles_numbered_in_english(
    tmp_path: Path, run
) -> None:
    root = workspace(tmp_path, ["technology-licensing"], extra=EN)
    result = run("render", "--root", str(root), "--doc", "cooperation-agreement")
    assert result.exit_code == 0, result.out + result.err
    made = root / "build/documents/technology-licensing"
    zh = articles(root, "technology-licensing")
    english = docx_text(made / "cooperation-agreement.en.docx")
    en_articles = [x.removeprefix("[Article] ") for x in english.splitlines()
                   if x.startswith("[Article] ")]
    assert len(en_articles) == len(zh) and "文本与语言" in zh  # the same clauses, language too
    assert en_articles[:3] == ["Definitions and Interpretation", "Scope of Cooperation",
                               "Technology Licence"]
    assert en_articles[-1] == "Miscellaneous"
    # a licence is paid by its royalties (费用与支付): no profit-sharing article in either
    assert "投入与收益分配" not in zh and "Profits are shared" not in english
    assert "[Article] Fees and Payment" in english
    assert "“Licensor”" not in english and '"Licensor" means Party A' in english


def test_signing_a_supplement_records_it_on_the_agreement(tmp_path: Path, run) -> None:
    copy_samples(tmp_path)
    engagement, root = "2025-014-hengtong-logistics", ["--root", str(tmp_path)]
    agreement = tmp_path / "engagements" / engagement / "documents/cooperation-agreement.md"
    before = agreement.read_text("utf-8")
    approved = run("approve", engagement, "supplementary-agreement", "--by", "周建国",
                   "--date", "2026-11-24", "--force", *root)  # fmt: skip
    assert approved.exit_code == 0, approved.out + approved.err
    signed = run("sign", engagement, "supplementary-agreement", "--date", "2026-11-25",
                 "--force", *root)  # fmt: skip
    assert signed.exit_code == 0, signed.out + signed.err
    after = agreement.read_text("utf-8")
    assert after.startswith(before.removesuffix("---\n"))  # the rest of the record is kept
    assert "amended_by:\n  - document: supplementary-agreement\n    version: '0.2'\n" \
           "    signed: 2026-11-25\n    articles: [合资公司, 合作调整]\n" in after  # fmt: skip
    # the agreement's signed text stands; its record says what changed it
    assert run("validate", engagement, "--strict", *root).exit_code == 0
    assert run("publish", *root).exit_code == 0
    page = (tmp_path / "build/site/engagements" / engagement / "index.html").read_text("utf-8")
    assert "1.0<small>经2026-11-25 补充协议 0.2修改</small>" in page


def test_a_clause_the_process_names_without_a_template_is_an_error(tmp_path: Path, run) -> None:
    root = workspace(tmp_path, ["agency"])
    process = root / "templates/process.yml"
    text = process.read_text("utf-8").replace("    - miscellaneous\n", "    - miscellaneous\n    - escrow\n")
    process.write_text(text, "utf-8")
    result = run("render", "--root", str(root), "--doc", "cooperation-agreement")
    assert result.exit_code == 1
    assert "templates/clauses/escrow.md.j2:1:1: error template-error no template " \
           "clauses/escrow.md.j2 in templates/clauses/ or the package" in result.out  # fmt: skip
    # written by legal staff, the clause is part of every contract
    (root / "templates/clauses/escrow.md.j2").write_text(
        "{#\ntitle: 资金监管\n#}\n1. 双方于银行开立共管账户。\n", encoding="utf-8"
    )
    assert run("render", "--root", str(root), "--doc", "cooperation-agreement").exit_code == 0
    assert articles(root, "agency")[-1] == "资金监管"


def test_a_users_list_item_is_one_sentence_in_a_contract() -> None:
    """Issue 26: obligations typed without 。 get one; typed with one, or with ；, get exactly one."""
    from docgen.documents.filters import sentence, unclosed

    assert sentence("按期足额缴付出资") == "按期足额缴付出资。"
    assert sentence("按期足额缴付出资。") == "按期足额缴付出资。"
    assert sentence("按期足额缴付出资；") == "按期足额缴付出资。"
    assert sentence("是否按期？") == "是否按期？"
    assert unclosed("合资公司负责电驱总成的研发、生产与销售。") == "合资公司负责电驱总成的研发、生产与销售"


MONEY_TERMS = """\
  payments:
    - {milestone: 首期许可费, kind: 许可使用费, payer: 乙方, amount: {amount: 300万}, due: 2027-03-31}
    - {milestone: 销售提成, kind: 提成, payer: 乙方, rate: {percent: 4, basis: 授权产品销售额, period: 季度, minimum: {amount: 50万}, within_days: 15}}
    - {milestone: 履约保证金, kind: 保证金, payer: 乙方, amount: {amount: 100万}}
    - {milestone: 甲方出资, kind: 出资, payer: 甲方, amount: {amount: 6000万}, due: 2027-06-30}
"""


def test_every_payment_names_its_payee_and_is_invoiced_as_what_it_is(tmp_path: Path, run) -> None:
    """Issue 25: who pays whom; a royalty as a rate; no VAT invoice for a contribution or a deposit."""
    root = workspace(tmp_path, ["technology-licensing", "joint-venture"])
    for mode in ("technology-licensing", "joint-venture"):
        index = root / "engagements" / mode / "index.md"
        text = index.read_text("utf-8")
        start = text.index("  payments:")
        end = text.index("  bank_accounts:")
        index.write_text(text[:start] + MONEY_TERMS + text[end:], "utf-8")
    result = run("render", "--doc", "cooperation-agreement", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    text = docx_text(root / "build/documents/joint-venture/cooperation-agreement.docx")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| 付款节点 | 付款方 | 收款方 | 金额 | 付款期限 | 付款条件 |"
    assert "| 首期许可费 | 乙方 | 甲方 | 人民币叁佰万元整（¥3,000,000.00） | 2027年3月31日 | — |" in rows
    assert ("| 销售提成 | 乙方 | 甲方 | 按授权产品销售额的 4% 按季度结算，每季度不低于人民币伍拾万元整"
            "（¥500,000.00），于每季度结束后15日内支付 | — | — |") in rows  # fmt: skip
    assert "| 甲方出资 | 甲方 | 合资公司 |" in text  # a contribution goes to the company
    assert "零元" not in text
    assert "就首期许可费、销售提成款项，收款方应在收到每笔款项后10个工作日内" in text
    assert "履约保证金、甲方出资不属于销售款项，不开具发票：出资款由合资公司出具出资证明书，其他款项由收款方出具收据。" in text
    assert "甲方收款账户" in text and "乙方收款账户" not in text  # only a party that is paid
    licensing = docx_text(root / "build/documents/technology-licensing/cooperation-agreement.docx")
    assert "| 甲方出资 | 甲方 | 项目公司 |" in licensing


def test_a_payment_is_a_sum_or_a_rate_and_not_paid_to_its_payer() -> None:
    from pydantic import ValidationError

    from docgen.domain.model import Payment

    with pytest.raises(ValidationError):
        Payment.model_validate({"milestone": "提成", "payer": "partner"})
    with pytest.raises(ValidationError):
        Payment.model_validate({"milestone": "x", "payer": "us", "payee": "us", "amount": {"amount": 1}})
    fee = Payment.model_validate({"milestone": "服务费", "payer": "us", "amount": {"amount": 1}})
    assert fee.receiver == "partner" and fee.invoiced
    stake = Payment.model_validate({"milestone": "出资", "kind": "contribution", "payer": "us",
                                    "amount": {"amount": 1}})  # fmt: skip
    assert stake.receiver == "company" and not stake.invoiced


def test_every_modes_english_contract_has_the_chinese_articles_in_order(tmp_path: Path, run) -> None:
    """Issue 25: the English contract is the Chinese one article for article, in every mode."""
    root = workspace(tmp_path, MODES, extra=EN)
    result = run("render", "--root", str(root), "--doc", "cooperation-agreement")
    assert result.exit_code == 0, result.out + result.err
    for mode in MODES:
        english = docx_text(root / "build/documents" / mode / "cooperation-agreement.en.docx")
        en_articles = [x for x in english.splitlines() if x.startswith("[Article] ")]
        assert len(en_articles) == len(articles(root, mode)), mode


INTENT = """\
intent: {exclusivity_days: 90, confidentiality_years: 5}
"""


def test_the_letter_of_intent_carries_its_binding_terms_in_both_languages(tmp_path: Path, run) -> None:
    """Issue 25: 排他期 and 保密期限 reach the text; its binding parts have a law and a forum."""
    root = workspace(tmp_path, ["joint-venture"], extra=EN + INTENT)
    result = run("render", "--root", str(root), "--doc", "letter-of-intent")
    assert result.exit_code == 0, result.out + result.err
    made = root / "build/documents/joint-venture"
    zh = docx_text(made / "letter-of-intent.docx")
    assert "九十日内（排他期）" in zh and "期限至本意向书签署后五年" in zh
    assert "适用中华人民共和国法律" in zh and "提交苏州仲裁委员会按照其届时有效的仲裁规则进行仲裁" in zh
    assert "“适用法律与争议解决”及本部分外" in zh
    en = docx_text(made / "letter-of-intent.en.docx")
    assert "For 90 days" in en and "binds for 5 years" in en and "Suzhou Arbitration Commission" in en
    headings = [x for x in zh.splitlines() if x.startswith("[Heading 1]")]
    en_headings = [x for x in en.splitlines() if x.startswith("[Heading 1]")]
    assert len(headings) == len(en_headings) == 7, (headings, en_headings)  # the same sections
    assert "[Normal] Party B: Suzhou Example Technology Co., Ltd., 1 Example Road, Suzhou\n" in en


def test_the_modes_own_data_is_asked_for_while_negotiating(tmp_path: Path, run) -> None:
    """Issue 25: a 合资's contributions were first asked for when the contract was drafted."""
    import json

    root = workspace(tmp_path, ["joint-venture"])
    index = root / "engagements/joint-venture/index.md"
    text = index.read_text("utf-8")
    lines = [x for x in text.split("\n") if not x.startswith(("  investment:", "  partner_investment:"))]
    index.write_text("\n".join(lines), "utf-8")

    def asked() -> list[dict]:
        said = run("validate", "joint-venture", "--format", "json", "--root", str(root))
        return [d for d in json.loads(said.out)["diagnostics"] if "terms.investment" in d["message"]]

    assert asked() == []  # 前期准备: too early
    index.write_text(index.read_text("utf-8").replace("stage: preparation", "stage: negotiation"), "utf-8")
    found = asked()
    assert found and all(d["severity"] == "warning" for d in found), found
    assert "合作确立" in found[0]["hint"] and found[0]["path"].endswith("index.md")


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_is_rendered_from_either_side(tmp_path: Path, run, mode: str) -> None:
    """Issue 25: 甲方 was always us; the park is as often the licensee, franchisee or agent."""
    roles = {"technology-licensing": ("许可方", "被许可方"), "agency": ("委托方", "代理方"),
             "franchise": ("特许人", "被特许人")}.get(mode)  # fmt: skip
    we_are = roles[1] if roles else "乙方"
    root = workspace(tmp_path, [mode], extra=f"  we_are: {we_are}\n")
    index = root / "engagements" / mode / "index.md"
    text = index.read_text("utf-8").replace(
        "    us: {name: 示例集团, bank: 示例银行, account: \"6222000011112222\"}",
        "    us: {name: 示例集团, bank: 示例银行, account: \"6222000011112222\"}\n"
        "    partner: {name: 苏州示例科技有限公司, bank: 招商银行苏州分行, account: \"5120001\"}")
    index.write_text(text, "utf-8")
    result = run("render", "--doc", "cooperation-agreement", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    made = docx_text(root / "build/documents" / mode / "cooperation-agreement.docx")
    a_role = f"（{roles[0]}）" if roles else ""
    b_role = f"（{roles[1]}）" if roles else ""
    # the partner is 甲方 now, in the party blocks, the definitions and the signatures
    assert f"甲方{a_role}：苏州示例科技有限公司" in made and f"乙方{b_role}：江南高新技术产业开发区发展集团有限公司" in made
    if roles:
        assert f"“{roles[0]}”：指甲方苏州示例科技有限公司；“{roles[1]}”：指乙方江南高新技术产业开发区" in made
    lines = made.splitlines()
    a_articles = lines.index("[条] 甲方的权利和义务")
    assert lines[a_articles + 1] == "[款] 导入产线。"  # 甲方's obligations are the partner's
    assert lines[lines.index("[条] 乙方的权利和义务") + 1] == "[款] 提供场地。"
    assert "乙方已对甲方的主体资格" in made  # we did the due diligence, as 乙方
    # 首期款 is paid by the partner, 甲方 now, to us, 乙方: our account is printed as 乙方's
    assert "| 首期款 | 甲方 | 乙方 |" in made and "乙方收款账户：户名 示例集团" in made
    assert "| 苏州示例科技有限公司 | 江南高新技术产业开发区发展集团有限公司 |" in made  # signatures


def test_a_side_the_mode_does_not_have_is_refused(tmp_path: Path, run) -> None:
    root = workspace(tmp_path, ["agency"], extra="  we_are: 被许可方\n")
    said = run("validate", "agency", "--root", str(root))
    assert said.exit_code == 1 and "we_are" in said.out and "委托方" in said.out, said.out


def test_an_investment_agreement_says_land_intensity_schedule_yield_support_and_shortfall(
    tmp_path: Path, run
) -> None:
    """Issue 25: the core 招商引资 agreement had none of its substance."""
    root = copy_samples(tmp_path)
    result = run("render", "2026-005-bluewave-biopharma", "--doc", "合作协议", "--root", str(root))
    assert result.exit_code == 0, result.out + result.err
    text = docx_text(root / "build/documents/2026-005-bluewave-biopharma/cooperation-agreement.docx")
    article = text[text.index("[条] 项目投资与落地"):]
    article = article[: article.index("[条]", 5)]
    for needed in ("B-07 地块使用项目用地约 120 亩，用途为工业用地，以出让方式取得国有建设用地使用权，年限五十年",
                   "出让价款为人民币叁仟陆佰万元整", "固定资产投资强度不低于每亩 450 万元",
                   "2027年6月30日前开工", "2030年12月31日前达产", "年纳税额不低于人民币壹亿贰仟万元整",
                   "固定资产投资补助：人民币叁仟万元整（¥30,000,000.00）；兑现条件：一期固定资产投资达到 5 亿元并经审计确认；",
                   "代建价款为人民币壹亿陆仟万元整", "返还已兑现的扶持资金", "收回土地使用权"):  # fmt: skip
        assert needed in article, (needed, article)


def test_an_investment_projects_figures_are_checked(tmp_path: Path, run) -> None:
    import json

    root = copy_samples(tmp_path)
    index = root / "engagements/2026-005-bluewave-biopharma/index.md"
    text = index.read_text("utf-8").replace("intensity: 450", "intensity: 600").replace(
        "completion: 2028-12-31", "completion: 2027-01-31")
    index.write_text(text, "utf-8")
    said = run("validate", "2026-005-bluewave-biopharma", "--format", "json", "--root", str(root))
    found = {d["code"]: d for d in json.loads(said.out)["diagnostics"]}
    assert "600 万元 a 亩" in found["ratio-mismatch"]["message"] and "(500 万元 a 亩" in found["ratio-mismatch"]["message"]
    assert found["date-order"]["severity"] == "error" and "completion" in found["date-order"]["message"]


def test_each_mode_prints_its_own_substance(rendered: Path) -> None:
    """Issue 25: licence type, field and territory; agency direction, exclusivity, targets;
    the 《商业特许经营管理条例》 disclosures, cooling-off and filing, and no clause that forbids
    the franchisee the licensed marks."""
    def text(mode: str) -> str:
        return docx_text(rendered / "build/documents" / mode / "cooperation-agreement.docx")

    licence = text("technology-licensing")
    assert "许可技术：高倍率磷酸铁锂正极材料制备技术（专利号 ZL202110000001.X），其内容、技术指标与技术资料清单详见附件一《许可技术清单》。" in licence
    assert "许可方式：排他许可，即在许可地域和使用领域内，许可方不得许可任何第三方实施许可技术，但可以自行实施。" in licence
    assert "使用领域：储能电池正极材料；许可地域：长三角地区" in licence
    assert "以及被许可方依本协议实施许可技术所必需的除外" in licence
    agency = text("agency")
    assert "就新能源汽车零部件项目开展招商与推介事务" in agency and "代理方为委托方在代理区域内的独家代理" in agency
    assert "代理方的工作目标：每年引进签约项目不少于 3 个。" in agency and "“代理区域”：指长三角地区" in agency
    franchise = text("franchise")
    assert "特许人已于2026年12月1日依照《商业特许经营管理条例》第二十一条、第二十二条的规定" in franchise
    assert "被特许人可以在本协议订立后十日内单方解除本协议" in franchise
    assert "十五日内依法向商务主管部门备案" in franchise
    assert "以及被特许人依本协议使用特许人经营资源的除外" in franchise


def test_a_licences_technology_annex_is_attached(tmp_path: Path, run) -> None:
    import json

    root = workspace(tmp_path, ["technology-licensing"])
    index = root / "engagements/technology-licensing/index.md"

    def codes() -> dict[str, dict]:
        said = run("validate", "technology-licensing", "--format", "json", "--root", str(root))
        return {d["code"]: d for d in json.loads(said.out)["diagnostics"] if d["code"] == "annex-not-attached"
                or d["code"] == "unknown-reference"}

    assert codes()["annex-not-attached"]["severity"] == "warning"  # named, no file
    text = index.read_text("utf-8")
    index.write_text(text.replace("annexes: [{title: 许可技术清单}]", "annexes: [{title: 许可技术清单, file: ../../../etc/passwd}]"), "utf-8")
    assert "outside" in codes()["annex-not-attached"]["message"]
    index.write_text(text.replace("annexes: [{title: 许可技术清单}]", "annexes: [{title: 许可技术清单, file: documents/技术清单.pdf}]"), "utf-8")
    assert codes()["annex-not-attached"]["severity"] == "error"
    (index.parent / "documents").mkdir(exist_ok=True)
    (index.parent / "documents/技术清单.pdf").write_bytes(b"%PDF-1.4")
    assert codes() == {}
    index.write_text(text.replace("annex: 许可技术清单", "annex: 技术附件"), "utf-8")
    assert "技术附件" in codes()["unknown-reference"]["message"]


def test_a_joint_venture_says_its_company_capital_governance_profits_deadlock_and_exit(rendered: Path) -> None:
    """Issue 25: 合资: company name, registered capital, each share, governance, profits, deadlock."""
    text = docx_text(rendered / "build/documents/joint-venture/cooperation-agreement.docx")
    article = text[text.index("[条] 合资公司"):]
    article = article[: article.index("[条]", 5)]
    for needed in ("共同出资设立示例合资科技有限公司（以下简称“合资公司”", "注册资本为人民币壹亿伍仟万元整",
                   "甲方认缴出资人民币陆仟万元整（¥60,000,000.00），占注册资本的 40%，出资方式：现金出资，于2027年6月30日前缴足",
                   "乙方认缴出资人民币玖仟万元整（¥90,000,000.00），占注册资本的 60%",
                   "董事会由五名董事组成，其中甲方提名二名，乙方提名三名", "总经理由乙方提名",
                   "按双方实缴出资比例分配", "连续两次未能形成决议", "合资公司成立之日起三年内"):  # fmt: skip
        assert needed in article, (needed, article)


def test_a_capital_that_is_not_the_contributions_sum_is_said(tmp_path: Path, run) -> None:
    import json

    root = workspace(tmp_path, ["joint-venture"])
    index = root / "engagements/joint-venture/index.md"
    index.write_text(index.read_text("utf-8").replace("registered_capital: {amount: 1.5亿}",
                                                      "registered_capital: {amount: 2亿}"), "utf-8")  # fmt: skip
    said = run("validate", "joint-venture", "--format", "json", "--root", str(root))
    found = [d for d in json.loads(said.out)["diagnostics"] if d["code"] == "ratio-mismatch"]
    assert found and "2 亿元" in found[0]["message"] and "1.5 亿元" in found[0]["message"], found


def test_a_termination_sets_off_the_accounts_and_prints_the_net_in_words(tmp_path: Path, run) -> None:
    """Issue 25: each side's claims, the set-off and the net amount in figures and 大写; a
    buy-back at its price; 保密, 知识产权 and 争议解决 survive."""
    root = copy_samples(tmp_path)
    folder = root / "engagements/2024-003-jinghua-materials"
    record = folder / "documents/termination-agreement.md"  # a new version, in draft
    record.write_text(record.read_text("utf-8").replace('version: "1.0"\nstatus: signed\nsigned: 2026-06-30\n',
                                                        'version: "1.1"\nstatus: draft\n'), "utf-8")  # fmt: skip
    index = folder / "index.md"
    text = index.read_text("utf-8")
    start, end = text.index("  buy_back:\n"), text.index("  claims:\n")
    accounts = (
        "  buy_back:\n"
        "    - {what: 展示仓库存碳纤维及预浸料 12.6 吨, buyer: partner, price: {amount: 218.4万}, due: 2026-06-20}\n"
        "  accounts:\n"
        "    - {item: 截至终止日的代销货款, owed_by: us, amount: {amount: 864000}}\n"
        "    - {item: 二季度代理佣金, owed_by: partner, amount: {amount: 421000}}\n"
        "  settle_by: 2026-07-15\n"
    )
    index.write_text(text[:start] + accounts + text[end:], "utf-8")
    said = run("render", "2024-003-jinghua-materials", "--doc", "终止协议", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    made = docx_text(folder.parent.parent / "build/documents/2024-003-jinghua-materials/termination-agreement.docx")
    # we are the 代理方, 乙方: the partner (甲方, 委托方) buys back, and we owe the net
    assert "甲方以人民币贰佰壹拾捌万肆仟元整（¥2,184,000.00）回购展示仓库存碳纤维及预浸料 12.6 吨，于2026年6月20日前完成交割并付清价款。" in made
    assert "| 截至终止日的代销货款 | 乙方 | 甲方 | 人民币捌拾陆万肆仟元整（¥864,000.00） |" in made
    assert "| 二季度代理佣金 | 甲方 | 乙方 | 人民币肆拾贰万壹仟元整（¥421,000.00） |" in made
    assert ("上述款项相互抵销后，乙方应向甲方支付人民币肆拾肆万叁仟元整（¥443,000.00），"
            "于2026年7月15日前付清") in made  # fmt: skip
    assert "原协议中的保密、知识产权、争议解决条款在原协议终止后继续有效。" in made


def test_a_notice_cites_only_articles_the_signed_agreement_has(tmp_path: Path, run) -> None:
    """Issue 25: 重大事项告知函 cites the signed contract's articles by their numbers there."""
    import json

    root = copy_samples(tmp_path)
    hengtong = "2025-014-hengtong-logistics"
    said = run("render", hengtong, "--doc", "重大事项告知函", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    text = docx_text(root / "build/documents" / hengtong / "major-event-notice.docx")
    assert "签署的《合作协议》第三条（合资公司）、第十五条（合作调整）关于" in text
    assert "江南高新技术产业开发区发展集团有限公司（盖章）" in text and "请联系：招商二部 张伟 0512-6688-1002。" in text
    index = root / "engagements" / hengtong / "index.md"
    index.write_text(index.read_text("utf-8").replace("articles: [合作调整, 合资公司]", "articles: [合作调整, 投入与收益分配]"), "utf-8")
    found = json.loads(run("validate", hengtong, "--format", "json", "--root", str(root)).out)["diagnostics"]
    wrong = [d for d in found if d["code"] == "unknown-reference"]
    assert wrong and "投入与收益分配" in wrong[0]["message"] and "合作调整" in wrong[0]["hint"], found


def test_a_supplement_amends_by_article_and_clause(tmp_path: Path, run) -> None:
    """Issue 25: 补充协议 amends 第六条第（二）款, adds 一款, cites the signed numbers, and never
    rewrites a whole article by accident."""
    import json

    root = copy_samples(tmp_path)
    hengtong = "2025-014-hengtong-logistics"
    index = root / "engagements" / hengtong / "index.md"
    text = index.read_text("utf-8")
    start, end = text.index("  changes:\n"), text.index("  effective: 2027-01-01")
    changes = (
        "  changes:\n"
        "    - {article: 合资公司, clause: 6, text: 利润分配：每年分配不低于可分配利润的 40%}\n"
        "    - {article: 合作调整, action: 增加, text: 园区入驻率连续两个季度低于 45% 的，任何一方可提议启动二期建设延期程序}\n"
        "    - {article: 保密, action: 删除, clause: 2}\n"
    )
    index.write_text(text[:start] + changes + text[end:], "utf-8")
    said = run("render", hengtong, "--doc", "补充协议", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    made = docx_text(root / "build/documents" / hengtong / "supplementary-agreement.docx")
    assert "[款] 原协议第三条（合资公司）第（六）款修改为：利润分配：每年分配不低于可分配利润的 40%。" in made
    assert "[款] 原协议第十五条（合作调整）增加一款，作为第（三）款：园区入驻率连续两个季度低于 45% 的" in made
    assert "[款] 删除原协议第十一条（保密）第（二）款。" in made

    def refused(change: str) -> list[dict]:
        index.write_text(text[:start] + "  changes:\n" + change + text[end:], "utf-8")
        out = run("validate", hengtong, "--format", "json", "--root", str(root)).out
        return [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]

    whole = refused("    - {article: 合作调整, text: 新的条文}\n")
    assert whole and whole[0]["code"] == "amendment-unplaced", whole
    assert refused("    - {article: 合作调整, text: 新的条文, whole: true}\n") == []
    missing = refused("    - {article: 投入与收益分配, clause: 1, text: 新的条文}\n")
    assert missing and "投入与收益分配" in missing[0]["message"] and "合作调整" in missing[0]["hint"]
    beyond = refused("    - {article: 合作调整, clause: 5, text: 新的条文}\n")
    assert beyond and "5" in beyond[0]["message"]


def test_a_renewal_says_who_pays_what_in_the_new_term_and_which_articles_continue(
    tmp_path: Path, run
) -> None:
    """Issue 25: 续约协议 names who pays what and when, and which original articles continue."""
    import json

    root = copy_samples(tmp_path)
    haixin = "2023-009-haixin-semiconductor"
    folder = root / "engagements" / haixin
    record = folder / "documents/renewal-agreement.md"
    record.write_text(record.read_text("utf-8").replace(  # a 2.1 signed today, frozen by the render
        'version: "2.0"\nstatus: signed\nsigned: 2026-09-15\n', 'version: "2.1"\nstatus: signed\nsigned: 2026-11-20\n'
    ).replace("revisions:", '  - {by: 周建国, role: 集团总经理, date: 2026-11-20, version: "2.1"}\nrevisions:'), "utf-8")
    index = folder / "index.md"
    text = index.read_text("utf-8")
    start, end = text.index("  payments:\n    - {milestone: 续约许可费"), text.index("  changes:\n")
    text = text[:start] + text[end:]  # the sample's own, replaced by the test's
    text = text.replace("  goals:\n    - 2027 年底前通过", (
        "  payments:\n"
        "    - {milestone: 续约期授权费, kind: 许可使用费, payer: 乙方, amount: {amount: 1000万}, due: 2026-10-15}\n"
        "    - {milestone: 续约期销售提成, kind: 提成, payer: 乙方, rate: {percent: 3.5, basis: 授权产品销售额, period: 年, minimum: {amount: 300万}, within_days: 30}}\n"
        "  continuing: [保密, 争议解决]\n"
        "  goals:\n    - 2027 年底前通过"), 1)
    index.write_text(text, "utf-8")
    said = run("render", haixin, "--doc", "续约协议", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    made = docx_text(root / "build/documents" / haixin / "renewal-agreement.docx")
    assert "| 续约期授权费 | 乙方 | 甲方 | 人民币壹仟万元整（¥10,000,000.00） | 2026年10月15日 | — |" in made
    assert "按授权产品销售额的 3.5% 按年结算，每年不低于人民币叁佰万元整（¥3,000,000.00），于每年结束后30日内支付" in made
    assert "原协议第十一条（保密）、第十七条（争议解决）在续约期间继续有效" in made
    # a licence has no 投入与收益分配 article to continue
    index.write_text(text.replace("continuing: [保密, 争议解决]", "continuing: [保密, 投入与收益分配]"), "utf-8")
    found = json.loads(run("validate", haixin, "--format", "json", "--root", str(root)).out)["diagnostics"]
    assert [d for d in found if d["code"] == "unknown-reference" and "投入与收益分配" in d["message"]], found


OTHERS = """\
  other_parties:
    - {kind: fund, name: 江南高新产业投资基金（有限合伙）, credit_code: 91320594MA1MQEN60G, address: 苏州市江南高新区创新大道 88 号, obligations: [按约定向合资公司增资 3000 万元]}
    - {kind: guarantor, name: 陈立, signs: false, obligations: [对乙方的出资义务承担连带保证责任]}
"""


def test_a_third_party_signs_and_one_that_does_not_is_reported(tmp_path: Path, run) -> None:
    """Issue 25: 三方协议: an industry fund as 丙方 with its block, obligations and signature;
    a guarantor who does not sign is reported, its covenant not printed."""
    import json

    root = workspace(tmp_path, ["joint-venture"], extra=OTHERS)
    said = run("render", "--doc", "cooperation-agreement", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    text = docx_text(root / "build/documents/joint-venture/cooperation-agreement.docx")
    assert "[Normal] 丙方：江南高新产业投资基金（有限合伙）" in text
    assert "丙方江南高新产业投资基金（有限合伙）是依法设立并有效存续的主体" in text
    lines = text.splitlines()
    at = lines.index("[条] 丙方的权利和义务")
    assert lines[at - 2].startswith("[款]") and lines[at + 1] == "[款] 按约定向合资公司增资 3000 万元。"
    assert "| 甲方（盖章） | 乙方（盖章） | 丙方（盖章） |" in text
    assert "丙方送达地址：苏州市江南高新区创新大道 88 号。" in text
    assert "陈立" not in text and "连带保证" not in text  # not a party: not printed
    found = json.loads(run("validate", "--format", "json", "--root", str(root)).out)["diagnostics"]
    assert [d for d in found if d["code"] == "covenant-of-non-party" and "陈立" in d["message"]], found


def test_an_english_text_says_which_values_it_has_only_in_chinese(tmp_path: Path, run) -> None:
    """Issue 25: fields that exist only in Chinese are reported when the English text is made."""
    root = workspace(tmp_path, ["technology-licensing"], extra=EN)
    said = run("render", "--doc", "cooperation-agreement", "--root", str(root))
    assert said.exit_code == 0, said.out + said.err
    leaks = [line for line in said.out.splitlines() if "english-has-chinese" in line]
    assert len(leaks) == 1 and "index.md" in leaks[0], said.out
    assert "高倍率磷酸铁锂正极材料制备技术（专利号 ZL202110000001.X）" in leaks[0] and "首期款" in leaks[0]
    # the Chinese text is not an English one: nothing said of it
    (tmp_path / "zh").mkdir()
    chinese_only = workspace(tmp_path / "zh", ["technology-licensing"])
    said = run("render", "--doc", "cooperation-agreement", "--root", str(chinese_only))
    assert "english-has-chinese" not in said.out
