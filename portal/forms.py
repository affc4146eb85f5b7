"""The base form every portal form builds on."""
from __future__ import annotations

from flask_wtf import FlaskForm


def strip_whitespace(value):
    """Trim what people paste from WhatsApp: leading/trailing spaces and newlines."""
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Strips whitespace from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            if strip_whitespace not in filters:
                filters.append(strip_whitespace)
            return unbound_field.bind(form=form, filters=filters, **options)
