"""A believable RAT season on an empty local database, to try the whole flow
before a real RAT: ``flask --app portal demo`` (or ``make demo``).

Members sign up through ``consent.submit`` like real ones; Pintu Air has a
final "diterima" RAT record and an SHU list to upload, written to
``instance/``; Obor Mas has a draft to finish. Never in production, and never
on a database that already holds data.
"""
from __future__ import annotations

import csv
import random
import secrets
from datetime import date, datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .staff import accounts, audit
from . import consent, rat
from .bpjs import demo as bpjs_demo
from .config import INSTANCE
from .extensions import db
from .models import RatRecord, Submission, User

ACTOR = "demo"
FIRST = ["Maria", "Yohanes", "Fransiska", "Paulus", "Agustina", "Petrus", "Yuliana", "Kornelis",
         "Theresia", "Aloysius", "Veronika", "Gregorius", "Elisabet", "Stefanus", "Katarina", "Yosef"]
LAST = ["Goreti", "Bosco", "Wae", "Wara", "Lering", "Moat", "Nong", "Dua", "Bura", "Sogen", "Meak", "Da Silva"]
OCCUPATIONS = ["petani"] * 5 + ["nelayan"] * 2 + ["penenun"] * 2 + ["pedagang"] * 2 + ["ojek", "buruh"]
SIKKA, FLORES_TIMUR = "53.07", "53.06"


def _answers(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.6:
        kind = rng.choice(["persen", "persen", "rupiah", "bulan"])
        value = {"persen": rng.choice([25, 30, 50, 50, 75]), "rupiah": rng.choice([150000, 200000, 300000]),
                 "bulan": rng.choice([3, 6, 12])}[kind]
        return {"shu": "setuju", "shu_cara": kind, "shu_nilai": value}
    return {"shu": "belum" if roll < 0.85 else "tidak", "shu_cara": None, "shu_nilai": None}


def _members(rng: random.Random, slug: str, prefix: str, count: int) -> list[Submission]:
    made = []
    for n in range(1, count + 1):
        contact = rng.random() < 0.8
        chosen = {"koperasi": slug, "kabupaten": rng.choice([SIKKA, SIKKA, FLORES_TIMUR]),
                  "pekerjaan": rng.choice(OCCUPATIONS), "usia_18": True,
                  "program": "jkk-jkm" if rng.random() < 0.8 else "jkk-jkm-jht", **_answers(rng),
                  "setuju_dihubungi": contact, "kontak": ["whatsapp"] if contact else [], "setuju_data": True}
        values = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "phone": f"+62812{rng.randrange(10**7, 10**8)}",
                  "member_number": f"{prefix}-{10000 + n}", "other_cooperative": None, "chosen": chosen}
        stored = consent.submit(key=consent.idempotency_key(f"demo-{slug}-{n}", values),
                                source={"jalur": "tautan", "koperasi": slug}, collection={"channel": "daring"},
                                **values)
        made.append(db.session.get(Submission, stored.id))
    return made


def _rat(slug: str, held: date | None, final: bool) -> RatRecord:
    record = rat.new_draft(slug, 2026, ACTOR)
    values = {"place": "Aula kantor pusat", "allowance": "persen", "allowance_value": 50,
              "quorum_rule": "Lebih dari separuh utusan anggota hadir (contoh: sesuaikan dengan AD/ART)",
              "held_on": held}
    if final:
        # What a RAT would have filled in the draft's [brackets].
        filled = {"[...]": "50", "[JKK dan JKM / JKK, JKM dan JHT]": "JKK dan JKM", "[bulan dan tahun]": "April 2027",
                  "[dibayarkan kepada anggota / disimpan sebagai simpanan anggota]": "dibayarkan kepada anggota",
                  "[dibayarkan kepada anggota]": "dibayarkan kepada anggota", "[tanggal]": "13 Maret 2027",
                  "[tempat]": "Nita", "[nama dan tanda tangan]": "Paulus Wara (contoh)"}
        proposal = record.proposal
        for blank, text in filled.items():
            proposal = proposal.replace(blank, text)
        values.update(proposal=proposal, present=214, quorum_met=True, votes_for=171, votes_against=28, votes_abstain=12,
                      votes_invalid=3, outcome=rat.ACCEPTED,
                      signatories=[{"name": "Paulus Wara (contoh)", "role": "Pimpinan rapat"},
                                   {"name": "Agustina Nong (contoh)", "role": "Sekretaris rapat"}])
    rat.update_draft(record, values)
    audit.record("rat_dibuat", actor=ACTOR, cooperative=slug, detail={"rat": record.id, "tahun_buku": 2026})
    if final:
        rat.finalise(record, ACTOR, "Data contoh: berita acara asli disimpan di kantor koperasi")
        audit.record("rat_final", actor=ACTOR, cooperative=slug,
                     detail={"rat": record.id, "versi": 1, "hasil": record.outcome})
    return record


def _shu_list(rng: random.Random, members: list[Submission], path: Path) -> int:
    """The finance staff's own list: every member, most of them without a consent
    in the portal; two who agreed are missing, to show the unmatched list."""
    missing = [m.id for m in members if consent.rules.agrees_to_shu(m.state, m.choices)][:2]
    rows = [(m.member_number, rng.randrange(150, 2500) * 1000) for m in members if m.id not in missing]
    rows += [(f"PA-{20000 + n}", rng.randrange(150, 2500) * 1000) for n in range(1, 21)]
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Nomor anggota", "SHU"])
        writer.writerows(rows)
    return len(rows)


@click.command("demo")
@with_appcontext
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=INSTANCE,
              help="Where to write the SHU list to upload (default: instance/).")
def demo(output):
    """Fill an empty local database with a demo RAT season."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Perintah demo tidak tersedia di produksi (PORTAL_ENV=production).")
    filled = db.session.scalar(select(func.count()).select_from(Submission)) or \
        db.session.scalar(select(func.count()).select_from(RatRecord)) or \
        db.session.scalar(select(func.count()).select_from(User))
    if filled:
        raise click.ClickException(
            "Database ini sudah berisi data. Demo hanya mengisi database kosong, supaya data contoh tidak "
            "tercampur data sungguhan. Pakai database lain, misalnya: "
            "DATABASE_URL=sqlite:///instance/demo.db flask --app portal db upgrade, lalu jalankan demo lagi.")
    rng = random.Random(2027)
    passwords = {}
    for username, role, slug in (("demo.kampanye", accounts.CAMPAIGN, None),
                                 ("demo.pintuair", accounts.COOPERATIVE, "pintu-air"),
                                 ("demo.obormas", accounts.COOPERATIVE, "obor-mas")):
        passwords[username] = secrets.token_urlsafe(12)
        accounts.create(username, passwords[username], role, slug)
    pintu_air = _members(rng, "pintu-air", "PA", 40)
    _members(rng, "obor-mas", "OM", 12)
    consent.withdraw_shu(next(m for m in pintu_air if m.choices.get("shu") == consent.rules.SHU_AGREE))
    record = _rat("pintu-air", date(2027, 3, 13), final=True)
    _rat("obor-mas", date(2027, 4, 24), final=False)
    db.session.commit()
    path = output / "demo-shu-pintu-air-2026.csv"
    rows = _shu_list(rng, pintu_air, path)
    handed, registered, shown = bpjs_demo.season(rng, record, path)
    db.session.commit()
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    click.echo(f"Demo dibuat ({stamp}): 52 anggota, RAT Pintu Air final (diterima), RAT Obor Mas masih draf.")
    click.echo("Akun (kata sandi hanya ditampilkan sekali):")
    for username, password in passwords.items():
        click.echo(f"  {username}\t{password}")
    click.echo(f"Daftar SHU untuk diunggah ({rows} baris): {path}")
    click.echo(f"Lembar konversi: /admin/rat/pintu-air/{record.id}/konversi")
    click.echo(f"Serah ke BPJS: /admin/bpjs/pintu-air/ ({handed} anggota diserahkan, {registered} terdaftar "
               f"dengan nomor KPJ, {bpjs_demo.LEFT_FOR_THE_OFFICER} masih menunggu data pendaftaran)")
    click.echo("Perlindungan yang berakhir (satu segera, satu sudah lewat): /admin/perlindungan/pintu-air/")
    click.echo("Capaian, dari anggota sampai terlindungi (CSV, XLSX, terbitkan untuk situs): /admin/capaian/")
    if shown is not None:
        code = shown.receipt_code
        click.echo(f"Halaman anggota dengan KPJ: /kelola/{code}/{consent.link_signature(code)}")
