"""What the parties agreed to, and how: the hash of the agreed content and the consents
that the final documents print on their "Zustimmungsnachweis" page.

Pure: no Flask, no database. The cooperation workflow builds a `ConsentRecord` from its
rows and passes it to `Renderer.render(instrument, payload, consent=record)`.

The hash is reproducible by anyone holding the agreed answers (a test, an auditor, a
reader of the PDF with the JSON export)::

    canonical = {"instrument": slug, "version": version, "payload": payload}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace

from toolbox.core.time import BERLIN
from toolbox.documents.sanitize import sanitize_text

ELECTRONIC_CONSENT = "elektronisch über den persönlichen Link (einfache elektronische Signatur)"


def canonical_agreed_content(instrument: str, payload: dict, version: int) -> str:
    """The exact text that `agreed_content_sha256` hashes (UTF-8): one JSON object with the
    keys "instrument" (the slug), "payload" (the stored answers) and "version", keys sorted
    at every depth, no whitespace, non-ASCII characters as themselves."""
    return json.dumps(
        {"instrument": instrument, "payload": payload, "version": version},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def agreed_content_sha256(instrument: str, payload: dict, version: int) -> str:
    """SHA-256 (64 lowercase hex digits) of what was agreed: the instrument's slug, the
    version number and the payload of that version (see `canonical_agreed_content`)."""
    text = canonical_agreed_content(instrument, payload, version)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Consent:
    """One party's consent to one version.

    party: the organisation as the agreement names it ("Klinikum am Westpark");
    name, function: who agreed for it, as typed ("Dr. Erika Mustermann", "Chefärztin");
    agreed_at: when, an aware datetime (printed in Europe/Berlin);
    method: how consent was given (default: the simple electronic signature by link)."""

    party: str
    name: str
    function: str
    agreed_at: dt.datetime
    method: str = ELECTRONIC_CONSENT

    def __post_init__(self):
        if self.agreed_at.tzinfo is None or self.agreed_at.utcoffset() is None:
            raise ValueError("agreed_at braucht eine Zeitzone (aware datetime).")

    @property
    def local_time(self) -> str:
        """Date and time in German local time, e.g. "03.12.2026, 14:05 Uhr (MEZ)"."""
        local = self.agreed_at.astimezone(BERLIN)
        zone = "MESZ" if local.dst() else "MEZ"
        return local.strftime("%d.%m.%Y, %H:%M Uhr ") + f"({zone})"


@dataclass(frozen=True)
class ConsentRecord:
    """All consents to one version: version number (1, 2, …), the `agreed_content_sha256`
    of that version and the consents, in the order the document lists the parties."""

    version: int
    sha256: str
    consents: tuple[Consent, ...] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "consents", tuple(self.consents))
        if self.version < 1:
            raise ValueError("Die Version beginnt bei 1.")
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise ValueError("sha256 muss 64 kleine Hexadezimalziffern haben.")

    @classmethod
    def of(cls, instrument: str, payload: dict, version: int, consents) -> ConsentRecord:
        """The record for `payload` as version `version`, its hash computed here."""
        return cls(version, agreed_content_sha256(instrument, payload, version), tuple(consents))

    def cleaned(self) -> ConsentRecord:
        """The record with typed texts safe for XML and HTML (`sanitize_text`): what the
        documents print. The renderer calls it; the hash is not touched."""
        return replace(
            self,
            consents=tuple(
                replace(
                    c,
                    party=sanitize_text(c.party),
                    name=sanitize_text(c.name),
                    function=sanitize_text(c.function),
                    method=sanitize_text(c.method),
                )
                for c in self.consents
            ),
        )

    def sha256_lines(self, width: int = 32) -> list[str]:
        """The hash in lines of `width` digits, as the documents print it."""
        return [self.sha256[i : i + width] for i in range(0, len(self.sha256), width)]
