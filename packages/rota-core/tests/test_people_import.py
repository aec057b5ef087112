import csv
import io

import pytest

from rota_core.models import Person
from rota_core.people_import import people_import_csv
from rota_core.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(text):
    return people_import_csv(rows=csv.reader(io.StringIO(text)))


def messages(result):
    return [str(error) for error in result.errors]


def test_a_good_file_creates_everyone():
    result = run(
        "name,email,timezone,notify_email,is_active\n"
        "Ann,ann@example.com,Europe/Paris,false,\n"
        "Ben,ben@example.com,,,no\n"
    )

    assert result.errors == []
    assert [p.name for p in result.created] == ["Ann", "Ben"]
    ann, ben = Person.objects.order_by("name")
    assert (ann.timezone, ann.notify_email, ann.is_active) == ("Europe/Paris", False, True)
    assert (ben.timezone, ben.notify_email, ben.is_active) == (None, True, False)
    assert ben.deactivated_at is not None


def test_only_name_and_email_are_required_and_blank_lines_are_skipped():
    result = run("Email , NAME\ncy@example.com,Cy\n\n")

    assert result.errors == []
    assert Person.objects.get().email == "cy@example.com"


def test_any_bad_row_writes_nothing_and_every_bad_row_is_reported():
    PersonFactory(email="taken@example.com")

    result = run(
        "name,email,timezone\n"
        "Ann,ann@example.com,\n"  # fine
        ",bad-address,Mars/Base\n"
        "Tak,TAKEN@example.com,\n"
        "Ann Again,Ann@Example.com,\n"
        "Short\n"
    )

    assert result.created == []
    assert Person.objects.count() == 1
    assert messages(result) == [
        "row 3: name: This field may not be blank.",
        "row 3: email: Enter a valid email address.",
        'row 3: timezone: Unknown time zone "Mars/Base".',
        "row 4: email: A person with this email already exists.",
        "row 5: email: the same email as row 2",
        "row 6: row: expected 3 values, found 1",
    ]


def test_a_bad_boolean_names_the_field():
    result = run("name,email,notify_email\nAnn,ann@example.com,sometimes\n")

    assert messages(result) == ["row 2: notify_email: Must be a valid boolean."]


def test_header_problems_are_reported_as_row_1():
    result = run("name,mail,team,name\nAnn,ann@example.com,ops,Ann\n")

    assert messages(result) == [
        "row 1: header: missing column 'email'",
        "row 1: header: unknown column 'mail'",
        "row 1: header: unknown column 'team'",
        "row 1: header: column 'name' appears twice",
    ]
    assert not Person.objects.exists()


def test_an_empty_file_is_an_error():
    assert messages(run("")) == ["row 1: header: the file is empty"]


def test_progress_sees_both_phases():
    seen = []

    def progress(items, description, total):
        seen.append((description, total))
        return items

    people_import_csv(
        rows=csv.reader(io.StringIO("name,email\nAnn,ann@example.com\n")), progress=progress
    )

    assert seen == [("Validating", 1), ("Creating", 1)]
