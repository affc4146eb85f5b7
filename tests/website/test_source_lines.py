"""Sources beside the figure: every table and figure block on the built site carries
its own short source line, and no inline citation makes a sentence long."""
from __future__ import annotations

from tests.website.conftest import data, html
from tests.website.plain import cited_sentences, words

# Blocks whose figures are this site's own, with no outside source to name:
# the offline copy's build date and size.
OWN_FIGURES = {"unduh-offline"}
# What a figure block holds: a table, a list of facts, a list item, a figure from data/.
FIGURES = "table, dl, li, .kkbc-angka"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def source_names() -> dict[str, set[str]]:
    """Every address in data/sources.yml, with the names a citation may show for it."""
    doc = data("sources")
    names: dict[str, set[str]] = {}
    for s in doc["regulations"] + doc["reports"]:
        for url in filter(None, (s["url"], s.get("official"))):
            names.setdefault(url, set()).update(filter(None, (s.get("publisher"), s["title"])))
    return names


def figure_blocks(article) -> list:
    """The article's generated blocks that show figures."""
    return [b for b in article.select(".kkbc-data")
            if b["data-kkbc"] not in OWN_FIGURES and b.select_one("table, dl, .kkbc-angka")]


def source_line_after(figure, block):
    """The first source line after a figure, if it comes before the block ends and
    before any heading (a line further on belongs to another figure)."""
    for node in figure.find_all_next():
        if node.name in HEADINGS or not any(parent is block for parent in node.parents):
            return None
        if node.name == "p" and "kkbc-sumber" in node.get("class", []):
            return node
    return None


def test_every_table_and_figure_block_has_its_own_source_line(built_site, pages):
    names = source_names()
    checked, problems = {}, []
    for path in pages:
        article = html(built_site, path).select_one("article")
        blocks = figure_blocks(article)
        checked[path] = len(blocks)
        for block in blocks:
            for figure in block.select(FIGURES):
                line = source_line_after(figure, block)
                where = (path, block["data-kkbc"], " ".join(figure.get_text(" ").split())[:60])
                if line is None:
                    problems.append(("no source line below", *where))
                    continue
                text = " ".join(line.get_text(" ").split())
                links = line.select("a[href]")
                if not text.startswith("Sumber:") or not links:
                    problems.append(("not a source line", *where, text[:80]))
                for a in links:
                    if a.get_text(strip=True) not in names.get(a["href"], ()):
                        problems.append(("not named from data/sources.yml", *where, a["href"], a.get_text()))
        # Every table on the page is in one of them.
        in_blocks = [id(t) for b in blocks for t in b.select("table")]
        assert all(id(t) in in_blocks for t in article.select("table")), path
    assert problems == []
    assert sum(checked.values()) > 0, checked


def test_no_citation_makes_a_sentence_long(built_site, pages):
    """The plain-language limit (25 words, test_facts.py) counts the inline citation too."""
    found, too_long = 0, []
    for path in pages:
        for sentence in cited_sentences(html(built_site, path)):
            found += 1
            if words(sentence) > 25:
                too_long.append((path, words(sentence), sentence))
    assert found > 0
    assert too_long == []
