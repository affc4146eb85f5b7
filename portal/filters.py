"""Template filters and tests shared by every portal page.

Templates ask the domain's predicates (``record is rat_final``), never compare
its state strings."""
from markupsafe import Markup

from kkbc import choices
from kkbc.formatting import long_date, rupiah
from kkbc.rates import Month

from . import rat
from .consent import phone


def init_app(app) -> None:
    """Register the filters and tests on the app's templates."""
    app.add_template_filter(rupiah, "rupiah")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(lambda key: choices.CONTACT_CHANNELS.get(key, key), "channel_label")
    app.add_template_filter(lambda text: Month.parse(text).label(), "month_label")
    app.add_template_filter(phone.display, "phone_display")
    app.add_template_filter(printed_url, "printed_url")
    app.add_template_test(rat.is_draft, "rat_draft")
    app.add_template_test(rat.is_final, "rat_final")
    app.add_template_test(rat.converts_shu, "converting_shu")


def printed_url(url: str) -> Markup:
    """A URL for paper that may wrap only after a slash: a line broken at "pintu-" reads
    as a hyphenated word, and a member who types it leaves the hyphen out."""
    parts = [Markup('<span class="cetak-utuh">%s</span>') % part for part in url.split("/")]
    return Markup("/<wbr>").join(parts)
