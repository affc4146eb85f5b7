"""The RAT record through Flask: draft, final, correction, audit; final records
refuse every edit URL; another cooperative's record, scan and sheet are 404."""
import io
import logging

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import RatRecord
from tests.actions import pdf_bytes
from tests.admin.conftest import audit_entries, csrf
from tests.conftest import soup

FILLED = {
    "tahun_buku": "2026", "tanggal": "2027-03-13", "tempat": "Aula Kopdit Pintu Air, Nita",
    "agenda": "Usul SHU untuk iuran", "usulan": "Koperasi menawarkan paling banyak 50 persen SHU.",
    "batas": "persen", "batas_nilai": "50", "program": "jkk-jkm", "hadir": "312",
    "kuorum_aturan": "Lebih dari separuh utusan hadir", "kuorum": "ya", "setuju": "250",
    "tidak_setuju": "40", "abstain": "20", "tidak_sah": "2", "hasil": "diterima",
    "penanda_tangan": "Yakobus Jano, Ketua\nMaria Lena, Sekretaris",
}


def new_draft(client, slug="pintu-air", year="2026"):
    response = client.post(f"/admin/rat/{slug}/baru", data={"csrf_token": csrf(client, f"/admin/rat/{slug}"),
                                                           "tahun_buku": year})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].split("/")[-2])


def save(client, record_id, slug="pintu-air", **changes):
    path = f"/admin/rat/{slug}/{record_id}/ubah"
    return client.post(path, data={"csrf_token": csrf(client, path), **{**FILLED, **changes}})


def finalise(client, record_id, slug="pintu-air", reason="Scan menyusul sesudah ditandatangani pengawas"):
    """Confirm the final, with a reason for the missing scan (empty when the scan is there)."""
    path = f"/admin/rat/{slug}/{record_id}"
    return client.post(path + "/final", data={"csrf_token": csrf(client, path), "tanpa_scan": reason})


def final_record(client, slug="pintu-air", **changes) -> int:
    record_id = new_draft(client, slug)
    assert save(client, record_id, slug, **changes).status_code == 303
    assert finalise(client, record_id, slug).status_code == 303
    return record_id


def load(app, record_id) -> RatRecord:
    with app.app_context():
        record = db.session.get(RatRecord, record_id)
        db.session.expunge_all()
        return record


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, record_id, content, name="berita-acara.png", slug="pintu-air", kind="image/png"):
    path = f"/admin/rat/{slug}/{record_id}"
    return client.post(path + "/berkas", content_type="multipart/form-data", data={
        "csrf_token": csrf(client, path), "berkas": (io.BytesIO(content), name, kind)})


def test_draft_starts_from_the_sites_decision_text(app, pintu_air):
    record_id = new_draft(pintu_air)
    page = soup(pintu_air.get(f"/admin/rat/pintu-air/{record_id}/ubah"))
    proposal = page.select_one("textarea#usulan").get_text().lstrip("\r\n")  # a browser drops the first newline
    assert proposal.startswith("KEPUTUSAN RAPAT ANGGOTA TAHUNAN KSP Kopdit Pintu Air\nTAHUN BUKU 2026")
    assert "MEMUTUSKAN:" in proposal and "[TAHUN]" not in proposal
    assert page.select_one("input#tahun_buku")["value"] == "2026"


def test_draft_to_final_to_correction_with_audit(app, pintu_air):
    record_id = new_draft(pintu_air)
    assert save(pintu_air, record_id).status_code == 303
    draft = load(app, record_id)
    assert (draft.status, draft.present, draft.votes_for, draft.quorum_met, draft.allowance_value) == \
        ("draf", 312, 250, True, 50)
    assert draft.signatories == [{"name": "Yakobus Jano", "role": "Ketua"}, {"name": "Maria Lena", "role": "Sekretaris"}]
    assert finalise(pintu_air, record_id).status_code == 303
    assert load(app, record_id).status == "final"

    path = f"/admin/rat/pintu-air/{record_id}/koreksi"
    refused = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, path), "alasan": ""})
    assert refused.status_code == 400
    assert soup(refused).select_one(".portal-error-summary a").get_text() == \
        "Tulis alasan koreksi, misalnya: jumlah suara salah hitung"
    response = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, path), "alasan": "Suara setuju salah hitung"})
    assert response.status_code == 303
    copy_id = int(response.headers["Location"].split("/")[-2])
    assert save(pintu_air, copy_id, setuju="248").status_code == 303
    assert finalise(pintu_air, copy_id).status_code == 303
    old_page = soup(pintu_air.get(f"/admin/rat/pintu-air/{record_id}"))
    assert old_page.select_one(".admin-warning").get_text(" ", strip=True) == \
        "Versi ini sudah diganti oleh versi 2 . Yang berlaku adalah versi itu."
    assert old_page.find("a", string="Buat koreksi") is None
    old, new = load(app, record_id), load(app, copy_id)
    assert (old.status, old.votes_for, old.version) == ("final", 250, 1)
    assert (new.status, new.votes_for, new.version, new.replaces_id, new.correction_reason) == \
        ("final", 248, 2, record_id, "Suara setuju salah hitung")
    actions = [(e.action, e.actor, e.detail.get("rat")) for e in audit_entries(app) if e.action.startswith("rat_")]
    assert actions == [("rat_dibuat", "ani", record_id), ("rat_diubah", "ani", record_id),
                       ("rat_final", "ani", record_id), ("rat_koreksi", "ani", copy_id),
                       ("rat_diubah", "ani", copy_id), ("rat_final", "ani", copy_id)]


def test_finalising_needs_the_tally_and_outcome(app, pintu_air):
    record_id = new_draft(pintu_air)
    response = finalise(pintu_air, record_id)
    assert response.status_code == 303
    page = soup(pintu_air.get(response.headers["Location"]))
    assert page.select_one(".portal-notice--ok").get_text().startswith("Belum bisa final. Isi dulu: tanggal RAT")
    assert load(app, record_id).status == "draf"


def test_votes_cannot_exceed_those_present(app, pintu_air):
    record_id = new_draft(pintu_air)
    response = save(pintu_air, record_id, hadir="100")
    assert response.status_code == 400
    assert "Jumlah suara lebih banyak dari anggota yang hadir" in soup(response).select_one(".portal-error-summary").get_text()


def test_a_final_record_is_never_edited_by_any_url(app, pintu_air):
    record_id = final_record(pintu_air)
    before = load(app, record_id)
    base = f"/admin/rat/pintu-air/{record_id}"
    token = csrf(pintu_air, base)
    attempts = [
        pintu_air.get(base + "/ubah"),
        pintu_air.post(base + "/ubah", data={"csrf_token": token, **FILLED, "setuju": "1"}),
        pintu_air.post(base + "/final", data={"csrf_token": token}),
        upload(pintu_air, record_id, png_bytes()),
    ]
    assert [r.status_code for r in attempts] == [409, 409, 409, 409]
    assert soup(attempts[0]).h1.get_text() == "Catatan final tidak bisa diubah"
    after = load(app, record_id)
    assert (after.votes_for, after.scan_sha256, after.finalised_at, after.updated_at) == \
        (before.votes_for, None, before.finalised_at, before.updated_at)
    # Not even from code: the model refuses to write a final record.
    with app.app_context():
        record = db.session.get(RatRecord, record_id)
        record.votes_for = 1
        with pytest.raises(RuntimeError, match="never edited"):
            db.session.commit()
        db.session.rollback()


def test_scan_is_checked_by_content_and_served_only_as_attachment(app, pintu_air):
    record_id = new_draft(pintu_air)
    fake = upload(pintu_air, record_id, b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20)
    assert fake.status_code == 400
    assert soup(fake).select_one("#berkas-error").get_text(" ", strip=True).startswith(
        "Galat: Berkas harus PDF, JPEG atau PNG yang utuh")
    text = upload(pintu_air, record_id, b"just text", name="scan.pdf", kind="application/pdf")
    assert text.status_code == 400
    big = upload(pintu_air, record_id, png_bytes() + b"\0" * (5 * 1024 * 1024 + 70 * 1024))
    assert big.status_code == 413
    assert "Berkas terlalu besar. Paling besar 5 MB" in soup(big).select_one("#berkas-error").get_text()
    assert load(app, record_id).scan_sha256 is None

    image = png_bytes()
    assert upload(pintu_air, record_id, image, name="foto.exe", kind="application/octet-stream").status_code == 303
    served = pintu_air.get(f"/admin/rat/pintu-air/{record_id}/berkas")
    assert served.status_code == 200 and served.data == image
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Cache-Control"] == "no-store"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == 'attachment; filename="berita-acara-rat-pintu-air-2026-v1.png"'
    pdf = pdf_bytes()
    assert upload(pintu_air, record_id, pdf, name="x.png", kind="image/png").status_code == 303
    assert pintu_air.get(f"/admin/rat/pintu-air/{record_id}/berkas").headers["Content-Type"] == "application/pdf"


def test_another_cooperatives_rat_scan_and_sheet_are_404_and_logged(app, pintu_air, obor_mas, caplog):
    record_id = final_record(pintu_air)
    base = f"/admin/rat/pintu-air/{record_id}"
    token = csrf(obor_mas, "/admin/rat/obor-mas")
    caplog.set_level(logging.WARNING)
    attempts = [
        obor_mas.get(base), obor_mas.get(base + "/paket"), obor_mas.get(base + "/berkas"),
        obor_mas.get(base + "/konversi"), obor_mas.get(base + "/ubah"), obor_mas.get(base + "/koreksi"),
        obor_mas.post(base + "/konversi", data={"csrf_token": token}),
        obor_mas.post(base + "/final", data={"csrf_token": token}),
        # Their own cooperative's address, someone else's record.
        obor_mas.get(f"/admin/rat/obor-mas/{record_id}"),
        obor_mas.get(f"/admin/rat/obor-mas/{record_id}/berkas"),
        obor_mas.get(f"/admin/rat/obor-mas/{record_id}/konversi"),
        obor_mas.get("/admin/rat/pintu-air"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    refused = audit_entries(app, "ditolak")
    assert len(refused) == len(attempts)
    assert {e.actor for e in refused} == {"oki"}
    assert sum("refused" in r.getMessage() for r in caplog.records) == len(attempts)


def test_cooperative_staff_reach_their_rat_from_the_index(pintu_air, campaign):
    response = pintu_air.get("/admin/rat/")
    assert response.status_code == 303 and response.headers["Location"] == "/admin/rat/pintu-air"
    page = soup(campaign.get("/admin/rat/"))
    assert [a.get_text() for a in page.select("tbody th a")][:2] == ["KSP Kopdit Swasti Sari", "KSP Kopdit Pintu Air"]


def test_campaign_view_and_export(app, campaign, pintu_air, members):
    final_record(pintu_air)
    page = soup(campaign.get("/admin/kampanye/"))
    row = next(tr for tr in page.select("tbody tr") if "Pintu Air" in tr.th.get_text())
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[0] == "13 Maret 2027, final, diterima"
    assert cells[1:4] == ["2", "1", "0"]
    assert cells[4] == "2 dari 444.425 anggota (kurang dari 0,01 %), per 1 Juni 2025"
    export = campaign.get("/admin/kampanye/ekspor.csv")
    assert export.status_code == 200
    lines = export.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[2] == "KSP Kopdit Pintu Air,2026,2027-03-13,Final,Diterima,2,1,0,444425,2025-06-01,0.0005"
    assert pintu_air.get("/admin/kampanye/").status_code == 403


def test_uploads_without_the_forms_token_are_refused(app, pintu_air):
    record_id = new_draft(pintu_air)
    response = pintu_air.post(f"/admin/rat/pintu-air/{record_id}/berkas", content_type="multipart/form-data",
                              data={"berkas": (io.BytesIO(png_bytes()), "a.png", "image/png")})
    assert response.status_code == 400
    assert load(app, record_id).scan_sha256 is None


def test_a_sheet_without_the_forms_token_is_refused(app, pintu_air):
    record_id = final_record(pintu_air)
    response = pintu_air.post(f"/admin/rat/pintu-air/{record_id}/konversi", content_type="multipart/form-data",
                              data={"mulai": "2027-04", "bentuk": "layar",
                                    "berkas": (io.BytesIO(b"Nomor anggota,SHU\nPA-1,100000\n"), "a.csv", "text/csv")})
    assert response.status_code == 400
    assert soup(response).h1.get_text() == "Permintaan tidak bisa dibaca"
    assert audit_entries(app, "lembar_konversi") == []


def test_the_scan_is_in_every_backup(app, pintu_air, tmp_path):
    from portal.platform import backups

    record_id = new_draft(pintu_air)
    image = png_bytes()
    assert upload(pintu_air, record_id, image).status_code == 303
    with app.app_context():
        path = backups.backup(tmp_path)
        db.session.execute(RatRecord.__table__.delete())  # lost, as in a broken disk
        db.session.commit()
        backups.restore(path)
    assert pintu_air.get(f"/admin/rat/pintu-air/{record_id}/berkas").data == image


def test_two_staff_saving_at_once_cannot_both_win(app, pintu_air):
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    record_id = new_draft(pintu_air)
    with app.app_context():
        mine = db.session.get(RatRecord, record_id)  # read before someone else finalises
        db.session.expunge(mine)
        db.session.rollback()
        with db.engine.begin() as other:
            other.execute(update(RatRecord).where(RatRecord.id == record_id)
                          .values(status="final", revision=RatRecord.revision + 1))
        db.session.add(mine)
        mine.votes_for = 999
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
    assert load(app, record_id).votes_for is None


def test_the_decision_text_is_filled_from_the_record_and_final_only_without_brackets(app, pintu_air):
    record_id = new_draft(pintu_air)
    proposal = load(app, record_id).proposal
    assert save(pintu_air, record_id, usulan=proposal, penanda_tangan="").status_code == 303
    page = f"/admin/rat/pintu-air/{record_id}"
    text = soup(pintu_air.get(page)).select_one(".admin-proposal").get_text()
    assert "pada 13 Maret 2027, di Aula Kopdit Pintu Air, Nita:" in text
    assert "paling banyak 50 persen dari SHU" in text and "Programnya JKK dan JKM." in text
    assert "mulai bulan April 2027." in text
    hint = soup(pintu_air.get(page)).select_one(".portal-hint").get_text(" ", strip=True)
    assert "Masih kosong: [dibayarkan kepada anggota / disimpan sebagai simpanan anggota], " \
           "[dibayarkan kepada anggota], [nama dan tanda tangan]" in hint
    # On paper, what the record cannot know is a line to write on, with what goes there.
    printed = soup(pintu_air.get(page + "/paket"))
    assert [b.get_text() for b in printed.select(".rat-decision .rat-blank")] == [
        "dibayarkan kepada anggota / disimpan sebagai simpanan anggota", "dibayarkan kepada anggota",
        "nama pimpinan rapat"]
    assert "[" not in printed.select_one(".rat-decision").get_text()

    # The record changes, the text follows; a bracket left refuses the final.
    assert save(pintu_air, record_id, usulan=proposal, tanggal="2027-04-24", tempat="Maumere", batas="rupiah",
                batas_nilai="300000", program="jkk-jkm-jht").status_code == 303
    text = soup(pintu_air.get(page)).select_one(".admin-proposal").get_text()
    assert "pada 24 April 2027, di Maumere:" in text and "paling banyak Rp300.000 dari SHU" in text
    assert "Programnya JKK, JKM dan JHT." in text and "mulai bulan Mei 2027." in text
    assert "Pimpinan Rapat: Yakobus Jano" in text
    response = finalise(pintu_air, record_id)
    notice = soup(pintu_air.get(response.headers["Location"])).select_one(".portal-notice--ok").get_text()
    assert notice.startswith("Belum bisa final. Teks keputusan masih berisi bagian dalam kurung siku: "
                             "[dibayarkan kepada anggota / disimpan sebagai simpanan anggota]")
    assert load(app, record_id).status == "draf"

    decided = proposal.replace("[dibayarkan kepada anggota / disimpan sebagai simpanan anggota]",
                               "dibayarkan kepada anggota").replace("[dibayarkan kepada anggota]",
                                                                    "dibayarkan kepada anggota")
    assert save(pintu_air, record_id, usulan=decided, tanggal="2027-04-24", tempat="Maumere", batas="rupiah",
                batas_nilai="300000", program="jkk-jkm-jht").status_code == 303
    assert finalise(pintu_air, record_id).status_code == 303
    final = load(app, record_id)
    assert final.status == "final" and "[" not in final.proposal and "pada 24 April 2027, di Maumere:" in final.proposal


def test_finalising_shows_what_becomes_final_and_needs_the_scan_or_a_reason(app, pintu_air):
    record_id = new_draft(pintu_air)
    assert save(pintu_air, record_id).status_code == 303
    path = f"/admin/rat/pintu-air/{record_id}/final"
    page = soup(pintu_air.get(path))
    rows = {tr.th.get_text(): " ".join(tr.td.get_text().split()) for tr in page.select("table.rat-confirm tr")}
    assert rows == {"Hasil": "Diterima", "Tanggal dan tempat": "13 Maret 2027, Aula Kopdit Pintu Air, Nita",
                    "Hitungan suara": "Hadir 312. Setuju 250, tidak setuju 40, abstain 20, tidak sah 2",
                    "Yang diperbolehkan": "Paling banyak sekian persen SHU tiap anggota: 50%",
                    "Perlindungan": "Kecelakaan kerja dan kematian (JKK + JKM)", "Penanda tangan": "Yakobus Jano (Ketua); Maria Lena (Sekretaris)",
                    "Scan berita acara": "Belum ada"}
    assert load(app, record_id).status == "draf"  # looking is not finalising

    refused = finalise(pintu_air, record_id, reason="  ")
    assert refused.status_code == 400
    assert soup(refused).select_one(".portal-error-summary a").get_text().startswith(
        "Unggah dulu scan berita acara yang sudah ditandatangani, atau tulis alasan")
    assert load(app, record_id).status == "draf"

    assert finalise(pintu_air, record_id, reason="Pengawas belum tanda tangan").status_code == 303
    final = load(app, record_id)
    assert (final.status, final.scan_missing_reason) == ("final", "Pengawas belum tanda tangan")
    shown = soup(pintu_air.get(f"/admin/rat/pintu-air/{record_id}")).find("th", string="Scan berita acara")
    assert " ".join(shown.find_next("td").get_text().split()) == "Tidak ada. Alasan: Pengawas belum tanda tangan"
    printed = soup(pintu_air.get(f"/admin/rat/pintu-air/{record_id}/paket")).get_text(" ")
    assert "final tanpa scan berita acara yang ditandatangani. Alasan: Pengawas belum tanda tangan." in printed


def test_a_correction_asks_for_its_own_scan_and_the_list_marks_the_replaced_version(app, pintu_air):
    record_id = new_draft(pintu_air)
    assert save(pintu_air, record_id).status_code == 303
    assert upload(pintu_air, record_id, png_bytes()).status_code == 303
    assert finalise(pintu_air, record_id, reason="").status_code == 303
    assert load(app, record_id).scan_missing_reason is None

    path = f"/admin/rat/pintu-air/{record_id}/koreksi"
    response = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, path), "alasan": "Suara salah hitung"})
    copy_id = int(response.headers["Location"].split("/")[-2])
    assert load(app, copy_id).scan_sha256 is None  # the old scan was signed for the old text
    draft = soup(pintu_air.get(f"/admin/rat/pintu-air/{copy_id}"))
    assert draft.select_one("h2#scan").find_next("p").get_text().startswith(
        "Ini koreksi: scan versi sebelumnya tidak dipakai.")
    assert save(pintu_air, copy_id, setuju="248").status_code == 303
    assert finalise(pintu_air, copy_id, reason="").status_code == 400  # no new scan, no reason
    assert upload(pintu_air, copy_id, png_bytes()).status_code == 303
    assert finalise(pintu_air, copy_id, reason="").status_code == 303

    listed = soup(pintu_air.get("/admin/rat/pintu-air")).select("table.admin-table tbody tr")
    assert [[td.get_text() for td in tr.select("td")][:2] for tr in listed] == \
        [["2", "Final"], ["1", "Diganti oleh versi 2"]]
    versions = soup(pintu_air.get(f"/admin/rat/pintu-air/{copy_id}")).select("h2 + ul li")
    assert [" ".join(li.get_text().split()) for li in versions] == \
        ["Versi 2: Final (koreksi)", "Versi 1: diganti oleh versi 2"]
