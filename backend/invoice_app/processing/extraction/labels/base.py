"""The row type of the label tables and the label kinds beyond the output fields."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ...types import Field


class Kind(StrEnum):
    """What a label may announce besides an output field."""

    TITLE = "title"  # "Invoice FA-2017-0008": a document title directly followed by its number
    OTHER_DATE = "otherDate"  # order/delivery/service dates: never the invoice date
    IGNORE = "ignore"  # amounts that look like totals but are not (prepayments, discounts, tax ids)
    CHARGE = "charge"  # tips, service charges, shipping: none of the three amounts, added into the total
    SELLER = "seller"  # heads the seller's block
    BUYER = "buyer"  # heads the buyer's (or delivery) block
    CURRENCY = "currencyLabel"  # "Rechnungswährung: EUR"
    PAYABLE_TO = "payableTo"  # "Make all checks payable to …": the vendor's name follows
    OWNER = "owner"  # "Owned by: SANYU SUPPLY SDN BHD", "Inh. Hans Schmidt": the company behind the shop
    TENDERED = "tendered"  # "CASH 50.00", "Tendered": what the customer handed over, never the total
    CHANGE = "change"  # "CHANGE 3.70": tendered − change = total
    ROUNDING = "rounding"  # "Rounding Adj -0.02": the cash total is the total rounded to 0.05


LabelKind = Field | Kind

# "number" in the label languages, as it follows "Invoice", "Rechnung", "Facture", …
NO = r"(?:number|nummer|numéro|numero|num\.?|no\.?|nr\.?|n°|nº|n\.º|n\.°|#)"


@dataclass(frozen=True)
class Label:
    """One row of a language's table: patterns that announce `field` with the same certainty.

    `words` are regular expressions without spaces, matched on folded whitespace-free text (see the
    package docstring). `weight` says how sure the label makes us (1 = it names exactly this field).
    """

    field: LabelKind
    weight: float
    words: tuple[str, ...]
    # May start inside a word: German compounds ("Handelsrechnung Nr.", "Mietrechnung Nr.").
    infix: bool = False
