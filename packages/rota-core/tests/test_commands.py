import io

import pytest
from django.core.management import CommandError, call_command

from rota_core.models import Person

pytestmark = pytest.mark.django_db


def import_people(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_people", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_good_file_with_a_progress_bar(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("\ufeffname,email\nAnn,ann@example.com\nBen,ben@example.com\n", "utf-8")

    out, err = import_people(path)

    assert out == "Created 2 people.\n"
    assert "Creating: 100%" in err
    assert Person.objects.count() == 2


def test_a_bad_row_is_reported_on_stderr_and_nothing_is_written(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,email\nAnn,ann@example.com\nBen,not-an-email\n", "utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"1 error\(s\) in .*; nothing was imported"):
        call_command("import_people", str(path), "--no-progress", stderr=err)

    assert err.getvalue() == "row 3: email: Enter a valid email address.\n"
    assert not Person.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        import_people(tmp_path / "nope.csv")


def test_a_file_that_is_not_utf8_is_a_command_error(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("name,email\nJosé,jose@example.com\n".encode("latin-1"))

    with pytest.raises(CommandError, match="not a readable UTF-8 CSV"):
        import_people(path)
