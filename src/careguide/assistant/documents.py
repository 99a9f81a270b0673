"""Separate the person's own words from text they pasted (a letter, a report, an article).

Pasted text is content to read, never instructions to follow: the safety screen looks at all of it
for emergencies, but only the person's own words decide what they are asking for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Paired quotes around a pasted passage. ASCII quotes need a boundary on both sides so
# apostrophes ("what's", "patient's") never open or close a passage.
_QUOTED = [
    re.compile(r"“([^”]{4,})”"),
    re.compile(r"「([^」]{4,})」"),
    re.compile(r"『([^』]{4,})』"),
    re.compile(r"‘([^’]{8,})’"),
    re.compile(r"```(.+?)```", re.S),
    re.compile(r"<document>(.+?)</document>", re.S | re.I),
    re.compile(r"(?:(?<=^)|(?<=[\s:：(\[]))\"([^\"]{8,}?)\"(?=$|[\s.,;:!?)\]])"),
    re.compile(r"(?:(?<=^)|(?<=[\s:：(\[]))'(.{8,}?)'(?=$|[\s.,;:!?)\]])", re.S),
]


@dataclass(frozen=True)
class SplitText:
    own: str
    pasted: tuple[str, ...]

    @property
    def has_pasted(self) -> bool:
        return bool(self.pasted)


def split_pasted(text: str) -> SplitText:
    """The person's words with pasted passages cut out, and the passages."""
    pasted: list[str] = []
    own = text
    for pattern in _QUOTED:
        def _cut(match: re.Match[str]) -> str:
            pasted.append(match.group(1).strip())
            return " [...] "

        own = pattern.sub(_cut, own)
    return SplitText(re.sub(r"\s+", " ", own).strip(), tuple(p for p in pasted if p))
