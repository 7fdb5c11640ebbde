"""The print stylesheet parsed once per worker, not once per job.

Every print job links ``print.css``; WeasyPrint 70 parses a linked stylesheet anew for each
document (``weasyprint.css.find_stylesheets`` → ``CSS(url=…)``: tokenising, validating and
compiling the selectors, ≈ 20 ms), and a build has some twenty jobs.  :func:`install` wraps
``find_stylesheets`` so that the stylesheet of our ``templates/static/print.css`` is parsed
the first time and then handed out again: its selectors and declarations are read-only once
compiled, and what parsing adds to the document's own lists (its @page rules and layers) is
added again for each document.  Any other stylesheet (a ``<style>`` element) is WeasyPrint's
as before.  Refuses another WeasyPrint version than the one tested.
"""

from __future__ import annotations

from .weasypatch import Patch

_original = Patch(__name__, "weasyprint.css", "find_stylesheets")  # the WeasyPrint function this layer wraps
_cache: dict = {}


def _print_css_url() -> str:
    from weasyprint.urls import path2url

    from ..paths import STATIC
    return path2url(str(STATIC / "print.css"))


def find_stylesheets(wrapper_element, device_media_type, url_fetcher, base_url, font_config, counter_style,
                     color_profiles, page_rules, layers):
    from weasyprint import CSS
    from weasyprint.html import element_has_link_type, parse_url

    ours = _print_css_url()
    # WeasyPrint's own generator, with our link taken out and put back in its place
    for wrapper in wrapper_element.query_all("style", "link"):
        element = wrapper.etree_element
        if (element.tag == "link" and element.get("href") and element_has_link_type(element, "stylesheet")
                and parse_url(element.get("href"), base_url) == ours and device_media_type == "print"
                and not element.get("media") and element.get("type", "text/css") == "text/css"):
            from ..paths import STATIC
            stamp = (STATIC / "print.css").stat().st_mtime_ns
            cached = _cache.get(ours)
            if cached is None or cached[0] != stamp:
                own_rules: list = []
                own_layers: list = []
                css = CSS(url=ours, url_fetcher=url_fetcher, media_type=device_media_type, font_config=font_config,
                          counter_style=counter_style, color_profiles=color_profiles, page_rules=own_rules,
                          layers=own_layers, _check_mime_type=True)
                cached = _cache[ours] = (stamp, css, tuple(own_rules), tuple(own_layers))
            _, css, own_rules, own_layers = cached
            if page_rules is not None:
                page_rules.extend(own_rules)
            if layers is not None:
                layers.extend(x for x in own_layers if x not in layers)
            yield css
            continue
        yield from _original(_Only(wrapper), device_media_type, url_fetcher, base_url, font_config, counter_style,
                             color_profiles, page_rules, layers)


class _Only:
    """A stand-in for the document's root that holds just one ``<style>``/``<link>`` element,
    so that WeasyPrint's ``find_stylesheets`` treats that element as it always does."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def query_all(self, *names):
        return iter([self.wrapper])


def install() -> None:
    """Put the cache in place in this process (idempotent)."""
    _original.install(find_stylesheets)


def uninstall() -> None:
    _original.uninstall()
