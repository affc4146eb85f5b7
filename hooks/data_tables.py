"""Replace ``<!-- data:NAME key=value ... -->`` markers in pages with figures from ``data/``.

Numbers on the site are never typed by hand: each marker is rendered from the
same data and arithmetic the portal uses (kkbc.data, kkbc.rates). An
unknown marker or argument fails the build. The renderers live in the
render_*.py modules next to this file, one per subject.
"""
from __future__ import annotations

import inspect
import re
from types import SimpleNamespace

from mkdocs.exceptions import PluginError

import render_capaian as capaian
import render_info as info
import render_iuran as iuran
import render_koperasi as koperasi

MARKER = re.compile(r"<!--\s*data:([a-z0-9-]+)((?:\s+[a-z]+=[^\s>]+)*)\s*-->")

RENDERERS = {
    # contributions and the SHU calculator (render_iuran.py)
    "cost-now": iuran.cost_now,
    "iuran-normal": iuran.iuran_normal,
    "iuran-normal-sejak": iuran.iuran_normal_sejak,
    "iuran-potong": iuran.iuran_potong,
    "penghasilan-minimum": iuran.penghasilan_minimum,
    "potongan-persen": iuran.potongan_persen,
    "potongan-periode": iuran.potongan_periode,
    "iuran-program": iuran.iuran_program,
    "iuran-potongan": iuran.iuran_potongan,
    "potongan-akhir": iuran.potongan_akhir,
    "sesudah-rat": iuran.sesudah_rat,
    "iuran-bulanan": iuran.iuran_bulanan,
    "iuran-tahunan": iuran.iuran_tahunan,
    "kalkulator": iuran.kalkulator,
    "kalkulator-contoh": iuran.kalkulator_contoh,
    # cooperatives (render_koperasi.py)
    "koperasi-daftar": koperasi.koperasi_daftar,
    "koperasi-fakta": koperasi.koperasi_fakta,
    "tautan-formulir": koperasi.tautan_formulir,
    "contoh-keputusan": koperasi.contoh_keputusan,
    # benefits, privacy, sources, download (render_info.py)
    "jkm-manfaat": info.jkm_manfaat,
    "jkm-total": info.jkm_total_inline,
    "beasiswa": info.beasiswa,
    "beasiswa-maks": info.beasiswa_maks,
    "jkk-manfaat": info.jkk_manfaat,
    "jht-klaim": info.jht_klaim,
    "privasi-versi": info.privasi_versi,
    "privasi-retensi": info.privasi_retensi,
    "privasi-log": info.privasi_log,
    "privasi-pengendali": info.privasi_pengendali,
    "privasi-penerima": info.privasi_penerima,
    "privasi-data": info.privasi_data,
    "privasi-kontak": info.privasi_kontak,
    "sumber": info.sumber,
    "sumber-daftar": info.sumber_daftar,
    "unduh-offline": info.unduh_offline,
    # the campaign's published figures (render_capaian.py)
    "capaian": capaian.capaian,
}


def on_page_markdown(markdown, page, config, files):
    ctx = SimpleNamespace(page=page, config=config, files=files)

    def render(match):
        name, args = match.group(1), dict(a.split("=", 1) for a in match.group(2).split())
        if name not in RENDERERS:
            raise PluginError(f"{page.file.src_path}: unknown data marker '{name}'")
        renderer = RENDERERS[name]
        try:
            inspect.signature(renderer).bind(ctx, **args)
        except TypeError as e:
            raise PluginError(f"{page.file.src_path}: data marker '{name}': {e}") from None
        return renderer(ctx, **args)

    return MARKER.sub(render, markdown)
