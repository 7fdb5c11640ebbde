"""Safe YAML loading that keeps the line of every node, and a small schema reader.

PyYAML's ``SafeLoader`` composes the node graph (with marks); we turn it into
:class:`YNode` values that know their :class:`~dgdocs.model.Loc`.  Only the safe
tags are resolved (no Python objects, ever).

:class:`Reader` turns nodes into model values and *collects* every problem as a
:class:`~dgdocs.model.Finding` (missing field, wrong type, unknown key) instead of
stopping at the first one; messages are in Japanese and say what to do.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Iterator, TypeVar

import yaml

from .diagnostics import DgdocsError, Problems
from .model import Finding, Loc
from .model.record import record
from .yamlerrors import explain

T = TypeVar("T")


class YamlSyntaxError(DgdocsError):
    """A YAML file cannot be parsed; ``finding`` says where (DG003, or DG011 for a limit)."""

    def __init__(self, finding: Finding):
        super().__init__([finding])


@record
class YNode:
    """A YAML node: ``value`` is a dict (str → YNode), a list of YNode, or a scalar."""

    value: Any
    loc: Loc
    key_loc: Loc | None = None  # where the key of this mapping entry stands

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The plain Python value (for open data and tests)."""
        if self.is_map:
            return {k: v.plain() for k, v in self.value.items()}
        if self.is_seq:
            return [v.plain() for v in self.value]
        return self.value


_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


def _loc(rel: str, mark: yaml.Mark) -> Loc:
    return Loc(rel, mark.line + 1, mark.column + 1)


def _scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    if node.tag == _STR:  # what the constructor would give, without its dispatch
        return node.value
    if node.tag == "tag:yaml.org,2002:float":
        # Keep decimals exactly as written (114.6 stays 114.6, 1 decimal place).
        text = node.value.replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return loader.construct_object(node)
    if node.tag == "tag:yaml.org,2002:timestamp":
        value = loader.construct_object(node)
        return value.date() if isinstance(value, _dt.datetime) else value
    return loader.construct_object(node)


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

# Work is bounded on any input: content never needs anchors and aliases (a 478-byte
# "billion laughs" file expands to gigabytes), deeper nesting than this or more nodes.
MAX_DEPTH = 40
MAX_NODES = 200_000


class _Limit(Exception):
    def __init__(self, mark: yaml.Mark, message: str, hint: str, code: str = "DG011"):
        super().__init__(message)
        self.mark, self.message, self.hint, self.code = mark, message, hint, code


@dataclass
class _Budget:
    nodes: int = 0
    seen: set[int] | None = None


def _convert(node: yaml.Node, rel: str, loader: yaml.SafeLoader, problems: Problems,
             depth: int = 0, budget: _Budget | None = None, key_loc: Loc | None = None) -> YNode:
    budget = budget if budget is not None else _Budget(0, set())
    loc = _loc(rel, node.start_mark)
    if id(node) in budget.seen:
        # the composer hands an alias (*name) back as the very node of its anchor
        raise _Limit(node.start_mark, "アンカーと別名（&名前・*名前）は使えません",
                     "値をその場所にそのまま書いてください（別名は展開すると際限なく大きくなるため、content では使えません）。",
                     code="DG003")
    budget.seen.add(id(node))
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise _Limit(node.start_mark, f"値の数が上限（{MAX_NODES:,} 個）を超えています",
                     "ファイルを分けるか、内容が壊れていないか確かめてください。")
    if depth > MAX_DEPTH:
        raise _Limit(node.start_mark, f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）",
                     "字下げや括弧 [ { の閉じ忘れを確かめてください。")
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        # SafeLoader would refuse such a tag on a scalar; refuse it on collections too
        raise yaml.constructor.ConstructorError(None, None, f"使えないタグ {node.tag} があります", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, YNode] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _Limit(knode.start_mark, "キーに値の組やリストは使えません",
                             "キーは「名前:」の形の文字列で書いてください。", code="DG003")
            key = _scalar(knode, loader)
            kloc = _loc(rel, knode.start_mark)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                problems.error("DG005", kloc, f"キー「{key}」が同じ場所に2回書かれています。",
                               "どちらか一方を削除してください（後の値が前の値を黙って上書きしないようにしています）。")
                continue
            out[key] = _convert(vnode, rel, loader, problems, depth + 1, budget, kloc)
        return YNode(out, loc, key_loc)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(n, rel, loader, problems, depth + 1, budget) for n in node.value], loc, key_loc)
    return YNode(_scalar(node, loader), loc, key_loc)


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first alias (*name) stands: the composed node only knows its anchor's place."""
    try:
        for event in yaml.parse(text, Loader=_SAFE):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark
    except yaml.YAMLError:  # pragma: no cover - the text was composed already
        pass
    return None


def parse_yaml(text: str, rel: str) -> tuple[YNode | None, Problems]:
    """Parse *text* (the file *rel*); return the root node (None if empty) and problems.

    A syntax error raises :class:`YamlSyntaxError` carrying the line.
    """
    loader = _SAFE(text)
    problems = Problems()
    try:
        root = loader.get_single_node()
        if root is None:
            return None, problems
        return _convert(root, rel, loader, problems), problems
    except _Limit as exc:
        mark = _first_alias(text) if exc.code == "DG003" and "別名" in exc.message else None
        raise YamlSyntaxError(Finding(exc.code, "error", _loc(rel, mark or exc.mark), f"{exc.message}。", exc.hint)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(rel, mark) if mark else Loc(rel)
        what = exc.problem or "YAML として読めません"
        detail = "; ".join(x for x in (exc.context, exc.problem) if x)  # PyYAML's own words, for --format json
        lines = text.split("\n")
        char = ""
        if exc.problem_mark and exc.problem_mark.line < len(lines):
            row = lines[exc.problem_mark.line]
            char = row[exc.problem_mark.column] if exc.problem_mark.column < len(row) else ""
        said = explain(exc.problem or "", exc.context or "", char)
        if said:
            message, hint = f"YAML の書き方に誤りがあります：{said[0]}。", said[1]
        else:
            message = f"YAML の書き方に誤りがあります（{what}）。"
            hint = "この行とその直前の行の字下げ（半角スペース）、「:」の後の空白、引用符の閉じ忘れを確かめてください。"
        raise YamlSyntaxError(Finding("DG003", "error", loc, message, hint, detail=detail)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlSyntaxError(Finding("DG003", "error", Loc(rel), f"YAML として読めません（{exc}）。",
                                      "ファイルの書き方を確かめてください。")) from None
    finally:
        loader.dispose()


# ------------------------------------------------------------------ reading

_TYPE_NAMES = {
    str: "文字列", int: "整数", "number": "数値", bool: "true/false", list: "リスト",
    dict: "キーと値の組（マッピング）", _dt.date: "日付（例: 2020-03-31）",
}


def ja(what: str) -> str:
    """*what* ready for a Japanese particle: 「KPI「x」の target」 + に → 「… の target に」 (a space
    after a Latin word, none after Japanese)."""
    return what + " " if what and (what[-1].isascii() and (what[-1].isalnum() or what[-1] in "_-.")) else what


class Reader:
    """Reads model values out of YNodes, collecting every problem.

    *elsewhere* maps a file pattern (``kpis.yaml``, ``data/*.yaml``) to each key and the records
    of that file that use it (「KPI」 for ``note``): a key valid one level up or down in the same
    file is most likely indented wrong, and the hint says so instead of asking for the spelling.
    It may be given as the function that makes it, called only when a key is unknown (the
    loader makes a reader for every file and record; the map is needed for a mistake only)."""

    def __init__(self, problems: Problems,
                 elsewhere: dict[str, dict[str, tuple[str, ...]]] | Callable[[], dict[str, dict[str, tuple[str, ...]]]] | None = None):
        self.problems = problems
        self._keys = elsewhere or {}

    @property
    def elsewhere(self) -> dict[str, dict[str, tuple[str, ...]]]:
        if callable(self._keys):
            self._keys = self._keys()
        return self._keys

    def _elsewhere(self, file: str) -> dict[str, tuple[str, ...]]:
        from fnmatch import fnmatchcase
        return next((keys for pattern, keys in self.elsewhere.items() if fnmatchcase(file, pattern)), {})

    def error(self, loc: Loc, message: str, hint: str, code: str = "DG004") -> None:
        self.problems.error(code, loc, message, hint)

    def mapping(self, node: YNode, what: str, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, YNode] | None:
        """Check that *node* is a mapping with only *allowed* keys and every *required* key."""
        if not node.is_map:
            self.error(node.loc, f"{ja(what)}はキーと値の組（マッピング）で書いてください。",
                       "「キー: 値」の形で書きます。字下げが揃っているか確かめてください。")
            return None
        allowed = set(allowed)
        for key, child in node.value.items():
            if key not in allowed:
                users = [u for u in self._elsewhere(node.loc.file).get(key, ()) if u != what]
                if users:
                    hint = (f"「{key}」は{'・'.join(users[:3])}で使うキーです。字下げ（行頭の半角スペースの数）がずれて、"
                            f"別の項目の下（または上）に入っていないか確かめてください。ここで使えるキーは {', '.join(sorted(allowed))} です。")
                else:
                    hint = f"使えるキーは {', '.join(sorted(allowed))} です。綴りを確かめてください。"
                self.error(child.key_loc or child.loc, f"{ja(what)}に知らないキー「{key}」があります。", hint, code="DG005")
        for key in required:
            if key not in node.value:
                self.error(node.loc, f"{ja(what)}に必須のキー「{key}」がありません。",
                           f"「{key}: …」を追加してください。", code="DG004")
        return node.value

    def get(self, m: dict[str, YNode], key: str, kind: Any, what: str, default: Any = None) -> Any:
        """The value of *key* checked against *kind* (a type, 'number' or a tuple of them)."""
        node = m.get(key)
        if node is None or node.value is None:
            return default
        return self.check_type(node, kind, f"{ja(what)}の「{key}」", default)

    def check_type(self, node: YNode, kind: Any, what: str, default: Any = None) -> Any:
        value = node.value
        if kind == "number":
            ok = isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind is str:
            ok = isinstance(value, str)
            if not ok and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                value, ok = str(value), True  # a bare number is fine where text is expected
        elif kind is list:
            ok = node.is_seq
        elif kind is dict:
            ok = node.is_map
        else:
            ok = isinstance(value, kind)
        if not ok:
            expected = _TYPE_NAMES.get(kind, str(kind))
            self.error(node.loc, f"{ja(what)}は{expected}で書いてください（いまは {_describe(value)}）。",
                       "値の書き方を確かめてください。文字列に「:」や「#」を含むときは引用符で囲みます。")
            return default
        return value

    def seq(self, m: dict[str, YNode], key: str, what: str) -> list[YNode]:
        node = m.get(key)
        if node is None or node.value is None:
            return []
        if not node.is_seq:
            self.error(node.loc, f"{ja(what)}の「{key}」はリスト（各行を「- 」で始める）で書いてください。",
                       "一つだけのときも「- 」で始めます。")
            return []
        return node.value

    def items(self, m: dict[str, YNode], key: str, kind: Any, what: str, keep_empty: bool = False) -> tuple:
        """The scalar items of the list under *key*, each checked against *kind*; items that fail
        the check are reported and left out (empty strings too, unless *keep_empty*)."""
        values = (self.check_type(x, kind, f"{ja(what)}の「{key}」の項目") for x in self.seq(m, key, what))
        return tuple(v for v in values if v is not None and (keep_empty or v != ""))

    def unique(self, items: Iterable[T], key: Callable[[T], str], loc: Callable[[T], Loc], what: str) -> Iterator[T]:
        seen: dict[str, Loc] = {}
        for item in items:
            k = key(item)
            if k in seen:
                self.error(loc(item), f"{what}「{k}」が重複しています（最初は {seen[k]}）。",
                           "id は一意にしてください。", code="DG006")
                continue
            seen[k] = loc(item)
            yield item


def _describe(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return f"真偽値 {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"数値 {value}"
    if isinstance(value, _dt.date):
        return f"日付 {value.isoformat()}"
    if isinstance(value, dict):
        return "マッピング"
    if isinstance(value, list):
        return "リスト"
    return f"「{value}」"
