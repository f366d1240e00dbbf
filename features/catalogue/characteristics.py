"""The work-ability vocabulary: one definition of every characteristic.

A characteristic is rated on the same 0–4 scale for a person's **capacity** (what they can do
or tolerate) and for a task's **demand** (what the task needs), so that ``demand - capacity > 0``
means over-demand, as in the IMBA/MELBA profile comparison.

Three kinds of scale:

* ``exposure`` (postures, movements, manual handling, environment): the share of the shift,
  as IMBA rates it — 0 never, 1 rarely (< 5 %), 2 occasionally (up to a third),
  3 frequently (a third to two thirds), 4 constantly (over two thirds). Lifting and carrying
  also carry kilograms (the heaviest load).
* ``ability`` (senses, cognition, communication, social, work organisation): level anchors from
  0 "not needed / not able" to 4 "very high", written for each characteristic.
* ``duration``: daily working time in hours.

Everything else — the pipeline's column order, the spreadsheet's columns, the API, the UI and the
README — reads this module; nothing defines a characteristic a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CHARACTERISTICS",
    "CHARACTERISTIC_IDS",
    "GROUP_NAMES",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "Characteristic",
    "Group",
    "Level",
    "ScaleKind",
    "characteristic",
    "characteristic_index",
]

MIN_LEVEL = 0
MAX_LEVEL = 4


class Group(StrEnum):
    POSTURE_MOBILITY = "posture_mobility"
    MANUAL_HANDLING = "manual_handling"
    SENSES = "senses"
    COGNITION = "cognition"
    COMMUNICATION_SOCIAL = "communication_social"
    WORK_ENVIRONMENT = "work_environment"
    WORK_ORGANISATION = "work_organisation"


GROUP_NAMES: MappingProxyType[Group, tuple[str, str]] = MappingProxyType(
    {
        Group.POSTURE_MOBILITY: ("Asennot ja liikkuminen", "Posture and mobility"),
        Group.MANUAL_HANDLING: ("Käsin tehtävä työ ja nostot", "Manual handling"),
        Group.SENSES: ("Aistit", "Senses"),
        Group.COGNITION: ("Kognitio", "Cognition"),
        Group.COMMUNICATION_SOCIAL: ("Viestintä ja vuorovaikutus", "Communication and social"),
        Group.WORK_ENVIRONMENT: ("Työympäristö", "Work environment"),
        Group.WORK_ORGANISATION: ("Työn järjestelyt ja aika", "Work organisation and time"),
    }
)


class ScaleKind(StrEnum):
    EXPOSURE = "exposure"
    ABILITY = "ability"
    DURATION = "duration"


@dataclass(frozen=True, slots=True)
class Level:
    """One anchor of the 0–4 scale, worded for both capacity and demand."""

    value: int
    fi: str
    en: str


@dataclass(frozen=True, slots=True)
class Characteristic:
    """A work-relevant characteristic, rated 0–4 for capacity and for demand."""

    id: str
    name_fi: str
    name_en: str
    group: Group
    icf: tuple[str, ...]
    scale: ScaleKind
    levels: tuple[Level, Level, Level, Level, Level]
    has_kilograms: bool = False

    def level(self, value: int) -> Level:
        return self.levels[value]


_EXPOSURE = (
    ("ei koskaan", "never"),
    ("harvoin (alle 5 % työajasta)", "rarely (under 5 % of the shift)"),
    ("ajoittain (enintään kolmannes työajasta)", "occasionally (up to a third of the shift)"),
    (
        "usein (kolmanneksesta kahteen kolmannekseen työajasta)",
        "frequently (a third to two thirds of the shift)",
    ),
    ("jatkuvasti (yli kaksi kolmannesta työajasta)", "constantly (over two thirds of the shift)"),
)

_DURATION = (
    ("alle 2 tuntia päivässä", "under 2 hours a day"),
    ("2–4 tuntia päivässä", "2–4 hours a day"),
    ("4–6 tuntia päivässä", "4–6 hours a day"),
    ("6–8 tuntia päivässä", "6–8 hours a day"),
    ("yli 8 tuntia päivässä", "over 8 hours a day"),
)

Anchors = tuple[tuple[str, str], ...]


def _levels(anchors: Anchors) -> tuple[Level, Level, Level, Level, Level]:
    if len(anchors) != MAX_LEVEL - MIN_LEVEL + 1:
        raise ValueError(f"a scale needs {MAX_LEVEL + 1} anchors, got {len(anchors)}")
    a, b, c, d, e = (Level(i, fi, en) for i, (fi, en) in enumerate(anchors))
    return (a, b, c, d, e)


def _exposure(
    id_: str, fi: str, en: str, group: Group, icf: tuple[str, ...], *, kg: bool = False
) -> Characteristic:
    return Characteristic(id_, fi, en, group, icf, ScaleKind.EXPOSURE, _levels(_EXPOSURE), kg)


def _ability(
    id_: str, fi: str, en: str, group: Group, icf: tuple[str, ...], anchors: Anchors
) -> Characteristic:
    return Characteristic(id_, fi, en, group, icf, ScaleKind.ABILITY, _levels(anchors))


_P, _M, _S, _C, _Q, _E, _W = (
    Group.POSTURE_MOBILITY,
    Group.MANUAL_HANDLING,
    Group.SENSES,
    Group.COGNITION,
    Group.COMMUNICATION_SOCIAL,
    Group.WORK_ENVIRONMENT,
    Group.WORK_ORGANISATION,
)

_CATALOGUE: tuple[Characteristic, ...] = (
    # --- posture and mobility (share of the shift) -------------------------------------------
    _exposure("sitting", "Istuminen", "Sitting", _P, ("d4153", "d415")),
    _exposure("standing", "Seisominen", "Standing", _P, ("d4154", "d415")),
    _exposure("walking", "Kävely", "Walking", _P, ("d4500", "d450")),
    _exposure(
        "kneeling_squatting",
        "Polvillaan olo ja kyykistely",
        "Kneeling and squatting",
        _P,
        ("d4152", "d4151"),
    ),
    _exposure("bending", "Kumartuminen", "Bending", _P, ("d4105",)),
    _exposure(
        "climbing", "Kiipeäminen (tikkaat, portaat)", "Climbing (ladders, stairs)", _P, ("d4551",)
    ),
    _exposure(
        "overhead_work", "Työ kädet hartiatason yläpuolella", "Overhead work", _P, ("d4452",)
    ),
    # --- manual handling ---------------------------------------------------------------------
    _exposure("lifting", "Nostaminen", "Lifting", _M, ("d4300", "d430"), kg=True),
    _exposure("carrying", "Kantaminen", "Carrying", _M, ("d4301", "d4302", "d430"), kg=True),
    _exposure(
        "pushing_pulling", "Työntäminen ja vetäminen", "Pushing and pulling", _M, ("d4450", "d4451")
    ),
    _exposure("fine_hand_use", "Sorminäppäryyttä vaativa työ", "Fine hand use", _M, ("d440",)),
    _exposure(
        "repetitive_hand_arm",
        "Toistuva käsien ja käsivarsien työ",
        "Repetitive hand and arm work",
        _M,
        ("d445", "d4453"),
    ),
    _exposure("driving", "Ajoneuvon kuljettaminen", "Driving", _M, ("d475",)),
    # --- senses -------------------------------------------------------------------------------
    _ability(
        "vision",
        "Näkö",
        "Vision",
        _S,
        ("b210", "d110"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("suurten kohteiden erottaminen", "telling large objects apart"),
            ("tavallinen teksti ja ympäristö silmälaseilla", "ordinary print and surroundings"),
            ("pienet yksityiskohdat ja värit", "small details and colours"),
            (
                "erittäin tarkka näkö, myös etäälle ja hämärässä",
                "very sharp vision, also at distance and in dim light",
            ),
        ),
    ),
    _ability(
        "hearing",
        "Kuulo",
        "Hearing",
        _S,
        ("b230", "d115"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("kovat äänet ja hälytykset", "loud sounds and alarms"),
            ("keskustelu hiljaisessa tilassa", "conversation in a quiet room"),
            (
                "keskustelu taustamelussa ja puhelimessa",
                "conversation in background noise and by phone",
            ),
            (
                "hiljaisten äänien ja vivahteiden erottaminen",
                "telling faint sounds and nuances apart",
            ),
        ),
    ),
    # --- work environment (share of the shift) -------------------------------------------------
    _exposure("noise", "Melu", "Noise", _E, ("e250",)),
    _exposure("cold", "Kylmä (kylmiöt, talvi)", "Cold (cold rooms, winter)", _E, ("e225",)),
    _exposure("heat", "Kuumuus", "Heat", _E, ("e225",)),
    _exposure(
        "outdoor_work",
        "Ulkotyö säällä kuin säällä",
        "Outdoor work in all weathers",
        _E,
        ("e225", "e2250"),
    ),
    _exposure(
        "dust_allergens",
        "Pöly, kemikaalit ja allergeenit",
        "Dust, chemicals and allergens",
        _E,
        ("e260",),
    ),
    _exposure("vibration", "Tärinä", "Vibration", _E, ("e255",)),
    # --- cognition ------------------------------------------------------------------------------
    _ability(
        "attention",
        "Tarkkaavuus",
        "Attention",
        _C,
        ("b140", "d160"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("lyhyet, selkeät tehtävät muistutuksin", "short, clear tasks with reminders"),
            (
                "tavallinen rutiinityö ilman suurta keskeytysmäärää",
                "ordinary routine work with few interruptions",
            ),
            (
                "pitkäkestoinen keskittyminen keskeytyksistä huolimatta",
                "sustained focus despite interruptions",
            ),
            ("erittäin tarkka keskittyminen koko työpäivän", "very precise focus all day"),
        ),
    ),
    _ability(
        "memory",
        "Muisti",
        "Memory",
        _C,
        ("b144",),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("muutama vaihe kirjallisen tuen kanssa", "a few steps with written support"),
            ("tuttujen työvaiheiden muistaminen", "remembering familiar work steps"),
            ("useiden ohjeiden ja asioiden muistaminen", "remembering many instructions and items"),
            ("laajan ja muuttuvan tiedon hallinta", "holding broad, changing information"),
        ),
    ),
    _ability(
        "learning_new",
        "Uuden oppiminen",
        "Learning new things",
        _C,
        ("d155", "d1551"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            (
                "yksinkertainen tehtävä näyttämällä ja toistamalla",
                "a simple task by demonstration and repetition",
            ),
            ("uusi rutiinitehtävä perehdytyksellä", "a new routine task with induction"),
            (
                "uudet menetelmät itsenäisesti ohjeista",
                "new methods independently from instructions",
            ),
            ("jatkuvasti uutta, nopea omaksuminen", "constantly new things, quick uptake"),
        ),
    ),
    _ability(
        "problem_solving",
        "Ongelmanratkaisu",
        "Problem solving",
        _C,
        ("d175", "d177"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("tutut tilanteet, apu saatavilla heti", "familiar situations, help at hand"),
            ("tavalliset poikkeamat ohjeen mukaan", "ordinary deviations by instruction"),
            ("uudet ongelmat itsenäisesti", "new problems independently"),
            ("monimutkaiset ratkaisut ja päätökset", "complex solutions and decisions"),
        ),
    ),
    _ability(
        "reading",
        "Lukeminen",
        "Reading",
        _C,
        ("d166",),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("merkit, kuvat ja yksittäiset sanat", "signs, pictures and single words"),
            ("lyhyet ohjeet ja listat", "short instructions and lists"),
            ("tavalliset työohjeet ja viestit", "ordinary work instructions and messages"),
            ("pitkät ja vaativat tekstit", "long and demanding texts"),
        ),
    ),
    _ability(
        "writing",
        "Kirjoittaminen",
        "Writing",
        _C,
        ("d170",),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("nimi, numerot ja rasti ruutuun", "name, numbers and ticking boxes"),
            ("lyhyet merkinnät ja viestit", "short notes and messages"),
            ("selkeät raportit ja sähköpostit", "clear reports and e-mails"),
            ("vaativat asiakirjat", "demanding documents"),
        ),
    ),
    _ability(
        "calculation",
        "Laskeminen",
        "Calculation",
        _C,
        ("d172",),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("kappaleiden laskeminen", "counting items"),
            ("peruslaskutoimitukset, rahan käsittely", "basic arithmetic, handling money"),
            ("prosentit, mittayksiköt ja reseptit", "percentages, units and recipes"),
            ("vaativa laskenta ja taulukot", "demanding calculation and spreadsheets"),
        ),
    ),
    _ability(
        "multitasking",
        "Useiden tehtävien hallinta",
        "Handling several tasks",
        _C,
        ("d220",),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("yksi tehtävä kerrallaan", "one task at a time"),
            ("muutama tehtävä selkeässä järjestyksessä", "a few tasks in a clear order"),
            ("useita tehtäviä, oma priorisointi", "several tasks, own prioritising"),
            (
                "monta samanaikaista tehtävää ja keskeytyksiä",
                "many simultaneous tasks and interruptions",
            ),
        ),
    ),
    # --- communication and social ----------------------------------------------------------------
    _ability(
        "finnish_language",
        "Suomen kieli",
        "Finnish language",
        _Q,
        ("d310", "d330"),
        (
            ("ei tarvita / ei osaa", "not needed / none"),
            (
                "alkeet (A1–A2): tervehdykset ja työn perussanat",
                "basics (A1–A2): greetings, work words",
            ),
            ("arkikieli (B1): tavalliset työtilanteet", "everyday (B1): ordinary work situations"),
            ("sujuva (B2): asiakastilanteet ja ohjeet", "fluent (B2): customers and instructions"),
            ("erinomainen (C1–C2 tai äidinkieli)", "excellent (C1–C2 or mother tongue)"),
        ),
    ),
    _ability(
        "digital_skills",
        "Digitaidot",
        "Digital skills",
        _Q,
        ("d360", "d3602"),
        (
            ("ei tarvita / ei osaa", "not needed / none"),
            ("älypuhelimen perustoiminnot", "basic smartphone use"),
            ("valmiit sovellukset ja lomakkeet", "ready-made apps and forms"),
            ("toimisto-ohjelmat ja verkkopalvelut", "office software and online services"),
            ("vaativat järjestelmät ja tuki muille", "demanding systems and helping others"),
        ),
    ),
    _ability(
        "customer_contact",
        "Asiakaskontaktit ja vieraat ihmiset",
        "Customer contact and strangers",
        _Q,
        ("d730", "d710"),
        (
            ("ei asiakaskontakteja / ei kykene", "no customer contact / not able"),
            (
                "satunnainen lyhyt kohtaaminen tuttujen kanssa",
                "occasional brief contact with familiar people",
            ),
            (
                "ajoittaista asiakaspalvelua rauhallisessa ympäristössä",
                "occasional customer service in a calm setting",
            ),
            ("jatkuvaa asiakaspalvelua", "continuous customer service"),
            (
                "vaativaa palvelua ja myyntiä vieraille ihmisille",
                "demanding service and selling to strangers",
            ),
        ),
    ),
    _ability(
        "teamwork",
        "Ryhmätyö",
        "Teamwork",
        _Q,
        ("d720", "d740"),
        (
            ("ei tarvita / ei kykene", "not needed / not able"),
            ("rinnakkain työskentely tutun työparin kanssa", "working beside a familiar partner"),
            ("yhteistyö pienessä tiimissä", "cooperation in a small team"),
            ("tiivis yhteistyö ja sopiminen", "close cooperation and agreeing things"),
            ("tiimin vetäminen ja yhteensovittaminen", "leading and coordinating a team"),
        ),
    ),
    _ability(
        "conflict_situations",
        "Ristiriitatilanteet",
        "Conflict situations",
        _Q,
        ("d7202", "d7203"),
        (
            ("ei ristiriitoja / ei kykene", "no conflicts / not able"),
            ("harvinaiset, lievät erimielisyydet", "rare, mild disagreements"),
            ("tavalliset asiakaspalautteet ja valitukset", "ordinary feedback and complaints"),
            ("toistuvat vaikeat tilanteet", "recurring difficult situations"),
            ("uhkaavat tai aggressiiviset tilanteet", "threatening or aggressive situations"),
        ),
    ),
    # --- work organisation and time ---------------------------------------------------------------
    _ability(
        "work_pace",
        "Työtahti ja aikapaineet",
        "Work pace and time pressure",
        _W,
        ("d2306", "d2401"),
        (
            ("oma tahti, ei aikatauluja", "own pace, no deadlines"),
            ("rauhallinen tahti, väljät aikataulut", "calm pace, loose deadlines"),
            ("tavallinen tahti, päivittäiset aikataulut", "ordinary pace, daily deadlines"),
            ("nopea tahti, usein kiirettä", "fast pace, often in a hurry"),
            ("erittäin nopea tahti, jatkuva aikapaine", "very fast pace, constant time pressure"),
        ),
    ),
    _ability(
        "handling_stress",
        "Stressin sietäminen",
        "Handling stress",
        _W,
        ("d2401",),
        (
            ("ei kuormitusta / ei kykene", "no strain / not able"),
            ("vähäinen kuormitus", "low strain"),
            ("tavanomainen kuormitus", "ordinary strain"),
            ("ajoittain suuri kuormitus", "high strain at times"),
            ("jatkuvasti suuri kuormitus", "constantly high strain"),
        ),
    ),
    _ability(
        "handling_change",
        "Muutosten sietäminen",
        "Handling change",
        _W,
        ("d2304",),
        (
            ("ei muutoksia / ei kykene", "no changes / not able"),
            ("harvoin ja ennalta kerrotut muutokset", "rare changes announced in advance"),
            ("tavalliset muutokset työpäivän aikana", "ordinary changes during the day"),
            ("usein yllättäviä muutoksia", "frequent unexpected changes"),
            ("jatkuvasti muuttuva työ", "constantly changing work"),
        ),
    ),
    _ability(
        "keeping_agreed_times",
        "Sovituissa ajoissa pysyminen",
        "Keeping to agreed times",
        _W,
        ("d2305",),
        (
            ("ei sidottu aikoihin / ei kykene", "no fixed times / not able"),
            ("joustava saapuminen, muistutus avuksi", "flexible arrival, reminders help"),
            ("sovittu alkamisaika, pieni jousto", "agreed start time, a little slack"),
            ("tarkat alkamisajat", "exact start times"),
            (
                "tarkat ajat ja aikataulutetut tapaamiset koko päivän",
                "exact times and scheduled appointments all day",
            ),
        ),
    ),
    _ability(
        "working_alone",
        "Itsenäinen työskentely",
        "Working alone",
        _W,
        ("d2102", "d2202"),
        (
            ("jatkuva ohjaus saatavilla / ei kykene yksin", "constant guidance / not able alone"),
            ("ohjaaja lähellä koko ajan", "supervisor close by all the time"),
            ("ohjaaja tavoitettavissa päivän aikana", "supervisor reachable during the day"),
            ("pääosin yksin, tarkistus päivittäin", "mostly alone, checked daily"),
            (
                "täysin itsenäisesti, myös poikkeustilanteissa",
                "fully independently, also in exceptions",
            ),
        ),
    ),
    _ability(
        "responsibility_for_safety",
        "Vastuu muiden turvallisuudesta",
        "Responsibility for others' safety",
        _W,
        ("d2400",),
        (
            ("ei vastuuta / ei kykene", "no responsibility / not able"),
            ("huolellisuus omassa työssä", "care in one's own work"),
            ("muiden turvallisuuteen vaikuttavat rutiinit", "routines that affect others' safety"),
            (
                "vastuu asiakkaiden tai työtovereiden turvallisuudesta",
                "responsible for customers' or colleagues' safety",
            ),
            ("välitön vastuu ihmishengistä", "direct responsibility for lives"),
        ),
    ),
    _exposure(
        "irregular_hours",
        "Vuoro-, yö- ja epäsäännöllinen työ",
        "Shift, night and irregular hours",
        _W,
        ("d230", "b134"),
    ),
    _ability(
        "uninterrupted_work",
        "Yhtäjaksoinen työ ilman taukoja ja vaihtelua",
        "Uninterrupted work without breaks or variety",
        _W,
        ("b455", "b1300"),
        (
            (
                "tauot ja vaihtelu vapaasti / ei kykene yhtäjaksoiseen työhön",
                "breaks and variety at will / not able to work uninterrupted",
            ),
            ("tauko tai vaihtelu puolen tunnin välein", "a break or change every half hour"),
            ("tauko tai vaihtelu tunnin välein", "a break or change every hour"),
            ("tauot vain sovituin väliajoin (2 h)", "breaks only at set intervals (2 h)"),
            (
                "pitkiä yhtäjaksoisia jaksoja samaa työtä",
                "long uninterrupted stretches of the same work",
            ),
        ),
    ),
    Characteristic(
        "daily_working_time",
        "Päivittäinen työaika",
        "Daily working time",
        _W,
        ("b455", "d8451"),
        ScaleKind.DURATION,
        _levels(_DURATION),
    ),
)

CHARACTERISTICS: MappingProxyType[str, Characteristic] = MappingProxyType(
    {c.id: c for c in _CATALOGUE}
)
"""Every characteristic by id, in catalogue order (the column order of every matrix)."""

CHARACTERISTIC_IDS: tuple[str, ...] = tuple(CHARACTERISTICS)

_INDEX = MappingProxyType({cid: i for i, cid in enumerate(CHARACTERISTIC_IDS)})


def characteristic(characteristic_id: str) -> Characteristic:
    """Look a characteristic up by id, with an error that lists what exists."""
    try:
        return CHARACTERISTICS[characteristic_id]
    except KeyError:
        raise KeyError(
            f"unknown characteristic {characteristic_id!r}; known ids: "
            + ", ".join(CHARACTERISTIC_IDS)
        ) from None


def characteristic_index(characteristic_id: str) -> int:
    """Column of ``characteristic_id`` in every (n, n_characteristics) matrix."""
    characteristic(characteristic_id)
    return _INDEX[characteristic_id]
