"""Reviews of renders: users and roles, approvals, and the file that holds them (``renders/.studio.sqlite``)."""

from studio.review.db import (
    DB_NAME,
    DECISIONS,
    ROLES,
    Review,
    ReviewDB,
    ReviewError,
    Session,
    User,
    approved_files,
)

__all__ = [
    "DB_NAME",
    "DECISIONS",
    "ROLES",
    "Review",
    "ReviewDB",
    "ReviewError",
    "Session",
    "User",
    "approved_files",
]
