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
