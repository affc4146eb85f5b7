"""Account rules, the users commands, and accounts made in the back office."""
import pytest

from portal.staff import accounts
from portal.extensions import db
from portal.models import User
from tests.admin.conftest import PASSWORD, audit_entries, csrf, login
from tests.conftest import soup


@pytest.mark.parametrize("password, message", [
    ("pendek", "Kata sandi paling sedikit 12 karakter"),
    ("password1234", "Kata sandi ini terlalu mudah ditebak"),
    ("123456789012", "Kata sandi ini terlalu mudah ditebak"),
    ("qwertyuiopasdf", "Kata sandi ini terlalu mudah ditebak"),
    ("koperasi2026!", "Kata sandi ini terlalu mudah ditebak"),
    ("x" * 201, "Kata sandi paling panjang 200 karakter"),
])
def test_password_rules(password, message):
    assert accounts.password_problem(password, "ani").startswith(message)


@pytest.mark.parametrize("password", [PASSWORD, "Ikan tuna dari Larantuka!", "tenun ikat sikka 7 warna",
                                      " sapi merah makan rumput "])
def test_good_passwords_pass(password):
    assert accounts.password_problem(password, "ani") is None


def test_the_username_itself_is_not_a_password():
    assert accounts.password_problem("mariagoreti1990", "mariagoreti") is not None


USERNAME_RULE = ("Nama pengguna 3 sampai 40 karakter: huruf kecil, angka, titik, "
                 "garis bawah atau tanda hubung, diawali huruf atau angka")


@pytest.mark.parametrize("username", ["ab", "Ani Baru", "ANI", "-ani", ".ani", "ani@koperasi", "a" * 41, "", None])
def test_username_rules_refuse_with_one_message(username):
    assert accounts.username_problem(username) == USERNAME_RULE


@pytest.mark.parametrize("username", ["ani", "ani.pintuair", "oki_2", "7bintang", "a-b", "a" * 40])
def test_username_rules_take_plain_names(username):
    assert accounts.username_problem(username) is None


def test_passwords_are_stored_as_argon2id(app, staff):
    with app.app_context():
        user = accounts.find("ani")
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_cli_creates_lists_disables_and_resets(app, runner):
    result = runner.invoke(args=["users", "create", "--role", "koperasi", "--koperasi", "pintu-air",
                                 "--password-stdin", "ani"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output == "created ani (koperasi, pintu-air)\n"
    result = runner.invoke(args=["users", "create", "--role", "kampanye", "tim"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")  # asked twice, not echoed
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["users", "list"]).output == (
        "tim\tkampanye\t-\tactive\nani\tkoperasi\tpintu-air\tactive\n")
    assert runner.invoke(args=["users", "disable", "ani"]).output == "disabled ani\n"
    assert login(app.test_client(), "ani").status_code == 400
    assert runner.invoke(args=["users", "enable", "ani"]).exit_code == 0
    new = "kopi bajawa pagi hari"
    result = runner.invoke(args=["users", "set-password", "--password-stdin", "ani"], input=new + "\n")
    assert result.output == "password changed for ani\n"
    assert login(app.test_client(), "ani", new).status_code == 303
    assert [(e.actor, e.action) for e in audit_entries(app) if "masuk" not in e.action] == [
        ("baris-perintah", action) for action in
        ("akun_dibuat", "akun_dibuat", "akun_dinonaktifkan", "akun_diaktifkan", "sandi_diganti")]


def test_cli_set_active_is_what_disable_and_enable_do(app, runner):
    runner.invoke(args=["users", "create", "--role", "kampanye", "--password-stdin", "tim"], input=PASSWORD + "\n")
    assert runner.invoke(args=["users", "set-active", "tim", "--off"]).output == "disabled tim\n"
    assert login(app.test_client(), "tim").status_code == 400
    assert runner.invoke(args=["users", "set-active", "tim", "--on"]).output == "enabled tim\n"
    assert login(app.test_client(), "tim").status_code == 303
    result = runner.invoke(args=["users", "set-active", "tim"])
    assert result.exit_code == 2 and "Missing option '--on'" in result.output
    assert [e.action for e in audit_entries(app) if e.action.startswith("akun_")] == [
        "akun_dibuat", "akun_dinonaktifkan", "akun_diaktifkan"]


@pytest.mark.parametrize("args, stdin, message", [
    (["--role", "koperasi", "ani"], PASSWORD, "--koperasi is required"),
    (["--role", "koperasi", "--koperasi", "tidak-ada", "ani"], PASSWORD, "Invalid value for '--koperasi'"),
    (["--role", "admin", "ani"], PASSWORD, "Invalid value for '--role'"),
    (["--role", "kampanye", "Ani Baru"], PASSWORD, "Nama pengguna 3 sampai 40 karakter"),
    (["--role", "kampanye", "ani"], "password1234", "Kata sandi ini terlalu mudah ditebak"),
])
def test_cli_refuses_bad_accounts(app, runner, args, stdin, message):
    result = runner.invoke(args=["users", "create", "--password-stdin", *args], input=stdin + "\n")
    assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_cli_refuses_a_duplicate_and_an_unknown_account(runner, staff):
    result = runner.invoke(args=["users", "create", "--role", "kampanye", "--password-stdin", "ANI"],
                           input=PASSWORD + "\n")
    assert "Nama pengguna ini sudah dipakai" in result.output
    assert "no account named 'siapa'" in runner.invoke(args=["users", "disable", "siapa"]).output


def new_account(client, **changes):
    data = {"csrf_token": csrf(client, "/admin/akun/baru"), "nama_pengguna": "rina.pintuair",
            "peran": "koperasi", "koperasi": "pintu-air", "sandi_baru": PASSWORD, "ulangi_sandi": PASSWORD}
    data.update(changes)
    return client.post("/admin/akun/baru", data=data)


def test_campaign_team_creates_a_cooperative_account(app, campaign):
    response = new_account(campaign)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/akun/"
    rows = [r.select_one("th").get_text() for r in soup(campaign.get("/admin/akun/")).select("tbody tr")]
    assert "rina.pintuair" in rows
    rina = app.test_client()
    assert login(rina, "rina.pintuair").status_code == 303
    assert rina.get("/admin/tindak-lanjut/?koperasi=obor-mas").status_code == 404
    [entry] = audit_entries(app, "akun_dibuat")
    assert entry.actor == "tim" and entry.detail == {"akun": "rina.pintuair", "peran": "koperasi"}


@pytest.mark.parametrize("changes, message", [
    ({"koperasi": ""}, "Pilih koperasi untuk akun staf koperasi"),
    ({"nama_pengguna": "ani"}, "Nama pengguna ini sudah dipakai"),
    ({"nama_pengguna": "a b"}, "Nama pengguna 3 sampai 40 karakter"),
    ({"sandi_baru": "password1234", "ulangi_sandi": "password1234"}, "Kata sandi ini terlalu mudah ditebak"),
    ({"ulangi_sandi": "lain sekali kata sandinya"}, "Kedua kata sandi tidak sama"),
    ({"peran": "admin"}, "Pilih peran dari daftar"),
])
def test_account_form_errors(campaign, changes, message):
    response = new_account(campaign, **changes)
    assert response.status_code == 400
    summary = [a.get_text() for a in soup(response).select(".portal-error-summary a")]
    assert any(s.startswith(message) for s in summary), summary


def test_a_password_keeps_its_spaces_and_only_the_exact_one_logs_in(app, campaign):
    """Forms trim text fields, but not passwords: a trailing space is part of it."""
    typed = PASSWORD + " "
    assert new_account(campaign, sandi_baru=typed, ulangi_sandi=typed).status_code == 303
    with app.app_context():
        user = accounts.find("rina.pintuair")
        assert accounts.check_password(user, typed) and not accounts.check_password(user, PASSWORD)
    assert login(app.test_client(), "rina.pintuair", PASSWORD).status_code == 400
    assert login(app.test_client(), "rina.pintuair", " " + typed).status_code == 400
    assert login(app.test_client(), "rina.pintuair", typed).status_code == 303


def test_campaign_team_resets_a_password(app, campaign, staff):
    new = "kopi bajawa pagi hari"
    response = campaign.post(f"/admin/akun/{staff['ani']}/sandi", data={
        "csrf_token": csrf(campaign, "/admin/akun/"), "sandi_baru": new, "ulangi_sandi": new})
    assert response.status_code == 303
    assert login(app.test_client(), "ani", new).status_code == 303
    assert campaign.get("/admin/akun/999/sandi").status_code == 404


def test_the_campaign_team_cannot_disable_its_own_account(app, campaign, staff):
    response = campaign.post(f"/admin/akun/{staff['tim']}/nonaktifkan",
                             data={"csrf_token": csrf(campaign, "/admin/akun/")})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, staff["tim"]).is_active
    assert campaign.get("/admin/").status_code == 200
