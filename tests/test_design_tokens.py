"""デジタル庁デザインシステム's tokens are the base of the site's look (issue 18, point 1).

The values are data (templates/static/dads/design-tokens.json, from the npm package
@digital-go-jp/design-tokens, MIT) with the licence beside them; the build writes them as
assets/dads-tokens.css and needs no Node.  The organisation's accent comes on top.
"""

from __future__ import annotations

import json
import re

import pytest

from dgdocs.load.theme import contrast
from dgdocs.model import Theme
from dgdocs.render.designtokens import (
    LICENSE_FILE, PACKAGE, SITE_CSS, TOKENS_FILE, import_package, load_tokens, token, tokens_css, used_tokens,
)
from dgdocs.render.html import render_site


def test_the_tokens_are_the_packages_with_its_licence_and_attribution():
    data = load_tokens()
    assert data["package"] == PACKAGE and re.fullmatch(r"\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "MIT" and "デジタル庁" in data["copyright"]
    licence = LICENSE_FILE.read_text("utf-8")
    assert licence.startswith("MIT License") and "デジタル庁" in licence and "Permission is hereby granted" in licence


def test_every_token_site_css_uses_is_in_the_data_and_nothing_else_is_kept():
    used = used_tokens(SITE_CSS.read_text("utf-8"))
    assert used, "site.css refers to no design token"
    assert sorted(load_tokens()["tokens"]) == used


def test_the_site_ships_the_tokens_before_its_own_stylesheet_and_the_theme_after(doc):
    site = render_site(doc)
    css = site["assets/dads-tokens.css"].decode("utf-8")
    assert "デジタル庁デザインシステム" in css and "MIT License" in css and "dads-LICENSE.txt" in css
    for name, value in load_tokens()["tokens"].items():
        assert f"--{name}: {value};" in css
    assert site["assets/dads-LICENSE.txt"] == LICENSE_FILE.read_bytes()
    page = site["index.html"].decode("utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
    assert links == ["assets/dads-tokens.css", "assets/site.css", "assets/theme.css"]


def test_the_default_accent_is_the_design_systems_blue_and_meets_aa():
    assert Theme().accent == token("color-primitive-blue-900")
    assert Theme().accent_bg == token("color-primitive-blue-50")
    assert contrast(Theme().accent, "#ffffff") >= 4.5 and contrast(Theme().accent, Theme().accent_bg) >= 4.5


@pytest.mark.parametrize("role, against", [
    ("--fg", "#ffffff"), ("--muted", "#ffffff"), ("--link-visited", "#ffffff"), ("--milestone", "#ffffff"),
    ("--fg", "color-primitive-blue-50"), ("--muted", "color-primitive-blue-50"),
    ("--muted", "color-neutral-solid-gray-50"),
])
def test_text_colours_of_the_roles_meet_aa(role, against):
    """The roles of site.css (text colours) against the grounds they are set on."""
    css = SITE_CSS.read_text("utf-8")
    m = re.search(re.escape(role) + r":\s*var\(--([a-z0-9-]+)\)", css)
    assert m, role
    ground = against if against.startswith("#") else token(against)
    assert contrast(token(m.group(1)), ground) >= 4.5


def test_import_reads_a_package_and_keeps_what_site_css_uses(tmp_path):
    pkg = tmp_path / "package"
    (pkg / "dist").mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": PACKAGE, "version": "9.8.7", "license": "MIT"}))
    (pkg / "LICENSE").write_text("MIT License\n\nCopyright (c) 2023 デジタル庁\n")
    (pkg / "dist" / "tokens.css").write_text(":root {\n  --color-primitive-blue-900: #0017c1;\n"
                                             "  --color-semantic-x: var(--color-primitive-blue-900);\n"
                                             "  --font-size-16: 1rem;\n  --font-size-99: 9rem;\n}\n")
    css = tmp_path / "site.css"
    css.write_text("a { color: var(--color-semantic-x); font-size: var(--font-size-16); }")
    data, licence = import_package(pkg, css)
    assert data["version"] == "9.8.7" and data["copyright"] == "Copyright (c) 2023 デジタル庁"
    assert data["tokens"] == {"color-semantic-x": "#0017c1", "font-size-16": "1rem"}  # alias resolved, unused left out
    css.write_text("a { color: var(--color-primitive-pink-1); }")
    with pytest.raises(ValueError, match="color-primitive-pink-1"):
        import_package(pkg, css)


def test_the_data_file_is_what_the_importer_writes():
    """Keys in the importer's order, two-space JSON: an import of the same release changes nothing."""
    text = TOKENS_FILE.read_text("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert tokens_css().count("--") >= len(load_tokens()["tokens"])
