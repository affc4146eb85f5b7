"""Template filters shared by every portal page."""
from . import choices
from .rates import rupiah


def init_app(app) -> None:
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(lambda key: choices.CONTACT_CHANNELS.get(key, key), "channel_label")
