/* SHU calculator: how many months of protection a share of the SHU pays for.
 *
 * The arithmetic mirrors portal/rates.py: month by month, with the rate in
 * force each month, each programme rounded half up to whole rupiah. The
 * rates are data/rates.yml, embedded in the page by the build
 * (hooks/render_iuran.py), so nothing here needs changing when a rate does.
 * Nothing the reader types leaves the phone. */
(function () {
  "use strict";

  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember"];
  var LIMIT = 600; // months; the same cap as portal.rates.months_of_cover

  function parseMonth(text) {
    var parts = String(text).split("-");
    return { year: parseInt(parts[0], 10), month: parseInt(parts[1], 10) };
  }
  function compare(a, b) { return a.year - b.year || a.month - b.month; }
  function next(m) {
    return m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 };
  }
  function iso(m) { return m.year + "-" + (m.month < 10 ? "0" : "") + m.month; }
  function label(m) { return MONTHS[m.month - 1] + " " + m.year; }
  function rupiah(n) { return "Rp" + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  // Share (percent) of the normal contribution charged for a programme in a month.
  function discountPercent(rates, programme, month, sector) {
    var percent = 100;
    (rates.discounts || []).forEach(function (d) {
      var period = d.periods[sector];
      if (d.programmes.indexOf(programme) >= 0 && period &&
          compare(parseMonth(period.first), month) <= 0 &&
          compare(month, parseMonth(period.last)) <= 0) {
        percent = Math.min(percent, d.percent);
      }
    });
    return percent;
  }

  // num / den rounded half up, for non-negative integers (Python's ROUND_HALF_UP).
  function roundHalfUp(num, den) {
    var twice = 2 * num + den;
    return (twice - twice % (2 * den)) / (2 * den);
  }

  function programmeCost(rates, programme, month, sector, income) {
    var spec = rates.programmes[programme];
    var percent = discountPercent(rates, programme, month, sector);
    if (spec.flat !== undefined) return roundHalfUp(spec.flat * percent, 100);
    // The rate in hundredths of a percent keeps the arithmetic in whole numbers.
    var hundredths = Math.round(spec.percent_of_income * 100);
    return roundHalfUp(income * hundredths * percent, 1000000);
  }

  function monthlyCost(rates, pkg, month, sector, income) {
    var base = Math.max(income || 0, rates.minimum_income);
    return rates.packages[pkg].programmes.reduce(function (sum, p) {
      return sum + programmeCost(rates, p, month, sector, base);
    }, 0);
  }

  // Whole months from `start` that `amount` pays for, each at its own rate.
  function cover(rates, amount, pkg, start, sector, income) {
    var month = start, left = amount, months = [];
    while (months.length < LIMIT) {
      var cost = monthlyCost(rates, pkg, month, sector, income);
      if (cost > left) break;
      left -= cost;
      months.push({ month: month, cost: cost });
      month = next(month);
    }
    return { months: months, paid: amount - left, leftOver: left };
  }

  // For tests and the curious: the same calculation with plain values.
  function hitung(rates, c) {
    var r = cover(rates, c.jumlah, c.paket, parseMonth(c.mulai), c.sektor, c.penghasilan);
    return {
      bulan: r.months.map(function (m) { return [iso(m.month), m.cost]; }),
      dibayar: r.paid,
      sisa: r.leftOver
    };
  }

  var form = document.getElementById("kalkulator");
  var source = document.getElementById("kkbc-iuran");
  var rates = source ? JSON.parse(source.textContent) : null;
  window.kkbcKalkulator = { hitung: hitung, rates: rates };
  if (!form || !rates) return;

  var summary = document.getElementById("kalkulator-ringkasan");
  var details = document.getElementById("kalkulator-rincian");
  var partLabel = document.querySelector("label[for=k-bagian]");

  function rupiahInput(text) {
    var t = String(text).trim();
    if (!/^(rp\.?)?\s*[\d.\s]+$/i.test(t)) return NaN;
    var n = parseInt(t.replace(/\D/g, ""), 10);
    return n > 0 && n <= 1e11 ? n : NaN;
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
    var shu = rupiahInput(form.shu.value);
    var byPercent = checked("cara") === "persen";
    var part = byPercent ? percentInput(form.bagian.value) : rupiahInput(form.bagian.value);
    var income = rupiahInput(form.penghasilan.value);
    var ok = [
      mark("k-shu", isNaN(shu) ? "Isi SHU Anda dalam rupiah, hanya angka." : ""),
      mark("k-bagian", isNaN(part) ? (byPercent ? "Isi persen dari 1 sampai 100." : "Isi jumlah rupiah, hanya angka.")
        : !byPercent && part > shu ? "Bagian untuk iuran tidak boleh lebih besar dari SHU." : ""),
      mark("k-penghasilan", isNaN(income) || income < rates.minimum_income
        ? "Penghasilan paling rendah " + rupiah(rates.minimum_income) + "." : "")
    ];
    if (ok.indexOf(false) >= 0) return null;
    return {
      amount: byPercent ? Math.floor(shu * part / 100) : part,
      pkg: checked("paket"),
      sector: checked("sektor"),
      income: income,
      start: { year: parseInt(form.tahun.value, 10), month: parseInt(form.bulan.value, 10) }
    };
  }

  function cell(tag, text) { return "<" + tag + (tag === "th" ? ' scope="row"' : "") + ">" + text + "</" + tag + ">"; }

  function show(v) {
    var r = cover(rates, v.amount, v.pkg, v.start, v.sector, v.income);
    var pkgLabel = rates.packages[v.pkg].label;
    if (!r.months.length) {
      summary.textContent = rupiah(v.amount) + " belum cukup untuk iuran satu bulan (" +
        rupiah(monthlyCost(rates, v.pkg, v.start, v.sector, v.income)) + " pada " + label(v.start) + ").";
      details.innerHTML = "";
      return;
    }
    var last = r.months[r.months.length - 1].month;
    summary.innerHTML = "<strong>" + rupiah(v.amount) + "</strong> membayar <strong>" + r.months.length +
      " bulan</strong> " + pkgLabel + ", dari " + label(v.start) + " sampai <strong>" + label(last) +
      "</strong>. Sisa " + rupiah(r.leftOver) + "." +
      (r.months.length === LIMIT ? " Hitungan berhenti di " + LIMIT + " bulan." : "");
    var rows = [], run = null;
    r.months.forEach(function (m) {
      if (run && run.cost === m.cost) { run.last = m.month; run.n += 1; }
      else { run = { first: m.month, last: m.month, cost: m.cost, n: 1 }; rows.push(run); }
    });
    details.innerHTML = "<table><caption>Rincian per bulan, dengan iuran yang berlaku tiap bulan</caption>" +
      "<thead><tr><th scope=\"col\">Bulan</th><th scope=\"col\">Iuran per bulan</th>" +
      "<th scope=\"col\">Jumlah</th></tr></thead><tbody>" +
      rows.map(function (x) {
        var when = compare(x.first, x.last) === 0 ? label(x.first) : label(x.first) + " sampai " + label(x.last);
        return "<tr>" + cell("th", when + " (" + x.n + " bulan)") + cell("td", rupiah(x.cost)) +
          cell("td", rupiah(x.n * x.cost)) + "</tr>";
      }).join("") +
      "</tbody><tfoot><tr>" + cell("th", "Total (" + r.months.length + " bulan)") + cell("td", "") +
      cell("td", rupiah(r.paid)) + "</tr></tfoot></table>";
  }

  function update(event) {
    if (event && event.type === "submit") event.preventDefault();
    partLabel.textContent = checked("cara") === "persen" ? "Berapa persen dari SHU" : "Berapa rupiah dari SHU";
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
    else partLabel.textContent = checked("cara") === "persen" ? "Berapa persen dari SHU" : "Berapa rupiah dari SHU";
  });
  // Shown only now that submitting cannot send anything to the server.
  form.hidden = false;
})();
