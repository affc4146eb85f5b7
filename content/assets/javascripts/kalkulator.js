/* SHU calculator: how many months of protection a share of the SHU pays for.
 *
 * The arithmetic is in iuran.js (the twin of kkbc/rates.py), loaded first.
 * The start month defaults to the reader's current month (WITA). Nothing the
 * reader types leaves the phone. */
(function () {
  "use strict";

  var I = window.kkbcIuran;
  var LIMIT = 600;
  var MAX = 100000000000; // Rp100 miliar: more than any SHU, less than a typo

  // What people type for an amount: 500000, 500.000, 500,000, Rp 500.000,
  // 500rb, 500 ribu, 1,5 juta, 2jt, and the price-tag "Rp500.000,-".
  // Returns {value} or {error: "format"|"besar"}.
  function parseAmount(text) {
    var t = String(text).trim().toLowerCase().replace(/^rp\.?\s*/, "").replace(/,-$/, "")
      .replace(/\s+/g, " ");
    var m = /^(\d+(?:[.,]\d+)?) ?(rb|ribu|k|jt|juta)\.?$/.exec(t), n;
    if (m) {
      n = parseFloat(m[1].replace(",", ".")) * (/^(rb|ribu|k)$/.test(m[2]) ? 1e3 : 1e6);
      n = Math.round(n);
    } else if (/^\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$/.test(t) || /^\d+$/.test(t)) {
      n = parseInt(t.replace(/\D/g, ""), 10);
    } else {
      return { error: "format" };
    }
    if (!(n > 0)) return { error: "format" };
    return n > MAX ? { error: "besar" } : { value: n };
  }

  function hitung(rates, c) {
    var r = I.cover(rates, c.jumlah, c.paket, I.parseMonth(c.mulai), c.sektor, c.penghasilan);
    return {
      bulan: r.months.map(function (m) { return [I.iso(m.month), m.cost]; }),
      dibayar: r.paid,
      sisa: r.leftOver
    };
  }

  var form = document.getElementById("kalkulator");
  var rates = I && I.rates;
  window.kkbcKalkulator = { hitung: hitung, rates: rates, baca: parseAmount };
  if (!form || !rates) return;

  var summary = document.getElementById("kalkulator-ringkasan");
  var details = document.getElementById("kalkulator-rincian");
  var partLabel = document.querySelector("label[for=k-bagian]");
  var incomeNote = document.getElementById("k-penghasilan-catatan");

  // Start months from a year back to three years on (render_iuran.start_months),
  // the current month chosen: one list of "Bulan Tahun", so a month can never
  // land in the wrong year.
  (function startMonths() {
    var today = I.now(), m = { year: today.year - 1, month: today.month }, html = "";
    for (var i = 0; i < 12 + 36 + 1; i++) {
      html += "<option value=\"" + I.iso(m) + "\"" + (i === 12 ? " selected" : "") + ">" + I.label(m) + "</option>";
      m = I.next(m);
    }
    form.mulai.innerHTML = html;
  })();

  var TOO_BIG = "Jumlah ini terlalu besar. Paling banyak " + I.rupiah(MAX) + ".";
  function amountMessage(r, what) {
    if (r.error === "besar") return TOO_BIG;
    return r.error ? "Tulis " + what + " dalam rupiah, misalnya 500000, 500.000 atau 500rb." : "";
  }

  function percentInput(text) {
    var m = /^\s*(\d{1,3})\s*%?\s*$/.exec(text);
    var n = m ? parseInt(m[1], 10) : NaN;
    return n >= 1 && n <= 100 ? n : NaN;
  }

  function mark(id, message) {
    var input = document.getElementById(id);
    document.getElementById(id + "-galat").textContent = message || "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    return !message;
  }

  function checked(name) { return form.querySelector("input[name=" + name + "]:checked").value; }

  function read() {
    var shu = parseAmount(form.shu.value);
    var byPercent = checked("cara") === "persen";
    var part = byPercent ? { value: percentInput(form.bagian.value) } : parseAmount(form.bagian.value);
    var income = parseAmount(form.penghasilan.value);
    var ok = [
      mark("k-shu", amountMessage(shu, "SHU Anda")),
      mark("k-bagian", byPercent ? (isNaN(part.value) ? "Isi persen dari 1 sampai 100." : "")
        : amountMessage(part, "bagian SHU") ||
          (shu.value && part.value > shu.value ? "Bagian untuk iuran tidak boleh lebih besar dari SHU." : "")),
      mark("k-penghasilan", income.error === "besar" ? TOO_BIG
        : income.error ? "Tulis penghasilan dalam rupiah, misalnya 1000000 atau 1 juta." : "")
    ];
    // Below the lowest declared income the sum is made on that income, and the
    // reader is told the office decides (FACTS.md: whether lower incomes pay on it is unconfirmed).
    var low = !income.error && income.value < rates.minimum_income;
    incomeNote.textContent = low ? "Penghasilan terendah yang dipakai untuk iuran adalah " +
      I.rupiah(rates.minimum_income) + ". Hitungan ini memakai angka itu. Penghasilan Anda lebih kecil? " +
      "Tanyakan ke kantor BPJS Ketenagakerjaan berapa iuran Anda." : "";
    if (ok.indexOf(false) >= 0) return null;
    return {
      amount: byPercent ? Math.floor(shu.value * part.value / 100) : part.value,
      pkg: checked("paket"),
      sector: checked("sektor"),
      income: low ? rates.minimum_income : income.value,
      start: I.parseMonth(form.mulai.value)
    };
  }

  function cell(tag, text) { return "<" + tag + (tag === "th" ? ' scope="row"' : "") + ">" + text + "</" + tag + ">"; }

  function show(v) {
    var r = I.cover(rates, v.amount, v.pkg, v.start, v.sector, v.income);
    var pkgLabel = rates.packages[v.pkg].label;
    if (!r.months.length) {
      summary.textContent = I.rupiah(v.amount) + " belum cukup untuk iuran satu bulan (" +
        I.rupiah(I.monthlyCost(rates, v.pkg, v.start, v.sector, v.income)) + " pada " + I.label(v.start) + ").";
      details.innerHTML = "";
      return;
    }
    var last = r.months[r.months.length - 1].month;
    summary.innerHTML = "<strong>" + I.rupiah(v.amount) + "</strong> membayar <strong>" + r.months.length +
      " bulan</strong> " + pkgLabel + ", dari " + I.label(v.start) + " sampai <strong>" + I.label(last) +
      "</strong>. " + (r.months.length === LIMIT
        // At the cap the rest is not a remainder: it would pay for more months still.
        ? "Hitungan berhenti di " + LIMIT + " bulan (" + LIMIT / 12 + " tahun). " + I.rupiah(r.leftOver) +
          " belum dihitung dan masih cukup untuk bulan-bulan sesudahnya."
        : "Sisa " + I.rupiah(r.leftOver) + ", tidak cukup untuk satu bulan lagi.");
    var rows = I.runs(r.months.map(function (m) { return m.month; }), function (m) {
      return I.monthlyCost(rates, v.pkg, m, v.sector, v.income);
    });
    details.innerHTML = "<table><caption>Rincian per bulan, dengan iuran yang berlaku tiap bulan</caption>" +
      "<thead><tr><th scope=\"col\">Bulan</th><th scope=\"col\">Iuran per bulan</th>" +
      "<th scope=\"col\">Jumlah</th></tr></thead><tbody>" +
      rows.map(function (x) {
        return "<tr>" + cell("th", I.period(x[0], x[1]) + " (" + x[3] + " bulan)") + cell("td", I.rupiah(x[2])) +
          cell("td", I.rupiah(x[3] * x[2])) + "</tr>";
      }).join("") +
      "</tbody><tfoot><tr>" + cell("th", "Total (" + r.months.length + " bulan)") + cell("td", "") +
      cell("td", I.rupiah(r.paid)) + "</tr></tfoot></table>";
  }

  function relabel() {
    partLabel.textContent = checked("cara") === "persen" ? "Berapa persen dari SHU" : "Berapa rupiah dari SHU";
  }

  function update(event) {
    if (event && event.type === "submit") event.preventDefault();
    relabel();
    var values = read();
    if (values) { show(values); return; }
    summary.textContent = "Periksa isian yang ditandai.";
    details.innerHTML = "";
    if (event && event.type === "submit") {
      var invalid = form.querySelector("[aria-invalid=true]");
      if (invalid) invalid.focus();
    }
  }

  form.addEventListener("submit", update);
  form.addEventListener("change", function (event) {
    // Results follow a finished change; an empty SHU box is not an error yet.
    if (form.shu.value.trim()) update(event);
    else relabel();
  });
  // Shown only now that submitting cannot send anything to the server.
  form.hidden = false;
})();
