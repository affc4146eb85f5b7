"""Markers for contributions: rates, the PP 50/2025 cut, costs and the SHU calculator.

Every amount is computed by kkbc.rates, month by month with the rate in
force that month; nothing here repeats that arithmetic.

"This month" is the build month only for readers without JavaScript, and the
page says so. Every such block carries ``data-kkbc-kini`` and the page embeds
data/rates.yml, so assets/javascripts/iuran.js recomputes it on the reader's
phone for the current WITA month: a figure stays true without a rebuild.
"""
from __future__ import annotations

import json
from html import escape

from mkdocs.exceptions import PluginError

from kkbc import data, rates
from kkbc.formatting import rupiah
from kkbc.rates import Month
from render_common import block, cite_url, cites, source_line, table, tanggal, value

CHECK_OFFICE = ("Angka ini dari berita dan keterangan pejabat BPJS Ketenagakerjaan. "
                "Pastikan jumlahnya di kantor BPJS Ketenagakerjaan sebelum membayar.")


IURAN_JS = "assets/javascripts/iuran.js"


def check_office(ctx) -> str:
    """CHECK_OFFICE under the first block of figures on a page only: once is enough."""
    first = not ctx.page.meta.get("kkbc_rates_cited")
    ctx.page.meta["kkbc_rates_cited"] = True
    return CHECK_OFFICE if first else ""


def rates_source(ctx) -> str:
    """The short source line under every block that shows contribution figures."""
    d = data.rates()["discounts"][0]
    return source_line(["PP 44/2015, terakhir diubah PP 49/2023 (iuran normal)",
                        f'{escape(d["name"])}, {tanggal(d["signed"])} (potongan)', cites(data.rates()["sources"])],
                       check_office(ctx))


def computed_for(month: Month) -> str:
    """What a reader without JavaScript learns about when the figures were made."""
    return (f'<p class="kkbc-dihitung" data-kkbc-kini="dihitung">Angka "bulan ini" dihitung untuk '
            f'<strong>{month.label()}</strong>, saat halaman dibuat. Sudah lewat bulan itu? '
            f'Lihat bulan Anda di tabel bulan demi bulan, di halaman ini atau di Biaya iuran.</p>')


def with_rates(ctx) -> str:
    """The rates for iuran.js, embedded once per page (a file:// page cannot fetch them)."""
    scripts = ctx.page.meta.setdefault("kkbc_scripts", [])
    if IURAN_JS in scripts:
        return ""
    scripts.insert(0, IURAN_JS)
    return f'<script type="application/json" id="kkbc-iuran">{rates_json()}</script>'


def month_arg(text: str | None, default: Month) -> Month:
    return Month.parse(text) if text else default


def package(name: str) -> dict:
    packages = data.rates()["packages"]
    if name not in packages:
        raise PluginError(f"unknown package '{name}' (data/rates.yml)")
    return packages[name]


def sector(name: str) -> str:
    sectors = data.rates()["sectors"]
    if name not in sectors:
        raise PluginError(f"unknown sector '{name}' (data/rates.yml)")
    return sectors[name]


def short_sector(name: str) -> str:
    """A sector's label without its examples, for narrow table cells."""
    return sector(name).split(" (")[0]


def minimum_income() -> int:
    return data.rates()["minimum_income"]


def normal_month() -> Month:
    """A month with no temporary cut: the month after the last cut ends."""
    ends = [Month.parse(p["last"]) for d in data.rates().get("discounts", [])
            for p in d["periods"].values()]
    return max(ends).next() if ends else rates.this_month()


def first_discounted(sector_name: str = "lainnya") -> Month:
    """The first month of the cut for a sector (the calculator's example month)."""
    for d in data.rates().get("discounts", []):
        if sector_name in d["periods"]:
            return Month.parse(d["periods"][sector_name]["first"])
    raise PluginError(f"no discount period for sector '{sector_name}'")


# The month-by-month walk and its runs of equal cost are kkbc.rates' (rates.runs,
# rates.count_months), as the portal's conversion sheet, RAT pack and posters use them.
runs, count = rates.runs, rates.count_months


def period(first: Month, last: Month) -> str:
    return first.label() if first == last else f"{first.label()} sampai {last.label()}"


# --- inline figures ---------------------------------------------------------

def cost_now(ctx) -> str:
    month = rates.this_month()
    items = []
    for key, label in data.rates()["sectors"].items():
        cost = rates.monthly_cost("jkk-jkm", month, key)
        items.append(f'<li>{escape(label)}: <strong><span class="kkbc-angka" data-kkbc="cost-now" '
                     f'data-kkbc-sektor="{key}">{rupiah(cost)}</span> per bulan</strong> '
                     f'(<span data-kkbc-kini="bulan">{month.label()}</span>)</li>')
    return block("cost-now", f'<ul data-kkbc-kini="cost-now" data-paket="jkk-jkm">{"".join(items)}</ul>'
                 + computed_for(month) + rates_source(ctx) + with_rates(ctx))


def potongan_akhir(ctx, paket: str = "jkk-jkm") -> str:
    """Per sector: until which month the cut runs, and the price after it, with the source."""
    package(paket)
    d = data.rates()["discounts"][0]
    items = []
    for key, p in d["periods"].items():
        first, last = Month.parse(p["first"]), Month.parse(p["last"])
        after = last.next()
        items.append(
            f"<li><strong>{escape(short_sector(key))}</strong>: potongan berlaku {period(first, last)}. "
            f"Mulai {after.label()} iurannya "
            f"{value('potongan-akhir', rupiah(rates.monthly_cost(paket, after, key)))} per bulan.</li>")
    return block("potongan-akhir", f"<ul>{''.join(items)}</ul>"
                 + rates_source(ctx))


def iuran_normal(ctx, paket: str = "jkk-jkm") -> str:
    package(paket)
    return value("iuran-normal", rupiah(rates.monthly_cost(paket, normal_month(), "lainnya")))


def iuran_normal_sejak(ctx) -> str:
    """A sentence: the month the normal contribution holds again from, per sector."""
    since = [f"{value('iuran-normal-sejak', cut_end(key).next().label())} untuk {short_sector(key).lower()}"
             for key in data.rates()["sectors"]]
    return f"Iuran normal berlaku lagi mulai {' dan '.join(since)}."


def cut_end(sector_name: str) -> Month:
    """The last month of any cut for a sector (the month before the normal rate returns)."""
    ends = [Month.parse(d["periods"][sector_name]["last"]) for d in data.rates().get("discounts", [])
            if sector_name in d["periods"]]
    if not ends:
        raise PluginError(f"no discount period for sector '{sector_name}'")
    return max(ends)


# A book year's RAT meets from February to June of the next year: the RAT that
# takes the board's report sits within six months of the year's end (UU 25/1992 Pasal 26).
RAT_MONTHS = range(2, 7)


def after_rat(rat: Month, sektor: str, paket: str) -> list[tuple[Month, Month, int]]:
    """The months after a RAT up to the first at the normal rate, grouped by price."""
    months = [rat.next()]
    while months[-1] < normal_month():
        months.append(months[-1].next())
    return runs(months, lambda m: rates.monthly_cost(paket, m, sektor))


def price_from(first: Month, last: Month, cost: int) -> str:
    return (f'<span class="kkbc-angka" data-kkbc="sesudah-rat" data-dari="{first}" data-sampai="{last}">'
            f'{rupiah(cost)}</span>')


def sesudah_rat(ctx, tahun: str, paket: str = "jkk-jkm") -> str:
    """Per sector and per RAT month, what the months paid from a book year's SHU cost:
    a cut can outlast an early RAT in one sector and not in another."""
    package(paket)
    sectors = data.rates()["sectors"]
    rats = [Month(int(tahun) + 1, m) for m in RAT_MONTHS]
    items, rows = [], [[r.label()] for r in rats]
    for key in sectors:
        end, normal = cut_end(key), rates.monthly_cost(paket, normal_month(), key)
        cut_rats = [r for r in rats if r.next() <= end]
        text = f"<strong>{escape(short_sector(key))}</strong>: potongan berlaku sampai {end.label()}. "
        if cut_rats:
            text += (f"Bila RAT diadakan {period(cut_rats[0], cut_rats[-1])}, bulan sesudah RAT sampai "
                     f"{end.label()} masih {value('sesudah-rat', rupiah(rates.monthly_cost(paket, end, key)))}. "
                     f"Sesudah itu {value('sesudah-rat', rupiah(normal))}.")
        else:
            text += f"Semua bulan sesudah RAT memakai iuran normal, {value('sesudah-rat', rupiah(normal))}."
        items.append(f'<li data-sektor="{key}">{text}</li>')
        for row, rat in zip(rows, rats):
            parts = after_rat(rat, key, paket)
            if len(parts) == 1:
                cell = f"{price_from(*parts[0])} sejak bulan pertama"
            else:
                cell = "; ".join(f"{period(a, b)}: {price_from(a, b, c)}" for a, b, c in parts[:-1])
                cell += f"; mulai {parts[-1][0].label()}: {price_from(*parts[-1])}"
            row.append(f'<span data-sektor="{key}" data-rat="{rat}">{cell}</span>')
    html = (f"<ul>{''.join(items)}</ul>" + table(
        f"Iuran {escape(package(paket)['label'])} per bulan sesudah RAT tahun buku {tahun}, "
        f"pada penghasilan {rupiah(minimum_income())}",
        ["Bulan RAT"] + [escape(short_sector(k)) for k in sectors], rows))
    return block("sesudah-rat", html + rates_source(ctx))


def iuran_potong(ctx, paket: str = "jkk-jkm") -> str:
    package(paket)
    month = first_discounted()
    return value("iuran-potong", rupiah(rates.monthly_cost(paket, month, "lainnya")))


def penghasilan_minimum(ctx) -> str:
    return value("penghasilan-minimum", rupiah(minimum_income()))


def potongan_persen(ctx) -> str:
    d = data.rates()["discounts"][0]
    return value("potongan-persen", f"{100 - d['percent']}%")


def potongan_periode(ctx, sektor: str = "lainnya") -> str:
    sector(sektor)
    p = data.rates()["discounts"][0]["periods"][sektor]
    return value("potongan-periode", period(Month.parse(p["first"]), Month.parse(p["last"])))


# --- tables -----------------------------------------------------------------

def iuran_program(ctx) -> str:
    """Each programme's normal contribution, at the lowest declared income."""
    spec = data.rates()
    month, low = normal_month(), minimum_income()
    rows, bases, links = [], [], []
    for key, p in spec["programmes"].items():
        amount = rates.programme_cost(key, month, "lainnya", low)
        if "flat" in p:
            how = f"{value('iuran-program', rupiah(amount))}, sama untuk semua"
        else:
            how = (f"{p['percent_of_income']}% dari penghasilan yang dilaporkan: "
                   f"{value('iuran-program', rupiah(amount))} pada penghasilan "
                   f"{value('penghasilan-minimum', rupiah(low))}")
        rows.append([f"{key.upper()}<br><small>{escape(p['name'])}</small>", how])
        bases.append(f'{escape(p["basis"])} ({key.upper()})')
        if p["source"] not in links:
            links.append(p["source"])
    return block("iuran-program", table(
        "Iuran normal per bulan untuk pekerja mandiri (BPU)", ["Program", "Iuran per bulan"], rows)
        + f"<p>{iuran_normal_sejak(ctx)}</p>"
        + source_line(bases + [cite_url(u) for u in links], check_office(ctx)))


def iuran_potongan(ctx) -> str:
    """The temporary cut: which months, for whom, and what it costs then."""
    out = []
    for d in data.rates().get("discounts", []):
        rows = []
        for key, p in d["periods"].items():
            first, last = Month.parse(p["first"]), Month.parse(p["last"])
            rows.append([
                escape(short_sector(key)),
                f"{period(first, last)} ({count(first, last)} bulan)",
                value("iuran-potong", rupiah(rates.monthly_cost("jkk-jkm", first, key))),
            ])
        programmes = " dan ".join(x.upper() for x in d["programmes"])
        out.append(table(
            f"Potongan {100 - d['percent']}% iuran {programmes} ({escape(d['name'])})",
            ["Pekerjaan", "Bulan dengan potongan", "Iuran JKK + JKM per bulan"], rows))
        out.append(source_line([f'{escape(d["name"])} tentang {escape(d["title"])}, '
                                f'ditandatangani {tanggal(d["signed"])}', cite_url(d["source"])],
                               check_office(ctx)))
    return block("iuran-potongan", "".join(out))


def iuran_bulanan(ctx, paket: str = "jkk-jkm", dari: str | None = None, bulan: str = "12") -> str:
    """Month by month cost for each sector, consecutive equal months grouped."""
    label = package(paket)["label"]
    start = month_arg(dari, rates.this_month())
    months = [start]
    # Show at least `bulan` months and always reach the first month after every cut.
    while len(months) < int(bulan) or months[-1] < normal_month():
        months.append(months[-1].next())
    sectors = data.rates()["sectors"]

    def costs(m):
        return tuple(rates.monthly_cost(paket, m, s) for s in sectors)

    rows = []
    for first, last, values in runs(months, costs):
        when = period(first, last)
        if last == months[-1] and first >= normal_month():
            when = f"{first.label()} dan seterusnya"
        rows.append([when] + [value("iuran-bulanan", rupiah(v)) for v in values])
    head = ["Bulan"] + [escape(short_sector(s)) for s in sectors]
    html = table(f"Iuran {escape(label)} per bulan, pada penghasilan {rupiah(minimum_income())}",
                 head, rows)
    if dari is None:  # starts "now": iuran.js starts it at the reader's month
        html = html.replace("<table>", f'<table data-kkbc-kini="bulanan" data-paket="{paket}" '
                                       f'data-bulan="{bulan}">', 1) + with_rates(ctx)
    return block(f"iuran-bulanan-{paket}", html + rates_source(ctx))


def iuran_tahunan(ctx, paket: str = "jkk-jkm", tahun: str | None = None) -> str:
    """A calendar year's total: the sum of its twelve months, shown with its parts."""
    label = package(paket)["label"]
    first_year = int(tahun) if tahun else rates.this_month().year
    rows = []
    for key in data.rates()["sectors"]:
        cells = [escape(short_sector(key))]
        for year in (first_year, first_year + 1):
            months = [Month(year, m) for m in range(1, 13)]
            parts = runs(months, lambda m: rates.monthly_cost(paket, m, key))
            total = rates.yearly_cost(paket, year, key)
            sums = " + ".join(f"{count(a, b)} × {rupiah(v)}" for a, b, v in parts)
            cells.append(f"<strong>{value('iuran-tahunan', rupiah(total))}</strong><br><small>{sums}</small>")
        rows.append(cells)
    html = table(
        f"Iuran {escape(label)} satu tahun (Januari sampai Desember), pada penghasilan {rupiah(minimum_income())}",
        ["Pekerjaan", str(first_year), str(first_year + 1)], rows)
    if tahun is None:  # this year and the next, as the reader's phone counts them
        html = html.replace("<table>", f'<table data-kkbc-kini="tahunan" data-paket="{paket}">', 1) + with_rates(ctx)
    return block(f"iuran-tahunan-{paket}", html + rates_source(ctx))


# --- SHU calculator ---------------------------------------------------------

def cover_table(amount: int, paket: str, start: Month, sektor: str, income: int, name: str) -> str:
    """What an amount pays for, as the calculator shows it: a sentence and a table."""
    cover = rates.months_of_cover(amount, paket, start, sektor, income)
    label = escape(package(paket)["label"])
    if not cover.months:
        first = rates.monthly_cost(paket, start, sektor, income)
        return (f"<p>{rupiah(amount)} belum cukup untuk iuran satu bulan "
                f"({rupiah(first)} pada {start.label()}).</p>")
    months = rates.months_from(start, cover.months)
    rows = []
    for first, last, cost in runs(months, lambda m: rates.monthly_cost(paket, m, sektor, income)):
        n = count(first, last)
        rows.append([f"{period(first, last)} ({n} bulan)", value(name, rupiah(cost)), value(name, rupiah(n * cost))])
    summary = (f"<p>{value(name, rupiah(amount))} membayar <strong>{value(name, str(cover.months))} bulan</strong> "
               f"{label}, dari {start.label()} sampai <strong>{cover.last.label()}</strong>. "
               f"Sisa {value(name, rupiah(cover.left_over))}.</p>")
    return summary + table("Rincian per bulan, dengan iuran yang berlaku tiap bulan",
                           ["Bulan", "Iuran per bulan", "Jumlah"], rows,
                           [f"Total ({cover.months} bulan)", "", value(name, rupiah(cover.paid))])


def kalkulator_contoh(ctx, shu: str, persen: str, mulai: str, sektor: str = "lainnya",
                      paket: str = "jkk-jkm", penghasilan: str | None = None) -> str:
    """A worked example, also what readers without JavaScript see."""
    package(paket)
    who = sector(sektor)
    income = int(penghasilan) if penghasilan else minimum_income()
    amount = int(shu) * int(persen) // 100
    intro = (f"<p><strong>Contoh:</strong> SHU {value('kalkulator-contoh', rupiah(int(shu)))}, "
             f"{persen}% dipakai untuk iuran, jadi {value('kalkulator-contoh', rupiah(amount))}. "
             f"Pekerjaan: {escape(who.lower())}. Mulai {Month.parse(mulai).label()}")
    if penghasilan:
        intro += f", penghasilan yang dilaporkan {value('kalkulator-contoh', rupiah(income))}"
    intro += ".</p>"
    return block("kalkulator-contoh", intro + cover_table(
        amount, paket, Month.parse(mulai), sektor, income, "kalkulator-contoh") + rates_source(ctx))


def rates_json() -> str:
    """data/rates.yml for the browser; '</' is escaped so it cannot end the script element."""
    spec = data.rates()
    doc = {k: spec[k] for k in ("minimum_income", "programmes", "packages", "sectors", "discounts")}
    text = json.dumps(doc, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.replace("</", "<\\/")


START_BEFORE, START_AFTER = 12, 36  # months the calculator offers around "now"


def start_months(now: Month) -> list[Month]:
    """Every start month the calculator offers (kalkulator.js makes the same list on the phone)."""
    first = now.year * 12 + now.month - 1 - START_BEFORE
    return [Month(i // 12, i % 12 + 1) for i in range(first, first + START_BEFORE + START_AFTER + 1)]


def kalkulator(ctx) -> str:
    """The calculator form; kalkulator.js unhides and runs it. Nothing is submitted."""
    embedded = with_rates(ctx)
    ctx.page.meta["kkbc_scripts"].append("assets/javascripts/kalkulator.js")
    spec = data.rates()
    start = rates.this_month()
    packages = "".join(
        f'<div class="kkbc-pilihan"><input type="radio" name="paket" id="k-paket-{k}" value="{k}"'
        f'{" checked" if i == 0 else ""}><label for="k-paket-{k}">{escape(p["label"])}</label></div>'
        for i, (k, p) in enumerate(spec["packages"].items()))
    sectors = "".join(
        f'<div class="kkbc-pilihan"><input type="radio" name="sektor" id="k-sektor-{k}" value="{k}"'
        f'{" checked" if k == "lainnya" else ""}><label for="k-sektor-{k}">{escape(s)}</label></div>'
        for k, s in spec["sectors"].items())
    month_options = "".join(
        f'<option value="{m}"{" selected" if m == start else ""}>{m.label()}</option>'
        for m in start_months(start))
    low = rupiah(minimum_income())
    html = f"""<form class="kkbc-kalkulator" id="kalkulator" hidden novalidate>
<p>Semua hitungan terjadi di ponsel Anda. Tidak ada yang dikirim.</p>
<div class="kkbc-isian"><label for="k-shu">SHU Anda (rupiah)</label>
<input type="text" id="k-shu" name="shu" inputmode="numeric" autocomplete="off" aria-describedby="k-shu-galat">
<p class="kkbc-galat" id="k-shu-galat"></p></div>
<fieldset><legend>Bagian SHU untuk iuran</legend>
<div class="kkbc-pilihan"><input type="radio" name="cara" id="k-cara-persen" value="persen" checked><label for="k-cara-persen">Dalam persen</label></div>
<div class="kkbc-pilihan"><input type="radio" name="cara" id="k-cara-rupiah" value="rupiah"><label for="k-cara-rupiah">Dalam rupiah</label></div>
<div class="kkbc-isian"><label for="k-bagian">Berapa persen dari SHU</label>
<input type="text" id="k-bagian" name="bagian" inputmode="numeric" autocomplete="off" value="50" aria-describedby="k-bagian-galat">
<p class="kkbc-galat" id="k-bagian-galat"></p></div></fieldset>
<fieldset><legend>Perlindungan</legend>{packages}</fieldset>
<div class="kkbc-isian"><label for="k-penghasilan">Penghasilan per bulan yang Anda laporkan (rupiah)</label>
<input type="text" id="k-penghasilan" name="penghasilan" inputmode="numeric" autocomplete="off" value="{minimum_income()}" aria-describedby="k-penghasilan-info k-penghasilan-galat k-penghasilan-catatan">
<p class="kkbc-info" id="k-penghasilan-info">Paling rendah {value("penghasilan-minimum", low)}. Iuran JKK dan JHT dihitung dari angka ini. Kantor BPJS Ketenagakerjaan memastikan tingkat penghasilan yang dipakai.</p>
<p class="kkbc-galat" id="k-penghasilan-galat"></p>
<p class="kkbc-catatan" id="k-penghasilan-catatan" aria-live="polite"></p></div>
<div class="kkbc-isian"><label for="k-mulai">Mulai dilindungi (bulan dan tahun)</label>
<select id="k-mulai" name="mulai" aria-describedby="k-mulai-info">{month_options}</select>
<p class="kkbc-info" id="k-mulai-info">Bila iuran dibayar dari SHU, bulan pertama biasanya sesudah RAT (Rapat Anggota Tahunan).</p></div>
<fieldset><legend>Pekerjaan</legend>{sectors}</fieldset>
<button type="submit" class="md-button md-button--primary">Hitung</button>
</form>
<div id="kalkulator-hasil" class="kkbc-hasil"><p id="kalkulator-ringkasan" aria-live="polite"></p><div id="kalkulator-rincian"></div></div>
{embedded}"""
    return block("kalkulator", html + rates_source(ctx))
