"""The learned re-ranker: monotone, calibrated, only reorders feasible pairs, refused when it
does not fit this install, and used by the service when active."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth.setup import add_user
from api.core.security import Role
from api.core.settings import Environment, Settings
from api.jobs.model_store import ModelMismatchError, activate_model, load_reranker, save_reranker
from api.storage.bulk import load_tables
from api.storage.engine import make_engine, transaction
from api.storage.migrate import upgrade
from features.catalogue.adjustments import CostClass
from matching.ranking import MAX_K, rank_tasks_for_person
from matching.reranker import FEATURES, MONOTONE, rerank, time_split, training_data
from matching.rules import default_ruleset

RULES = default_ruleset()


def test_more_over_demand_or_adjustments_never_raises_the_prediction(trained):
    world, index, model, _ = trained
    t = world.tables
    data = training_data(
        index.people, index.tasks, RULES, t["proposal"], t["proposal_task"], t["outcome_event"]
    )
    rows = data.x[np.random.default_rng(0).choice(len(data.x), min(300, len(data.x)), False)]
    base = model.predict(rows)
    for name, direction in MONOTONE.items():
        worse = rows.copy()
        worse[:, FEATURES.index(name)] -= 2 * direction  # more over-demand or adjustments
        assert (model.predict(worse) <= base + 1e-12).all(), name
    # As a change really shows up in the features: one more low-cost adjustment counts one
    # more and lowers the adjustments component by its cost — never a higher prediction.
    more = rows.copy()
    more[:, FEATURES.index("adjustments")] += 1
    more[:, FEATURES.index("component:adjustments")] -= RULES.weights.adjustments * RULES.cost_of(
        CostClass.LOW
    )
    assert (model.predict(more) <= base + 1e-12).all()


def test_predictions_are_calibrated_probabilities(trained):
    world, index, model, card = trained
    t = world.tables
    data = training_data(
        index.people, index.tasks, RULES, t["proposal"], t["proposal_task"], t["outcome_event"]
    )
    _, calibrate, _ = time_split(len(data.y))
    p = model.predict(data.x[calibrate])
    assert ((p >= 0) & (p <= 1)).all()
    # Isotonic calibration matches the mean on the slice it was calibrated on.
    assert p.mean() == pytest.approx(data.y[calibrate].mean(), abs=0.01)
    assert card["training"]["rows"] == len(data.y)
    assert card["training"]["left_out_not_allowed_by_rules"] == data.not_allowed > 0


def test_it_learns_only_from_pairs_the_rules_allow(trained):
    """The model only reorders what the rules allow, so it is trained on that alone: under the
    default rules no training pair has over-demand left after its adjustments, and rules
    that allow nothing leave every recorded pair out."""
    world, index, _, _ = trained
    t = world.tables
    args = (t["proposal"], t["proposal_task"], t["outcome_event"])
    data = training_data(index.people, index.tasks, RULES, *args)
    over = [FEATURES.index(f) for f in FEATURES if f.startswith("over_demand:")]
    assert len(data.y) > 0 and (data.x[:, over] == 0).all()
    nothing = RULES.model_copy(
        update={"hard": RULES.hard.model_copy(update={"max_distance_km": 0.001})}
    )
    none = training_data(index.people, index.tasks, nothing, *args)
    assert len(none.y) == 0 and none.not_allowed == len(data.y) + data.not_allowed


def test_reranking_only_reorders_the_rules_feasible_pairs(trained):
    world, index, model, _ = trained
    for person_id in index.people.ids[index.people.matchable][:20]:
        ranked = rank_tasks_for_person(index.people, index.tasks, int(person_id), RULES, MAX_K)
        again, probability = rerank(ranked, index.people, index.tasks, model, 10)
        assert set(again.ids) <= set(ranked.ids) and len(again.ids) == min(10, len(ranked.ids))
        assert again.pairs.feasible.all()
        assert (np.diff(probability) <= 1e-12).all()
        assert list(again.pairs.task_rows) == [index.tasks.row_of[int(t)] for t in again.ids]


def test_the_card_says_how_it_compares_with_the_rules(trained):
    *_, card = trained
    hit = card["metrics"]["comparison"]["hit_rate@10"]
    assert {"a", "b", "diff", "ci_low", "ci_high"} <= set(hit)
    assert card["verdict"].split()[0] in {"beats", "worse", "no"}
    assert card["features"] == list(FEATURES)
    assert card["training"]["fit"][0] <= card["training"]["test"][0]


def test_loading_refuses_other_features_or_library_versions(trained, tmp_path):
    *_, model, card = trained
    save_reranker(tmp_path, model, card)
    assert load_reranker(tmp_path, "test-model").version == "test-model"
    path = tmp_path / "test-model" / "card.json"
    tampered = json.loads(path.read_text())
    tampered["libraries"]["scikit-learn"] = "0.1"
    path.write_text(json.dumps(tampered))
    with pytest.raises(ModelMismatchError, match=r"scikit-learn 0\.1"):
        load_reranker(tmp_path, "test-model")
    tampered["libraries"] = card["libraries"]
    tampered["features"] = tampered["features"][:-1]
    path.write_text(json.dumps(tampered))
    with pytest.raises(ModelMismatchError, match="other features"):
        load_reranker(tmp_path, "test-model")


def _service(world, tmp_path, models_dir, area):
    url = f"sqlite:///{tmp_path / 'tasma.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, world.tables)
    with transaction(engine) as s:
        token = add_user(s, name="coord", role=Role.COMPANY_COORDINATOR, area=area)
    settings = Settings(
        database_url=url,
        environment=Environment.TEST,
        demo_on_empty=False,
        models_dir=models_dir,
        data_dir=tmp_path,
    )
    return TestClient(create_app(settings)), {"Authorization": f"Bearer {token}"}


def test_the_service_reranks_with_the_active_model_and_says_so(trained, tmp_path):
    world, index, model, card = trained
    models = tmp_path / "models"
    save_reranker(models, model, card)
    activate_model(models, "test-model")
    person = int(index.people.ids[index.people.matchable][0])
    area = str(index.people.area[index.people.row_of[person]])
    client, headers = _service(world, tmp_path, models, area)
    answer = client.get(f"/jobseekers/{person}/matches", params={"k": 5}, headers=headers).json()
    assert answer["model_version"] == "test-model"
    ranked = rank_tasks_for_person(index.people, index.tasks, person, RULES, MAX_K)
    expected, _ = rerank(ranked, index.people, index.tasks, model, 5)
    assert [i["task_id"] for i in answer["items"]] == [int(t) for t in expected.ids]

    # A model this install cannot trust is refused: the rules alone, and the answer says so.
    path = models / "test-model" / "card.json"
    path.write_text(path.read_text().replace(card["libraries"]["numpy"], "0.0.1"))
    other, headers2 = _service(world, tmp_path / "again", models, area)
    plain = other.get(f"/jobseekers/{person}/matches", params={"k": 5}, headers=headers2).json()
    assert plain["model_version"] is None
    assert [i["task_id"] for i in plain["items"]] == [int(t) for t in ranked.ids[:5]]


def test_an_analyst_trains_through_the_api_and_nothing_is_replaced_or_activated(tmp_path):
    """POST /models: the same service function as ``tasma train`` — saved with its card, never
    activated, never over an existing model; too little history and other roles are refused
    with a reason."""
    from api.auth.setup import add_user
    from api.core.security import Role
    from api.storage.bulk import load_tables
    from api.storage.engine import make_engine, transaction
    from api.storage.migrate import upgrade
    from features.demo import build_world
    from features.demo.world import WorldSize
    from tests.conftest import api_client

    url = f"sqlite:///{tmp_path / 'api.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_tables(engine, build_world(WorldSize(2_000, 1_000, 6_000), seed=13).tables)
    with transaction(engine) as s:
        analyst = add_user(s, name="aino.a", role=Role.ANALYST)
        rekry = add_user(s, name="reko.r", role=Role.REKRYPISTE)
    models = tmp_path / "models"
    client = api_client(url, models_dir=models)
    headers = {"Authorization": f"Bearer {analyst}"}
    made = client.post("/models", json={"version": "api-1"}, headers=headers)
    assert made.status_code == 201, made.text
    card = made.json()
    assert card["saved"] and card["version"] == "api-1"  # seed 13: just better than the base rate
    assert card["training"]["left_out_not_allowed_by_rules"] > 0
    assert (models / "api-1" / "card.json").is_file() and not (models / "ACTIVE").exists()
    again = client.post("/models", json={"version": "api-1"}, headers=headers)
    assert again.status_code == 409 and "exists" in again.text
    refused = client.post("/models", json={"version": "api-2"},
                          headers={"Authorization": f"Bearer {rekry}"})  # fmt: skip
    assert refused.status_code == 403
    # The web UI (issue #30 item 7): the models with their verdicts in the reader's language,
    # training from a form, each card a page of its own; its refusals said at the form.
    from tests.test_comparisons import _browser

    with transaction(engine) as s:
        add_user(s, name="aino.web", role=Role.ANALYST, password="correct horse 1")
    _browser(client, "aino.web", "correct horse 1")
    listed = client.get("/ui/models")
    assert listed.status_code == 200 and 'href="/ui/models/api-1"' in listed.text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', listed.text).group(1)
    clash = client.post("/ui/models", data={"version": "api-1", "csrf": csrf})
    assert clash.status_code == 409 and "tämän niminen malli on jo olemassa" in clash.text
    odd = client.post("/ui/models", data={"version": "../etc", "csrf": csrf})
    assert odd.status_code == 422 and "Nimi: käytä kirjaimia" in odd.text
    assert 'value="../etc"' in odd.text  # what was typed is kept
    trained = client.post("/ui/models", data={"version": "web-1", "csrf": csrf},
                          follow_redirects=False)  # fmt: skip
    assert trained.status_code == 303, trained.text
    assert trained.headers["location"] == "/ui/models/web-1?message=trained"
    page = client.get(trained.headers["location"])
    assert page.status_code == 200 and "Opittu malli: web-1" in page.text
    assert "Malli opetettiin ja tallennettiin" in page.text and "AUC" in page.text
    assert (models / "web-1" / "card.json").is_file() and not (models / "ACTIVE").exists()
    assert client.get("/ui/models/nope").status_code == 404
    engine.dispose()


def test_training_on_too_little_history_is_refused_with_the_reason(service, tmp_path):
    client, tokens, *_ = service
    answer = client.post("/models", json={"version": "tiny-1"},
                         headers={"Authorization": f"Bearer {tokens['analyst']}"})  # fmt: skip
    assert answer.status_code == 422
    assert "too little mature history" in answer.text and "Traceback" not in answer.text
    bad = client.post("/models", json={"version": "../etc"},
                      headers={"Authorization": f"Bearer {tokens['analyst']}"})  # fmt: skip
    assert bad.status_code == 422 and "version" in bad.text
