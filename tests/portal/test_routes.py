"""Public URLs are a contract: members bookmark their private links, and
cooperatives print /k/ links on posters that stay on walls for years."""

# Every route outside the back office: (rule, methods, endpoint). A new or
# renamed URL fails this test until it is added here (the back office has
# its own list in tests/admin/test_access.py).
ROUTES = [
    ("/bukti/kunci.json", "GET", "public.kunci"),
    ("/daftar/", "GET", "public.daftar"),
    ("/daftar/", "POST", "public.daftar_post"),
    ("/daftar/selesai/<code>/<sig>", "GET", "public.selesai"),
    ("/daftar/selesai/<code>/<sig>/cetak", "GET", "public.cetak"),
    ("/healthz", "GET", "status.healthz"),
    ("/k/<slug>", "GET", "public.cooperative_link"),
    ("/k/<slug>/<campaign>", "GET", "public.cooperative_link"),
    ("/kelola/", "GET,POST", "public.kelola_cari"),
    ("/kelola/<code>/<sig>", "GET", "public.kelola"),
    ("/kelola/<code>/<sig>/<action>", "GET,POST", "public.kelola_aksi"),
    ("/kelola/<code>/<sig>/bayar-sendiri", "GET,POST", "public.bayar_sendiri"),
    ("/kelola/<code>/<sig>/bpjs", "GET,POST", "public.kelola_bpjs"),
    ("/kelola/<code>/<sig>/bpjs/tarik", "GET,POST", "public.kelola_bpjs_tarik"),
    ("/kelola/<code>/<sig>/bukti", "GET", "public.bukti"),
    ("/kelola/<code>/<sig>/bukti.json", "GET", "public.bukti_json"),
    ("/kelola/<code>/<sig>/kartu", "GET", "public.kartu"),
    ("/kelola/<code>/<sig>/ubah", "GET,POST", "public.kelola_ubah"),
]


def test_public_route_list_snapshot(sqlite_app):
    routes = sorted((r.rule, ",".join(sorted(r.methods - {"HEAD", "OPTIONS"})), r.endpoint)
                    for r in sqlite_app.url_map.iter_rules() if not r.endpoint.startswith("admin."))
    assert routes == sorted(ROUTES)
