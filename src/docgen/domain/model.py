"""Schemas of every engagement file kind (the front matter of each markdown file).

These classes are the file formats' contract: ``docgen schema`` derives JSON Schema from
them.  Vocabulary that a team may change (stages, modes, risk categories, item ids,
document kinds) is checked against the process file in `docgen.checks.validate`, not here.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, NamedTuple

from pydantic import BeforeValidator, Field, model_validator

from docgen.core.i18n import msg
from docgen.core.schema import Strict

Text = Annotated[str, Field(min_length=1)]


def _digits_as_text(value: object) -> object:
    # YAML reads an unquoted all-digit code (15-digit 注册号, a numeric USCC) as a number.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


_AMOUNT = re.compile(r"^[¥￥]?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万|亿)?\s*元?$")
_UNIT = {None: 1, "万": 10_000, "亿": 100_000_000}


def _amount_as_written(value: object) -> object:
    # An amount as people write it: 8000万, 1.2 亿元, 3,000,000 元, ¥500 (in 元).
    if not isinstance(value, str):
        return value
    found = _AMOUNT.match(value.strip())
    if found is None:
        return value  # not an amount: the schema says so
    figure = Decimal(found[1].replace(",", "").replace("，", ""))
    return float(figure * _UNIT[found[2]])


#: An amount in the currency's unit (元), also written 8000万 or 1.2亿.
Amount = Annotated[float, BeforeValidator(_amount_as_written), Field(ge=0)]
#: Identifiers that may be written unquoted though they are all digits.
CodeText = Annotated[str, BeforeValidator(_digits_as_text)]
Visibility = Literal["internal", "partner", "public"]
Status = Literal["active", "on-hold", "terminated", "completed", "renewed", "lost"]
#: statuses of a cooperation still going on (renewed: in a later term)
LIVE_STATUSES = ("active", "on-hold", "renewed")
#: statuses of one that ended: nothing of it is due or overdue, its risks are history
CLOSED_STATUSES = ("terminated", "completed", "lost")
Period = Annotated[str, Field(pattern=r"^\d{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$")]
#: A document version: "1.0", "2.1.3" (quoted in YAML, or 1.10 reads as 1.1).
VERSION_PATTERN = r"^\d+(\.\d+){0,2}$"


class Contact(Strict):
    """A person at the partner."""

    name: Text
    #: the name as the English contract writes it (Qian Ming)
    name_en: str | None = None
    role: str | None = None
    phone: CodeText | None = None
    email: str | None = None


def _credit_code_form(value: object) -> object:
    # 统一社会信用代码 is written in capitals; a lower-case copy is the same code
    value = _digits_as_text(value)
    return value.strip().upper() if isinstance(value, str) else value


class Partner(Strict):
    """The partner company (合作方)."""

    name: Text
    short_name: str | None = None
    credit_code: Annotated[str, BeforeValidator(_credit_code_form)] | None = None
    legal_representative: str | None = None
    address: str | None = None
    region: str | None = None
    industry: str | None = None
    size: Literal["micro", "small", "medium", "large", "listed"] | None = None
    website: str | None = None
    contacts: list[Contact] = []


class Money(Strict):
    """An amount with its currency; ``due``: by when it is paid in (出资期限, 付款期限)."""

    amount: Amount
    currency: Literal["CNY", "USD", "EUR", "HKD", "JPY", "GBP"] = "CNY"
    note: str | None = None
    due: date | None = None


#: what a payment is for: the payee invoices a fee, a price or a royalty (a sale of a
#: service, goods or a licence); a contribution to the company's capital, a deposit, a
#: subsidy or a reimbursement is not a sale and gets no invoice
PaymentKind = Literal[
    "fee", "price", "royalty", "contribution", "deposit", "subsidy", "reimbursement"
]
INVOICED = ("fee", "price", "royalty")
#: who pays and who is paid: our side, the partner, or the company the parties set up
#: (合资公司, 项目公司) that receives their contributions
Side = Literal["us", "partner", "company"]


class Rate(Strict):
    """A fee that is a share of something (提成、佣金、许可使用费): 4% of 授权产品销售额."""

    percent: float = Field(gt=0, le=100)
    #: what the percentage is of: 授权产品销售额, 代理区域内的销售回款
    basis: Text
    #: how often it is settled
    period: Literal["monthly", "quarterly", "yearly"] = "quarterly"
    #: the least paid for each period, whatever the basis comes to (最低提成)
    minimum: Money | None = None
    #: days after each period's end the payment is due
    within_days: int | None = Field(None, ge=0, le=365)


class Payment(Strict):
    """One 付款节点: who pays whom, what (a sum or a rate), for what, when, on what condition."""

    milestone: Text
    #: the milestone and condition as the English contract words them
    milestone_en: str | None = None
    condition_en: str | None = None
    kind: PaymentKind = "fee"
    payer: Literal["us", "partner"] = "partner"
    #: who is paid (default: the company for a contribution, else the other party)
    payee: Side | None = None
    amount: Money | None = None
    rate: Rate | None = None
    due: date | None = None
    condition: str | None = None

    @model_validator(mode="after")
    def _a_sum_or_a_rate(self) -> Payment:
        if (self.amount is None) == (self.rate is None):
            raise ValueError(
                msg("a payment is an amount or a rate (rate: {percent: 4, basis: 销售额})")
            )
        if self.payee == self.payer:
            raise ValueError(msg("a payment's payee is not its payer"))
        return self

    @property
    def name_en(self) -> str:
        """The milestone as the English contract names it (the Chinese when not given)."""
        return self.milestone_en or self.milestone

    @property
    def receiver(self) -> Side:
        """Who is paid: as written, else the company for a contribution, else the other side."""
        if self.payee is not None:
            return self.payee
        if self.kind == "contribution":
            return "company"
        return "partner" if self.payer == "us" else "us"

    @property
    def invoiced(self) -> bool:
        """Whether the payee invoices it (a sale), rather than a receipt or 出资证明书."""
        return self.kind in INVOICED


class BankAccount(Strict):
    """Where a party receives payments (收款账户)."""

    name: Text
    bank: Text
    account: Annotated[str, BeforeValidator(_digits_as_text), Field(min_length=1)]


class BankAccounts(Strict):
    """Each party's account."""

    us: BankAccount | None = None
    partner: BankAccount | None = None


class Invoicing(Strict):
    """发票与税费: which invoice, issued within how many days of a payment."""

    invoice: Literal["special", "ordinary"] = "special"
    within_days: int = Field(10, ge=0, le=365)
    tax_note: str | None = None


class NoticeParty(Strict):
    """A party's 送达地址 and contact for notices."""

    address: Text
    recipient: Text
    recipient_en: str | None = None
    phone: str | None = None
    email: str | None = None


class Notices(Strict):
    """Where each party receives notices; without it, the party's address and first contact."""

    us: NoticeParty | None = None
    partner: NoticeParty | None = None


class Annex(Strict):
    """An annex to the agreement (附件), by title; ``file`` in the engagement folder, if kept."""

    title: Text
    title_en: str | None = None
    file: str | None = None


class ProfitSplit(Strict):
    """Shares of profit in percent; ``us`` and ``partner`` add up to 100."""

    us: float = Field(ge=0, le=100)
    partner: float = Field(ge=0, le=100)
    note: str | None = None


class DisputeResolution(Strict):
    """How disputes are settled; arbitration names its institution and rules."""

    method: Literal["negotiation", "mediation", "arbitration", "litigation"]
    institution: str | None = None
    rules: str | None = None
    seat: str | None = None
    governing_law: str | None = None


class Land(Strict):
    """项目用地: where, how large, for what, how it is obtained and at what price."""

    location: Text
    #: 面积, in 亩
    area_mu: float = Field(gt=0)
    use: Text = "工业用地"
    #: 取得方式: 出让 (transfer of the land use right), 租赁 (lease), 代建 (built for the company)
    acquisition: Literal["transfer", "lease", "build-to-suit"] = "transfer"
    price: Money | None = None
    #: 出让年限 or 租期, in years
    years: int | None = Field(None, ge=1, le=70)


class Schedule(Strict):
    """建设进度: 开工, 竣工, 投产, 达产."""

    start: date
    completion: date | None = None
    production: date | None = None
    full_production: date | None = None


class Incentive(Strict):
    """One 扶持政策, paid only on its condition."""

    policy: Text
    amount: Money | None = None
    condition: Text


class Construction(Strict):
    """代建: what we build for the company, at what price, on what terms."""

    scope: Text
    price: Money
    terms: str | None = None


class Project(Strict):
    """投资落地: land, investment and intensity, schedule, yield, support, shortfall.

    The support (扶持政策) is paid only on each policy's condition, and what a shortfall
    costs the company (返还、收回) is said.
    """

    land: Land
    #: 固定资产投资 (the 投资强度 is it over the land's 亩); the total is partner_investment
    fixed_assets: Money | None = None
    #: 投资强度 committed, in 万元 a 亩 (at most what fixed_assets / area gives)
    intensity: float | None = Field(None, gt=0)
    schedule: Schedule
    #: 达产后年产值 and 年纳税额
    output_value: Money | None = None
    tax: Money | None = None
    incentives: list[Incentive] = []
    #: what happens when the company falls short (返还、收回); a default is printed without it
    shortfall: str | None = None
    construction: Construction | None = None

    @property
    def fixed_intensity(self) -> float | None:
        """The 投资强度 the fixed assets make, in 万元 a 亩 (None without them)."""
        if self.fixed_assets is None:
            return None
        return self.fixed_assets.amount / 10_000 / self.land.area_mu


class OtherParty(Strict):
    """A party beyond the two (三方协议): a fund, the project company, a guarantor ….

    An industry fund, the project company to be set up, a guarantor or the actual
    controller.  One that does not sign gives its undertakings in its own 承诺函, never as
    obligations printed in the agreement.
    """

    kind: Literal["fund", "company", "guarantor", "controller", "other"] = "other"
    name: Text
    name_en: str | None = None
    credit_code: Annotated[str, BeforeValidator(_credit_code_form)] | None = None
    address: str | None = None
    representative: str | None = None
    #: whether it signs the agreement (丙方, 丁方 …) or only undertakes apart from it
    signs: bool = True
    obligations: list[Text] = []
    obligations_en: list[Text] = []


class Board(Strict):
    """合资公司's 董事会: its seats, ours among them, and who nominates its officers."""

    seats: int = Field(ge=1, le=19)
    #: the seats our side nominates
    ours: int = Field(ge=0, le=19)
    #: who nominates the chair (董事长), the general manager and the finance head
    chair: Literal["us", "partner"] = "us"
    general_manager: Literal["us", "partner"] = "partner"
    finance_head: Literal["us", "partner"] = "us"


class JointVenture(Strict):
    """合资: the company, its capital, how it is governed, shares profit and is left."""

    #: 合资公司名称 (暂定名 until registered)
    company: Text
    registered_capital: Money
    board: Board | None = None
    #: 监事: how many, and who nominates them
    supervisors: str | None = None
    #: how profits are distributed (default: in proportion to paid-in capital)
    distribution: str | None = None
    #: what breaks a deadlock (董事会或股东会连续两次不能形成决议 …)
    deadlock: str | None = None
    #: years after registration in which neither side transfers its stake
    lock_up_years: int | None = Field(None, ge=1, le=30)

    @model_validator(mode="after")
    def _seats(self) -> JointVenture:
        if self.board is not None and self.board.ours > self.board.seats:
            raise ValueError(msg("board: ours is more than the seats"))
        return self


class Licence(Strict):
    """技术许可: what is licensed, how (独占/排他/普通), for what field, and improvements."""

    #: the licensed technology, by name and (for a patent) number
    technology: Text
    #: 独占 exclusive (not even the licensor uses it), 排他 sole (no third party), 普通 ordinary
    type: Literal["exclusive", "sole", "ordinary"] = "ordinary"
    #: 使用领域; the 地域 is terms.territory
    field: Text
    #: the title of the annex that describes the technology (one of terms.annexes)
    annex: Text
    #: who owns improvements, and what the other side gets; a default is printed without it
    improvements: str | None = None
    sublicense: bool = False


class Agency(Strict):
    """代理: what the agent does, in what, whether it is the only one, and its targets."""

    #: 招商代理 (brings investors in for the principal) or 销售代理 (sells its products)
    kind: Literal["promotion", "sales"] = "promotion"
    #: 招商方向 (the industries or projects it brings in), or for sales the 代理产品
    direction: Text
    exclusive: bool = False
    #: 代理目标: 每年引进签约项目不少于 3 个 …
    targets: list[Text] = []


class Franchise(Strict):
    """特许经营, as 《商业特许经营管理条例》 requires it."""

    #: the 经营资源 licensed (注册商标、企业标志、专利、专有技术)
    resources: list[Text] = Field(min_length=1)
    #: when the franchisor gave its 信息披露 in writing (at least 30 days before signing)
    disclosed: date
    #: days after signing in which the franchisee may rescind (冷静期)
    cooling_off_days: int = Field(7, ge=1, le=90)
    #: the number of its 备案 with the commerce authority, once it has one
    filing: str | None = None


class Terms(Strict):
    """Commercial terms the documents need."""

    #: which side of the agreement we are: 甲方 (default), 乙方, or a role of the mode
    #: (被许可方, 代理方, 被特许人 …): 甲方 is the mode's first role
    we_are: str | None = None
    scope: str | None = None
    #: where the cooperation holds: the 代理区域, the licensed 地域范围
    territory: str | None = None
    #: 投资落地: the project's land, schedule, yield and support
    project: Project | None = None
    #: parties beyond the two: 丙方, 丁方 … (三方协议), or undertakings apart from it
    other_parties: list[OtherParty] = []
    #: 合资, 技术许可, 代理, 特许经营: each mode's own terms
    joint_venture: JointVenture | None = None
    licence: Licence | None = None
    agency: Agency | None = None
    franchise: Franchise | None = None
    investment: Money | None = None
    partner_investment: Money | None = None
    profit_split: ProfitSplit | None = None
    term_months: int | None = Field(None, ge=1, le=1200)
    start: date | None = None
    end: date | None = None
    exit_mechanism: str | None = None
    confidentiality: str | None = None
    breach_liability: str | None = None
    adjustment_triggers: list[Text] = []
    dispute_resolution: DisputeResolution | None = None
    our_obligations: list[Text] = []
    partner_obligations: list[Text] = []
    resources: list[Text] = []
    conditions: list[Text] = []
    #: 费用与支付
    payments: list[Payment] = []
    payment_method: str | None = None
    bank_accounts: BankAccounts | None = None
    invoicing: Invoicing | None = None
    #: 通知与送达
    notices: Notices | None = None
    #: 生效条件与先决条件: approvals the agreement waits for (董事会, 国资监管机构 …)
    conditions_precedent: list[Text] = []
    annexes: list[Annex] = []
    #: 解除: days a party in material breach has to cure it after notice
    cure_days: int = Field(30, ge=1, le=365)
    signing_place: str | None = None
    copies: int = Field(4, ge=1, le=20)

    @property
    def paid_parties(self) -> list[str]:
        """The parties (``us``, ``partner``) a payment goes to: their accounts are needed."""
        return [
            side for side in ("us", "partner") if any(p.receiver == side for p in self.payments)
        ]


class Communication(Strict):
    """How the two sides keep each other informed (保持透明沟通)."""

    meetings: str | None = None
    channels: list[Text] = []
    reporting: str | None = None


class Dates(Strict):
    """Milestone dates of the engagement."""

    opened: date
    signed: date | None = None
    kickoff: date | None = None
    closed: date | None = None


class Intent(Strict):
    """What a 合作意向书 settles besides the intent: 排他期, 费用承担, how long it holds."""

    exclusivity_days: int | None = Field(None, ge=1, le=730)
    costs: str | None = None
    valid_months: int = Field(6, ge=1, le=36)
    #: 保密期限: years the confidentiality binds after signing
    confidentiality_years: int = Field(3, ge=1, le=30)


class CallForPartners(Strict):
    """What the 招商公告 publishes: requirements, qualifications and how to apply."""

    requirements: list[Text] = []
    qualifications: list[Text] = []
    how_to_apply: str | None = None
    deadline: date | None = None
    contact: str | None = None


class DueDiligence(Strict):
    """Findings of the due diligence (尽职调查); internal by default."""

    credit: str | None = None
    legal: str | None = None
    team: str | None = None
    finance: str | None = None
    third_party: str | None = None
    conclusion: str | None = None


class Owed(Strict):
    """One amount a side owes the other when the cooperation ends (a 债权债务 item)."""

    item: Text
    owed_by: Literal["us", "partner"]
    amount: Money


class BuyBack(Strict):
    """A 回购 at the wind-up: what is bought back, by whom, at what price, by when."""

    what: Text
    buyer: Literal["us", "partner"]
    price: Money
    due: date | None = None


class Settlement(Strict):
    """How a terminated cooperation is wound up (资源清算、债权债务处理)."""

    effective: date | None = None
    resources: list[Text] = []
    #: what is bought back, each at its price
    buy_back: list[BuyBack] = []
    #: each amount owed, by which side: set off against each other, the net is paid
    accounts: list[Owed] = []
    #: by when the net amount is paid
    settle_by: date | None = None
    debts: list[Text] = []
    claims: list[Text] = []
    surviving: list[Text] = []

    @model_validator(mode="after")
    def _one_currency(self) -> Settlement:
        if len({o.amount.currency for o in self.accounts}) > 1:
            raise ValueError(msg("settlement.accounts: set-off needs one currency"))
        return self

    @property
    def net(self) -> tuple[str, Money] | None:
        """Who pays the other what once the accounts are set off (None when they cancel)."""
        if not self.accounts:
            return None
        balance = sum(o.amount.amount * (1 if o.owed_by == "us" else -1) for o in self.accounts)
        currency = self.accounts[0].amount.currency
        if abs(balance) < 0.005:
            return None
        payer = "us" if balance > 0 else "partner"
        return payer, Money(amount=round(abs(balance), 2), currency=currency)


class Term(Strict):
    """One term of the cooperation: its number and its dates (``docgen renew`` writes it)."""

    number: int = Field(ge=1)
    start: date | None = None
    end: date | None = None


class PastTerm(Term):
    """A term that ended in a renewal, with the record of the items renewed for the next."""

    renewed: date
    #: the states the re-opened items had in this term (the process's ``reopens``)
    items: dict[str, ItemState] = {}


class Renewal(Strict):
    """What a renewal changes: new term and the terms re-negotiated."""

    term_months: int | None = Field(None, ge=1, le=1200)
    start: date | None = None
    end: date | None = None
    #: the renewed terms, where they differ from the original agreement's ``terms``
    scope: str | None = None
    investment: Money | None = None
    profit_split: ProfitSplit | None = None
    changes: list[Text] = []
    goals: list[Text] = []
    #: who pays whom what, and when, in the new term
    payments: list[Payment] = []
    #: the articles of the original agreement that continue, by title (cited by number)
    continuing: list[Text] = []


class Amendment(Strict):
    """One change a 补充协议 makes to the signed agreement, at the level of 条 and 款.

    ``article`` is the article's title in the signed text (cited by its number there);
    ``clause`` the 款 within it.  ``replace`` rewrites that 款 (a whole article only with
    ``whole: true``, never by accident), ``add`` adds a 款 after the last, ``delete``
    strikes one.
    """

    article: Text
    action: Literal["replace", "add", "delete"] = "replace"
    clause: int | None = Field(None, ge=1, le=99)
    whole: bool = False
    text: str | None = None

    @model_validator(mode="after")
    def _what_it_says(self) -> Amendment:
        if self.action != "delete" and not (self.text and self.text.strip()):
            raise ValueError(msg("an amendment that adds or rewrites needs its text"))
        if self.action == "delete" and self.clause is None and not self.whole:
            raise ValueError(msg("name the 款 to delete (clause: 2), or say whole: true"))
        if self.action == "add" and self.clause is not None:
            raise ValueError(msg("an added 款 comes after the last: leave clause out"))
        return self


class Supplement(Strict):
    """补充协议: why the signed agreement changes, and the articles it changes."""

    reason: Text
    changes: list[Amendment] = Field(min_length=1)
    effective: date | None = None


class Retrospective(Strict):
    """复盘: after a cooperation ends, or after an emergency plan was carried out."""

    trigger: Literal["end", "emergency"] = "end"
    #: for an emergency: which risk (its id in risks.md) the plan answered
    risk: str | None = None
    summary: str | None = None
    successes: list[Text] = []
    shortcomings: list[Text] = []
    improvements: list[Text] = []


class MajorEvent(Strict):
    """重大事项告知函: a significant event told to the partner before it affects them."""

    title: Text
    occurred: date
    facts: Text
    impact: str | None = None
    measures: list[Text] = []
    reply_by: date | None = None
    #: the articles of the signed 合作协议 the letter relies on, by title (合作调整 …):
    #: cited by their numbers there (第十六条)
    articles: list[Text] = []
    #: whom the partner answers, and how (default: the engagement's owner)
    contact: str | None = None


class EnglishText(Strict):
    """English wording for the English contract and letter of intent."""

    title: str | None = None
    partner_name: str | None = None
    partner_address: str | None = None
    scope: str | None = None
    exit_mechanism: str | None = None
    confidentiality: str | None = None
    breach_liability: str | None = None
    our_obligations: list[Text] = []
    partner_obligations: list[Text] = []
    adjustment_triggers: list[Text] = []
    arbitration_institution: str | None = None
    arbitration_rules: str | None = None
    seat: str | None = None
    governing_law: str | None = None
    #: the letter of intent's 费用承担, in English (without it, each Party bears its own)
    intent_costs: str | None = None
    #: the 生效条件与先决条件, in English and in the same order
    conditions_precedent: list[Text] = []
    #: the joint venture's name (its registered name is Chinese), supervisors, profit
    #: distribution and deadlock rule, where the Chinese has its own
    jv_company: str | None = None
    jv_supervisors: str | None = None
    jv_distribution: str | None = None
    jv_deadlock: str | None = None


class EngagementIndex(Strict):
    """``index.md``: the engagement itself."""

    title: Text
    code: CodeText | None = None
    partner: Partner
    mode: Text
    #: how the lead came in, an origin of the process (公开招商, 定向招商 …; default: the first)
    origin: Text | None = None
    stage: Text
    status: Status = "active"
    owner: Text
    team: list[Text] = []
    dates: Dates
    tags: list[Text] = []
    visibility: Visibility = "internal"
    summary: str | None = None
    terms: Terms = Terms()
    communication: Communication = Communication()
    internal_notes: str | None = None
    negotiation_position: str | None = None
    termination_reason: str | None = None
    #: why a lead closed before an agreement was signed (``docgen close-lost``)
    lost_reason: str | None = None
    call: CallForPartners | None = None
    intent: Intent | None = None
    due_diligence: DueDiligence | None = None
    settlement: Settlement | None = None
    renewal: Renewal | None = None
    #: the current term, once renewed (before: term 1, ``terms.start`` – ``terms.end``)
    term: Term | None = None
    #: the terms before the current one, oldest first
    past_terms: list[PastTerm] = []
    supplement: Supplement | None = None
    retrospective: Retrospective | None = None
    major_event: MajorEvent | None = None
    en: EnglishText | None = None


class ItemState(Strict):
    """The state of one checklist item in a stage file."""

    done: date | None = None
    by: str | None = None
    evidence: str | list[Text] | None = None
    owner: str | None = None
    due: date | None = None
    waived: str | bool | None = None
    note: str | None = None


class StageFile(Strict):
    """``preparation.md`` and the other stage files: checklist state and notes."""

    checklist: dict[str, ItemState | None] = {}
    visibility: Visibility | None = None
    summary: str | None = None


class Risk(Strict):
    """One entry of the risk register."""

    id: Text
    title: Text
    category: Text
    probability: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    owner: str | None = None
    response: str | None = None
    contingency: str | None = None
    status: Literal["open", "mitigated", "occurred", "closed"] = "open"
    escalated: date | None = None
    escalated_to: str | None = None
    identified: date | None = None
    internal_note: str | None = None

    @property
    def score(self) -> int:
        """Probability × impact (1–25)."""
        return self.probability * self.impact


class RisksFile(Strict):
    """``risks.md``: the risk register."""

    risks: list[Risk] = []
    visibility: Visibility | None = None


class Kpi(Strict):
    """A key performance indicator with its target and actuals per period."""

    id: Text
    metric: Text
    unit: str | None = None
    target: float | None = None
    #: ``period``: each period's actual is held against the target; ``term``: their sum
    #: over the term is (授权产品销售额 18,000 万元 over three years)
    target_for: Literal["period", "term"] = "period"
    baseline: float | None = None
    direction: Literal["up", "down"] = "up"
    category: Literal["financial", "operational", "market", "social"] | None = None
    frequency: Literal["daily", "weekly", "monthly", "quarterly", "yearly"] | None = None
    source: str | None = None
    actuals: dict[Period, float] = {}


class KpisFile(Strict):
    """``kpis.md``: the monitoring metrics."""

    kpis: list[Kpi] = []
    visibility: Visibility | None = None


class Task(Strict):
    """A task of the execution plan."""

    id: Text
    title: Text
    owner: str | None = None
    start: date | None = None
    due: date | None = None
    done: date | None = None
    deliverable: str | None = None
    buffer_days: int = Field(0, ge=0)
    depends_on: list[Text] = []
    status: Literal["todo", "doing", "done", "blocked", "cancelled"] = "todo"
    #: the checklist item (or step) this task carries out, by id or title: marked done with it
    item: str | None = None

    @property
    def closed(self) -> bool:
        """Whether the task is done or cancelled."""
        return self.done is not None or self.status in ("done", "cancelled")


class Milestone(Strict):
    """A milestone of the plan."""

    id: Text
    title: Text
    due: date
    done: date | None = None
    owner: str | None = None


class PlanFile(Strict):
    """``plan.md``: tasks and milestones (项目跟踪表)."""

    tasks: list[Task] = []
    milestones: list[Milestone] = []
    visibility: Visibility | None = None


class ActionItem(Strict):
    """An action agreed in a meeting."""

    task: Text
    owner: str | None = None
    due: date | None = None
    done: date | None = None


class NextMeeting(Strict):
    """下次会议: when, where, about what."""

    date: date
    location: str | None = None
    agenda: list[Text] = []


class Meeting(Strict):
    """``meetings/<date>-<slug>.md``: one meeting."""

    title: Text
    date: date
    kind: Literal["kickoff", "review", "negotiation", "regular", "evaluation", "other"] = "regular"
    location: str | None = None
    #: 主持人 and 记录人 (the minutes name the owner when no recorder is given)
    chair: str | None = None
    recorder: str | None = None
    #: 议题
    agenda: list[Text] = []
    attendees: list[Text] = []
    decisions: list[Text] = []
    actions: list[ActionItem] = []
    next_meeting: NextMeeting | None = None
    visibility: Visibility | None = None


def _version_text(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # YAML reads 1.10 as the number 1.1: the user's version is already lost.
        raise ValueError(
            msg(
                "write the version in quotes, e.g. version: '%(value)s' "
                "(unquoted, YAML reads 1.10 as the number 1.1)",
                value=value,
            )
        )
    return value


Version = Annotated[str, Field(pattern=VERSION_PATTERN), BeforeValidator(_version_text)]


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, for ordering: "1.10" after "1.9"."""
    return tuple(int(part) for part in version.split("."))


class Approval(Strict):
    """An approval of one version of a document."""

    by: Text
    role: str | None = None
    date: date
    version: Version


class RevisionEntry(Strict):
    """One line of a document's 修订记录, written in the document's language."""

    version: Version
    date: date
    by: Text
    changes: Text


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
#: the name of a frozen text in ``documents/<doc>/``: ``<version>.md`` or ``<version>.en.md``
FrozenName = Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}(\.en)?\.md$")]


class ExecutedCopy(Strict):
    """The scanned executed copy of a signed document, and the hash it had when recorded."""

    file: str
    sha256: Sha256


class Clause(Strict):
    """An engagement's own article: added to the contract, or replacing a library clause.

    With ``replaces``, the text stands in for that clause of the library (its title too,
    unless one is given); without, the article is added before the closing articles.
    """

    replaces: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    title: Text | None = None
    text: Text


class AmendedBy(Strict):
    """A signed 补充协议 that changes this agreement: written by ``docgen sign``."""

    document: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Version
    signed: date
    articles: list[Text] = []


class DateRange(Strict):
    """A closed period, from … to … (the 评估期间 of an evaluation report)."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(
                msg(
                    "the period ends (%(end)s) before it starts (%(start)s)",
                    end=self.end,
                    start=self.start,
                )
            )
        return self


class DocumentRecord(Strict):
    """``documents/<doc>.md``: the engagement's copy of a deliverable."""

    version: Version | None = None
    status: Literal["draft", "review", "approved", "signed"] = "draft"
    language: Literal["zh", "en"] = "zh"
    signed: date | None = None
    approvals: list[Approval] = []
    #: the curated 修订记录: what changed in each version (never git's commit messages)
    revisions: list[RevisionEntry] = []
    executed: ExecutedCopy | None = None
    clauses: list[Clause] = []
    #: the period a report covers (评估期间)
    period: DateRange | None = None
    #: the signed 补充协议 that changed this agreement since it was signed
    amended_by: list[AmendedBy] = []
    #: the sha256 of each frozen text (``1.1.md``, ``1.1.en.md``), written when it is frozen
    frozen: dict[FrozenName, Sha256] = {}
    visibility: Visibility | None = None
    confidential: bool = True

    @property
    def final(self) -> bool:
        """Approved or signed: its text is frozen."""
        return self.status in ("approved", "signed")


class QuestionResult(Strict):
    """Aggregate answers to one question: mean, count, and counts per score."""

    mean: float
    n: int = Field(ge=0)
    distribution: dict[int, int] = {}


class GroupResult(Strict):
    """One respondent group's aggregates; ``suppressed`` when too small to show."""

    respondents: int = Field(ge=0)
    suppressed: bool = False
    questions: dict[str, QuestionResult] = {}


class SurveyResult(Strict):
    """One imported survey: anonymised aggregates only, never individual answers."""

    date: date
    source: str
    respondents: int = Field(ge=0)
    questions: dict[str, QuestionResult] = {}
    groups: dict[str, GroupResult] = {}


class Applicant(Strict):
    """One applicant to a call for partners: who, the facts the screening reads, scores."""

    id: Text
    name: Text
    credit_code: Annotated[str, BeforeValidator(_credit_code_form)] | None = None
    size: Literal["micro", "small", "medium", "large", "listed"] | None = None
    region: str | None = None
    industry: str | None = None
    #: the facts the screening rests on (营收, 行业经验, 资产负债率 …), as written
    facts: dict[str, Text] = {}
    #: criterion id (the process's ``screening.criteria``) → score on its scale
    scores: dict[str, float] = {}
    note: str | None = None


class ApplicantsFile(Strict):
    """``applicants.md``: the applicants to the engagement's call and the one chosen."""

    applicants: list[Applicant] = []
    #: the applicant chosen as the partner (``docgen choose``)
    chosen: Text | None = None
    visibility: Visibility | None = None


class SurveyFile(Strict):
    """``survey.md``: satisfaction survey results, written by ``docgen survey import``."""

    surveys: list[SurveyResult] = []
    visibility: Visibility | None = None


DOCUMENT_STATUS_ORDER = ["draft", "review", "approved", "signed"]


class FileKind(NamedTuple):
    """A kind of file an engagement folder holds: its id, schema and where it stands."""

    id: str
    model: type[Strict]
    #: where the file stands, as a person reads it
    where: str
    #: its fixed name in the engagement folder; None for a file of each stage, meeting or
    #: document
    name: str | None = None


#: Every kind of engagement file: the one list that loading, the schemas, the web editor
#: and the aliases read.
ENGAGEMENT_FILES: tuple[FileKind, ...] = (
    FileKind("index", EngagementIndex, "engagements/<id>/index.md", "index.md"),
    FileKind("stage", StageFile, "engagements/<id>/<stage>.md (preparation.md …)"),
    FileKind("risks", RisksFile, "engagements/<id>/risks.md", "risks.md"),
    FileKind("kpis", KpisFile, "engagements/<id>/kpis.md", "kpis.md"),
    FileKind("plan", PlanFile, "engagements/<id>/plan.md", "plan.md"),
    FileKind("survey", SurveyFile, "engagements/<id>/survey.md", "survey.md"),
    FileKind("applicants", ApplicantsFile, "engagements/<id>/applicants.md", "applicants.md"),
    FileKind("meeting", Meeting, "engagements/<id>/meetings/<date>-<slug>.md"),
    FileKind("document", DocumentRecord, "engagements/<id>/documents/<doc>.md"),
)
#: The fixed file names of an engagement folder and their schemas.
FILE_KINDS: dict[str, type[Strict]] = {k.name: k.model for k in ENGAGEMENT_FILES if k.name}
