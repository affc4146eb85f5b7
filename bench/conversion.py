"""How long the conversion sheet takes, and how much memory it needs, for the
largest partner's whole SHU list (Pintu Air: 444.425 members, data/cooperatives.yml)
with a few thousand consents. Run: .venv/bin/python bench/conversion.py"""
from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kkbc import data  # noqa: E402
from kkbc.rates import Month  # noqa: E402
from portal import consent, create_app, rat
from portal.rat import conversion  # noqa: E402
from portal.extensions import db  # noqa: E402

MEMBERS = data.cooperatives()["pintu-air"].members
CONSENTS = 3000


def main() -> None:
    rng = random.Random(1)
    lines = ["Nomor anggota;SHU"] + [f"PA-{n:06d};{rng.randrange(50, 5000) * 1000}" for n in range(1, MEMBERS + 1)]
    content = ("\n".join(lines) + "\n").encode()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
                          "SITE_DIR": tmp})
        with app.app_context():
            db.create_all()
            for n in range(1, CONSENTS + 1):
                chosen = {"koperasi": "pintu-air", "kabupaten": "53.07", "pekerjaan": "petani", "usia_18": True,
                          "program": "jkk-jkm", "shu": "setuju", "shu_cara": "persen", "shu_nilai": 50,
                          "setuju_dihubungi": False, "kontak": [], "setuju_data": True}
                values = {"name": f"Anggota {n}", "phone": f"+62812{10_000_000 + n}",
                          "member_number": f"PA-{n * 100:06d}", "other_cooperative": None, "chosen": chosen}
                consent.submit(key=f"bench-{n}", source={}, **values)
            record = rat.new_draft("pintu-air", 2026, "bench")
            record.allowance = "pilihan"
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            amounts = conversion.read(content)
            read = time.perf_counter() - start
            sheet = conversion.make(record, amounts, Month(2027, 4))
            made = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"SHU list: {MEMBERS:,} rows, {len(content) / 1e6:.1f} MB; consents: {CONSENTS:,}; "
          f"matched: {sheet.count:,}")
    print(f"read: {read:.1f} s; read + join + months: {made:.1f} s; "
          f"peak memory {peak / 1024:.0f} MB (+{(peak - before) / 1024:.0f} MB during the sheet)")


if __name__ == "__main__":
    main()
