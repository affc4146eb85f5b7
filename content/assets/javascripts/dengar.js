/* "Dengarkan": the page's main text read aloud by the phone's own Indonesian
 * voice. Only a voice with localService (speech made on the device) is used,
 * so no text leaves the phone; without one the buttons stay hidden. */
(function () {
  "use strict";

  var box = document.querySelector(".kkbc-dengar");
  var article = document.querySelector("article.md-content__inner");
  var synth = window.speechSynthesis;
  // Read: headings and prose. Not read: tables, forms, sources, the buttons.
  var SKIP = ".kkbc-dengar, .kkbc-dengar-info, form, table, script, .kkbc-sumber, .headerlink, .md-content__button";
  var READ = "h1, h2, h3, p, li, dt, dd";

  function voice() {
    if (!synth) return null;
    return synth.getVoices().filter(function (v) {
      return v.localService === true && /^id([-_]|$)/i.test(v.lang);
    })[0] || null;
  }

  // The text in reading order, one piece per block (short utterances are
  // spoken more reliably than one long one).
  function pieces() {
    var copy = article.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(SKIP), function (n) { n.remove(); });
    var out = [];
    Array.prototype.forEach.call(copy.querySelectorAll(READ), function (el) {
      Array.prototype.forEach.call(el.querySelectorAll("ul, ol, p"), function (n) { n.remove(); });
      var text = el.textContent.replace(/\s+/g, " ").trim();
      if (text) out.push(text);
    });
    return out;
  }

  window.kkbcDengar = { teks: function () { return article ? pieces() : []; }, suara: voice };
  if (!box || !article || !synth || !window.SpeechSynthesisUtterance) return;

  var start = box.querySelector("[data-dengar=mulai]");
  var pause = box.querySelector("[data-dengar=jeda]");
  var stop = box.querySelector("[data-dengar=berhenti]");

  function playing(on) {
    pause.hidden = stop.hidden = !on;
    start.hidden = on;
    pause.textContent = "Jeda";
  }

  start.addEventListener("click", function () {
    var v = voice();
    if (!v) return;
    synth.cancel();
    var list = pieces();
    list.forEach(function (text, i) {
      var u = new SpeechSynthesisUtterance(text);
      u.voice = v;
      u.lang = v.lang;
      if (i === list.length - 1) u.onend = function () { playing(false); };
      synth.speak(u);
    });
    playing(true);
  });
  pause.addEventListener("click", function () {
    if (synth.paused) { synth.resume(); pause.textContent = "Jeda"; }
    else { synth.pause(); pause.textContent = "Lanjutkan"; }
  });
  stop.addEventListener("click", function () { synth.cancel(); playing(false); start.focus(); });

  var info = document.querySelector(".kkbc-dengar-info");
  var settled = false;
  function offer() {
    var v = voice();
    box.hidden = !v;
    // Say why there is no button only once the voices had time to arrive.
    if (info) info.hidden = !!v || !(settled || synth.getVoices().length);
  }
  offer();
  // Voices often arrive after the page has loaded.
  if (synth.addEventListener) synth.addEventListener("voiceschanged", offer);
  setTimeout(function () { settled = true; offer(); }, 1500);
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
