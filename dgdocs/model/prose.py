"""The records of the prose: chapters, their sections and headings, footnotes, 図 and the
captions of pipe tables (see :mod:`dgdocs.model`)."""

from __future__ import annotations

from .record import record
from typing import Iterator

from .records import Loc


@record
class Heading:
    id: str
    marker: str  # the plan's own label: "II.", "(2)", "ア.", "①", "1)", "a)", "(ア)"
    title: str
    level: int  # depth in the heading tree, 1 = chapter
    loc: Loc
    explicit_id: bool = True

    @property
    def text(self) -> str:
        return f"{self.marker} {self.title}" if self.marker else self.title


@record
class Section:
    heading: Heading
    body: str  # Markdown source between this heading and the next one
    body_line: int  # line number of the first body line
    children: tuple["Section", ...] = ()

    @property
    def id(self) -> str:
        return self.heading.id

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def body_lines(self) -> Iterator[tuple[int, str]]:
        """(line number, text) of every body line."""
        for i, text in enumerate(self.body.split("\n")):
            yield self.body_line + i, text


@record
class Footnote:
    """A footnote of a chapter: ``[^label]: text``.  The *number* is the one every output shows
    (「注2」): consecutive through the plan in the order the notes are first called, whatever
    the label (the loader numbers them, :mod:`dgdocs.load.numbering`)."""

    label: str
    text: str
    loc: Loc
    number: int = 0


@record
class ImageFile:
    """An image file of ``content/`` that a figure shows, read and inspected by the loader.

    *data* is what the outputs ship: the file's bytes (PNG, JPEG) or the SVG rebuilt from an
    allow-list (:mod:`dgdocs.svgsafe`); b"" when the file cannot be shown.  *problems* says
    why it cannot be shown, or what the sanitiser removed (Japanese, for DG504); () when fine.
    """

    path: str  # relative to the content root (figures/platform.png); "" when it leads outside
    media_type: str  # image/png, image/jpeg, image/svg+xml; "" when unusable
    data: bytes
    width: int  # pixels (SVG: its width/height or viewBox); 0 when unknown
    height: int
    problems: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return bool(self.data)

    @property
    def extension(self) -> str:
        return {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}.get(self.media_type, "")


@record
class Illustration:
    """A 図 of the prose (an image alone in its paragraph: ``![代替テキスト](../figures/a.png "題名")``),
    numbered 図1, 図2 … through the plan.  Not a data :class:`Figure` (a number of the plan)."""

    number: int
    src: str  # as written (relative to the chapter file)
    alt: str  # the text a screen reader reads instead of the image
    caption: str  # the title shown under it, after 「図N」
    image: ImageFile
    loc: Loc  # the line of the image in the chapter
    section: str  # id of the section it stands in

    @property
    def label(self) -> str:
        return f"図{self.number}"

    @property
    def anchor(self) -> str:
        return f"figure-{self.number}"


@record
class TableCaption:
    """The caption of a Markdown pipe table (``表：題名`` on the line above it), numbered 表1, 表2 …
    through the plan.  The data tables of content/data keep the plan's own 【…】 captions."""

    number: int
    title: str
    loc: Loc
    section: str

    @property
    def label(self) -> str:
        return f"表{self.number}"

    @property
    def anchor(self) -> str:
        return f"table-{self.number}"


@record
class Chapter:
    path: str  # relative to the content root
    root: Section  # the chapter heading (level 1) and everything under it
    footnotes: tuple[Footnote, ...]
    source: str
    illustrations: tuple[Illustration, ...] = ()  # its 図, in the order of the text
    tables: tuple[TableCaption, ...] = ()  # its captioned pipe tables, in the order of the text

    def footnote(self, label: str) -> Footnote | None:
        return next((f for f in self.footnotes if f.label == label), None)

    @property
    def id(self) -> str:
        return self.root.id

    @property
    def heading(self) -> Heading:
        return self.root.heading

    def sections(self) -> Iterator[Section]:
        return self.root.walk()


