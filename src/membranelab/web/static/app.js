// membranelab serve: answer without reloading, live preview, hints, the worked solution.
// Plain JavaScript; every form also works without it (the server renders the page).
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || "";

  // A displayed equation wider than its box is set smaller, down to MIN_FIT of its size; past
  // that it scrolls inside its own box (style.css), never the page.
  var MIN_FIT = 0.7;
  function fitDisplays(root) {
    (root || document).querySelectorAll('mjx-container[display="true"], .preview .tex mjx-container').forEach(function (box) {
      var math = box.querySelector("mjx-math");
      var frame = box.closest(".math.display, .preview .tex") || box;
      if (!math) { return; }
      math.style.fontSize = "";
      var scale = 1, room = frame.clientWidth - 2;
      for (var i = 0; i < 4 && room > 0 && math.getBoundingClientRect().width > room + 1
           && scale > MIN_FIT; i++) {
        scale = Math.max(MIN_FIT, scale * room / math.getBoundingClientRect().width);
        math.style.fontSize = (100 * scale).toFixed(1) + "%";
      }
    });
  }
  window.membranelabAfterTypeset = fitDisplays;  // mathjax-config.js calls it after the first typesetting
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { fitDisplays(document); }, 150);
  });

  function typeset(el) {
    if (window.MathJax && window.MathJax.typesetPromise) {
      return window.MathJax.typesetPromise([el]).then(function () { fitDisplays(el); })
        .catch(function () {});
    }
    return Promise.resolve();
  }

  function newUid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function post(url, body, json) {
    var headers = {"Accept": "application/json", "X-CSRF-Token": csrf};
    if (json) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(url, {method: "POST", headers: headers, body: body, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (data) { return {status: r.status, data: data}; }); });
  }

  function paragraph(text, cls) {
    var p = document.createElement("p");
    if (cls) { p.className = cls; }
    p.textContent = text;
    return p;
  }

  function showVerdict(section, data) {
    var box = section.querySelector(".feedback");
    box.className = "feedback";
    box.innerHTML = "";
    if (data.refused || data.error) {
      box.classList.add("wrong");
      box.appendChild(paragraph(data.message || data.error));
      return;
    }
    box.classList.add(data.correct ? "right" : (!data.counted ? "unread" : (data.score > 0 ? "partial" : "wrong")));
    box.appendChild(paragraph(data.feedback));
    if (data.hint_note) { box.appendChild(paragraph(data.hint_note, "hint-note")); }
    if (data.late_note) { box.appendChild(paragraph(data.late_note, "late-note")); }
    if (data.expected) { box.appendChild(paragraph(data.expected, "expected")); }
    var tries = section.querySelector(".tries");
    if (tries && typeof data.left === "number") {
      tries.dataset.left = data.left;
      tries.textContent = tries.textContent.replace(/\d+\s*$/, String(data.left));
    }
    var status = section.querySelector(".part-status");
    if (status && typeof data.status_line === "string") {
      status.textContent = data.status_line;
      status.hidden = !data.status_line;
    }
    var submit = section.querySelector(".answer-form button[type=submit]");
    if (submit && data.button) { submit.textContent = data.button; }
    if (data.finished || data.closed) {
      section.classList.add("finished");
      section.querySelectorAll(".answer-form input, .answer-form button").forEach(function (el) {
        if (el.type !== "hidden") { el.disabled = true; }
      });
    }
    if (data.finished && typeof data.hint_button === "string") {
      var credit = section.querySelector(".hint-credit");
      if (credit) { credit.hidden = true; }
      var hintButton = section.querySelector("form.hint-form button");
      if (hintButton) { hintButton.textContent = data.hint_button; }
    }
    var score = document.getElementById("score-line");
    if (score && data.score_line) { score.textContent = data.score_line; }
  }

  function wireAnswer(form) {
    var section = form.closest("section.part");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(form.action, new FormData(form), false).then(function (reply) {
        showVerdict(section, reply.data);
        form.querySelector('input[name="uid"]').value = newUid();
        if (!reply.data.finished && !reply.data.closed) { button.disabled = false; }
      }).catch(function () {
        showVerdict(section, {error: document.body.dataset.noServer});
        button.disabled = false;
      });
    });
    var input = form.querySelector("input.answer");
    var preview = form.querySelector(".preview");
    if (!input || !preview) { return; }
    var timer = null, asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++asked;
        if (!input.value.trim()) { preview.textContent = ""; return; }
        post("/api/preview", {problem: form.closest("article").dataset.problem,
                              part: section.dataset.part, answer: input.value}, true)
          .then(function (reply) {
            if (mine !== asked) { return; }
            var d = reply.data;
            preview.className = "preview" + (d.ok ? "" : " bad");
            preview.textContent = (d.message || d.error || "") + " ";
            if (d.tex) {
              var span = document.createElement("span");
              span.className = "tex";
              // Display size, every fraction full size: a GHK formula stays legible on a phone.
              span.textContent = "\\(\\displaystyle " + d.tex.replace(/\\frac(?![a-z])/g, "\\dfrac") + "\\)";
              preview.appendChild(span);
            }
            if (d.detail) { preview.appendChild(document.createTextNode(" " + d.detail)); }
            if (d.tex) { typeset(preview); }
          });
      }, 250);
    });
    // A stored answer shown again (reload, restart): its reading is previewed again too.
    if (input.value.trim()) { input.dispatchEvent(new Event("input")); }
  }

  function wireHint(form) {
    var section = form.closest("section.part");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(form.action, new FormData(form), false).then(function (reply) {
        var d = reply.data;
        button.disabled = false;
        if (!d.html) {
          if (d.error) { showVerdict(section, {error: d.error}); }
          return;
        }
        var box = section.querySelector(".hints");
        if (!box.querySelector('[data-hint="' + d.index + '"]')) {
          var div = document.createElement("div");
          div.className = "hint";
          div.dataset.hint = d.index;
          div.innerHTML = "<strong></strong> " + d.html;
          div.querySelector("strong").textContent = d.label;
          box.appendChild(div);
          typeset(div);
        }
        var credit = section.querySelector(".hint-credit");
        if (credit) { credit.textContent = d.credit || ""; credit.hidden = !d.credit; }
        var next = form.querySelector('input[name="n"]');
        if (next && d.n) { next.value = d.n; }
        if (d.button) { button.textContent = d.button; } else { form.remove(); }
      }).catch(function () {
        button.disabled = false;
        showVerdict(section, {error: document.body.dataset.noServer});
      });
    });
  }

  function wireSolution(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!window.confirm(form.dataset.confirm)) { return; }
      var body = new FormData();
      body.append("csrf", csrf);
      body.append("confirm", "yes");
      post(form.action, body, false).then(function (reply) {
        if (!reply.data.html) { return; }
        var target = form.parentNode.querySelector(".solution-body");
        target.innerHTML = reply.data.html;
        form.remove();
        typeset(target);
      });
    });
  }

  document.querySelectorAll("form.answer-form").forEach(wireAnswer);
  document.querySelectorAll("form.hint-form").forEach(wireHint);
  document.querySelectorAll("form.solution-form").forEach(wireSolution);
})();
