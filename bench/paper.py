"""Paper forms and their import: how long a spreadsheet of the largest size
allowed takes to check and to store. Runs on a throwaway SQLite database.

    .venv/bin/python bench/paper.py
"""
from __future__ import annotations

import csv
import io
import tempfile
import time
from pathlib import Path

from kkbc.site import PUBLIC_URL
from portal import create_app
from portal.outreach import imports, paper
from portal.extensions import db


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "SITE_DIR": tmp,
                          "PUBLIC_URL": PUBLIC_URL})
        with app.app_context():
            from flask_migrate import upgrade
            upgrade()
            rows = imports.MAX_ROWS
            numbers = []
            for _ in range(rows // paper.MAX_BATCH):
                numbers += [f.number for f in paper.create_batch("pintu-air", paper.MAX_BATCH, "", None).forms]
            db.session.commit()
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(imports.columns().values())
            for i, number in enumerate(numbers):
                writer.writerow([paper.display(number), f"Anggota {i}", f"0812 {1000 + i // 1000:04d} {i % 10000:04d}",
                                 "", "Kabupaten Sikka", "Petani atau peternak", "Ya", "jkk-jkm", "Belum memutuskan",
                                 "", "", "", "", "", "", "Ya", "Cap jempol"])
            content = out.getvalue().encode()
            start = time.perf_counter()
            checked, problems = imports.check(content, "pintu-air")
            checked_s = time.perf_counter() - start
            assert not problems and all(r.values for r in checked), problems[:3]
            start = time.perf_counter()
            stored = imports.store(checked, "pintu-air", "bench")
            stored_s = time.perf_counter() - start
        print(f"file: {len(content) / 1024:.0f} KB, {rows} rows")
        print(f"check: {checked_s:.2f} s ({rows / checked_s:.0f} rows/s)")
        print(f"store: {stored_s:.2f} s ({rows / stored_s:.0f} rows/s), stored/refused/already = {stored}")


if __name__ == "__main__":
    main()
