"""Review and reporting: the quarter's review gallery and the quarterly report for the mayoralty.

Builders take data (manifests, the campaign) and return text; only the ``write_*`` helpers touch files.
"""

from __future__ import annotations

from studio.report.gallery import GALLERY_NAME, build_gallery, read_captions, write_gallery
from studio.report.quarterly import ItemStatus, QuarterlyReport, ReportRow, build_quarterly_report, produced_items
from studio.report.writers import (
    CSV_COLUMNS,
    build_report_csv,
    build_report_html,
    build_report_markdown,
    report_files,
    write_report,
)

__all__ = [
    "CSV_COLUMNS",
    "GALLERY_NAME",
    "ItemStatus",
    "QuarterlyReport",
    "ReportRow",
    "build_gallery",
    "build_quarterly_report",
    "build_report_csv",
    "build_report_html",
    "build_report_markdown",
    "produced_items",
    "read_captions",
    "report_files",
    "write_gallery",
    "write_report",
]
