"""The seller's name: after a seller label, in the sender line above the address, next to a legal form.

Rules, strongest first: the line under (or after) "Verkäufer:" / "From" / "Fournisseur"; the
one-line sender address ("Bei Spiel GmbH ● Ecke 12 ● 12345 Stadthausen"); "make checks payable to";
a name ending in a legal form (GmbH, SARL, Inc., B.V., …) outside the buyer's address block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..types import Field
from .labels import Kind, LabelHit
from .text import Line
from .weights import WEIGHTS

LEGAL_FORMS = (
    "GmbH\\s?&\\s?Co\\.\\s?KG|GmbH\\s?&\\s?Co\\.|GmbH|gGmbH|mbH|AG|KG|KGaA|OHG|UG\\s?\\(haftungsbeschr(?:ä|ae)nkt\\)|UG|"
    # Austria's partnerships; not the Nordic "og" (and) between two words in capitals ("BAGERI OG CAFÉ")
    "OG(?!\\s+[A-ZÆØÅ])|KEG|GesmbH|Ges\\.m\\.b\\.H\\.|e\\.K\\.|e\\.V\\.|a\\.G\\.|e\\.U\\.|GbR|SE|"
    # Japan, China, Korea, Thailand: "Co., Ltd." (before "Co." alone)
    "Co\\.,\\s?Ltd\\.?|CO\\.,\\s?LTD\\.?|"
    # Mexico's "S.A. de C.V." (before "S.A." alone)
    "S\\.?A\\.?\\s?(?:de|DE)\\s?C\\.?V\\.?|"
    # Peru's "S.A.C.", "S.A.A.", "E.I.R.L."; Egypt's "S.A.E." (before "S.A.")
    "S\\.A\\.C\\.|S\\.A\\.A\\.|E\\.I\\.R\\.L\\.|S\\.A\\.E\\.|"
    # Spain's "C.B." (comunidad de bienes) and "S.C."
    "C\\.B\\.|S\\.C\\.|"
    # Turkey's "Ltd. Şti." (before "Ltd." alone), Colombia's "S.A.S." (before "S.A.")
    "Ltd\\.?\\s?Şti\\.?|LTD\\.?\\s?ŞT[İI]\\.?|LTD\\.?\\s?STI\\.?|S\\.A\\.S\\.|"
    "SARL|S\\.A\\.R\\.L\\.|SAS|SASU|SA(?!\\s\\d{4}\\b)|S\\.A\\.|EURL|SNC|SCI|"  # not "Coober Pedy SA 5723"
    "Ltd\\.?|Limited|LLC|L\\.L\\.C\\.|LLP|Inc\\.?|Incorporated|Corp\\.?|Corporation|Co\\.|PLC|plc|"
    "LTD\\.?|LIMITED|INC\\.?|CORP\\.?|CORPORATION|"
    "B\\.V\\.|BV|N\\.V\\.|NV|VOF|V\\.O\\.F\\.|BVBA|S\\.L\\.|S\\.p\\.A\\.|S\\.r\\.l\\.|Oy|AB|A/S|ApS|AS|"
    # Belgium, Luxembourg, Italy, Portugal, Poland, Czechia, Nordics, Turkey, Latin America, US firms
    "SRL|SPRL|Srl|S\\.R\\.L\\.|S\\.n\\.c\\.|S\\.N\\.C\\.|s\\.n\\.c\\.|Sàrl|S\\.à\\s?r\\.l\\.|SpA|Lda\\.?|Ltda\\.?|LDA\\.?|LTDA\\.?|Tbk\\.?|TBK|Sp\\.\\s?z\\s?o\\.\\s?o\\.|s\\.r\\.o\\.|"
    "Oyj|ASA|I/S|A\\.Ş\\.|Kft\\.|Zrt\\.|Nyrt\\.|Bt\\.|OÜ|d\\.o\\.o\\.|d\\.d\\.|Α\\.Ε\\.|Ι\\.Κ\\.Ε\\.|Ε\\.Π\\.Ε\\.|Ο\\.Ε\\.|PLLC|"
    # Malaysia, Singapore, India, Australia: "SDN BHD", "Sdn. Bhd.", "S/B", "PTE LTD", "Pvt. Ltd."
    "SDN[.,]?\\s?BHD\\.?|Sdn[.,]?\\s?Bhd\\.?|BHD\\.?|Bhd\\.?|S/B|SENDIRIAN BERHAD|Sendirian Berhad|"
    "PTE\\.?\\s?LTD\\.?|Pte\\.?\\s?Ltd\\.?|PVT\\.?\\s?LTD\\.?|Pvt\\.?\\s?Ltd\\.?|PTY\\.?\\s?LTD\\.?|Pty\\.?\\s?Ltd\\.?|"
    # Bulgaria, Serbia, North Macedonia in Cyrillic: "Алфа ЕООД", "Бета д.о.о.", "Гама ДООЕЛ"; and the
    # forms that lead a Russian or Ukrainian name
    "ЕООД|ООД|ЕАД|АД|ЕТ|д\\.о\\.о\\.|ДООЕЛ|ДОО|ООО|ОАО|ЗАО|ПАО|ТОВ|ТОО"
)
_LEGAL_FORM = re.compile(rf"(?<![\w.])(?:{LEGAL_FORMS})(?![\w])")
_BANK_PART = re.compile(r"\s*(?:IBAN|BIC|SWIFT|BLZ|Konto|Kto|Account|Sort\s?code)\b", re.IGNORECASE)
_LEGAL_AT_END = re.compile(rf"(?<![\w.])(?:{LEGAL_FORMS})\s*$")
# Separators of a one-line sender address.
# ("AubonmoulinSARL-1242chemin…" from OCR without spaces splits before the house number.)
_SENDER_SEPARATORS = re.compile(r"\s+[-|●•·∙◦]\s+|\s*[●•·|]\s*|-(?=\d{2,})")
# Lines that are a reference ("Nummer : 549910", "GLN 4000001123452", "Tel.: …"), not a name.
_REFERENCE_LINE = re.compile(
    r"^\s*(?:\w[\w.\-/ ]{0,25}:\s*\S*\d|(?:gln|gtin|duns|tel|fax|phone|e-?mail|www|http|iban|bic|"
    r"ust|vat|tva|btw|siret|siren|hrb|steuer|kunden|lief)\b)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"\d{4,5}\s+\w|\b\d+[a-z]?\s*$|^\s*\d+\s+\w+|@|www\.|https?://", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# The copy a card slip is ("MERCHANT COPY", "Kundenbeleg"), printed above the shop's name.
_COPY = (
    r"(?:(?:merchant|customer|cardholder|card\s?holder|store)\s?)?copy|kundenbeleg|h(?:ä|ae|a)ndlerbeleg|"
    r"duplicate|reprint|original|duplicado|triplicado|"
    # India's boilerplate over the letterhead: "E. & O.E" (errors and omissions excepted), "ORIGINAL
    # FOR RECIPIENT".
    r"e\.?\s?&\s?o\.?\s?e\.?|original\s+for\s+(?:the\s+)?(?:recipient|buyer)"
)
_TITLE_ONLY = re.compile(
    r"^\s*(?:tax\s+|commercial\s+|proforma\s+|pro\s+forma\s+)?"
    r"(?:invoice|rechnung|facture|factuur|factura|fattura|fatura|faktura|credit\s+note|gutschrift|avoir)\s*$|"
    rf"^\W*(?:{_COPY})\W*$",
    re.IGNORECASE,
)
_ID_START = re.compile(r"\s*[A-Za-z]{1,4}-\d")
# A table row, not a sender line: two prices, a rate or a date ("Freight credit - original consignment
# (INV-1093) 1.00 18.00 15% 18.00", "Cloud PBX - 10 ekstensi @ Rp 35.000 01/10/2024 - 31/10/2024").
# Not a phone number in dotted pairs ("Tél. 01.23.45.67.89").
_PRICE = r"(?<![\d.,])\d+[.,]\d{2,3}(?![\d.,])"
_TABLE_ROW = re.compile(rf"{_PRICE}.*{_PRICE}|\d\s?%|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b")
# Parts of a line that may hold a name with a legal form, and the text after "payable to".
_NAME_PARTS = re.compile(r"\s+[-|●•·]\s+|[|●•·:,;]|\t")
_PAYABLE_TO_END = re.compile(r"\s[|]\s|\t|\s{2,}|\s+[-–]\s+(?=\S+@)")


# A company registration number after the name on receipts: "(123456-X)", "{JMO292487-D)", "4000131-K",
# "(Co No. 315481-T)", "(001457 657-m)" (OCR splits the digits); or the line under the name says
# "CO.REG : 860671-D" / "Company No: 499702-V".
# Single optional spaces only (no `\s*` runs side by side): a line of spaces must not backtrack.
_REGISTRATION = re.compile(
    r"[\(\{\[]? ?(?:co(?:mpany)?\.? ?(?:reg(?:istration)?\.?)? ?(?:no)?\.? ?:? ?)?"
    r"[A-Z]{0,3}(?:\d{5,8}|\d{3,6} \d{3,6}) ?[-·:]? ?[A-Z] ?[\)\}\]]? ?\|?$",
    re.IGNORECASE,
)
# The same number in brackets inside a line: OCR ran the name, its number and the address together
# ("99 SPEED MART 5/2 (519837: X) LOT PT. 2811, JALAN ANSSA,"); the name is what comes before it.
_REGISTRATION_INSIDE = re.compile(r"\s?[\(\{\[] ?[A-Z]{0,3}\d{5,8} ?[-·:.]? ?[A-Z] ?[\)\}\]]\s?(?=\S)")
_REGISTRATION_LINE = re.compile(
    r"^\W*(?:\(?co(?:mpany)?\.?\s*(?:reg(?:istration)?)?\.?\s*(?:no|number)?\b|roc\b|\(?[A-Z]{0,3}\d{5,8}\s?-?\s?[A-Z]\)?\s*$)",
    re.IGNORECASE,
)
# Header lines that are not the vendor: document titles, greetings, the till, addresses.
_NOT_A_HEADER_NAME = re.compile(
    r"\b(?:tax\s?invoice|invoice|receipt|cash\s?(?:bill|sale)|simplified|official|welcome|thank|"
    r"cashier|gst|sst|tel|fax|phone|jalan|jln|taman|lot|no\.|lorong|persiaran|bandar|date|darul|"
    r"table|counter|order|member|closed|opened|flr|floor|"
    # the copy a slip is, the kind of slip ("Kassenbon", "Ticket")
    rf"{_COPY}|kassenbon|kassabon|quittung|beleg|ticket|scontrino|documento\s+commerciale|"
    r"kvitto|recibo|rechnung|facture|factura|fattura)\b",
    re.IGNORECASE,
)
# Places end an address line, and begin few names: unless a registration number follows
# ("Best Denki Malaysia (308282-A)"), a header line naming one is the address.
_PLACE = re.compile(r"\b(?:malaysia|selangor|johor|kuala\s?lumpur)\b", re.IGNORECASE)


# A chain's store number after its name ("WALGREENS #1234", "TARGET STORE #0921"): not part of it;
# on a receipt's first line, nor a branch number without "#" ("Albert Heijn 1234").
_STORE = r"(?:\s+store)?\s*#\s?\d{1,6}"
_STORE_NUMBER = re.compile(rf"{_STORE}$", re.IGNORECASE)
_BRANCH_NUMBER = re.compile(rf"(?:{_STORE}|(?<=[A-Za-z])\s+\d{{3,6}})$", re.IGNORECASE)

# "Sold by: BDLI87 MUHAMMAD SHAFIK": a staff code before a person's name is the salesperson, not the
# seller (a company name seldom starts with letters run into digits; "99 SPEED MART" starts with digits).
_STAFF_CODE = re.compile(r"[A-Za-z]{2,}\d{2,}\s")

# "Vendedor: R. Sandoval", "Verkäufer: M. Koch": an initial and a surname is the salesperson, not the seller.
_PERSON_INITIAL = re.compile(r"^[A-ZÀ-Ý]\.\s?[A-ZÀ-Ý][a-zà-ÿ]+$")

# How far down a receipt's specks and notes may push its first real line.
FIRST_LINE_DEPTH = 3


@dataclass(frozen=True)
class NameCandidate:
    value: str
    weight: float
    line: int


def has_legal_form(text: str) -> bool:
    """Whether a name carries a company's legal form (GmbH, Ltd, LLC, SDN BHD, …)."""
    return _LEGAL_FORM.search(text) is not None


# A letterhead's name set twice on one line (a logo's text, then the name): "Alpenblick AG Alpenblick AG".
_DOUBLED = re.compile(r"^(?P<name>.{4,}?)\s+(?P=name)$")
# … or its logo's words in lower case first: "polderpunt software Polderpunt Software B.V.".
_LOGO_THEN_NAME = re.compile(r"^(?P<logo>.{4,}?)\s+(?P<name>(?i:(?P=logo))\b.*)$")


# "Company name Hanbit Co., Ltd.", "Name  Nile Delta Packaging Industries S.A.E." (a listing's rows).
_NAME_LABEL = re.compile(
    r"^(?:(?:name|firma|company|raison\s?sociale|nom|d(?:é|e)nomination|denominazione|ragione\s?sociale|"
    r"raz(?:ó|o)n\s?social|nome|επωνυμία|име|наименование|назва|назив)\s*:|company\s?name\s*:?|"
    r"name\s(?=(?-i:[A-ZÀ-Ý])))\s*",
    re.IGNORECASE,
)


_COLUMN_NUMBER = re.compile(r"\s+\(\d{1,2}[а-я]?\)$")
_OWNER_WORDS = re.compile(
    r"^\(?\s*(?:a\s+(?:unit|division|brand|subsidiary)\s+of|(?:owned\s+(?:&|and)\s+)?operated\s+by|"
    r"owned\s+by|managed\s+by)\s*:?\s*(?=\w)",
    re.IGNORECASE,
)


def clean_name(raw: str) -> str:
    name = _SPACES.sub(" ", raw.replace("\t", " ")).strip().strip(" :;,-–|*")
    if doubled := _DOUBLED.match(name):
        name = doubled["name"]
    elif (logo := _LOGO_THEN_NAME.match(name)) and logo["logo"] != logo["name"][: len(logo["logo"])]:
        name = logo["name"]
    # "Name: Lieferant GmbH" (a labelled listing): the value, not its label.
    name = _NAME_LABEL.sub("", name)
    # "(A unit of Kaveri Hospitality Pvt. Ltd.)": the company, without the words that tie it to a brand.
    if owner := _OWNER_WORDS.match(name):
        name = name[owner.end() :].rstrip(" )")
    # A form's column number after the name ("ООО «ПромСнаб-Урал» (2)", Russia's УПД).
    name = _COLUMN_NUMBER.sub("", name)
    # OCR specks after the legal form ("Lieferant GmbH S") are not part of the name.
    legal = list(_LEGAL_FORM.finditer(name))
    if legal and 0 < len(name[legal[-1].end() :].strip()) <= 2:
        name = name[: legal[-1].end()]
    return name


# "(c) AWV e.V.", "© 2024 Muster GmbH", "Copyright …": the author of a template, not the seller.
_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b", re.IGNORECASE)


# A receipt's sign-off, whatever OCR made of its end ("PLEASE COME AG/" ends in a legal form, AG), and
# its notices ("Goods Sold Are Not Returnable", read "Goods Bold Are Note Returnatde."; "REDEEM
# VOUCHER BEFORE POINTS EXPIRY", its "!" lost).
_COURTESY = re.compile(
    r"\b(?:please|thank\s*(?:you|s)|come\s*again|terima\s*kasih|sila\s*datang|vielen\s*dank|merci)\b|"
    r"\bgoods\s+\w+\s+are\b|\bnot\s+(?:returnable|refundable|exchangeable)\b|\bno\s+(?:refunds?|exchanges?)\b|"
    r"redee[mn]\b|\bexpir(?:y|es\b|ed\b)",
    re.IGNORECASE,
)


def _looks_like_name(text: str) -> bool:
    name = clean_name(text)
    if _COPYRIGHT.search(name) or "!" in name or _COURTESY.search(name):
        return False  # a notice or a slogan ("REDEEM VOUCHER BEFORE POINTS EXPIRY!"), not a company
    if not 2 <= len(name) <= 70:
        return False
    letters = sum(ch.isalpha() for ch in name)
    digits = sum(ch.isdigit() for ch in name)
    if letters < 2 or digits > letters / 3:
        return False
    if _REFERENCE_LINE.match(name) or _ADDRESS.search(name):
        return False
    # "(Исполнитель):" under "Поставщик", "(ООО": a label's other half, or a bracket's start.
    if name.startswith("(") and (name.endswith(")") or ")" not in name):
        return False
    # Vietnamese names are many short words: "CÔNG TY TNHH IN ẤN VÀ QUẢNG CÁO ĐẠI PHÁT".
    return len(name.split()) <= (12 if _PREFIX_FORM.match(name) else 8)


def _cell_text(line: Line, index: int) -> str:
    bounds = line.cell(index)
    if bounds is None:
        bounds = line.cell(0) or (0, len(line.text))
    return line.text[bounds[0] : bounds[1]]


# Words a block header may add to its party label: "DATOS DEL EMISOR", "Dati del cliente", "Customer
# details", "Données client", "Angaben zum Lieferanten".
_BLOCK_HEADER_WORDS = re.compile(
    r"^(?:(?:datos|dati|donn(?:é|e)es|details?|information|info|detalles|angaben|daten|adresse|address|"
    r"direcci(?:ó|o)n|indirizzo|contact|zum|zur|del|de|du|des|della|dello|of|the|"
    # the same party named twice ("CEDENTE / PRESTATORE", "CESSIONARIO / COMMITTENTE", "Seller / Vendor")
    r"/|prestatore|committente|cessionario|vendor|supplier|seller|buyer|customer|client)\s*)*$",
    re.IGNORECASE,
)


def _only_label(line: Line, hit: LabelHit) -> bool:
    """The label stands alone in its cell (a block header such as "Verkäufer:", "FROM" or "DATOS DEL
    EMISOR")."""
    start, end = line.cell_bounds(hit.start)
    before = line.text[start : hit.start].strip()
    after = line.text[hit.end : end].strip(" :")
    return _BLOCK_HEADER_WORDS.match(before) is not None and _BLOCK_HEADER_WORDS.match(after) is not None


def _after_label(line: Line, hit: LabelHit) -> str:
    """Text after "Seller:" in the same cell."""
    _, end = line.cell_bounds(hit.start)
    rest = line.text[hit.end : end]
    return rest[1:] if rest.startswith(":") else ""


def _name_below(lines: list[Line], at: int, cell: int) -> tuple[str, int] | None:
    """The first name-like text in the lines under a block header (skipping reference lines)."""
    for line in lines[at + 1 : at + 5]:
        text = clean_name(_cell_text(line, cell))
        # The whole line decides: OCR may put "Nummer" and ": 549910" in separate cells.
        if not text or _REFERENCE_LINE.match(text) or _REFERENCE_LINE.match(line.text.replace("\t", " ")):
            continue
        if not _looks_like_name(text):
            return None
        # "MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.": a name cut before its legal form.
        nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
        if nxt is not None and not _LEGAL_FORM.search(text):
            cont = clean_name(_cell_text(nxt, cell))
            if _LEGAL_AT_END.search(cont) and _looks_like_name(f"{text} {cont}"):
                text = f"{text} {cont}"
        return text, line.index
    return None


_WORD = re.compile(r"\w+")
SHARED_START = 6  # letters a brand and the company under it may share at their start
CONNECTED_NAME_WORDS = 12  # "Ribeira Azul - Comércio de Vinhos e Azeites, Lda.": a long name, still one
_CONNECTOR_AT_END = re.compile(
    r"\s(?:e|y|&|and|und|et|en|de|del|della|des|du|der|of|di|da|do|das|dos|van|von)$", re.IGNORECASE
)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _with_first_line(lines: list[Line], labels: list[list[LabelHit]], line: Line, name: str) -> str:
    """'MVM Musterhafter' / 'Versicherungsverein Musterstadt a.G.': a letterhead name set on two lines,
    the legal form on the second. Only when the first line of the page is a bare name that shares no
    word with the second (not a logo's short form of the same name). Under a brand line, the line
    between is the branch or a tagline ("HANLON'S PHARMACY" / "Rathmines" / "Hanlon Pharmacy
    (Rathmines) Limited", "Bau · Garten · Werkstatt")."""
    k = line.index
    if (
        not 1 <= k < FIRST_LINE_DEPTH
        or clean_name(line.text) != name
        or _PREFIX_FORM.match(name)
        or _OWNER_WORDS.match(line.text.strip())  # "(A unit of …)": a company under its brand, not its end
    ):
        return name  # "NusaNet Bisnis" / "PT Nusa Jaringan Digital Tbk": a name led by its form is whole
    above = lines[k - 1].text.strip()
    if any(not _noise_line(lines[j].text) for j in range(k - 1)):
        return name
    if labels[k - 1] or "\t" in above or _LEGAL_FORM.search(above) or _TITLE_ONLY.match(above):
        return name
    if not _looks_like_name(above):
        return name
    # More words when the line breaks after a connector ("Ribeira Azul - Comércio de Vinhos e").
    connected = _CONNECTOR_AT_END.search(above) is not None
    words = 0 if connected else len(above.split())
    if any(ch.isdigit() for ch in above) or words > 5 or above[-1:] in ".,:;":
        return name
    if set(_WORD.findall(above.casefold())) & set(_WORD.findall(name.casefold())):
        return name
    if _letters(name).startswith(_letters(above)):
        return name  # the logo is the name set without spaces ("ipêamarelo" / "Ipê Amarelo Tecnologia Ltda.")
    # The brand over the company whose name it starts ("MEDIKALINGADRUGSTORE" / "MediKalinga Pharma Corp.").
    start = _letters(above)[:SHARED_START]
    if len(start) == SHARED_START and _letters(name).startswith(start):
        return name
    joined = f"{clean_name(above)} {name}"
    long_name = connected and len(joined.split()) <= CONNECTED_NAME_WORDS and len(joined) <= 90
    return joined if _looks_like_name(joined) or long_name else name


# Under the letterhead's name, its legal form alone ("GmbH") or with the capital ("SARL au capital de
# 10 000 €"): the line above is the name.
_FORM_UNDER_NAME = re.compile(rf"^\s*({LEGAL_FORMS})(?:\s+au\s+capital\b.*)?\s*$")


def _letterhead_over_two_lines(lines: list[Line], labels: list[list[LabelHit]], line: Line) -> str | None:
    """'Buchhandlung & Papeterie Lindner' / 'GmbH', 'Atelier Numérique Dubreuil' / 'SARL au capital de
    10 000 €': the name, with the legal form when that is all the second line says."""
    k = line.index
    form = _FORM_UNDER_NAME.match(line.text)
    if form is None or not 1 <= k < FIRST_LINE_DEPTH or labels[k - 1]:
        return None
    above = clean_name(lines[k - 1].text)
    if not _looks_like_name(above) or any(ch.isdigit() for ch in above) or _TITLE_ONLY.match(above):
        return None
    alone = line.text.strip() == form[1]
    return f"{above} {form[1]}" if alone else above


# The legal notice of the issuer at the foot of the page: capital, trade register, company number.
_LEGAL_NOTICE = re.compile(
    r"\bau\s+capital\s+de\b|\bR\.?C\.?S\.?\b|\bSIRE[NT]\b|\bregistered\s+in\s+(?:england|scotland|wales)\b|"
    r"\bcompany\s+(?:registration\s+)?(?:no|number)\b|\bHRB\b|\bamtsgericht\b|\bregistergericht\b|"
    r"\bhandelsregister\b|\bgesch(?:ä|ae)ftsf(?:ü|ue)hr(?:er|ung)\b",
    re.IGNORECASE,
)
_FORM_FIRST_NOTICE = re.compile(
    r"^\s*((?:SARL|SAS|SASU|EURL|SA|SNC|SCI)\s+[^\W\d][^,;:]{2,60}?)\s+au\s+capital\b", re.IGNORECASE
)
LETTERHEAD_IN_NOTICE = 0.6  # a header line that the legal notice names again
NOTICE_NAME = 0.45  # the name on the line above a legal notice
NOTICE_REACH = 2  # lines above the notice that may hold the name
NOTICE_FROM = 4  # a notice is a footer: not among the first lines


def _legal_notice_names(
    lines: list[Line], labels: list[list[LabelHit]], found: list[NameCandidate]
) -> list[NameCandidate]:
    """The name the issuer's legal notice gives ("Société Hôtelière du Pacano" / "SASU au capital de …"),
    from the notice line or the line above it; where the letterhead prints it too, that header line."""
    out: list[NameCandidate] = []
    legal_names = {c.value for c in found}
    for line in lines[NOTICE_FROM:]:
        if not _LEGAL_NOTICE.search(line.text):
            continue
        names = []
        if (on_line := _name_with_legal_form(line.text)) is not None:
            names.append(on_line)
        elif form_first := _FORM_FIRST_NOTICE.match(line.text):
            # "SARL FOURNIL LUCIE au capital de 8 000 €": the form before the name.
            names.append(clean_name(form_first[1]))
            out.append(NameCandidate(names[-1], NOTICE_NAME, line.index))
        # The name heads the notice: on the line above, or above the address line under it (unless
        # the notice names it itself: "Northmoor Energy Ltd. Registered in England …").
        reach = 0 if names else NOTICE_REACH
        for above in lines[max(0, line.index - reach) : line.index][::-1]:
            if labels[above.index] or _REFERENCE_LINE.match(above.text) or _LEGAL_NOTICE.search(above.text):
                break  # "Reference: INV-0932": a labelled value, known label or not; or the notice goes on
            first = clean_name(_NAME_PARTS.split(above.text)[0])
            if _looks_like_name(first) and not any(ch.isdigit() for ch in first):
                names.append(first)
                if first not in legal_names:
                    out.append(NameCandidate(first, NOTICE_NAME, above.index))
                break
        for name in names:
            key = name.casefold()
            # The letterhead may print the name without its legal form, before a tagline ("Northmoor
            # Energy Business Electricity · Your bill" above "Northmoor Energy Ltd. Registered in …").
            short = _LEGAL_AT_END.sub("", name).strip(" ,.").casefold()
            if len(short.split()) < 2:
                short = key
            head = next(
                (
                    h
                    for h in lines[: WEIGHTS.vendor_legal_form_until]
                    if (text := clean_name(h.text).casefold()) == key or text.startswith(short + " ")
                ),
                None,
            )
            if head is not None and head.index < line.index - 1:
                out.append(NameCandidate(name, LETTERHEAD_IN_NOTICE, head.index))
    return out


_DOCUMENT_TITLES = (
    *("invoice", "credit note", "debit note", "rechnung", "gutschrift", "facture", "avoir", "factura"),
    *("fattura", "factuur", "faktura"),
)


def _titles(words: Iterable[str]) -> str:
    return "|".join(word.replace(" ", r"\s+") for word in words)


# The title and the logo's name set on one line, in any case: "CREDIT NOTE HARROW PRINT".
_TITLE_LEAD = re.compile(rf"^\s*(?:tax\s+)?(?:{_titles(_DOCUMENT_TITLES)})\s+(?=\S)", re.IGNORECASE)
# A title the letterhead's name was set beside ("CREDIT NOTE Kowhai Software Limited"): in capitals,
# before a name that is not.
_TITLES_IN_CAPITALS = _titles(w.upper() for w in (*_DOCUMENT_TITLES, "receipt", "statement"))
_TITLE_BEFORE = re.compile(rf"^(?:TAX\s+)?(?:{_TITLES_IN_CAPITALS})\s+(?=[A-Z][a-z])")


# A trade name before the company's name, set off by a dash: "Sabores do Tejo – Catering e Eventos, Lda."
# (the whole line is the name; a sender line's dashes part name, street and town, with digits).
_BRAND_DASH_NAME = re.compile(
    rf"^\s*([^\W\d][^\d|●•·:;\t]{{1,40}}?\s[-–]\s[^\d|●•·:;\t]+?(?:{LEGAL_FORMS}))\s*$"
)


_SECOND_FORM = re.compile(r",(\s?(?:Ltd\.?|LTD\.?|Limited|LIMITED|Inc\.?|INC\.?))(?!\w)")


_SENTENCE_END = re.compile(r"(?<=[a-z)])\.\s+(?=[A-ZÀ-Ý])")
_IN_A_SENTENCE = re.compile(r"\s+(?:a|an|the|of|to|for|is|are|und|et|la|le|el)\s", re.IGNORECASE)


def _name_with_legal_form(text: str) -> str | None:
    """'MUSTERLIEFERANT GMBH Geschäftsführung: …' → 'MUSTERLIEFERANT GMBH'; 'Amazon Web Services, Inc.'
    (a comma before the legal form, the American way) whole."""
    if (branded := _BRAND_DASH_NAME.match(text)) and _looks_like_name(branded[1]):
        return clean_name(branded[1])
    parts = _NAME_PARTS.split(text)
    for k, part in enumerate(parts):
        # A legal form hyphenated into a code is part of the code: "INV NO: CS-SA-0079030" is no "SA".
        # … nor a two-letter form that is a word of a sentence ("THIS SERVES AS A SALES INVOICE").
        forms = _LEGAL_FORM.finditer(part)
        m = next(
            (
                f
                for f in forms
                if "-" not in part[max(0, f.start() - 1) : f.end() + 1]
                and not (len(f.group()) == 2 and _IN_A_SENTENCE.match(part, f.end()))
            ),
            None,
        )
        if not m:
            continue
        # "… Sistema di Interscambio (SdI). Ferramenta Bonfanti S.r.l.": the name starts its sentence.
        start = max((s.end() for s in _SENTENCE_END.finditer(part, 0, m.start())), default=0)
        name = clean_name(_TITLE_BEFORE.sub("", part[start : m.end()]))
        # "(KL) SDN BHD": a branch in brackets before the legal form is the tail of a split name.
        words_before = [w for w in part[: m.start()].split() if not (w.startswith("(") and w.endswith(")"))]
        if words_before and _looks_like_name(name):
            # "Sakura Trading Co., Ltd.": the second half of the legal form after the comma.
            after = text[text.find(part) + len(part) :] if m.end() == len(part.rstrip()) else ""
            if tail := _SECOND_FORM.match(after):
                return clean_name(f"{name},{tail[1]}")
            return name
        if not words_before and k and (joined := f"{parts[k - 1]},{part[: m.end()]}") in text:
            name = clean_name(joined)
            if parts[k - 1].strip() and _looks_like_name(name):
                return name
    return None


# OCR misreadings of the Malaysian legal forms: "SON BHD", "SDN BHO", "5/B", "$/B", and of the
# "(M)" (Malaysia) before them: "MR D.I.Y.(H)SDN BHD", "AEON CO. (H) BHD".
_OCR_LEGAL = (
    (re.compile(r"\bS[O0D]N(\.?)\s?[BGER8]H[DO0](\.?)(?![\w])"), r"SDN\1 BHD\2"),
    (re.compile(r"\bSdn(\.?\s?)[ER8]hd\b"), r"Sdn\1Bhd"),  # "Sdn.Ehd", "Sdn.Rhd": B read as E or R
    (re.compile(r"(?<![\w/])[5$8S]/[B8D2]\b"), "S/B"),  # "5/B", "$/B", "S/D", "5/2"
    (re.compile(r"\([HN]\)(?=\s?(?:SDN|BHD|Sdn|Bhd)\b)"), "(M)"),
    (re.compile(r"\bSp\.\s?z\s?[0oO]\.\s?[0oO]\."), "Sp. z o.o."),  # Poland's, its o's read as zeros
)


# A logo read as specks before the name: ". , à i ) BILLION SIX ENTERPRISE".
_LEADING_SPECKS = re.compile(r"^(?:(?:[^\w\s]+|[a-zà-ÿ])\s+)+")
# Closing lines of a receipt, sometimes read first ("Thank You, Please come again.").
_CLOSING = re.compile(
    r"\b(?:thank|please|welcome|come\s?again|goods\s?sold|returnable|refundable)", re.IGNORECASE
)


def _noise_line(text: str) -> bool:
    """A line above the letterhead that is no name: a logo's specks ("Li", ": CL", "4 . ° +"), a
    handwritten note in lower case ("tan woon yann"), or a closing line the OCR put first."""
    cell = _LEADING_SPECKS.sub("", text.split("\t")[0].strip())
    letters = [ch for ch in cell if ch.isalpha()]
    return len(letters) < 4 or not any(ch.isupper() for ch in letters) or _CLOSING.search(cell) is not None


def _header_name(text: str) -> tuple[str, bool] | None:
    """A receipt header line as a vendor name, without its registration number; whether it had one."""
    cell = _LEADING_SPECKS.sub("", _SPACES.sub(" ", text.split("\t")[0]).strip())
    if len(cell) > 120:
        return None  # a header name is short; long lines are item or address text
    inside = _REGISTRATION_INSIDE.search(cell)
    run_together = inside is not None and inside.start() > 0
    if run_together:
        cell = cell[: inside.start()]
    stripped = _REGISTRATION.sub("", cell)
    registered = run_together or stripped != cell
    for pattern, repl in _OCR_LEGAL:
        stripped = pattern.sub(repl, stripped)
    name = clean_name(_STORE_NUMBER.sub("", stripped))
    # "Broadview Marketing Sdn Bhd (72826444) wks": what follows the legal form is its number and specks.
    legal = list(_LEGAL_FORM.finditer(name))
    tail = name[legal[-1].end() :].strip() if legal else ""
    if tail and legal[-1].start() > 0 and (any(ch.isdigit() for ch in tail) or len(tail) <= 4):
        registered = registered or _REGISTRATION.search(tail) is not None
        name = clean_name(name[: legal[-1].end()])
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 4 or len(name) > 60 or len(name.split()) > 8:
        return None
    if (
        _NOT_A_HEADER_NAME.search(name)
        or (_PLACE.search(name) and not registered)
        or _REFERENCE_LINE.match(name)
        or "@" in name
        or "!" in name  # a slogan or a notice ("REDEEM VOUCHER BEFORE POINTS EXPIRY!")
        or _COURTESY.search(name)
        or _COPYRIGHT.search(cell)
    ):
        return None
    if sum(ch.isdigit() for ch in name) > len(letters) / 3:
        return None
    return name, registered


# A line that is only the end of a name: a legal form, perhaps after a short branch or "CO." ("(KL) SDN
# BHD", "CO. (M) SDN BHD").
# ("& SUPPLY CO.": the second half of "HARTWELL HARDWARE & SUPPLY CO.")
_LEGAL_TAIL_LINE = re.compile(
    rf"^(?:&\s?(?:[A-Z][\w.]*\s){{1,3}})?(?:CO\.?\s|Co\.?\s)?(?:\(?[A-Z][A-Za-z.]{{0,12}}\)?\s)?(?:{LEGAL_FORMS}|CO\.)$"
)


def _legal_tail_line(text: str) -> tuple[str, bool] | None:
    """The end of a vendor name printed on the line below it, and whether it carries a registration."""
    cell = _SPACES.sub(" ", text.split("\t")[0]).strip()
    stripped = _REGISTRATION.sub("", cell).strip()
    for pattern, repl in _OCR_LEGAL:
        stripped = pattern.sub(repl, stripped)
    if not stripped or not _LEGAL_TAIL_LINE.match(stripped):
        return None
    return stripped, stripped != _SPACES.sub(" ", cell.strip())


def _payment_word_in_a_name(hit: LabelHit, line: Line) -> bool:
    """ "Cash" with no amount on its line is part of a name ("Segi Cash & Carry Sdn. Bhd."), not cash
    handed over."""
    return hit.kind in (Kind.TENDERED, Kind.CHANGE) and not any(ch.isdigit() for ch in line.text)


# Legal forms printed before the name: Indonesia's "PT", Vietnam's "Công ty TNHH" / "Công ty cổ phần".
# Russia's, Ukraine's, Kazakhstan's and Belarus's forms lead too: "ООО «Северный ветер»", "ТОВ «Дніпро»".
_CYRILLIC_PREFIX_FORMS = r"ООО|ОАО|ЗАО|ПАО|АО|ИП|ТОВ|ПП|ФОП|ТОО|ЧУП|ОДО"
_PREFIX_FORM = re.compile(
    r"^(?:PT\.?|C[ôo]ng\s?ty(?:\s+(?:TNHH|c[ổo]\s?ph[ầa]n))?|CTY(?:\s+TNHH)?|"
    rf"(?-i:{_CYRILLIC_PREFIX_FORMS}))\s+[\w«\"„]",
    re.IGNORECASE,
)


# Mexico's "S.A. de C.V." and "S. de R.L. de C.V." set over two lines.
_FORM_GOES_ON = re.compile(r"\bS\.?\s?A\.?$|\bS\.\s?(?:de|DE)\s?R\.?\s?L\.?$")
_FORM_CONTINUED = re.compile(r"^(?:de|DE)\s?(?:C\.?\s?V\.?|R\.?\s?L\.?(?:\s?(?:de|DE)\s?C\.?\s?V\.?)?)$")


def receipt_header_candidates(lines: list[Line], labels: list[list[LabelHit]]) -> list[NameCandidate]:
    """Receipts put the vendor among the first lines, in capitals, often with a legal form ("SDN BHD")
    or followed by its registration number, rarely after a label."""
    found: list[NameCandidate] = []
    for line, hits in zip(lines[: WEIGHTS.vendor_header_lines], labels, strict=False):
        if any(h.kind != Kind.SELLER and not _payment_word_in_a_name(h, line) for h in hits):
            continue  # a labelled line (date, total, bill to) is not the letterhead
        header = _header_name(line.text)
        if header is None or _legal_tail_line(line.text) is not None or _FORM_UNDER_NAME.match(line.text):
            continue  # not a name, or only the end of the name on the line above ("SARL au capital …")
        name, registered = header
        above = lines[line.index - 1].text.strip() if line.index else ""
        # "SOLUCIONES LOGÍSTICAS DEL" / "BAJÍO, S.A. DE C.V.": the line breaks after a connector.
        if (
            above
            and not labels[line.index - 1]
            and _CONNECTOR_AT_END.search(above)
            and _looks_like_name(above)
        ):
            name = f"{clean_name(above)} {name}"
        nxt = lines[line.index + 1].text if line.index + 1 < len(lines) else ""
        if not _LEGAL_FORM.search(name) and (tail := _legal_tail_line(nxt)) is not None:
            # "GARDENIA BAKERIES" / "(KL) SDN BHD (139386-X)": the name split over two lines.
            name, nxt = f"{name} {tail[0]}", lines[line.index + 2].text if line.index + 2 < len(lines) else ""
            registered = registered or tail[1]
        elif _FORM_GOES_ON.search(name) and (rest := _FORM_CONTINUED.match(nxt.strip())):
            # "CADENA COMERCIAL PRONTO DEL CENTRO, S.A." / "DE C.V.": the legal form broke over two lines.
            name, nxt = f"{name} {rest[0]}", lines[line.index + 2].text if line.index + 2 < len(lines) else ""
        registered = registered or _REGISTRATION_LINE.match(nxt) is not None
        letters = [ch for ch in name if ch.isalpha()]
        capitals = sum(ch.isupper() for ch in letters) / len(letters)
        legal = _LEGAL_FORM.search(name) is not None or _PREFIX_FORM.match(name) is not None
        if not (legal or registered or capitals >= 0.8):
            continue
        weight = WEIGHTS.vendor_header
        weight += WEIGHTS.vendor_header_legal if legal else 0.0
        weight += WEIGHTS.vendor_header_registered if registered else 0.0
        weight += WEIGHTS.vendor_header_capitals if capitals >= 0.8 else 0.0
        weight -= WEIGHTS.vendor_header_step * line.index
        found.append(NameCandidate(name, weight, line.index))
    return found


# A shop's receipt heads with its own name and may say which company owns it ("SANYU STATIONERY
# SHOP … Owned By: SANYU SUPPLY SDN BHD"; "Bäckerei Korn, Inh. Hans Korn"): the owner's name, on the
# label's line or the line below, is not the name the receipt is issued under, when a name heads it.
def _without_owners(
    found: list[NameCandidate], lines: list[Line], labels: list[list[LabelHit]]
) -> list[NameCandidate]:
    owner_lines: set[int] = set()
    for line, hits in zip(lines, labels, strict=True):
        if any(h.kind == Kind.OWNER for h in hits):
            owner_lines.update((line.index, line.index + 1))
    if not owner_lines or not any(c.line < min(owner_lines) for c in found):
        return found  # no owner named, or no name above it to prefer
    return [c for c in found if c.line not in owner_lines]


def _amount_line(hits: list[LabelHit]) -> bool:
    return any(h.kind in (Field.TOTAL, Field.SUBTOTAL, Field.TAX) for h in hits)


def _two_party_header(lines: list[Line], line: Line, hits: list[LabelHit]) -> tuple[str, int] | None:
    """ "SELLER TRADE NAME   CLIENT :" / "Verkäufer  Käufer": the seller's column comes first, so the
    first name under the header row is the seller's (its cells may have run together)."""
    kinds = [h.kind for h in hits]
    if (
        Kind.SELLER not in kinds
        or Kind.BUYER not in kinds
        or kinds.index(Kind.SELLER) > kinds.index(Kind.BUYER)
    ):
        return None
    rest = line.text
    for h in sorted(hits, key=lambda h: -h.start):
        rest = rest[: h.start] + " " + rest[h.end :]
    if any(ch.isdigit() for ch in rest) or len(rest.replace(":", " ").split()) > 3:
        return None  # a line with values, not a header row
    return _name_below(lines, line.index, 0)


# The addressee of a letter, the buyer: a name with its contact line under it ("Attention: Practice
# Manager", "z. Hd. Buchhaltung", "Frau Claudia Sennhauser") or its accounts department above it.
# "Attention: Priya Calder", "For the attention of: …", "z. Hd.": said only of the addressee's contact.
_ATTENTION = re.compile(
    r"^\s*(?:attn\.?|att\s*:|attention|for\s+the\s+attention\s+of|f\.?a\.?o\.?|z\.\s?hd\.?|(?:à|a)\s+l['’]attention|"
    r"t\.\s?a\.\s?v\.?)(?=[\s:])",
    re.IGNORECASE,
)
_CONTACT_BELOW = re.compile(
    r"^\s*(?:attn\.?|attention|z\.\s?hd\.?|c/o|(?:à|a)\s+l['’]attention|att\.|t\.\s?a\.\s?v\.?|a/a|frau|herrn?|"
    r"mr\.?|mrs\.?|ms\.?|"
    r"monsieur|madame|mme\.?|m\.|sr\.|sra\.|dott\.(?:ssa)?|sig\.(?:ra)?)(?=[\s:])",
    re.IGNORECASE,
)
_DEPARTMENT_ABOVE = re.compile(
    r"^\s*(?:accounts\s+payable|accounts\s+department|finance\s+department|(?:kreditoren)?buchhaltung|"
    r"(?:service\s+)?comptabilit(?:é|e)(?:\s+fournisseurs)?|contabilidad|amministrazione)\s*$",
    re.IGNORECASE,
)


def _addressee_lines(lines: list[Line]) -> set[int]:
    """Lines that hold the addressee's name (see `_CONTACT_BELOW`). A salutation under the name needs
    the sender's address above it: a letterhead name with a private addressee right under it
    ("… Versicherung AG" / "Herrn Max Beispiel") is the sender's; "Attention:" is the addressee's."""
    out: set[int] = set()
    for line in lines[1:]:
        k = line.index
        if _LEGAL_FORM.search(lines[k - 1].text) and (
            _ATTENTION.match(line.text)
            or (
                _CONTACT_BELOW.match(line.text)
                and any(_ADDRESS.search(above.text) for above in lines[: k - 1])
            )
        ):
            out.add(k - 1)
        if k + 1 < len(lines) and _DEPARTMENT_ABOVE.match(line.text):
            out.add(k + 1)
    return out


# "c/o Hem & Förvaltning AB": the manager a letter is sent in care of, in the addressee's block.
_IN_CARE_OF = re.compile(r"^\s*c/o\b", re.IGNORECASE)


def vendor_candidates(lines: list[Line], labels: list[list[LabelHit]]) -> list[NameCandidate]:
    found = [c for c in _vendor_candidates(lines, labels) if not _IN_CARE_OF.match(c.value)]
    addressee = _addressee_lines(lines)
    return [c for c in found if c.line not in addressee] if addressee else found


def _in_full(sender: NameCandidate, found: list[NameCandidate]) -> NameCandidate:
    """A sender line shortens the letterhead above it ("Buchhandlung & Papeterie Lindner GmbH" /
    "Lindner GmbH · Bertoldstraße 14 · 79098 Freiburg"): the name it ends is the one meant."""
    tail = " " + sender.value.casefold()
    fuller = [c.value for c in found if c.line < sender.line and c.value.casefold().endswith(tail)]
    return NameCandidate(max(fuller, key=len), sender.weight, sender.line) if fuller else sender


_TITLE_AFTER_BRAND = re.compile(
    r"\s+(?:tax\s+)?(?:invoice|rechnung|facture|factura|fattura|factuur|faktura|receipt)$", re.IGNORECASE
)


BRAND_WORD = 6  # letters of a one-word brand that is still no common word ("Fjordkjøkken")


def _brand_in_full(lines: list[Line], brand: str, top: int) -> Iterator[NameCandidate]:
    """The letterhead's name without its legal form ("Lofoten Sjømat") and the same name with it
    elsewhere on the page ("Lofoten Sjømat AS", in the footer or the payee): the seller, in full."""
    brand = _TITLE_AFTER_BRAND.sub("", brand)  # "Lumen Raya Cloud Invoice": the brand and the title
    if _LEGAL_FORM.search(brand) or (len(brand.split()) < 2 and len(brand) < BRAND_WORD):
        return
    # Up to two words may stand between: "HOFBAUER LECHNER" / "Hofbauer Lechner Rechtsanwälte OG".
    full = re.compile(
        rf"(?<![\w&]){re.escape(brand)},?\s+(?:[^\W\d_]+\s+){{0,2}}?(?:{LEGAL_FORMS})(?![\w])", re.IGNORECASE
    )
    for line in lines:
        text = _SPACES.sub(" ", line.text)
        if line.index != top and (m := full.search(text)):
            # "De Vaart" / "Tankstation De Vaart B.V.": a word or two before the brand belong to it.
            before = text[: m.start()].split()
            whole = len(before) <= 2 and all(w[:1].isupper() and w.isalpha() for w in before)
            name = clean_name(text[: m.end()] if whole else m.group(0))
            yield NameCandidate(name, WEIGHTS.vendor_brand_in_full, line.index)
            return


# "From: Wellington Airport (WLG)" / "To: 214 Oriental Parade": a journey (a taxi, a ticket), no seller.
_ROUTE_TO = re.compile(r"^\s*(?:to|nach|à|vers|a|hasta|naar|till)\s*:", re.IGNORECASE)


def _route_from(lines: list[Line], line: Line, hit: LabelHit) -> bool:
    nxt = lines[line.index + 1].text if line.index + 1 < len(lines) else ""
    return line.text[hit.start : hit.end].strip().lower().startswith("from") and bool(_ROUTE_TO.match(nxt))


# The maker of the till or the billing software, printed at the foot ("POS Provider: Kahera Systems
# Inc.", "Powered by Square, Inc.", "Software by Lightspeed Ltd"): not the seller.
_SYSTEM_MAKER = re.compile(
    r"\b(?:pos|software|system|till)\s?(?:provider|supplier|vendor|developer|by)\b|\bpowered\s+by\b|"
    r"\b(?:developed|printed|issued)\s+by\s+(?:the\s+)?(?:pos|system|software)\b|\baccreditation\b",
    re.IGNORECASE,
)


def _vendor_candidates(lines: list[Line], labels: list[list[LabelHit]]) -> list[NameCandidate]:
    found: list[NameCandidate] = []
    senders: list[int] = []  # where in `found` the sender lines' names are
    buyer_until = -1
    buyer_block: set[int] = set()  # the lines under a lone buyer label ("Rechnungsempfänger")
    for line, hits in zip(lines, labels, strict=True):
        # "Acme Cloud Inc.   Bill to": a buyer block's label beside the letterhead heads the lines
        # below it; the cells before it on its own line are still the sender's.
        own_part = line.text
        below_buyer = line.index <= buyer_until
        if (below := _two_party_header(lines, line, hits)) is not None:
            found.append(NameCandidate(below[0], WEIGHTS.vendor_party_header, below[1]))
        for hit in hits:
            if hit.kind == Kind.SELLER and _route_from(lines, line, hit):
                continue
            if hit.kind == Kind.SELLER:
                inline = clean_name(_after_label(line, hit))
                if (
                    inline
                    and _looks_like_name(inline)
                    and not _STAFF_CODE.match(inline)
                    and not _PERSON_INITIAL.match(inline)
                ):
                    # "Verkoper: Lotte": one word without a legal form is the salesperson at a till more
                    # often than the seller.
                    lone = len(inline.split()) == 1 and not _LEGAL_FORM.search(inline)
                    weight = WEIGHTS.vendor_first_line if lone else WEIGHTS.vendor_after_label
                    found.append(NameCandidate(inline, weight * hit.weight, line.index))
                elif _only_label(line, hit) and (
                    below := _name_below(lines, line.index, line.cell_index(hit.start))
                ):
                    found.append(NameCandidate(below[0], WEIGHTS.vendor_after_label * hit.weight, below[1]))
            elif hit.kind == Kind.BUYER and _only_label(line, hit):
                own_part = own_part[: line.cell_bounds(hit.start)[0]]
                buyer_until = line.index + 5
                buyer_block.update(range(line.index + 1, buyer_until + 1))
            elif hit.kind == Kind.PAYABLE_TO:
                rest = _PAYABLE_TO_END.split(line.text[hit.end :])[0]
                name = clean_name(rest)
                if _looks_like_name(name):
                    found.append(NameCandidate(name, hit.weight, line.index))
        # The sender line printed above the address window ("Name ● Street 1 ● 12345 City").
        # "Seller Company · 123 Seller St · 12345 City": a party word inside the name is no label.
        if all(h.kind == Kind.SELLER and not line.text[h.end :].lstrip().startswith(":") for h in hits):
            parts = [p for p in _SENDER_SEPARATORS.split(line.text) if p.strip()]
            # An address beside the name, not a phone split at its dashes ("Austin North - 512-555-0100").
            worded = any(any(ch.isalpha() for ch in p) for p in parts[1:])
            # Nor the bank beside its IBAN ("Erste Bank · IBAN AT48 … · BIC GIBAATWWXXX").
            worded = worded and not any(_BANK_PART.match(p) for p in parts[1:])
            if (
                len(parts) >= 3
                and worded
                and any(ch.isdigit() for p in parts[1:] for ch in p)
                and not _TABLE_ROW.search(line.text)
            ):
                first = clean_name(parts[0])
                # Not a row that starts with an identifier ("RE-8812  K-100  14.02.2024", split at "-8").
                # Nor the address line under a name with its legal form ("Bom Preço … Ltda" / "Rua … 450"
                # / "Belo Horizonte - MG CEP 30120-040": the town, not a sender).
                named_above = not _LEGAL_FORM.search(first) and any(
                    _LEGAL_FORM.search(above.text) for above in lines[max(0, line.index - 3) : line.index]
                )
                if (
                    _looks_like_name(first)
                    and not named_above
                    and not any(ch.isdigit() or ch in "#:" for ch in first)
                    and not _ID_START.match(line.text)
                ):
                    legal = _LEGAL_FORM.search(first)
                    weight = (WEIGHTS.vendor_sender_line_legal if legal else WEIGHTS.vendor_sender_line) - (
                        WEIGHTS.vendor_sender_line_low
                        if line.index >= WEIGHTS.vendor_sender_line_from
                        else 0.0
                    )
                    senders.append(len(found))
                    found.append(NameCandidate(first, weight, line.index))
        # "Bill to: Harbour Cafe Ltd": a legal form after a buyer label on its line is the buyer's.
        inline_buyer = any(h.kind == Kind.BUYER and not _only_label(line, h) for h in hits)
        if (
            not below_buyer
            and not inline_buyer
            and not _SYSTEM_MAKER.search(line.text)
            and not _amount_line(hits)
            and (name := _name_with_legal_form(own_part))
        ):
            header = line.index < WEIGHTS.vendor_legal_form_until
            weight = WEIGHTS.vendor_legal_form if header else WEIGHTS.vendor_legal_form_low
            found.append(NameCandidate(_with_first_line(lines, labels, line, name), weight, line.index))
        elif (split := _letterhead_over_two_lines(lines, labels, line)) is not None:
            found.append(NameCandidate(split, WEIGHTS.vendor_legal_form, line.index - 1))
    for k in senders:
        found[k] = _in_full(found[k], found)
    found.extend(_legal_notice_names(lines, labels, found))
    # The first line that is not a logo's specks or a note above the letterhead.
    top = next((k for k, line in enumerate(lines[:FIRST_LINE_DEPTH]) if not _noise_line(line.text)), None)
    # "INVOICE" / "TAX INVOICE" above the letterhead: the name is the line under the title.
    if top is not None and _TITLE_ONLY.match(lines[top].text) and top + 1 < len(lines):
        top += 1
    if top is not None:
        text = lines[top].text.split("\t")[0].strip()
        # "CREDIT NOTE HARROW PRINT": the title and the logo's name set on one line.
        lead = _TITLE_LEAD.match(text)
        titled = lead is not None and all(h.kind == Kind.TITLE for h in labels[top])
        first = clean_name(
            _BRANCH_NUMBER.sub("", _LEADING_SPECKS.sub("", text[lead.end() :] if titled else text))
        )
        # Below specks, the line must also pass as a header name (not an address, a title, the till).
        if (
            _looks_like_name(first)
            and (titled or not labels[top])
            and (top == 0 or _header_name(lines[top].text))
        ):
            found.append(NameCandidate(first, WEIGHTS.vendor_first_line, top))
            found.extend(_brand_in_full(lines, first, top))
    # A header name in the buyer's block is the buyer's, not the vendor's.
    found.extend(c for c in receipt_header_candidates(lines, labels) if c.line not in buyer_block)
    return _without_owners(found, lines, labels)
