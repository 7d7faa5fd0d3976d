"""The fixed values of the file formats and the words a reader knows them by.

Each map is id → message id (English, marked with `N_`); `Catalogue.label` translates.
The site shows these labels, and the loader accepts them — in either language — as
aliases of the ids (`docgen.domain.aliases`).  The process file's own ids (stages, modes, risk
categories) use the process's titles instead.
"""

from __future__ import annotations

from docgen.core.i18n import N_, msg

STATUS = {
    "active": N_("Active"),
    "on-hold": N_("On hold"),
    "terminated": N_("Terminated"),
    "completed": N_("Completed"),
    "renewed": N_("Renewed"),
    "lost": N_("Lost"),
}
DOC_STATUS = {
    "draft": N_("Draft"),
    "review": N_("In review"),
    "approved": N_("Approved"),
    "signed": N_("Signed"),
}
DISPUTE = {
    "negotiation": N_("Negotiation"),
    "mediation": N_("Mediation"),
    "arbitration": N_("Arbitration"),
    "litigation": N_("Litigation"),
}
RISK_STATUS = {
    "open": N_("Not closed"),
    "mitigated": N_("Mitigated"),
    "occurred": N_("Occurred"),
    "closed": N_("Closed"),
}
ITEM_STATE = {"done": N_("Done"), "waived": N_("Not applicable"), "open": N_("Open")}
TASK_STATUS = {
    "todo": N_("To do"),
    "doing": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Blocked"),
    "cancelled": N_("Cancelled"),
}
FREQUENCY = {
    "daily": N_("Daily"),
    "weekly": N_("Weekly"),
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "yearly": N_("Yearly"),
}
DIRECTION = {"up": N_("Higher is better"), "down": N_("Lower is better")}
VISIBILITY = {"internal": N_("Internal"), "partner": N_("Partner"), "public": N_("Public")}
KPI_CATEGORY = {
    "financial": N_("Financial"),
    "operational": N_("Operational"),
    "market": N_("Market"),
    "social": N_("Social"),
}
MEETING_KIND = {
    "kickoff": N_("Kick-off meeting"),
    "review": N_("Review meeting"),
    "negotiation": N_("Negotiation meeting"),
    "regular": N_("Regular meeting"),
    "evaluation": N_("Evaluation meeting"),
    "other": N_("Other meeting"),
}
#: the two sides of an agreement, as a payment names its payer
PARTY = {
    "us": N_("Our side"),
    "partner": N_("The partner"),
    "company": N_("The company the parties set up"),
}
#: what an amendment does to the signed agreement (`docgen.domain.model.Amendment`)
AMENDMENT = {"replace": N_("Rewrite"), "add": N_("Add a clause"), "delete": N_("Delete")}
#: how a technology is licensed (`docgen.domain.model.Licence`)
LICENCE_TYPE = {
    "exclusive": N_("Exclusive licence"),
    "sole": N_("Sole licence"),
    "ordinary": N_("Ordinary licence"),
}
#: what an agent does for its principal (`docgen.domain.model.Agency`)
AGENCY_KIND = {
    "promotion": N_("Investment promotion agency"),
    "sales": N_("Sales agency"),
}
#: how a project obtains its land (`docgen.domain.model.Land`)
ACQUISITION = {
    "transfer": N_("Transfer of the land use right"),
    "lease": N_("Lease"),
    "build-to-suit": N_("Built for the company"),
}
#: what a payment is for (`docgen.domain.model.PaymentKind`)
PAYMENT_KIND = {
    "fee": N_("Fee"),
    "price": N_("Price"),
    "royalty": N_("Royalty or commission"),
    "contribution": N_("Capital contribution"),
    "deposit": N_("Deposit"),
    "subsidy": N_("Subsidy or award"),
    "reimbursement": N_("Reimbursement"),
}
#: what a KPI's target is measured against: each period's actual, or their sum over the term
TARGET_FOR = {"period": N_("Each period"), "term": N_("The whole term")}
SIZE = {
    "micro": N_("Micro enterprise"),
    "small": N_("Small enterprise"),
    "medium": N_("Medium-sized enterprise"),
    "large": N_("Large enterprise"),
    "listed": N_("Listed company"),
}
#: what people also write for a value, beyond its label in each language
COLLOQUIAL = {
    "frequency": {
        "daily": ["日", "每天", "按日"],
        "weekly": ["周", "按周", "每星期"],
        "monthly": ["月", "月度", "按月"],
        "quarterly": ["季", "季度", "按季", "按季度"],
        "yearly": ["年", "年度", "按年", "每年度", "annual", "annually"],
    },
    "direction": {"up": ["上升", "越大越好", "提高"], "down": ["下降", "越小越好", "降低"]},
    "target_for": {"period": ["每期", "按期"], "term": ["全期", "累计", "合计", "全期合计"]},
    "visibility": {
        "internal": ["内部", "仅内部"],
        "partner": ["合作方", "对合作方"],
        "public": ["公开"],
    },
    "kpi_category": {
        "financial": ["财务"],
        "operational": ["运营"],
        "market": ["市场"],
        "social": ["社会", "社会效益"],
    },
    "meeting_kind": {
        "kickoff": ["启动会", "启动"],
        "review": ["评审会", "评审", "项目评审会"],
        "negotiation": ["洽谈会", "洽谈", "首次洽谈", "谈判", "谈判会"],
        "regular": ["例会", "项目例会", "周会", "月会"],
        "evaluation": ["评估会", "评估"],
        "other": ["其他"],
    },
    "doc_status": {
        "draft": ["草稿", "起草中"],
        "review": ["审阅中", "审阅", "审核中", "送审"],
        "approved": ["已审批", "已批准", "批准"],
        "signed": ["签署", "已盖章"],
    },
    "party": {
        "us": ["我方", "本方", "us", "we"],
        "partner": ["合作方", "对方"],
        "company": ["合资公司", "项目公司", "公司"],
    },
    "amendment": {
        "replace": ["修改", "修改为", "改为"],
        "add": ["增加", "新增", "增加一款"],
        "delete": ["删除", "删去"],
    },
    "licence_type": {
        "exclusive": ["独占", "独占许可"],
        "sole": ["排他", "排他许可", "独家"],
        "ordinary": ["普通", "普通许可"],
    },
    "agency_kind": {
        "promotion": ["招商代理", "招商"],
        "sales": ["销售代理", "销售", "经销代理"],
    },
    "acquisition": {
        "transfer": ["出让", "挂牌出让", "招拍挂"],
        "lease": ["租赁", "租用"],
        "build-to-suit": ["代建", "定制厂房"],
    },
    "payment_kind": {
        "fee": ["费用", "服务费", "咨询费"],
        "price": ["价款", "货款", "转让价款"],
        "royalty": ["许可使用费", "使用费", "提成", "佣金", "分成", "特许经营费", "加盟费"],
        "contribution": ["出资", "出资款", "注册资本"],
        "deposit": ["保证金", "押金", "履约保证金"],
        "subsidy": ["扶持资金", "奖励", "补贴", "返还"],
        "reimbursement": ["代垫费用", "报销"],
    },
    "dispute": {
        "negotiation": ["协商"],
        "mediation": ["调解"],
        "arbitration": ["仲裁"],
        "litigation": ["诉讼"],
    },
    "size": {
        "micro": ["微型"],
        "small": ["小型", "小微"],
        "medium": ["中型"],
        "large": ["大型"],
        "listed": ["上市", "上市企业"],
    },
    "status": {"active": ["在谈", "执行中"], "on-hold": ["暂缓", "搁置"], "renewed": ["续约"]},
}


def label(labels: dict[str, str], key: str) -> str:
    """The label of ``key`` as a `Message` (translated where it is shown), else the id."""
    return msg(labels[key]) if key in labels else key
