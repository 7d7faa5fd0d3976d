"""docgen remind: each owner's due items to 企业微信, 钉钉, 飞书 robots and e-mail.

The robots are a local HTTP server and the mail server is aiosmtpd, both on 127.0.0.1,
started and stopped by the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import copy_samples

CONFIG = """
      reminders:
        days: 14
        channels:
          - {type: wecom, url_env: T_WECOM}
          - {type: dingtalk, url_env: T_DINGTALK, secret_env: T_DINGTALK_SECRET}
          - {type: feishu, name: 飞书招商群, url_env: T_FEISHU, secret_env: T_FEISHU_SECRET}
"""


class Robots(ThreadingHTTPServer):
    """Answers each path as its platform does; records what it received."""

    received: list[tuple[str, dict]]


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((self.path, body))  # type: ignore[attr-defined]
        if self.path.startswith("/broken"):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"robot down")
            return
        answer = {"code": 0, "msg": "success"} if self.path.startswith("/feishu") else {"errcode": 0, "errmsg": "ok"}
        if self.path.startswith("/refuse"):
            answer = {"errcode": 310000, "errmsg": "keywords not in content"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def robots() -> Iterator[Robots]:
    server = Robots(("127.0.0.1", 0), _Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def workspace(tmp_path: Path, robots: Robots, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_samples(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + CONFIG),
        "utf-8",
    )
    base = f"http://127.0.0.1:{robots.server_address[1]}"
    monkeypatch.setenv("T_WECOM", f"{base}/wecom?key=abc")
    monkeypatch.setenv("T_DINGTALK", f"{base}/dingtalk?access_token=abc")
    monkeypatch.setenv("T_DINGTALK_SECRET", "SECdingtalk")
    monkeypatch.setenv("T_FEISHU", f"{base}/feishu/hook/abc")
    monkeypatch.setenv("T_FEISHU_SECRET", "feishu-secret")
    return root


def _by_path(robots: Robots, prefix: str) -> list[tuple[str, dict]]:
    return [(p, b) for p, b in robots.received if p.startswith(prefix)]


def test_without_send_it_shows_and_sends_nothing(workspace: Path, robots: Robots, run) -> None:  # type: ignore[no-untyped-def]
    result = run("remind", "--root", str(workspace))
    assert result.exit_code == 0
    assert "### docgen reminder for 刘洋: overdue, and due by 2026-12-10" in result.out
    assert "- 2026-12-10 恒通智慧物流园区合资运营项目 · 完成应急过程复盘报告" in result.out
    assert "5 owner(s) to remind; --send sends to: 企业微信, 钉钉, 飞书招商群" in result.err
    assert robots.received == []


def test_wecom_gets_one_markdown_message_per_owner(workspace: Path, robots: Robots, run) -> None:  # type: ignore[no-untyped-def]
    result = run("remind", "--send", "--root", str(workspace))
    assert result.exit_code == 0, result.err
    assert "企业微信: sent to 5 owner(s)" in result.err
    sent = _by_path(robots, "/wecom")
    assert [p for p, _ in sent] == ["/wecom?key=abc"] * 5
    body = sent[0][1]
    assert body["msgtype"] == "markdown" and set(body) == {"msgtype", "markdown"}
    assert body["markdown"]["content"].startswith("### docgen reminder for 刘洋")
    assert "完成应急过程复盘报告" in body["markdown"]["content"]


def test_dingtalk_gets_markdown_signed_with_its_secret(workspace: Path, robots: Robots, run) -> None:  # type: ignore[no-untyped-def]
    assert run("remind", "--send", "--root", str(workspace)).exit_code == 0
    path, body = _by_path(robots, "/dingtalk")[0]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "docgen reminder for 刘洋: overdue, and due by 2026-12-10"
    assert body["markdown"]["text"].startswith("### docgen reminder for 刘洋")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["abc"]
    stamp = query["timestamp"][0]
    expected = base64.b64encode(
        hmac.new(b"SECdingtalk", f"{stamp}\nSECdingtalk".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]


def test_feishu_gets_a_signed_card_with_markdown(workspace: Path, robots: Robots, run) -> None:  # type: ignore[no-untyped-def]
    result = run("remind", "--send", "--root", str(workspace))
    assert "飞书招商群: sent to 5 owner(s)" in result.err
    _, body = _by_path(robots, "/feishu")[0]
    assert body["msg_type"] == "interactive"
    assert body["card"]["header"]["title"]["content"].startswith("docgen reminder for 刘洋")
    assert body["card"]["elements"][0]["tag"] == "markdown"
    assert "完成应急过程复盘报告" in body["card"]["elements"][0]["content"]
    key = f"{body['timestamp']}\nfeishu-secret".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def test_a_failing_channel_is_reported_and_the_others_still_go(
    workspace: Path, robots: Robots, run, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    base = f"http://127.0.0.1:{robots.server_address[1]}"
    monkeypatch.setenv("T_WECOM", f"{base}/broken")
    monkeypatch.setenv("T_DINGTALK", f"{base}/refuse")
    monkeypatch.delenv("T_FEISHU_SECRET")
    result = run("remind", "--send", "--root", str(workspace))
    assert result.exit_code == 1
    assert "企业微信: not sent to 刘洋: HTTP 500" in result.err and "robot down" in result.err
    assert "钉钉: not sent to 刘洋: 310000: keywords not in content" in result.err
    assert "飞书招商群: not sent: the environment variable T_FEISHU_SECRET is not set" in result.err
    # every robot was still tried for every owner, the broken and refusing ones included
    assert len(_by_path(robots, "/broken")) == 5 and len(_by_path(robots, "/refuse")) == 5


def test_mail_reaches_each_owner_through_smtp(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self) -> None:
            super().__init__()
            self.mails: list[tuple[list[str], bytes]] = []

        def handle_message(self, message):  # type: ignore[no-untyped-def]
            pass

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            self.mails.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port: aiosmtpd checks it is up by connecting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        root = copy_samples(tmp_path)
        config = root / "mkdocs.yml"
        mail = (
            "\n      reminders:\n        channels:\n          - type: email\n"
            f"            host: 127.0.0.1\n            port: {port}\n            security: none\n"
            "            from: 招商部 <zs@example.com>\n"
            "            addresses: {刘洋: liuyang@example.com, 李娜: lina@example.com}\n"
        )
        config.write_text(
            config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + mail),
            "utf-8",
        )
        monkeypatch.delenv("DOCGEN_LANG")  # the workspace's language: Chinese
        result = run("remind", "--send", "--root", str(root))
    finally:
        controller.stop()
    assert result.exit_code == 1  # three owners have no address: said, not silently skipped
    assert "注意：赵磊：没有渠道能联系到" in result.err  # said before sending
    assert "e-mail：已发送给 2 人" in result.err
    assert "e-mail：未发送给 赵磊：addresses: 中没有 赵磊 的地址" in result.err
    assert sorted(to for to, _ in inbox.mails) == [["lina@example.com"], ["liuyang@example.com"]]
    raw = next(content for to, content in inbox.mails if to == ["liuyang@example.com"])
    parsed = message_from_bytes(raw)
    assert str(make_header(decode_header(parsed["Subject"]))) == "docgen 提醒 刘洋：已逾期及 2026-12-10 前到期的事项"
    text = parsed.get_payload(decode=True).decode(parsed.get_content_charset())
    assert "2026-12-10 恒通智慧物流园区合资运营项目 · 完成应急过程复盘报告" in text


def test_secrets_are_never_read_from_mkdocs_yml(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    root = copy_samples(tmp_path)
    config = root / "mkdocs.yml"
    leak = "\n      reminders:\n        channels:\n          - {type: wecom, url_env: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k'}\n"
    config.write_text(
        config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + leak),
        "utf-8",
    )
    result = run("remind", "--root", str(root))
    assert result.exit_code == 2
    assert "url_env" in result.err and "does not have the form" in result.err
    leak2 = leak.replace("url_env: 'https", "url: 'https")
    config.write_text(config.read_text("utf-8").replace(leak, leak2), "utf-8")
    result = run("remind", "--root", str(root))
    assert result.exit_code == 2 and "unknown key" in result.err


# --- a hostile or broken channel (issue 24) -------------------------------------------------

KEY = "c0ffee-robot-key-9f3a"


class _Hostile(BaseHTTPRequestHandler):
    """A robot that drips, redirects elsewhere, or answers 300 MB."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path.startswith("/drip"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                for _ in range(40):  # bounded: at most 20 s if nobody hangs up
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
        elif self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "https://collector.example/steal")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/huge"):
            self.send_response(200)
            self.send_header("Content-Length", str(300 * 1024 * 1024))
            self.end_headers()
            sent = 0
            try:
                while sent < 300 * 1024 * 1024:
                    self.wfile.write(b"0" * 65536)
                    sent += 65536
            except OSError:
                pass
            self.server.huge_sent = sent  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    server.huge_sent = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_bad_webhook_urls_are_said_without_their_key_and_stop_nothing(
    workspace: Path, robots: Robots, run, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    base = f"http://127.0.0.1:{robots.server_address[1]}"
    for wecom, why in (
        (f"{base}/wecom?key={KEY}\n{base}/x", "line break"),
        (f"{base}/wecom?key= {KEY}", "space"),
        (f"http://127.0.0.1:99999/wecom?key={KEY}", "port"),
        (f"http://127.0.0.1:abc/wecom?key={KEY}", "port"),
        (f"qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}", "https://"),
        (f"http://qyapi.example/cgi-bin/webhook/send?key={KEY}", "unencrypted"),
    ):
        monkeypatch.setenv("T_WECOM", wecom)
        robots.received.clear()
        result = run("remind", "--send", "--root", str(workspace))
        said = result.out + result.err
        assert result.exit_code == 1 and "Traceback" not in said, said
        assert KEY not in said and "key=" not in said, said
        assert "企业微信: not sent: the URL in T_WECOM is not usable" in said and why in said, said
        # the other robots were still sent to
        assert len(_by_path(robots, "/dingtalk")) == 5 and len(_by_path(robots, "/feishu")) == 5
        assert not _by_path(robots, "/wecom")
        # and the preview says so too, before anything is sent
        preview = run("remind", "--root", str(workspace))
        assert "T_WECOM" in preview.err and KEY not in preview.out + preview.err


def test_a_webhook_that_drips_redirects_or_floods_is_a_failure(
    workspace: Path, hostile: ThreadingHTTPServer, run, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    from docgen.tracking import delivery

    monkeypatch.setattr(delivery, "TIMEOUT", 2)
    base = f"http://127.0.0.1:{hostile.server_address[1]}"
    monkeypatch.setenv("T_WECOM", f"{base}/drip?key={KEY}")
    monkeypatch.setenv("T_DINGTALK", f"{base}/moved?access_token={KEY}")
    monkeypatch.setenv("T_FEISHU", f"{base}/huge/{KEY}")
    started = time.monotonic()
    result = run("remind", "--send", "--root", str(workspace))
    took = time.monotonic() - started
    said = result.out + result.err
    assert result.exit_code == 1 and KEY not in said, said
    assert "企业微信: not sent to 刘洋: no complete answer within 2 s" in said
    assert "钉钉: not sent to 刘洋: HTTP 302 Found: a redirect (not followed)" in said
    assert "飞书招商群: not sent to 刘洋" in said and "飞书招商群: sent to 0 owner(s)" in said
    assert took < 5 * 2 + 15, took  # five owners, each drip cut at 2 s
    assert hostile.huge_sent < 50 * 1024 * 1024  # type: ignore[attr-defined]


def test_a_failed_smtp_login_reports_nothing_sent(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)  # no AUTH offered
    controller.start()
    try:
        root = copy_samples(tmp_path)
        config = root / "mkdocs.yml"
        mail = (
            "\n      reminders:\n        channels:\n          - type: email\n"
            f"            host: 127.0.0.1\n            port: {port}\n            security: none\n"
            "            from: 招商部 <zs@example.com>\n            user_env: T_USER\n"
            "            password_env: T_PASSWORD\n"
            "            addresses: {刘洋: liuyang@example.com, 李娜: lina@example.com}\n"
        )
        config.write_text(
            config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + mail),
            "utf-8",
        )
        monkeypatch.setenv("T_USER", "zs@example.com")
        monkeypatch.setenv("T_PASSWORD", "pa55-w0rd-secret")
        monkeypatch.delenv("DOCGEN_LANG")
        result = run("remind", "--send", "--root", str(root))
    finally:
        controller.stop()
    said = result.out + result.err
    assert result.exit_code == 1
    assert "e-mail：已发送给 0 人" in said and "已发送给 2 人" not in said
    assert "e-mail：未发送给 刘洋：" in said and "e-mail：未发送给 李娜：" in said
    assert "pa55-w0rd-secret" not in said


def test_a_notice_says_what_the_owners_engagements_need_next(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: remind says what to do next, as `status ID` does."""
    root = copy_samples(tmp_path)
    monkeypatch.setenv("DOCGEN_LANG", "zh")
    said = run("remind", "--root", str(root)).out
    notice = said.split("### docgen 提醒 陈思远", 1)[1].split("\n### ", 1)[0]
    assert "#### 下一步：凌云机器人协作机械臂技术授权合作" in notice
    assert "[离开前期准备]" in notice


def test_a_partner_contact_who_owns_an_action_is_said_to_be_out_of_reach(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: remind warns when an owner or a contact has no way to be reached."""
    root = copy_samples(tmp_path)
    config = root / "mkdocs.yml"
    mail = (
        "\n      reminders:\n        channels:\n          - type: email\n"
        "            host: 127.0.0.1\n            from: zs@example.com\n"
        "            addresses: {刘洋: liuyang@example.com}\n"
    )
    config.write_text(
        config.read_text("utf-8").replace("      timezone: Asia/Shanghai\n", "      timezone: Asia/Shanghai" + mail),
        "utf-8",
    )
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root)
    contact = next(c.name for e in portfolio.engagements if e.index for c in e.index.data.partner.contacts)
    e = next(e for e in portfolio.engagements if e.plan and e.index and e.index.data.status == "active")
    plan = root / e.rel / "plan.md"
    body = plan.read_text("utf-8")
    plan.write_text(body.replace("tasks:\n", f"tasks:\n  - {{id: TX, title: 提交季度报表, owner: {contact}, due: 2026-11-20}}\n", 1), "utf-8")
    monkeypatch.delenv("DOCGEN_LANG")
    result = run("remind", "--root", str(root))
    assert result.exit_code == 0, result.err
    assert f"注意：{contact} 是" in result.err and "的联系人：请自行告知" in result.err
    assert "注意：刘洋" not in result.err  # the one with an address is reachable
