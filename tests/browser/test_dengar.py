"""The "Dengarkan" button: only with the phone's own Indonesian voice, reading
the page's main text, with pause and stop, sending nothing.

Headless Chromium has no voices, so a stand-in speechSynthesis is installed
before the page loads for the cases that need one; it records what would be
spoken instead of speaking."""
from __future__ import annotations

import pytest

from tests.browser.helpers import local_only

pytestmark = pytest.mark.browser

FAKE_VOICES = """voices => {
  const spoken = [];
  const synth = {
    paused: false, speaking: false,
    getVoices: () => voices,
    speak: u => { spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name}); synth.speaking = true; },
    cancel: () => { spoken.cancelled = (spoken.cancelled || 0) + 1; synth.speaking = false; },
    pause: () => { synth.paused = true; },
    resume: () => { synth.paused = false; },
    addEventListener: () => {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  window.kkbcSpoken = spoken;
}"""


def with_voices(browser, voices):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(f"({FAKE_VOICES})({voices})")
    return context, context.new_page()


def test_hidden_without_a_voice(page, live_server):
    page.goto(live_server + "/perlindungan/")
    box = page.locator(".kkbc-dengar")
    assert box.count() == 1 and not box.is_visible()


@pytest.mark.parametrize("voices", [
    '[{"name": "Google Bahasa Indonesia", "lang": "id-ID", "localService": false}]',  # a network voice
    '[{"name": "English", "lang": "en-US", "localService": true}]',
    '[]',
])
def test_hidden_without_a_local_indonesian_voice(browser, live_server, voices):
    context, page = with_voices(browser, voices)
    page.goto(live_server + "/perlindungan/")
    assert not page.locator(".kkbc-dengar").is_visible()
    # One line says why, and how to add a voice (it waits for late voices first).
    info = page.locator(".kkbc-dengar-info")
    info.wait_for(state="visible", timeout=5_000)
    assert "Google Text-to-speech" in info.inner_text()
    context.close()


def test_reads_the_main_text_with_the_local_indonesian_voice(browser, live_server):
    context, page = with_voices(browser, '[{"name": "Network", "lang": "id-ID", "localService": false},'
                                         ' {"name": "Ponsel", "lang": "id_ID", "localService": true}]')
    outside = local_only(page)
    page.goto(live_server + "/perlindungan/", wait_until="networkidle")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    start = page.get_by_role("button", name="Dengarkan halaman ini")
    assert start.is_visible()
    pieces = page.evaluate("kkbcDengar.teks()")
    assert pieces[0] == "Perlindungan untuk pekerja mandiri"
    joined = " ".join(pieces)
    assert "Pak Markus memanen kemiri." in joined
    assert "Dengarkan" not in joined and "Rp5.000.000" not in joined  # no buttons, no tables
    start.click()
    spoken = page.evaluate("kkbcSpoken")
    assert [s["text"] for s in spoken] == pieces
    assert {(s["voice"], s["lang"]) for s in spoken} == {("Ponsel", "id_ID")}

    pause = page.get_by_role("button", name="Jeda")
    pause.click()
    assert page.evaluate("speechSynthesis.paused") is True
    assert page.get_by_role("button", name="Lanjutkan").is_visible()
    page.get_by_role("button", name="Lanjutkan").click()
    assert page.evaluate("speechSynthesis.paused") is False
    page.get_by_role("button", name="Berhenti").click()
    assert page.evaluate("kkbcSpoken.cancelled") >= 2  # once before speaking, once to stop
    assert start.is_visible() and not pause.is_visible()
    assert requests == [] and outside == []
    context.close()


def test_without_javascript_no_button_shows(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    assert not page.locator(".kkbc-dengar").is_visible()
    context.close()
