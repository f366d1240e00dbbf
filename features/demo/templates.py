"""Role templates for the demo world: jobs as employers describe them, decomposed Ratko-style.

Each task is written on one line: title, kind, core (C) or hand-over (H), hours a week, a
schedule pattern, a frequency, its demands, the adjustments the employer would typically
accept, the licences and the skills it requires. Demands use short aliases (``ALIASES``);
whatever a task does not name takes ``BASELINE`` (ordinary indoor work), and daily working
time follows from hours and schedule when the world is built.

The demands were set by thinking through each task the way a Ratko workshop would: a kitchen
porter stands most of the shift, a mail sorter does repetitive hand work, a receptionist meets
strangers all day, yard work is outdoors in all weathers.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, LICENCES, SECTORS, TASK_KINDS
from features.schemas.employer import Frequency, Role, Task, TaskType

__all__ = [
    "ALIASES",
    "BASELINE",
    "ROLE_TEMPLATES",
    "SCHEDULE_PATTERNS",
    "SECTOR_INDUSTRIES",
    "RoleTemplate",
    "TaskTemplate",
    "role_from_template",
]

ALIASES = MappingProxyType(
    {
        "si": "sitting",
        "st": "standing",
        "wa": "walking",
        "kn": "kneeling_squatting",
        "be": "bending",
        "cl": "climbing",
        "ov": "overhead_work",
        "li": "lifting",
        "ca": "carrying",
        "pp": "pushing_pulling",
        "fh": "fine_hand_use",
        "rh": "repetitive_hand_arm",
        "dr": "driving",
        "vi": "vision",
        "he": "hearing",
        "no": "noise",
        "co": "cold",
        "ht": "heat",
        "ou": "outdoor_work",
        "du": "dust_allergens",
        "vb": "vibration",
        "at": "attention",
        "me": "memory",
        "le": "learning_new",
        "ps": "problem_solving",
        "re": "reading",
        "wr": "writing",
        "cc": "calculation",
        "mt": "multitasking",
        "fi": "finnish_language",
        "dg": "digital_skills",
        "cu": "customer_contact",
        "tw": "teamwork",
        "cf": "conflict_situations",
        "wp": "work_pace",
        "sr": "handling_stress",
        "ch": "handling_change",
        "ti": "keeping_agreed_times",
        "al": "working_alone",
        "rs": "responsibility_for_safety",
        "ih": "irregular_hours",
        "ui": "uninterrupted_work",
        "dt": "daily_working_time",
    }
)

# Ordinary indoor work: what a task demands unless its line says otherwise (the rest is 0).
BASELINE = MappingProxyType(
    {
        "sitting": 1,
        "standing": 2,
        "walking": 2,
        "vision": 2,
        "hearing": 2,
        "attention": 2,
        "memory": 1,
        "learning_new": 1,
        "problem_solving": 1,
        "reading": 1,
        "finnish_language": 1,
        "teamwork": 1,
        "work_pace": 2,
        "handling_stress": 1,
        "handling_change": 1,
        "keeping_agreed_times": 2,
        "working_alone": 2,
        "uninterrupted_work": 1,
    }
)

# Slots a schedule pattern may use; a task takes as many of them as its hours need.
_WD = ("mon", "tue", "wed", "thu", "fri")
_WE = ("sat", "sun")
SCHEDULE_PATTERNS = MappingProxyType(
    {
        "wd-am": tuple(f"{d}-morning" for d in _WD),
        "wd-pm": tuple(f"{d}-afternoon" for d in _WD),
        "wd-day": tuple(f"{d}-{p}" for d in _WD for p in ("morning", "afternoon")),
        "wd-eve": tuple(f"{d}-evening" for d in _WD),
        "we-day": tuple(f"{d}-{p}" for d in _WE for p in ("morning", "afternoon")),
        "all-day": tuple(f"{d}-{p}" for d in _WD + _WE for p in ("morning", "afternoon")),
        "eve-we": tuple(f"{d}-evening" for d in _WD + _WE) + tuple(f"{d}-afternoon" for d in _WE),
        "night": tuple(f"{d}-night" for d in _WD + _WE),
        "early": tuple(f"{d}-morning" for d in _WD + _WE),
    }
)

# Which TOL 2008 divisions an employer of each sector typically has.
SECTOR_INDUSTRIES = MappingProxyType(
    {
        "property_maintenance": ("68", "81"),
        "cleaning": ("81", "96"),
        "yard_green": ("81", "01"),
        "recycling": ("38", "47", "94"),
        "care_assistance": ("87", "88"),
        "errands": ("88", "96"),
        "retail": ("47",),
        "kitchen_catering": ("56", "55"),
        "office_support": ("69", "82", "70"),
        "industry": ("31", "25", "10", "45"),
        "construction": ("41", "43"),
        "logistics": ("52", "53", "46"),
        "seasonal": ("01", "93"),
        "ict": ("62", "95"),
        "culture": ("91", "90", "93"),
        "transport": ("49",),
    }
)


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    title: str
    kind: str
    task_type: TaskType
    hours: float
    pattern: str
    frequency: Frequency
    demands: MappingProxyType[str, int]
    kilograms: MappingProxyType[str, float]
    adjustments: tuple[str, ...]
    licences: tuple[str, ...]
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoleTemplate:
    title: str
    sector: str
    description: str
    tasks: tuple[TaskTemplate, ...]


_FREQ = {
    "d": Frequency.DAILY,
    "s": Frequency.SEVERAL_PER_WEEK,
    "w": Frequency.WEEKLY,
    "m": Frequency.MONTHLY,
    "o": Frequency.OCCASIONAL,
}


def _task(line: str) -> TaskTemplate:
    """Parse ``title | kind | C/H | hours | pattern | freq | demands | adjustments | licences |
    skills``; demands are ``alias level`` pairs, lifting/carrying as ``li2:8`` (level 2, 8 kg).
    """
    parts = [p.strip() for p in line.split("|")]
    if len(parts) != 10:
        raise ValueError(f"task line needs 10 fields: {line!r}")
    title, kind, core, hours, pattern, freq, demand_text, adj, lic, skills = parts
    demands = dict.fromkeys(CHARACTERISTICS, 0) | dict(BASELINE)
    kilograms: dict[str, float] = {}
    for token in demand_text.split():
        alias, level = token[:2], token[2:]
        cid = ALIASES[alias]
        if ":" in level:
            level, kg = level.split(":")
            kilograms[cid] = float(kg)
        demands[cid] = int(level)
    for cid in kilograms:
        if demands[cid] == 0:
            raise ValueError(f"{title}: {cid} has kilograms but level 0")
    if kind not in TASK_KINDS or pattern not in SCHEDULE_PATTERNS:
        raise ValueError(f"{title}: unknown kind {kind!r} or pattern {pattern!r}")
    adjustments = tuple(adj.split())
    licences = tuple(lic.split())
    unknown = [a for a in adjustments if a not in ADJUSTMENTS]
    unknown += [x for x in licences if x not in LICENCES]
    unknown += [c for c in demands if c not in CHARACTERISTICS]
    if unknown:
        raise ValueError(f"{title}: unknown ids {unknown}")
    return TaskTemplate(
        title=title,
        kind=kind,
        task_type=TaskType.CORE if core == "C" else TaskType.HAND_OVER,
        hours=float(hours),
        pattern=pattern,
        frequency=_FREQ[freq],
        demands=MappingProxyType(demands),
        kilograms=MappingProxyType(kilograms),
        adjustments=adjustments,
        licences=licences,
        skills=tuple(s.replace("_", " ") for s in skills.split()),
    )


def _role(title: str, sector: str, description: str, lines: str) -> RoleTemplate:
    if sector not in SECTORS:
        raise ValueError(f"{title}: unknown sector {sector!r}")
    tasks = tuple(_task(line) for line in lines.strip().splitlines() if line.strip())
    if not 5 <= len(tasks) <= 15:
        raise ValueError(f"{title}: a role template has 5–15 tasks, not {len(tasks)}")
    return RoleTemplate(title, sector, description, tasks)


# fmt: off
ROLE_TEMPLATES: tuple[RoleTemplate, ...] = (
    _role("Keittiöapulainen", "kitchen_catering", "Koulun tai henkilöstöravintolan keittiö", """
Astianpesu ja astioiden lajittelu | dishwashing | H | 10 | wd-day | d | st4 wa2 li2:8 rh3 ht2 no2 wp3 du1 | sit_stand_stool task_rotation hearing_protection flexible_breaks | | astianpesu
Salaattien ja kasvisten esivalmistelu | food_preparation | H | 8 | wd-am | d | st3 fh2 rh3 co1 wp2 re1 | sit_stand_stool written_instructions | hygiene_passport | ruoanvalmistus
Linjaston täyttö ja kattaus | serving | H | 6 | wd-am | d | st3 wa3 ca2:5 cu1 wp3 | flexible_breaks | hygiene_passport | asiakaspalvelu
Ruokalistan suunnittelu ja tilaukset | office_admin | C | 4 | wd-am | w | si3 st1 cc3 dg3 ps3 re3 wr2 | | | ruokalistat
Lämpimän ruoan valmistus | food_preparation | C | 20 | wd-am | d | st4 wa2 li3:15 ht3 wp3 rs2 mt3 | | hygiene_passport | ruoanvalmistus
Kylmiön ja varaston järjestäminen | warehouse | H | 3 | wd-pm | w | st3 wa3 li3:15 ca3:15 co3 be2 | trolley lifting_aid | | varastointi
Roskien ja pahvien vienti | recycling_sorting | H | 2 | wd-pm | d | wa3 li2:10 ca3:10 ou2 co1 | trolley | | lajittelu
Keittiön loppusiivous | cleaning | H | 5 | wd-pm | d | st3 wa3 be3 kn2 du2 rh2 wp2 | long_handled_tools protective_equipment | | siivous
"""),
    _role("Ravintolakokki", "kitchen_catering", "À la carte -ravintola, ilta- ja viikonloppupainotteinen", """
Annosten valmistus ruuhka-aikana | food_preparation | C | 25 | eve-we | d | st4 wa2 ht3 wp4 sr4 mt4 rs2 ih3 | | hygiene_passport | ruoanvalmistus
Raaka-aineiden esikäsittely | food_preparation | H | 8 | wd-pm | d | st3 fh2 rh3 co1 wp2 | sit_stand_stool no_time_pressure | hygiene_passport | ruoanvalmistus
Tavaran vastaanotto ja purku | warehouse | H | 3 | wd-am | s | st3 wa3 li3:20 ca3:15 co2 | trolley lifting_aid work_pair | | varastointi
Astianpesu ilta-aikaan | dishwashing | H | 10 | eve-we | d | st4 li2:8 rh3 ht2 no3 wp4 ih3 | sit_stand_stool hearing_protection | | astianpesu
Ravintolasalin kattaus | serving | H | 5 | wd-pm | d | st3 wa3 fh2 ca2:5 wp2 | | | kattaus
Inventaario ja hävikin kirjaus | data_entry | H | 2 | wd-pm | w | si3 cc2 dg2 re2 wr2 at3 | written_instructions | | taulukot
Pöytäliinojen ja tekstiilien huolto | laundry_textiles | H | 2 | wd-am | w | st3 rh2 li2:6 | | | pyykinpesu
"""),
    _role("Kahvilatyöntekijä", "kitchen_catering", "Kahvila-leipomo keskustassa", """
Kassatyö ja asiakaspalvelu | cashier_customer_service | C | 15 | all-day | d | st3 cu4 cf2 cc2 dg2 fi3 wp3 sr3 mt3 | sit_stand_stool | | asiakaspalvelu kassatyö
Leivonnaisten paistaminen aamulla | food_preparation | H | 8 | early | d | st3 ht3 li2:8 wp2 ti4 ih2 | sit_stand_stool | hygiene_passport | leivonta
Astioiden keräily ja pöytien pyyhintä | cleaning | H | 6 | all-day | d | st3 wa4 ca2:5 cu2 wp3 | back_office_variant flexible_breaks | | siivous
Vitriinien täyttö | shelf_stocking | H | 4 | wd-am | d | st3 fh2 cu1 | | hygiene_passport |
Tiskikone ja astiahuolto | dishwashing | H | 6 | all-day | d | st4 rh3 li1:5 ht2 wp3 | sit_stand_stool task_rotation | | astianpesu
Somepäivitykset ja tarjoustaulu | content_media | H | 2 | wd-pm | w | si3 dg3 wr2 fh1 | | | some valokuvaus
"""),
    _role("Toimitilasiivooja", "cleaning", "Toimistot ja porrashuoneet", """
Toimistojen ylläpitosiivous | cleaning | C | 20 | wd-eve | d | st3 wa4 be3 kn2 pp3 rh3 du2 wp3 al3 ih2 | long_handled_tools task_rotation | | siivous
Roska-astioiden tyhjennys | recycling_sorting | H | 4 | wd-eve | d | wa4 be2 ca2:5 al3 | trolley | | lajittelu
Tarvikkeiden täydennys (paperit, saippuat) | shelf_stocking | H | 2 | wd-eve | s | wa3 ov2 ca2:8 | trolley no_ladder_work | |
Lattioiden koneellinen pesu | cleaning | C | 6 | wd-eve | w | st4 wa4 pp4 vb2 no2 | | | lattianhoito
Ikkunoiden ja lasipintojen pesu | cleaning | H | 3 | wd-pm | m | st3 ov3 cl2 rh3 | no_ladder_work long_handled_tools | |
Siivousvälineiden huolto ja pyykki | laundry_textiles | H | 3 | wd-pm | s | st3 rh2 li2:8 du1 | | | pyykinpesu
Asiakkaan kanssa siivoustarpeista sopiminen | reception | C | 1 | wd-pm | m | cu3 fi3 ps2 wr2 | | |
"""),
    _role("Hotellin kerrossiivooja", "cleaning", "Kaupunkihotelli, 120 huonetta", """
Huoneiden siivous lähtöpäivänä | cleaning | C | 20 | all-day | d | st3 wa3 be4 kn3 pp3 rh3 wp4 sr3 du2 | long_handled_tools | | siivous
Vuoteiden petaus | cleaning | H | 8 | all-day | d | st3 be4 li2:8 rh3 wp3 | task_rotation | | siivous
Liinavaatteiden lajittelu ja pyykkikärryt | laundry_textiles | H | 6 | wd-am | d | st4 wa2 pp3 li2:10 du2 | trolley | | pyykinpesu
Minibaarien ja tarvikkeiden täydennys | shelf_stocking | H | 4 | all-day | d | wa3 ca2:6 cc1 re1 | trolley written_instructions | |
Aulan ja käytävien imurointi | cleaning | H | 4 | wd-am | d | wa4 pp3 no2 cu1 | | | siivous
Löytötavaroiden kirjaus | data_entry | H | 1 | wd-pm | w | si2 dg2 wr2 re2 | | |
"""),
    _role("Laitoshuoltaja", "cleaning", "Sairaalan osaston puhtaanapito", """
Potilashuoneiden hygieniasiivous | cleaning | C | 20 | all-day | d | st3 wa4 be3 kn2 du3 rs3 wp3 cu2 ih2 | long_handled_tools | | siivous aseptiikka
Ruokakärryjen kuljetus ja palautus | errands | H | 6 | all-day | d | wa4 pp3 cu1 ti3 | | |
Liinavaatevaraston täyttö | shelf_stocking | H | 4 | wd-am | s | st3 wa2 ov2 li2:8 | no_ladder_work | |
Jätteiden lajittelu ja vienti | recycling_sorting | H | 4 | wd-pm | d | wa3 li2:10 ca3:10 du2 | trolley protective_equipment | | lajittelu
Siivousvaunujen varustelu | cleaning | H | 3 | early | d | st3 fh1 me2 | written_instructions | |
Välinehuolto ja desinfiointi | cleaning | H | 4 | wd-pm | d | st3 rh3 du3 at3 | protective_equipment sit_stand_stool | | aseptiikka
"""),
    _role("Pesulatyöntekijä", "cleaning", "Teollisuuspesula, sairaala- ja hotellitekstiilit", """
Likapyykin lajittelu | laundry_textiles | H | 15 | wd-am | d | st4 be3 li2:10 rh3 du3 ht2 wp3 | protective_equipment task_rotation | | lajittelu
Tekstiilien syöttö mankeliin | laundry_textiles | H | 15 | wd-day | d | st4 rh4 ht3 no3 wp4 ui3 | task_rotation hearing_protection | | pyykinpesu
Vaatteiden viikkaus ja pakkaus | sorting_packing | H | 10 | wd-day | d | st3 fh2 rh3 wp3 | sit_stand_stool task_rotation | |
Pesukoneiden ohjaus ja annostelu | laundry_textiles | C | 20 | wd-day | d | st3 ps3 rs2 re2 dg2 du2 | | |
Asiakastilausten keräily | warehouse | H | 5 | wd-pm | d | wa3 pp3 re2 cc1 | trolley written_instructions | |
Rullakoiden lastaus | warehouse | H | 4 | wd-pm | d | pp4 li3:15 wa3 co1 | work_pair | |
"""),
    _role("Kiinteistönhoitaja", "property_maintenance", "Asuinkiinteistöjen huolto Lahden alueella", """
Vikailmoitusten korjaukset asunnoissa | maintenance_repair | C | 15 | wd-day | d | st3 kn3 be3 cl2 ov3 fh3 ps3 cu3 dr2 rs2 al4 | | driving_b electrical_safety | korjaus
Lumityöt ja hiekoitus | yard_work | H | 8 | early | s | ou4 co4 wa3 pp3 rh3 vb2 ih3 ti4 | indoor_variant | | lumityöt
Roska-alueiden siistiminen | yard_work | H | 4 | wd-am | s | ou3 wa3 be3 ca2:10 du2 | long_handled_tools | |
Porrashuoneiden lamppujen vaihto | maintenance_repair | H | 2 | wd-day | w | cl3 ov3 fh2 st2 | | |
Kuukausitarkastuskierrokset | maintenance_repair | C | 4 | wd-am | m | wa3 cl2 ps3 wr2 dg2 rs3 al4 | | |
Asukkaiden ohjeistus ja tiedotteet | office_admin | H | 2 | wd-pm | w | si3 dg2 wr2 fi3 | | |
Pihakalusteiden kunnostus | maintenance_repair | H | 4 | wd-day | o | st3 kn2 fh2 du2 ou2 | | |
Autotallien ja varastojen järjestys | warehouse | H | 2 | wd-pm | m | li3:20 ca3:20 be3 | work_pair trolley | |
"""),
    _role("Viheralueiden hoitaja", "yard_green", "Kaupungin puistot ja kiinteistöjen viheralueet", """
Ruohonleikkuu ajoleikkurilla | yard_work | C | 15 | wd-day | d | si3 ou4 vb3 no3 dr2 ht2 du2 | hearing_protection | driving_b | ruohonleikkuu
Kukkaistutukset ja kitkentä | planting_harvest | H | 10 | wd-am | d | ou4 kn4 be4 fh2 ht2 | long_handled_tools task_rotation | | puutarhatyö
Haravointi ja lehtien puhallus | yard_work | H | 8 | wd-day | s | ou4 st3 rh3 no2 du2 | hearing_protection flexible_breaks | |
Puiden ja pensaiden leikkaus | yard_work | C | 6 | wd-day | w | ou4 ov3 cl3 rs3 vb2 | | occupational_safety_card | puutarhatyö
Puistonpenkkien ja roska-astioiden huolto | yard_work | H | 5 | wd-am | d | ou4 wa3 ca2:10 dr2 | trolley | driving_b |
Kastelukierros | yard_work | H | 4 | early | d | ou4 wa4 ca2:10 ti3 | | |
"""),
    _role("Puutarhamyymälän työntekijä", "yard_green", "Puutarhamyymälä ja taimitarha", """
Taimien kastelu ja hoito | planting_harvest | H | 10 | early | d | st3 wa3 ou2 be3 ht2 | long_handled_tools | | puutarhatyö
Asiakkaiden neuvonta kasvivalinnoissa | cashier_customer_service | C | 15 | all-day | d | st3 cu4 fi3 me3 ps2 | | | asiakaspalvelu kasvituntemus
Multasäkkien hyllytys | shelf_stocking | H | 5 | wd-am | s | li3:25 ca3:25 be3 ou1 | lifting_aid trolley | |
Kassatyö | cashier_customer_service | C | 10 | we-day | d | si2 st2 cu4 cc2 dg2 cf2 | sit_stand_stool | | kassatyö
Ruukkujen ja istutusastioiden pesu | cleaning | H | 3 | wd-pm | w | st3 rh2 co2 | | |
Hintalappujen tulostus ja kiinnitys | office_admin | H | 2 | wd-am | w | st2 fh2 dg2 re2 | | |
"""),
    _role("Kierrätyskeskuksen työntekijä", "recycling", "Kierrätyskeskus: lahjoitusten vastaanotto, lajittelu ja myymälä", """
Lahjoitusten vastaanotto | recycling_sorting | H | 10 | wd-day | d | st3 li3:15 ca3:15 cu2 ou1 | trolley lifting_aid | | lajittelu
Tekstiilien lajittelu | recycling_sorting | H | 15 | wd-day | d | st3 rh3 du3 fh1 | sit_stand_stool protective_equipment task_rotation | | lajittelu
Tavaroiden hinnoittelu | recycling_sorting | H | 8 | wd-am | d | st2 si2 cc2 dg1 ps2 | written_instructions | |
Myymälän kassatyö | cashier_customer_service | C | 12 | all-day | d | st2 cu4 cc2 dg2 cf2 fi3 | sit_stand_stool | | kassatyö
Huonekalujen nouto asiakkailta | delivery_driving | C | 8 | wd-day | s | li4:35 ca4:35 dr3 cu2 ou2 | work_pair lifting_aid | driving_c | kuljetus
Sähkölaitteiden testaus | assembly | H | 5 | wd-pm | s | si3 fh3 at3 rs2 re2 | | electrical_safety |
Myymälän somekuvat | content_media | H | 2 | wd-pm | w | dg3 fh1 wr2 | | | some valokuvaus
Pahvien paalaus | recycling_sorting | H | 3 | wd-pm | d | st3 pp3 no2 rs1 | hearing_protection | |
"""),
    _role("Lähihoitaja (hoivakoti)", "care_assistance", "Ikääntyneiden tehostettu palveluasuminen", """
Lääkkeenjako ja hoitotoimet | care_support | C | 25 | all-day | d | st3 wa3 li3:20 rs4 me3 at4 sr3 ih3 cu3 fi4 | | medication_care | hoitotyö
Ulkoilussa avustaminen | care_support | H | 6 | wd-pm | d | wa4 ou3 pp3 cu3 rs2 | job_coach_first_weeks | |
Ruoan jako ja syöttäminen | serving | H | 8 | all-day | d | st3 wa3 cu3 fh2 wp3 | | hygiene_passport |
Asukkaiden seurana oleminen ja viriketoiminta | care_support | H | 8 | wd-pm | s | si2 cu3 fi3 tw2 | named_mentor | | viriketoiminta
Pyykkihuolto | laundry_textiles | H | 6 | wd-am | d | st3 li2:8 rh2 | | | pyykinpesu
Kirjaaminen asukastietojärjestelmään | data_entry | C | 5 | all-day | d | si3 dg3 wr3 fi4 at3 | | |
Tarvikkeiden tilaus ja varaston täyttö | warehouse | H | 2 | wd-am | w | wa2 li2:10 cc1 dg2 | | |
"""),
    _role("Kotipalvelutyöntekijä", "care_assistance", "Kotiin vietävät palvelut kaupungin alueella", """
Kotikäynnit ja avustaminen arjessa | care_support | C | 20 | all-day | d | wa3 dr3 cu4 rs3 sr3 al4 ih2 fi3 | | driving_b | hoitotyö
Kauppa-asioinnit asiakkaan puolesta | errands | H | 6 | wd-day | s | wa3 ca2:10 dr2 cu2 cc2 | | driving_b |
Kodin kevyt siivous | cleaning | H | 6 | wd-day | s | st3 be3 pp2 cu2 al3 | long_handled_tools | | siivous
Ruoan lämmitys ja kattaminen | serving | H | 4 | wd-am | d | st2 cu2 | | hygiene_passport |
Seuranpito ja ulkoilu | care_support | H | 6 | wd-pm | s | wa3 ou2 cu3 fi3 | | |
Reittien ja käyntien suunnittelu | office_admin | C | 2 | wd-am | w | si3 dg3 ps3 mt3 | | |
"""),
    _role("Asiointiavustaja", "errands", "Asiointi- ja kuljetuspalvelu ikäihmisille", """
Kauppa- ja apteekkiasioinnit | errands | C | 12 | wd-day | d | wa3 dr3 ca2:10 cu3 cc2 ti3 | | driving_b |
Asiakkaiden saattaminen lääkäriin | errands | H | 8 | wd-day | s | wa3 dr3 cu3 ti4 rs2 | | driving_b |
Tilausten vastaanotto puhelimessa | reception | H | 6 | wd-am | d | si3 he3 cu3 dg2 wr2 fi3 | quiet_workspace | |
Auton siivous ja tankkaus | vehicle_care | H | 2 | wd-pm | w | be2 st2 ou2 | | driving_b |
Laskutuksen valmistelu | office_admin | C | 3 | wd-pm | w | si3 cc3 dg3 at3 | | |
Ostoslistojen tarkistus ja kuittien kirjaus | data_entry | H | 3 | wd-pm | s | si3 cc2 dg2 re2 at2 | written_instructions | |
"""),
    _role("Myyjä (päivittäistavarakauppa)", "retail", "Lähikauppa, aukioloajat 7–22", """
Hyllytys ja tuotteiden esillepano | shelf_stocking | H | 15 | early | d | st3 wa3 be3 kn2 li2:12 ov2 co1 wp3 | trolley task_rotation | | hyllytys
Kassatyö | cashier_customer_service | C | 15 | all-day | d | si2 st3 cu4 cc2 dg2 cf3 sr3 wp3 ih2 | sit_stand_stool | | kassatyö asiakaspalvelu
Hävikin ja päiväysten tarkistus | shelf_stocking | H | 5 | early | d | st3 wa3 re2 at3 be2 co2 | written_instructions | |
Pullonpalautuksen tyhjennys | recycling_sorting | H | 3 | wd-pm | d | st3 li2:10 pp3 rh2 | trolley | |
Kylmäkaapin täyttö | shelf_stocking | H | 5 | early | d | co4 st3 li2:10 be2 | task_rotation | |
Myymälän siivous sulkemisen jälkeen | cleaning | H | 4 | wd-eve | d | wa3 be2 pp3 ih2 | long_handled_tools | |
Verkkokauppatilausten keräily | warehouse | H | 6 | wd-am | d | wa4 ca2:10 re2 dg2 wp3 co2 | trolley | |
Kuorman vastaanotto ja purku | warehouse | H | 4 | early | d | li3:20 pp4 co2 wp3 ti4 | work_pair lifting_aid | forklift |
"""),
    _role("Rautakaupan myyjä", "retail", "Rauta- ja rakennustarvikekauppa", """
Asiakkaiden neuvonta | cashier_customer_service | C | 20 | all-day | d | st3 wa3 cu4 ps3 me3 fi3 | | | asiakaspalvelu
Pihamyymälän tavaroiden siirto | warehouse | H | 6 | wd-am | d | ou3 li4:30 ca3:25 pp3 | lifting_aid work_pair | forklift |
Hyllytys ja hinnoittelu | shelf_stocking | H | 10 | wd-am | d | st3 be3 ov3 cl2 li2:12 | no_ladder_work trolley | |
Sahaus- ja leikkauspalvelu | assembly | C | 6 | wd-day | d | st3 no4 vb2 rs3 fh2 du3 | | | puutyö
Inventaariolaskenta | data_entry | H | 3 | wd-pm | m | st2 cc2 dg2 at3 | | |
Asiakastilausten keräily | warehouse | H | 5 | wd-pm | d | wa3 li2:15 re2 | trolley | |
"""),
    _role("Varastotyöntekijä", "logistics", "Verkkokaupan keskusvarasto", """
Tilausten keräily | warehouse | C | 20 | wd-day | d | wa4 be3 li2:12 ca2:12 wp4 dg1 re2 | trolley task_rotation | | keräily
Pakettien pakkaus | sorting_packing | H | 15 | wd-day | d | st4 fh2 rh4 wp3 ui3 | sit_stand_stool task_rotation | | pakkaus
Palautusten käsittely | sorting_packing | H | 10 | wd-am | d | st3 si2 re2 dg2 ps2 at3 | sit_stand_stool written_instructions | |
Trukkiajo ja hyllyvarastointi | warehouse | C | 15 | wd-day | d | si3 dr3 vb2 rs3 at3 ih2 | | forklift | trukki
Pahvien ja muovien kierrätys | recycling_sorting | H | 3 | wd-pm | d | wa3 li2:8 pp2 | | |
Saapuvien kuormien tarkistus | warehouse | H | 6 | early | d | st3 re2 dg2 cc2 co2 ti3 | | |
Tarrojen tulostus ja etiketöinti | sorting_packing | H | 5 | wd-am | d | si2 st2 fh2 rh3 dg1 | sit_stand_stool | |
"""),
    _role("Postinlajittelija", "logistics", "Postin lajittelu- ja jakelukeskus", """
Kirjeiden lajittelu lokeroihin | sorting_packing | H | 15 | night | d | st3 rh4 fh2 re2 at3 wp3 ui3 ih4 | sit_stand_stool task_rotation | | lajittelu
Pakettien lajittelu linjastolla | sorting_packing | C | 15 | night | d | st4 li2:15 rh3 no3 wp4 ih4 | | | lajittelu
Mainosjakelu reitillä | delivery_driving | H | 10 | early | d | wa4 ou4 ca2:10 co3 ti4 al4 ih2 | flexible_start | | jakelu
Jakeluautojen lastaus | warehouse | H | 6 | early | d | li3:20 ca3:20 pp3 wp3 ti4 | work_pair | |
Kuljettajan tehtävät jakelureitillä | delivery_driving | C | 20 | early | d | dr4 wa3 li2:15 ou3 al4 wp3 | | driving_b | jakelu
Palautuneen postin käsittely | data_entry | H | 4 | wd-day | d | si3 re3 dg2 at3 | written_instructions | |
"""),
    _role("Lähettikuljettaja", "transport", "Kaupunkilogistiikka ja kuriiripalvelu", """
Pakettien jakelu autolla | delivery_driving | C | 25 | wd-day | d | dr4 wa3 li2:15 ca2:15 ou3 wp4 al4 ti4 | | driving_b | kuljetus
Reittisuunnittelu sovelluksella | office_admin | H | 3 | wd-am | d | si3 dg3 ps2 re2 | | |
Auton sisäsiivous ja kunnossapito | vehicle_care | H | 3 | wd-pm | w | be2 st2 ou2 du1 | | |
Pikalähetit polkupyörällä keskustassa | delivery_driving | H | 8 | wd-day | s | wa4 ou4 ca2:8 co3 wp3 al4 | indoor_variant | | pyöräily
Terminaalin lajitteluapu | sorting_packing | H | 6 | early | d | st3 li2:12 rh3 ih2 | task_rotation | |
"""),
    _role("Taksinkuljettaja", "transport", "Taksiyritys, myös Kela-kyydit", """
Asiakasajot | delivery_driving | C | 30 | all-day | d | si4 dr4 cu3 fi3 ih3 rs3 | | driving_b taxi_driver | kuljetus
Kela-kyytien avustaminen | care_support | C | 8 | wd-day | d | si3 dr4 li2:15 cu3 rs3 | | driving_b taxi_driver |
Auton pesu ja siivous | vehicle_care | H | 3 | wd-pm | w | st2 be3 ou2 du1 | | |
Kirjanpidon kuittien järjestely | data_entry | H | 2 | wd-pm | w | si3 cc2 re2 dg2 | | |
Tilausten vastaanotto puhelimessa | reception | H | 8 | all-day | d | si4 he3 cu3 fi3 dg2 mt3 | quiet_workspace | |
"""),
    _role("Toimistosihteeri", "office_support", "Pienen asianajotoimiston toimisto", """
Puhelinvaihde ja asiakkaiden vastaanotto | reception | C | 15 | wd-day | d | si3 cu4 fi4 dg3 mt3 he3 | | | asiakaspalvelu
Postin käsittely ja arkistointi | data_entry | H | 6 | wd-am | d | si3 st2 re3 fh1 me2 | written_instructions | | arkistointi
Asiakirjojen skannaus | data_entry | H | 6 | wd-day | d | si3 rh2 dg2 at3 ui2 | quiet_workspace sit_stand_desk | | skannaus
Kokoustilojen valmistelu ja kahvitus | serving | H | 3 | wd-am | s | wa3 st3 ca2:5 | | |
Laskutus ja perintä | office_admin | C | 8 | wd-day | s | si4 cc3 dg3 wr3 at3 | | | kirjanpito
Toimistotarvikkeiden tilaus | office_admin | H | 1 | wd-am | m | si3 dg2 cc1 | | |
Sähköpostin ja kalenterin hoito | office_admin | C | 6 | wd-day | d | si4 dg3 wr3 fi4 mt3 | | |
"""),
    _role("Kirjanpitäjä", "office_support", "Tilitoimisto, 200 pienyritysasiakasta", """
Tilinpäätökset ja veroilmoitukset | office_admin | C | 25 | wd-day | d | si4 cc4 dg4 at4 ps4 wr3 sr3 | | | kirjanpito
Kuittien skannaus ja tallennus | data_entry | H | 8 | wd-day | d | si3 rh2 dg2 cc1 at3 | sit_stand_desk quiet_workspace written_instructions | | skannaus
Arkistomappien järjestäminen | data_entry | H | 4 | wd-pm | w | st2 li2:8 re2 ov2 | | | arkistointi
Postitus ja lähetit | errands | H | 3 | wd-pm | s | wa3 ca2:5 | | |
Asiakastietojen päivitys järjestelmään | data_entry | H | 6 | wd-day | s | si4 dg3 re3 at3 ui3 | quiet_workspace sit_stand_desk | |
Kahvihuoneen ja keittiön ylläpito | cleaning | H | 2 | wd-am | d | st2 wa2 | | |
"""),
    _role("Vastaanottovirkailija", "office_support", "Terveysaseman ja hammashoitolan vastaanotto", """
Potilaiden vastaanotto ja ilmoittautuminen | reception | C | 20 | wd-day | d | si3 cu4 cf3 sr3 dg3 fi4 mt4 | | | asiakaspalvelu
Ajanvaraus puhelimessa | reception | C | 10 | wd-day | d | si4 he3 cu3 dg3 fi4 me3 | | | ajanvaraus
Odotustilan siisteys ja lehdet | cleaning | H | 2 | wd-am | d | wa2 be2 cu1 | | |
Potilaskirjeiden postitus | data_entry | H | 3 | wd-pm | s | si3 fh2 rh2 re2 | written_instructions | |
Laitteiden ja tarvikkeiden täydennys | shelf_stocking | H | 3 | wd-am | s | wa3 st2 ca2:5 me2 | | |
Laskujen tulostus ja kuoritus | data_entry | H | 3 | wd-pm | w | si3 rh3 fh2 dg1 | sit_stand_desk | |
"""),
    _role("Tuotantotyöntekijä (huonekalutehdas)", "industry", "Huonekalujen valmistus sarjatuotantona", """
Koneistus ja sahaus | assembly | C | 30 | wd-day | d | st4 no4 vb3 du3 rs3 at4 li3:20 | | occupational_safety_card | puutyö
Kalusteiden kokoonpano | assembly | H | 15 | wd-day | d | st3 fh3 rh3 li2:15 ov1 wp3 | sit_stand_stool ergonomic_hand_tools task_rotation | | kokoonpano
Helojen ja ruuvien pussitus | sorting_packing | H | 8 | wd-am | d | si3 fh3 rh4 cc1 ui3 | task_rotation flexible_breaks | | pakkaus
Pakkaus ja lähetysten valmistelu | sorting_packing | H | 10 | wd-pm | d | st3 li3:20 rh3 pp2 | lifting_aid work_pair | | pakkaus
Tuotannon siivous ja purujen poisto | cleaning | H | 5 | wd-pm | d | st3 be3 du4 no2 | protective_equipment hearing_protection | |
Laadunvalvonta ja pintojen tarkistus | assembly | C | 8 | wd-day | d | st3 vi4 at4 fh2 | | |
Trukkiajot varastoon | warehouse | H | 5 | wd-day | s | si3 dr3 vb2 rs3 | | forklift | trukki
"""),
    _role("Autokorjaamon mekaanikko", "industry", "Merkkihuolto ja rengashotelli", """
Huollot ja korjaukset | maintenance_repair | C | 30 | wd-day | d | st3 kn3 be3 ov4 li3:20 fh3 ps4 du3 rs3 | | | autokorjaus
Renkaiden vaihto sesonkina | vehicle_care | H | 15 | wd-day | o | kn4 be3 li3:20 rh3 no3 vb2 | lifting_aid task_rotation | | renkaanvaihto
Rengashotellin varastointi | warehouse | H | 6 | wd-pm | o | li3:20 ca3:20 cl2 ov2 | lifting_aid no_ladder_work | |
Autojen pesu ja sisäsiivous | vehicle_care | H | 8 | wd-day | d | st3 be3 ou1 du2 rh3 | long_handled_tools | | autonpesu
Sijaisautojen kuljetus asiakkaille | delivery_driving | H | 4 | wd-day | s | dr3 cu2 wa2 | | driving_b |
Varaosien vastaanotto ja hyllytys | warehouse | H | 4 | wd-am | d | st2 li2:12 re2 dg2 | | |
Asiakkaiden vastaanotto ja työmääräimet | reception | C | 6 | wd-am | d | cu4 dg3 fi4 ps3 | | |
"""),
    _role("Elintarviketehtaan työntekijä", "industry", "Leipomo ja valmisruokatehdas", """
Taikinan valmistus ja koneiden ohjaus | food_preparation | C | 25 | night | d | st4 li3:25 ht3 no3 rs2 ih4 wp3 | | hygiene_passport |
Tuotteiden pakkaus linjastolla | sorting_packing | H | 20 | wd-day | d | st4 rh4 co2 wp4 ui4 no3 | task_rotation sit_stand_stool | hygiene_passport | pakkaus
Lavojen kelmutus ja merkintä | warehouse | H | 6 | wd-pm | d | st3 wa3 rh2 pp3 co2 | | |
Pakkausten tarkastus ja hävikki | sorting_packing | H | 6 | wd-am | d | st3 vi3 at3 re2 co2 | sit_stand_stool | |
Tuotantotilojen pesu | cleaning | H | 8 | wd-eve | d | st3 be3 du3 ht2 pp3 ih3 | protective_equipment | | siivous
Raaka-ainevaraston järjestely | warehouse | H | 4 | wd-am | s | li3:25 co3 ca3:20 | lifting_aid trolley | forklift |
"""),
    _role("Rakennusmies", "construction", "Asuntotyömaa, runko- ja sisävalmistusvaihe", """
Muotti- ja raudoitustyöt | assembly | C | 35 | wd-day | d | st4 kn3 be4 ou4 li4:30 no4 vb3 rs3 cl3 | | occupational_safety_card | rakentaminen
Työmaan siivous ja jätteiden lajittelu | cleaning | H | 10 | wd-day | d | wa4 be3 ca3:15 du4 ou3 no3 | protective_equipment trolley | occupational_safety_card | siivous
Materiaalien siirto kerroksiin | warehouse | H | 8 | wd-am | d | ca4:25 cl3 li4:25 wa3 | lifting_aid work_pair | occupational_safety_card |
Työkalukontin järjestys ja huolto | warehouse | H | 3 | wd-pm | w | st2 li2:15 fh1 | | occupational_safety_card |
Suojausten ja pölyseinien asennus | assembly | H | 5 | wd-day | s | st3 ov3 cl2 du3 | no_ladder_work | occupational_safety_card |
Kulunvalvonta ja perehdytyslistat | office_admin | H | 3 | wd-am | d | si3 cu2 dg2 re2 wr2 | | |
"""),
    _role("Kausityöntekijä (marjatila)", "seasonal", "Mansikka- ja vihannestila kesäkaudella", """
Mansikanpoiminta | planting_harvest | H | 30 | all-day | d | kn4 be4 ou4 ht3 rh3 wp3 | long_handled_tools flexible_breaks | | poiminta
Rasioiden pakkaus ja punnitus | sorting_packing | H | 15 | all-day | d | st3 fh2 rh3 cc1 ht1 | sit_stand_stool | |
Tienvarsimyynti | cashier_customer_service | H | 10 | we-day | d | si2 ou3 cu4 cc2 | | | myynti
Taimien istutus keväällä | planting_harvest | H | 20 | wd-day | d | kn4 be4 ou4 co2 | long_handled_tools | |
Traktorityöt | delivery_driving | C | 15 | wd-day | s | si3 dr4 vb3 ou3 rs3 | | tractor_t |
Kastelujärjestelmän tarkastus | maintenance_repair | H | 4 | early | s | wa4 ou4 ps2 ti3 | | |
"""),
    _role("Tapahtuma-avustaja", "culture", "Kulttuuritalo ja kesäfestivaali", """
Lipuntarkastus ja opastus | event_support | H | 10 | eve-we | d | st4 wa3 cu4 cf3 no3 ih4 | sit_stand_stool | | asiakaspalvelu
Narikka | event_support | H | 8 | eve-we | d | st3 ca1:3 cu3 wp4 rh2 ih4 | sit_stand_stool | |
Lavarakentaminen ja roudaus | event_support | C | 10 | we-day | o | li4:30 ca4:30 cl3 ou3 no3 ih3 | | occupational_safety_card | roudaus
Esitteiden jakelu ja julisteiden kiinnitys | errands | H | 4 | wd-day | w | wa4 ou2 cu1 | | |
Somesisältöjen tekeminen | content_media | H | 5 | wd-pm | s | si3 dg4 wr3 ch3 | | | some valokuvaus videoeditointi
Järjestyksenvalvonta | event_support | C | 10 | eve-we | d | st4 cu4 cf4 rs4 sr4 ih4 | | security_guard |
Jälkisiivous | cleaning | H | 6 | night | d | wa4 be3 ca2:10 ih4 | | |
"""),
    _role("Kirjastovirkailija", "culture", "Kaupunginkirjasto ja lähikirjastot", """
Asiakaspalvelu tiskillä | cashier_customer_service | C | 15 | all-day | d | st2 si2 cu4 dg3 fi4 re3 | | | asiakaspalvelu
Palautusten käsittely ja hyllytys | shelf_stocking | H | 12 | wd-day | d | st3 wa3 be3 ov2 li2:8 re2 pp2 | trolley no_ladder_work | | hyllytys
Aineiston muovitus ja tarroitus | assembly | H | 6 | wd-am | s | si3 fh3 rh3 at3 | quiet_workspace | |
Varausten keräily | warehouse | H | 5 | wd-am | d | wa3 re2 dg1 | trolley | |
Kirjastoauton tehtävät | delivery_driving | C | 10 | wd-day | s | dr4 cu3 li2:10 | | driving_c |
Digiopastus asiakkaille | it_support | C | 4 | wd-pm | w | si2 cu3 dg4 fi4 ps3 | | | digituki
Poistokirjojen myynti ja lajittelu | recycling_sorting | H | 3 | we-day | m | st2 li2:10 cu2 cc1 | | |
"""),
    _role("IT-tukihenkilö", "ict", "Kunnan koulujen ja toimistojen lähituki", """
Käyttäjätuki puhelimessa ja etänä | it_support | C | 20 | wd-day | d | si4 dg4 ps4 cu3 fi4 sr3 mt3 | | | it-tuki
Laitteiden asennus työpisteisiin | it_support | H | 8 | wd-day | s | wa3 kn2 be2 li2:10 fh2 dg3 | trolley | | laiteasennus
Kannettavien esiasennus ja kuvitus | it_support | H | 8 | wd-day | d | si3 dg3 fh2 at3 ui2 | quiet_workspace written_instructions | | laiteasennus
Laiteinventaario ja tarrojen kiinnitys | data_entry | H | 4 | wd-pm | w | wa3 dg2 fh2 re2 at2 | | |
Vanhojen laitteiden tietoturvallinen tyhjennys | it_support | H | 4 | wd-pm | w | si3 dg3 at3 rs2 | written_instructions quiet_workspace | |
Tikettien kirjaus ja luokittelu | data_entry | H | 4 | wd-am | d | si4 dg3 re3 wr2 | | |
Verkkolaitteiden huolto | it_support | C | 6 | wd-day | s | cl2 ov2 dg4 ps4 | | electrical_safety |
"""),
    _role("Verkkokauppa-assistentti", "ict", "Pieni verkkokauppa, käsityö- ja sisustustuotteet", """
Tuotekuvaus ja kuvankäsittely | content_media | H | 8 | wd-day | s | si3 dg4 fh2 vi3 | quiet_workspace | | valokuvaus kuvankäsittely
Tuotetietojen syöttö verkkokauppaan | data_entry | H | 8 | wd-day | d | si4 dg3 re3 wr3 at3 | sit_stand_desk | |
Asiakaspalvelu sähköpostitse | cashier_customer_service | C | 8 | wd-day | d | si3 dg3 wr3 fi4 cu2 cf2 | | | asiakaspalvelu
Pakettien pakkaus ja postitus | sorting_packing | H | 6 | wd-pm | d | st3 fh2 rh2 li2:10 | sit_stand_stool | | pakkaus
Markkinointikampanjat ja analytiikka | content_media | C | 6 | wd-day | w | si4 dg4 ps3 cc3 wr3 | | |
Varaston saldojen tarkistus | warehouse | H | 2 | wd-am | w | st2 wa2 cc2 dg2 | | |
"""),
)
# fmt: on


def role_from_template(template: RoleTemplate) -> Role:
    """A sector template as a role to start a Ratko decomposition from: its tasks with the
    pattern's schedule, the demands (daily working time from hours and working days), loads,
    the adjustments such employers typically accept, licences and skills."""
    tasks = []
    for t in template.tasks:
        schedule = list(SCHEDULE_PATTERNS[t.pattern])
        days = len({slot.split("-")[0] for slot in schedule})
        demands = dict(t.demands)  # 0 is "not needed", not "not assessed": keep it
        per_day = t.hours / max(days, 1)
        demands["daily_working_time"] = sum(per_day >= edge for edge in (2.0, 4.0, 6.0, 8.0))
        tasks.append(
            Task(
                title=t.title,
                kind=t.kind,
                task_type=t.task_type,
                hours_per_week=t.hours,
                schedule=schedule,
                frequency=t.frequency,
                demands=demands,
                demand_kilograms=dict(t.kilograms),
                accepted_adjustments=list(t.adjustments),
                required_licences=list(t.licences),
                required_skills=list(t.skills),
            )
        )
    return Role(title=template.title, sector=template.sector, description=template.description,
                tasks=tasks)  # fmt: skip
