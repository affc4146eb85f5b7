/* Contributions month by month, and every "this month" figure, computed on
 * the reader's phone for the current month in NTT (WITA, UTC+8).
 *
 * The arithmetic mirrors kkbc/rates.py: the rate in force each month, each
 * programme rounded half up to whole rupiah. The rates are data/rates.yml,
 * embedded in the page by the build (hooks/render_iuran.py). Blocks marked
 * data-kkbc-kini were written for the build month; this rewrites them for
 * today, so a figure stays true without a rebuild. Nothing is sent anywhere. */
(function () {
  "use strict";

  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember"];
  var LIMIT = 600; // months; the same cap as kkbc.rates.months_of_cover

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

  // WITA has no daylight saving: the month in NTT is the UTC month 8 hours on.
  function now() {
    var d = new Date(Date.now() + 8 * 3600 * 1000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
  }

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

  // Consecutive months with equal values, as [first, last, value, count].
  function runs(months, key) {
    var out = [];
    months.forEach(function (m) {
      var k = key(m), last = out[out.length - 1];
      if (last && last[2] === k) { last[1] = m; last[3] += 1; }
      else out.push([m, m, k, 1]);
    });
    return out;
  }
  function period(a, b) { return compare(a, b) === 0 ? label(a) : label(a) + " sampai " + label(b); }

  // The first month with no temporary cut (render_iuran.normal_month).
  function normalMonth(rates) {
    var end = null;
    (rates.discounts || []).forEach(function (d) {
      Object.keys(d.periods).forEach(function (s) {
        var last = parseMonth(d.periods[s].last);
        if (!end || compare(last, end) > 0) end = last;
      });
    });
    return end ? next(end) : now();
  }

  var source = document.getElementById("kkbc-iuran");
  var rates = source ? JSON.parse(source.textContent) : null;
  window.kkbcIuran = {
    rates: rates, now: now, label: label, iso: iso, next: next, compare: compare,
    parseMonth: parseMonth, rupiah: rupiah, monthlyCost: monthlyCost, cover: cover,
    runs: runs, period: period
  };
  if (!rates) return;
  var today = now();
  var sectors = Object.keys(rates.sectors);

  function cells(values) {
    return values.map(function (v) { return "<td>" + rupiah(v) + "</td>"; }).join("");
  }

  // "Iuran bulan ini" per sector.
  Array.prototype.forEach.call(document.querySelectorAll("[data-kkbc-kini=cost-now]"), function (list) {
    var pkg = list.getAttribute("data-paket");
    Array.prototype.forEach.call(list.querySelectorAll("[data-kkbc-sektor]"), function (el) {
      el.textContent = rupiah(monthlyCost(rates, pkg, today, el.getAttribute("data-kkbc-sektor")));
    });
    Array.prototype.forEach.call(list.querySelectorAll("[data-kkbc-kini=bulan]"), function (el) {
      el.textContent = label(today);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-kkbc-kini=dihitung]"), function (note) {
    note.innerHTML = "Angka \u201cbulan ini\u201d dihitung di ponsel Anda untuk <strong>" + label(today) +
      "</strong> (waktu WITA).";
  });

  // Month by month from this month, always reaching the first month after every cut.
  Array.prototype.forEach.call(document.querySelectorAll("table[data-kkbc-kini=bulanan]"), function (table) {
    var pkg = table.getAttribute("data-paket"), normal = normalMonth(rates);
    var atLeast = parseInt(table.getAttribute("data-bulan"), 10) || 12;
    var months = [today];
    while (months.length < atLeast || compare(months[months.length - 1], normal) < 0) {
      months.push(next(months[months.length - 1]));
    }
    var rows = runs(months, function (m) {
      return sectors.map(function (s) { return monthlyCost(rates, pkg, m, s); }).join(",");
    });
    table.tBodies[0].innerHTML = rows.map(function (r, i) {
      var when = i === rows.length - 1 && compare(r[0], normal) >= 0
        ? label(r[0]) + " dan seterusnya" : period(r[0], r[1]);
      return "<tr><th scope=\"row\">" + when + "</th>" + cells(r[2].split(",").map(Number)) + "</tr>";
    }).join("");
  });

  // This calendar year and the next, each the sum of its twelve months.
  Array.prototype.forEach.call(document.querySelectorAll("table[data-kkbc-kini=tahunan]"), function (table) {
    var pkg = table.getAttribute("data-paket"), years = [today.year, today.year + 1];
    var heads = table.tHead.rows[0].cells;
    heads[1].textContent = years[0];
    heads[2].textContent = years[1];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
      var sector = sectors[i];
      years.forEach(function (year, j) {
        var months = [];
        for (var m = 1; m <= 12; m++) months.push({ year: year, month: m });
        var parts = runs(months, function (x) { return monthlyCost(rates, pkg, x, sector); });
        var total = parts.reduce(function (sum, p) { return sum + p[3] * p[2]; }, 0);
        row.cells[j + 1].innerHTML = "<strong>" + rupiah(total) + "</strong><br><small>" +
          parts.map(function (p) { return p[3] + " \u00d7 " + rupiah(p[2]); }).join(" + ") + "</small>";
      });
    });
  });
})();
