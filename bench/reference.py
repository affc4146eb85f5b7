"""The reference the portal is measured against: the least a Flask-WTF app
with the same form can do, on the same gunicorn settings.

Its form has the same number and kinds of controls as the portal's /daftar/
(text, tel, radios, checkboxes, two selects with the same numbers of options,
a hidden field, CSRF on the page). Its POST checks CSRF, validates the same
kinds of fields (required, lengths, choices, an Indonesian mobile number with
phonenumbers) and inserts one row: with sqlite3 (WAL, synchronous=NORMAL, like
the portal) or psycopg, one connection per worker, committed before the answer.
It has no sessions of its own beyond CSRF, no consent events, no idempotency,
no rate limits: what the portal does beyond it is what the ratios show.

    DATABASE_URL=sqlite:////tmp/ref.db gunicorn bench.reference:app
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from pathlib import Path

import phonenumbers
import yaml
from flask import Flask, redirect
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

# The portal's form's choices, read from the same data files (not through
# the portal), so one request body is valid for both apps.
DATA = Path(__file__).resolve().parent.parent / "data"
OCCUPATIONS = [(k, k) for k in ("petani", "nelayan", "penenun", "pedagang", "ojek", "buruh", "lainnya")]
PACKAGES = [("jkk-jkm", "JKK + JKM"), ("jkk-jkm-jht", "JKK + JKM + JHT")]
SHU = [("setuju", "Setuju"), ("belum", "Belum memutuskan"), ("tidak", "Tidak setuju")]
WAYS = [("persen", "Persen"), ("rupiah", "Rupiah"), ("bulan", "Bulan")]
CHANNELS = [("whatsapp", "WhatsApp"), ("sms", "SMS"), ("telepon", "Telepon"), ("koperasi", "Koperasi")]
KABUPATEN = [("", "Pilih")] + [(k["code"], k["name"]) for k in
                               yaml.safe_load((DATA / "kabupaten.yml").read_text())["kabupaten"]]
COOPERATIVES = [("", "Pilih")] + [(c["slug"], c["name"]) for c in
                                  yaml.safe_load((DATA / "cooperatives.yml").read_text())["cooperatives"]]


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def mobile(form, field):
    try:
        number = phonenumbers.parse(field.data, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Nomor HP salah") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("Nomor HP salah")
    field.e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Form(FlaskForm):
    nama = StringField("Nama", validators=[DataRequired(), Length(max=100)])
    nomor_hp = TelField("Nomor HP", validators=[DataRequired(), Length(max=25), mobile])
    pekerjaan = RadioField("Pekerjaan", choices=OCCUPATIONS, validators=[DataRequired()])
    usia_18 = BooleanField("18 tahun", validators=[DataRequired()])
    koperasi = SelectField("Koperasi", choices=COOPERATIVES, validators=[DataRequired()])
    koperasi_lain = StringField("Koperasi lain", validators=[Optional(), Length(max=100)])
    nomor_anggota = StringField("Nomor anggota", validators=[Optional(), Length(max=30)])
    kabupaten = SelectField("Kabupaten", choices=KABUPATEN, validators=[DataRequired()])
    program = RadioField("Program", choices=PACKAGES, validators=[DataRequired()])
    shu = RadioField("SHU", choices=SHU, validators=[DataRequired()])
    shu_cara = RadioField("Cara", choices=WAYS, validators=[Optional()])
    shu_persen = StringField("Persen", validators=[Optional(), Length(max=12)])
    shu_rupiah = StringField("Rupiah", validators=[Optional(), Length(max=12)])
    shu_bulan = StringField("Bulan", validators=[Optional(), Length(max=12)])
    kontak = Checkboxes("Kontak", choices=CHANNELS)
    setuju_dihubungi = BooleanField("Setuju dihubungi")
    setuju_data = BooleanField("Setuju data", validators=[DataRequired()])
    situs_web = StringField("Jangan isi", validators=[Length(max=0)])
    formulir = HiddenField()


PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Daftar</title></head>
<body><main><form method="post" action="/daftar/">{{ form.csrf_token }}{{ form.formulir }}
{% for field in form if field.type not in ("CSRFTokenField", "HiddenField") %}
<div>{{ field.label }} {{ field() }}{% for e in field.errors %}<p>{{ e }}</p>{% endfor %}</div>
{% endfor %}<button>Kirim</button></form></main></body></html>"""

CREATE = ("CREATE TABLE IF NOT EXISTS interest (id {pk}, name TEXT NOT NULL, phone TEXT NOT NULL, "
          "answers TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)")
INSERT = "INSERT INTO interest (name, phone, answers, created_at) VALUES ({p}, {p}, {p}, {p})"


class Database:
    """One connection per worker process, opened after gunicorn forks."""

    def __init__(self, url: str):
        self.url, self.conn, self.pid = url, None, None
        self.sqlite = url.startswith("sqlite:")
        self.insert_sql = INSERT.format(p="?" if self.sqlite else "%s")

    def connection(self):
        if self.conn is None or self.pid != os.getpid():
            if self.sqlite:
                self.conn = sqlite3.connect(self.url.split(":///", 1)[1], timeout=10, isolation_level=None)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute(CREATE.format(pk="INTEGER PRIMARY KEY"))
            else:
                import psycopg

                self.conn = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"),
                                            autocommit=True)
                self.conn.execute(CREATE.format(pk="BIGSERIAL PRIMARY KEY"))
            self.pid = os.getpid()
        return self.conn

    def insert(self, *values) -> None:
        # Autocommit: the row is committed when execute returns.
        self.connection().execute(self.insert_sql, values)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    CSRFProtect(app)
    database = Database(os.environ.get("DATABASE_URL", "sqlite:////tmp/reference.db"))
    page = app.jinja_env.from_string(PAGE)  # compiled once, as render_template would cache it

    @app.get("/ok")
    def ok():
        return "ok"

    @app.route("/daftar/", methods=["GET", "POST"])
    def daftar():
        form = Form()
        if form.validate_on_submit():
            answers = {name: field.data for name, field in form._fields.items()
                       if name not in ("nama", "nomor_hp", "csrf_token", "formulir")}
            database.insert(form.nama.data, form.nomor_hp.e164, json.dumps(answers), time.time())
            return redirect("/daftar/selesai", 303)
        return page.render(form=form), 400 if form.errors else 200

    return app


app = create_app()
