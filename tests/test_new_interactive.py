"""`docgen new` asks for what is missing on a terminal, and refuses in a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from conftest import TODAY, copy_samples

HUAXIN = "2026-008-huaxin-storage"


def _converse(cmd: list[str], cwd: Path, answers: list[tuple[str, str]], timeout: float = 30) -> str:
    """Run ``cmd`` on a pseudo-terminal; answer each question when its words appear."""
    master, slave = pty.openpty()
    env = {**os.environ, "DOCGEN_TODAY": TODAY, "COLUMNS": "100", "LANG": "C.UTF-8"}
    env.pop("DOCGEN_LANG", None)  # the workspace's language: Chinese
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    seen, pending, deadline = "", list(answers), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk.decode("utf-8", "replace")
            if pending and pending[0][0] in seen.split("\x00")[-1]:
                _question, answer = pending.pop(0)
                seen += "\x00"  # answered up to here
                os.write(master, answer.encode("utf-8") + b"\r")
            if proc.poll() is not None and not ready:
                break
    finally:
        proc.wait(timeout=10)
        os.close(master)
    assert proc.returncode == 0, seen
    assert not pending, (pending, seen)
    return seen.replace("\x00", "")


def test_new_asks_on_a_terminal(tmp_path: Path) -> None:
    root = copy_samples(tmp_path, (HUAXIN,))
    seen = _converse(
        [sys.executable, "-m", "docgen", "new", "--root", str(root)],
        root,
        [
            ("项目名称", "星河新能源储能电站合作"),
            ("合作方全称", "星河新能源科技有限公司"),
            ("合作模式（序号或名称）", "代理"),  # a name is an answer, as a number is
            ("线索来源（序号或名称）", "主动来访"),
            ("负责人", ""),  # the default: the owner already in the portfolio
            ("项目编号", "ZS-2026-031"),
            ("文件夹名", "2026-031-xinghe-energy"),
        ],
    )
    assert "1. 合资 (joint-venture)" in seen and "2. 代理 (agency)" in seen
    assert "张伟" in seen  # the owners so far are offered
    index = (root / "engagements/2026-031-xinghe-energy/index.md").read_text("utf-8")
    assert "title: 星河新能源储能电站合作" in index and "mode: agency" in index
    assert "\norigin: visit  # 主动来访" in index
    assert "owner: 张伟" in index and "ZS-2026-031" in index
    done = subprocess.run([sys.executable, "-m", "docgen", "validate", "--root", str(root)],
                          capture_output=True, text=True, env={**os.environ, "DOCGEN_TODAY": TODAY})
    assert done.returncode == 0, done.stdout + done.stderr


def test_new_in_a_pipe_names_what_is_missing(tmp_path: Path) -> None:
    root = copy_samples(tmp_path, (HUAXIN,))
    done = subprocess.run([sys.executable, "-m", "docgen", "new", "x-1", "--title", "某项目",
                           "--root", str(root)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "Missing --partner, --mode, --owner" in done.stderr
    assert not (root / "engagements/x-1").exists()
