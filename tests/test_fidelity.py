"""Fidelity to the source: the built site carries the whole plan, and the errata explain
every place where it departs from the extracted seed text."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from pathlib import Path

import pytest

from dgdocs.render.html import render_site

from conftest import SEED

TOC_LINES = range(11, 52)  # the seed's table of contents (generated from the headings on the site)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def html_text(page: str) -> str:
    """The text a reader gets from a page: tags removed, entities decoded, <ol> numbers kept."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    page = re.sub(r'<sup class="fnref">.*?</sup>', "", page)  # footnote marks, like the seed's <sup>

    def number_items(m):
        n = 0

        def item(_):
            nonlocal n
            n += 1
            return f"<li>{n}. "
        return re.sub(r"<li[^>]*>", item, m.group(0))
    page = re.sub(r"<ol[^>]*>.*?</ol>", number_items, page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def seed_fragments(doc) -> list[tuple[int, str]]:
    """(seed line, normalised sentence) of the seed, with the errata applied to their lines."""
    lines = SEED.read_text("utf-8").split("\n")
    errata = doc.errata
    for e in errata.entries:
        if "\n" not in e.seed:
            i = e.seed_line - 1
            assert e.seed in lines[i], f"{e.id}: {e.seed!r} is not on seed line {e.seed_line}"
            lines[i] = lines[i].replace(e.seed, e.corrected)
    out = []
    for n, line in enumerate(lines, 1):
        if n in TOC_LINES:
            continue
        text = re.sub(r"<sup>\d+</sup>|\[\^\d+\]:?", "", line)  # footnote marks are markup
        text = re.sub(r"^\s*(#+\s*)?(- )?(・\s*)?", "", text)
        text = text.replace("**", "").replace("*", "")
        if text.strip() in ("", "---"):
            continue
        for sentence in re.split(r"(?<=。)", text):
            if norm(sentence):
                out.append((n, norm(sentence)))
    return out


@pytest.fixture(scope="module")
def site_text(doc):
    """The text of the plan's own pages: the index (cover) and the chapter pages.

    Not the errata page (it quotes the seed) nor the appendices (they quote the chapters).
    """
    pages = render_site(doc)
    plan_pages = ["index.html"] + [f"{ch.id}.html" for ch in doc.chapters]
    return norm("".join(html_text(pages[name].decode("utf-8")) for name in plan_pages))


def test_at_most_half_a_percent_of_the_seed_is_absent(doc, site_text):
    fragments = seed_fragments(doc)
    absent = [(n, s) for n, s in fragments if s not in site_text]
    report = "\n".join(f"  seed:{n}: {s}" for n, s in absent)
    print(f"{len(fragments)} sentences, {len(absent)} absent\n{report}")
    assert len(fragments) > 600
    assert len(absent) <= 0.005 * len(fragments), report


def test_every_erratum_quotes_the_seed_and_our_text(doc, site_text):
    seed = norm(SEED.read_text("utf-8"))
    for e in doc.errata.entries:
        assert norm(e.seed.replace("<sup>", "").replace("</sup>", "")).replace("*", "") in seed.replace("*", "").replace("<sup>", "").replace("</sup>", ""), e.id
        shown = norm(re.sub(r"\[\^(\d+)\]:?", "", e.corrected))
        assert shown in site_text, f"{e.id}: corrected text {e.corrected!r} is not on the site"


def test_errata_rules_name_real_seed_lines(doc):
    count = len(SEED.read_text("utf-8").split("\n"))
    for rule in doc.errata.rules:
        assert rule.seed_lines and all(1 <= n <= count for n in rule.seed_lines), rule.id
    spaces = next(r for r in doc.errata.rules if r.id == "R1")
    lines = SEED.read_text("utf-8").split("\n")
    # every line the spacing rule names had a space next to a Japanese character
    jp = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
    assert all(re.search(rf"{jp} | {jp}", lines[n - 1]) or re.search(r"\d, \d|\d %", lines[n - 1])
               for n in spaces.seed_lines)


def test_extraction_errors_are_gone_from_the_site(site_text):
    for wrong in ["ワンソニー", "й", "д"]:
        assert norm(wrong) not in site_text
    assert "(7)利用者が享受" not in site_text and "(ア)利用者が享受する具体的なベネフィット" in site_text


# ----------------------------------------------------------------- the source text is the project's own

def test_the_source_text_lives_in_the_repository_and_no_test_reads_outside_it():
    """The errata cite lines of the extracted text: it is kept in content/source/, and no test,
    build file or CI script reaches for a copy outside the repository."""
    from conftest import ROOT

    assert SEED.resolve().is_relative_to(ROOT) and SEED.is_file()
    outside = re.compile(r"\.\./shared|['\"]shared['\"]")
    offenders = []
    for path in [*ROOT.glob("tests/**/*.py"), *ROOT.glob("dgdocs/**/*.py"), ROOT / "Makefile", ROOT / ".ci" / "run"]:
        if path.resolve() == Path(__file__).resolve():
            continue
        for n, line in enumerate(path.read_text("utf-8").split("\n"), 1):
            if outside.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_errata_page_links_every_cited_line_of_the_source_text(doc):
    site_outputs = render_site(doc)
    errata = site_outputs["errata.html"].decode()
    source = site_outputs["source.html"].decode()
    assert doc.errata.source_lines == tuple(SEED.read_text("utf-8").split("\n"))
    cited = {e.seed_line for e in doc.errata.entries} | {n for r in doc.errata.rules for n in r.seed_lines}
    for n in cited:
        assert f'href="source.html#L{n}"' in errata
        assert f'<li id="L{n}" value="{n}">' in source
    line = doc.errata.entries[0]
    assert htmllib.escape(SEED.read_text("utf-8").split("\n")[line.seed_line - 1], quote=True) in source
    assert '<a href="source.html">' + doc.errata.seed + "</a>" in errata
