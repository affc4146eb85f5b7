"""Every button keeps at least 4.5:1 contrast in every state: at rest, focused,
hovered, pressed, and after a tap on a touchscreen (where hover and focus stay).

Contrast is computed from the colours Chromium computes, against the first
opaque background behind the button, once every transition has finished."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

BUTTONS = [
    ("/", "article a.md-button--primary"),                      # Daftar minat
    ("/", "article a.md-button:not(.md-button--primary)"),      # Hitung dengan SHU Anda
    ("/kalkulator/", "#kalkulator button[type=submit]"),         # Hitung
    ("/biaya/", ".kkbc-langkah a.md-button"),                    # the next step on every page
    ("/daftar/", "form button[type=submit]"),                    # Kirim, on the portal
]

CONTRAST = """el => {
  function rgba(text) {
    const m = text.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  }
  function over(top, under) {
    const a = top.a;
    return {r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a), b: top.b * a + under.b * (1 - a), a: 1};
  }
  function background(node) {
    const layers = [];
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c.a > 0) layers.push(c);
      if (c.a === 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), {r: 255, g: 255, b: 255, a: 1});
  }
  function luminance(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  const back = background(el);
  const fore = over(rgba(getComputedStyle(el).color), back);
  const [hi, lo] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""

SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"
# A tap must not leave the page: the state after it is what is measured.
STAY = "el => { el.addEventListener('click', e => e.preventDefault()); }"


def contrast(page, button) -> float:
    page.wait_for_function(SETTLED)
    return button.evaluate(CONTRAST)


@pytest.mark.parametrize("path,selector", BUTTONS)
def test_button_contrast_in_every_state(browser, live_server, path, selector):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(live_server + path)
    button = page.locator(selector).first
    button.evaluate(STAY)
    states = {"rest": contrast(page, button)}
    button.focus()
    states["focus"] = contrast(page, button)
    button.evaluate("el => el.blur()")
    button.hover()
    states["hover"] = contrast(page, button)
    page.mouse.down()
    states["active"] = contrast(page, button)
    page.mouse.up()
    page.mouse.move(0, 0)
    button.evaluate("el => el.blur()")
    button.tap()
    states["after tap"] = contrast(page, button)
    context.close()
    weak = {state: round(ratio, 2) for state, ratio in states.items() if ratio < 4.5}
    assert weak == {}, f"{path} {selector}: {states}"
