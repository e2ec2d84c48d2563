/* Progressive extras for the public site (and the form pages). Every page works without it:
   - the large-text switch (适老化) toggles in place instead of asking the server;
   - live seats on course pages from the form service (/api/courses/<id>/availability);
   - combined filters on catalogue pages (the filter links work without it).
   Written in ES5 so older phone browsers (WeChat's X5 kernel) run it too. */
(function () {
  "use strict";

  function seatsLeft(data) {
    var keys = ["seats_left", "remaining", "available"];
    for (var i = 0; i < keys.length; i++) {
      if (typeof data[keys[i]] === "number") return data[keys[i]];
    }
    return null;
  }

  function showSeats(element) {
    var course = element.getAttribute("data-course");
    var capacity = element.getAttribute("data-capacity");
    if (!course || !window.XMLHttpRequest) return;
    var request = new XMLHttpRequest();
    request.open("GET", "/api/courses/" + encodeURIComponent(course) + "/availability");
    request.setRequestHeader("Accept", "application/json");
    request.timeout = 8000;
    request.onload = function () {
      if (request.status !== 200) return;
      var left;
      try {
        left = seatsLeft(JSON.parse(request.responseText));
      } catch (error) {
        return;
      }
      if (left === null) return;
      element.textContent = left > 0
        ? "还剩 " + left + " 个名额(共 " + capacity + " 个)"
        : "名额已满(共 " + capacity + " 个),可以登记候补";
      element.className += " portal-seats--live";
    };
    request.send();
  }

  function option(select, value, label) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = label;
    select.appendChild(item);
  }

  function filterForm(container) {
    var cards = document.querySelectorAll(".portal-card");
    if (cards.length < 2) return;
    var dimensions = [
      { key: "kind", label: "类别", values: { skills: "技能培训", housekeeping: "家政培训", entrepreneurship: "创业培训" } },
      { key: "state", label: "状态", values: { open: "报名中", closing: "即将截止", full: "已满", closed: "已截止", ended: "已结束" } }
    ];
    var selects = [];
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    dimensions.forEach(function (dimension) {
      var present = {};
      Array.prototype.forEach.call(cards, function (card) {
        present[card.getAttribute("data-" + dimension.key)] = true;
      });
      var label = document.createElement("label");
      label.textContent = "本页" + dimension.label;
      var select = document.createElement("select");
      select.setAttribute("data-key", dimension.key);
      option(select, "", "全部");
      Object.keys(dimension.values).forEach(function (value) {
        if (present[value]) option(select, value, dimension.values[value]);
      });
      select.addEventListener("change", apply);
      label.appendChild(select);
      container.appendChild(label);
      selects.push(select);
    });
    container.appendChild(status);
    container.hidden = false;

    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(cards, function (card) {
        var match = selects.every(function (select) {
          return !select.value || card.getAttribute("data-" + select.getAttribute("data-key")) === select.value;
        });
        card.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = "本页显示 " + shown + " 个课程";
    }
  }

  // 适老化: the large-text switch works in place; the cookie tells the next page (and the
  // form service, which marks its pages itself) what the person chose.
  var LARGE = "portal-large";

  function setLarge(on) {
    var root = document.documentElement;
    var classes = (" " + root.className + " ").replace(" " + LARGE + " ", " ");
    root.className = (classes + (on ? LARGE : "")).replace(/^\s+|\s+$/g, "");
    document.cookie = on
      ? "portal_large=1; path=/; max-age=31536000; SameSite=Lax"
      : "portal_large=; path=/; max-age=0; SameSite=Lax";
  }

  function largeSwitch(link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var on = link.getAttribute("data-portal-large") === "1";
      setLarge(on);
      var other = document.querySelector("[data-portal-large='" + (on ? "0" : "1") + "']");
      if (other) other.focus();
    });
  }

  function start() {
    var large = /(?:^|;\s*)portal_large=1(?:;|$)/.test(document.cookie);
    if (large !== (" " + document.documentElement.className + " ").indexOf(" " + LARGE + " ") >= 0) {
      setLarge(large);
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-portal-large]"), largeSwitch);
    Array.prototype.forEach.call(document.querySelectorAll(".portal-seats[data-course]"), showSeats);
    var container = document.querySelector("[data-portal-filter]");
    if (container) filterForm(container);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
