"""Error pages in plain Indonesian; never a bare server page."""
from __future__ import annotations

from flask import render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, TooManyRequests

from .platform import uploads
from .extensions import db
from .platform import logs

MESSAGES = {
    400: ("Permintaan tidak bisa dibaca", "Data yang dikirim rusak atau tidak lengkap. Silakan coba lagi dari awal."),
    403: ("Tidak boleh dibuka", "Anda tidak punya izin untuk membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Alamat ini tidak ada. Mungkin salah ketik, atau halamannya sudah pindah."),
    405: ("Cara membuka tidak didukung", "Halaman ini tidak bisa dibuka dengan cara itu."),
    413: ("Data terlalu besar", "Isian yang dikirim terlalu panjang. Persingkat lalu kirim lagi."),
    414: ("Alamat terlalu panjang", "Alamat halaman ini terlalu panjang. Periksa tautannya, atau buka dari halaman depan."),
    429: ("Terlalu banyak percobaan", "Tunggu beberapa menit, lalu coba lagi."),
    500: ("Ada gangguan di server", "Maaf, ada gangguan di pihak kami. Coba lagi beberapa saat lagi."),
    503: ("Layanan sedang terganggu", "Data tidak bisa dibuka atau disimpan sekarang. Isian Anda belum terkirim. Tunggu sebentar, lalu coba lagi."),
}


def render_error(code: int):
    """The Indonesian error page for a status code."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("error/error.html", code=code, title=title, message=message), code


def init_app(app) -> None:
    """Answer every error with an Indonesian page, never a bare server page."""
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        # Usually a page left open too long, or cookies cleared: say so plainly.
        return render_template("error/error.html", code=400, title="Halaman sudah kedaluwarsa",
                               message="Halaman ini terlalu lama terbuka. Kembali, muat ulang halaman, lalu coba lagi."), 400

    @app.errorhandler(TooManyRequests)  # Flask-Limiter's and platform.rate_limits.limit_per_address's
    def too_many(exc: TooManyRequests):
        page, code = render_error(429)
        # The limit's whole window: the earliest time a retry is sure to pass.
        seconds = exc.limit.limit.get_expiry() if isinstance(exc, RateLimitExceeded) else exc.retry_after
        return page, code, {"Retry-After": str(seconds)}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        limit = uploads.upload_max() if exc.code == 413 else None
        if limit:  # a file over an upload view's limit: say which limit, in the file's words
            return render_template("error/error.html", code=413, title="Berkas terlalu besar",
                                   message=uploads.too_big(limit) + ". Perkecil berkasnya atau bagi menjadi "
                                   "beberapa berkas, lalu unggah lagi."), 413
        return render_error(exc.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_error(exc: Exception):
        # A database that is down, hung or too slow: the timeouts in config
        # end the request within seconds, and the member is told plainly.
        app.logger.error("database unavailable on %s %s: %s", request.method, logs.redact(request.path),
                         type(exc).__name__)
        db.session.rollback()
        return render_error(503)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, logs.redact(request.path))
        return render_error(500)
