"""However a session ends, the phone forgets that user's field data and cached photos and
pages, and keeps the work waiting to be sent (docs/offline.md)."""

import re
import time

import pytest
from playwright.sync_api import expect

from inspector.auth import sessions
from tests.browser.test_offline import inspect, open_home
from tests.browser.test_phone_screens import sign_in
from tests.images import jpeg_bytes

# A before photo of someone's finding, as the service worker caches them (cache-first).
PLANT_PHOTO = """() => caches.open("inspector-photos").then(c =>
    c.put("/photos/planted/thumb", new Response("a before photo")))"""

WHAT_IS_KEPT = """() => Promise.all([
    caches.keys().then(names => Promise.all(names.map(n =>
      caches.open(n).then(c => Promise.all([c.match("/field/"), c.match("/photos/planted/thumb")]))
        .then(([shell, photo]) => [n, shell ? shell.clone().text() : null, Boolean(photo)])
        .then(([n, shell, photo]) => Promise.resolve(shell).then(text => [n, text, photo]))))),
    new Promise(resolve => {
      const open = indexedDB.open("inspector-field");
      open.onsuccess = () => {
        const tx = open.result.transaction(["meta", "inspections"]);
        const meta = tx.objectStore("meta").get("data");
        const work = tx.objectStore("inspections").getAll();
        tx.oncomplete = () => resolve([meta.result ? meta.result.value.user.username : null,
                                       work.result.map(r => [r.user, r.state])]);
      };
    }),
  ])"""


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "IMG_0002.JPG"
    path.write_bytes(jpeg_bytes((1200, 900)))
    return path


def kept(page):
    caches, (data_of, work) = page.evaluate(WHAT_IS_KEPT)
    shells = [text for _name, text, _photo in caches if text]
    photos = [name for name, _text, has_photo in caches if has_photo]
    return {"shells": shells, "photos": photos, "data_of": data_of, "work": sorted(work)}


def waiting_work(page, context, photo, app):
    """inspector2's field app with data, a cached shell and photo, and one inspection waiting."""
    sign_in(page, "inspector2")
    open_home(page)
    page.evaluate(PLANT_PHOTO)
    context.set_offline(True)
    inspect(page, app, photo)
    before = kept(page)
    assert before["data_of"] == "inspector2" and before["photos"] and before["shells"]
    assert before["work"] == [["inspector2", "waiting"]]
    return before


def forgotten(page):
    page.wait_for_function(
        """() => caches.keys().then(names => !names.includes("inspector-photos"))"""
    )
    return kept(page)


def test_a_session_that_times_out_leaves_no_field_data_but_keeps_waiting_work(
    page, context, photo, monkeypatch, live_app
):
    waiting_work(page, context, photo, live_app)
    page.close()  # the phone sleeps through the afternoon: no page sees the session end
    # Three hours later on the server: past the 2-hour idle limit.
    later = time.time() + 3 * 3600
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    page = context.new_page()
    page.route("**/api/v1/**", lambda route: route.abort())  # nothing sent before we look
    context.set_offline(False)
    page.goto("/field/")
    expect(page).to_have_url(re.compile("/login"))
    expect(page.get_by_text("登录已过期")).to_be_visible()
    after = forgotten(page)
    assert after["shells"] == [] and after["photos"] == [] and after["data_of"] is None
    assert after["work"] == [["inspector2", "waiting"]]  # kept for inspector2 to send
    page.wait_for_load_state("networkidle")


def test_another_user_signing_in_on_the_phone_finds_nothing_of_the_last_one(
    page, context, photo, live_app
):
    waiting_work(page, context, photo, live_app)
    page.route("**/api/v1/**", lambda route: route.abort())
    # The phone changes hands without anyone signing out: the cookie is lost (cleared, or
    # the browser dropped it) and the next user signs in straight away. (The app is left
    # first, so its own requests cannot race the sign-in for the cookie.)
    page.goto("about:blank")
    context.set_offline(False)
    context.clear_cookies()
    login = context.request.get("/login").text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)[1]
    answer = context.request.post(
        "/login",
        form={"username": "inspector", "password": "wenming-2026", "csrf_token": token},
        max_redirects=0,
    )
    assert answer.status == 303
    page.goto("/")
    expect(page.locator('[data-action="start-inspection"]')).to_be_visible()
    page.wait_for_function(
        """() => new Promise(resolve => {
             const open = indexedDB.open("inspector-field");
             open.onsuccess = () => {
               const get = open.result.transaction("meta").objectStore("meta").get("data");
               get.onsuccess = () => resolve(get.result && get.result.value.user.username);
             };
           }).then(username => username === "inspector")"""
    )
    after = kept(page)
    assert after["photos"] == []  # the last user's cached photos are gone
    assert all("张督查" not in shell for shell in after["shells"])  # no shell naming them
    assert after["data_of"] == "inspector"
    assert after["work"] == [["inspector2", "waiting"]]  # theirs, kept, never sent as this one
    expect(page.locator("#sync .sync-text")).to_contain_text("等待其他用户登录")
    page.wait_for_load_state("networkidle")  # the new user's photos fetched: none cut off
