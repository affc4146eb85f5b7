"""Template filters shared by every portal page."""
from kkbc import choices
from kkbc.formatting import long_date, rupiah
from kkbc.rates import Month

from . import phone


def init_app(app) -> None:
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(lambda key: choices.CONTACT_CHANNELS.get(key, key), "channel_label")
    app.add_template_filter(lambda text: Month.parse(text).label(), "month_label")
    app.add_template_filter(phone.display, "phone_display")
