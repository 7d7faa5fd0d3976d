"""Chinese search: jieba segments the index, taught the domain's words.

Material for MkDocs segments the index with jieba when it is installed; the browser
splits a query into words and matches each against index tokens and their prefixes.
Terms jieba splits where a reader would not (尽职调查 → 尽职/调查报告) are taught to it;
compounds whose parts people also search alone (启动仪式) are left to jieba, since a
dictionary word hides its parts from search.  Partners' short names are added too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from docgen.atomic import write_atomic
from docgen.load import Portfolio

#: Terms of 招商合作 people search for whole.
DOMAIN_TERMS = (
    "招商",
    "招商合作",
    "招商公告",
    "尽职调查",
    "统一社会信用代码",
    "法律顾问",
    "资源清算",
    "债权债务",
    "升级上报",
    "应急预案",
    "会议纪要",
    "里程碑",
    "项目跟踪表",
    "技术授权",
)


def user_dictionary(portfolio: Portfolio, path: Path) -> Path | None:
    """Write the jieba user dictionary to ``path`` and load it; None without jieba."""
    try:
        import jieba
    except ImportError:
        return None
    words = dict.fromkeys(DOMAIN_TERMS)
    for e in portfolio.engagements:
        if e.index is not None and e.index.data.partner.short_name:
            words[e.index.data.partner.short_name.strip()] = None
    text = "".join(f"{w} 20000 n\n" for w in words if w and " " not in w)
    write_atomic(path, text, durable=False)
    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(path))
    return path
