"""``docgen remind``: each owner's overdue and due-soon items, sent where the team reads.

One notice per owner — their items, and the engagements they own that went stale — in
the workspace's language, to every channel the docgen section's ``reminders:`` names:

- group robots of 企业微信 (wecom), 钉钉 (dingtalk) and 飞书 (feishu), each in its own
  message format, markdown where the platform has it, signed where the robot has a
  secret (钉钉 加签, 飞书 签名校验);
- e-mail over SMTP, one message to each owner with an address.

Webhook URLs (they carry the robot's key), secrets and SMTP credentials are read from
the environment variables the config names, never from mkdocs.yml.  A channel that fails
is reported with its reason and the others are still sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from docgen.i18n import Catalogue
from docgen.load import Portfolio
from docgen.reminders import due_by_owner, stale, stale_note
from docgen.workspace import Channel, EmailChannel, WebhookChannel

#: the platforms' names, as reports name a channel without a ``name:``
PLATFORMS = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "e-mail"}
#: 企业微信 refuses markdown longer than 4,096 bytes; the others allow more
_WECOM_LIMIT = 4096
TIMEOUT = 10


@dataclass(frozen=True)
class Notice:
    """What one owner is told: a title and markdown bullet lines."""

    owner: str
    title: str
    lines: tuple[str, ...]

    def markdown(self) -> str:
        """The notice as markdown (the robots' format)."""
        return f"### {self.title}\n" + "\n".join(self.lines)

    def text(self) -> str:
        """The notice as plain text (e-mail)."""
        plain = [line.replace("**", "").replace("#### ", "") for line in self.lines]
        return self.title + "\n\n" + "\n".join(plain) + "\n"


def notices(portfolio: Portfolio, today: date, days: int, t: Catalogue) -> list[Notice]:
    """One notice per owner with anything overdue, due within ``days``, or gone stale."""
    due = due_by_owner(portfolio, today, days)
    quiet = stale(portfolio, today)
    owners = sorted(set(due) | {s.owner for s in quiet if s.owner})
    out = []
    for owner in owners:
        lines: list[str] = []
        for r in due.get(owner, []):
            late = r.item.due < today
            when = f"**{r.item.due} {t('overdue')}**" if late else str(r.item.due)
            lines.append(f"- {when} {r.title} · {t.say(r.item.title)}")
        mine = [s for s in quiet if s.owner == owner]
        if mine:
            lines.append("#### " + t("Engagements not updated for long"))
            lines += [f"- {s.title} ({stale_note(s, today, t)})" for s in mine]
        title = t(
            "docgen reminder for %(owner)s: overdue, and due by %(until)s",
            owner=owner,
            until=today.fromordinal(today.toordinal() + days),
        )
        out.append(Notice(owner, title, tuple(lines)))
    return out


@dataclass
class Outcome:
    """What one channel did: whom it reached, what failed and why."""

    channel: str
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return not self.failed


Post = Callable[[str, bytes], bytes]
Mailer = Callable[[EmailChannel, Mapping[str, str], list[EmailMessage]], None]


def channel_name(channel: Channel) -> str:
    """How reports name ``channel``."""
    return channel.name or PLATFORMS[channel.type]


def deliver(
    sent: list[Notice],
    channels: list[Channel],
    environ: Mapping[str, str],
    t: Catalogue,
    post: Post | None = None,
    mail: Mailer | None = None,
) -> list[Outcome]:
    """Send every notice to every channel; a failing channel never stops the others."""
    outcomes = []
    for channel in channels:
        outcome = Outcome(channel_name(channel))
        try:
            if isinstance(channel, WebhookChannel):
                _robot(channel, sent, environ, post or http_post, outcome, t)
            else:
                _email(channel, sent, environ, mail or smtp_send, outcome, t)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            outcome.failed.append(("", _reason(exc)))
        outcomes.append(outcome)
    return outcomes


def _robot(
    channel: WebhookChannel,
    sent: list[Notice],
    environ: Mapping[str, str],
    post: Post,
    outcome: Outcome,
    t: Catalogue,
) -> None:
    url = environ.get(channel.url_env, "").strip()
    if not url:
        raise ValueError(t("the environment variable %(name)s is not set", name=channel.url_env))
    secret = environ.get(channel.secret_env, "") if channel.secret_env else ""
    if channel.secret_env and not secret:
        raise ValueError(t("the environment variable %(name)s is not set", name=channel.secret_env))
    for notice in sent:
        now = time.time()
        if channel.type == "wecom":
            target, body = url, wecom_payload(notice)
        elif channel.type == "dingtalk":
            target, body = dingtalk_url(url, secret, now), dingtalk_payload(notice)
        else:
            target, body = url, feishu_payload(notice, secret, now)
        try:
            answer = post(target, json.dumps(body, ensure_ascii=False).encode("utf-8"))
            problem = _refusal(channel.type, answer)
        except (OSError, ValueError) as exc:
            problem = _reason(exc)
        if problem:
            outcome.failed.append((notice.owner, problem))
        else:
            outcome.sent.append(notice.owner)


def wecom_payload(notice: Notice) -> dict[str, object]:
    """企业微信 group robot: a markdown message (cut to the platform's 4,096 bytes)."""
    content = notice.markdown()
    while len(content.encode("utf-8")) > _WECOM_LIMIT:
        content = content[: len(content) * 9 // 10].rsplit("\n", 1)[0] + "\n…"
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(notice: Notice) -> dict[str, object]:
    """钉钉 group robot: a markdown message with its title (shown in the chat list)."""
    return {"msgtype": "markdown", "markdown": {"title": notice.title, "text": notice.markdown()}}


def dingtalk_url(url: str, secret: str, now: float) -> str:
    """The robot's URL, signed when it has a secret (钉钉 加签).

    The signature is the Base64 HMAC-SHA256, keyed with the secret, of the timestamp in
    milliseconds, a newline and the secret.
    """
    if not secret:
        return url
    stamp = str(round(now * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def feishu_payload(notice: Notice, secret: str, now: float) -> dict[str, object]:
    """飞书 custom robot: an interactive card with a markdown element, signed if needed."""
    body: dict[str, object] = {
        "msg_type": "interactive",
        "card": {
            "header": {"title": {"tag": "plain_text", "content": notice.title}},
            "elements": [{"tag": "markdown", "content": "\n".join(notice.lines)}],
        },
    }
    if secret:
        stamp = str(round(now))
        key = f"{stamp}\n{secret}".encode()
        body["timestamp"] = stamp
        body["sign"] = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    return body


def _refusal(platform: str, answer: bytes) -> str:
    """The platform's reason for refusing, from its JSON answer ("" when accepted)."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return answer[:200].decode("utf-8", "replace")
    if not isinstance(data, dict):
        return str(data)[:200]
    code = (
        data.get("code", data.get("StatusCode", 0))
        if platform == "feishu"
        else data.get("errcode", 0)
    )
    if code in (0, None):
        return ""
    return f"{code}: {data.get('msg') or data.get('errmsg') or data.get('StatusMessage') or ''}"


def http_post(url: str, body: bytes) -> bytes:
    """POST JSON; an HTTP error status raises (its body is the reason)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an http(s) URL: {url[:40]}")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return bytes(response.read())


def _email(
    channel: EmailChannel,
    sent: list[Notice],
    environ: Mapping[str, str],
    mail: Mailer,
    outcome: Outcome,
    t: Catalogue,
) -> None:
    messages = []
    for notice in sent:
        address = channel.addresses.get(notice.owner)
        if not address:
            outcome.failed.append(
                (notice.owner, t("no address for %(owner)s under addresses:", owner=notice.owner))
            )
            continue
        message = EmailMessage()
        message["Subject"] = notice.title
        message["From"] = channel.sender
        message["To"] = formataddr((notice.owner, address))
        message["Message-ID"] = make_msgid(domain="docgen")
        message.set_content(notice.text())
        messages.append(message)
        outcome.sent.append(notice.owner)
    if messages:
        mail(channel, environ, messages)


def smtp_send(
    channel: EmailChannel, environ: Mapping[str, str], messages: list[EmailMessage]
) -> None:
    """Send ``messages`` over one SMTP connection (SSL, STARTTLS or plain, as configured)."""
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if channel.security == "ssl":
        server = smtplib.SMTP_SSL(channel.host, channel.port, timeout=TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(channel.host, channel.port, timeout=TIMEOUT)
    with server:
        if channel.security == "starttls":
            server.starttls(context=context)
        user = environ.get(channel.user_env, "") if channel.user_env else ""
        if user:
            server.login(user, environ.get(channel.password_env or "", ""))
        for message in messages:
            server.send_message(message)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        body = exc.read()[:200].decode("utf-8", "replace")
        return f"HTTP {exc.code} {exc.reason} {body}".strip()
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
