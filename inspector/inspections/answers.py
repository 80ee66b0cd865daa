"""Check an inspection's answers against its checklist and store them as responses."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from inspector import scoring
from inspector.checklists.services import scoring_item
from inspector.errors import ValidationError
from inspector.limits import TEXT_LENGTH, too_long
from inspector.models import ItemType, Response, ResponsePhoto
from inspector.photos.services import photos_by_uuid


@dataclass
class AnswerSet:
    """Valid answers by item key, with their notes and photos."""

    items: dict  # key -> ChecklistItem
    values: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    photos: dict = field(default_factory=dict)  # key -> [Photo]

    def apply_to(self, inspection):
        """Update the inspection's responses in place, one per answered item."""
        existing = {response.item_id: response for response in inspection.responses}
        kept = set()
        for key, answer in self.values.items():
            item = self.items[key]
            response = existing.get(item.id) or Response(item=item)
            if response.id is None:
                inspection.responses.append(response)
            result = scoring.score_item(scoring_item(item), answer)
            response.answer, response.note = answer, self.notes.get(key, "")
            response.earned, response.possible = result.earned, result.possible
            response.failed = result.failed
            response.photos = [
                ResponsePhoto(photo=photo, position=n)
                for n, photo in enumerate(self.photos.get(key, []))
            ]
            kept.add(item.id)
        for item_id, response in existing.items():
            if item_id not in kept:
                inspection.responses.remove(response)


def check_answers(actor, checklist, responses, submit) -> AnswerSet:
    """Return the answers if every one is valid (and complete, on submit); else raise."""
    answers = AnswerSet(items={item.key: item for item in checklist.items})
    errors = {}
    photos = load_photos(actor, responses)
    for number, response in enumerate(responses):
        key = response["item"]
        where = f"responses.{key}"
        item = answers.items.get(key)
        if item is None:
            errors[f"responses.{number}.item"] = _l("Unknown item %(key)s.", key=key)
            continue
        if key in answers.values:
            errors[where] = _l("Answered twice.")
            continue
        problem = scoring.answer_problem(scoring_item(item), response["answer"])
        if problem:
            errors[f"{where}.answer"] = problem
            continue
        if too_long(response.get("note"), TEXT_LENGTH):
            errors[f"{where}.note"] = _l("At most %(n)d characters.", n=TEXT_LENGTH)
        listed = response.get("photos", [])
        missing = [uuid for uuid in listed if uuid not in photos]
        repeated = sorted({uuid for uuid in listed if listed.count(uuid) > 1})
        if missing:
            errors[f"{where}.photos"] = _l("Photos not uploaded: %(ids)s", ids=", ".join(missing))
        elif repeated:
            errors[f"{where}.photos"] = _l("Photos listed twice: %(ids)s", ids=", ".join(repeated))
        answers.values[key] = response["answer"]
        answers.notes[key] = response.get("note", "")
        answers.photos[key] = [photos[u] for u in response.get("photos", []) if u in photos]
    if submit:
        errors.update(completeness_problems(checklist, answers))
    if errors:
        raise ValidationError(errors, "Some answers are invalid.")
    return answers


def completeness_problems(checklist, answers):
    """On submit: every scored item answered, and a photo on each failed photo_on_fail item."""
    errors = {}
    for item in checklist.items:
        if item.type == ItemType.TEXT:
            continue
        if item.key not in answers.values:
            errors[f"responses.{item.key}"] = _l("An answer is required to submit.")
            continue
        failed = scoring.score_item(scoring_item(item), answers.values[item.key]).failed
        if failed and item.photo_on_fail and not answers.photos.get(item.key):
            errors[f"responses.{item.key}.photos"] = _l("A failed item needs a photo.")
    return errors


def load_photos(actor, responses):
    """The referenced photos the actor may attach, by uuid."""
    return photos_by_uuid(actor, [u for response in responses for u in response.get("photos", [])])
