"""Which party a line speaks for: the seller's block, the buyer's block, or neither.

A block starts at a header that stands alone in its cell ("Verkäufer", "Bill to", "Rechnungs-
empfänger", "Vos identifiants") and runs for a few lines; a cue on the line itself ("Customer VAT
ID", "Ihre USt-IdNr.", "Our VAT no.") overrides the block. Shared by the accounts-payable families
(tax ids, buyer name), which must tell the vendor's number from the customer's.
"""

from __future__ import annotations

import re
from typing import Literal

from .context import Context
from .labels import Kind
from .text import fold

# "other": a third party whose ids are neither the vendor's nor the buyer's (tax representative,
# factor, delivery address).
Party = Literal["seller", "buyer", "other"]

BLOCK_LINES = 12  # a party block is at most this many lines long
# Cues matched on folded text (lower case, no accents).
_BUYER_CUE = re.compile(
    r"\b(?:customer|client|buyer|bill(?:ed)?\s*to|sold\s*to|invoice\s*to|your|kunde[n]?|kaufer|ihre?|"
    r"rechnungsempfanger|leistungsempfanger|empfanger|acheteur|destinataire|vos|votre|facture\s*a|klant|uw|"
    r"afnemer)\b"
)
# The seller's own words, and the legal footer only the issuer prints (share capital, register court).
_SELLER_CUE = re.compile(
    r"\b(?:our|seller|supplier|vendor|from|unsere?|verkaufer|lieferant|notre|nos|vendeur|fournisseur|"
    r"emetteur|onze|leverancier|verkoper|capital|r\.?c\.?s|hrb|hra|amtsgericht|registergericht|"
    r"geschaftsfuhrer(?:in)?|managing\s+director|registered\s+(?:office|in))\b"
)
_HEADER_BUYER = re.compile(r"^\s*(?:vos\s+(?:identifiants|references)|adresse\s+du\s+client)\b")
_HEADER_SELLER = re.compile(r"^\s*(?:nos\s+references)\s*$")
# Two column headers on one line ("Nos références  Vos identifiants"): the block below is mixed.
_HEADER_MIXED = re.compile(
    r"^\s*nos\s+references\s+vos\s+|^\s*(?:seller|from)\b.*\b(?:buyer|bill\s*to|client)\s*:?\s*$"
)
_HEADER_OTHER = re.compile(
    r"^\s*(?:representant\s+fiscal|steuerlicher\s+vertreter|tax\s+representative|(?:beneficiaire|"
    r"affactureur|factor)\b|abweichender\s+warenempfanger|ship\s*to|deliver\s*to|lieferanschrift|"
    r"adresse\s+de\s+livraison)"
)


def line_cue(text: str) -> Party | None:
    """The party a line's own words name ("Customer VAT ID" → buyer), None when it names neither/both."""
    folded = fold(text)
    buyer = _BUYER_CUE.search(folded) is not None
    seller = _SELLER_CUE.search(folded) is not None
    if buyer == seller:
        return None
    return "buyer" if buyer else "seller"


def _header(ctx: Context, i: int) -> Party | Literal["mixed"] | None:
    info = ctx.infos[i]
    line = info.line
    if _HEADER_MIXED.match(fold(line.text)):
        return "mixed"
    kinds = {hit.kind for hit in info.labels}
    if {Kind.SELLER, Kind.BUYER} <= kinds:
        return "mixed"  # "Verkäufer   Käufer": two blocks side by side, merged line by line
    for hit in info.labels:
        if hit.kind not in (Kind.SELLER, Kind.BUYER):
            continue
        start, end = line.cell_bounds(hit.start)
        if line.text[start : hit.start].strip() or line.text[hit.end : end].strip(" :"):
            continue  # a header stands alone in its cell
        if _HEADER_OTHER.match(fold(line.text)):
            return "other"
        return "seller" if hit.kind == Kind.SELLER else "buyer"
    folded = fold(line.text)
    if _HEADER_MIXED.match(folded):
        return "mixed"
    if _HEADER_OTHER.match(folded):
        return "other"
    if _HEADER_BUYER.match(folded):
        return "buyer"
    if _HEADER_SELLER.match(folded):
        return "seller"
    return None


def party_of_lines(ctx: Context) -> list[Party | None]:
    """For every line of the document, the block it sits in (None: no block)."""
    out: list[Party | None] = []
    current: Party | None = None
    since = 0
    for i in range(len(ctx.infos)):
        header = _header(ctx, i)
        if header == "mixed":
            current = None
        elif header is not None:
            current, since = header, 0
        elif current is not None:
            since += 1
            if since > BLOCK_LINES:
                current = None
        out.append(current)
    return out
