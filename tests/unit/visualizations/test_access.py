"""Who may subscribe to `visualization:<id>`, and who is dropped when it is unshared or deleted —
through the real entrypoint, the Flask routes and the loopback @connections."""

from __future__ import annotations

import pytest

from tests.contract.test_contract import assert_valid
from tests.unit.test_topics import connect, send

OUTSIDER = "sub-outsider"


def of_type(server, cid: str, kind: str) -> list[dict]:
    return [m for m in server.messages(cid) if m["type"] == kind]


def errors(server, cid: str) -> list[str]:
    return [m["error"] for m in of_type(server, cid, "error")]


@pytest.fixture
def live(handler):
    import app as lambda_module
    from invoice_app import get_services

    return get_services(lambda_module.get_app())


@pytest.fixture
def owner(client_as):
    return client_as("reviewer")


def create(client, *, shared: bool) -> dict:
    body = {"name": "Latency", "type": "normal", "shared": shared}
    response = client.post("/api/visualizations", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def people(handler, connections_server, owner):
    """A connection of the owner of the visualizations and one of someone else."""
    sub = owner.get("/api/me").get_json()["sub"]
    mine = connect(handler, connections_server, "O=", sub=sub, name="Rita Reviewer")
    theirs = connect(handler, connections_server, "X=", sub=OUTSIDER, name="Otto Outsider")
    return mine, theirs


def members(live, viz: dict) -> list[str]:
    return [m.connection_id for m in live.topics.members(f"visualization:{viz['id']}")]


def test_a_shared_one_is_open_to_everyone(handler, connections_server, live, owner, people) -> None:
    mine, theirs = people
    viz = create(owner, shared=True)
    topic = f"visualization:{viz['id']}"
    for cid in people:
        send(handler, cid, {"action": "subscribe", "topic": topic})

    assert errors(connections_server, theirs) == []
    assert set(members(live, viz)) == {mine, theirs}


def test_a_private_one_is_its_owners_alone(handler, connections_server, live, owner, people) -> None:
    mine, theirs = people
    viz = create(owner, shared=False)
    topic = f"visualization:{viz['id']}"
    send(handler, mine, {"action": "subscribe", "topic": topic})
    send(handler, theirs, {"action": "subscribe", "topic": topic})

    assert errors(connections_server, mine) == []
    assert errors(connections_server, theirs) == [f"subscribe: no {topic} that you may see"]
    assert members(live, viz) == [mine]
    # Nothing of it reaches the outsider: no presence, and focus and cursors need the membership.
    send(handler, theirs, {"action": "focus", "topic": topic, "field": "mean"})
    send(handler, theirs, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    assert of_type(connections_server, theirs, "presence") == []
    assert errors(connections_server, theirs)[1:] == [
        f"focus: subscribe to {topic} first",
        f"cursor: subscribe to {topic} first",
    ]
    assert of_type(connections_server, mine, "cursor") == []


def test_not_yours_and_does_not_exist_read_the_same(handler, connections_server, owner, people) -> None:
    _mine, theirs = people
    private = create(owner, shared=False)["id"]
    missing = "f" * 32
    send(handler, theirs, {"action": "subscribe", "topic": f"visualization:{private}"})
    send(handler, theirs, {"action": "subscribe", "topic": f"visualization:{missing}"})

    said = [e.replace(private, "<id>").replace(missing, "<id>") for e in errors(connections_server, theirs)]
    assert said == ["subscribe: no visualization:<id> that you may see"] * 2


def test_a_store_that_is_down_refuses(handler, connections_server, live, owner, people, monkeypatch) -> None:
    mine, _theirs = people
    viz = create(owner, shared=True)
    topic = f"visualization:{viz['id']}"
    # A real failure of the real store: its table does not exist (moto answers ResourceNotFound).
    monkeypatch.setattr(live.visualizations, "table", "no-such-table")
    send(handler, mine, {"action": "subscribe", "topic": topic})

    assert errors(connections_server, mine) == [f"subscribe: {topic} cannot be checked now; try again"]
    assert members(live, viz) == []
    assert of_type(connections_server, mine, "presence") == []


def test_unsharing_drops_those_who_may_no_longer_see_it(
    handler, connections_server, live, owner, people
) -> None:
    mine, theirs = people
    viz = create(owner, shared=True)
    topic = f"visualization:{viz['id']}"
    for cid in people:
        send(handler, cid, {"action": "subscribe", "topic": topic})

    response = owner.put(f"/api/visualizations/{viz['id']}", json={"shared": False, "version": 1})
    assert response.status_code == 200, response.get_json()

    assert [m["data"] for m in of_type(connections_server, theirs, "visualization-removed")] == [
        {"visualizationId": viz["id"], "reason": "unshared"}
    ]
    assert of_type(connections_server, mine, "visualization-removed") == []
    for message in of_type(connections_server, theirs, "visualization-removed"):
        assert_valid(message, "ServerMessage")
        assert_valid(message, "VisualizationRemovedMessage")
    assert members(live, viz) == [mine]
    # The owner sees the outsider leave.
    assert [v["name"] for v in of_type(connections_server, mine, "presence")[-1]["viewers"]] == [
        "Rita Reviewer"
    ]
    # They cannot come back, and their cursor goes nowhere.
    send(handler, theirs, {"action": "subscribe", "topic": topic})
    send(handler, theirs, {"action": "cursor", "topic": topic, "x": 1, "y": 1})
    assert errors(connections_server, theirs) == [
        f"subscribe: no {topic} that you may see",
        f"cursor: subscribe to {topic} first",
    ]
    assert of_type(connections_server, mine, "cursor") == []


def test_sharing_again_drops_no_one(handler, connections_server, live, owner, people) -> None:
    mine, _theirs = people
    viz = create(owner, shared=False)
    send(handler, mine, {"action": "subscribe", "topic": f"visualization:{viz['id']}"})
    shared = owner.put(f"/api/visualizations/{viz['id']}", json={"shared": True, "version": 1})
    assert shared.status_code == 200
    assert of_type(connections_server, mine, "visualization-removed") == []
    assert members(live, viz) == [mine]


def test_deleting_drops_everyone(handler, connections_server, live, owner, people) -> None:
    viz = create(owner, shared=True)
    topic = f"visualization:{viz['id']}"
    for cid in people:
        send(handler, cid, {"action": "subscribe", "topic": topic})

    assert owner.delete(f"/api/visualizations/{viz['id']}").status_code == 204

    for cid in people:
        assert [m["data"] for m in of_type(connections_server, cid, "visualization-removed")] == [
            {"visualizationId": viz["id"], "reason": "deleted"}
        ]
    assert members(live, viz) == []


def test_an_unshare_racing_a_subscribe_still_keeps_them_out(
    handler, connections_server, live, owner, people, monkeypatch
) -> None:
    """The owner unshares (and its revocation reads the members) between the outsider's access
    check and its join: the check after joining catches it."""
    _mine, theirs = people
    viz = create(owner, shared=True)
    topic = f"visualization:{viz['id']}"
    real_join = live.topics.join

    def join_after_the_unshare(*args, **kwargs):
        response = owner.put(f"/api/visualizations/{viz['id']}", json={"shared": False, "version": 1})
        assert response.status_code == 200, response.get_json()
        assert members(live, viz) == []  # the revocation found no one to remove
        return real_join(*args, **kwargs)

    monkeypatch.setattr(live.topics, "join", join_after_the_unshare)
    send(handler, theirs, {"action": "subscribe", "topic": topic})

    assert errors(connections_server, theirs) == [f"subscribe: no {topic} that you may see"]
    assert members(live, viz) == []
    assert of_type(connections_server, theirs, "presence") == []
