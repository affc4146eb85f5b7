"""Plain language, measured: sentence lengths in a built page's main text.

The text is what a reader reads as prose: paragraphs, list items and notes in
the article. Tables, source lines (``.kkbc-sumber``), the list of sources and
the date-checked line are references, not sentences, and are left out.
An inline citation, "(sumber: ...)", is left out too, except where
cited_sentences() asks how long it makes the sentence it follows.
"""
from __future__ import annotations

import math
import re

from bs4 import BeautifulSoup

SKIP = "table, pre, code, script, style, .kkbc-sumber, .kkbc-diperiksa, [data-kkbc=sumber-daftar], " \
       "h1, h2, h3, h4, h5, h6, .kkbc-dengar, form, .headerlink, .md-button"
BLOCKS = "p, li, dd, dt, figcaption"
# A sentence ends at . ! ? followed by a space and a capital, a digit or a quote.
END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[\"“(]?[A-Z0-9])")
WORD = re.compile(r"\w", re.U)
# Inline citations are marked off so a sentence can be cut right after one.
CITE_START, CITE_END = "\x01", "\x02"
AFTER_CITATION = re.compile(rf"(?<={CITE_END})\s+(?=[\"“(]?[A-Z0-9])")


def prose(soup: BeautifulSoup, citations: bool = False) -> list[str]:
    """The article's prose blocks, each as one line of text; with ``citations``,
    inline citations stay in, marked off by CITE_START and CITE_END."""
    article = soup.select_one("article.md-content__inner") or soup
    article = BeautifulSoup(str(article), "html.parser")
    for node in article.select(SKIP.replace(".kkbc-sumber", "p.kkbc-sumber") if citations else SKIP):
        node.decompose()
    for span in article.select(".kkbc-sumber"):
        span.insert_before(CITE_START)
        span.insert_after(CITE_END)
    out = []
    for block in article.select(BLOCKS):
        # A list item's own text only: nested lists are blocks of their own.
        for nested in block.select("ul, ol, p"):
            nested.extract()
        text = " ".join(block.get_text(" ").split())
        if text:
            out.append(text)
    return out


def sentences(soup: BeautifulSoup) -> list[str]:
    out = []
    for text in prose(soup):
        out += [s for s in END.split(text) if WORD.search(s)]
    return out


def cited_sentences(soup: BeautifulSoup) -> list[str]:
    """Every sentence that carries an inline citation, with the citation in it: a
    citation belongs to the sentence it follows, and makes it that much longer."""
    out = []
    for text in prose(soup, citations=True):
        for sentence in END.split(text):
            out += [" ".join(s.replace(CITE_START, " ").replace(CITE_END, " ").split())
                    for s in AFTER_CITATION.split(sentence) if CITE_START in s]
    return out


def words(sentence: str) -> int:
    return sum(1 for token in sentence.split() if WORD.search(token))


def percentile(values: list[int], p: float) -> int:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(soup: BeautifulSoup) -> dict:
    lengths = [words(s) for s in sentences(soup)]
    return {"sentences": len(lengths), "p90": percentile(lengths, 90) if lengths else 0,
            "max": max(lengths, default=0)}
