"""Small valid records for tests, built as plain dicts so each test can break one field."""

from __future__ import annotations

from copy import deepcopy
from typing import Any


def jobseeker(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "JS-TEST01",
        "municipality": "Lahti",
        "availability": {
            "weekly_hours_min": 10,
            "weekly_hours_max": 20,
            "schedule": ["mon-morning", "ti-aamu"],
        },
        "capacities": {
            "standing": {
                "level": 1,
                "source": "physician",
                "assessed_on": "2026-03-01",
                "hard_limit": True,
            },
            "lifting": {
                "level": 2,
                "source": "coordinator",
                "assessed_on": "2026-03-01",
                "kilograms": 8,
            },
            "customer_contact": {
                "level": 3,
                "source": "self_assessment",
                "assessed_on": "2026-02-01",
            },
        },
        "skills": ["Astianpesu", "siivous"],
        "licences": ["hygiene_passport"],
        "languages": [{"language": "fi", "level": "native"}],
        "interest_sectors": ["kitchen_catering"],
        "interest_task_kinds": ["dishwashing"],
        "consent": {"given_at": "2026-01-05T10:00:00Z", "scope": ["matching"]},
        "coordinator": "coord",
        "area": "PH-Lahti",
    }
    data.update(deepcopy(changes))
    return data


def task(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Astianpesu",
        "kind": "dishwashing",
        "task_type": "hand_over",
        "hours_per_week": 10,
        "schedule": ["mon-morning", "wed-morning"],
        "frequency": "daily",
        "demands": {"standing": 4, "lifting": 2, "repetitive_hand_arm": 3},
        "demand_kilograms": {"lifting": 8},
        "accepted_adjustments": ["sit_stand_stool"],
    }
    data.update(deepcopy(changes))
    return data


def employer(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Lahden Lounaskeittiö Oy",
        "business_id": "0112038-9",
        "industry": "56",
        "address": {
            "street": "Aleksanterinkatu 5",
            "postal_code": "15110",
            "municipality": "Lahti",
        },
        "contact": {
            "name": "Anna Virtanen",
            "phone": "+358 40 123 4567",
            "email": "anna.virtanen@employer.example",
        },
        "network_status": "partner",
        "notes": [
            {
                "at": "2026-10-01T09:00:00Z",
                "author": "rekry.salo",
                "channel": "phone",
                "text": "Tarve apukädelle ruuhka-aikoihin.",
                "needs": ["kitchen_catering"],
            }
        ],
    }
    data.update(deepcopy(changes))
    return data


def proposal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "jobseeker_code": "JS-TEST01",
        "task_ids": [1],
        "proposed_at": "2026-04-01T08:00:00Z",
        "proposed_by": "koord.lahti.1",
        "ruleset_version": "manual",
        "events": [
            {"kind": "work_trial_started", "at": "2026-04-20T08:00:00Z"},
            {"kind": "hired", "at": "2026-06-01T08:00:00Z"},
        ],
    }
    data.update(deepcopy(changes))
    return data
