"""Currency symbols and ISO 4217 codes, and which one a document is in."""

from __future__ import annotations

# Codes seen on European and North American invoices; a code outside this list is not guessed at.
CODES = frozenset(
    (
        *("EUR", "USD", "GBP", "CHF", "JPY", "CNY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK"),
        *("ISK", "PLN", "CZK", "HUF", "RON", "BGN", "RSD", "TRY", "RUB", "UAH", "INR", "BRL"),
        *("MXN", "ZAR", "SGD", "HKD", "KRW", "AED", "SAR", "ILS", "THB", "MYR", "IDR", "PHP"),
        *("TWD", "VND", "CLP", "NGN", "KES", "EGP", "PKR", "QAR", "KWD"),  # not PEN, COP: words on receipts
        *("LKR", "BDT", "MAD", "GHS", "TZS", "UGX", "OMR", "JOD"),
        *("KZT", "BYN", "MKD", "KGS", "UZS", "AZN", "MDL"),  # not GEL, AMD, MNT: words too
    )
)
# "$" is also the sign of CAD, AUD, … ; on its own it is read as USD, an explicit code wins.
SYMBOLS = {
    "€": "EUR",
    "$": "USD",
    "US$": "USD",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "CHF": "CHF",
    "Fr.": "CHF",
    "zł": "PLN",
    "Ft": "HUF",
    "lei": "RON",
    "Lei": "RON",
    "LEI": "RON",
    "Kč": "CZK",
    "₺": "TRY",
    "TL": "TRY",
    "R$": "BRL",
    "C$": "CAD",
    "A$": "AUD",
    "S$": "SGD",
    "HK$": "HKD",
    "NT$": "TWD",
    "₩": "KRW",
    "฿": "THB",
    "₱": "PHP",
    "₫": "VND",
    "₦": "NGN",
    "円": "JPY",
    # Printed beside amounts on receipts: ringgit, rupees (the amount pattern keeps them off words).
    "RM": "MYR",
    "RMB": "CNY",
    "Rs.": "INR",
    "RS.": "INR",
    "Rs": "INR",
    "Rp.": "IDR",
    "Rp": "IDR",
    "DH": "MAD",  # Moroccan dirhams ("80 220,00 DH"); the UAE's print "Dhs" or AED
    "Dhs": "AED",
    "DHS": "AED",
    "GH₵": "GHS",  # Ghana's cedi
    "₵": "GHS",
    "S/": "PEN",  # Peru's sol ("S/ 4,221.00")
    "S/.": "PEN",
    "₽": "RUB",  # roubles, hryvnias, leva, tenge, dinars, denars: signs and the words printed after amounts
    "руб.": "RUB",
    "руб": "RUB",
    "РСД": "RSD",
    "сум": "UZS",
    "сўм": "UZS",
    "₴": "UAH",
    "грн.": "UAH",
    "грн": "UAH",
    "лв.": "BGN",
    "лв": "BGN",
    "₸": "KZT",
    "тенге": "KZT",
    "дин.": "RSD",
    "дин": "RSD",
    "ден.": "MKD",
    "ден": "MKD",
    "KSh": "KES",  # Kenyan shillings
    "Ksh": "KES",
    "KShs": "KES",
}
