"""The outline of the plan: the section tree indexed once, when the Document is made."""

from __future__ import annotations

from .record import record
from typing import Iterator

from .prose import Chapter, Section


@record
class OutlineEntry:
    """Where one section stands in the plan: its chapter, its parent and the path from the
    chapter heading down to it."""

    section: Section
    chapter: Chapter
    parent: str | None  # id of the enclosing section (None for a chapter heading)
    path: tuple[Section, ...]  # the chapter heading … this section

    @property
    def markers(self) -> str:
        """II(3)1) — the plan's labels from the chapter down (the chapter's without its 「.」)."""
        return "".join(s.heading.marker.rstrip(".") if i == 0 else s.heading.marker
                       for i, s in enumerate(self.path))


class Outline:
    """The section tree of the plan, indexed once: section id → :class:`OutlineEntry`.

    Every renderer, check and tool asks this index (chapter of a section, its parent, its
    ancestors, its label) instead of walking the tree again.  Section ids are unique (the
    loader refuses duplicates); were one repeated, the later section would win.
    """

    __slots__ = ("_entries", "_order")

    def __init__(self, chapters: tuple[Chapter, ...]):
        entries: dict[str, OutlineEntry] = {}
        order: list[str] = []

        def walk(ch: Chapter, sec: Section, parent: str | None, path: tuple[Section, ...]) -> None:
            path = path + (sec,)
            entries[sec.id] = OutlineEntry(sec, ch, parent, path)
            order.append(sec.id)
            for c in sec.children:
                walk(ch, c, sec.id, path)

        for ch in chapters:
            walk(ch, ch.root, None, ())
        self._entries = entries
        self._order = {sid: i for i, sid in enumerate(order)}

    def __contains__(self, sid: object) -> bool:
        return sid in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def get(self, sid: str) -> OutlineEntry | None:
        return self._entries.get(sid)

    def section(self, sid: str) -> Section | None:
        e = self._entries.get(sid)
        return e.section if e else None

    def chapter(self, sid: str) -> Chapter | None:
        e = self._entries.get(sid)
        return e.chapter if e else None

    def parent(self, sid: str) -> str | None:
        e = self._entries.get(sid)
        return e.parent if e else None

    def parent_section(self, sid: str) -> Section | None:
        p = self.parent(sid)
        return self.section(p) if p is not None else None

    def ancestors(self, sid: str) -> list[Section]:
        """The section itself, its parent, … up to the chapter heading ([] if unknown)."""
        e = self._entries.get(sid)
        return list(reversed(e.path)) if e else []

    def position(self, sid: str) -> int | None:
        """The reading order of the section in the whole plan (0 = first chapter heading)."""
        return self._order.get(sid)

    def path_text(self, sid: str) -> str:
        """II(3)1)c)　タイトル: the labels from the chapter down, then the title (the id if unknown)."""
        e = self._entries.get(sid)
        return f"{e.markers}　{e.section.heading.title}" if e else sid

    def label(self, sid: str) -> str:
        """II(3)1): the labels from the chapter down (the id if unknown)."""
        return self.path_text(sid).split("　", 1)[0]

    def quoted(self, sid: str) -> str:
        """II(2)ア.「タイトル」: how the 新旧対照表 names a place (the id if unknown).  A chapter
        heading alone keeps its 「.」 (I.「基本事項」)."""
        e = self._entries.get(sid)
        if e is None:
            return sid
        markers = e.markers if len(e.path) > 1 else e.path[0].heading.marker
        return f"{markers}「{e.section.heading.title}」"
