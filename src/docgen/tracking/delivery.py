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
import contextlib
import hashlib
import hmac
import http.client
import json
import smtplib
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from docgen.core.i18n import Catalogue
from docgen.edits.next_steps import next_steps
from docgen.tracking.reminders import due_by_owner, stale, stale_note
from docgen.workspace.config import Channel, EmailChannel, WebhookChannel
from docgen.workspace.load import Portfolio

#: the platforms' names, as reports name a channel without a ``name:``
PLATFORMS = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "email": "e-mail"}
#: next steps told per engagement an owner owns (the rest are in `docgen status ID`)
NEXT_STEPS = 5
#: 企业微信 refuses markdown longer than 4,096 bytes; the others allow more
_WECOM_LIMIT = 4096
#: seconds a whole request may take, reply included
TIMEOUT = 10
#: bytes of a robot's reply read (its answer is a short JSON)
REPLY_CAP = 64 * 1024


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
        for e in portfolio.engagements:  # what the engagements they own need next
            if e.index is None or e.index.data.owner != owner:
                continue
            steps = next_steps(portfolio, e.id, today)[:NEXT_STEPS]
            if steps:
                lines.append("#### " + t("Next steps: %(title)s", title=e.index.data.title))
                lines += [f"- {t.say(step.what)}" for step in steps]
        title = t(
            "docgen reminder for %(owner)s: overdue, and due by %(until)s",
            owner=owner,
            until=today.fromordinal(today.toordinal() + days),
        )
        out.append(Notice(owner, title, tuple(lines)))
    return out


def unreachable(sent: list[Notice], channels: list[Channel]) -> list[str]:
    """The owners of ``sent`` no channel reaches: no group robot, and no e-mail address.

    A group robot reaches its whole group; e-mail only the owners it has an address for.
    """
    if any(c.type != "email" for c in channels):
        return []
    known = {owner for c in channels if isinstance(c, EmailChannel) for owner in c.addresses}
    return [n.owner for n in sent if n.owner not in known]


def partner_contacts(portfolio: Portfolio) -> dict[str, str]:
    """Each partner contact's name → the partner's name (someone a reminder cannot reach)."""
    found: dict[str, str] = {}
    for e in portfolio.engagements:
        if e.index is not None:
            for contact in e.index.data.partner.contacts:
                found.setdefault(contact.name, e.index.data.partner.name)
    return found


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
#: sends messages; returns the reason for each refused one, by its To header
Mailer = Callable[[EmailChannel, Mapping[str, str], list[EmailMessage]], Mapping[str, str]]


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
    """Send every notice to every channel; a failing channel never stops the others.

    No reason reported holds a webhook's URL (its key), a secret or a password.
    """
    outcomes = []
    for channel in channels:
        outcome = Outcome(channel_name(channel))
        hidden = _secrets(channel, environ)
        try:
            if isinstance(channel, WebhookChannel):
                _robot(channel, sent, environ, post or http_post, outcome, t)
            else:
                _email(channel, sent, environ, mail or smtp_send, outcome, t)
        except Exception as exc:  # one channel's failure, whatever it is, is its own
            outcome.failed.append(("", _reason(exc)))
        outcome.failed = [(owner, scrub(reason, hidden)) for owner, reason in outcome.failed]
        outcomes.append(outcome)
    return outcomes


def _secrets(channel: Channel, environ: Mapping[str, str]) -> list[str]:
    """What no output may show of ``channel``: its URL and every part of it, secrets."""
    names = (
        [channel.url_env, channel.secret_env]
        if isinstance(channel, WebhookChannel)
        else [channel.user_env, channel.password_env]
    )
    values = [environ.get(n, "") for n in names if n]
    found = []
    for value in values:
        found.append(value)
        found.append(value.strip())
        parts = urllib.parse.urlsplit(value.strip()) if "://" in value else None
        if parts is not None:  # the key may stand in the path or the query
            found += [parts.path, parts.query, *parts.path.split("/"), *parts.query.split("&")]
            found += [v for pair in parts.query.split("&") for v in pair.split("=")[1:]]
    return sorted({v for v in found if len(v) >= 4}, key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` (longest first) replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def check_webhook_url(url: str, t: Catalogue) -> str | None:
    """Why ``url`` cannot be a robot's webhook (None when it can); the URL is never quoted.

    It must be one line of https (plain http only to this computer), name a host, and
    have a numeric port if any.
    """
    if not url:
        return t("it is empty")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return t("it holds a space, a line break or a control character")
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number raises
    except ValueError:
        return t("its port is not a number from 1 to 65535")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return t("it is not an https:// URL")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        return t("it is http://, which sends the robot's key unencrypted; use https://")
    return None


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def channel_problem(channel: Channel, environ: Mapping[str, str], t: Catalogue) -> str | None:
    """Why ``channel`` cannot send as the environment stands (None when it can)."""
    if not isinstance(channel, WebhookChannel):
        return None
    url = environ.get(channel.url_env, "").strip()
    if not url:
        return t("the environment variable %(name)s is not set", name=channel.url_env)
    problem = check_webhook_url(url, t)
    if problem:
        return t(
            "the URL in %(name)s is not usable: %(problem)s", name=channel.url_env, problem=problem
        )
    if channel.secret_env and not environ.get(channel.secret_env):
        return t("the environment variable %(name)s is not set", name=channel.secret_env)
    return None


def _robot(
    channel: WebhookChannel,
    sent: list[Notice],
    environ: Mapping[str, str],
    post: Post,
    outcome: Outcome,
    t: Catalogue,
) -> None:
    problem = channel_problem(channel, environ, t)
    if problem:
        raise ValueError(problem)
    url = environ[channel.url_env].strip()
    secret = environ.get(channel.secret_env, "") if channel.secret_env else ""
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
        except (OSError, ValueError, http.client.HTTPException) as exc:
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


class Refused(OSError):
    """A webhook's answer that is no acceptance: an error status or a redirect."""


def http_post(url: str, body: bytes, timeout: float | None = None, cap: int = REPLY_CAP) -> bytes:
    """POST JSON and return the reply, within ``timeout`` seconds in all.

    A redirect is a failure (never followed: it could lead the key's message to another
    host); an error status raises with its body as the reason; a reply is read up to
    ``cap`` bytes.
    """
    timeout = TIMEOUT if timeout is None else timeout
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    elif parts.scheme == "http" and parts.hostname in _LOOPBACK:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        raise ValueError("not an https URL")
    expired = threading.Event()
    sockets: list[socket.socket] = []  # the response keeps the socket the connection lets go

    def _abort() -> None:  # a reply that drips in a byte at a time ends with the time
        expired.set()
        for sock in [*sockets, connection.sock]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(timeout, _abort)
    timer.start()
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request(
            "POST", target, body, {"Content-Type": "application/json; charset=utf-8"}
        )
        if connection.sock is not None:
            sockets.append(connection.sock)
        response = connection.getresponse()
        data = response.read(cap)
        if expired.is_set():  # cut short by the time: an answer that never ended
            raise TimeoutError
        if 300 <= response.status < 400:
            raise Refused(f"HTTP {response.status} {response.reason}: a redirect (not followed)")
        if response.status >= 400:
            reason = data[:200].decode("utf-8", "replace")
            raise Refused(f"HTTP {response.status} {response.reason} {reason}".strip())
        return data
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise TimeoutError(f"no complete answer within {timeout:g} s") from None
        raise exc
    finally:
        timer.cancel()
        connection.close()


def _email(
    channel: EmailChannel,
    sent: list[Notice],
    environ: Mapping[str, str],
    mail: Mailer,
    outcome: Outcome,
    t: Catalogue,
) -> None:
    messages: dict[str, EmailMessage] = {}
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
        messages[notice.owner] = message
    if not messages:
        return
    try:
        refused = mail(channel, environ, list(messages.values()))
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        # nothing was delivered: the connection or the login failed
        outcome.failed += [(owner, _reason(exc)) for owner in messages]
        return
    for owner, message in messages.items():
        reason = refused.get(str(message["To"]))
        if reason is None:
            outcome.sent.append(owner)
        else:
            outcome.failed.append((owner, reason))


def smtp_send(
    channel: EmailChannel, environ: Mapping[str, str], messages: list[EmailMessage]
) -> dict[str, str]:
    """Send ``messages`` over one SMTP connection (SSL, STARTTLS or plain, as configured).

    Returns the reason for each message the server refused, by its To header; a failed
    connection or login raises (then none was sent).
    """
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
        refused: dict[str, str] = {}
        for message in messages:
            try:
                server.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                refused[str(message["To"])] = _reason(exc)
        return refused


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
