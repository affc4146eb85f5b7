"""Template filters shared by every portal page."""
from . import choices
from .rates import MONTH_NAMES, rupiah


def long_date(day) -> str:
    """1 Desember 2026."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def init_app(app) -> None:
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(lambda key: choices.CONTACT_CHANNELS.get(key, key), "channel_label")
