"""The access matrix: every endpoint x role x ownership, generated from the app's own routes.

For every route of ``create_app()`` that names a person (a path or query parameter, or a body
field, called ``person_id`` / ``patient_id`` / ``subject_id`` / ``user_id``) or an object
(any other ``*_id`` path parameter), each role (patient, caregiver, doctor, admin, anonymous)
calls it on

* its own data (own),
* someone else's data without consent (other),
* data of someone who consented (a read consent: enough for GET, never for POST/PUT/PATCH/DELETE),
* data of someone who revoked the consent (revoked),
* data of someone whose consent expired (expired).

No call on other / revoked / expired data, and no anonymous call on anybody's data, may
succeed (2xx). Own data (and consented data, for person routes) must be reachable with GET,
so the matrix cannot pass by aiming at ids that do not exist. Routes under ``/api/v1/me`` and
``/api/v1/admin`` are also checked without ids: anonymous callers get 401, non-admins 403 on
admin routes.

A new endpoint is covered as soon as it is routed. Objects are created for the matrix by the
route's own collection (``POST /api/v1/things`` for ``/api/v1/things/{thing_id}``) or, where
there is none, by an entry in ``OBJECT_FACTORIES`` below; an id parameter that neither can
make fails the test with a message saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from careguide import accounts
from careguide.api.deps import CurrentUser, SessionDep
from careguide.privacy import consent
from careguide.store.db import Database
from careguide.store.models import ConsentPurpose, ConsentScope, Notification, Role, User

ROLES = ("patient", "caregiver", "doctor", "admin")
DENIED_STATES = ("other", "revoked", "expired")
PERSON_PARAMS = {"person_id", "patient_id", "subject_id", "user_id"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

# Routes whose behaviour differs from the general rule, with the reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("GET", "/lang/{code}"): "switches the page language; {code} is a locale, not an id",
}
# Routes for the staff of an organisation (linked as its practitioners), not for a person's own
# data: still checked for leaks, but no role "owns" one in the matrix.
STAFF_ONLY: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/booking/organizations/{organization_id}/referrals"):
        "the receiving hospital's referral inbox: only its linked practitioners may read it",
}
# POST routes that only read (a query too rich for a URL): read consent is enough, so they are
# checked like GETs - every denied state must still be refused.
READ_ONLY_POSTS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/booking/match"): "computes appointment proposals from the person's city and language; writes nothing",
}
# Values for path parameters that are not ids.
# ``agent_id`` names a doctor agent's knowledge pack (shared data, no person's): signing one is for doctors.
PLAIN_PARAMS: dict[str, str] = {"code": "en", "measure": "heart_rate", "action": "claim", "agent_id": "sleep"}


# The app's routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    route: APIRoute
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    body_person_field: str | None
    api: bool  # JSON API (in the OpenAPI schema), not a web page

    @property
    def person_param(self) -> str | None:
        named = [p for p in (*self.path_params, *self.query_params) if p in PERSON_PARAMS]
        return named[0] if named else None

    @property
    def object_params(self) -> list[str]:
        return [p for p in self.path_params if p not in PERSON_PARAMS and p not in PLAIN_PARAMS and
                (p.endswith("_id") or p == "id")]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _walk(routes: list[Any]) -> Iterator[tuple[str, set[str], APIRoute]]:
    """Every routed endpoint, through included routers of any FastAPI version."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from _walk(route.effective_candidates())
        elif isinstance(getattr(route, "original_route", None), APIRoute):
            yield route.path, set(route.methods), route.original_route
        elif isinstance(route, APIRoute):
            yield route.path, set(route.methods), route


def _query_params(dependant: Any) -> list[str]:
    names = [param.name for param in dependant.query_params]
    for sub in dependant.dependencies:
        names += _query_params(sub)
    return names


def endpoints(app: Any) -> list[Endpoint]:
    schema = app.openapi()
    found = []
    for path, methods, route in _walk(app.router.routes):
        for method in sorted(methods - {"HEAD", "OPTIONS"}):
            body = _body_schema(schema, path, method)
            person_field = next((p for p in PERSON_PARAMS if p in (body or {}).get("properties", {})), None)
            found.append(Endpoint(method, path, route, tuple(re.findall(r"{(\w+)", path)),
                                  tuple(_query_params(route.dependant)), person_field, route.include_in_schema))
    return found


def _body_schema(schema: dict[str, Any], path: str, method: str) -> dict[str, Any] | None:
    operation = schema.get("paths", {}).get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(schema, content["application/json"]["schema"])


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def example(schema: dict[str, Any], node: dict[str, Any], depth: int = 0) -> Any:
    """A small valid value for a JSON schema (required fields only)."""
    node = _resolve(schema, node)
    if "default" in node and node["default"] is not None:
        return node["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(schema, o).get("type") != "null"]
            return example(schema, options[0], depth + 1) if options else None
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        if depth > 4:
            return {}
        props = node.get("properties", {})
        return {name: example(schema, props[name], depth + 1) for name in node.get("required", []) if name in props}
    if kind == "array":
        return [example(schema, node["items"], depth + 1)] if node.get("minItems") else []
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return float(node.get("minimum", 1))
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return "2024-01-02"
    if node.get("format") == "date-time":
        return "2024-01-02T03:04:05Z"
    return "headache for two days" if node.get("maxLength", 100) >= 20 else "x"


# The people and their consents ----------------------------------------------------------------------


@dataclass
class World:
    database: Database
    client: TestClient
    schema: dict[str, Any]
    actors: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    # victims[state] is a patient whose relation to every actor is ``state``.
    victims: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    objects: dict[tuple[str, int], Any] = field(default_factory=dict)
    requests: int = 0

    def user(self, username: str, role: str) -> tuple[int, dict[str, str]]:
        """A user with a bearer token; the password hash is computed once (argon2 is slow by design)."""
        with self.database.session() as session:
            user = User(username=username, password_hash=_password_hash(), role=Role(role))
            session.add(user)
            session.flush()
            return user.id, {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}

    def bystander(self) -> int:
        if "bystander" not in self.actors:
            self.actors["bystander"] = self.user("bystander_doctor", "doctor")
        return self.actors["bystander"][0]


_HASH: list[str] = []


def _password_hash() -> str:
    if not _HASH:
        _HASH.append(accounts.hash_password("password-123"))
    return _HASH[0]


def build_world(database: Database, client: TestClient) -> World:
    world = World(database, client, client.app.openapi())  # type: ignore[attr-defined]
    for role in ROLES:
        world.actors[role] = world.user(f"actor_{role}", role)
    past = datetime.now(UTC) - timedelta(days=1)
    for state in ("other", "consented", "consented-write", "revoked", "expired"):
        world.victims[state] = world.user(f"victim_{state.replace('-', '_')}", "patient")
        if state == "other":
            continue
        with database.session() as session:
            subject = session.get(User, world.victims[state][0])
            assert subject is not None
            for role in ROLES:
                grantee = session.get(User, world.actors[role][0])
                assert grantee is not None
                granted = consent.grant(
                    session, subject, grantee, purpose=ConsentPurpose.CARE,
                    scope=ConsentScope.WRITE if state == "consented-write" else ConsentScope.READ,
                    expires_at=past if state == "expired" else None,
                )
                if state == "revoked":
                    consent.revoke(session, subject, granted.id)
    return world


# Objects for id parameters ----------------------------------------------------------------------------


def _consent_of(world: World, owner: int) -> int:
    bystander = world.bystander()  # never one of the actors: this consent must not let them in
    with world.database.session() as session:
        subject, grantee = session.get(User, owner), session.get(User, bystander)
        assert subject is not None and grantee is not None
        return consent.grant(session, subject, grantee, purpose=ConsentPurpose.CARE).id


def _notification_of(world: World, owner: int) -> int:
    with world.database.session() as session:
        note = Notification(user_id=owner, kind="reminder", title="Take your blood pressure", body="")
        session.add(note)
        session.flush()
        return note.id


def _clinic_referral_of(world: World, owner: int) -> int:
    from careguide.clinician import queue  # imported here: only apps that route referrals need it

    with world.database.session() as session:
        person = session.get(User, owner)
        assert person is not None
        return queue.refer(session, person, owner, source="matrix", department="general_practice",
                           urgency="routine", reason="headache for two days").id


def _clinic_note_of(world: World, owner: int) -> int:
    from careguide.clinician.queue_models import ClinicNote

    with world.database.session() as session:
        note = ClinicNote(person_id=owner, doctor_id=world.bystander(), language="en", method="extraction",
                          transcript="Patient: headache.", text="Subjective: headache.")
        session.add(note)
        session.flush()
        return note.id


def _free_slot(world: World) -> tuple[int, int]:
    """(slot id, organization id) of a free slot in a small directory seeded once per world."""
    from datetime import date

    from sqlalchemy import select

    from careguide.booking.demo import seed_directory
    from careguide.booking.models import PractitionerRole, Slot, SlotStatus

    with world.database.session() as session:
        seed_directory(session, date.today(), city_keys=["beijing"], days=3)
        row = session.execute(
            select(Slot.id, PractitionerRole.organization_id).join(PractitionerRole, PractitionerRole.id == Slot.role_id)
            .where(Slot.status == SlotStatus.FREE, Slot.start > datetime.now(UTC) + timedelta(hours=2))
            .order_by(Slot.start.desc()).limit(1)
        ).one()
        return int(row[0]), int(row[1])


def _appointment_of(world: World, owner: int) -> int:
    from careguide.booking import booking

    slot_id, _ = _free_slot(world)
    with world.database.session() as session:
        person = session.get(User, owner)
        assert person is not None
        return booking.book(session, person, owner, slot_id).id


def _waitlist_entry_of(world: World, owner: int) -> int:
    from careguide.booking.waitlist import join_waitlist

    now = datetime.now(UTC)
    with world.database.session() as session:
        person = session.get(User, owner)
        assert person is not None
        return join_waitlist(session, person, owner, "cardiology", earliest=now + timedelta(days=1),
                             latest=now + timedelta(days=5)).id


def _booking_referral_of(world: World, owner: int) -> int:
    from careguide.booking.referrals import create_referral

    _, organization_id = _free_slot(world)
    with world.database.session() as session:
        person = session.get(User, owner)
        assert person is not None
        return create_referral(session, person, owner, filing_type="referral", from_city="shanghai",
                               to_organization_id=organization_id, department_id="cardiology").id


def _organization_of(world: World, owner: int) -> int:
    return _free_slot(world)[1]


def _agent_audit_item_of(world: World, owner: int) -> int:
    """An answer a doctor agent gave ``owner``, queued for audit (no doctor of the matrix signed the agent)."""
    from careguide.assistant import agent_governance
    from careguide.assistant.agents import AgentAnswer, load_agents

    pack = load_agents()["sleep"]
    reply = AgentAnswer(agent_id=pack.id, agent_version=pack.version, active=True, action="answer",
                        answer="Keep a regular wake-up time.", autonomy_level="L2", audit_sampled=True)
    with world.database.session() as session:
        item = agent_governance.queue_for_audit(session, owner, "How can I sleep better?", reply, pack, "en")
        assert item is not None
        return item.id


# Objects no collection route can create: by "<collection>/{<param>}" (where two domains use
# the same parameter name), else by parameter name. A route's own collection (POST /things for
# /things/{thing_id}) is preferred when it has one. The owner of a new kind of object adds it here.
OBJECT_FACTORIES: dict[str, Callable[[World, int], Any]] = {
    "consent_id": _consent_of,
    "notification_id": _notification_of,
    "/api/v1/clinic/referrals/{referral_id}": _clinic_referral_of,
    "note_id": _clinic_note_of,
    "appointment_id": _appointment_of,
    "entry_id": _waitlist_entry_of,
    "/api/v1/booking/referrals/{referral_id}": _booking_referral_of,
    "organization_id": _organization_of,
    "/api/v1/clinic/agents/audit/{item_id}": _agent_audit_item_of,
}


def object_for(world: World, all_endpoints: list[Endpoint], endpoint: Endpoint, param: str, owner: int,
               owner_headers: dict[str, str]) -> Any:
    """An object of ``owner`` for ``param`` of ``endpoint``: made by the endpoint's own collection
    route, else by any API collection route for that parameter, else by ``OBJECT_FACTORIES``."""
    collection = endpoint.path.split("/{" + param + "}")[0]
    key = (collection, param, owner)
    if key in world.objects:
        return world.objects[key]
    candidates = [collection] if endpoint.api else []
    candidates += [e.path.split("/{" + param + "}")[0] for e in all_endpoints if param in e.path_params and e.api]
    for path in dict.fromkeys(candidates):
        creator = next((e for e in all_endpoints if e.method == "POST" and e.path == path and e.api), None)
        if creator is None:
            continue
        response = world.client.post(path, json=_body(world, creator, owner), headers=owner_headers)
        if response.status_code < 300:
            data = response.json()
            world.objects[key] = data.get("id", data.get(param))
            return world.objects[key]
        if path == collection:
            break
    route_key = f"{collection}/{{{param}}}"
    factory = OBJECT_FACTORIES.get(route_key) or next(  # a web page mirrors an API route: /x/{id} of /api/v1/x/{id}
        (f for k, f in OBJECT_FACTORIES.items() if k.startswith("/") and k.endswith(route_key)), None
    ) or OBJECT_FACTORIES.get(param)
    if factory is not None:
        world.objects[key] = factory(world, owner)
        return world.objects[key]
    pytest.fail(f"the access matrix cannot make a {param!r} for {endpoint}: the route's owner adds a factory "
                f"to OBJECT_FACTORIES in {__file__} (or a POST collection route that returns the new id)")


def _body(world: World, endpoint: Endpoint, person: int | None) -> Any:
    body_schema = _body_schema(world.schema, endpoint.path, endpoint.method)
    if body_schema is None:
        return None
    body = example(world.schema, body_schema)
    if endpoint.body_person_field and person is not None:
        body[endpoint.body_person_field] = person
    return body


# Calling ----------------------------------------------------------------------------------------------


def call(world: World, all_endpoints: list[Endpoint], endpoint: Endpoint, headers: dict[str, str],
         subject: int | None, subject_headers: dict[str, str] | None) -> int:
    """Call ``endpoint`` as ``headers`` on the data of ``subject`` (ids filled from the matrix)."""
    path = endpoint.path
    query: dict[str, Any] = {}
    for param in endpoint.path_params:
        if param in PERSON_PARAMS:
            value: Any = subject
        elif param in endpoint.object_params:
            assert subject is not None and subject_headers is not None
            value = object_for(world, all_endpoints, endpoint, param, subject, subject_headers)
        else:
            value = PLAIN_PARAMS.get(param, "1")
        path = path.replace("{" + param + "}", str(value))
    for param in endpoint.query_params:
        if param in PERSON_PARAMS:
            query[param] = subject
    body = _body(world, endpoint, subject)
    world.requests += 1
    kwargs: dict[str, Any] = {"headers": headers, "params": query, "follow_redirects": False}
    if endpoint.method in UNSAFE:
        if body is not None:
            kwargs["json"] = body
        elif not endpoint.api:
            kwargs["data"] = {}
    return world.client.request(endpoint.method, path, **kwargs).status_code


def scoped(endpoint: Endpoint) -> bool:
    return endpoint.person_param is not None or bool(endpoint.object_params) or endpoint.body_person_field is not None


def run_matrix(client: TestClient, database: Database, only: Callable[[Endpoint], bool] = lambda e: True,
               ) -> tuple[list[str], list[str], int, int]:
    """(leaks, unreachable, endpoints checked, calls made)."""
    all_endpoints = endpoints(client.app)
    world = build_world(database, client)
    leaks: list[str] = []
    unreachable: list[str] = []
    checked = 0
    for endpoint in all_endpoints:
        if (endpoint.method, endpoint.path) in EXCEPTIONS or not scoped(endpoint) or not only(endpoint):
            continue
        checked += 1
        # A read consent lets the grantee read, never change: it is a denied state for writes.
        writes = endpoint.method in UNSAFE and (endpoint.method, endpoint.path) not in READ_ONLY_POSTS
        states = DENIED_STATES + (("consented",) if writes else ())
        for state in states:
            subject, subject_headers = world.victims[state]
            for role in ROLES:
                status = call(world, all_endpoints, endpoint, world.actors[role][1], subject, subject_headers)
                if 200 <= status < 300:
                    leaks.append(f"{endpoint}: {role} on {state} data -> {status}")
        subject, subject_headers = world.victims["other"]
        status = call(world, all_endpoints, endpoint, {}, subject, subject_headers)
        if 200 <= status < 300:
            leaks.append(f"{endpoint}: anonymous -> {status}")
        if endpoint.method != "GET" or (endpoint.method, endpoint.path) in STAFF_ONLY:
            continue
        for role in ROLES:
            own_id, own_headers = world.actors[role]
            status = call(world, all_endpoints, endpoint, own_headers, own_id, own_headers)
            if status in (401, 403, 404):
                unreachable.append(f"{endpoint}: {role} on own data -> {status}")
            if endpoint.person_param or endpoint.body_person_field:
                subject, subject_headers = world.victims["consented"]
                status = call(world, all_endpoints, endpoint, world.actors[role][1], subject, subject_headers)
                if status in (401, 403, 404):
                    unreachable.append(f"{endpoint}: {role} with live consent -> {status}")
    return leaks, unreachable, checked, world.requests


def test_no_endpoint_leaks_data_to_anyone_without_live_consent(client, database):
    leaks, unreachable, checked, calls = run_matrix(client, database)
    assert checked >= 3, "the matrix found almost no endpoints with ids: is the route walk broken?"
    assert leaks == [], f"{len(leaks)} leaks in {calls} calls:\n" + "\n".join(leaks)
    assert unreachable == [], "the matrix could not reach data it should:\n" + "\n".join(unreachable)


_leaky = APIRouter()


@_leaky.get("/api/v1/leaky/{person_id}/profile")
def _leaky_profile(person_id: int, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """A deliberately broken route: it never asks whether the caller may see the person."""
    person = session.get(User, person_id)
    return {"id": person_id, "name": person.full_name if person else None}


def test_the_matrix_catches_an_endpoint_that_skips_the_consent_check(sqlite_client, sqlite_database):
    sqlite_client.app.include_router(_leaky)
    leaks, _, _, _ = run_matrix(sqlite_client, sqlite_database, only=lambda e: "leaky" in e.path)
    assert leaks and all(leak.startswith("GET /api/v1/leaky/") for leak in leaks)
    assert len(leaks) == len(ROLES) * len(DENIED_STATES)  # every role, every state; anonymous gets 401


def test_personal_and_admin_routes_refuse_the_wrong_callers(client, database):
    world = World(database, client, client.app.openapi())
    patient = world.user("plain_patient", "patient")[1]
    admin = world.user("root", "admin")[1]
    problems = []
    for endpoint in endpoints(client.app):
        if scoped(endpoint) or not endpoint.api:
            continue
        if endpoint.path.startswith(("/api/v1/me", "/api/v1/admin")):
            status = call(world, [], endpoint, {}, None, None)
            if status != 401:
                problems.append(f"{endpoint}: anonymous -> {status} (expected 401)")
        if endpoint.path.startswith("/api/v1/admin"):
            status = call(world, [], endpoint, patient, None, None)
            if status != 403:
                problems.append(f"{endpoint}: patient -> {status} (expected 403)")
            if call(world, [], endpoint, admin, None, None) in (401, 403):
                problems.append(f"{endpoint}: admin refused")
    assert problems == [], "\n".join(problems)


def test_exceptions_name_routes_that_exist(sqlite_client):
    routed = {(e.method, e.path) for e in endpoints(sqlite_client.app)}
    assert set(EXCEPTIONS) <= routed, "remove exceptions for routes that are gone"
