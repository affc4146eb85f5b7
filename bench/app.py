"""The production application plus a bare endpoint, so every benchmark figure
can be read as a ratio to what this gunicorn and Flask can do at best."""
from portal import create_app
from portal.extensions import limiter

app = create_app()


@app.get("/bench/ok")
@limiter.exempt
def ok():
    return "ok"
