"""Build the information site: ``python scripts/build_site.py [OUTPUT_DIR]``.

1. the offline copy (mkdocs-offline.yml), zipped with its build date;
2. the site itself (mkdocs.yml, strict) into OUTPUT_DIR (default site/),
   with the zip at unduh/kkbc-situs-offline.zip;
3. critical CSS (kkbc/critical_css.py): every page of the site carries the
   theme rules it uses inline, so it paints from its first response (the
   offline copy, read from disk, keeps its links);
4. ``python -m whitenoise.compress`` last, so the portal can serve the
   .gz/.br variants of every file, the zip's page included.

The theme's source maps are left out of both: readers never fetch them.

The offline copy goes first so the download page can state the zip's size.
The portal's own inline CSS is drawn from this site's theme afterwards, by
the portal (``python scripts/portal_css.py``): this build never loads the
web application.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the core package, when it is run from a checkout

from kkbc import critical_css  # noqa: E402
from kkbc.site import OFFLINE_ZIP, PUBLIC_URL  # noqa: E402

# Theme files a reader never loads from disk: source maps, mkdocs' gzipped
# sitemap, and lunr's language packs (the search index is built for "en",
# which needs none). Leaving them out keeps the zip small on a data pack.
def unused_offline(rel: str) -> bool:
    return rel.endswith((".map", ".gz")) or rel.startswith("assets/javascripts/lunr/")

# URL paths served by the portal: a page built there would hide a portal route.
PORTAL_PATHS = ("daftar", "k", "kelola", "admin", "healthz", "portal-static")

README = """Kerja Keras Bebas Cemas: salinan situs untuk dibaca tanpa internet.
Dibuat pada {built}.

Buka file index.html di folder ini dengan peramban (browser).
Formulir minat hanya ada di internet: {url}daftar/
"""


def mkdocs(config: str, out: Path, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                    "-f", config, "-d", str(out)], cwd=ROOT, env=env, check=True)


def write_zip(folder: Path, target: Path, built: date, url: str) -> None:
    """Zip the offline copy under one dated folder, with a short read-me."""
    top = f"{OFFLINE_ZIP.removesuffix('.zip')}-{built.isoformat()}"
    stamp = (built.year, built.month, built.day, 0, 0, 0)

    def add(zf, name, data):
        info = zipfile.ZipInfo(f"{top}/{name}", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)

    with zipfile.ZipFile(target, "w") as zf:
        add(zf, "BACA-SAYA.txt", README.format(built=built.isoformat(), url=url))
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if not unused_offline(rel):
                add(zf, rel, path.read_bytes())


def inline_critical_css(out: Path) -> None:
    """Inline each page's critical CSS."""
    critical_css.inline_site(out, critical_css.theme_files(out))


def check_portal_paths(out: Path) -> None:
    clash = [p for p in PORTAL_PATHS if (out / p).exists()]
    if clash:
        sys.exit(f"site pages at portal paths: {', '.join(clash)}")


def build(out: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    url = (env.get("PUBLIC_URL") or PUBLIC_URL).rstrip("/") + "/"
    built = date.today()
    with tempfile.TemporaryDirectory(prefix="kkbc-offline-") as tmp:
        offline, archive = Path(tmp) / "situs", Path(tmp) / OFFLINE_ZIP
        mkdocs("mkdocs-offline.yml", offline, env)
        write_zip(offline, archive, built, url)
        mkdocs("mkdocs.yml", out, dict(env, KKBC_OFFLINE_ZIP=str(archive)))
        check_portal_paths(out)
        # Theme source maps: never fetched by a reader, and a third of the
        # compression step's work.
        for source_map in out.rglob("*.map"):
            source_map.unlink()
        (out / "unduh").mkdir(exist_ok=True)
        shutil.copyfile(archive, out / "unduh" / OFFLINE_ZIP)
    inline_critical_css(out)
    subprocess.run([sys.executable, "-m", "whitenoise.compress", "--quiet", str(out)], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=str(ROOT / "site"),
                        help="where to write the site (default: site/)")
    out = Path(parser.parse_args().output).resolve()
    start = time.monotonic()
    try:
        build(out)
    except subprocess.CalledProcessError as e:
        sys.exit(f"build failed: {' '.join(map(str, e.cmd))}")
    print(f"site built in {out} ({time.monotonic() - start:.1f} s)")


if __name__ == "__main__":
    main()
