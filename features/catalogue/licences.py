"""Licences and certificates a task may require and a person may hold."""

from features.catalogue.codes import code_list

__all__ = ["LICENCES"]

LICENCES = code_list(
    "licence",
    (
        ("driving_b", "Ajokortti B", "Driving licence B"),
        ("driving_c", "Ajokortti C", "Driving licence C"),
        ("driving_d", "Ajokortti D", "Driving licence D"),
        ("taxi_driver", "Taksinkuljettajan ajolupa", "Taxi driver's licence"),
        ("hygiene_passport", "Hygieniapassi", "Hygiene passport"),
        ("alcohol_passport", "Anniskelupassi", "Alcohol serving passport"),
        ("occupational_safety_card", "Työturvallisuuskortti", "Occupational safety card"),
        ("forklift", "Trukkikortti", "Forklift licence"),
        ("first_aid", "Ensiapukortti (EA1)", "First aid certificate (EA1)"),
        ("hot_work", "Tulityökortti", "Hot work licence"),
        ("electrical_safety", "Sähkötyöturvallisuuskortti", "Electrical safety card"),
        ("road_safety", "Tieturvakortti", "Road safety card"),
        ("security_guard", "Järjestyksenvalvojakortti", "Security guard licence"),
        ("medication_care", "Lääkehoidon osaaminen (LOVe)", "Medication administration (LOVe)"),
        ("tractor_t", "Traktorikortti (T)", "Tractor licence (T)"),
    ),
)
