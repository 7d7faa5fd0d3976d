"""Who is who in an agreement: 甲方 and 乙方, and which of them we are.

Chinese practice makes 甲方 the party of a mode's first role: the 许可方 of a licence,
the 委托方 of an agency, the 特许人 of a franchise (the process file's ``roles``).  In
招商 work the park is as often the licensee, the franchisee or the agent, so an
engagement says which side it is (``terms.we_are``: 甲方, 乙方, or a role's title); by
default it is 甲方.  Templates then speak of ``party_a`` and ``party_b`` — their names,
registration, obligations, contributions, accounts and notice addresses — and of ``us``
and ``them`` where it matters who is who (who did the due diligence, whom an
exclusivity binds).  The data keeps its own words: ``our_obligations`` are ours, on
whichever side we stand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.domain.aliases import we_are_second
from docgen.domain.model import BankAccount, EngagementIndex, Money
from docgen.domain.process import Process
from docgen.workspace.config import Organization

#: what the parties beyond the two are called, in order
OTHER_LABELS = [("丙方", "Party C"), ("丁方", "Party D"), ("戊方", "Party E")]


@dataclass(frozen=True)
class Notice:
    """Where notices reach a party (送达地址), and whom, where the engagement says."""

    address: str
    recipient: str | None = None
    phone: str | None = None
    email: str | None = None
    recipient_en: str | None = None


@dataclass(frozen=True)
class Party:
    """One side of an agreement, as its articles speak of it."""

    key: str  # "us" or "partner": where its data stands
    label: str  # 甲方 / 乙方
    label_en: str  # Party A / Party B
    role: str | None  # 许可方 …, or None where the mode names no roles
    role_en: str | None
    name: str
    name_en: str | None
    credit_code: str | None
    address: str | None
    address_en: str | None
    representative: str | None
    industry: str | None
    region: str | None
    obligations: list[str] = field(default_factory=list)
    obligations_en: list[str] = field(default_factory=list)
    #: what it puts in (出资, 投入), and its share of the returns (收益分配, %)
    investment: Money | None = None
    share: float | None = None
    account: BankAccount | None = None
    #: where notices reach it: an address, and a person, phone and e-mail where known
    notice: Notice | None = None


#: where each field of a side comes from, by the side's key (for locating an edit)
_SOURCES = {
    "us": {
        "name": "org.name",
        "name_en": "org.name_en",
        "credit_code": "org.credit_code",
        "address": "org.address",
        "address_en": "org.address_en",
        "representative": "org.representative",
        "obligations": "terms.our_obligations",
        "obligations_en": "en.our_obligations",
        "investment": "terms.investment",
        "share": "terms.profit_split.us",
        "account": "terms.bank_accounts.us",
        "notice": "terms.notices.us",
    },
    "partner": {
        "name": "partner.name",
        "name_en": "en.partner_name",
        "credit_code": "partner.credit_code",
        "address": "partner.address",
        "address_en": "en.partner_address",
        "representative": "partner.legal_representative",
        "industry": "partner.industry",
        "region": "partner.region",
        "obligations": "terms.partner_obligations",
        "obligations_en": "en.partner_obligations",
        "investment": "terms.partner_investment",
        "share": "terms.profit_split.partner",
        "account": "terms.bank_accounts.partner",
        "notice": "terms.notices.partner",
    },
}
_SIDE_ROOTS = ("party_a", "party_b", "us", "them")


#: where else a side's field may come from, besides its first source (partner notices
#: default to its address and first contact)
_ALSO = {("partner", "notice"): ("partner.address", "partner.contacts")}


def data_reads(paths: Iterable[str], context: Mapping[str, Any]) -> tuple[str, ...]:
    """``paths`` a template reads, with each side's fields read as the data they come from.

    ``party_a.investment`` is ``terms.investment`` where 甲方 is us; a whole side, the
    list of sides or the labels read every source of the sides and ``terms.we_are``.  A
    frozen text then records the data it was made from, not views of it.
    """
    out: list[str] = []
    for path in paths:
        root, _, rest = path.partition(".")
        party = context.get(root) if root in _SIDE_ROOTS else None
        field_ = rest.split(".")[0]
        if isinstance(party, Party) and field_ in _SOURCES[party.key]:
            out.append(_SOURCES[party.key][field_] + rest[len(field_) :])
            out += _ALSO.get((party.key, field_), ())
        elif root == "others":
            out.append("terms.other_parties")
        elif isinstance(party, Party) or root in ("all_parties", "side", "side_en"):
            out.append("terms.we_are")  # which side is which, and its label and role
            if root in ("all_parties",) or (isinstance(party, Party) and not rest):
                sides = [party.key] if isinstance(party, Party) else ["us", "partner"]
                out += [source for key in sides for source in _SOURCES[key].values()]
                out += [also for key in sides for also in _ALSO.get((key, "notice"), ())]
                if root == "all_parties":
                    out.append("terms.other_parties")
        else:
            out.append(path)
    return tuple(dict.fromkeys(out))


def source_path(path: str, values: Mapping[str, Any]) -> str:
    """The data path a side's field is made from (``values`` as a frozen text records them).

    ``party_a.investment.amount`` is ``terms.investment.amount`` where 甲方 is us.

    Any other path is returned as it is.
    """
    parts = path.split(".")
    if parts[0] in _SIDE_ROOTS:
        side, rest = values.get(parts[0]), parts[1:]
    elif parts[0] == "all_parties" and len(parts) > 1 and parts[1].isdigit():
        sides = values.get("all_parties")
        n = int(parts[1])
        side = sides[n] if isinstance(sides, list) and n < len(sides) else None
        rest = parts[2:]
    else:
        return path
    key = side.get("key") if isinstance(side, dict) else None
    source = _SOURCES.get(key, {}).get(rest[0]) if isinstance(key, str) and rest else None
    return ".".join([source, *rest[1:]]) if source else path


def we_are_b(index: EngagementIndex, process: Process) -> bool:
    """Whether we are 乙方: ``we_are`` names 乙方 or the mode's second role."""
    mode = next((m for m in process.modes if m.id == index.mode), None)
    roles = mode.roles if mode else []
    return we_are_second(index.terms.we_are, roles[1] if len(roles) == 2 else None)


def known_sides(index: EngagementIndex, process: Process) -> list[str]:
    """What ``we_are`` may say for this engagement's mode."""
    mode = next((m for m in process.modes if m.id == index.mode), None)
    return ["甲方", "乙方", *(mode.roles if mode else [])]


def parties(org: Organization, index: EngagementIndex, process: Process) -> dict[str, Any]:
    """``party_a``, ``party_b``, ``us``, ``them``, and ``side`` (us/partner/company → label)."""
    mode = next((m for m in process.modes if m.id == index.mode), None)
    none: list[str | None] = [None, None]
    roles: list[str | None] = [*mode.roles] if mode and len(mode.roles) == 2 else none
    roles_en: list[str | None] = [*mode.roles_en] if mode and len(mode.roles_en) == 2 else none
    return _parties(org, index, roles, roles_en, we_are_b(index, process))


def parties_again(context: dict[str, Any]) -> dict[str, Any]:
    """The sides made again from ``context``'s own ``org``, ``terms``, ``partner`` and ``en``.

    For a context whose values were put back as they were (`docgen.documents.integrity`):
    the roles, and which side we are, stay as they are.
    """
    a: Party = context["party_a"]
    b: Party = context["party_b"]
    index = context["engagement"].model_copy(
        update={"terms": context["terms"], "partner": context["partner"], "en": context["en"]}
    )
    return _parties(
        context["org"], index, [a.role, b.role], [a.role_en, b.role_en], a.key == "partner"
    )


def _parties(
    org: Organization,
    index: EngagementIndex,
    roles: list[str | None],
    roles_en: list[str | None],
    b_is_us: bool,
) -> dict[str, Any]:
    terms, en, partner = index.terms, index.en, index.partner
    split = terms.profit_split
    contact = partner.contacts[0] if partner.contacts else None
    given = terms.notices
    theirs_notice = (
        Notice(**given.partner.model_dump())
        if given and given.partner
        else Notice(partner.address, contact.name, contact.phone, contact.email, contact.name_en)
        if partner.address and contact
        else Notice(partner.address)
        if partner.address
        else None
    )
    ours_notice = (
        Notice(**given.us.model_dump())
        if given and given.us
        else Notice(org.address)
        if org.address
        else None
    )
    accounts = terms.bank_accounts
    ours = dict(
        key="us",
        name=org.name,
        name_en=org.name_en,
        credit_code=org.credit_code,
        address=org.address,
        address_en=org.address_en,
        representative=org.representative,
        industry=None,
        region=None,
        obligations=list(terms.our_obligations),
        obligations_en=list(en.our_obligations) if en else [],
        investment=terms.investment,
        share=split.us if split else None,
        account=accounts.us if accounts else None,
        notice=ours_notice,
    )
    theirs = dict(
        key="partner",
        name=partner.name,
        name_en=en.partner_name if en else None,
        credit_code=partner.credit_code,
        address=partner.address,
        address_en=en.partner_address if en else None,
        representative=partner.legal_representative,
        industry=partner.industry,
        region=partner.region,
        obligations=list(terms.partner_obligations),
        obligations_en=list(en.partner_obligations) if en else [],
        investment=terms.partner_investment,
        share=split.partner if split else None,
        account=accounts.partner if accounts else None,
        notice=theirs_notice,
    )
    first, second = (theirs, ours) if b_is_us else (ours, theirs)
    party_a = Party(label="甲方", label_en="Party A", role=roles[0], role_en=roles_en[0], **first)  # type: ignore[arg-type]
    party_b = Party(label="乙方", label_en="Party B", role=roles[1], role_en=roles_en[1], **second)  # type: ignore[arg-type]
    us, them = (party_a, party_b) if party_a.key == "us" else (party_b, party_a)
    company = "合资公司" if index.mode == "joint-venture" else "项目公司"
    signing = [o for o in terms.other_parties if o.signs]
    others = [
        Party(
            key=f"other-{i}",
            label=OTHER_LABELS[i][0],
            label_en=OTHER_LABELS[i][1],
            role=None,
            role_en=None,
            name=o.name,
            name_en=o.name_en,
            credit_code=o.credit_code,
            address=o.address,
            address_en=None,
            representative=o.representative,
            industry=None,
            region=None,
            obligations=list(o.obligations),
            obligations_en=list(o.obligations_en),
            notice=Notice(o.address) if o.address else None,
        )
        for i, o in enumerate(signing[: len(OTHER_LABELS)])
    ]
    return {
        "party_a": party_a,
        "party_b": party_b,
        #: the parties beyond the two that sign (丙方, 丁方 …), and every signing party
        "others": others,
        "all_parties": [party_a, party_b, *others],
        "us": us,
        "them": them,
        "side": {"us": us.label, "partner": them.label, "company": company},
        "side_en": {
            "us": us.label_en,
            "partner": them.label_en,
            "company": "the Joint Venture"
            if index.mode == "joint-venture"
            else "the Project Company",
        },
    }
