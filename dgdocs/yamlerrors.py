"""The YAML parser's English, said in Japanese for editors (DG003).

PyYAML names a syntax error in its own words (``did not find expected '-' indicator``,
``mapping values are not allowed here`` …).  :func:`explain` turns the common ones into what
an editor can act on; the original stays in the finding's ``detail`` (``--format json``),
for whoever needs PyYAML's exact words.  An error not in the table keeps PyYAML's words in
the message, so that nothing is lost.
"""

from __future__ import annotations

import re

INDENT = "字下げ（行頭の半角スペースの数）"

#: (pattern on PyYAML's problem (and context), what went wrong, what to do)
PROBLEMS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple((re.compile(p), m, h) for p, m, h in (
    (r"did not find expected '-' indicator",
     "リストの項目（「- 」で始まる行）の並びが途中で崩れています",
     f"この行とその前の項目の{INDENT}を揃えてください。リストの中に「- 」のない行が紛れていないかも確かめてください。"),
    (r"did not find expected key",
     "キー（「名前:」）があるはずの場所に別のものがあります",
     f"この行とその直前の行の{INDENT}を揃えてください。値に「: 」や「#」、「[」「{{」で始まる文字があるときは引用符（\"…\"）で囲みます。"),
    (r"mapping values are not allowed",
     "ここには「キー: 値」を書けません",
     f"値の中に「: 」があるときは、値全体を引用符（\"…\"）で囲んでください。{INDENT}がずれて、前の行の値の続きになっていないかも確かめてください。"),
    (r"found character '\\t' that cannot start any token|found a tab character|tab character",
     "タブ文字があります（YAML の字下げにタブは使えません）",
     "タブを半角スペースに置き換えてください（エディタの「タブをスペースに変換」）。"),
    (r"found character '(.)' that cannot start any token",
     "値の最初の文字「{0}」は、そのままでは書けません",
     "値全体を引用符（\"…\"）で囲んでください（@ や ` や % で始まる値など）。"),
    (r"found character that cannot start any token",
     "値の最初の文字（@ や ` など）は、そのままでは書けません",
     "値全体を引用符（\"…\"）で囲んでください（@ や ` や % で始まる値など）。"),
    (r"could not find expected ':'",
     "「キー: 値」の「:」が見つかりません",
     "キーの後に「:」と半角スペースを書いてください。前の行の引用符が閉じていないと、この行まで続いてしまいます。"),
    (r"found unexpected end of stream",
     "ファイルの終わりまで、引用符（\" または '）か括弧が閉じていません",
     "開いた引用符・括弧（[ {）に対応する閉じを書いてください。"),
    (r"found unknown escape character",
     "\"…\" の中の「\\」の使い方が違います",
     "「\\」をそのまま書くには、値を '…'（一重引用符）で囲むか、「\\\\」と2つ書いてください。"),
    (r"expected ',' or '\]'",
     "[ ] の中の区切りの「,」か、閉じの「]」がありません",
     "[a, b] の形で、項目を「, 」で区切って「]」で閉じてください。"),
    (r"expected ',' or '\}'",
     "{ } の中の区切りの「,」か、閉じの「}」がありません",
     "{キー: 値, キー: 値} の形で、「, 」で区切って「}」で閉じてください。"),
    (r"did not find expected node content|expected the node content",
     "値があるはずの場所に値がありません",
     "「- 」や「: 」の後に値を書くか、行を削除してください。"),
    (r"expected <block end>, but found",
     f"{INDENT}がずれています",
     f"この行の{INDENT}を、同じ階層の行（上の行）に揃えてください。"),
    (r"found duplicate anchor|found undefined alias|while scanning an (alias|anchor)",
     "「&」や「*」で始まる値（アンカー・別名）があります",
     "値全体を引用符（\"…\"）で囲んでください（content ではアンカーと別名は使えません）。"),
    (r"while scanning a (quoted|double-quoted|single-quoted) scalar",
     "引用符（\" または '）が閉じていません",
     "値の終わりに、開いたのと同じ引用符を書いてください。"),
))


def explain(problem: str, context: str = "", char: str = "") -> tuple[str, str] | None:
    """(message, hint) in Japanese for a PyYAML problem, or None when it is not a common one;
    *char* is the character where the parser stopped (libyaml does not name it)."""
    if char == "\t":
        problem = "found a tab character"
    elif char and "cannot start any token" in problem and "'" not in problem:
        problem = f"found character '{char}' that cannot start any token"
    for rx, message, hint in PROBLEMS:
        m = rx.search(problem) or rx.search(context)
        if m:
            return (message.format(*m.groups()) if "{0}" in message else message), hint
    return None
