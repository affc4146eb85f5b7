"""Public blueprint: the interest and consent form and its confirmation."""
from flask import Blueprint

__all__ = ["bp", "InterestForm", "RegistrationForm", "radio", "tokens"]

bp = Blueprint("public", __name__)

from . import bpjs, tokens, views  # noqa: E402,F401  (registers the routes)
# The back office asks the same questions: the member's form, and BPJS's registration data.
from .bpjs.forms import RegistrationForm  # noqa: E402
from .forms import InterestForm, radio  # noqa: E402
