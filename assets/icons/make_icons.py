"""Draws the studio's icon set as SVG: simple line icons on a 24-unit grid, stroked in black.

The page engine recolours them (black → a brand colour) when it places them. Run from anywhere:

    python assets/icons/make_icons.py

Our own work, dedicated to the public domain (CC0 1.0).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
STROKE = 'fill="none" stroke="#000000" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"'
FILL = 'fill="#000000"'

#: name → SVG elements (on a 24 × 24 grid).
ICONS: dict[str, str] = {
    # a megaphone: reporting
    "report": f'<path {STROKE} d="M3 10v4h3l7 4V6L6 10H3z"/><path {STROKE} d="M16 9.5a3.5 3.5 0 0 1 0 5"/>'
    f'<path {STROKE} d="M18.5 7a7 7 0 0 1 0 10"/><path {STROKE} d="M7 14l1 5h2l-1-4.5"/>',
    # a telephone handset
    "phone": f'<path {STROKE} d="M5 3.5h3.5l1.5 4.5-2.2 1.4a11 11 0 0 0 6.8 6.8l1.4-2.2 4.5 1.5V19a1.8 1.8 0 0 1-2 '
    f'1.8A16.5 16.5 0 0 1 3.2 5.5 1.8 1.8 0 0 1 5 3.5z"/>',
    # a QR code: three finder squares and a few modules
    "qr": f'<rect {STROKE} x="3.5" y="3.5" width="6" height="6"/><rect {STROKE} x="14.5" y="3.5" width="6" '
    f'height="6"/><rect {STROKE} x="3.5" y="14.5" width="6" height="6"/><rect {FILL} x="5.8" y="5.8" width="1.6" '
    f'height="1.6"/><rect {FILL} x="16.8" y="5.8" width="1.6" height="1.6"/><rect {FILL} x="5.8" y="16.8" '
    f'width="1.6" height="1.6"/><rect {FILL} x="14" y="14" width="2.4" height="2.4"/><rect {FILL} x="18" y="18" '
    f'width="2.4" height="2.4"/><rect {FILL} x="18" y="14" width="2.4" height="2.4"/><rect {FILL} x="14" y="18" '
    f'width="2.4" height="2.4"/>',
    # a sheet of paper with lines: an application, a document
    "document": f'<path {STROKE} d="M6 2.8h8l4 4v14.4H6z"/><path {STROKE} d="M14 2.8v4h4"/>'
    f'<path {STROKE} d="M8.8 11h6.4M8.8 14h6.4M8.8 17h4"/>',
    # a shield with a tick: protection of the person who reports
    "shield": f'<path {STROKE} d="M12 2.8l7.5 3v5.7c0 4.6-3.1 8.2-7.5 9.7-4.4-1.5-7.5-5.1-7.5-9.7V5.8z"/>'
    f'<path {STROKE} d="M8.6 12l2.4 2.4 4.4-4.6"/>',
    # two people: citizens
    "people": f'<circle {STROKE} cx="9" cy="8" r="3.2"/><path {STROKE} d="M3 20c0-3.6 2.7-6 6-6s6 2.4 6 6"/>'
    f'<circle {STROKE} cx="17" cy="9" r="2.5"/><path {STROKE} d="M16.5 14.2c2.7.1 4.5 2.3 4.5 5.3"/>',
    # a clock: deadlines
    "clock": f'<circle {STROKE} cx="12" cy="12" r="8.8"/><path {STROKE} d="M12 7v5.4l3.6 2.2"/>',
    # a tick in a circle: done, free of charge
    "check": f'<circle {STROKE} cx="12" cy="12" r="8.8"/><path {STROKE} d="M7.8 12.3l2.8 2.8 5.6-5.8"/>',
    # a cross in a circle: not allowed
    "cross": f'<circle {STROKE} cx="12" cy="12" r="8.8"/><path {STROKE} d="M8.6 8.6l6.8 6.8M15.4 8.6l-6.8 6.8"/>',
    # a coin with a slash: no bribes
    "no-bribe": f'<circle {STROKE} cx="12" cy="12" r="8.8"/><path {STROKE} d="M5.8 5.8l12.4 12.4"/>'
    f'<path {STROKE} d="M14.2 8.6c-.6-.8-1.4-1.1-2.4-1.1-1.5 0-2.4.8-2.4 1.9 0 2.6 5.2 1.6 5.2 4.4 0 1.2-1 2-2.6 '
    f'2-1.1 0-2-.4-2.6-1.2M12 6v1.5M12 15.8v1.6"/>',
    # scales: the law
    "law": f'<path {STROKE} d="M12 3.5v16.5M7 20.2h10M5 6.5h14"/><path {STROKE} d="M5 6.5l-2.6 6.2a2.7 2.7 0 0 0 '
    f'5.2 0zM19 6.5l-2.6 6.2a2.7 2.7 0 0 0 5.2 0z"/>',
    # a padlock: confidentiality
    "lock": f'<rect {STROKE} x="5" y="10.5" width="14" height="10" rx="1.5"/><path {STROKE} d="M8.2 10.5V7.6a3.8 '
    f'3.8 0 0 1 7.6 0v2.9"/><path {STROKE} d="M12 14.5v2.4"/>',
    # a public building with columns: a government office
    "office": f'<path {STROKE} d="M3.5 9L12 4l8.5 5zM4.5 20.2h15M6.5 11v7M10 11v7M14 11v7M17.5 11v7M3.5 20.2h17"/>',
    # a magnifying glass over a sheet: checking, investigation
    "search": f'<circle {STROKE} cx="10.5" cy="10.5" r="6"/><path {STROKE} d="M15 15l5.5 5.5"/>',
    # a chat bubble: Telegram, online messages
    "message": f'<path {STROKE} d="M4 5h16v11H9.5L5.5 19.5V16H4z"/><path {STROKE} d="M8 9.3h8M8 12.3h5"/>',
    # a graduation cap: training sessions
    "training": f'<path {STROKE} d="M2.5 9L12 4.5 21.5 9 12 13.5z"/><path {STROKE} d="M6.5 11v4.5c1.5 1.6 3.5 2.4 '
    f'5.5 2.4s4-.8 5.5-2.4V11M21.5 9v5"/>',
}


def svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">{body}</svg>\n'


def main() -> None:
    for name, body in ICONS.items():
        (HERE / f"{name}.svg").write_text(svg(body), encoding="utf-8")
    print(f"{len(ICONS)} icons written to {HERE}")


if __name__ == "__main__":
    main()
