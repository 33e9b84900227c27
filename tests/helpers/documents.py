"""Build small documents for tests: bad PDFs and images, scans, multi-page files."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF from object bodies (object 1 must be the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


_PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
]


def encrypted_pdf() -> bytes:
    """A PDF protected by the standard security handler with a user password we do not know."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"
    file_id = b"<" + b"ab" * 16 + b">"
    return build_pdf([*_PAGE_OBJECTS, encrypt], b"/Encrypt 4 0 R /ID [" + file_id + b" " + file_id + b"] ")


def blank_pdf(pages: int) -> bytes:
    """A PDF of `pages` empty pages."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        *(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" for _ in range(pages)),
    ]
    return build_pdf(objects)


def scanned_pdf(*images: bytes, resolution: float = 100.0) -> bytes:
    """An image-only PDF (what a scanner produces), one page per image: no text layer at all."""
    pages = [Image.open(io.BytesIO(data)).convert("RGB") for data in images]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", resolution=resolution, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels but holds almost no data: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def image_bytes(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def multipage_tiff(pages: int, size: tuple[int, int] = (40, 40)) -> bytes:
    frames = [Image.new("L", size, 255) for _ in range(pages)]
    return image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def text_pdf(*lines: tuple[str, float]) -> bytes:
    """A one-page PDF with a text layer in Courier 14, each line's glyphs placed one by one the way
    Chromium prints them: each (text, tracking in points) on its own line, no space glyphs (a space
    is a gap of one advance). A tracking above 0 is what letter-spaced letterheads use."""
    ops = [b"BT /F1 14 Tf 72 720 Td 18 TL"]
    for text, tracking in lines:
        shift = -tracking / 14 * 1000  # TJ moves in thousandths of the font size, leftwards
        parts = []
        for ch in text:
            if ch == " ":
                parts.append(b"%.1f" % (shift - 600))  # a gap of one advance, no space glyph
            else:
                escaped = ch.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                parts.append(b"(%s) %.1f" % (escaped.encode("latin-1"), shift))
        ops.append(b"[" + b" ".join(parts) + b"] TJ T*")
    ops.append(b"ET")
    stream = b"\n".join(ops)
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
        ]
    )
