"""Turn the answering screen's form fields into the API's inspection body, and back."""

from inspector.limits import MAX_COUNT, parse_int
from inspector.models import ItemType


def answer_from_form(item, form):
    """Read one item's answer from the form; None when it was left unanswered."""
    raw = form.get(f"answer.{item.key}", "").strip()
    if item.type == ItemType.TEXT:
        return raw or None
    if item.type == ItemType.CHECK:
        return raw or None
    # Steppers have their own N/A box beside the number.
    if raw == "na" or f"na.{item.key}" in form:
        return "na"
    if raw == "":
        return None
    try:
        number = parse_int(raw, -MAX_COUNT, MAX_COUNT)
    except ValueError:
        number = raw  # the checker names it: not a number, or out of range
    return {"count": number} if item.type == ItemType.DEDUCT else number


def photos_from_form(checklist, form, uploaded):
    """Photo uuids per item key: those kept on the form plus those just stored."""
    return {
        item.key: [*form.getlist(f"photos.{item.key}"), *uploaded.get(item.key, [])]
        for item in checklist.items
    }


def responses_from_form(checklist, form, photos_by_key):
    """Build the body's responses from the form and the photos of each item."""
    responses = []
    for item in checklist.items:
        answer = answer_from_form(item, form)
        photos = photos_by_key.get(item.key, [])
        note = form.get(f"note.{item.key}", "").strip()
        if answer is None:
            continue
        response = {"item": item.key, "answer": answer}
        if note:
            response["note"] = note
        if photos:
            response["photos"] = photos
        responses.append(response)
    return responses


def inspection_body(inspection, responses, submit):
    """The contract's PUT body for an inspection being edited in the browser."""
    body = {
        "template": inspection.checklist_id,
        "site": inspection.site.code,
        "started_at": inspection.started_at.isoformat(),
        "responses": responses,
        "submit": submit,
    }
    if inspection.lat is not None:
        body["location"] = {"lat": inspection.lat, "lon": inspection.lon}
    return body


def body_from_inspection(inspection, submit):
    """The body that re-sends an inspection's stored answers unchanged."""
    responses = []
    for response in inspection.responses:
        row = {"item": response.item.key, "answer": response.answer}
        if response.note:
            row["note"] = response.note
        if response.photos:
            row["photos"] = [link.photo.uuid for link in response.photos]
        responses.append(row)
    return inspection_body(inspection, responses, submit)


def uploads_by_item(files) -> dict:
    """The answering form's photo fields (`file.<item key>`), as {item key: [file]}."""
    return {
        field.removeprefix("file."): files.getlist(field)
        for field in files
        if field.startswith("file.")
    }
