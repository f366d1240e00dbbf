"""Finnish-flavoured names for the demo world. Invented combinations; addresses under the
reserved ``.example`` domain so no demo e-mail can reach anyone.
"""

FIRST_NAMES_FEMALE = (
    "Aino", "Anna", "Eveliina", "Emilia", "Henna", "Iida", "Jenni", "Johanna", "Katja", "Laura",
    "Leena", "Maria", "Minna", "Noora", "Oona", "Pirjo", "Riikka", "Sanna", "Satu", "Tiina",
    "Veera", "Elina", "Helmi", "Ella", "Sofia", "Olga", "Nadia", "Amina", "Fatima", "Lin",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Aleksi", "Antti", "Eero", "Elias", "Janne", "Jari", "Juha", "Jukka", "Kalle", "Lauri",
    "Markku", "Matti", "Miikka", "Mikko", "Niilo", "Nico", "Otto", "Pekka", "Sami", "Timo",
    "Tuomas", "Ville", "Onni", "Leo", "Eino", "Dmitri", "Ahmed", "Mohamed", "Artem", "Omar",
)  # fmt: skip
SURNAMES = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen",
    "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen",
    "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen",
    "Hakala", "Pesonen", "Kallio", "Leinonen", "Aaltonen", "Honkanen", "Vainio", "Kärkkäinen",
)  # fmt: skip
STREETS = (
    "Aleksanterinkatu", "Rautatienkatu", "Vesijärvenkatu", "Hämeenkatu", "Mannerheimintie",
    "Teollisuuskatu", "Niemenkatu", "Kauppakatu", "Ahtialantie", "Mukkulankatu", "Saimaankatu",
    "Karjalankatu", "Kivimiehenkatu", "Keskikatu", "Pajakatu", "Tapparakatu", "Laatukatu",
    "Askonkatu", "Kauppalankatu", "Asemantie", "Koulukatu", "Puistokatu", "Myllykatu",
)  # fmt: skip
# First three digits of the postal codes of each municipality's centre.
POSTAL_PREFIX = {
    "Lahti": "151", "Hollola": "158", "Heinola": "181", "Orimattila": "163", "Asikkala": "172",
    "Kärkölä": "166", "Padasjoki": "175", "Sysmä": "197", "Hartola": "196", "Iitti": "474",
    "Helsinki": "001", "Espoo": "021", "Vantaa": "013", "Porvoo": "061", "Riihimäki": "111",
    "Hämeenlinna": "131", "Tampere": "331", "Turku": "201", "Kouvola": "451", "Kotka": "481",
    "Lappeenranta": "531", "Mikkeli": "501", "Jyväskylä": "401", "Kuopio": "701",
    "Joensuu": "801", "Pori": "281", "Seinäjoki": "601", "Vaasa": "651", "Oulu": "901",
    "Rovaniemi": "961",
}  # fmt: skip
MUNICIPALITY_GENITIVE = {
    "Lahti": "Lahden", "Hollola": "Hollolan", "Heinola": "Heinolan", "Orimattila": "Orimattilan",
    "Asikkala": "Asikkalan", "Kärkölä": "Kärkölän", "Padasjoki": "Padasjoen", "Sysmä": "Sysmän",
    "Hartola": "Hartolan", "Iitti": "Iitin", "Helsinki": "Helsingin", "Espoo": "Espoon",
    "Vantaa": "Vantaan", "Porvoo": "Porvoon", "Riihimäki": "Riihimäen",
    "Hämeenlinna": "Hämeenlinnan", "Tampere": "Tampereen", "Turku": "Turun",
    "Kouvola": "Kouvolan", "Kotka": "Kotkan", "Lappeenranta": "Lappeenrannan",
    "Mikkeli": "Mikkelin", "Jyväskylä": "Jyväskylän", "Kuopio": "Kuopion", "Joensuu": "Joensuun",
    "Pori": "Porin", "Seinäjoki": "Seinäjoen", "Vaasa": "Vaasan", "Oulu": "Oulun",
    "Rovaniemi": "Rovaniemen",
}  # fmt: skip
SECTOR_BUSINESS_WORDS = {
    "property_maintenance": ("Kiinteistöhuolto", "Isännöinti ja Huolto", "Talohuolto"),
    "cleaning": ("Siivouspalvelu", "Puhtaanapito", "Pesula", "Siivous"),
    "yard_green": ("Viherpalvelu", "Puutarha", "Pihapalvelut"),
    "recycling": ("Kierrätyskeskus", "Kiertotalous", "Kierrätys"),
    "care_assistance": ("Hoivakoti", "Kotipalvelu", "Palvelutalo"),
    "errands": ("Asiointipalvelu", "Apupalvelu"),
    "retail": ("Market", "Lähikauppa", "Rautakauppa", "Kauppa"),
    "kitchen_catering": ("Ravintola", "Kahvila", "Lounaskeittiö", "Catering"),
    "office_support": ("Tilitoimisto", "Asianajotoimisto", "Toimistopalvelu"),
    "industry": ("Puusepäntehdas", "Konepaja", "Leipomo", "Autokorjaamo"),
    "construction": ("Rakennus", "Rakennuspalvelu", "Remontti"),
    "logistics": ("Logistiikka", "Varastopalvelu", "Jakelu"),
    "seasonal": ("Marjatila", "Puutarhatila", "Kesäteatteri"),
    "ict": ("IT-palvelu", "Digitoimisto", "Verkkokauppa"),
    "culture": ("Kulttuuritalo", "Tapahtumapalvelu", "Festivaali"),
    "transport": ("Taksi", "Kuljetus", "Kuriiri"),
}
BUSINESS_SUFFIXES = ("Oy", "Oy", "Oy", "Ky", "Tmi", "Oy Ab", "ry")
CONTACT_TITLES = (
    "toimitusjohtaja", "yrittäjä", "HR-päällikkö", "ravintolapäällikkö", "työnjohtaja",
    "myymäläpäällikkö", "palveluesimies", "tuotantopäällikkö", "toiminnanjohtaja",
)  # fmt: skip
CRM_NOTES = (
    "Soitettu, kartoitettu työtehtäviä. Tarve apukädelle ruuhka-aikoihin.",
    "Käynti työpaikalla, Ratko-työpaja sovittu ensi kuulle.",
    "Työnantaja kiinnostunut palkkatuesta ja työhönvalmentajan tuesta.",
    "Sähköposti: kesäkauden tarve, 2–3 henkilöä.",
    "Täsmätyötiistai-tapahtumassa tavattu, yhteystiedot vaihdettu.",
    "Ei tarvetta nyt, palataan syksyllä.",
    "Työkokeilu päättynyt hyvin, työnantaja valmis uuteen.",
    "Esitelty kaksi ehdokasta, toinen jatkoon haastatteluun.",
    "Pyysi apua tehtävien pilkkomiseen; nykyisellä henkilöstöllä kiire.",
)
GOALS = (
    "Osa-aikatyö lähellä kotia.",
    "Haluaa kokeilla uutta alaa työkokeilun kautta.",
    "Tavoitteena palkkatuettu työ ja myöhemmin opiskelupaikka.",
    "Säännöllinen rytmi arkeen ja muutama työpäivä viikossa.",
    "Pysyvä työ, jossa saa tehdä käsillä.",
    "Työ, jossa ei tarvitse olla paljon asiakkaiden kanssa.",
    "Kielitaidon vahvistaminen työn ohessa.",
    "Kokoaikatyö vuoden sisällä.",
    "",
)


def ascii_slug(text: str) -> str:
    """Lower case with ä, ö and å folded, for e-mail addresses and user names."""
    return text.lower().translate(str.maketrans("äöå", "aoa"))


MOTHER_TONGUES_OTHER = ("ru", "et", "ar", "so", "fa", "ku", "uk", "en", "th", "vi")
