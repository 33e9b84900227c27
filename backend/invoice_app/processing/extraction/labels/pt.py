"""Portuguese labels (Portugal and Brazil: "Fatura nº", "Data de vencimento", "Total a pagar", "IVA")."""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            rf"fatura(?:-?recibo)?{NO}",
            r"n(?:ú|u)merodafatura",
            r"n(?:ú|u)merodanota(?:fiscal)?",
            rf"notafiscal{NO}",
            rf"nfc?-?e{NO}",  # Brazil's electronic (consumer) invoice: "NFC-e n° 000087412"
        ),
    ),
    Label(Kind.TITLE, 0.7, (r"fatura", r"fatura-?recibo", r"faturasimplificada")),
    Label(Field.INVOICE_DATE, 1.0, (r"datadeemissão", r"datadafatura", r"dataemissão")),
    Label(Field.INVOICE_DATE, 0.5, (r"data",)),
    Label(Field.DUE_DATE, 1.0, (r"datadevencimento", r"vencimento")),
    Label(
        Field.TOTAL,
        1.0,
        (r"totalapagar", r"valortotal(?:danota|afaturar)?", r"totaldafatura", r"totaldocumento"),
    ),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"totalilíquido",
            r"totalsemiva",
            r"baseincidência",
            r"valordosserviços",
            r"(?:valor|total)semimpostos",
        ),
    ),
    Label(Field.TAX, 1.0, (r"totaliva", r"valordoiva")),
    # Brazil's taxes on a service or a sale: the municipal ISS (ISSQN), the state's ICMS.
    Label(Field.TAX, 0.9, (r"(?:valordo)?iss(?:qn)?", r"(?:valordo)?icms")),
    Label(Kind.IGNORE, 1.0, (r"nif", r"nipc", r"cnpj", r"cpf")),
    # A till's payment: what was handed over, the change, the rounding.
    Label(Kind.TENDERED, 1.0, (r"dinheiro", r"recebido", r"entregue")),
    Label(Kind.CHANGE, 1.0, (r"troco",)),
    Label(Kind.ROUNDING, 1.0, (r"arredondamento",)),
    Label(Kind.SELLER, 1.0, (r"fornecedor", r"prestador(?:de)?(?:serviços?)?", r"emitente")),
    Label(Kind.BUYER, 1.0, (r"adquirente", r"tomador(?:de)?(?:serviços?)?")),
]
