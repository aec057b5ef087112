import pytest

from rota_core.models import Person

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


@pytest.fixture
def many_people(db):
    Person.objects.bulk_create(
        Person(name=f"Person {n:03d}", email=f"p{n}@example.com", calendar_token=f"t{n}")
        for n in range(205)
    )


def test_default_page_is_50_with_links(user_client, many_people):
    body = user_client.get(PEOPLE).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 205
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"].endswith("/api/v1/people/?page=2")


def test_page_size_can_be_chosen(user_client, many_people):
    body = user_client.get(PEOPLE, {"page_size": 10, "page": 3}).json()

    assert [row["name"] for row in body["results"]][:1] == ["Person 020"]
    assert len(body["results"]) == 10
    assert "page=2" in body["previous"]
    assert "page=4" in body["next"]


def test_page_size_is_capped_at_200(user_client, many_people):
    body = user_client.get(PEOPLE, {"page_size": 1000}).json()

    assert len(body["results"]) == 200


def test_a_page_past_the_end_is_404(user_client, many_people):
    assert user_client.get(PEOPLE, {"page": 99}).status_code == 404
