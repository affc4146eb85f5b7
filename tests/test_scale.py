"""Members are never held back by staff reading, on the embedded SQLite: a
staff member reloads the dashboard and the campaign view without pause while
members submit, on the real gunicorn (3 sync workers). At the largest
partner's size (200,000 + 3 x 20,000 records) the test is slow and runs in
`make reliability`; `make test` runs the same check on a small campaign."""
import pytest

from harness import scale, servers

SMALL = {"pintu-air": 2_000, "swasti-sari": 200, "obor-mas": 200, "sangosay": 200}


def check(tmp_path, sizes: dict, members: int) -> dict:
    url = f"sqlite:///{tmp_path / 'scale.db'}"
    env = scale.prepared(url, tmp_path, sizes)
    with servers.gunicorn(env, workers=3) as (base, _):
        result = scale.members_while_staff_read(base, members)
    assert result["acknowledged"] == members, result
    assert result["private page shown"] == members, result
    assert result["staff reads"] >= 2 and result["staff reads ok"] == result["staff reads"], result
    return result


def test_members_are_acknowledged_while_staff_reload_the_dashboard(tmp_path):
    check(tmp_path, SMALL, members=10)


@pytest.mark.slow
def test_at_full_size_every_member_is_acknowledged_while_staff_read(tmp_path):
    from harness import seed

    check(tmp_path, seed.FULL, members=30)


def download(base: str, fmt: str) -> list[list]:
    """The follow-up export as the campaign team downloads it, as rows of cells."""
    import csv
    import io

    from openpyxl import load_workbook

    # An XLSX is sent once written: its first byte may come after EXPORT_SECONDS (20 s).
    with scale.log_in(base, "tim.kampanye").open(base + f"/admin/tindak-lanjut/ekspor.{fmt}", timeout=60) as r:
        body = r.read()
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [list(r) for r in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]


def whole_or_says_so(rows: list[list], expected: int) -> bool:
    """True when the file is whole; False when its last line says it is not. Anything else fails."""
    data, last = rows[1:-1], rows[-1][0]
    if last == f"Akhir berkas: {expected:,} baris data. Berkas ini lengkap.".replace(",", "."):
        assert len(data) == expected
        return True
    assert last.startswith(f"BERKAS TIDAK LENGKAP: hanya {len(data):,}".replace(",", ".")), last
    return False


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_on_the_real_server_arrive_whole_or_say_they_are_not(tmp_path, fmt):
    env = scale.prepared(f"sqlite:///{tmp_path / 'scale.db'}", tmp_path, SMALL)
    with servers.gunicorn(env, workers=1) as (base, _):
        assert whole_or_says_so(download(base, fmt), sum(SMALL.values()))
    env["EXPORT_SECONDS"] = "0"  # time is up before the first row: the file says so
    with servers.gunicorn(env, workers=1) as (base, _):
        assert not whole_or_says_so(download(base, fmt), sum(SMALL.values()))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_at_full_size_an_export_is_made_in_the_background_and_arrives_whole(tmp_path, fmt):
    import csv
    import io

    from openpyxl import load_workbook

    from harness import seed

    env = scale.prepared(f"sqlite:///{tmp_path / 'scale.db'}", tmp_path, seed.FULL)
    with servers.gunicorn(env, workers=3) as (base, _):
        body, _ = scale.background_export(scale.log_in(base, "tim.kampanye"), base, fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]
    assert whole_or_says_so(rows, sum(seed.FULL.values()))
