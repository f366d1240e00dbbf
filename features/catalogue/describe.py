"""The catalogue as a document (for ``tasma catalogue --json``, the API and the README)."""

from __future__ import annotations

from features.catalogue.adjustments import ADJUSTMENTS, COST_CLASS_NAMES, PROVIDER_NAMES
from features.catalogue.characteristics import CHARACTERISTICS, GROUP_NAMES
from features.catalogue.licences import LICENCES
from features.catalogue.schedule import DAY_PART_HOURS, DAY_PARTS, DAY_PARTS_FI, DAYS, DAYS_FI
from features.catalogue.work import EDUCATION_LEVELS, INDUSTRIES, SECTORS, TASK_KINDS
from features.i18n import gettext_for, in_every_language

__all__ = ["catalogue_document", "catalogue_text"]


def catalogue_document() -> dict[str, object]:
    """Everything in the vocabulary, with both languages, as plain JSON-ready data."""
    return {
        "scale": {"min": 0, "max": 4, "over_demand": "demand - capacity > 0"},
        "characteristics": [
            {
                "id": c.id,
                "name": {"fi": c.name_fi, "en": c.name_en},
                "group": c.group.value,
                "group_name": in_every_language(GROUP_NAMES[c.group]),
                "icf": list(c.icf),
                "scale": c.scale.value,
                "has_kilograms": c.has_kilograms,
                "levels": [{"level": lv.value, "fi": lv.fi, "en": lv.en} for lv in c.levels],
            }
            for c in CHARACTERISTICS.values()
        ],
        "adjustments": [
            {
                "id": a.id,
                "name": {"fi": a.name_fi, "en": a.name_en},
                "lowers": dict(a.lowers),
                "provider": a.provider.value,
                "provider_name": in_every_language(PROVIDER_NAMES[a.provider]),
                "cost_class": int(a.cost_class),
                "cost_name": in_every_language(COST_CLASS_NAMES[a.cost_class]),
                "subsidy_available": a.subsidy_available,
                "max_kilograms_after": a.max_kilograms_after,
            }
            for a in ADJUSTMENTS.values()
        ],
        "schedule": {
            "days": [{"id": d, "fi": f} for d, f in zip(DAYS, DAYS_FI, strict=True)],
            "day_parts": [
                {"id": p, "fi": f, "hours": h}
                for p, f, h in zip(DAY_PARTS, DAY_PARTS_FI, DAY_PART_HOURS, strict=True)
            ],
        },
        **{
            key: [{"id": c.id, "fi": c.fi, "en": c.en} for c in codes]
            for key, codes in (
                ("licences", LICENCES),
                ("sectors", SECTORS),
                ("task_kinds", TASK_KINDS),
                ("education_levels", EDUCATION_LEVELS),
                ("industries_tol2008", INDUSTRIES),
            )
        },
    }


def catalogue_text(lang: str = "fi") -> str:
    """A readable listing of characteristics and adjustments in one language."""
    _ = gettext_for(lang)
    lines: list[str] = []
    group = None
    for c in CHARACTERISTICS.values():
        if c.group != group:
            group = c.group
            lines.append("")
            lines.append(f"== {_(GROUP_NAMES[group])}")
        name = c.name(lang)
        kg = " (+ kg)" if c.has_kilograms else ""
        lines.append(f"{c.id:<28} {name}{kg}  [ICF {', '.join(c.icf)}]")
        for lv in c.levels:
            lines.append(f"    {lv.value}  {lv.text(lang)}")
    lines.append("")
    lines.append("== " + _("Adjustments"))
    for a in ADJUSTMENTS.values():
        lowers = ", ".join(f"{cid} -{n}" for cid, n in a.lowers.items())
        who, cost = _(PROVIDER_NAMES[a.provider]), _(COST_CLASS_NAMES[a.cost_class])
        lines.append(f"{a.id:<28} {a.name(lang)}")
        lines.append(f"    {lowers}; {who}; {cost}")
    return "\n".join(lines).strip() + "\n"
