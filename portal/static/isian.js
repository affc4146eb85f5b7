/* Keep what a member types on the public form on this phone, so a reload or a
   dropped connection loses nothing. Stored in localStorage only: nothing leaves
   the phone before Kirim. Cleared by "Hapus isian", by the receipt page after a
   successful submission, and after a day. Consent boxes are never saved or
   restored: consent must be given afresh, by whoever holds the phone now. */
(function () {
  "use strict";
  var PREFIX = "kkbc-isian:";
  var DAY = 24 * 60 * 60 * 1000;
  var NEVER = ["csrf_token", "formulir", "situs_web", "usia_18", "setuju_dihubungi", "setuju_data"];
  var store;
  try {
    store = window.localStorage;
    store.getItem(PREFIX);
  } catch (e) {
    return; // storage blocked (private mode, settings): the form works as without JavaScript
  }

  function forgetAll() {
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) store.removeItem(k);
    }
  }

  if (document.querySelector("[data-isian-terkirim]")) {
    forgetAll();
    return;
  }
  var form = document.querySelector("form[data-simpan-isian]");
  if (!form) return;
  var key = PREFIX + window.location.pathname;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && NEVER.indexOf(el.name) < 0 && el.type !== "hidden" && el.type !== "submit" &&
        el.type !== "button";
    });
  }

  function save() {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (!values[el.name]) values[el.name] = [];
        if (el.checked) values[el.name].push(el.value);
      } else {
        values[el.name] = el.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify({ t: Date.now(), v: values }));
    } catch (e) { /* storage full: keep working without it */ }
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved.t !== "number" || Date.now() - saved.t > DAY) {
      store.removeItem(key);
      return;
    }
    fields().forEach(function (el) {
      var value = saved.v[el.name];
      if (value === undefined) return;
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) >= 0;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  // After a refused submission the page already shows what was sent: keep that.
  if (!document.querySelector(".portal-error-summary")) restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  var note = document.querySelector("[data-isian-catatan]");
  if (note) {
    note.hidden = false;
    note.querySelector("button").addEventListener("click", function () {
      store.removeItem(key);
      form.reset();
      fields().forEach(function (el) {
        if (el.type === "text" || el.type === "tel") el.value = "";
      });
      var first = form.querySelector("input[type=text], input[type=tel]");
      if (first) first.focus();
    });
  }
})();
