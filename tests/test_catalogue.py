import json
import re

import pytest

from features.catalogue import (
    ADJUSTMENTS,
    CHARACTERISTIC_IDS,
    CHARACTERISTICS,
    MAX_LEVEL,
    Group,
    ScaleKind,
    characteristic,
)
from features.catalogue.characteristics import characteristic_index
from features.catalogue.describe import catalogue_document, catalogue_text

ICF_CODE = re.compile(r"^[bdes]\d{3,5}$")

# The issue lists these; each must be covered by some characteristic.
REQUIRED = [
    "sitting",
    "standing",
    "walking",
    "kneeling_squatting",
    "bending",
    "climbing",
    "lifting",
    "carrying",
    "overhead_work",
    "fine_hand_use",
    "repetitive_hand_arm",
    "driving",
    "vision",
    "hearing",
    "noise",
    "cold",
    "heat",
    "outdoor_work",
    "dust_allergens",
    "attention",
    "memory",
    "learning_new",
    "problem_solving",
    "reading",
    "writing",
    "calculation",
    "finnish_language",
    "digital_skills",
    "work_pace",
    "handling_stress",
    "handling_change",
    "working_alone",
    "teamwork",
    "customer_contact",
    "conflict_situations",
    "responsibility_for_safety",
    "irregular_hours",
    "uninterrupted_work",
    "daily_working_time",
]


def test_size_and_required_coverage():
    assert 35 <= len(CHARACTERISTICS) <= 50
    assert not set(REQUIRED) - set(CHARACTERISTIC_IDS)
    assert len(set(CHARACTERISTIC_IDS)) == len(CHARACTERISTIC_IDS)


@pytest.mark.parametrize("cid", CHARACTERISTIC_IDS)
def test_every_characteristic_is_complete_in_both_languages(cid):
    c = CHARACTERISTICS[cid]
    assert re.fullmatch(r"[a-z_]+", c.id)
    assert c.name_fi.strip() and c.name_en.strip()
    assert c.icf and all(ICF_CODE.match(code) for code in c.icf), c.icf
    assert [lv.value for lv in c.levels] == list(range(MAX_LEVEL + 1))
    for lv in c.levels:
        assert lv.fi.strip() and lv.en.strip()
    # Anchors differ from level to level, or the scale would not tell levels apart.
    assert len({lv.en for lv in c.levels}) == 5 and len({lv.fi for lv in c.levels}) == 5


def test_groups_and_scales():
    assert {c.group for c in CHARACTERISTICS.values()} == set(Group)
    exposure = [c for c in CHARACTERISTICS.values() if c.scale is ScaleKind.EXPOSURE]
    # IMBA's share-of-shift anchors for postures, movements and environment.
    for c in exposure:
        assert (
            "never" in c.levels[0].en and "5 per cent" in c.levels[1].en and "5 %" in c.levels[1].fi
        )
        assert "two thirds" in c.levels[4].en
    assert characteristic("standing").scale is ScaleKind.EXPOSURE
    assert characteristic("attention").scale is ScaleKind.ABILITY
    assert characteristic("standing").icf[0] == "d4154"
    assert "d430" in characteristic("lifting").icf
    assert characteristic("handling_stress").icf == ("d2401",)


def test_only_lifting_and_carrying_carry_kilograms():
    assert {c.id for c in CHARACTERISTICS.values() if c.has_kilograms} == {"lifting", "carrying"}


def test_unknown_characteristic_error_lists_known_ids():
    with pytest.raises(KeyError, match="known ids: sitting"):
        characteristic("stnding")
    assert characteristic_index("sitting") == 0


def test_adjustments_lower_real_characteristics():
    assert len(ADJUSTMENTS) >= 9
    for a in ADJUSTMENTS.values():
        assert a.lowers and all(cid in CHARACTERISTICS for cid in a.lowers)
        assert all(1 <= n <= 4 for n in a.lowers.values())
        assert a.name_fi and a.name_en
    assert ADJUSTMENTS["sit_stand_stool"].lowers["standing"] == 2
    assert ADJUSTMENTS["back_office_variant"].lowers["customer_contact"] >= 2
    for needed in (
        "lifting_aid",
        "written_instructions",
        "quiet_workspace",
        "no_time_pressure",
        "job_coach_first_weeks",
        "shorter_shifts",
        "flexible_breaks",
    ):
        assert needed in ADJUSTMENTS


def test_document_is_json_and_complete():
    doc = catalogue_document()
    text = json.dumps(doc, ensure_ascii=False)
    assert json.loads(text) == doc
    assert len(doc["characteristics"]) == len(CHARACTERISTICS)
    assert all(len(c["levels"]) == 5 for c in doc["characteristics"])
    assert {a["id"] for a in doc["adjustments"]} == set(ADJUSTMENTS)
    assert doc["licences"] and doc["sectors"] and doc["task_kinds"]
    assert any(d["id"] == "56" for d in doc["industries_tol2008"])


def test_text_listing_in_both_languages():
    fi, en = catalogue_text("fi"), catalogue_text("en")
    assert "Seisominen" in fi and "Standing" in en
    assert "Satulatuoli" in fi and "Sit-stand stool" in en
