"""デジタル庁デザインシステム's design tokens, as data: the base of the site's look.

The values come from the npm package ``@digital-go-jp/design-tokens`` (MIT, © デジタル庁),
brought in at development time and committed as ``templates/static/dads/design-tokens.json``
with the package's licence beside it (``LICENSE.txt``).  The build needs no Node: it writes
``assets/dads-tokens.css`` (the values as CSS custom properties, under the package's own names,
with the attribution and licence notice) and ``site.css`` uses them through ``var(--…)``; the
organisation's accent (plan.yaml ``theme``, ``assets/theme.css``) comes on top.

Only the tokens that site.css uses are kept.  To take a newer release of the package::

    npm pack @digital-go-jp/design-tokens@VERSION && tar xzf digital-go-jp-design-tokens-VERSION.tgz
    .venv/bin/python -m dgdocs.render.designtokens import package/

which reads the package's ``dist/tokens.css``, ``package.json`` and ``LICENSE``, keeps the
tokens that ``templates/static/site.css`` refers to (an alias ``var(--x)`` is resolved to its
value) and rewrites the JSON and the licence file.  Review the diff of the colours: the loader's
contrast checks and axe-core in the tests see the result.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from ..paths import STATIC

DADS = STATIC / "dads"
TOKENS_FILE = DADS / "design-tokens.json"
LICENSE_FILE = DADS / "LICENSE.txt"
SITE_CSS = STATIC / "site.css"
PACKAGE = "@digital-go-jp/design-tokens"

#: the families of token names (the package's CSS custom properties)
_TOKEN = r"--(?:color|font-size|font-weight|line-height|border-radius|elevation)-[a-z0-9-]+"
_USE = re.compile(r"var\((" + _TOKEN + r")\)")
_DECL = re.compile(r"(--[a-z0-9-]+)\s*:\s*([^;]+);")


@lru_cache(maxsize=1)
def load_tokens() -> dict:
    """The committed data: ``{"package", "version", "license", "copyright", "tokens": {name: value}}``."""
    return json.loads(TOKENS_FILE.read_text("utf-8"))


def token(name: str) -> str:
    """One token's value: ``token("color-primitive-blue-900")`` → ``#0017c1``."""
    return load_tokens()["tokens"][name.removeprefix("--")]


def tokens_css() -> str:
    """``assets/dads-tokens.css``: the tokens as custom properties, with their attribution."""
    data = load_tokens()
    lines = [
        "/* デジタル庁デザインシステム デザイントークン（" + data["package"] + " " + data["version"] + "）",
        "   " + data["copyright"] + " — " + data["license"] + " License（ライセンス全文: dads-LICENSE.txt）",
        "   The values of the package's dist/tokens.css that dgdocs' site.css uses. */",
        ":root {",
    ]
    lines += [f"  --{name}: {value};" for name, value in data["tokens"].items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def used_tokens(css: str) -> list[str]:
    """The token names (without ``--``) that a stylesheet refers to, sorted."""
    return sorted({m.group(1)[2:] for m in _USE.finditer(css)})


def import_package(package_dir: Path, site_css: Path = SITE_CSS) -> tuple[dict, str]:
    """The data file's content from an unpacked npm package (``package/``), and its licence text."""
    meta = json.loads((package_dir / "package.json").read_text("utf-8"))
    if meta.get("name") != PACKAGE:
        raise ValueError(f"{package_dir} is not {PACKAGE} (package.json names {meta.get('name')!r})")
    declared = dict(_DECL.findall((package_dir / "dist" / "tokens.css").read_text("utf-8")))

    def resolve(name: str, depth: int = 0) -> str:
        value = declared[name].strip()
        alias = re.fullmatch(r"var\((--[a-z0-9-]+)\)", value)
        return resolve(alias.group(1), depth + 1) if alias and depth < 10 else value

    licence = (package_dir / "LICENSE").read_text("utf-8")
    copyright_line = next((line.strip() for line in licence.splitlines() if line.startswith("Copyright")), "")
    wanted = used_tokens(site_css.read_text("utf-8"))
    missing = [n for n in wanted if "--" + n not in declared]
    if missing:
        raise ValueError(f"site.css uses tokens the package does not define: {', '.join(missing)}")
    return {
        "package": PACKAGE, "version": meta["version"], "license": meta.get("license", ""),
        "copyright": copyright_line, "homepage": meta.get("homepage", ""),
        "source": "dist/tokens.css of the npm package (the values site.css uses; aliases resolved)",
        "tokens": {n: resolve("--" + n) for n in wanted},
    }, licence


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "import":
        print("usage: python -m dgdocs.render.designtokens import PACKAGE_DIR", file=sys.stderr)
        return 2
    package_dir = Path(argv[1])
    data, licence = import_package(package_dir)
    DADS.mkdir(parents=True, exist_ok=True)
    TOKENS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    LICENSE_FILE.write_text(licence, "utf-8")
    print(f"{TOKENS_FILE}: {len(data['tokens'])} tokens of {PACKAGE} {data['version']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
