"""Estonian, Latvian and Lithuanian labels ("Arve nr", "Maksetähtaeg"; "Rēķins Nr.", "Kopā apmaksai";
"PVM sąskaita faktūra", "Apmokėti iki", "Iš viso su PVM").

Patterns are folded like the text ("käibemaksuta" runs as "kaibemaksuta") and start with letters, so
the label index only tries them on lines that hold those letters."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            r"arve(?:nr|number)\.?",  # Estonian
            r"kreeditarve(?:nr|number)\.?",
            r"rēķin(?:s|a)(?:nr|numurs)\.?",  # Latvian
            r"sąskait(?:a|os)(?:faktūros)?nr\.?",  # Lithuanian
        ),
    ),
    Label(
        Kind.TITLE,
        0.7,
        (
            r"arve",
            r"kreeditarve",
            r"rēķins",
            r"pavadzīme",
            r"sąskaita(?:faktūra)?",
            r"pvmsąskaita(?:faktūra)?",
        ),
    ),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (r"arvekuupäev", r"rēķinadatums", r"izrakstīšanasdatums", r"išrašymodata", r"sąskaitosdata"),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"kuupäev", r"datums")),
    Label(Kind.OTHER_DATE, 1.0, (r"tarnekuupäev", r"piegādesdatums", r"pristatymodata")),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"maksetähtaeg",
            r"tasumisetähtaeg",
            r"apmaksastermiņš",
            r"samaksastermiņš",
            r"apmaksātlīdz",
            r"apmokėtiiki",
            r"mokėjimoterminas",
            r"apmokėjimoterminas",
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"arvesumma(?:kokku)?",
            r"tasuda(?:kokku)?",
            r"kokkutasuda",
            r"kopā(?:apmaksai|arpvn)",
            r"summaapmaksai",
            r"išvisosupvm",
            r"išviso",
            r"mokėtiišviso",
            r"sumasupvm",
        ),
    ),
    Label(Field.TOTAL, 0.8, (r"kokku", r"kopā")),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"käibemaksuta",
            r"summakäibemaksuta",
            r"kokkukäibemaksuta",
            r"bezpvn",
            r"summabezpvn",
            r"kopābezpvn",
            r"sumabepvm(?:su)?(?:nuolaida)?",
        ),
    ),
    Label(Field.TAX, 1.0, (r"käibemaks(?:usumma)?", r"pvn(?:summa)?", r"pvm(?:suma)?")),
    # Tax and company ids, the payment reference: no amounts.
    Label(
        Kind.IGNORE,
        1.0,
        (
            r"kmkr(?:nr)?\.?",
            r"regkood",
            r"reg\.kood",
            r"viitenumber",
            r"pvnreģ\.?nr\.?",
            r"reģ\.?nr\.?",
            r"pvmmokėtojokodas",
            r"įmoneskodas",
        ),
    ),
    Label(Kind.IGNORE, 1.0, (r"allahindlus", r"atlaide", r"nuolaida")),  # a discount, taken off
    # --- parties ----------------------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"müüja", r"piegādātājs", r"pārdevējs", r"pardavėjas", r"tiekėjas")),
    Label(Kind.BUYER, 1.0, (r"ostja", r"maksja", r"saņēmējs", r"pircējs", r"pirkėjas", r"maksātājs")),
]
