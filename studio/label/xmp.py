"""XMP packets that say a render is synthetic: IPTC digital source type, disclosure text, creator tool.

Pure: builds and parses packet bytes; the container modules place them in PNG, JPEG and MP4 files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape, quoteattr

from studio.label.errors import LabelError

IPTC_SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"
_XMP = "http://ns.adobe.com/xap/1.0/"
_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class DigitalSourceType(StrEnum):
    """IPTC digital source types for synthetic media (the values are the vocabulary's URIs)."""

    #: made entirely by a model trained on sampled content (AI voice, generated image or video)
    TRAINED_ALGORITHMIC_MEDIA = IPTC_SOURCE_TYPES + "trainedAlgorithmicMedia"
    #: real footage or artwork combined with model-made parts
    COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = IPTC_SOURCE_TYPES + "compositeWithTrainedAlgorithmicMedia"


@dataclass(frozen=True)
class XmpLabel:
    """What a render's XMP says about its origin.

    ``descriptions`` holds the disclosure text by language tag; ``x-default`` is what most readers show.
    A field is None when the packet does not carry it.
    """

    digital_source_type: str | None
    descriptions: tuple[tuple[str, str], ...] = ()
    creator_tool: str | None = None

    @property
    def description(self) -> str | None:
        """The ``x-default`` disclosure text, else the first one."""
        for lang, text in self.descriptions:
            if lang == "x-default":
                return text
        return self.descriptions[0][1] if self.descriptions else None


def source_type_uri(source_type: DigitalSourceType | str) -> str:
    """The URI of a digital source type, checked to be a term of the IPTC vocabulary."""
    uri = str(source_type)
    if not uri.startswith(IPTC_SOURCE_TYPES) or len(uri) == len(IPTC_SOURCE_TYPES):
        raise LabelError(f'digital source type "{uri}" is not an IPTC term; expected {IPTC_SOURCE_TYPES}<term>')
    return uri


def build_xmp_packet(
    source_type: DigitalSourceType | str,
    disclosure_text: str,
    creator_tool: str,
    disclosure_by_language: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """An XMP packet (UTF-8) declaring the digital source type, the disclosure and the tool that made it.

    ``disclosure_text`` becomes the ``x-default`` ``dc:description``; ``disclosure_by_language`` adds
    ``(language tag, text)`` alternatives, e.g. ``(("ky", "ЖИ менен түзүлгөн"), ("ru", "Создано с помощью ИИ"))``.
    """
    uri = source_type_uri(source_type)
    if not disclosure_text.strip():
        raise LabelError("the XMP disclosure text is empty; a synthetic render must say so in words")
    items = [("x-default", disclosure_text), *disclosure_by_language]
    alternatives = "".join(f"<rdf:li xml:lang={quoteattr(lang)}>{escape(text)}</rdf:li>" for lang, text in items)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        f' <rdf:RDF xmlns:rdf="{_RDF}">\n'
        f'  <rdf:Description rdf:about="" xmlns:dc="{_DC}" xmlns:xmp="{_XMP}" xmlns:Iptc4xmpExt="{_IPTC_EXT}">\n'
        f"   <Iptc4xmpExt:DigitalSourceType>{escape(uri)}</Iptc4xmpExt:DigitalSourceType>\n"
        f"   <dc:description><rdf:Alt>{alternatives}</rdf:Alt></dc:description>\n"
        f"   <xmp:CreatorTool>{escape(creator_tool)}</xmp:CreatorTool>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def parse_xmp_packet(packet: bytes) -> XmpLabel:
    """Read the digital source type, disclosure and creator tool from any XMP packet.

    Accepts each RDF spelling a property may take: an attribute of ``rdf:Description``, an element with
    text, or an element with ``rdf:resource``.
    """
    try:
        root = ET.fromstring(packet.rstrip(b"\0 \t\r\n"))
    except ET.ParseError as exc:
        raise LabelError(f"the XMP packet is not well-formed XML ({exc})") from None
    source_type = _simple_property(root, _IPTC_EXT, "DigitalSourceType")
    creator_tool = _simple_property(root, _XMP, "CreatorTool")
    descriptions: list[tuple[str, str]] = []
    for description in root.iter(f"{{{_DC}}}description"):
        for li in description.iter(f"{{{_RDF}}}li"):
            descriptions.append((li.get(_XML_LANG, "x-default"), li.text or ""))
    return XmpLabel(source_type, tuple(descriptions), creator_tool)


def _simple_property(root: ET.Element, namespace: str, name: str) -> str | None:
    tag = f"{{{namespace}}}{name}"
    for node in root.iter(f"{{{_RDF}}}Description"):
        if tag in node.attrib:
            return node.attrib[tag].strip()
        element = node.find(tag)
        if element is not None:
            resource = element.get(f"{{{_RDF}}}resource")
            return (resource if resource is not None else element.text or "").strip()
    return None
