"""Generated submissions never crash the form (FUZZ_EXAMPLES raises the count)."""
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Submission
from tests.actions import VALID, open_form
from tests.conftest import soup

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))

def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Submission))


hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["", " ", "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(\"x\")",
                     "\x00", "０８１２３４５６７８９０", "+62 812 3456 7890", "lainnya", "setuju", "y",
                     "9" * 5000, "53.07", "persen", "-1", "1e9"]),
)
field_values = st.one_of(hostile_text, st.lists(hostile_text, max_size=4))


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(sorted(VALID) + ["situs_web", "extra", "csrf_token"]),
                               field_values, max_size=8),
       keep_tokens=st.booleans())
def test_random_submissions_never_cause_a_server_error(sqlite_app, changes, keep_tokens):
    sqlite_app.config["FORM_RATE_LIMIT"] = "100000 per minute"
    client = sqlite_app.test_client()
    tokens = open_form(client) if keep_tokens else {}
    before = stored(sqlite_app)
    response = client.post("/daftar/", data={**VALID, **tokens, **changes})
    if response.status_code == 303:  # accepted: one record more, and its receipt
        assert re.fullmatch(r"/daftar/selesai/[A-Z0-9]{8}/[0-9a-f]{32}", response.headers["Location"])
        assert stored(sqlite_app) == before + 1
    else:  # refused with the form again, or as too large: nothing stored
        assert response.status_code in (400, 413), response.status_code
        assert stored(sqlite_app) == before
        if response.status_code == 400:
            assert soup(response).select_one(".portal-error-summary") is not None
