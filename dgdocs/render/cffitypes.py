"""WeasyPrint's C type names parsed without every typedef of its bindings.

cffi parses each C type text it has not seen (``ffi.new("hb_tag_t[100]")``,
``ffi.new("PangoRectangle *")`` …) with pycparser, and puts before it a ``typedef int X;``
line for every type that WeasyPrint's ``cdef`` declared (``cffi.cparser.Parser._parse``:
their presence changes how the text parses): several hundred lines for a type of one word,
≈ 4–5 ms a type, ≈ 8 types in the first layout of every worker and more in the first PDFs
put together, on the way to the PDFs after an edit.  Only the names that appear in the
text can change how it parses, so :func:`install` gives WeasyPrint's parser those alone
while it parses a type; the type is then built from all the declarations, as before.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+")


def _parse_type_and_quals(parser):
    """``parser.parse_type_and_quals`` (cffi 2.1) with only the typedefs that *cdecl* names."""
    from cffi.error import CDefError
    from pycparser import c_ast

    def parse_type_and_quals(cdecl):
        declarations = parser._declarations
        used = set(_WORDS.findall(cdecl))
        parser._declarations = {name: value for name, value in declarations.items()
                                if not name.startswith("typedef ") or name[8:] in used}
        try:
            ast, macros = parser._parse("void __dummy(\n%s\n);" % cdecl)[:2]
        finally:
            parser._declarations = declarations
        assert not macros
        exprnode = ast.ext[-1].type.args.params[0]
        if isinstance(exprnode, c_ast.ID):
            raise CDefError("unknown identifier '%s'" % (exprnode.name,))
        return parser._get_type_and_quals(exprnode.type)
    parse_type_and_quals.dgdocs = True
    return parse_type_and_quals


def install() -> None:
    """Give the parser of WeasyPrint's cffi bindings the lighter type parsing (idempotent)."""
    from weasyprint.text.ffi import ffi

    parser = ffi._parser
    if not getattr(parser.parse_type_and_quals, "dgdocs", False):
        parser.parse_type_and_quals = _parse_type_and_quals(parser)
