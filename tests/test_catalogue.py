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
from features.catalogue.places import (
    FINLAND_BOUNDS,
    MUNICIPALITIES,
    close_municipality_names,
    municipality,
)

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


# The 30 municipalities Täsmä knew first, as they were (code, name, lat, lon, region): the demo
# world and every figure documented from it stand on these centres.
FIRST_THIRTY = [
    ("398", "Lahti", 60.9827, 25.6615, "Päijät-Häme"),
    ("098", "Hollola", 60.9886, 25.5128, "Päijät-Häme"),
    ("111", "Heinola", 61.2028, 26.0311, "Päijät-Häme"),
    ("560", "Orimattila", 60.8042, 25.7297, "Päijät-Häme"),
    ("016", "Asikkala", 61.1722, 25.5486, "Päijät-Häme"),
    ("316", "Kärkölä", 60.8667, 25.2667, "Päijät-Häme"),
    ("576", "Padasjoki", 61.3500, 25.2833, "Päijät-Häme"),
    ("781", "Sysmä", 61.5000, 25.6833, "Päijät-Häme"),
    ("081", "Hartola", 61.5833, 26.0167, "Päijät-Häme"),
    ("142", "Iitti", 60.8886, 26.3239, "Päijät-Häme"),
    ("091", "Helsinki", 60.1699, 24.9384, "Uusimaa"),
    ("049", "Espoo", 60.2055, 24.6559, "Uusimaa"),
    ("092", "Vantaa", 60.2934, 25.0378, "Uusimaa"),
    ("638", "Porvoo", 60.3932, 25.6650, "Uusimaa"),
    ("694", "Riihimäki", 60.7385, 24.7730, "Kanta-Häme"),
    ("109", "Hämeenlinna", 60.9959, 24.4643, "Kanta-Häme"),
    ("837", "Tampere", 61.4978, 23.7610, "Pirkanmaa"),
    ("853", "Turku", 60.4518, 22.2666, "Varsinais-Suomi"),
    ("286", "Kouvola", 60.8679, 26.7042, "Kymenlaakso"),
    ("285", "Kotka", 60.4664, 26.9458, "Kymenlaakso"),
    ("405", "Lappeenranta", 61.0587, 28.1887, "Etelä-Karjala"),
    ("491", "Mikkeli", 61.6886, 27.2723, "Etelä-Savo"),
    ("179", "Jyväskylä", 62.2426, 25.7473, "Keski-Suomi"),
    ("297", "Kuopio", 62.8924, 27.6770, "Pohjois-Savo"),
    ("167", "Joensuu", 62.6010, 29.7636, "Pohjois-Karjala"),
    ("609", "Pori", 61.4851, 21.7974, "Satakunta"),
    ("743", "Seinäjoki", 62.7903, 22.8403, "Etelä-Pohjanmaa"),
    ("905", "Vaasa", 63.0951, 21.6158, "Pohjanmaa"),
    ("564", "Oulu", 65.0121, 25.4651, "Pohjois-Pohjanmaa"),
    ("698", "Rovaniemi", 66.5039, 25.7294, "Lappi"),
]
REGIONS = {
    "Uusimaa", "Varsinais-Suomi", "Satakunta", "Kanta-Häme", "Pirkanmaa", "Päijät-Häme",
    "Kymenlaakso", "Etelä-Karjala", "Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala",
    "Keski-Suomi", "Etelä-Pohjanmaa", "Pohjanmaa", "Keski-Pohjanmaa", "Pohjois-Pohjanmaa",
    "Kainuu", "Lappi", "Ahvenanmaa",
}  # fmt: skip


def test_every_municipality_of_2026_is_known_once_and_in_finland():
    rows = list(MUNICIPALITIES.values())
    assert len(rows) == 308
    assert len({m.code for m in rows}) == 308 and all(re.fullmatch(r"\d{3}", m.code) for m in rows)
    assert len({m.name for m in rows}) == 308 and len({m.name_sv for m in rows}) == 308
    (lat0, lat1), (lon0, lon1) = FINLAND_BOUNDS["lat"], FINLAND_BOUNDS["lon"]
    assert all(lat0 <= m.lat <= lat1 and lon0 <= m.lon <= lon1 for m in rows)
    assert {m.region for m in rows} == REGIONS  # the 19 regions, Åland included
    assert sum(m.region == "Ahvenanmaa" for m in rows) == 16
    assert {m.centre_source for m in rows} == {"geonames", "nls-2025"}
    assert [m.code for m in rows] == sorted(m.code for m in rows)
    assert MUNICIPALITIES["Tuusula"].centre_source == "geonames"  # missing from the Land Survey's


def test_the_first_thirty_kept_their_centres():
    for code, name, lat, lon, region in FIRST_THIRTY:
        m = MUNICIPALITIES[name]
        assert (m.code, m.lat, m.lon, m.region) == (code, lat, lon, region)
        assert m.centre_source == "geonames"
    assert sum(m.centre_source == "geonames" for m in MUNICIPALITIES.values()) == 31


def test_a_municipality_is_found_by_finnish_or_swedish_name_or_code():
    helsinki = MUNICIPALITIES["Helsinki"]
    assert (helsinki.code, helsinki.name_sv) == ("091", "Helsingfors")
    for given in ("Helsinki", "helsingfors", "  HELSINKI ", "091", " 091"):
        assert municipality(given) is helsinki
    assert municipality("Kervo").name == "Kerava"
    assert municipality("Mariehamn").name == "Maarianhamina"
    assert municipality("koski  tl").name == "Koski Tl"  # spaces inside are one
    assert municipality("Alajärvi").name_sv == "Alajärvi"  # no other name: the Finnish again


def test_an_unknown_name_offers_the_nearest_never_the_whole_list():
    with pytest.raises(KeyError) as unknown:
        municipality("Hollolla")
    message = unknown.value.args[0]
    assert message == "unknown municipality 'Hollolla'; did you mean Hollola?"
    assert close_municipality_names("Lahit") == ["Lahti"]
    assert close_municipality_names("Helsingfor") == ["Helsingfors"]
    with pytest.raises(KeyError) as nothing_near:
        municipality("Atlantis")
    assert "Finnish or Swedish name or its three-digit code" in nothing_near.value.args[0]
    with pytest.raises(KeyError, match="'999'"):
        municipality("999")
    assert all(len(close_municipality_names(x)) <= 3 for x in ("Koski", "Kerava", "Lahti"))
