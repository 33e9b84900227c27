"""Spanish labels (invoices from Spain and Latin America: "Factura nº", "Base imponible", "IVA")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

# "nº", "n.º", "no.", "núm.", "número" after "Factura".
_NO = r"(?:número|numero|núm\.?|num\.?|n\.?º|nº|n°|no\.?|n\.?)"  # longest first: "Factura número"

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (rf"factura{_NO}", rf"{_NO}(?:de)?factura", r"n(?:ú|u)merodefactura", rf"facturarectificativa{_NO}"),
    ),
    # Mexico's CFDI: "Serie y Folio: A 1174" (not the "Folio fiscal", the UUID of the stamp).
    Label(Field.INVOICE_NUMBER, 0.9, (r"seriey?folio", r"folio(?!fiscal)")),
    # "Número A-2024-00877" alone at the start of a line of the meta block under "FACTURA".
    Label(Field.INVOICE_NUMBER, 0.5, (r"^n(?:ú|u)mero(?!de)",)),
    # Not a folio: the stamp's UUID, or the trade register's page in a Spanish footer ("Registro
    # Mercantil de Zaragoza, Tomo 3.211, Folio 88").
    Label(Kind.IGNORE, 1.0, (r"foliofiscal", r"tomo[\d.,]*folio")),
    Label(Kind.TITLE, 0.7, (r"factura", r"notadecr(?:é|e)dito", r"boleta(?:deventa)?")),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (
            r"fechadefactura",
            r"fechadeemisi(?:ó|o)n",
            r"fechadeexpedici(?:ó|o)n",
            r"fechafactura",
            r"fechadeabono",
            r"fechadelafacturarectificativa",
        ),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"fecha",)),
    Label(Kind.OTHER_DATE, 1.0, (r"fechade(?:entrega|pedido|servicio|operaci(?:ó|o)n)",)),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"fechadevencimiento",
            r"vencimiento",
            r"fechal(?:í|i)mitedepago",
            r"(?:fecha)?(?:de)?vto\.?(?:paraelpago)?",  # Argentina: "Fecha de Vto. para el pago"
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (r"totalfactura", r"importetotal", r"totalapagar", r"total\(?(?:con)?ivaincl(?:uido|\.)?\)?"),
    ),
    Label(
        Field.SUBTOTAL,
        1.0,
        (r"baseimponible", r"totalbaseimponible", r"importeneto", r"subtotal", r"montoneto"),
    ),
    Label(Field.TAX, 1.0, (r"iva", r"i\.v\.a\.?", r"cuotadeiva", r"totaliva", r"importeiva")),
    # Peru's SUNAT invoice: "Op. Gravada" (the taxed sales, net), "I.G.V. (18%)" (the sales tax).
    Label(Field.SUBTOTAL, 1.0, (r"op(?:\.|eraci(?:ó|o)n)gravada", r"totalvalordeventa")),
    Label(Field.TAX, 1.0, (r"i\.?g\.?v\.?",)),
    # The surcharge a retailer pays beside the IVA ("recargo de equivalencia"): a tax too.
    Label(Field.TAX, 1.0, (r"totalr\.?e\.?", r"totalrecargo(?:deequivalencia)?", r"cuotar\.?e\.?")),
    Label(Field.SUBTOTAL, 1.0, (r"totalbases(?:imponibles)?",)),
    Label(Kind.IGNORE, 1.0, (r"descuento", r"anticipo", r"cif", r"nif", r"montoexento")),
    Label(Kind.CHARGE, 1.0, (r"propina", r"gastosdeenv(?:í|i)o")),
    # --- a till's payment: what was handed over, the change, the rounding ---------------------
    Label(
        Kind.TENDERED,
        1.0,
        (r"entregado", r"efectivo", r"recibido", r"importeentregado", r"efectivoentregado"),
    ),
    Label(Kind.CHANGE, 1.0, (r"cambio", r"vuelto", r"vuelta", r"sucambio", r"devolución")),
    Label(Kind.ROUNDING, 1.0, (r"redondeo",)),
    Label(Kind.IGNORE, 1.0, (r"tipodecambio",)),  # an exchange rate, not change given
    # --- parties ----------------------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"emisor", r"proveedor")),
    # On a Latin-American invoice "Vendedor:" names the salesperson; the seller heads the page.
    Label(Kind.SELLER, 0.3, (r"vendedor",)),
    Label(
        Kind.BUYER,
        1.0,
        (
            r"cliente",
            r"facturara",
            r"destinatario",
            r"receptor",
            r"se(?:ñ|n)or(?:\(es\)|es)",
            r"apellidoynombre(?:/raz(?:ó|o)nsocial)?",
        ),
    ),
    Label(Kind.CURRENCY, 1.0, (r"moneda", r"divisa")),
]
