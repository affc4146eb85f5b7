"""The base form every portal form builds on."""
from __future__ import annotations

from functools import cache

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.fields.choices import SelectChoice


def strip_whitespace(value):
    """Trim what people paste from WhatsApp: leading/trailing spaces and newlines."""
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Strips whitespace from every text field but passwords: a space at either
    end of a password is part of it, and a login must match it exactly."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            """Bind each field with the base form's filters (whitespace stripped);
            a field the form class declares is bound once per worker and copied."""
            name = options.get("name")
            if getattr(type(form), name, None) is not unbound_field:  # the CSRF field, new for each form
                return unbound_field.bind(form=form, filters=_filters(unbound_field), **options)
            key = (unbound_field, name, options.get("prefix"))
            bound = _BOUND.get(key)
            if bound is None:
                bound = _BOUND[key] = unbound_field.bind(form=form, filters=_filters(unbound_field), **options)
            field = object.__new__(type(bound))  # Field.__new__ would make an unbound field
            field.__dict__.update(bound.__dict__)
            return field


# Fields as bound for the first form of their class: binding builds a field's
# label, flags and widget (about 0.9 M of a member's 7 M instructions per
# POST, bench/RESULTS.md), and none of them changes with the request. A copy
# holds its own data and errors; what it shares (label, choices, validators)
# is only ever replaced, never changed in place.
_BOUND: dict = {}


@cache
def _filters(unbound_field) -> tuple:
    """The field's own filters, then stripping, except for passwords, where a
    space is part of the secret (worked out once per field of a form class)."""
    filters = tuple(unbound_field.kwargs.get("filters", ()))
    if issubclass(unbound_field.field_class, PasswordField) or strip_whitespace in filters:
        return filters
    return (*filters, strip_whitespace)


class ConfirmForm(BaseForm):
    """An empty form: a button and its CSRF token."""


def options(pairs) -> list[SelectChoice]:
    """Choices for select, radio and checkbox fields from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
