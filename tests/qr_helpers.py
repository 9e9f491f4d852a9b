"""Reading QR codes back from files on disk, independently of the studio's own check."""

from __future__ import annotations

import io
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def decode_image(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)]


def open_render(path: Path, max_side: int = 6000) -> Image.Image:
    """The raster of a PNG, JPEG or (the image inside) a print PDF, reduced to at most ``max_side``."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our own billboard is 280 Mpx
    try:
        if path.suffix == ".pdf":
            # The raw JPEG stream of the page's image (DCTDecode is passed through as is).
            data = PdfReader(path).pages[0]["/Resources"]["/XObject"]["/Im0"].get_object().get_data()
            im = Image.open(io.BytesIO(data))
        else:
            im = Image.open(path)
        if im.format == "JPEG":
            im.draft("RGB", (max_side, max_side))
        im = im.convert("RGB")
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    if max(im.size) > max_side:
        im = im.reduce(-(-max(im.size) // max_side))
    return im


def decode_file(path: Path) -> list[str]:
    return decode_image(open_render(path))
