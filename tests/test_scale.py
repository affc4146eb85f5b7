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
