"""Back-office forms: login, filters, follow-up, accounts, links, assisted entry, paper forms."""
from __future__ import annotations

from datetime import date

from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from flask_wtf.file import FileField, FileRequired

from kkbc import choices, data

from ..staff import accounts
from ..outreach import assisted, paper
from .. import consent, followup
from ..forms import BaseForm, options
from ..public import InterestForm, radio
from ..validators import MaxLength, OneOf, PlainText, Required, WholeNumber

ANY = ("", "Semua")


class LoginForm(BaseForm):
    nama_pengguna = StringField("Nama pengguna", validators=[
        Required("Tulis nama pengguna Anda"), MaxLength("Nama pengguna", 40)])
    kata_sandi = PasswordField("Kata sandi", validators=[
        Required("Tulis kata sandi Anda"), MaxLength("Kata sandi", accounts.MAX_PASSWORD)])
    lanjut = HiddenField()

    def next_page(self) -> str | None:
        """Where to go after logging in: only a back-office path, never another site."""
        target = self.lanjut.data or ""
        if target.startswith("/admin/") and "//" not in target and "\\" not in target:
            return target
        return None


def _date(noun: str):
    def check(form, field):
        if not field.data:
            field.parsed = None
            return
        try:
            field.parsed = date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(f"Tulis {noun} seperti 2026-11-24 (tahun-bulan-tanggal)") from None
    return check


class PageForm(BaseForm):
    """A page number from the query string; anything odd means the first page."""

    class Meta:
        csrf = False

    halaman = HiddenField()
    # Where the page before or after ended (portal.paging.keyset); checked there.
    setelah = HiddenField()
    sebelum = HiddenField()
    # How many the list held when its first page counted them, carried by its links.
    jumlah = HiddenField()

    def page(self) -> int:
        """The page asked for, 1 when the number is missing or nonsense."""
        text = self.halaman.data or ""
        return int(text) if text.isdigit() and len(text) < 7 and int(text) > 0 else 1

    def known_total(self) -> int | None:
        """The count a page link carries, or None (then the list is counted)."""
        text = self.jumlah.data or ""
        return int(text) if text.isdigit() and len(text) < 10 else None


class ScopeForm(PageForm):
    """Which cooperative to show (campaign team); read from the query string."""

    koperasi = SelectField("Koperasi", validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.koperasi.choices = options([("", "Semua koperasi")] + choices.cooperative_choices())


class FilterForm(ScopeForm):
    """Filters of the follow-up list and its exports, read from the query string."""

    status = SelectField("Status tindak lanjut", choices=options([ANY, *followup.STATUSES.items()]),
                         validate_choice=False)
    persetujuan = SelectField("Persetujuan", validate_choice=False, choices=options(
        [ANY, ("hubungi", "Perlu dihubungi (baru, setuju dihubungi)"), *consent.STATE_LABELS.items()]))
    kabupaten = SelectField("Kabupaten atau kota", validate_choice=False)
    shu = SelectField("Pilihan SHU", choices=options([ANY, *followup.SHU_SHORT.items()]),
                      validate_choice=False)
    kampanye = StringField("Kode kampanye", validators=[MaxLength("Kode kampanye", 40)])
    dari = StringField("Dari tanggal", validators=[_date("tanggal awal")])
    sampai = StringField("Sampai tanggal", validators=[_date("tanggal akhir")])
    cari = StringField("Cari nama atau nomor HP", validators=[MaxLength("Kata pencarian", 60)])

    KEYS = ("koperasi", "status", "persetujuan", "kabupaten", "shu", "kampanye", "dari", "sampai", "cari")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kabupaten.choices = options([ANY, *data.kabupaten().items()])

    def _check(self, field, message):
        keys = {c.value if hasattr(c, "value") else c[0] for c in field.choices}
        if (field.data or "") not in keys:
            raise ValidationError(message)

    def validate_status(self, field):
        """A follow-up status from the list."""
        self._check(field, "Pilih status dari daftar")

    def validate_persetujuan(self, field):
        """A consent state from the list."""
        self._check(field, "Pilih persetujuan dari daftar")

    def validate_kabupaten(self, field):
        """A kabupaten from the list."""
        self._check(field, "Pilih kabupaten atau kota dari daftar")

    def validate_shu(self, field):
        """An SHU answer from the list."""
        self._check(field, "Pilih jawaban SHU dari daftar")

    def validate_kampanye(self, field):
        """A campaign code of letters, digits and hyphens."""
        if field.data and field.data != "-" and not field.data.replace("-", "").isalnum():
            raise ValidationError("Kode kampanye hanya berisi huruf, angka dan tanda hubung")

    def validate_sampai(self, field):
        """The end date not before the start date."""
        start = getattr(self.dari, "parsed", None)
        if start and getattr(field, "parsed", None) and field.parsed < start:
            raise ValidationError("Tanggal akhir tidak boleh sebelum tanggal awal")

    def filters(self) -> dict:
        """The filters in effect, as query-string values (empty ones left out)."""
        return {k: getattr(self, k).data for k in self.KEYS if getattr(self, k).data}


class FollowUpForm(BaseForm):
    status = RadioField("Status tindak lanjut", choices=options(followup.STATUSES), validate_choice=False,
                        validators=[Required("Pilih status tindak lanjut"),
                                    OneOf(followup.STATUSES, "Pilih status tindak lanjut dari daftar")])
    catatan = TextAreaField("Catatan (boleh dikosongkan)", validators=[MaxLength("Catatan", 1000)])


class DuplicateForm(BaseForm):
    """Which other record (same phone, same cooperative) this one duplicates."""

    NOT_DUPLICATE = "bukan"
    asli = RadioField("Data ini sama dengan", validate_choice=False,
                      validators=[Required("Pilih data yang sama dengan data ini")])

    @classmethod
    def for_record(cls, submission, same_phone):
        """The form for one record: 'not a duplicate', or one of the records sharing its phone number."""
        form = cls(asli=str(submission.duplicate_of_id or cls.NOT_DUPLICATE))
        form.asli.choices = options(
            [(cls.NOT_DUPLICATE, "Bukan data ganda: orang yang berbeda")]
            + [(str(other.id), f"{r.code}, {r.name or '(data dihapus)'}, daftar {r.created:%d-%m-%Y}")
               for other, r in same_phone if other.duplicate_of_id is None])
        return form

    def validate_asli(self, field):
        """One of the records offered."""
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError("Pilih data dari daftar")


def validate_new_password(form, field):
    """The account rules (length, common passwords); the person's name is a hint to avoid."""
    username = getattr(form, "username_hint", "") or getattr(getattr(form, "nama_pengguna", None), "data", "")
    problem = accounts.password_problem(field.data or "", username or "")
    if problem:
        raise ValidationError(problem)


def validate_repeat(form, field):
    """The new password typed twice alike."""
    if field.data != form.sandi_baru.data:
        raise ValidationError("Kedua kata sandi tidak sama. Ketik ulang kata sandi baru")


def new_password():
    """A new-password field, checked against the password rules."""
    return PasswordField("Kata sandi baru", validators=[Required("Tulis kata sandi baru"),
                                                        validate_new_password])


def repeat_password():
    """The field that repeats the new password."""
    return PasswordField("Ulangi kata sandi baru", validators=[
        Required("Ketik ulang kata sandi baru"), validate_repeat])


class OwnPasswordForm(BaseForm):
    sandi_lama = PasswordField("Kata sandi sekarang", validators=[Required("Tulis kata sandi Anda sekarang")])
    sandi_baru = new_password()
    ulangi_sandi = repeat_password()

    def __init__(self, *args, username_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.username_hint = username_hint


class SetPasswordForm(OwnPasswordForm):
    """The campaign team sets a new password for someone who forgot theirs."""

    sandi_lama = None


class AccountForm(BaseForm):
    nama_pengguna = StringField("Nama pengguna", validators=[Required("Tulis nama pengguna"),
                                                             MaxLength("Nama pengguna", 40),
                                                             PlainText("Nama pengguna")])
    peran = RadioField("Peran", choices=options(accounts.ROLES), validate_choice=False,
                       validators=[Required("Pilih peran"), OneOf(accounts.ROLES, "Pilih peran dari daftar")])
    koperasi = SelectField("Koperasi (untuk staf koperasi)", validate_choice=False)
    sandi_baru = new_password()
    ulangi_sandi = repeat_password()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.koperasi.choices = options([("", "Pilih koperasi")] +
                                        [(slug, c.name) for slug, c in data.cooperatives().items()])

    def validate_nama_pengguna(self, field):
        """A username the account rules take, in lower case."""
        field.data = (field.data or "").lower()
        problem = accounts.username_problem(field.data)
        if problem:
            raise ValidationError(problem)
        if accounts.find(field.data) is not None:
            raise ValidationError("Nama pengguna ini sudah dipakai")

    def validate_koperasi(self, field):
        """A cooperative for a cooperative staff account."""
        if self.peran.data == accounts.COOPERATIVE and field.data not in data.cooperatives():
            raise ValidationError("Pilih koperasi untuk akun staf koperasi")


class CampaignCodeForm(BaseForm):
    """A new campaign code for one cooperative's links."""

    kode = StringField("Kode kampanye", validators=[Required("Tulis kode kampanye")])
    keterangan = StringField("Keterangan (boleh dikosongkan)", validators=[
        MaxLength("Keterangan", 120), PlainText("Keterangan")])

    def __init__(self, *args, cooperative: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative

    def validate_kode(self, field):
        """A campaign code the link rules take, normalised."""
        from ..outreach import links

        field.data = links.normalise_code(field.data)
        if not links.valid_code(field.data):
            raise ValidationError(f"Kode hanya boleh huruf kecil, angka dan tanda hubung, 2 sampai "
                                  f"{links.CODE_MAX} huruf, misalnya rat-2026")
        if links.find(self.cooperative, field.data) is not None:
            raise ValidationError("Kode ini sudah dipakai koperasi Anda. Pilih kode lain")


class ContactForm(BaseForm):
    """The cooperative's contact person, as printed on its posters."""

    nama = StringField("Nama petugas yang bisa ditanya", validators=[
        Required("Tulis nama petugas"), MaxLength("Nama petugas", 80), PlainText("Nama petugas")])
    nomor = StringField("Nomor HP atau telepon kantor (boleh dikosongkan)", validators=[
        MaxLength("Nomor", 30), PlainText("Nomor")])
    tempat = StringField("Tempat atau jam, misalnya Kantor Cabang Maumere (boleh dikosongkan)", validators=[
        MaxLength("Tempat", 80), PlainText("Tempat")])


class AssistedForm(InterestForm):
    """The public form, with the same questions, validation and messages, plus
    how an officer collected it. The cooperative comes from the page, not a choice."""

    koperasi_lain = None
    situs_web = None
    saluran = radio("Di mana anggota didaftarkan", assisted.CHANNELS, "Pilih di mana anggota didaftarkan")
    cara = radio("Bagaimana anggota memberi persetujuan", assisted.METHODS,
                 "Pilih bagaimana anggota memberi persetujuan")
    nomor_formulir = StringField("Nomor formulir kertas", validators=[MaxLength("Nomor formulir", 20)])

    def __init__(self, *args, cooperative: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.koperasi.data = cooperative

    def validate_nomor_formulir(self, field):
        """A paper form's number when consent was given on paper, unused and of this cooperative."""
        if not field.data:
            if self.cara.data in assisted.PAPER_METHODS:
                raise ValidationError("Tulis nomor formulir kertas yang ditandatangani atau dicap jempol")
            return
        problem = paper.problem(field.data, self.koperasi.data)
        if problem:
            raise ValidationError(problem)
        field.data = paper.normalise(field.data)


class PaperBatchForm(BaseForm):
    """A new batch of numbered paper forms."""

    jumlah = StringField("Berapa lembar formulir", validators=[
        Required("Tulis berapa lembar formulir"), WholeNumber("jumlah lembar", 1, paper.MAX_BATCH)])
    keterangan = StringField("Untuk apa atau di mana, misalnya Cabang Maumere (boleh dikosongkan)", validators=[
        MaxLength("Keterangan", 80), PlainText("Keterangan")])


class ImportForm(BaseForm):
    """A spreadsheet of paper forms to check (nothing is stored yet)."""

    berkas = FileField("Berkas CSV atau XLSX", validators=[FileRequired("Pilih berkas CSV atau XLSX")])
