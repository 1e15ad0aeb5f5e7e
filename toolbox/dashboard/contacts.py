"""Maintaining the contact directory in the dashboard: list and search, add, edit, delete,
CSV import and export, and taking a submitted suggestion into the directory.

The directory is shared by everyone who works with the toolbox, so every account may
maintain it; the public page (`contacts.directory`) shows the result at once.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from toolbox.contacts.forms import ContactForm, ImportForm
from toolbox.contacts.models import Contact
from toolbox.contacts.service import (
    TYP_LABELS,
    Added,
    ContactImportError,
    adopt_suggestion,
    decode_csv,
    delete_contact,
    export_csv,
    import_csv,
    save_contact,
    search,
)
from toolbox.contacts.views import search_query
from toolbox.core.extensions import csrf, db
from toolbox.core.time import BERLIN
from toolbox.dashboard.views import submission_or_404
from toolbox.instruments.ansprechpersonen import ENTRY_FIELDS

bp = Blueprint("dashboard_contacts", __name__, url_prefix="/dashboard/ansprechpersonen")


def _to_list():
    return redirect(url_for("dashboard_contacts.index"), code=303)


def _flash_added(result: Added) -> None:
    message = ngettext("%(num)d Eintrag übernommen.", "%(num)d Einträge übernommen.", result.added)
    if result.skipped:
        message += " " + ngettext(
            "%(num)d war schon im Verzeichnis.",
            "%(num)d waren schon im Verzeichnis.",
            result.skipped,
        )
    flash(message, "success" if result.added else "info")


@bp.get("")
@login_required
def index():
    query = search_query()
    return render_template(
        "dashboard/contacts/index.html", contacts=search(query), query=query, typ_labels=TYP_LABELS
    )


def _edit_page(form: ContactForm, contact: Contact | None):
    status = 422 if form.is_submitted() else 200
    return render_template(
        "dashboard/contacts/edit.html", form=form, contact=contact, specs=ENTRY_FIELDS
    ), status


# The forms check their own CSRF token (not the global check), so an expired session
# shows the form again with everything typed kept instead of an error page.
@bp.route("/neu", methods=["GET", "POST"])
@csrf.exempt
@login_required
def create():
    form = ContactForm()
    if form.validate_on_submit():
        contact = save_contact(None, form.data)
        flash(_("„%(name)s“ steht jetzt im Verzeichnis.", name=contact.organisation), "success")
        return _to_list()
    return _edit_page(form, None)


@bp.route("/<id:contact_id>/bearbeiten", methods=["GET", "POST"])
@csrf.exempt
@login_required
def edit(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    form = ContactForm(obj=None if request.method == "POST" else contact)
    if form.validate_on_submit():
        save_contact(contact, form.data)
        flash(
            _("Die Änderungen an „%(name)s“ sind gespeichert.", name=contact.organisation),
            "success",
        )
        return _to_list()
    return _edit_page(form, contact)


@bp.route("/<id:contact_id>/loeschen", methods=["GET", "POST"])
@login_required
def delete(contact_id: int):
    contact = db.get_or_404(Contact, contact_id)
    if request.method == "GET":
        return render_template("dashboard/contacts/delete.html", contact=contact)
    name = contact.organisation
    delete_contact(contact)
    flash(_("„%(name)s“ wurde aus dem Verzeichnis gelöscht.", name=name), "success")
    return _to_list()


@bp.get("/export.csv")
@login_required
def export():
    response = Response(export_csv(search(search_query())), mimetype="text/csv")
    today = dt.datetime.now(BERLIN).date().isoformat()
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"{today}_Ansprechpersonen.csv"
    )
    return response


@bp.route("/import", methods=["GET", "POST"])
@csrf.exempt
@login_required
def upload():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            text = decode_csv(form.file.data.read())
            result = import_csv(text, replace=form.replace.data)
        except ContactImportError as exc:  # raised before anything is written
            problems = exc.errors
        else:
            _flash_added(result)
            return _to_list()
    status = 422 if form.is_submitted() else 200
    return render_template(
        "dashboard/contacts/import.html",
        form=form,
        problems=problems,
        filename=getattr(form.file.data, "filename", "") if problems else "",
        total=Contact.query.count(),
    ), status


@bp.post("/aus-einreichung/<id:submission_id>")
@login_required
def adopt(submission_id: int):
    submission = submission_or_404(submission_id)
    if submission.instrument != "ansprechpersonen":
        abort(404)
    try:
        result = adopt_suggestion(submission.payload)
    except ContactImportError as exc:  # raised before anything is written
        flash(
            _("Die Einträge lassen sich nicht übernehmen: %(errors)s", errors=" ".join(exc.errors)),
            "error",
        )
    else:
        _flash_added(result)
    return redirect(url_for("dashboard.detail", submission_id=submission_id), code=303)
