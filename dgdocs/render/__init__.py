"""Renderers: the model turned into HTML (site), PDF (WeasyPrint) and open data.

No renderer reads ``content/``; each reads the :class:`~dgdocs.model.Document`.
"""
