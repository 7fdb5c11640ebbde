"""The text of every block made right, each change recorded: footnote marks, spaces, domain
names, misread letters, and characters that Markdown or the reference syntax would read.

:class:`Cleaner` is applied to one source line's text at a time, so that each correction is
recorded with the line it stands on and quotes the source exactly (the errata's seed is a
substring of that line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .records import Log
from .scripts import Misread, describe
from .spacing import domains, tighten

_SUP = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>")
_BRACES = re.compile(r"\{\{|\}\}")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# a range 「2020年～2023年」「8:00~21:00」: the wave dash extracted as a tilde (U+FF5E or ASCII)
_TILDE = re.compile(r"(?<=[0-9０-９年月日])\s*[~～]\s*(?=[0-9０-９）)]|$)")
# a label line 「<特別徴収税額通知（…）>」: the angle brackets extracted as less/greater-than signs
_ANGLE = re.compile(r"^<([^<>]*[\u3040-\u30ff\u3400-\u9fff][^<>]*)>$")


@dataclass
class Cleaner:
    log: Log
    misreads: dict[str, Misread]
    refs: list[tuple[str, int]] = field(default_factory=list)  # (footnote label, source line)
    _asked: set[tuple[str, int]] = field(default_factory=set)

    def clean(self, text: str, line: int, raw: str) -> str:
        text = self._footnote_refs(text, line, raw)
        for wrong, right in domains(text):
            self.log.fix("space", line, wrong, right, "ドメイン名の中に抽出時の空白が入っていた。")
            text = text.replace(wrong, right)
        tight = tighten(text)
        if tight != text:
            self.log.rule("R1", line)
        text = self._misreads(tight, line)
        text = self._punctuation(text, line, raw)
        return self._markup(text, line)

    def _punctuation(self, text: str, line: int, raw: str) -> str:
        """Japanese punctuation that the extraction turned into ASCII or fullwidth lookalikes:
        the wave dash 〜 of a range, the angle brackets 〈〉 of a label line."""
        for m in _TILDE.finditer(raw):
            seed = raw[max(0, m.start() - 4): m.end() + 4].strip()
            self.log.fix("punctuation", line, seed, tighten(_TILDE.sub("〜", seed)),
                         "範囲を示す波ダッシュがチルダ（「～」「~」）として抽出されていたため、和文の波ダッシュ「〜」とした。")
        text = _TILDE.sub("〜", text)
        m = _ANGLE.match(text.strip())
        if m and raw.strip().startswith("<"):
            self.log.fix("punctuation", line, raw.strip(), f"〈{m.group(1)}〉",
                         "見出しの山括弧が不等号「<」「>」として抽出されていたため、和文の山括弧「〈」「〉」とした。")
            text = f"〈{m.group(1)}〉"
        return text

    def _footnote_refs(self, text: str, line: int, raw: str) -> str:
        for m in _SUP.finditer(text):
            label = m.group(1)
            self.refs.append((label, line))
            at = raw.find(m.group(0))
            seed = raw[max(0, at - 8): at + len(m.group(0))] if at >= 0 else m.group(0)
            self.log.fix("footnote", line, seed, tighten(seed.replace(m.group(0), f"[^{label}]")),
                         "脚注番号の上付き文字を脚注の参照として記述した。")
        return _SUP.sub(lambda m: f"[^{m.group(1)}]", text)

    def _misreads(self, text: str, line: int) -> str:
        for word, mr in self.misreads.items():
            if word not in text:
                continue
            if mr.corrected:
                self.log.fix("script", line, word, mr.corrected,
                             f"{describe(word)}が混じっていた（抽出テキスト {mr.evidence_line} 行の同じ語は「{mr.corrected}」）。")
                text = text.replace(word, mr.corrected)
            elif (word, line) not in self._asked:
                self._asked.add((word, line))
                self.log.ask("DG815", line, f"「{word}」に日本語以外の文字体系の文字 {describe(word)} が混じっていますが、"
                                            "正しい綴りが抽出テキストのどこにもないため、そのまま取り込みました。",
                             "原文の PDF で正しい文字を確かめて打ち直してください（check の DG601 も指摘します）。")
        return text

    def _markup(self, text: str, line: int) -> str:
        if _BRACES.search(text):
            fixed = text.replace("{{", "｛｛").replace("}}", "｝｝")
            self.log.fix("markup", line, "{{" if "{{" in text else "}}", "｛｛" if "{{" in text else "｝｝",
                         "「{{」「}}」は参照の書き方と読まれるため、全角の括弧にした。")
            text = fixed
        m = _FENCE.match(text)
        if m:
            full = m.group(1).replace("`", "｀").replace("~", "～")
            self.log.fix("markup", line, m.group(1), full, "行頭の「```」「~~~」はコードの囲みと読まれるため、全角にした。")
            text = full + text[m.end():]
        return text
