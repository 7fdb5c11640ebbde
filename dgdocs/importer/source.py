"""Reading the extracted text of a published plan — untrusted input, read within bounds.

The text is UTF-8 (a BOM is allowed; CRLF becomes LF, and the form feeds pdftotext writes at
page breaks are dropped, so that line numbers stay those of the file).  A file that is too large, binary, or in
another encoding is refused with the line where the problem is and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Finding, Loc

MAX_BYTES = 4 * 1024 * 1024  # a plan's extracted text is a few hundred KB (and content files are loaded up to 4 MB)
MAX_LINES = 100_000
MAX_LINE = 20_000  # characters: the loader's limit for a line of a content file (the text is copied to source/)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class SourceError(Exception):
    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


@dataclass(frozen=True)
class Source:
    name: str  # the file name (messages and errata cite its lines)
    text: str  # the text as read (line breaks normalised), copied into content/source/
    lines: tuple[str, ...]  # line n is lines[n - 1]


def _error(name: str, line: int, message: str, hint: str) -> SourceError:
    return SourceError([Finding("DG801", "error", Loc(name, line), message, hint)])


def read_source(path: str | Path) -> Source:
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise _error(name, 0, f"抽出テキスト {path} がありません。", "ファイルのパスを確かめてください。")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _error(name, 0, f"抽出テキストが大きすぎます（{size:,} バイト。上限 {MAX_BYTES:,} バイト）。",
                     "1つの計画の抽出テキストか確かめてください。")
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _error(name, line, "抽出テキストにバイナリのデータ（NUL 文字）があります。",
                     "PDF そのものではなく、PDF から抽出したテキスト（UTF-8）を指定してください。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        guess = ""
        for enc, label in (("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP")):
            try:
                data.decode(enc)
                guess = f"（{label} で保存されているようです）"
                break
            except UnicodeDecodeError:
                pass
        raise _error(name, line, f"抽出テキストの文字コードが UTF-8 ではありません{guess}。",
                     "エディタなどで UTF-8 に変換して保存し直してください。") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "")
    text = _CONTROL.sub("", text)
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise _error(name, MAX_LINES, f"抽出テキストの行が多すぎます（{len(lines):,} 行。上限 {MAX_LINES:,} 行）。",
                     "1つの計画の抽出テキストか確かめてください。")
    long_line = next((i + 1 for i, line in enumerate(lines) if len(line) > MAX_LINE), 0)
    if long_line:
        raise _error(name, long_line, f"{long_line} 行目が長すぎます（{len(lines[long_line - 1]):,} 字。上限 {MAX_LINE:,} 字）。",
                     "抽出テキストか確かめてください（段落の途中に改行を入れてもかまいません）。")
    return Source(name, text, tuple(lines))
