"""The standard structure of a 府省's デジタル・ガバメント中長期計画, and the 未記入 placeholder.

Every ministry's plan follows the same outline (chapters I–VII, their usual sections, the
appendices listed in VII).  It is written down once here, taken from the structure of the
plan this project was built on, and used by

* ``dgdocs new`` (:mod:`dgdocs.scaffold`), which writes it out with a placeholder in every
  part still to be written, and
* ``dgdocs import`` (:mod:`dgdocs.importer`), which gives the headings it recognises the same
  stable ids (``basics``, ``purpose``, …) so that every imported plan is addressed alike.

Titles that name the ministry carry ``{org}``; nothing here names a particular ministry.
The placeholder :data:`PLACEHOLDER` is what rule DG510 reports as 未記入.

This module imports nothing of ours (the checks and the writers both read it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PLACEHOLDER = "【未記入】"


@dataclass(frozen=True)
class StdSection:
    marker: str
    title: str  # may contain {org}
    id: str
    hint: str  # what to write there (shown after the placeholder)
    children: tuple["StdSection", ...] = ()


@dataclass(frozen=True)
class StdChapter:
    marker: str
    title: str
    id: str
    file: str  # chapters/NN-id.md
    hint: str
    sections: tuple[StdSection, ...] = ()


@dataclass(frozen=True)
class StdAppendix:
    number: int
    title: str
    kind: str  # roadmap / list


def _s(marker: str, title: str, sid: str, hint: str, *children: StdSection) -> StdSection:
    return StdSection(marker, title, sid, hint, tuple(children))


CHAPTERS: tuple[StdChapter, ...] = (
    StdChapter("I.", "基本事項", "basics", "chapters/01-basics.md", "", (
        _s("(1)", "目的", "purpose", "本計画の目的（デジタル・ガバメント実行計画との関係、府省の役割）を書いてください。"),
        _s("(2)", "計画期間", "plan-period", "計画の対象期間（年度）と、改定の方針を書いてください。"),
        _s("(3)", "現状と課題", "current-issues", "府省の情報システムとサービスの現状と課題を書いてください。"),
        _s("(4)", "計画の概要", "plan-overview",
           "重点的に取り組む施策と、情報システム経費の見込み（経費区分別・施策別の表）を書いてください。"
           "表の数字は content/data/ に書き、本文から table の指示で表示します（README の「参照の書き方」）。"),
        _s("(5)", "計画目標", "plan-goals", "本計画により達成しようとする状態を書いてください。"),
    )),
    StdChapter("II.", "利用者中心の行政サービス改革・行政手続のデジタル化", "services", "chapters/02-services.md", "", (
        _s("(1)", "サービス改革方針・業務改革（BPR）の徹底", "service-reform", "サービス改革と業務改革（BPR）の方針を書いてください。"),
        _s("(2)", "行政手続のデジタル化", "procedure-digitalisation", "所管する行政手続のデジタル化の取組を、次の3つに分けて書いてください。",
           _s("ア.", "行政手続のオンライン化実施の原則に係る情報システム整備", "online-principle",
              "所管手続の数、オンライン化の状況と予定、個別の取組（「1)」「2)」…の見出しで、それぞれ「a) 現状と課題(As Is)」「b) 実現したい状態(To Be)」「c) 具体的な取組(To Do)」とKPI）を書いてください。"),
           _s("イ.", "添付書類の省略に係る情報システム整備", "attachment-omission", "添付書類の省略の検討状況と個別の取組を書いてください。"),
           _s("ウ.", "行政手続のさらなる利便性の向上に係る情報システム整備", "convenience",
              "オンライン化済みの手続の利便性向上の取組を書いてください。")),
        _s("(3)", "重要プロジェクトの推進", "key-projects",
           "重要と位置づけるプロジェクトを「1)」「2)」…の見出しで、それぞれ「a) 現状と課題(As Is)」「b) 実現したい状態(To Be)」「c) 具体的な取組(To Do)」とKPIを書いてください。"),
        _s("(4)", "民間手続のデジタル化の推進", "private-procedures", "所管する民間手続のデジタル化の状況と取組を書いてください。"),
    )),
    StdChapter("III.", "デジタル・ガバメント実現のための基盤整備", "infrastructure", "chapters/03-infrastructure.md", "", (
        _s("(1)", "{org}のプラットフォームの概況及び今後の方針", "platform-policy", "所管する基盤（プラットフォーム）の概況と今後の方針を書いてください。"),
        _s("(2)", "行政保有データの100%オープン化", "open-data", "保有データのオープンデータ化の方針と取組を書いてください。"),
        _s("(3)", "APIの整備", "api", "情報システムの API の整備の取組を書いてください。"),
        _s("(4)", "標準化・共通化の推進", "standardisation", "データの標準化、システムの共通化の取組を書いてください。"),
        _s("(5)", "クラウドサービスの利用推進", "cloud", "クラウドサービスの利用の方針と状況を書いてください。"),
        _s("(6)", "政府情報システム改革", "system-reform", "情報システムの統廃合と運用コスト削減の取組を書いてください。"),
        _s("(7)", "情報セキュリティ対策、個人情報保護、業務継続性の確保", "security-privacy-continuity",
           "情報セキュリティ対策、個人情報保護、業務継続性の確保の取組を書いてください。"),
    )),
    StdChapter("IV.", "価値を生み出すITガバナンス", "governance", "chapters/04-governance.md", "", (
        _s("(1)", "推進体制の整備", "governance-structure", "CIO・副CIO・PMO・PJMO の推進体制を書いてください。"),
        _s("(2)", "ガバナンスの強化", "governance-strengthening", "IT ガバナンスの強化の取組（状況把握、予算要求、調達、工程レビュー）を書いてください。"),
        _s("(3)", "人材確保・育成", "human-resources", "セキュリティ・IT 人材の確保と育成の取組を書いてください。"),
        _s("(4)", "デジタルデバイド対策", "digital-divide", "デジタルデバイド対策の取組を書いてください。"),
        _s("(5)", "広報", "public-relations", "行政サービスの広報の取組を書いてください。"),
        _s("(6)", "デジタル・ガバメントの推進に係るその他の取組", "other-initiatives", "その他の取組があれば書いてください（なければこの節を削除します）。"),
    )),
    StdChapter("V.", "業務におけるデジタル技術の活用", "digital-work", "chapters/05-digital-work.md", "", (
        _s("(1)", "AI・RPA等のデジタル技術の活用", "ai-rpa", "業務での AI・RPA 等の活用の取組を書いてください。"),
        _s("(2)", "デジタル・ワークスタイル実現のための環境整備", "digital-workstyle", "テレワーク、ペーパーレス化などの環境整備を書いてください。"),
        _s("(3)", "電子的な公文書管理等（電子決裁移行加速化方針への対応状況）", "e-records", "電子決裁と電子的な公文書管理の状況と取組を書いてください。"),
    )),
    StdChapter("VI.", "計画の評価・改定", "evaluation", "chapters/06-evaluation.md",
               "計画の評価と見直しの方法（誰が、どの頻度で）を書いてください。"),
    StdChapter("VII.", "デジタル改革を進めるためのロードマップ", "roadmap", "chapters/07-roadmap.md",
               "別紙（工程表）の一覧の前置きを書いてください。"),
)

APPENDICES: tuple[StdAppendix, ...] = (
    StdAppendix(1, "デジタル・ガバメント実現のための基盤の整備工程表", "roadmap"),
    StdAppendix(2, "重要プロジェクトの推進に係る工程表", "roadmap"),
    StdAppendix(3, "手続の見直し工程表", "roadmap"),
    StdAppendix(4, "行政手続のデジタル化に係る工程表", "roadmap"),
    StdAppendix(5, "主な投資事項一覧", "list"),
    StdAppendix(6, "マイナンバーカードを活用した各種カード等のデジタル化等に向けた工程表", "roadmap"),
)


def default_title(org: str) -> str:
    return f"{org}デジタル・ガバメント中長期計画"


def appendix_kind(title: str) -> str:
    """An appendix whose title is a list (…一覧) is a list; the others are roadmaps (工程表)."""
    return "list" if title.rstrip().endswith("一覧") else "roadmap"


def fill(title: str, org: str) -> str:
    return title.replace("{org}", org)


def normalise_title(text: str) -> str:
    """A title reduced for comparison: NFKC, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def match_chapter(title: str, org: str) -> StdChapter | None:
    """The standard chapter whose title this is (compared without spaces and widths)."""
    t = normalise_title(title)
    return next((c for c in CHAPTERS if normalise_title(fill(c.title, org)) == t), None)


def match_section(parent_id: str, title: str, org: str) -> StdSection | None:
    """The standard section under *parent_id* with this title (its marker may differ)."""
    t = normalise_title(title)
    for sec in _children_of(parent_id):
        if normalise_title(fill(sec.title, org)) == t:
            return sec
    return None


def _children_of(parent_id: str) -> tuple[StdSection, ...]:
    for ch in CHAPTERS:
        if ch.id == parent_id:
            return ch.sections
        for sec in ch.sections:
            if sec.id == parent_id:
                return sec.children
    return ()
