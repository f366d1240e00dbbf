"""Sectors, kinds of task, industries (TOL 2008) and education levels.

Sectors are the ones employment services name for tailored work (seed 002 of the domain
documents); kinds of task are what a person can say they are interested in; a role's sector and
each task's kind let interests be matched.
"""

from features.catalogue.codes import code_list
from features.i18n import N_

__all__ = ["EDUCATION_LEVELS", "INDUSTRIES", "SECTORS", "TASK_KINDS"]

SECTORS = code_list(
    "sector",
    (
        ("property_maintenance", N_("Property maintenance")),
        ("cleaning", N_("Cleaning services")),
        ("yard_green", N_("Yard and green areas")),
        ("recycling", N_("Recycling and circular economy")),
        ("care_assistance", N_("Care assistance and home help")),
        ("errands", N_("Errand services")),
        ("retail", N_("Retail")),
        ("kitchen_catering", N_("Kitchen and catering")),
        ("office_support", N_("Office support")),
        ("industry", N_("Industry and automotive")),
        ("construction", N_("Construction helpers")),
        ("logistics", N_("Warehouse, mail and delivery")),
        ("seasonal", N_("Seasonal and peak-load work")),
        ("ict", N_("ICT")),
        ("culture", N_("Culture and events")),
        ("transport", N_("Transport")),
        ("beauty_wellbeing", N_("Beauty and wellbeing services")),
    ),
)

TASK_KINDS = code_list(
    "task kind",
    (
        ("cleaning", N_("Cleaning")),
        ("dishwashing", N_("Dishwashing")),
        ("food_preparation", N_("Food preparation")),
        ("serving", N_("Serving and setting tables")),
        ("shelf_stocking", N_("Shelf stocking and receiving goods")),
        ("cashier_customer_service", N_("Till and customer service")),
        ("reception", N_("Reception and information")),
        ("sorting_packing", N_("Sorting and packing")),
        ("warehouse", N_("Warehouse work")),
        ("delivery_driving", N_("Driving and delivery")),
        ("errands", N_("Errands and courier runs")),
        ("yard_work", N_("Yard and snow work")),
        ("maintenance_repair", N_("Maintenance and small repairs")),
        ("assembly", N_("Assembly")),
        ("recycling_sorting", N_("Handling recycled material")),
        ("care_support", N_("Assisting and keeping company")),
        ("data_entry", N_("Data entry and filing")),
        ("office_admin", N_("Office assistance")),
        ("it_support", N_("IT support and devices")),
        ("content_media", N_("Content and social media")),
        ("event_support", N_("Event arrangements")),
        ("vehicle_care", N_("Vehicle cleaning and care")),
        ("laundry_textiles", N_("Laundry and textiles")),
        ("planting_harvest", N_("Planting and harvesting")),
        ("beauty_care", N_("Beauty care assistance")),
        ("site_assistance", N_("Construction site assistance")),
    ),
)

EDUCATION_LEVELS = code_list(
    "education level",
    (
        ("none", N_("No basic education certificate")),
        ("basic", N_("Basic education")),
        ("upper_secondary_general", N_("General upper secondary")),
        ("vocational", N_("Vocational qualification")),
        ("bachelor", N_("Bachelor's degree")),
        ("master", N_("Master's degree or higher")),
    ),
)

# TOL 2008 divisions (two-digit), Statistics Finland's classification of industries.
INDUSTRIES = code_list(
    "TOL 2008 division",
    (
        ("01", N_("Crop and animal production")),
        ("02", N_("Forestry and logging")),
        ("03", N_("Fishing and aquaculture")),
        ("05", N_("Mining of coal and lignite")),
        ("06", N_("Extraction of crude petroleum and natural gas")),
        ("07", N_("Mining of metal ores")),
        ("08", N_("Other mining and quarrying")),
        ("09", N_("Mining support service activities")),
        ("10", N_("Manufacture of food products")),
        ("11", N_("Manufacture of beverages")),
        ("12", N_("Manufacture of tobacco products")),
        ("13", N_("Manufacture of textiles")),
        ("14", N_("Manufacture of wearing apparel")),
        ("15", N_("Manufacture of leather products")),
        ("16", N_("Manufacture of wood products")),
        ("17", N_("Manufacture of paper products")),
        ("18", N_("Printing and reproduction of media")),
        (
            "19",
            N_("Manufacture of coke and refined petroleum products"),
        ),
        ("20", N_("Manufacture of chemicals")),
        ("21", N_("Manufacture of pharmaceuticals")),
        ("22", N_("Manufacture of rubber and plastic products")),
        (
            "23",
            N_("Manufacture of other non-metallic mineral products"),
        ),
        ("24", N_("Manufacture of basic metals")),
        ("25", N_("Manufacture of fabricated metal products")),
        (
            "26",
            N_("Manufacture of computer, electronic and optical products"),
        ),
        ("27", N_("Manufacture of electrical equipment")),
        ("28", N_("Manufacture of machinery n.e.c.")),
        ("29", N_("Manufacture of motor vehicles")),
        ("30", N_("Manufacture of other transport equipment")),
        ("31", N_("Manufacture of furniture")),
        ("32", N_("Other manufacturing")),
        ("33", N_("Repair and installation of machinery")),
        ("35", N_("Electricity, gas and heat supply")),
        ("36", N_("Water collection, treatment and supply")),
        ("37", N_("Sewerage")),
        (
            "38",
            N_("Waste collection, treatment and disposal; materials recovery"),
        ),
        ("39", N_("Remediation activities")),
        ("41", N_("Construction of buildings")),
        ("42", N_("Civil engineering")),
        ("43", N_("Specialised construction activities")),
        (
            "45",
            N_("Wholesale, retail and repair of motor vehicles"),
        ),
        ("46", N_("Wholesale trade")),
        ("47", N_("Retail trade")),
        ("49", N_("Land transport")),
        ("50", N_("Water transport")),
        ("51", N_("Air transport")),
        (
            "52",
            N_("Warehousing and transport support"),
        ),
        ("53", N_("Postal and courier activities")),
        ("55", N_("Accommodation")),
        ("56", N_("Food and beverage service activities")),
        ("58", N_("Publishing activities")),
        (
            "59",
            N_("Film, video and television production"),
        ),
        ("60", N_("Programming and broadcasting")),
        ("61", N_("Telecommunications")),
        (
            "62",
            N_("Computer programming and consultancy"),
        ),
        ("63", N_("Information service activities")),
        ("64", N_("Financial services")),
        ("65", N_("Insurance")),
        (
            "66",
            N_("Activities auxiliary to financial services"),
        ),
        ("68", N_("Real estate activities")),
        ("69", N_("Legal and accounting activities")),
        (
            "70",
            N_("Head offices; management consultancy"),
        ),
        ("71", N_("Architectural and engineering activities")),
        ("72", N_("Scientific research and development")),
        ("73", N_("Advertising and market research")),
        (
            "74",
            N_("Other professional, scientific and technical activities"),
        ),
        ("75", N_("Veterinary activities")),
        ("77", N_("Rental and leasing activities")),
        ("78", N_("Employment activities")),
        (
            "79",
            N_("Travel agencies and tour operators"),
        ),
        ("80", N_("Security and investigation")),
        ("81", N_("Services to buildings and landscape activities")),
        (
            "82",
            N_("Office administrative and business support"),
        ),
        ("84", N_("Public administration and defence")),
        ("85", N_("Education")),
        ("86", N_("Human health activities")),
        ("87", N_("Residential care activities")),
        ("88", N_("Social work activities without accommodation")),
        ("90", N_("Creative, arts and entertainment activities")),
        ("91", N_("Libraries, archives and museums")),
        ("92", N_("Gambling and betting")),
        (
            "93",
            N_("Sports, amusement and recreation"),
        ),
        ("94", N_("Activities of membership organisations")),
        (
            "95",
            N_("Repair of computers and household goods"),
        ),
        ("96", N_("Other personal service activities")),
        (
            "97",
            N_("Households as employers of domestic staff"),
        ),
        ("98", N_("Undifferentiated household activities")),
        (
            "99",
            N_("Activities of extraterritorial organisations"),
        ),
    ),
)
