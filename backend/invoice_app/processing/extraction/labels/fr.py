"""French labels."""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (rf"facture{NO}", r"(?:n°|nº|no\.?|num(?:é|e)ro)(?:de)?(?:la)?facture", rf"avoir{NO}"),
    ),
    Label(Kind.TITLE, 0.7, (r"facture", r"avoir")),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (r"date(?:de|d')?(?:la)?factur(?:e|ation)", r"dated'?(?:é|e)mission", r"date(?:de|d')?(?:l')?avoir"),
    ),
    Label(
        Kind.OTHER_DATE,
        1.0,
        (
            r"date(?:de|d')(?:livraison|commande|paiement|valeur|expédition|prestation)",
            r"date(?:de|d')(?:la)?facture(?:d'origine|initiale|origine)",
        ),
    ),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"dated'?(?:é|e)ch(?:é|e)ance",
            r"(?:é|e)ch(?:é|e)ance",
            r"àpayer(?:avant|jusqu'?au)(?:le)?",
            r"datelimitede(?:r(?:è|e)glement|paiement)",
        ),
    ),
    # --- amounts ----------------------------------------------------------------------------
    Label(Field.TOTAL, 1.0, (r"totalt\.?t\.?c\.?", r"montantt\.?t\.?c\.?", r"totaltoutestaxescomprises")),
    Label(Field.TOTAL, 0.6, (r"montanttotal",)),
    Label(Field.TOTAL, 0.55, (r"net(?:à|a)payer", r"totalàpayer", r"montantdû")),
    Label(Field.TOTAL, 0.3, (r"reste(?:à|a)payer",)),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"totalh\.?t\.?",
            r"montanth\.?t\.?",
            r"totalhorstaxes?",
            r"sous-?total",
            r"(?:total|montant)hors\s?tva",  # Belgium: "Total hors TVA", "HTVA"
            r"totalhtva",
        ),
    ),
    Label(Field.TAX, 1.0, (r"t\.?v\.?a\.?", r"(?:total|montant)(?:de)?(?:la)?t\.?v\.?a\.?")),
    # Canada in French: TPS (GST), TVQ (Quebec's QST), TVH (HST).
    Label(Field.TAX, 1.0, (r"t\.?p\.?s\.?", r"t\.?v\.?q\.?", r"t\.?v\.?h\.?")),
    # An insurance premium: the net premium and the tax levied on it (Luxembourg, Belgium, France).
    Label(Field.SUBTOTAL, 1.0, (r"primenette(?:totale)?", r"primehorstaxes?")),
    Label(Field.TAX, 1.0, (r"imp(?:ô|o)tsurlesprimes", r"taxe(?:s)?surles(?:primes|contratsd'assurance)")),
    Label(Kind.IGNORE, 1.0, (r"remise", r"acompte", r"n°tva", r"tvaintra(?:communautaire)?")),
    Label(
        Kind.CHARGE,
        1.0,
        (
            r"pourboire",
            r"fraisde(?:port|livraison|transport|service|quittance|dossier)",
            r"taxe(?:de)?s(?:é|e)jour",
        ),
    ),
    # --- parties and currency ---------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"vendeur", r"fournisseur", r"émetteur")),
    Label(
        Kind.BUYER,
        1.0,
        (
            r"adressede(?:livraison|facturation)",
            r"adresse(?:du|de)client",
            r"factur(?:é|e)à",
            r"livr(?:é|e)à",
            r"destinataire",
            r"acheteur",
        ),
    ),
    Label(Kind.CURRENCY, 1.0, (r"devise",)),
    # --- accounts payable: purchase order and payment terms ---------------------------------
    Label(
        Field.PURCHASE_ORDER,
        1.0,
        (
            r"(?:n°|nº|no\.?|num(?:é|e)ro)?(?:de|du)?bonde?commande",
            r"(?:votre|v/|r(?:é|e)f(?:(?:é|e)rence)?(?:de)?)commande(?:n°|nº|no\.?)?(?:client)?",
        ),
    ),
    Label(
        Field.PAYMENT_TERMS,
        1.0,
        (r"conditions?de(?:r(?:è|e)glement|paiement)", r"modalit(?:é|e)sde(?:r(?:è|e)glement|paiement)"),
    ),
    # --- invoice number: labels of other shapes --------------------------------------------
    Label(Field.INVOICE_NUMBER, 0.7, (rf"ticket{NO}", rf"note{NO}")),
    Label(Field.INVOICE_NUMBER, 0.5, (r"^n°", r"^num(?:é|e)ro")),  # alone, heading a line under "FACTURE"
    Label(Field.INVOICE_NUMBER, 1.0, (r"facture\(\d{3}\)" + NO, r"facture-" + NO, r"num(?:é|e)rodefacture")),
    # --- receipts: tendered, change, rounding ------------------------------------------------
    Label(Kind.TENDERED, 1.0, (r"esp(?:è|e)ces", r"montantremis")),
    Label(Kind.CHANGE, 1.0, (r"rendu", r"monnaierendue", r"(?:à|a)rendre")),
    Label(Kind.ROUNDING, 1.0, (r"arrondi",)),
    # --- dates of other documents and periods (never the issue date) -------------------------
    Label(
        Kind.OTHER_DATE,
        1.0,
        (
            r"date(?:de|d')?(?:la)?factureassoci(?:é|e)e",
            r"date(?:de|d')?(?:la)?facture(?:pr(?:é|e)c(?:é|e)dente|d'origine|initiale)",
            # a credit note's "Facture d'origine FA-0419 du 15/05/2024": the credited invoice's date
            r"facture(?:d'origine|initiale|rectifi(?:é|e)e)",
            r"date(?:de)?(?:d(?:é|e)but|fin)(?:de)?(?:la)?prestation",
            r"date(?:d(?:é|e)but|fin)",
        ),
    ),
]
