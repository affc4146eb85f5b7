"""Files the portal sends to be saved, never shown inline: one helper for every download."""
from __future__ import annotations

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The type of a file, from its name's ending.
TYPES = {"csv": "text/csv", "xlsx": XLSX, "json": "application/json", "png": "image/png", "svg": "image/svg+xml"}


def send(body, filename: str, mimetype: str | None = None, headers: dict | None = None) -> Response:
    """``body`` (bytes, text, or a generator of either, streamed) as the file
    ``filename``, typed by its ending unless ``mimetype`` says otherwise."""
    return Response(body, mimetype=mimetype or TYPES[filename.rsplit(".", 1)[-1]],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})})
