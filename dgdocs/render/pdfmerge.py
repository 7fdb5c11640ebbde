"""Post-processing of WeasyPrint's PDFs with pikepdf (qpdf): links between the PDFs, and the
combined PDF made by merging the tagged parts instead of laying everything out again.

Why pikepdf: merging has to carry each part's structure tree (the PDF/UA tags), its named
destinations and its bookmarks into one document, renumbering the structure parent keys of
pages and annotations; pypdf copies pages but drops the structure tree.  qpdf keeps one map
of copied objects per source file, so struct elements that point at a page (/Pg) land on the
copy of that page.

Everything here is deterministic: no dates are set, the /ID is derived from the content.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from ..paths import STATIC


def _save(pdf: pikepdf.Pdf) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buf.getvalue()


def _link_target(uri: str, base: str) -> tuple[str, str] | None:
    """('beppyo-4.pdf', 'beppyo-4') for a WeasyPrint-resolved link into a sibling PDF."""
    if not uri.startswith(base):
        return None
    rest = uri[len(base):]
    path, _, frag = rest.partition("#")
    path = unquote(path)
    if "/" in path or not path.endswith(".pdf"):
        return None
    return path, unquote(frag)


def _annotations(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            yield annot


def _relink(pdf: pikepdf.Pdf, base: str) -> None:
    """Turn links that WeasyPrint resolved against the print base URL (``file:///…/beppyo-4.pdf#x``)
    into relative links to the sibling PDF (GoToR /F (beppyo-4.pdf) /D (x)); no local path stays
    in the file."""
    for annot in _annotations(pdf):
        action = annot.get("/A")
        if action is None or action.get("/S") != Name.URI:
            continue
        target = _link_target(str(action.URI), base)
        if target is None:
            if str(action.URI).startswith("file:"):
                raise ValueError(f"a link to a local file is left in the PDF: {action.URI}")
            continue
        file, frag = target
        new = Dictionary(Type=Name.Action, S=Name.GoToR, F=String(file), NewWindow=False)
        if frag:
            new.D = String(frag)
        annot.A = new
        if "/Contents" in annot:  # WeasyPrint repeats the URI there: the path of the build machine
            annot.Contents = String(file + (f"#{frag}" if frag else ""))


def finish(data: bytes, label: str = "") -> bytes:
    """A PDF of WeasyPrint made ours: links into the sibling PDFs relative (GoToR), the page
    labels equal to the printed folios (*label*: 別紙1- → 別紙1-1 …), opening with its
    bookmarks shown."""
    pdf = pikepdf.open(io.BytesIO(data))
    _relink(pdf, base_uri(str(STATIC)))
    if label:
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String(label))]))
    pdf.Root.PageMode = Name.UseOutlines
    return _save(pdf)


@dataclass(frozen=True)
class Part:
    file: str  # its file name (links from other parts name it)
    title: str  # bookmark title of the part
    label: str  # page label prefix in the combined PDF ("" for the plan itself)
    data: bytes


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, object]]:
    """The named destinations of *pdf*: (name, destination)."""
    names = pdf.Root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    return list(pikepdf.NameTree(tree).items()) if tree is not None else []


def _outline_items(src: pikepdf.Pdf):
    with src.open_outline() as outline:
        return list(outline.root)


def _copy_item(item, src_index: dict, out: pikepdf.Pdf, offset: int) -> pikepdf.OutlineItem:
    dest = item.destination
    new_dest = None
    if isinstance(dest, Array) and len(dest) and dest[0].objgen in src_index:
        page = out.pages[offset + src_index[dest[0].objgen]].obj
        new_dest = Array([page] + list(dest[1:]))
    elif isinstance(dest, int):
        new_dest = offset + dest
    copied = pikepdf.OutlineItem(str(item.title), new_dest if new_dest is not None else offset)
    for child in item.children:
        copied.children.append(_copy_item(child, src_index, out, offset))
    return copied


def merge(parts: list[Part], title: str, subject: str) -> bytes:
    """One PDF of all *parts*, in order: pages, tags, named destinations, bookmarks (one top-level
    bookmark per part, holding the part's own), page labels (別紙1-1, …), and links between the
    parts turned into links inside the document."""
    return _save(merge_pdf(parts, title, subject))


def merge_pdf(parts: list[Part], title: str, subject: str, *, nested: bool = True, labels: bool = True,
              files: set[str] | None = None) -> pikepdf.Pdf:
    """:func:`merge`, unsaved.  *nested* false: the parts' bookmarks follow each other at the
    top level (the plan put together from its chapters, as a single layout gives them);
    *labels* false: no page labels (the folios are the page numbers); *files*: the PDF names
    whose links (GoToR) lead into this document (the parts' own by default)."""
    first = pikepdf.open(io.BytesIO(parts[0].data))
    out = first
    files = set(files) if files is not None else {p.file for p in parts}
    root_elem = out.Root.StructTreeRoot.K[0]
    nums = list(out.Root.StructTreeRoot.ParentTree.Nums)
    next_key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1 if nums else 0
    dests: dict[str, object] = {}

    for name, dest in _dests(first):
        dests.setdefault(name, dest)
    bookmarks: list[tuple[Part, int, list]] = [(parts[0], 0, _outline_items(first))]
    src_indexes = [{p.objgen: i for i, p in enumerate(pg.obj for pg in first.pages)}]
    starts = [0]
    sources = []  # kept open until the bookmarks are copied: their items point at the sources' pages
    for part in parts[1:]:
        src = pikepdf.open(io.BytesIO(part.data))
        sources.append(src)
        offset = len(out.pages)
        starts.append(offset)
        src_indexes.append({pg.obj.objgen: i for i, pg in enumerate(src.pages)})
        out.pages.extend(src.pages)
        # structure: the part's top elements become children of our Document element
        src_root = src.Root.StructTreeRoot
        src_nums = list(src_root.ParentTree.Nums)
        shift = next_key - (min(int(src_nums[i]) for i in range(0, len(src_nums), 2)) if src_nums else 0)
        for i in range(offset, len(out.pages)):
            page = out.pages[i].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + shift
            for annot in page.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        # the part's structure, its parent tree's values and its destinations copied in one
        # call: qpdf walks them once (object by object from Python, 7000 calls for 一括版)
        src_dests = _dests(src)
        values = [src_nums[i + 1] for i in range(0, len(src_nums), 2)]
        copied = list(out.copy_foreign(src.make_indirect(Array([src_root.K[0], *values, *(d for _, d in src_dests)]))))
        src_doc_elem = copied[0]
        # its Document element stays the parent of the page-margin elements (running heads,
        # folios: WeasyPrint gives them a parent but keeps them out of the tree) and leads to
        # the merged tree's root, not to a copy of the part's own (and its parent tree)
        src_doc_elem.P = out.Root.StructTreeRoot
        kids = src_doc_elem.K if isinstance(src_doc_elem.K, Array) else Array([src_doc_elem.K])
        target_kids = root_elem.K if isinstance(root_elem.K, Array) else Array([root_elem.K])
        for kid in kids:
            if isinstance(kid, Dictionary):
                kid.P = root_elem
            target_kids.append(kid)
        root_elem.K = target_kids
        for n, i in enumerate(range(0, len(src_nums), 2)):
            key = int(src_nums[i]) + shift
            nums.extend([key, copied[1 + n]])
            next_key = max(next_key, key + 1)  # (not the maximum of all keys again: quadratic in the parts)
        for (name, _), dest in zip(src_dests, copied[1 + len(values):]):
            dests.setdefault(name, dest)
        bookmarks.append((part, offset, _outline_items(src)))
    out.Root.StructTreeRoot.ParentTree = Dictionary(Nums=Array(nums))
    out.Root.StructTreeRoot.ParentTreeNextKey = next_key
    # named destinations of every part, sorted as a name tree must be
    # (one Array from a list: Array.extend copies the whole array each time, quadratic in the
    # ≈ 500 destinations of 一括版)
    flat = Array([x for name in sorted(dests) for x in (String(name), dests[name])])
    out.Root.Names = Dictionary(Dests=Dictionary(Names=flat))
    # links between the parts become links inside the document
    for annot in _annotations(out):
        action = annot.get("/A")
        if action is not None and action.get("/S") == Name.GoToR and str(action.get("/F", "")) in files:
            frag = str(action.get("/D", ""))
            target_file = str(action.F)
            if not frag:
                frag = re.sub(r"\.pdf$", "", target_file)
            annot.A = Dictionary(Type=Name.Action, S=Name.GoTo, D=String(frag))
    # bookmarks: one per part, holding the part's own (or the parts' own, one after the other)
    # consecutive parts of one file (the plan's front matter and chapters) are one part of the whole
    first_of = [i == 0 or parts[i - 1].file != part.file for i, part in enumerate(parts)]
    with out.open_outline() as outline:
        outline.root.clear()
        top = None
        for (part, offset, items), index, first_of_file in zip(bookmarks, src_indexes, first_of):
            if not nested:
                outline.root.extend(_copy_item(item, index, out, offset) for item in items)
                continue
            if first_of_file:
                top = pikepdf.OutlineItem(part.title, offset)
                outline.root.append(top)
            # the plan's first bookmark level is already its chapters; other parts bring one
            # top bookmark (their title) whose children we keep
            children = items if part.label == "" else [c for it in items for c in it.children]
            for item in children:
                top.children.append(_copy_item(item, index, out, offset))
    if labels:
        out.Root.PageLabels = Dictionary(Nums=Array(
            [x for part, start, f in zip(parts, starts, first_of) if f
             for x in (start, Dictionary(S=Name.D, **({"P": String(part.label)} if part.label else {})))]))
    elif "/PageLabels" in out.Root:
        del out.Root["/PageLabels"]
    _share_identical_fonts(out)
    out.Root.PageMode = Name.UseOutlines
    out.docinfo[Name.Title] = String(title)
    out.docinfo[Name.Subject] = String(subject)
    _set_xmp_title(out, title, subject)
    return out


def _share_identical_fonts(pdf: pikepdf.Pdf) -> None:
    """Point every page at one copy of each identical embedded font program: the parts cut
    from one layout carry the same font subset, which the merge would otherwise repeat."""
    import hashlib
    seen: dict[str, pikepdf.Object] = {}
    digests: dict[tuple[int, int], str] = {}  # each program hashed once, not once a page that uses it
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            for desc in [f.get("/FontDescriptor") for f in font.get("/DescendantFonts", [font])]:
                if desc is None:
                    continue
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    stream = desc.get(key)
                    if stream is None:
                        continue
                    digest = digests.get(stream.objgen)
                    if digest is None:
                        digest = digests[stream.objgen] = hashlib.sha256(
                            stream.read_raw_bytes() + repr(sorted(stream.stream_dict.keys())).encode()).hexdigest()
                    if digest in seen:
                        desc[key] = seen[digest]
                    else:
                        seen[digest] = stream


def _set_xmp_title(pdf: pikepdf.Pdf, title: str, subject: str) -> None:
    """Replace dc:title / dc:description in the XMP packet without touching its dates."""
    meta = pdf.Root.get("/Metadata")
    if meta is None:
        return
    xml = meta.read_bytes().decode("utf-8")
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    xml = re.sub(r"(<dc:title>.*?<rdf:li[^>]*>)(.*?)(</rdf:li>)", lambda m: m.group(1) + esc(title) + m.group(3), xml, flags=re.S)
    xml = re.sub(r"(<dc:description>.*?<rdf:li[^>]*>)(.*?)(</rdf:li>)", lambda m: m.group(1) + esc(subject) + m.group(3), xml, flags=re.S)
    meta.write(xml.encode("utf-8"))


def base_uri(static_dir: str) -> str:
    """The URI prefix WeasyPrint gives links resolved against the print base URL."""
    return urlparse("file://" + static_dir.rstrip("/") + "/").geturl()
