"""Critical CSS: the theme rules a page uses, so the page paints from its HTML.

Material's stylesheet (main + palette, about 20 KB compressed) blocks the
first paint until a second request comes back: 0.4 s and more on 3G. At
build time, each page's theme rules are the ones whose selectors match an
element of its DOM (soupsieve, the selector engine of Beautiful Soup, on the
page as built; tinycss2 parses and writes the CSS). Interaction states
(:hover, :focus, :checked ...) count as possibly true and pseudo-elements
follow their element, so the drawer, focus rings and icons keep working;
custom properties no kept rule reads are dropped. The theme's files stay
whole in the site: cari.js loads them when search opens (its results are
built by JavaScript) or before printing.

The site's own stylesheets (extra.css, situs.css) are small and change
often, so they are inlined whole, after the theme's rules as before: an
element that a script creates later is styled there, or is in the HTML.

The portal's pages carry their rules the same way: scripts/portal_css.py
draws them from the built site's theme files with this engine.
"""
from __future__ import annotations

from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup
from tinycss2.ast import FunctionBlock

# Pseudo-classes that depend on what the reader does, not on the markup.
STATES = {"hover", "focus", "focus-visible", "focus-within", "active", "visited", "target",
          "checked", "indeterminate", "invalid", "valid", "user-invalid", "user-valid",
          "placeholder-shown", "autofill", "open", "modal", "fullscreen", "popover-open"}
# Written with one colon by the minifier, but pseudo-elements all the same.
LEGACY_ELEMENTS = {"before", "after", "first-line", "first-letter", "marker", "selection", "placeholder"}
UNKNOWN = object()


def _strip(tokens) -> list:
    """Selector tokens with states and pseudo-elements removed."""
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "literal" and t.value == ":":
            element = i + 1 < len(tokens) and tokens[i + 1].type == "literal" and tokens[i + 1].value == ":"
            j = i + 2 if element else i + 1
            name = tokens[j] if j < len(tokens) else None
            if name is None:
                return out
            lower = name.lower_value if name.type == "ident" else getattr(name, "lower_name", "")
            if element or (name.type == "ident" and (lower in STATES or lower in LEGACY_ELEMENTS
                                                     or lower.startswith("-"))):
                i = j + 1
                continue
            if name.type == "function":
                if lower.startswith("-"):
                    i = j + 1
                    continue
                args = _strip(name.arguments)
                if not tinycss2.serialize(args).strip():
                    i = j + 1  # :not(:hover) and the like: possibly true
                    continue
                out += [t, FunctionBlock(name.source_line, name.source_column, name.name, args)]
                i = j + 1
                continue
        out.append(t)
        i += 1
    return out


def _selectors(prelude) -> list[list]:
    """A rule's prelude split at its top-level commas."""
    groups, current = [], []
    for t in prelude:
        if t.type == "literal" and t.value == ",":
            groups.append(current)
            current = []
        else:
            current.append(t)
    groups.append(current)
    return groups


def _required(tokens) -> set[str]:
    """Classes (.x), ids (#x), element names and attribute names ([x]) that every
    match needs somewhere in the document: a quick test before the selector
    engine (what is inside :not() and other functions is left out)."""
    found, previous = set(), None
    for t in tokens:
        if t.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            found.add("." + t.value)
        elif t.type == "ident" and (previous is None or previous.type == "whitespace"
                                    or (previous.type == "literal" and previous.value in ">+~")):
            found.add(t.lower_value)
        elif t.type == "hash" and t.is_identifier:
            found.add("#" + t.value)
        elif t.type == "[] block":
            names = [a for a in t.content if a.type == "ident"]
            if names:
                found.add("[" + names[0].lower_value)
        previous = t
    return found


def _present(doc) -> set[str]:
    """What _required looks for, as the document has it."""
    found = set()
    for tag in doc.find_all(True):
        found.add(tag.name)
        for name, value in tag.attrs.items():
            found.add("[" + name)
            if name == "class":
                found.update("." + c for c in value)
            elif name == "id":
                found.add("#" + value)
    return found


def _vars_read(tokens, into: set) -> None:
    for t in tokens:
        if t.type == "function":
            if t.lower_name == "var":
                into.update(a.value for a in t.arguments if a.type == "ident" and a.value.startswith("--"))
            _vars_read(t.arguments, into)
        elif t.type in ("() block", "[] block", "{} block"):
            _vars_read(t.content, into)


class Theme:
    """A parsed stylesheet, pruned page by page."""

    def __init__(self, css: str):
        self.rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        self._compiled: dict[str, object] = {}

    def _matches(self, selector: list, doc, present: set) -> bool:
        if not _required(selector) <= present:
            return False
        text = tinycss2.serialize(_strip(selector)).strip() or "*"
        if text[-1] in ">+~":
            text += " *"
        pattern = self._compiled.get(text)
        if pattern is None:
            try:
                pattern = soupsieve.compile(text)
            except Exception:  # a selector the engine does not know: keep the rule
                pattern = UNKNOWN
            self._compiled[text] = pattern
        return pattern is UNKNOWN or pattern.select_one(doc) is not None

    def _keep(self, rules, doc, present) -> list:
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                if any(self._matches(s, doc, present) for s in _selectors(rule.prelude)):
                    kept.append(rule)
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                inner = self._keep(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                  skip_whitespace=True), doc, present)
                if inner:
                    kept.append((rule, inner))
            elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
                continue
            elif rule.type == "at-rule":
                kept.append(rule)  # @keyframes, @page: small, decided below or kept
        return kept

    def critical(self, doc, also_read: str = "") -> str:
        """The rules that apply to ``doc`` (BeautifulSoup), as minified CSS.
        ``also_read``: CSS inlined next to it, whose custom properties count as read."""
        kept = self._keep(self.rules, doc, _present(doc))
        declarations = {}
        read: set[str] = set()
        _vars_read(tinycss2.parse_component_value_list(also_read, skip_comments=True), read)
        for tag in doc.find_all(style=True):
            _vars_read(tinycss2.parse_component_value_list(tag["style"]), read)

        def walk(items):
            for item in items:
                if isinstance(item, tuple):
                    yield from walk(item[1])
                elif item.type == "qualified-rule":
                    yield item

        for rule in walk(kept):
            decls = [d for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                               skip_whitespace=True)
                     if d.type == "declaration"]
            declarations[id(rule)] = decls
            for d in decls:
                if not d.name.startswith("--"):
                    _vars_read(d.value, read)
        # Custom properties that a read one refers to are read too.
        defined = {}
        for decls in declarations.values():
            for d in decls:
                if d.name.startswith("--"):
                    defined.setdefault(d.name, []).append(d.value)
        pending = list(read)
        while pending:
            for value in defined.get(pending.pop(), []):
                more: set[str] = set()
                _vars_read(value, more)
                pending += [v for v in more - read]
                read |= more
        animations = set()
        for decls in declarations.values():
            for d in decls:
                if d.lower_name in ("animation", "animation-name"):
                    animations.update(t.value for t in d.value if t.type == "ident")

        def write(items) -> str:
            out = []
            for item in items:
                if isinstance(item, tuple):
                    rule, inner = item
                    body = write(inner)
                    if body:
                        out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{body}}}")
                elif item.type == "qualified-rule":
                    decls = [d for d in declarations[id(item)] if not d.name.startswith("--") or d.name in read]
                    if decls:
                        body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                                        + ("!important" if d.important else "") for d in decls)
                        out.append(f"{tinycss2.serialize(item.prelude).strip()}{{{body}}}")
                elif item.lower_at_keyword == "keyframes":
                    names = {t.value for t in item.prelude if t.type == "ident"}
                    if names & animations:
                        out.append(item.serialize())
                else:
                    out.append(item.serialize())
            return "".join(out)

        return write(kept)


def minify(css: str) -> str:
    """A stylesheet without comments and with whitespace collapsed (tinycss2 tokens)."""
    def tokens(items):
        out = []
        for t in items:
            if t.type == "comment":
                continue
            if t.type == "whitespace":
                if out and out[-1] != " ":
                    out.append(" ")
                continue
            out.append(t.serialize() if t.type not in ("{} block",) else "{" + "".join(tokens(t.content)).strip() + "}")
        return out
    return "".join(tokens(tinycss2.parse_component_value_list(css))).strip()


def safe(css: str) -> str:
    """CSS that can stand inside <style> (it must not end the element)."""
    if "</style" in css.lower():
        raise SystemExit("a stylesheet contains '</style', which would end its <style> element")
    return css


def document(html: str) -> BeautifulSoup:
    """A page's HTML, parsed for matching selectors."""
    return BeautifulSoup(html, "html.parser")


def _local(href: str, page: Path, site: Path) -> Path | None:
    """The file in ``site`` that a stylesheet link of ``page`` names, if any."""
    if "://" in href or href.startswith("//"):
        return None
    target = (site / href.lstrip("/")) if href.startswith("/") else (page.parent / href)
    target = target.resolve()
    return target if target.is_file() and site in target.parents else None


def theme_files(site: Path) -> list[Path]:
    """Material's stylesheets in a built site, in the order pages link them."""
    folder = site / "assets" / "stylesheets"
    return [p for pattern in ("main.*.min.css", "palette.*.min.css") for p in sorted(folder.glob(pattern))]


def inline_site(site: Path, theme_files: list[Path]) -> None:
    """Replace every page's stylesheet links by its critical CSS.

    The theme's links become one ``<style data-kkbc-tema="HREF ...">`` (cari.js
    loads HREFs on demand), the site's own become one ``<style>``, in their
    places, so the cascade keeps its order."""
    theme = Theme("".join(p.read_text(encoding="utf-8") for p in theme_files))
    theme_files = {p.resolve() for p in theme_files}
    own_cache: dict[Path, str] = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        doc = document(html)
        links = [(link["href"], _local(link["href"], page, site)) for link in doc.select('link[rel="stylesheet"][href]')]
        if not links:
            continue
        theme_hrefs = [href for href, path in links if path in theme_files]
        own = [(href, path) for href, path in links if path and path not in theme_files]
        if not theme_hrefs or len(theme_hrefs) + len(own) != len(links):
            raise SystemExit(f"{page}: stylesheet links the build does not know: {links}")
        own_css = "".join(own_cache.setdefault(path, minify(path.read_text(encoding="utf-8")))
                          for _, path in own)
        styles = {theme_hrefs[0]: f'<style data-kkbc-tema="{" ".join(theme_hrefs)}">'
                                  f"{safe(theme.critical(doc, own_css))}</style>"}
        if own:
            styles[own[0][0]] = f"<style>{safe(own_css)}</style>"
        for href, _ in links:
            tag = f'<link rel="stylesheet" href="{href}">'
            if html.count(tag) != 1:
                raise SystemExit(f"{page}: expected one {tag}")
            html = html.replace(tag, styles.get(href, ""))
        page.write_text(html, encoding="utf-8")
