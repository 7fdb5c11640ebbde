"""dgdocs — a ministry's デジタル・ガバメント中長期計画 as source files, built and checked.

Flow (see DESIGN.md): content/ → load → model → checks → render → build/.
"""

__version__ = "0.1.0"
