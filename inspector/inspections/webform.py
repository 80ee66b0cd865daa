"""An inspection as stored, back into the contract's PUT body (to check it, or to carry it on
in the field app)."""


def inspection_body(inspection, responses, submit):
    """The contract's PUT body for `inspection` with these responses."""
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
