"""The HTML site as published: safe (CSP, no active content, nothing external), navigable
(relative links that resolve, unique ids, headings without skips, scoped table headers),
complete (全文, search index, downloads, dates on every page) and relocatable (canonical
URLs and sitemap.xml only with --base-url).

The real validators (axe-core in Chromium, the Nu Html Checker) run over the same pages
in test_site_validators.py.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dgdocs.cli import main
from dgdocs.render import outputs as output_files
from dgdocs.render.data import render_data
from dgdocs.render.html import CSP, DATA_FILES, Site, render_site
from sitescan import scan

EXTERNAL = re.compile(r"^[a-z][a-z0-9+.\-]*:|^//", re.I)


@pytest.fixture(scope="module", params=["plan", "with-progress"])
def site_doc(request, doc):
    """The shipped plan, and the same plan with fictional quarterly evaluations (its report
    pages, and the links from the plan's pages to them, keep every rule of the site too)."""
    return doc if request.param == "plan" else request.getfixturevalue("progress_doc")


@pytest.fixture(scope="module")
def site(site_doc):
    return render_site(site_doc)


@pytest.fixture(scope="module")
def pages(site):
    return {name: scan(data) for name, data in site.items() if name.endswith(".html")}


@pytest.fixture(scope="module")
def outputs(site_doc, site):
    """The published folder: html/ beside data/ and the PDF names of pdf/."""
    from dgdocs.render.pdf import print_jobs

    files = {f"html/{k}": v for k, v in site.items()}
    files.update({f"data/{k}": v for k, v in render_data(site_doc).items()})
    files.update({f"pdf/{p['file']}": b"%PDF" for p in output_files.pdf_files(site_doc)})
    files.update({f"pdf/{j.name}": b"%PDF" for j in print_jobs(site_doc) if j.name.startswith("hyoka-")})
    return files


def test_the_site_has_every_page_plus_fulltext_and_search(doc, site):
    expected = {"index.html", "kpis.html", "errata.html", "zenbun.html", "search.html"}
    expected |= {f"{ch.id}.html" for ch in doc.chapters} | {f"{a.slug}.html" for a in doc.appendices}
    assert expected <= set(site)
    assert {"assets/site.css", "assets/search.js", "assets/search-index.js", "assets/favicon.svg"} <= set(site)
    assert "assets/print.css" not in site  # the PDFs' stylesheet is not part of the site
    assert "sitemap.xml" not in site  # only with a base URL


def test_every_page_declares_language_charset_and_the_csp_first(site):
    for name, data in site.items():
        if not name.endswith(".html"):
            continue
        text = data.decode("utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
                               '<meta http-equiv="Content-Security-Policy" content="'), name
        page = scan(text)
        csp = [m.attrs["content"] for m in page.find("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
        assert csp == [CSP], name


def test_the_csp_allows_only_the_sites_own_files():
    directives = dict((d.split()[0], d.split()[1:]) for d in CSP.split("; "))
    assert directives["default-src"] == ["'none'"]
    for d in ("script-src", "style-src", "img-src", "form-action"):
        assert directives[d] == ["'self'"], d
    assert directives["base-uri"] == ["'none'"]
    assert "require-trusted-types-for" in directives
    assert not any("unsafe" in v or v.startswith(("'sha", "'nonce", "data:", "http", "*")) for vs in directives.values() for v in vs)


def test_no_inline_script_style_or_event_handler_anywhere(pages):
    for name, page in pages.items():
        assert not page.find("style") and not page.style_text, name
        for e in page.elements:
            assert "style" not in e.attrs, (name, e.line, e.tag)
            assert not [a for a in e.attrs if a.lower().startswith("on")], (name, e.line, e.tag)
        for s in page.find("script"):
            assert posixpath.normpath(posixpath.join(posixpath.dirname(name), s.attrs.get("src", ""))).startswith(
                "assets/"), (name, s.line)
        assert not "".join(page.script_text).strip(), name


def test_only_the_search_page_runs_script(pages):
    with_script = sorted(n for n, p in pages.items() if p.find("script"))
    assert with_script == ["search.html"]
    srcs = [s.attrs["src"] for s in pages["search.html"].find("script")]
    assert srcs == ["assets/search-index.js", "assets/search.js"]


def test_nothing_external_is_loaded_and_external_links_are_isolated(pages):
    for name, page in pages.items():
        for tag, attr, url, e in page.urls():
            low = url.strip().lower()
            assert not low.startswith(("javascript:", "data:", "vbscript:", "file:")), (name, e.line, url)
            if tag == "a" and EXTERNAL.match(url) and not low.startswith("mailto:"):
                assert low.startswith(("https:", "http:")), (name, url)
                assert set(e.attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}, (name, e.line, url)
            elif tag != "a":
                assert not EXTERNAL.match(url), f"{name}:{e.line}: <{tag} {attr}={url!r}> loads from outside"


def test_every_relative_link_resolves_to_a_file_and_an_id(pages, outputs):
    """Links are relative (the folder can be served from any path) and lead somewhere:
    to a page and an id in it, to an asset, or to ../pdf/ and ../data/ beside html/."""
    ids = {f"html/{n}": set(p.ids()) for n, p in pages.items()}
    bad = []
    for name, page in pages.items():
        for tag, attr, url, e in page.urls():
            if EXTERNAL.match(url) or tag == "form":
                continue
            assert not url.startswith("/"), f"{name}:{e.line}: absolute path {url!r} (the site must be relocatable)"
            parts = urlsplit(url)
            here = posixpath.dirname(f"html/{name}")  # a page of a folder (hyoka/…) links from there
            target = posixpath.normpath(posixpath.join(here, unquote(parts.path))) if parts.path else f"html/{name}"
            if target not in outputs:
                bad.append(f"{name}:{e.line}: {url} → no file {target}")
            elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
                bad.append(f"{name}:{e.line}: {url} → no id {parts.fragment!r} in {target}")
    assert not bad, "\n".join(bad[:30])


def test_ids_are_unique_in_every_page(pages):
    for name, page in pages.items():
        ids = page.ids()
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        assert not dupes, f"{name}: {dupes[:10]}"


def test_headings_start_at_h1_and_never_skip_a_level(pages):
    for name, page in pages.items():
        levels = [lv for lv, _, _ in page.headings()]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (name, levels[:5])
        for (a, _, _), (b, text, e) in zip(page.headings(), page.headings()[1:]):
            assert b <= a + 1, f"{name}:{e.line}: h{a} → h{b} 「{text}」"


def test_landmarks_and_skip_link(pages):
    for name, page in pages.items():
        tags = [e.tag for e in page.elements]
        assert tags.count("main") == 1 and "header" in tags and "footer" in tags and "nav" in tags, name
        assert page.find("main")[0].attrs.get("id") == "main"
        first_link = page.find("a")[0]
        assert first_link.attrs["href"] == "#main" and "skip-link" in first_link.attrs.get("class", ""), name
        for nav in page.find("nav"):
            assert nav.attrs.get("aria-label") or nav.attrs.get("aria-labelledby"), (name, nav.line)


def test_every_table_header_has_a_scope(pages):
    for name, page in pages.items():
        for th in page.find("th"):
            assert th.attrs.get("scope") in ("col", "row", "colgroup", "rowgroup"), (name, th.line)


def test_the_roadmap_chart_is_one_image_with_its_text_equivalent_named(pages, doc):
    for a in doc.appendices:
        if a.kind != "roadmap":
            continue
        page = pages[f"{a.slug}.html"]
        wraps = [e for e in page.elements if "roadmap-wrap" in e.attrs.get("class", "")]
        assert len(wraps) == 1
        w = wraps[0].attrs
        assert w["role"] == "img" and "工程の一覧（本文の記載）" in w["aria-label"] and w["tabindex"] == "0"
        assert any(text == "工程の一覧（本文の記載）" for _, text, _ in page.headings())


def test_decision_and_revision_dates_on_every_page(pages, doc):
    plan = doc.plan
    for name, page in pages.items():
        times = {e.attrs.get("datetime") for e in page.find("time")}
        assert plan.decision.date.isoformat() in times and plan.latest.date.isoformat() in times, name
    header = render_site(doc)["services.html"].decode("utf-8")
    assert "平成30年6月22日" in header and "令和2年3月31日" in header


def test_download_links_to_every_pdf_and_open_data_file(doc, pages, outputs):
    from dgdocs.render.pdf import ALL_PDF, KPI_PDF, PLAN_PDF, appendix_pdf

    names = {p["file"] for p in output_files.pdf_files(doc)}
    assert names == {PLAN_PDF, KPI_PDF, ALL_PDF} | {appendix_pdf(a.number) for a in doc.appendices}
    index = {u for _, _, u, _ in pages["index.html"].urls()}
    assert {f"../pdf/{n}" for n in names} <= index
    assert {f"../data/{n}" for n, _, _ in DATA_FILES} <= index
    assert all(f"data/{n}" in outputs for n, _, _ in DATA_FILES)
    # each page links the PDF that holds it
    assert "../pdf/honbun.pdf" in {u for _, _, u, _ in pages["basics.html"].urls()}
    assert "../pdf/beppyo-1.pdf" in {u for _, _, u, _ in pages["beppyo-1.html"].urls()}
    assert "../pdf/kpi-ichiran.pdf" in {u for _, _, u, _ in pages["kpis.html"].urls()}


def test_the_fulltext_page_holds_the_whole_plan_linked_in_page(doc, pages):
    page = pages["zenbun.html"]
    ids = set(page.ids())
    assert {s.id for s in doc.sections()} <= ids
    assert {a.slug for a in doc.appendices} <= ids and "kpis" in ids
    assert {f"kpi-{k.id}" for k in doc.kpis()} <= ids
    assert {f"row-{r.id}" for a in doc.appendices for r in a.rows()} <= ids
    # cross references stay on the page: no link to another chapter, appendix or KPI page
    others = {f"{ch.id}.html" for ch in doc.chapters} | {f"{a.slug}.html" for a in doc.appendices} | {"kpis.html"}
    main_links = [u for t, _, u, e in page.urls() if t == "a" and "main" in e.ancestors]
    assert main_links and not [u for u in main_links if u.split("#")[0] in others]
    # footnotes of different chapters do not collide
    assert len([i for i in ids if re.fullmatch(r".+-fn-\d+", i)]) == len(
        {(ch.id, f.label) for ch in doc.chapters for f in ch.footnotes
         if f"{ch.id}-fn-{f.label}" in ids})


def test_the_search_index_is_plain_data_for_every_section(doc, site):
    js = site["assets/search-index.js"].decode("utf-8")
    assert "<" not in js and ">" not in js  # inert even if someone pasted it into HTML
    prefix = "window.DGDOCS_SEARCH = "
    body = js[js.index(prefix) + len(prefix):].rstrip().rstrip(";")
    data = json.loads(body)
    urls = {e["u"] for e in data["entries"]}
    for ch in doc.chapters:
        for s in ch.sections():
            assert f"{ch.id}.html#{s.id}" in urls
    assert {f"kpis.html#kpi-{k.id}" for k in doc.kpis()} <= urls
    text = "\n".join(e["x"] for e in data["entries"])
    assert "4860種類の手続を所管" in text  # references resolved as the page shows them
    assert "{{" not in text


def test_base_url_adds_canonical_links_and_sitemap(doc):
    site = render_site(doc, base_url="https://www.example.go.jp/dg/plan/html")
    sitemap = site["sitemap.xml"].decode("utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert "https://www.example.go.jp/dg/plan/html/index.html" in locs
    assert all(u.startswith("https://www.example.go.jp/dg/plan/html/") for u in locs)
    assert "https://www.example.go.jp/dg/plan/html/search.html" not in locs
    assert f"<lastmod>{doc.plan.latest.date.isoformat()}</lastmod>" in sitemap
    basics = scan(site["basics.html"])
    assert [e.attrs["href"] for e in basics.find("link") if e.attrs.get("rel") == "canonical"] == [
        "https://www.example.go.jp/dg/plan/html/basics.html"]
    # everything else stays relative
    assert not [u for t, _, u, _ in basics.urls() if t != "link" and u.startswith("https://www.example.go.jp")]
    assert not [e for e in scan(render_site(doc)["basics.html"]).find("link") if e.attrs.get("rel") == "canonical"]


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "/plan/", "ftp://x/", "https://x/?a=1"])
def test_base_url_must_be_absolute_http(bad, mini, tmp_path, capsys):
    assert main(["--content", str(mini), "build", "--base-url", bad, "--out", str(tmp_path / "b")]) == 2
    assert "--base-url" in capsys.readouterr().err


def test_cli_build_with_base_url_writes_the_sitemap(mini, tmp_path):
    out = tmp_path / "b"
    assert main(["--content", str(mini), "build", "--html", "--out", str(out), "--base-url", "https://a.example/p/"]) == 0
    assert "https://a.example/p/work.html" in (out / "html" / "sitemap.xml").read_text("utf-8")
    # a different base URL is a different build, not "up to date"
    assert main(["--content", str(mini), "build", "--html", "--out", str(out), "--base-url", "https://b.example/"]) == 0
    assert "https://b.example/work.html" in (out / "html" / "sitemap.xml").read_text("utf-8")


def test_site_renders_page_by_page_as_render_site_does(site_doc, site):
    s = Site(site_doc)
    assert s.files() == list(site)
    assert s.render("kpis.html") == site["kpis.html"]
    with pytest.raises(KeyError):
        s.render("../etc/passwd")


# ------------------------------------------------------------------ hostile content

# A miniature plan whose Markdown and YAML try every way in: tags, event handlers,
# javascript:/data: links, remote images, attribute breakouts (written by write_tree).
HOSTILE = (Path(__file__).parent / "fixtures" / "site" / "hostile.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    from conftest import write_tree

    root = tmp_path_factory.mktemp("hostile")
    content = write_tree(root / "content", HOSTILE)
    out = root / "build"
    assert main(["--content", str(content), "build", "--html", "--data", "--draft", "--out", str(out)]) == 0
    return out


def test_hostile_markdown_and_yaml_become_text_in_every_page(hostile_build):
    html_dir = hostile_build / "html"
    pages = sorted(html_dir.glob("*.html"))
    assert len(pages) >= 7
    for path in pages:
        page = scan(path.read_text("utf-8"))
        scripts = [s.attrs.get("src") for s in page.find("script")]
        assert scripts in ([], ["assets/search-index.js", "assets/search.js"]), path.name
        assert not page.script_text and not page.find("style") and not page.find("iframe"), path.name
        assert not [e for e in page.find("img")], path.name  # only site images would be allowed; none here
        assert not [e for e in page.find("svg")] and not page.find("object") and not page.find("embed"), path.name
        for e in page.elements:
            assert not [a for a in e.attrs if a.lower().startswith("on")], (path.name, e.line, e.tag, e.attrs)
            assert "style" not in e.attrs, (path.name, e.line)
        for tag, attr, url, e in page.urls():
            assert not re.match(r"\s*(javascript|data|vbscript):", url, re.I), (path.name, e.line, url)
    basics = (html_dir / "basics.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#x27;md&#x27;)&lt;/script&gt;" in basics  # shown as the text it is
    assert '<a href="https://example.com/x" rel="noopener noreferrer" class="external">外部</a>' in basics
    index = (html_dir / "index.html").read_text("utf-8")
    assert "<title>テスト計画&lt;/title&gt;&lt;script&gt;" in index


def test_hostile_content_stays_inert_in_the_search_index_and_data(hostile_build):
    js = (hostile_build / "html" / "assets" / "search-index.js").read_text("utf-8")
    assert "<" not in js and "\u2028" not in js
    assert "\\u003cscript\\u003ealert(&#39;" not in js  # plain text, not double-escaped HTML
    assert "\\u003cscript\\u003ealert('md')" in js
    readme = (hostile_build / "data" / "README.md").read_text("utf-8")
    assert "javascript:" not in readme.lower() or "](javascript:" not in readme.lower()
