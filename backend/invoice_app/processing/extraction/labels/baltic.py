"""Estonian, Latvian and Lithuanian labels ("Arve nr", "Maksetähtaeg"; "Rēķins Nr.", "Kopā apmaksai";
"PVM sąskaita faktūra", "Apmokėti iki", "Iš viso su PVM")."""

from __future__ import annotations

from ...types import Field
from .base import Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            r"(?:kreedit)?arve(?:nr|number)\.?",  # Estonian
            r"r(?:ē|e)ķin(?:s|a)(?:nr|numurs)\.?",  # Latvian
            r"s(?:ą|a)skait(?:a|os)(?:fakt(?:ū|u)ros)?nr\.?",  # Lithuanian
        ),
    ),
    Label(
        Kind.TITLE,
        0.7,
        (
            r"arve",
            r"kreeditarve",
            r"r(?:ē|e)ķins",
            r"pavadz(?:ī|i)me",
            r"(?:pvm)?s(?:ą|a)skaita(?:fakt(?:ū|u)ra)?",
        ),
    ),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (
            r"arvekuup(?:ä|a)ev",
            r"r(?:ē|e)ķinadatums",
            r"izrakst(?:ī|i)(?:š|s)anasdatums",
            r"i(?:š|s)ra(?:š|s)ymodata",
            r"s(?:ą|a)skaitosdata",
        ),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"kuup(?:ä|a)ev", r"datums")),
    Label(Kind.OTHER_DATE, 1.0, (r"tarnekuup(?:ä|a)ev", r"pieg(?:ā|a)desdatums", r"pristatymodata")),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"makset(?:ä|a)htaeg",
            r"tasumiset(?:ä|a)htaeg",
            r"(?:ap|sa)maksasterm(?:iņ|in)(?:š|s)",
            r"apmaks(?:ā|a)tl(?:ī|i)dz",
            r"apmok(?:ė|e)tiiki",
            r"(?:ap)?mok(?:ė|e)jimoterminas",
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"arvesumma(?:kokku)?",
            r"(?:kokku)?tasuda(?:kokku)?",
            r"kop(?:ā|a)(?:apmaksai|arpvn)",
            r"summaapmaksai",
            r"i(?:š|s)visosupvm",
            r"(?:mok(?:ė|e)ti)?i(?:š|s)viso",
            r"sumasupvm",
        ),
    ),
    Label(Field.TOTAL, 0.8, (r"kokku", r"kop(?:ā|a)")),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"(?:summa|kokku)?k(?:ä|a)ibemaksuta",
            r"(?:summa|kop(?:ā|a))?bezpvn",
            r"suma(?:be)?pvm(?:su)?nuolaida",
            r"sumabepvm",
        ),
    ),
    Label(Field.TAX, 1.0, (r"k(?:ä|a)ibemaks(?:usumma)?", r"pvn(?:summa)?", r"pvm(?:suma)?")),
    # Tax and company ids, the payment reference: no amounts.
    Label(
        Kind.IGNORE,
        1.0,
        (
            r"kmkr(?:nr)?\.?",
            r"reg\.?kood",
            r"viitenumber",
            r"pvnre(?:ģ|g)\.?nr\.?",
            r"re(?:ģ|g)\.?nr\.?",
            r"pvmmok(?:ė|e)tojokodas",
            r"(?:į|i)mon(?:ė|e)skodas",
        ),
    ),
    Label(Kind.IGNORE, 1.0, (r"allahindlus", r"atlaide", r"nuolaida")),  # a discount, taken off
    # --- parties ----------------------------------------------------------------------------
    Label(
        Kind.SELLER,
        1.0,
        (
            r"m(?:ü|u)(?:ü|u)ja",
            r"pieg(?:ā|a)d(?:ā|a)t(?:ā|a)js",
            r"p(?:ā|a)rdev(?:ē|e)js",
            r"pardav(?:ė|e)jas",
            r"tiek(?:ė|e)jas",
        ),
    ),
    Label(
        Kind.BUYER,
        1.0,
        (
            r"ostja",
            r"maksja",
            r"sa(?:ņ|n)(?:ē|e)m(?:ē|e)js",
            r"pirc(?:ē|e)js",
            r"pirk(?:ė|e)jas",
            r"maks(?:ā|a)t(?:ā|a)js",
        ),
    ),
]
