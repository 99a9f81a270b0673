from datetime import timedelta

from careguide.store.base import utcnow
from careguide.store.models import Notification


def test_only_due_notifications_of_the_caller_are_listed_and_can_be_read(client, people, database):
    alice, alice_h = people.make("alice")
    bob, bob_h = people.make("bob")
    with database.session() as session:
        session.add_all([
            Notification(user_id=alice, kind="reminder", title="now", due_at=utcnow() - timedelta(minutes=1)),
            Notification(user_id=alice, kind="reminder", title="later", due_at=utcnow() + timedelta(days=1)),
            Notification(user_id=bob, kind="reminder", title="bob's", due_at=utcnow() - timedelta(minutes=1)),
        ])
    listed = client.get("/api/v1/me/notifications", headers=alice_h).json()
    assert [n["title"] for n in listed] == ["now"]
    assert client.post(f"/api/v1/me/notifications/{listed[0]['id']}/read", headers=bob_h).status_code == 404
    assert client.post(f"/api/v1/me/notifications/{listed[0]['id']}/read", headers=alice_h).json()["read_at"]
    assert client.get("/api/v1/me/notifications", headers=alice_h).json() == []
