"""Which manifest entries count as produced: the final roles of every kind (proofs and sidecars do not)."""

from __future__ import annotations

from studio.kinds import all_kinds

#: Roles of the files that make a render count as produced; proofs and caption sidecars come with them.
FINAL_ROLES = frozenset(role for kind in all_kinds() for role in kind.final_roles)
