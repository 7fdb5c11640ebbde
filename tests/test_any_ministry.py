"""Any ministry's plan: nothing of 総務省 lives in the code or the templates — the name, the
site's and the PDFs' titles, keywords, captions, the contact block, the colours and the logo
all come from content/plan.yaml.  The plan built here is fictional (架空の例)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest

from dgdocs.cli import main
from dgdocs.load import LoadError, load
from dgdocs.load.theme import contrast, svg_problem
from dgdocs.render.designtokens import token

from conftest import MINI, ROOT, write_tree

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
        '<title>架空のロゴ</title><circle cx="20" cy="20" r="18" fill="#1d5c2e"/></svg>')

OTHER = MINI.replace("organisation: 総務省", """organisation: 経済産業省
short_name: 経産省
site_name: 経済産業省デジタル・ガバメント中長期計画（架空の例）
contact:
  name: 架空の例　情報システム室（実在しない連絡先）
  email: dg-plan@example.go.jp
  url: https://www.example.go.jp/contact/
theme:
  accent: "#1d5c2e"
  accent_bg: "#eaf4ec"
  logo: figures/logo.svg
  print_font: gothic""").replace("title: テスト計画", "title: 経済産業省デジタル・ガバメント中長期計画（架空の例）")


@pytest.fixture
def other(tmp_path):
    root = write_tree(tmp_path / "content", OTHER)
    (root / "figures").mkdir()
    (root / "figures" / "logo.svg").write_text(LOGO, "utf-8")
    return root


def test_no_organisation_is_named_in_the_code_or_the_templates():
    hits = []
    for base in ("dgdocs", "templates"):
        for path in sorted((ROOT / base).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".json", ".md", ".xml", ".svg", ".txt"):
                for n, line in enumerate(path.read_text("utf-8").split("\n"), 1):
                    if "総務省" in line:
                        hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert hits == []


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext（apt パッケージ poppler-utils）がありません。make test が導入します。")
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")


def pdf_raw(data: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as p:
        p.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def test_another_ministry_builds_with_its_name_colours_logo_and_contact_and_none_of_ours(other, tmp_path):
    out = tmp_path / "build"
    assert main(["--content", str(other), "build", "--html", "--data", "--pdf", "--out", str(out)]) == 0
    files = sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert any(p.suffix == ".pdf" for p in files) and any(p.suffix == ".html" for p in files)
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".pdf":
            text = pdf_text(data)
            assert "総務省" not in text and "総務省".encode("utf-16-be") not in pdf_raw(data), path
        else:
            assert "総務省".encode() not in data, path
    html = out / "html"
    index = (html / "index.html").read_text("utf-8")
    assert "経済産業省デジタル・ガバメント中長期計画（架空の例）" in index
    assert 'href="assets/theme.css"' in index
    assert (html / "assets" / "theme.css").read_text() == ":root { --accent: #1d5c2e; --accent-bg: #eaf4ec; }\n"
    logo = re.search(r'<img class="site-logo" src="(assets/logo-[0-9a-f]{12}\.svg)" alt="経済産業省">', index)
    assert logo and (html / logo.group(1)).read_text("utf-8") == LOGO
    assert "問い合わせ先" in index and 'href="mailto:dg-plan@example.go.jp"' in index
    plan = pdf_raw((out / "pdf" / "honbun.pdf").read_bytes())
    assert b"BIZ-UDGothic" in plan and b"BIZ-UDMincho" not in plan  # theme.print_font: gothic
    with pikepdf.open(out / "pdf" / "honbun.pdf") as p:
        assert str(p.docinfo["/Author"]) == "経済産業省"
        assert "経産省" in str(p.docinfo["/Keywords"])
    # the cover, as a reader sees it: the logo and the title's rule in the organisation's green
    assert accent_pixels(out / "pdf" / "honbun.pdf", tmp_path, (0x1D, 0x5C, 0x2E)) > 50


def accent_pixels(pdf, tmp_path, rgb) -> int:
    """How many pixels of the first page (rendered by pdftoppm at 40 dpi) have the colour *rgb*."""
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "p1")],
                   check=True)
    data = (tmp_path / "p1.ppm").read_bytes()
    head = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    pixels = data[head.end():]
    return sum(1 for i in range(0, len(pixels) - 2, 3)
               if all(abs(pixels[i + k] - rgb[k]) <= 10 for k in range(3)))


def test_the_shipped_plan_names_its_organisation_from_plan_yaml(doc):
    assert doc.plan.organisation == "総務省" and doc.plan.org == "総務省"
    # the plan states no theme and no contact: デジタル庁デザインシステム's blue is the accent, no contact block
    assert doc.plan.theme.accent == token("color-primitive-blue-900") and doc.plan.contact is None


def errors_of(root):
    with pytest.raises(LoadError) as info:
        load(root)
    return [f for f in info.value.findings]


@pytest.mark.parametrize("accent, bg, word", [("#7fb2e5", "#ffffff", "コントラスト"), ("#00458f", "#003070", "accent_bg の地"),
                                              ("blue", "#eef3f9", "色として使えません"), ("#12345", "#eef3f9", "色として使えません")])
def test_theme_colours_must_be_colours_that_keep_aa_contrast(other, accent, bg, word):
    plan = other / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace('"#1d5c2e"', f'"{accent}"').replace('"#eaf4ec"', f'"{bg}"'), "utf-8")
    findings = errors_of(other)
    assert any(f.code == "DG004" and f.loc.file == "plan.yaml" and word in f.message for f in findings), findings


def test_wcag_contrast_is_computed_as_wcag_defines_it():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes AA on white
    assert contrast("#00458f", "#ffffff") > 4.5


@pytest.mark.parametrize("svg, word", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://evil.example/t.png"/></svg>', "href"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "foreignobject"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "DOCTYPE"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>', "style"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/#p)"/></svg>', "外部"),
    ('<html/>', "svg ではありません"),
])
def test_an_unsafe_svg_logo_is_refused_not_cleaned(other, svg, word):
    assert word in svg_problem(svg.encode())
    (other / "figures" / "logo.svg").write_text(svg, "utf-8")
    findings = errors_of(other)
    assert any(f.code == "DG004" and "公開できません" in f.message and word in f.message for f in findings), findings


def test_a_logo_outside_content_or_of_another_kind_is_refused(other, tmp_path):
    plan = other / "plan.yaml"
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("logo: figures/logo.svg", "logo: ../logo.svg"), "utf-8")
    assert any(f.code == "DG010" for f in errors_of(other))
    (other / "figures" / "logo.png").write_text("not a png", "utf-8")
    plan.write_text(text.replace("logo: figures/logo.svg", "logo: figures/logo.png"), "utf-8")
    assert any(f.code == "DG004" and "形式" in f.message for f in errors_of(other))
    plan.write_text(text.replace("logo: figures/logo.svg", "logo: figures/logo.gif"), "utf-8")
    assert any(f.code == "DG004" and "PNG・JPEG・SVG" in f.message for f in errors_of(other))
