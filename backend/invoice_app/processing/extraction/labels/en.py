"""English labels (also the international ones: "Total", "Date", "GST", "VAT id")."""

from __future__ import annotations

from ...types import Field
from .base import NO, Kind, Label

LABELS = [
    # --- invoice number ---------------------------------------------------------------------
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (
            rf"(?:tax)?invoice{NO}",
            r"invoiceid",
            r"inv\.?(?:no\.?|#|nr\.?)",
            # Thailand's abbreviated tax invoice: "TAX INV (ABB) No. 0235R0512-081523".
            rf"(?:tax)?inv(?:oice)?\.?\([a-z.]{{2,12}}\){NO}",
            rf"credit(?:note|nota){NO}",
            rf"feenote{NO}",
            rf"bill{NO}",
            r"invoicefor(?:order)?#",  # a shop's order confirmation: "Invoice for #1042"
        ),
    ),
    # A hotel's folio is its bill: "Folio No. 558231".
    Label(Field.INVOICE_NUMBER, 0.8, (rf"document{NO}", rf"receipt{NO}", rf"folio{NO}")),
    # A till's slip numbers: a restaurant's check, a car park's ticket, the Philippines' official
    # receipt / sales invoice ("OR No", "SI No.").
    Label(Field.INVOICE_NUMBER, 0.7, (rf"check{NO}", rf"ticket{NO}", rf"(?:or|si){NO}")),
    Label(
        Kind.TITLE,
        0.7,
        (r"invoice", r"creditnote", r"taxinvoice", r"(?:simplified|commercial|proforma)invoice", r"feenote"),
    ),
    # --- dates ------------------------------------------------------------------------------
    Label(
        Field.INVOICE_DATE,
        1.0,
        (
            r"invoicedate",
            r"dateofinvoice",
            r"invoicedated",
            r"bill(?:ing)?date",
            r"issue(?:d)?date",
            r"dateofissue",
            r"issuedon",
            r"creditnotedate",
            r"dateofcreditnote",
        ),
    ),
    Label(Field.INVOICE_DATE, 0.6, (r"date", r"dated", r"date(?:/|&|and)?time")),  # "Date/Time 20180428/1912"
    Label(
        Kind.OTHER_DATE,
        1.0,
        (
            r"(?:order|delivery|shipping|ship|service|payment|print|value|start|end|expiry|birth)date",
            r"delivery(?:slot|time|window)",
            r"dateof(?:delivery|service|order|payment|supply)",
            r"(?:billing|service)period",
            # A credit note's "Orig. Invoice Date" / "Original invoice date": the credited invoice's.
            r"orig(?:inal|\.)?invoicedate",
            r"(?:original|related)invoicedated?",
        ),
    ),
    Label(
        Field.DUE_DATE,
        1.0,
        (
            r"duedate",
            r"paymentdue(?:date|on|by)?",
            r"paymentdeadline",
            r"deadlineforpayment",
            r"due(?:on|by)",
            r"pay(?:able)?(?:by|before)",
            r"datedue",
        ),
    ),
    # "Due: 17 May 2024" ("Balance due", "Amount due" are longer labels of the total); "Issued: …".
    Label(Field.DUE_DATE, 0.8, (r"due",)),
    Label(Field.INVOICE_DATE, 0.9, (r"issued",)),
    # The UK's VAT date, printed as the document's date: "Date / Tax Point 21/03/2025".
    Label(Field.INVOICE_DATE, 0.9, (r"(?:date/?)?taxpoint(?:date)?",)),
    # --- amounts ----------------------------------------------------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"grandtotal",
            r"totalamount",
            r"invoicetotal",
            r"totalinvoice",
            r"bill(?:ed)?amount",
            r"total(?:incl\.?|including|inc\.?)(?:vat|tax|gst)",
        ),
    ),
    Label(Field.TOTAL, 0.8, (r"totals?",)),
    Label(Field.TOTAL, 0.6, (r"tot\.?",)),  # "TOT  41.93  5.95  47.88": a till's totals row
    Label(
        Field.TOTAL,
        0.55,
        (
            r"totaldue",
            r"amountdue",
            r"balancedue",
            r"totalpayable",
            r"amountpayable",
            r"(?:due|now)?payable",
        ),
    ),
    Label(Field.TOTAL, 0.3, (r"residual", r"amountpaid")),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"sub-?total",
            r"nettotal",
            r"totalnet",
            r"netamount",
            r"total(?:excl\.?|excluding|exclusive|before|w/o)(?:vat|tax|taxes|gst)?",
            r"amountbeforetax",
        ),
    ),
    # "Net Total Amount" / "Gross Total Amount" (not the "total amount" inside them).
    Label(Field.SUBTOTAL, 1.0, (r"nettotalamount", r"totalnetamount")),
    Label(Field.TOTAL, 1.0, (r"grosstotal(?:amount)?", r"totalgrossamount")),
    Label(Field.SUBTOTAL, 0.4, (r"linetotalamount", r"sumoflines?(?:net)?amounts?")),
    Label(Field.SUBTOTAL, 0.5, (r"taxableamount",)),
    Label(
        Field.TAX,
        1.0,
        (
            r"(?:sales)?tax(?:es)?",
            r"(?:total)?(?:sales)?tax(?:es)?(?:amount|total)?",
            r"totaltax(?:es)?",
            r"vat(?:amount|total)?",
            r"totalvat",
            r"gst",
            r"hst",  # Canada: harmonized, Quebec and provincial sales tax
            r"qst",
            r"pst",
            # "Total includes GST $2.00", "GST included in total": the tax inside a gross total
            r"(?:total)?includes(?:gst|vat|tax)(?:of)?",
            r"(?:gst|vat|tax)includedin(?:the)?total",
        ),
    ),
    Label(
        Kind.IGNORE,
        1.0,
        (
            r"prepaid(?:amount)?",
            r"(?:amount)?paid(?:amount)?",
            r"deposit",
            r"discount",
            r"totaldiscount",
            r"(?:total)?allowances?",
            r"taxid",
            r"vatid",
            r"vatnumber",
            r"vatno\.?",
            r"gstreg(?:\.|istration)?(?:no\.?|number|#)?",
            # Kenya's tax device prints its own invoice number beside the seller's ("CU Invoice No.").
            r"cuinvoice(?:no\.?|number)",
            r"cuserial(?:no\.?|number)",
        ),
    ),
    # Charges beside the tax between subtotal and total: none of the three amounts, but part of the total.
    Label(
        Kind.CHARGE,
        1.0,
        (
            r"servicecharges?",
            r"se?rv(?:ice)?\.?chg\.?",
            r"svc\.?(?:chg|charge)",
            r"shipping(?:&handling|andhandling)?",
            r"(?:delivery|freight|handling|postage)(?:charges?|fees?|costs?)",
            r"postage(?:&packing|andpacking)?",
            r"tips?",
            r"gratuity",
            r"(?:improvement)?surcharges?",
            r"(?:booking|service|convenience|processing|small\s?order)fees?",
            r"tolls?(?:,?surcharges?)?(?:,?and)?(?:fees)?",
            r"(?:city|tourist|tourism|visitor)tax",  # a hotel's city tax: no VAT, added to the total
        ),
    ),
    # A coupon ("LAUNCH10 (10% off) −$128.11"): a discount.
    Label(Kind.IGNORE, 1.0, (r"\d{1,2}(?:[.,]\d{1,2})?%off",)),
    # Transport and customs documents' numbers are no bill numbers: India's "E-Way Bill No.", "Air
    # Waybill No", an export's "Shipping Bill No. 4418273 dt. 8-Mar-2025".
    Label(
        Kind.IGNORE,
        1.0,
        (rf"e-?waybill{NO}", rf"(?:air)?waybill{NO}", rf"billoflading{NO}", rf"shippingbill{NO}"),
    ),
    # Indian GST in its parts (central + state, or integrated) and the taxable value before it.
    # Not "(GST INCL)" after a total, where OCR read the bracket as a C.
    Label(Field.TAX, 1.0, (r"(?:c|s|i|ut)gst(?!\)?inc)",)),
    Label(Field.SUBTOTAL, 0.8, (r"taxablevalue", r"totaltaxablevalue", r"totaltaxableamount")),
    # --- parties and currency ---------------------------------------------------------------
    Label(Kind.SELLER, 1.0, (r"seller", r"vendor", r"supplier", r"from", r"billfrom", r"soldby")),
    # The maker of the till ("POS Supplier: KasaPOS Systems Inc."), not the seller.
    Label(Kind.IGNORE, 1.0, (r"pos(?:supplier|provider|vendor)",)),
    Label(
        Kind.BUYER,
        1.0,
        (
            r"bill(?:ed)?to",
            r"shipto",
            r"soldto",
            r"invoiced?to",
            r"deliverto",
            r"customer",
            r"client",
            r"buyer",
            r"recipient",
            r"to",
            r"messrs\.?",
            r"creditto",
        ),
    ),
    # The Philippines' BIR invoice names the customer "Registered Name: …" beside its TIN and address.
    Label(Kind.BUYER, 0.8, (r"registeredname",)),
    Label(Kind.CURRENCY, 1.0, (r"currency", r"amountsin")),
    Label(Kind.OWNER, 1.0, (r"(?:o?wned|operated)(?:and(?:operated|managed))?by",)),  # "wned By": O lost
    Label(
        Kind.PAYABLE_TO,
        0.75,
        (r"(?:make)?(?:all)?(?:checks|cheques)?payableto", r"thank(?:s|you)forchoosing"),
    ),
    # --- accounts payable: purchase order and payment terms ---------------------------------
    Label(
        Field.PURCHASE_ORDER,
        1.0,
        (
            rf"(?:purchase)?order{NO}",
            r"purchaseorder(?:ref(?:erence)?)?",
            rf"p\.?o\.?{NO}",
            rf"(?:your|customer|buyer'?s?)order(?:{NO}|ref(?:erence)?)?",
            r"orderref(?:erence)?",
        ),
    ),
    Label(Field.PAYMENT_TERMS, 1.0, (r"(?:payment|credit)terms?", r"termsofpayment", r"terms")),
    # --- invoice number: labels of other shapes --------------------------------------------
    # "Invoice-ID:", "Invoice-No.", "Tax Invoice (380) No." (a type code between title and number).
    Label(
        Field.INVOICE_NUMBER,
        1.0,
        (rf"invoice-{NO}", r"invoice-?id", r"(?:invoice|creditnote)\(\d{3}\)" + NO, r"bill#"),
    ),
    # Malaysia's MyInvois "e-Invoice Code / Number"; Egypt's e-invoice prints its own as "Internal ID"
    # beside the tax authority's UUID.
    Label(Field.INVOICE_NUMBER, 1.0, (r"invoicecode/?(?:no\.?|number)", r"einvoice(?:no\.?|number)")),
    Label(Field.INVOICE_NUMBER, 0.7, (r"internalid",)),
    Label(Field.INVOICE_NUMBER, 0.8, (rf"document-{NO}", r"docno\.?", r"inv(?:oice|\.)?ref(?:erence)?\.?")),
    # --- receipts (tendered, change, rounding; totals with GST) ---------------------------------
    Label(
        Field.TOTAL,
        1.0,
        (
            r"total(?:sales|amount)?\(?(?:incl[.,]?|inclusive|including|inc\.?)(?:of)?(?:gst|tax|vat|sst)\)?",
            r"total(?:due|sales|amount)?\(?(?:gst|tax|vat|sst)(?:incl[.,]?|inc\.?|inclusive|included)\)?",
            r"total(?:after)?round(?:ed|ing)",
            r"round(?:ed|ing)total",
            r"netttotal",
        ),
    ),
    Label(
        Field.SUBTOTAL,
        1.0,
        (
            r"total(?:sales|amount)?\(?(?:excl\.?|exclusive|excluding|exc\.?|before|w/o)(?:of)?(?:gst|tax|vat|sst)\)?",
        ),
    ),
    Label(
        Kind.TENDERED,
        1.0,
        (r"cash", r"(?:amount|cash)?tendered", r"cash(?:received|paid)", r"tender", r"received"),
    ),
    Label(Kind.CHANGE, 1.0, (r"change(?:due|amount)?", r"(?:cash)?chg", r"balancereturned")),
    # Australia / New Zealand / UK: "TOTAL INCLUDES GST 3.31", "GST included in total", "VAT included".
    Label(Field.TAX, 1.0, (r"(?:total)?includes?(?:gst|vat|tax)(?:of)?", r"(?:gst|vat)included(?:intotal)?")),
    # Ghana's levies beside its VAT ("NHIL (2.5%)", "GETFund Levy", "COVID-19 Health Recovery Levy"):
    # taxes, which the total adds up with the VAT.
    Label(Field.TAX, 0.9, (r"nhil", r"getfundlevy", r"covid-?19healthrecoverylevy", r"levy")),
    # South Africa, Australia: "Incl. VAT @ 15%  R 4.57" (not the longer "Total incl. VAT").
    Label(Field.TAX, 0.9, (r"incl\.?(?:gst|vat)@?",)),
    Label(Kind.ROUNDING, 1.0, (r"round(?:ing)?(?:adj(?:ustment)?\.?)?", r"adj(?:ustment)?rounding")),
    # OCR-damaged receipt labels: O read as 0, L as I or 1, the first A as O ("T0TAL", "Totai", "TATAL").
    Label(Field.TOTAL, 0.8, (r"t[o0]t[a4][1i|]", r"t0t[a4]l", r"tatal")),
    # "Total Inclusive GST" with the "Total" lost or garbled and "cl" read as "d": "al Indusive GST".
    Label(Field.TOTAL, 0.8, (r"in(?:cl|d|c1)usive(?:of)?(?:gst|tax|vat|sst)",)),
    Label(Field.SUBTOTAL, 1.0, (r"sub-?t[o0]t[a4][l1i|]",)),
    Label(Kind.ROUNDING, 1.0, (r"r[o0]und[i1l]ng(?:adj(?:ustment)?\.?)?",)),
    # Summary rows of a receipt's tax table and counts, not amounts due: "Total 6% supplies (excl. GST)",
    # "Total 0% Supplies", "Total Qty. : 144.68", "TOTAL QUANTITY 2", "Total Saving 0.00".
    Label(
        Kind.IGNORE,
        1.0,
        (r"total.{0,3}suppl[a-z]*", r"total(?:qty|quantity|items?|savings?|pcs|units?)"),
    ),
]
