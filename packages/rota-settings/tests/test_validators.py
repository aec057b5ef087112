import pytest
from django.core.exceptions import ValidationError

from rota_settings.validators import validate_timezone


@pytest.mark.parametrize("name", ["UTC", "Europe/Paris", "America/Argentina/Buenos_Aires"])
def test_known_zones_pass(name):
    validate_timezone(name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "europe/paris", "", " UTC", "+02:00"])
def test_unknown_zone_is_named_in_the_error(name):
    with pytest.raises(ValidationError) as exc:
        validate_timezone(name)
    assert exc.value.messages == [f'Unknown time zone "{name}".']
    assert exc.value.code == "unknown_timezone"


@pytest.mark.parametrize("value", [None, 42, ["UTC"]])
def test_non_strings_are_rejected(value):
    with pytest.raises(ValidationError, match="Unknown time zone"):
        validate_timezone(value)


def test_a_huge_value_is_shortened_in_the_message():
    with pytest.raises(ValidationError) as exc:
        validate_timezone("x" * 10_000)
    assert exc.value.messages == [f'Unknown time zone "{"x" * 64}…".']
