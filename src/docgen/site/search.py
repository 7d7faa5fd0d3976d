"""Chinese search: jieba segments the index, taught the domain's words.

Material for MkDocs segments the index with jieba when it is installed; the browser
splits a query into words and matches each against index tokens and their prefixes.
Terms jieba splits where a reader would not (尽职调查 → 尽职/调查报告) are taught to it;
compounds whose parts people also search alone (启动仪式) are left to jieba, since a
dictionary word hides its parts from search.  Partners' short names are added too.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
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


_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def segment(text: str) -> str:
    """Chinese runs cut into words and set apart with zero-width spaces, as Material does."""
    try:
        import jieba
    except ImportError:
        return text
    return _HAN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text)


def add_to_index(
    index_file: Path, entries: list[tuple[str, str, str]], cache_file: Path | None = None
) -> bool:
    """Append (location, title, text) entries to Material's search_index.json.

    Segmenting is most of the cost; ``cache_file`` keeps each text's segmentation by its
    hash, so an unchanged engagement is not segmented again.
    """
    try:
        data = json.loads(index_file.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    cache: dict[str, str] = {}
    if cache_file is not None:
        try:
            loaded = json.loads(cache_file.read_text("utf-8"))
            cache = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            cache = {}
    used: dict[str, str] = {}

    def cut(text: str) -> str:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if key not in cache:
            cache[key] = segment(html.escape(text))
        used[key] = cache[key]
        return cache[key]

    docs = data.setdefault("docs", [])
    for location, title, text in entries:
        docs.append({"location": location, "title": cut(title), "text": cut(text)})
    write_atomic(
        index_file, json.dumps(data, ensure_ascii=False, separators=(",", ":")), durable=False
    )
    if cache_file is not None:
        write_atomic(cache_file, json.dumps(used, ensure_ascii=False), durable=False)
    return True
