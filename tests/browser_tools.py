"""Where the browser tools of the tests are, and a clear failure when one is missing.

They are installed by ``make browser-tools`` (run by ``make test``): Debian's ``chromium``
and a Java runtime with apt, and the Node packages of tests/e2e/package-lock.json
(axe-core, playwright-core, vnu-jar) with ``npm ci``.  A missing tool fails the tests
that need it — it never skips them, so CI cannot pass without running the validators.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
E2E = ROOT / "tests" / "e2e"
MODULES = E2E / "node_modules"
VNU_JAR = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("DGDOCS_CHROMIUM", "/usr/bin/chromium"))


def require(*what: str) -> None:
    """Fail (never skip) with what to run when a tool is missing."""
    missing = []
    if "node" in what and not shutil.which("node"):
        missing.append("node（Node.js）")
    if "chromium" in what and not CHROMIUM.exists():
        missing.append(f"{CHROMIUM}（apt パッケージ chromium）")
    if "java" in what and not shutil.which("java"):
        missing.append("java（apt パッケージ default-jre-headless）")
    for pkg in ("playwright-core", "axe-core") if "node" in what else ():
        if not (MODULES / pkg / "package.json").is_file():
            missing.append(f"tests/e2e/node_modules/{pkg}")
    if "java" in what and not VNU_JAR.is_file():
        missing.append("tests/e2e/node_modules/vnu-jar（vnu.jar）")
    if missing:
        pytest.fail("ブラウザのテストに必要なものがありません: " + "、".join(missing)
                    + "。`make browser-tools` を実行してください（make test は自動で実行します）。", pytrace=False)


def run_node(script: str, *args: str, timeout: float = 300) -> tuple[int, dict, str]:
    """Run tests/e2e/SCRIPT with node; return (exit status, its JSON output, stderr)."""
    require("node", "chromium")
    proc = subprocess.run(["node", str(E2E / script), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=E2E)
    try:
        data = json.loads(proc.stdout) if proc.stdout.strip() else {}
    except json.JSONDecodeError:
        data = {"unparsed": proc.stdout[-2000:]}
    return proc.returncode, data, proc.stderr


def start_vnu(files: list[Path]) -> subprocess.Popen:
    """The Nu Html Checker over *files*, in the background (JSON on stdout)."""
    require("java")
    return subprocess.Popen(["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--also-check-css",
                             *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def vnu_messages(proc: subprocess.Popen, timeout: float = 300) -> list[dict]:
    _, err = proc.communicate(timeout=timeout)
    return json.loads(err)["messages"]  # vnu writes its report on stderr
