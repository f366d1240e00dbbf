"""The supports a tailored job can come with (wage subsidy, workplace adjustment subsidy, job
coach): names, amounts and conditions as dated data an admin keeps up to date, never code.
The newest version valid on a day is the one used that day."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from features.errors import InvalidInputError
from features.schemas.common import StrictModel
from features.schemas.errors import FieldError, field_errors

__all__ = ["SUPPORT_IDS", "Support", "SupportTerms", "load_supports", "parse_supports"]

SUPPORT_IDS = ("wage_subsidy", "workplace_adjustment_subsidy", "job_coach")


class Words(StrictModel):
    fi: str = Field(min_length=1, max_length=400)
    en: str = Field(min_length=1, max_length=400)


class Support(StrictModel):
    name: Words
    amount: Words
    conditions: Words


class SupportsVersion(StrictModel):
    valid_from: date
    supports: dict[str, Support]


class SupportTerms(StrictModel):
    versions: list[SupportsVersion] = Field(min_length=1, max_length=100)

    def on(self, day: date) -> dict[str, Support]:
        """The supports valid on ``day``: the newest version from that day or before it
        (none before the first version)."""
        valid = [v for v in self.versions if v.valid_from <= day]
        return max(valid, key=lambda v: v.valid_from).supports if valid else {}


def parse_supports(data: object) -> SupportTerms:
    """The supports file's content, validated; unknown supports are named."""
    try:
        terms = SupportTerms.model_validate(data)
    except ValidationError as err:
        raise InvalidInputError(field_errors(err), "invalid supports file") from None
    for i, version in enumerate(terms.versions):
        unknown = sorted(set(version.supports) - set(SUPPORT_IDS))
        if unknown:
            raise InvalidInputError([FieldError(
                f"versions.{i}.supports", f"unknown {', '.join(unknown)}; known: "
                + ", ".join(SUPPORT_IDS), kind="unknown_code",
            )])  # fmt: skip
    return terms


def load_supports(path: Path | None = None) -> SupportTerms:
    """The admin's file at ``path``, or the packaged example."""
    if path is None:
        text = resources.files("features.supports").joinpath("default.yaml").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse_supports(yaml.safe_load(text))
