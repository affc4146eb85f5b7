"""portal.consent.phone: Indonesian mobile numbers as people write them, stored in
E.164, each wrong number refused with the kind of mistake it is."""
import pytest

from portal.consent import phone


@pytest.mark.parametrize("typed, stored", [
    ("081234567890", "+6281234567890"),
    ("0812-3456-7890", "+6281234567890"),
    ("0812 3456 7890", "+6281234567890"),
    ("0812.3456.7890", "+6281234567890"),
    ("(0812) 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),  # the country code without its plus
    ("62 812 3456 7890", "+6281234567890"),
    ("+6281234567890", "+6281234567890"),
    ("+62 812-3456-7890", "+6281234567890"),
    ("81234567890", "+6281234567890"),  # the trunk 0 left out
    ("  085212345678 ", "+6285212345678"),
    ("0812\t3456 7890", "+6281234567890"),
    ("0813 3912 3456", "+6281339123456"),
    ("０８１２３４５６７８９０", "+6281234567890"),  # full-width digits from some keyboards
])
def test_accepted_numbers_are_stored_as_e164(typed, stored):
    assert phone.normalise(typed) == stored


@pytest.mark.parametrize("typed", ["", None, "0812", "nomor saya 0812", "08123456789012345",
                                   "0812-3456-789O", "+62+812345678", "0812/3456/7890"])
def test_not_a_number_is_a_format_error(typed):
    with pytest.raises(phone.PhoneError) as error:
        phone.normalise(typed)
    assert str(error.value) == "format"


@pytest.mark.parametrize("typed", ["0812345", "628123", "+6281234567890123", "+1 202 555 0101",
                                   "+61 412 345 678", "0062 812 3456 7890"])
def test_a_number_that_does_not_exist_in_indonesia_is_invalid(typed):
    with pytest.raises(phone.PhoneError) as error:
        phone.normalise(typed)
    assert str(error.value) == "invalid"


@pytest.mark.parametrize("typed", ["0380 821234", "(0380) 833 123", "021 1234 5678",
                                   "0800 1234 567"])  # Kupang, Jakarta, toll-free
def test_a_landline_is_refused_as_a_landline(typed):
    with pytest.raises(phone.PhoneError) as error:
        phone.normalise(typed)
    assert str(error.value) == "landline"


def test_phone_error_is_a_value_error():
    assert issubclass(phone.PhoneError, ValueError)


@pytest.mark.parametrize("stored, shown", [
    ("+6281234567890", "0812-3456-7890"),
    ("+6285212345678", "0852-1234-5678"),
    (None, ""),
    ("", ""),
    ("bukan nomor", "bukan nomor"),  # imported or legacy text is shown as it is
])
def test_display_reads_back_the_way_members_write(stored, shown):
    assert phone.display(stored) == shown


def test_display_of_a_normalised_number_normalises_to_the_same_number():
    stored = phone.normalise("0813 3912 3456")
    assert phone.normalise(phone.display(stored)) == stored


def test_display_of_mobile_numbers_matches_phonenumbers_for_every_prefix_and_length():
    """The direct layout of mobile numbers gives what phonenumbers gives."""
    import random

    import phonenumbers

    rng = random.Random(7)
    for second in "0123456789":
        for length in range(7, 12):
            for _ in range(40):
                stored = f"+628{second}" + "".join(rng.choice("0123456789") for _ in range(length))
                expected = phonenumbers.format_number(phonenumbers.parse(stored, "ID"),
                                                      phonenumbers.PhoneNumberFormat.NATIONAL)
                assert phone.display(stored) == expected, stored
