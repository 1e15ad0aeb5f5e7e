"""The forms of the workshop pages: settings of a workshop, adding a co-facilitator."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.shared import CONCEPTS

SHARED_PREFIX = "shared_"
SHARED_HINTS = {
    "gruppe": _l("z. B. Selbsthilfegruppe „Angst und Panik – Westend“"),
    "einrichtung": _l("z. B. Klinikum am Westpark"),
    "kontaktstelle": _l("z. B. Selbsthilfezentrum München"),
    "ort": _l("Ort für Unterschriften, z. B. München"),
    "raum": _l("z. B. Gruppenraum 2. OG"),
}


class WorkshopForm(FlaskForm):
    title = StringField(
        _l("Titel des Workshops"),
        validators=[
            InputRequired(_l("Bitte einen Titel angeben.")),
            Length(max=200, message=_l("Höchstens %(count)s Zeichen.", count=200)),
        ],
    )
    date = DateField(
        _l("Datum"),
        validators=[InputRequired(_l("Bitte das Datum angeben (TT.MM.JJJJ)."))],
        format=["%Y-%m-%d", "%d.%m.%Y"],
    )
    place = StringField(
        _l("Ort"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Höchstens %(count)s Zeichen.", count=200)),
        ],
    )
    instruments = SelectMultipleField(
        _l("Instrumente"),
        choices=[SelectChoice(slug, i.title) for slug, i in INSTRUMENTS.items()],
        validators=[InputRequired(_l("Bitte mindestens ein Instrument auswählen."))],
    )
    closes_at = DateTimeLocalField(
        _l("Link schließen am (optional)"),
        description=_l(
            "Danach nimmt der Link für Teilnehmende keine Einreichungen mehr an. "
            "Leer lassen: Der Link bleibt offen."
        ),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )


for _concept, _label in CONCEPTS.items():
    setattr(
        WorkshopForm,
        SHARED_PREFIX + _concept,
        StringField(
            _label,
            description=SHARED_HINTS.get(_concept, ""),
            validators=[
                Optional(),
                Length(max=300, message=_l("Höchstens %(count)s Zeichen.", count=300)),
            ],
        ),
    )


def shared_fields(form: WorkshopForm) -> list:
    return [form[SHARED_PREFIX + concept] for concept in CONCEPTS]


def shared_data(form: WorkshopForm) -> dict[str, str]:
    return {concept: form[SHARED_PREFIX + concept].data or "" for concept in CONCEPTS}


class CoFacilitatorForm(FlaskForm):
    email = StringField(
        _l("E-Mail-Adresse des Kontos"),
        validators=[
            InputRequired(_l("Bitte die E-Mail-Adresse angeben.")),
            Length(max=254, message=_l("Die E-Mail-Adresse ist zu lang.")),
        ],
    )
