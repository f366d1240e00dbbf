"""Licences and certificates a task may require and a person may hold."""

from features.catalogue.codes import code_list
from features.i18n import N_

__all__ = ["LICENCES"]

LICENCES = code_list(
    "licence",
    (
        ("driving_b", N_("Driving licence B")),
        ("driving_c", N_("Driving licence C")),
        ("driving_d", N_("Driving licence D")),
        ("taxi_driver", N_("Taxi driver's licence")),
        ("hygiene_passport", N_("Hygiene passport")),
        ("alcohol_passport", N_("Alcohol serving passport")),
        ("occupational_safety_card", N_("Occupational safety card")),
        ("forklift", N_("Forklift licence")),
        ("first_aid", N_("First aid certificate (EA1)")),
        ("hot_work", N_("Hot work licence")),
        ("electrical_safety", N_("Electrical safety card")),
        ("road_safety", N_("Road safety card")),
        ("security_guard", N_("Security guard licence")),
        ("medication_care", N_("Medication administration (LOVe)")),
        ("tractor_t", N_("Tractor licence (T)")),
    ),
)
