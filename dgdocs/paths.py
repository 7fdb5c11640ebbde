"""Where the project is: the one definition of the repository's root and its fixed folders.

Every module that needs a place of the project (the templates, the default content, the
build folder, the sources hashed for an up-to-date build) takes it from here.
"""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CONTENT = PROJECT / "content"
TEMPLATES = PROJECT / "templates"
STATIC = TEMPLATES / "static"
BUILD = PROJECT / "build"
PACKAGE = PROJECT / "dgdocs"
