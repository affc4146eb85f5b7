"""Who reaches which back-office URL: anonymous, cooperative staff, campaign team.

Cooperative staff must never reach another cooperative's data, whatever id,
filter or export parameter they put in the URL; every such attempt is refused
like a missing page and logged.
"""
import logging

import pytest

from tests.admin.conftest import audit_entries, csrf
from tests.conftest import soup

# Every back-office route: (rule, methods, endpoint). A new route fails this
# test until it is added here and to the access tables below.
ROUTES = [
    ("/admin/", "GET", "admin.dashboard"),
    ("/admin/akun/", "GET", "admin.accounts_list"),
    ("/admin/akun/<int:user_id>/<any(nonaktifkan, aktifkan):action>", "POST", "admin.account_active"),
    ("/admin/akun/<int:user_id>/sandi", "GET,POST", "admin.account_password"),
    ("/admin/akun/baru", "GET,POST", "admin.account_new"),
    ("/admin/audit/", "GET", "admin.audit_log"),
    ("/admin/keluar", "POST", "admin.logout"),
    ("/admin/keluar-perangkat-lain", "POST", "admin.logout_others"),
    ("/admin/masuk", "GET,POST", "admin.login"),
    ("/admin/rat/", "GET", "admin.recap_index"),
    ("/admin/rat/<slug>", "GET", "admin.recap"),
    ("/admin/rat/<slug>/baru", "POST", "admin.rat_new"),
    ("/admin/rat/<slug>/<int:record_id>", "GET", "admin.rat_show"),
    ("/admin/rat/<slug>/<int:record_id>/ubah", "GET,POST", "admin.rat_edit"),
    ("/admin/rat/<slug>/<int:record_id>/final", "GET,POST", "admin.rat_finalise"),
    ("/admin/rat/<slug>/<int:record_id>/koreksi", "GET,POST", "admin.rat_correct"),
    ("/admin/rat/<slug>/<int:record_id>/berkas", "POST", "admin.rat_scan_upload"),
    ("/admin/rat/<slug>/<int:record_id>/berkas", "GET", "admin.rat_scan"),
    ("/admin/rat/<slug>/<int:record_id>/paket", "GET", "admin.rat_pack_page"),
    ("/admin/rat/<slug>/<int:record_id>/konversi", "GET,POST", "admin.rat_sheet"),
    ("/admin/rat/<slug>/templat-shu.<any(csv, xlsx):fmt>", "GET", "admin.shu_template"),
    ("/admin/kampanye/", "GET", "admin.campaign_view"),
    ("/admin/kampanye/ekspor.<fmt>", "GET", "admin.campaign_export"),
    ("/admin/sandi", "GET,POST", "admin.own_password"),
    ("/admin/tindak-lanjut/", "GET", "admin.follow_up_list"),
    ("/admin/tindak-lanjut/<int:submission_id>", "GET,POST", "admin.follow_up"),
    ("/admin/tindak-lanjut/<int:submission_id>/ganda", "POST", "admin.mark_duplicate"),
    ("/admin/tindak-lanjut/<int:submission_id>/bukti.json", "GET", "admin.consent_record"),
    ("/admin/tindak-lanjut/ekspor.<fmt>", "GET", "admin.export"),
    ("/admin/tindak-lanjut/ekspor-besar.<any(csv, xlsx):fmt>", "POST", "admin.export_job_request"),
    ("/admin/tindak-lanjut/ekspor/<int:job_id>", "GET", "admin.export_job"),
    ("/admin/tindak-lanjut/ekspor/<int:job_id>/unduh", "GET", "admin.export_job_download"),
    ("/admin/tautan/", "GET", "admin.links_index"),
    ("/admin/tautan/<slug>/", "GET,POST", "admin.links_list"),
    ("/admin/tautan/<slug>/<code>/arsip", "POST", "admin.links_retire"),
    ("/admin/tautan/<slug>/kit", "GET", "admin.links_kit"),
    ("/admin/tautan/<slug>/<code>/kit", "GET", "admin.links_kit"),
    ("/admin/tautan/<slug>/poster", "GET", "admin.links_poster"),
    ("/admin/tautan/<slug>/<code>/poster", "GET", "admin.links_poster"),
    ("/admin/tautan/<slug>/selebaran", "GET", "admin.links_flyers"),
    ("/admin/tautan/<slug>/<code>/selebaran", "GET", "admin.links_flyers"),
    ("/admin/tautan/<slug>/qr.<kind>", "GET", "admin.links_qr"),
    ("/admin/tautan/<slug>/<code>/qr.<kind>", "GET", "admin.links_qr"),
    ("/admin/tautan/<slug>/kontak", "GET,POST", "admin.links_contact"),
    ("/admin/daftar-bantu/", "GET", "admin.assisted_index"),
    ("/admin/daftar-bantu/<slug>", "GET,POST", "admin.assisted_entry"),
    ("/admin/daftar-bantu/<slug>/<int:submission_id>", "GET", "admin.assisted_receipt"),
    ("/admin/bpjs/", "GET", "admin.handover_index"),
    ("/admin/bpjs/<slug>/", "GET", "admin.handover_home"),
    ("/admin/bpjs/<slug>/anggota/<int:submission_id>", "GET,POST", "admin.handover_member"),
    ("/admin/bpjs/<slug>/serah", "POST", "admin.handover_create"),
    ("/admin/bpjs/<slug>/serah/<int:batch_id>", "GET", "admin.handover_batch"),
    ("/admin/bpjs/<slug>/serah/<int:batch_id>/cetak", "GET", "admin.handover_print"),
    ("/admin/bpjs/<slug>/serah/<int:batch_id>/daftar.<fmt>", "GET", "admin.handover_download"),
    ("/admin/bpjs/<slug>/serah/<int:batch_id>/jawaban", "POST", "admin.handover_answer"),
    ("/admin/bpjs/<slug>/serah/<int:batch_id>/jawaban/<token>", "POST", "admin.handover_answer_apply"),
    ("/admin/bpjs/tata-letak/", "GET,POST", "admin.handover_layouts"),
    ("/admin/bpjs/tata-letak/<int:branch_id>", "GET,POST", "admin.handover_layouts"),
    ("/admin/perlindungan/", "GET", "admin.lapse_index"),
    ("/admin/perlindungan/<slug>/", "GET", "admin.lapse_list"),
    ("/admin/perlindungan/<slug>/cetak", "GET", "admin.lapse_print"),
    ("/admin/perlindungan/<slug>/<int:submission_id>/tanda", "POST", "admin.lapse_mark"),
    ("/admin/perlindungan/<slug>/periode/<int:period_id>/benarkan", "POST", "admin.lapse_confirm"),
    ("/admin/capaian/", "GET", "admin.coverage"),
    ("/admin/capaian/unduh.<fmt>", "GET", "admin.coverage_download"),
    ("/admin/capaian/terbit", "POST", "admin.coverage_publish"),
    ("/admin/formulir/", "GET", "admin.paper_index"),
    ("/admin/formulir/<slug>/", "GET,POST", "admin.paper_list"),
    ("/admin/formulir/<slug>/<int:batch_id>/cetak", "GET", "admin.paper_print"),
    ("/admin/formulir/<slug>/impor", "GET,POST", "admin.paper_import"),
    ("/admin/formulir/<slug>/impor/<token>", "GET,POST", "admin.paper_import_check"),
    ("/admin/formulir/<slug>/templat.<any(csv, xlsx):fmt>", "GET", "admin.paper_template"),
]

# (method, path) reachable by any signed-in account, in its own scope.
EVERY_STAFF = [
    ("GET", "/admin/"),
    ("GET", "/admin/tindak-lanjut/"),
    ("GET", "/admin/tindak-lanjut/ekspor.csv"),
    ("GET", "/admin/tindak-lanjut/ekspor.xlsx"),
    ("GET", "/admin/rat/pintu-air"),
    ("GET", "/admin/sandi"),
    ("GET", "/admin/tautan/pintu-air/"),
    ("GET", "/admin/tautan/pintu-air/kit"),
    ("GET", "/admin/tautan/pintu-air/buletin-mei/kit"),
    ("GET", "/admin/tautan/pintu-air/poster"),
    ("GET", "/admin/tautan/pintu-air/buletin-mei/poster"),
    ("GET", "/admin/tautan/pintu-air/selebaran"),
    ("GET", "/admin/tautan/pintu-air/buletin-mei/selebaran"),
    ("GET", "/admin/tautan/pintu-air/qr.svg"),
    ("GET", "/admin/tautan/pintu-air/buletin-mei/qr.png"),
    ("GET", "/admin/tautan/pintu-air/kontak"),
    ("GET", "/admin/daftar-bantu/pintu-air"),
    ("GET", "/admin/formulir/pintu-air/"),
    ("GET", "/admin/formulir/pintu-air/impor"),
    ("GET", "/admin/formulir/pintu-air/templat.xlsx"),
    ("GET", "/admin/bpjs/pintu-air/"),
    ("GET", "/admin/rat/pintu-air/templat-shu.csv"),
    ("GET", "/admin/perlindungan/pintu-air/"),
    ("GET", "/admin/perlindungan/pintu-air/cetak"),
    ("GET", "/admin/capaian/"),
    ("GET", "/admin/capaian/unduh.csv"),
    ("GET", "/admin/capaian/unduh.xlsx"),
]
CAMPAIGN_ONLY = [
    ("GET", "/admin/akun/"),
    ("GET", "/admin/akun/baru"),
    ("POST", "/admin/akun/baru"),
    ("GET", "/admin/akun/1/sandi"),
    ("POST", "/admin/akun/1/sandi"),
    ("POST", "/admin/akun/1/nonaktifkan"),
    ("POST", "/admin/akun/1/aktifkan"),
    ("GET", "/admin/audit/"),
    ("GET", "/admin/kampanye/"),
    ("GET", "/admin/kampanye/ekspor.csv"),
    ("GET", "/admin/kampanye/ekspor.xlsx"),
    ("GET", "/admin/bpjs/tata-letak/"),
    ("POST", "/admin/capaian/terbit"),
]
# Another cooperative's data, asked for by every URL and parameter there is.
OTHER_COOPERATIVE = [
    "/admin/?koperasi=obor-mas",
    "/admin/?koperasi=lainnya",
    "/admin/tindak-lanjut/?koperasi=obor-mas",
    "/admin/tindak-lanjut/?koperasi=obor-mas&persetujuan=hubungi",
    "/admin/tindak-lanjut/ekspor.csv?koperasi=obor-mas",
    "/admin/tindak-lanjut/ekspor.xlsx?koperasi=obor-mas",
    "/admin/tindak-lanjut/ekspor.csv?koperasi=obor-mas&koperasi=pintu-air",
    "/admin/rat/obor-mas",
    "/admin/rat/obor-mas/1",
    "/admin/rat/obor-mas/1/paket",
    "/admin/rat/obor-mas/1/berkas",
    "/admin/rat/obor-mas/1/konversi",
    "/admin/rat/obor-mas/templat-shu.xlsx",
    "/admin/rat/obor-mas/1/ubah",
    "/admin/rat/obor-mas/1/koreksi",
    "/admin/tautan/obor-mas/",
    "/admin/tautan/obor-mas/kit",
    "/admin/tautan/obor-mas/rat-2026/kit",
    "/admin/tautan/obor-mas/poster",
    "/admin/tautan/obor-mas/rat-2026/selebaran",
    "/admin/tautan/obor-mas/qr.svg",
    "/admin/tautan/obor-mas/rat-2026/qr.png",
    "/admin/tautan/obor-mas/kontak",
    "/admin/daftar-bantu/obor-mas",
    "/admin/daftar-bantu/obor-mas/1",
    "/admin/formulir/obor-mas/",
    "/admin/formulir/obor-mas/impor",
    "/admin/bpjs/obor-mas/",
    "/admin/bpjs/obor-mas/anggota/1",
    "/admin/bpjs/obor-mas/serah/1",
    "/admin/bpjs/obor-mas/serah/1/daftar.csv",
    "/admin/bpjs/obor-mas/serah/1/cetak",
    "/admin/perlindungan/obor-mas/",
    "/admin/perlindungan/obor-mas/cetak",
    "/admin/capaian/?koperasi=obor-mas",
    "/admin/capaian/unduh.xlsx?koperasi=obor-mas",
]


def test_route_list_snapshot(app):
    routes = sorted((r.rule, ",".join(sorted(r.methods - {"HEAD", "OPTIONS"})), r.endpoint)
                    for r in app.url_map.iter_rules() if r.endpoint.startswith("admin."))
    assert routes == sorted(ROUTES)


def test_every_route_is_in_an_access_table():
    covered = {path.split("?")[0] for _, path in EVERY_STAFF + CAMPAIGN_ONLY} | {
        "/admin/masuk", "/admin/rat/", "/admin/keluar", "/admin/keluar-perangkat-lain",
        "/admin/tindak-lanjut/<int:submission_id>", "/admin/tindak-lanjut/<int:submission_id>/ganda",
        "/admin/tindak-lanjut/<int:submission_id>/bukti.json",
        "/admin/rat/<slug>", "/admin/akun/<int:user_id>/sandi",
        "/admin/akun/<int:user_id>/<any(nonaktifkan, aktifkan):action>", "/admin/tindak-lanjut/ekspor.<fmt>",
        "/admin/tindak-lanjut/ekspor-besar.<any(csv, xlsx):fmt>", "/admin/tindak-lanjut/ekspor/<int:job_id>",
        "/admin/tindak-lanjut/ekspor/<int:job_id>/unduh",
        "/admin/tautan/", "/admin/tautan/<slug>/", "/admin/tautan/<slug>/<code>/arsip",
        "/admin/tautan/<slug>/kit", "/admin/tautan/<slug>/<code>/kit", "/admin/tautan/<slug>/poster",
        "/admin/tautan/<slug>/<code>/poster", "/admin/tautan/<slug>/selebaran",
        "/admin/tautan/<slug>/<code>/selebaran", "/admin/tautan/<slug>/qr.<kind>",
        "/admin/tautan/<slug>/<code>/qr.<kind>", "/admin/tautan/<slug>/kontak",
        "/admin/daftar-bantu/", "/admin/daftar-bantu/<slug>", "/admin/daftar-bantu/<slug>/<int:submission_id>",
        "/admin/formulir/", "/admin/formulir/<slug>/", "/admin/formulir/<slug>/<int:batch_id>/cetak",
        "/admin/formulir/<slug>/impor", "/admin/formulir/<slug>/impor/<token>",
        "/admin/formulir/<slug>/templat.<any(csv, xlsx):fmt>",
        "/admin/rat/<slug>/baru", "/admin/rat/<slug>/<int:record_id>",
        "/admin/rat/<slug>/<int:record_id>/ubah", "/admin/rat/<slug>/<int:record_id>/final",
        "/admin/rat/<slug>/<int:record_id>/koreksi", "/admin/rat/<slug>/<int:record_id>/berkas",
        "/admin/rat/<slug>/<int:record_id>/paket", "/admin/rat/<slug>/<int:record_id>/konversi",
        "/admin/rat/<slug>/templat-shu.<any(csv, xlsx):fmt>", "/admin/kampanye/ekspor.<fmt>", "/admin/bpjs/", "/admin/bpjs/<slug>/", "/admin/bpjs/<slug>/anggota/<int:submission_id>",
        "/admin/bpjs/<slug>/serah", "/admin/bpjs/<slug>/serah/<int:batch_id>",
        "/admin/bpjs/<slug>/serah/<int:batch_id>/cetak", "/admin/bpjs/<slug>/serah/<int:batch_id>/daftar.<fmt>",
        "/admin/bpjs/<slug>/serah/<int:batch_id>/jawaban", "/admin/bpjs/<slug>/serah/<int:batch_id>/jawaban/<token>",
        "/admin/bpjs/tata-letak/<int:branch_id>", "/admin/perlindungan/", "/admin/perlindungan/<slug>/",
        "/admin/perlindungan/<slug>/cetak", "/admin/perlindungan/<slug>/<int:submission_id>/tanda",
        "/admin/perlindungan/<slug>/periode/<int:period_id>/benarkan", "/admin/capaian/unduh.<fmt>"}
    assert {rule for rule, _, _ in ROUTES} <= covered


@pytest.mark.parametrize("method, path", EVERY_STAFF + CAMPAIGN_ONLY + [
    ("GET", "/admin/tindak-lanjut/1"), ("POST", "/admin/tindak-lanjut/1"),
    ("POST", "/admin/tindak-lanjut/1/ganda"), ("GET", "/admin/tindak-lanjut/1/bukti.json"),
    ("POST", "/admin/tindak-lanjut/ekspor-besar.xlsx"), ("GET", "/admin/tindak-lanjut/ekspor/1"),
    ("GET", "/admin/tindak-lanjut/ekspor/1/unduh"), ("POST", "/admin/keluar-perangkat-lain")])
def test_anonymous_visitors_go_to_the_login_page(client, method, path):
    # With a valid CSRF token: without one, any POST is refused with 400 first.
    data = {"csrf_token": csrf(client, "/admin/masuk")} if method == "POST" else None
    response = client.open(path, method=method, data=data)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/masuk")


@pytest.mark.parametrize("method, path", EVERY_STAFF)
def test_cooperative_staff_reach_their_pages(pintu_air, members, method, path):
    assert pintu_air.open(path, method=method).status_code == 200


# What the campaign team gets for a POST of the access tables, sent with a CSRF
# token and nothing else; every GET is a page (200).
CAMPAIGN_POSTS = {
    "/admin/akun/baru": 400,  # the form again, with what is missing
    "/admin/akun/1/sandi": 400,
    "/admin/akun/1/nonaktifkan": 303,  # back to the list (account 1 is tim's own: left as it is)
    "/admin/akun/1/aktifkan": 303,
    "/admin/capaian/terbit": 400,  # the page again: no date given
}


@pytest.mark.parametrize("method, path", EVERY_STAFF + CAMPAIGN_ONLY)
def test_campaign_team_reaches_every_page(campaign, members, method, path):
    data = {"csrf_token": csrf(campaign, "/admin/akun/baru")} if method == "POST" else None
    response = campaign.open(path, method=method, data=data)
    expected = CAMPAIGN_POSTS[path] if method == "POST" else 200
    assert response.status_code == expected
    if expected == 400:
        page = soup(response)
        assert page.title.text.startswith("Galat: ") and page.select_one(".portal-error-summary a")
    elif expected == 303:
        assert response.headers["Location"] == "/admin/akun/"


@pytest.mark.parametrize("method, path", CAMPAIGN_ONLY)
def test_cooperative_staff_cannot_reach_campaign_pages(app, pintu_air, method, path, caplog):
    data = {"csrf_token": csrf(pintu_air, "/admin/sandi")} if method == "POST" else None
    with caplog.at_level(logging.WARNING):
        assert pintu_air.open(path, method=method, data=data).status_code == 403
    assert "refused" in caplog.text
    [entry] = audit_entries(app, "ditolak")
    assert entry.actor == "ani"


@pytest.mark.parametrize("path", OTHER_COOPERATIVE)
def test_another_cooperatives_data_by_parameter_is_refused_and_logged(app, pintu_air, members, path, caplog):
    with caplog.at_level(logging.WARNING):
        response = pintu_air.get(path)
    assert response.status_code == 404
    assert "Maria" not in response.get_data(as_text=True)
    assert "ani refused (data koperasi lain)" in caplog.text
    [entry] = audit_entries(app, "ditolak")
    assert entry.actor == "ani" and entry.cooperative == "pintu-air"
    assert entry.detail["alasan"] == "data koperasi lain"
    assert not audit_entries(app, "ekspor_csv") and not audit_entries(app, "lihat_daftar")


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("POST", ""), ("GET", "/bukti.json"),
                                            ("POST", "/ganda")])
def test_another_cooperatives_record_by_id_is_refused_and_logged(app, pintu_air, members, method, suffix):
    other = members["Fransiska Wae"]
    data = {"csrf_token": csrf(pintu_air, "/admin/sandi"), "status": "terdaftar",
            "asli": str(members["Maria Goreti"])} if method == "POST" else None
    response = pintu_air.open(f"/admin/tindak-lanjut/{other}{suffix}", method=method, data=data)
    assert response.status_code == 404
    assert "Fransiska" not in response.get_data(as_text=True)
    [entry] = audit_entries(app, "ditolak")
    assert entry.submission_id == other
    # The record is untouched, and answers like one that does not exist.
    assert pintu_air.get("/admin/tindak-lanjut/99999").status_code == 404
    campaign_view = pintu_air.get(f"/admin/tindak-lanjut/{members['Maria Goreti']}")
    assert campaign_view.status_code == 200


def listed(client, path: str) -> list[str]:
    """The names in the follow-up table of a page."""
    return [a.get_text() for a in soup(client.get(path)).select("table.admin-table tbody th a")]


def test_cooperative_staff_see_only_their_own_members_everywhere(pintu_air, members):
    assert sorted(listed(pintu_air, "/admin/tindak-lanjut/")) == ["Maria Goreti", "Yohanes Bosco"]
    for query in ("cari=Fransiska", "cari=0852", "cari=Umbu", "persetujuan=hubungi&cari=wae",
                  "kabupaten=53.11", "kampanye=-&cari=a"):
        assert not {"Fransiska Wae", "Umbu Ndaka"} & set(listed(pintu_air, f"/admin/tindak-lanjut/?{query}"))
    export = pintu_air.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True)
    assert "Maria Goreti" in export and "Fransiska" not in export and "Umbu" not in export
    dashboard = soup(pintu_air.get("/admin/"))
    assert dashboard.select_one("h1").get_text() == "Ringkasan: KSP Kopdit Pintu Air"
    assert "Obor Mas" not in dashboard.select_one("main").get_text()


def test_recap_index_leads_cooperative_staff_to_their_own_recap(pintu_air, campaign):
    assert pintu_air.get("/admin/rat/").headers["Location"] == "/admin/rat/pintu-air"
    links = [a["href"] for a in soup(campaign.get("/admin/rat/")).select("main a[href^='/admin/rat/']")]
    assert "/admin/rat/obor-mas" in links and "/admin/rat/pintu-air" in links


def test_own_cooperative_named_explicitly_is_fine(pintu_air, members):
    assert pintu_air.get("/admin/tindak-lanjut/?koperasi=pintu-air").status_code == 200
    assert pintu_air.get("/admin/?koperasi=pintu-air").status_code == 200


def test_campaign_team_sees_every_cooperative(campaign, members):
    text = campaign.get("/admin/tindak-lanjut/").get_data(as_text=True)
    for name in ("Maria Goreti", "Yohanes Bosco", "Fransiska Wae", "Umbu Ndaka"):
        assert name in text
    only = campaign.get("/admin/tindak-lanjut/?koperasi=obor-mas").get_data(as_text=True)
    assert "Fransiska Wae" in only and "Maria Goreti" not in only
    assert campaign.get(f"/admin/tindak-lanjut/{members['Fransiska Wae']}").status_code == 200
    assert campaign.get("/admin/?koperasi=tidak-ada").status_code == 404
    assert campaign.get("/admin/rat/lainnya").status_code == 404


def test_unknown_export_format_is_not_found(pintu_air):
    assert pintu_air.get("/admin/tindak-lanjut/ekspor.pdf").status_code == 404


def test_back_office_pages_are_never_cached(pintu_air, members):
    assert pintu_air.get("/admin/tindak-lanjut/").headers["Cache-Control"] == "no-store"
