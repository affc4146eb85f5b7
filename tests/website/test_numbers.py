"""Every number the build writes into a page matches the data files.

Expected values are computed here from data/*.yml with arithmetic of our own
(fractions, months as "YYYY-MM" strings) and checked against hand-worked
cases; the hooks and kkbc.rates are not called.
"""
from __future__ import annotations

import re
from fractions import Fraction
from math import floor

import pytest

from tests.website.conftest import CONTENT, data, html, markdown_pages, this_month

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
RATES = data("rates")
SECTORS = list(RATES["sectors"])
MIN_INCOME = RATES["minimum_income"]

# Worked by hand from FACTS.md: JKK 1% of Rp1.000.000, JKM Rp6.800, JHT 2%,
# PP 50/2025 halves JKK+JKM (transport Jan 2026-Mar 2027, others Apr-Dec 2026).
MONTHLY_CASES = [
    ("jkk-jkm", "2026-03", "lainnya", 16800),
    ("jkk-jkm", "2026-04", "lainnya", 8400),
    ("jkk-jkm", "2026-12", "lainnya", 8400),
    ("jkk-jkm", "2027-01", "lainnya", 16800),
    ("jkk-jkm", "2025-12", "transportasi", 16800),
    ("jkk-jkm", "2026-01", "transportasi", 8400),
    ("jkk-jkm", "2027-03", "transportasi", 8400),
    ("jkk-jkm", "2027-04", "transportasi", 16800),
    ("jkk-jkm-jht", "2026-03", "lainnya", 36800),
    ("jkk-jkm-jht", "2026-04", "lainnya", 28400),
]
YEARLY_CASES = {  # 3 x 16.800 + 9 x 8.400, 12 x 8.400, 12 x 16.800, 3 x 8.400 + 9 x 16.800
    ("jkk-jkm", "lainnya", 2026): 126000, ("jkk-jkm", "transportasi", 2026): 100800,
    ("jkk-jkm", "lainnya", 2027): 201600, ("jkk-jkm", "transportasi", 2027): 176400,
}


# ---------------------------------------------------------------- our own arithmetic

def next_month(ym: str) -> str:
    year, month = map(int, ym.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def label_month(label: str) -> str:
    name, year = label.split()
    return f"{int(year):04d}-{MONTHS.index(name) + 1:02d}"


def charged_percent(programme: str, ym: str, sector: str) -> int:
    percent = 100
    for cut in RATES.get("discounts", []):
        period = cut["periods"].get(sector)
        if programme in cut["programmes"] and period and period["first"] <= ym <= period["last"]:
            percent = min(percent, cut["percent"])
    return percent


def cost(package: str, ym: str, sector: str, income: int = MIN_INCOME) -> int:
    income = max(income, MIN_INCOME)
    total = 0
    for name in RATES["packages"][package]["programmes"]:
        spec = RATES["programmes"][name]
        normal = Fraction(spec["flat"]) if "flat" in spec else Fraction(income * spec["percent_of_income"], 100)
        total += floor(normal * Fraction(charged_percent(name, ym, sector), 100) + Fraction(1, 2))
    return total


def rp(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def amount(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def months_in(label: str) -> list[str]:
    """'Januari 2027 sampai Maret 2027' -> ['2027-01', '2027-02', '2027-03']."""
    label = re.sub(r" \(\d+ bulan\)$", "", label).replace(" dan seterusnya", "")
    first, _, last = label.partition(" sampai ")
    first = label_month(first)
    last = label_month(last) if last else first
    out = [first]
    while out[-1] != last:
        out.append(next_month(out[-1]))
    return out


@pytest.fixture(scope="module")
def biaya(built_site):
    return html(built_site, "/biaya/")


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("package,ym,sector,expected", MONTHLY_CASES)
def test_our_arithmetic_agrees_with_the_worked_cases(package, ym, sector, expected):
    assert cost(package, ym, sector) == expected


def test_cost_this_month_on_the_home_page(built_site):
    ym = this_month()
    shown = [amount(e.get_text()) for e in html(built_site, "/").select('[data-kkbc="cost-now"] .kkbc-angka')]
    assert shown == [cost("jkk-jkm", ym, s) for s in SECTORS]


@pytest.mark.parametrize("package", list(RATES["packages"]))
def test_month_by_month_table(biaya, package):
    table = biaya.select_one(f'[data-kkbc="iuran-bulanan-{package}"] table')
    rows = table.select("tbody tr")
    assert months_in(rows[0].th.get_text())[0] == this_month()
    previous = None
    for row in rows:
        values = [amount(td.get_text()) for td in row.select("td")]
        label = row.th.get_text()
        for ym in months_in(label):
            assert values == [cost(package, ym, s) for s in SECTORS], f"{package} {ym}"
        if "dan seterusnya" in label:  # and so on: nothing changes for years after
            ym = months_in(label)[0]
            for _ in range(36):
                ym = next_month(ym)
                assert values == [cost(package, ym, s) for s in SECTORS]
        assert values != previous, "equal consecutive months are one row"
        previous = values
    for package_case, ym, sector, expected in MONTHLY_CASES:
        if package_case == package:
            for row in rows:
                if ym in months_in(row.th.get_text()):
                    assert amount(row.select("td")[SECTORS.index(sector)].get_text()) == expected


@pytest.mark.parametrize("package", list(RATES["packages"]))
def test_yearly_totals_are_the_sum_of_their_months(biaya, package):
    table = biaya.select_one(f'[data-kkbc="iuran-tahunan-{package}"] table')
    years = [int(th.get_text()) for th in table.select("thead th")[1:]]
    year = int(this_month()[:4])
    assert years == [year, year + 1]
    for row, sector in zip(table.select("tbody tr"), SECTORS):
        for cell, year in zip(row.select("td"), years):
            total = amount(cell.select_one(".kkbc-angka").get_text())
            assert total == sum(cost(package, f"{year}-{m:02d}", sector) for m in range(1, 13))
            parts = re.findall(r"(\d+) × Rp([\d.]+)", cell.small.get_text())
            assert sum(int(n) for n, _ in parts) == 12
            assert sum(int(n) * amount(v) for n, v in parts) == total
            if (package, sector, year) in YEARLY_CASES:
                assert total == YEARLY_CASES[(package, sector, year)]


def test_discount_table_matches_the_data(biaya):
    cut = RATES["discounts"][0]
    rows = biaya.select('[data-kkbc="iuran-potongan"] tbody tr')
    assert len(rows) == len(cut["periods"])
    for row, (sector, period) in zip(rows, cut["periods"].items()):
        when, shown = row.select("td")
        months = months_in(when.get_text().split(" (")[0])
        assert (months[0], months[-1]) == (period["first"], period["last"])
        assert f"({len(months)} bulan)" in when.get_text()
        assert amount(shown.get_text()) == cost("jkk-jkm", period["first"], sector)
    assert cut["name"] in biaya.select_one('[data-kkbc="iuran-potongan"]').get_text()


def test_programme_table(biaya):
    shown = [amount(e.get_text()) for e in biaya.select('[data-kkbc="iuran-program"] [data-kkbc="iuran-program"]')]
    expected = []
    for spec in RATES["programmes"].values():
        expected.append(spec["flat"] if "flat" in spec else MIN_INCOME * spec["percent_of_income"] // 100)
    assert shown == expected == [10000, 6800, 20000]


def test_inline_figures(built_site):
    cut = RATES["discounts"][0]
    normal_month = "2030-01"  # after every cut in the data
    assert all(p["last"] < normal_month for p in cut["periods"].values())
    expected = {
        "iuran-normal": rp(cost("jkk-jkm", normal_month, "lainnya")),
        "iuran-potong": rp(cost("jkk-jkm", cut["periods"]["lainnya"]["first"], "lainnya")),
        "penghasilan-minimum": rp(MIN_INCOME),
        "potongan-persen": f"{100 - cut['percent']}%",
    }
    seen = set()
    for path in ("/", "/biaya/", "/tanya-jawab/", "/kalkulator/"):
        for element in html(built_site, path).select(".kkbc-angka"):
            name = element["data-kkbc"]
            if name in expected:
                assert element.get_text() == expected[name], f"{path} {name}"
                seen.add(name)
            if name == "potongan-periode":
                months = months_in(element.get_text())
                assert {"first": months[0], "last": months[-1]} in cut["periods"].values()
    assert seen == set(expected)


def calculator_examples() -> list[tuple[str, dict]]:
    """(page path, marker arguments) of every worked example, in page order."""
    out = []
    for source in markdown_pages():
        rel = source.relative_to(CONTENT).with_suffix("").as_posix()
        path = "/" if rel == "index" else f"/{rel.removesuffix('/index')}/"
        for args in re.findall(r"<!-- data:kalkulator-contoh ([^>]*?)\s*-->", source.read_text()):
            out.append((path, dict(a.split("=") for a in args.split())))
    return out


def test_worked_examples(built_site):
    examples = calculator_examples()
    assert len(examples) >= 3
    blocks = {}
    for path, args in examples:
        blocks.setdefault(path, html(built_site, path).select('div[data-kkbc="kalkulator-contoh"]'))
        block = blocks[path].pop(0)
        income = int(args.get("penghasilan", MIN_INCOME))
        package, sector = args.get("paket", "jkk-jkm"), args["sektor"]
        left = int(args["shu"]) * int(args["persen"]) // 100
        ym, months = args["mulai"], []
        while cost(package, ym, sector, income) <= left:
            left -= cost(package, ym, sector, income)
            months.append(ym)
            ym = next_month(ym)
        figures = [amount(e.get_text()) for e in block.select("p .kkbc-angka")]
        assert figures[:2] == [int(args["shu"]), int(args["shu"]) * int(args["persen"]) // 100]
        assert figures[-2:] == [len(months), left]
        for row in block.select("tbody tr"):
            per_month, subtotal = row.select("td")
            run = months_in(row.th.get_text())
            assert row.th.get_text().endswith(f"({len(run)} bulan)")
            assert all(cost(package, m, sector, income) == amount(per_month.get_text()) for m in run)
            assert amount(subtotal.get_text()) == len(run) * amount(per_month.get_text())
        assert block.select_one("tbody tr th").get_text().startswith(MONTHS[int(args["mulai"][5:]) - 1])
        assert months_in(block.select("tbody tr")[-1].th.get_text())[-1] == months[-1]


def test_benefits(built_site):
    benefits = data("benefits")
    page = html(built_site, "/perlindungan/")
    jkm = [amount(e.get_text()) for e in page.select('[data-kkbc="jkm-manfaat"] .kkbc-angka')]
    assert jkm == [r["amount"] for r in benefits["jkm"]["rows"]] + [benefits["jkm"]["total"]]
    assert sum(jkm[:-1]) == jkm[-1] == 42_000_000
    scholarship = benefits["beasiswa"]
    per_year = [amount(e.get_text()) for e in page.select('[data-kkbc="beasiswa"] [data-kkbc="beasiswa"]')]
    assert per_year == [lv["per_year"] for lv in scholarship["levels"]]
    most = amount(page.select_one('[data-kkbc="beasiswa-maks"]').get_text())
    assert most == scholarship["max_total"] == 174_000_000
    assert most == scholarship["max_children"] * sum(lv["per_year"] * lv["max_years"] for lv in scholarship["levels"])
    jkk = [amount(e.get_text()) for e in page.select('[data-kkbc="jkk-manfaat"] .kkbc-angka')]
    assert jkk == [r["max"] for r in benefits["jkk"]["rows"] if "max" in r]
    jht = [amount(e.get_text()) for e in page.select('[data-kkbc="jht-klaim"] .kkbc-angka')]
    assert jht == [c["max"] for c in benefits["jht"]["channels"] if "max" in c] + [benefits["jht"]["npwp_above"]]
    for element in html(built_site, "/").select('[data-kkbc="jkm-total"]'):
        assert amount(element.get_text()) == benefits["jkm"]["total"]


def test_cooperative_member_counts(built_site):
    for coop in data("cooperatives")["cooperatives"]:
        shown = html(built_site, f"/koperasi/{coop['slug']}/").select_one('[data-kkbc="koperasi-anggota"]')
        assert amount(shown.get_text()) == coop["members"]


def test_no_amount_typed_by_hand(built_site, pages):
    """Every rupiah figure on a page comes from a data marker."""
    for path in pages:
        article = html(built_site, path).select_one("article")
        for marked in article.select("[data-kkbc]"):
            marked.decompose()
        stray = re.findall(r"Rp\s?\d[\d.]*", article.get_text(" "))
        assert stray == [], f"{path}: {stray}"


def test_nothing_unverified_is_published(built_site, pages):
    """Figures FACTS.md marks as unverified or contested stay off the site."""
    for path in pages:
        text = html(built_site, path).select_one("article").get_text(" ")
        for phrase in ("258", "201.000", "70%", "70 %", "UU 3/2013", "65 tahun", "200.000 anggota"):
            assert phrase not in text, f"{path}: {phrase}"


def test_every_jkk_label_is_whole(built_site):
    """An unquoted comma in YAML flow style turned half a label into a key."""
    for row in data("benefits")["jkk"]["rows"]:
        assert set(row) <= {"label", "max", "text"} and None not in row.values(), row
    cells = [th.get_text() for th in html(built_site, "/perlindungan/").select('[data-kkbc="jkk-manfaat"] tbody th')]
    assert "Ongkos angkutan darat, sungai atau danau" in cells


def test_when_each_discount_ends_and_the_price_after(built_site):
    """Home, cost, SHU and Q&A pages say, per sector, the cut's last month and the price after it."""
    cut = RATES["discounts"][0]
    for path in ("/", "/biaya/", "/tanya-jawab/"):
        block = html(built_site, path).select_one('[data-kkbc="potongan-akhir"]')
        assert block, path
        items = block.select("li")
        assert len(items) == len(cut["periods"])
        for item, (sector, period) in zip(items, cut["periods"].items()):
            last = period["last"]
            after = next_month(last)
            assert f"{MONTHS[int(last[5:]) - 1]} {last[:4]}" in item.get_text()
            assert f"Mulai {MONTHS[int(after[5:]) - 1]} {after[:4]}" in item.get_text()
            assert amount(item.select_one(".kkbc-angka").get_text()) == cost("jkk-jkm", after, sector)
        # The contribution figures' source, under the block itself (render_iuran.rates_source).
        assert block.select_one(".kkbc-sumber a[href*=antaranews]"), path


@pytest.mark.parametrize("rat", ["2027-02", "2027-03", "2027-04"])
def test_after_a_rat_each_sector_pays_what_the_rates_say(built_site, rat):
    """SHU of book year 2026 is paid after a RAT of February to June 2027: a transport
    member's early RAT still buys cut months, another member's does not. Each claim
    per sector is compared with the months walked here from data/rates.yml."""
    for path in ("/shu/", "/untuk-koperasi/", "/kalkulator/"):
        block = html(built_site, path).select_one('[data-kkbc="sesudah-rat"]')
        assert block and block.select_one(".kkbc-sumber a[href*=antaranews]"), path
        for sector in SECTORS:
            shown = []
            for span in block.select(f'[data-sektor="{sector}"][data-rat="{rat}"] [data-kkbc="sesudah-rat"]'):
                ym = span["data-dari"]
                while ym <= span["data-sampai"]:
                    shown.append((ym, amount(span.get_text())))
                    ym = next_month(ym)
            # Consecutive months from the one after the RAT, each at the price our own walk gives...
            months = [next_month(rat)]
            while len(months) < len(shown):
                months.append(next_month(months[-1]))
            assert shown == [(m, cost("jkk-jkm", m, sector)) for m in months], (path, sector, rat)
            # ...ending at the full rate, which then holds for two years.
            full = shown[-1][1]
            later = [next_month(months[-1])]
            while len(later) < 24:
                later.append(next_month(later[-1]))
            assert all(cost("jkk-jkm", m, sector) == full for m in later), (path, sector, rat)
            expected = shown
            # The sentence for the sector says a cut month remains exactly when one does.
            item = " ".join(block.select_one(f'li[data-sektor="{sector}"]').get_text(" ").split())
            cut_left = any(c < full for _, c in expected)
            rats_with_cut = item.split("Bila RAT diadakan ", 1)[1].split(",")[0] if "Bila RAT" in item else ""
            assert (f"{MONTHS[int(rat[5:]) - 1]} {rat[:4]}" in rats_with_cut) == cut_left, (path, sector, rat, item)
    # No page says the cut has ended for everyone by the RAT.
    for path in ("/shu/", "/untuk-koperasi/", "/kalkulator/"):
        text = html(built_site, path).select_one("article").get_text(" ")
        assert "potongan iuran dari pemerintah sudah selesai" not in text, path


def test_shu_examples_start_after_the_rat_at_the_full_rate(built_site):
    """The next SHU is paid after RATs of February-June: examples start April or later,
    once every cut has ended, and the page says why."""
    last_cut = max(p["last"] for d in RATES["discounts"] for p in d["periods"].values())
    for path, args in calculator_examples():
        assert args["mulai"] > last_cut and args["mulai"][5:] >= "04", (path, args)
    for path in ("/shu/", "/kalkulator/"):
        text = html(built_site, path).select_one("article").get_text(" ")
        assert "RAT" in text and "iuran normal" in text


def test_every_figure_page_cites_its_source(built_site, pages):
    """A page that shows a figure from data/ has a source line or citation on that page."""
    for path in pages:
        article = html(built_site, path).select_one("article")
        # The download's size and date describe the zip, not a fact.
        if [e for e in article.select(".kkbc-angka") if not e["data-kkbc"].startswith("unduh-")]:
            assert article.select(".kkbc-sumber a[href^='http']"), path
