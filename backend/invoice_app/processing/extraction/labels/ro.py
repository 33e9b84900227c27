"""Romanian labels ("Factură seria CLD nr. 0421", "Data emiterii", "Data scadenței", "Total de plată")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    Label(
        Field.INVOICE_NUMBER, 1.0, (r"factur(?:ă|a)(?:fiscal(?:ă|a))?nr\.?", r"num(?:ă|a)rfactur(?:ă|a|ii)")
    ),
    Label(Field.INVOICE_DATE, 1.0, (r"dataemiterii", r"datafacturii", r"data\(zi/lun(?:ă|a)/an\)")),
    Label(Kind.OTHER_DATE, 1.0, (r"datalivr(?:ă|a)rii", r"datacomenzii")),
    Label(Field.DUE_DATE, 1.0, (r"datascaden(?:ț|ţ|t)ei", r"scaden(?:ț|ţ|t)(?:ă|a)", r"termendeplat(?:ă|a)")),
    Label(Field.TOTAL, 1.0, (r"totaldeplat(?:ă|a)", r"totalgeneral", r"totalfactur(?:ă|a)")),
    Label(
        Field.SUBTOTAL,
        1.0,
        (r"total(?:f(?:ă|a)r(?:ă|a)|faratva)tva", r"valoaref(?:ă|a)r(?:ă|a)tva", r"bazadeimpozitare"),
    ),
    Label(Field.TAX, 1.0, (r"valoareatva", r"totaltva")),
    Label(Kind.IGNORE, 1.0, (r"cotatva", r"cif", r"codfiscal", r"capitalsocial")),
    Label(Kind.ROUNDING, 1.0, (r"rotunjire",)),
    Label(Kind.SELLER, 1.0, (r"furnizor", r"v(?:â|a)nz(?:ă|a)tor")),
    Label(Kind.BUYER, 1.0, (r"cump(?:ă|a)r(?:ă|a)tor", r"beneficiar")),
]
