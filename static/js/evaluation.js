/* The evaluation form (templates/kompetensi/evaluation_form.html).
 *
 * The page works without this script: the counter "3 dari 11 terisi" and the chosen level's
 * description are rendered by the server. Here they follow the radios as they are checked,
 * and the error that lists the unanswered competencies takes the focus after a refused send.
 * No inline code: the CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var form = document.querySelector("form.eval-form");
  if (!form) {
    return;
  }
  var fieldsets = form.querySelectorAll("fieldset.eval-competency");
  var counter = document.getElementById("eval-counter");
  var done = counter ? counter.querySelector(".eval-done") : null;
  var bar = form.querySelector("progress.eval-bar");

  function showChosen(fieldset) {
    var checked = fieldset.querySelector("input[type=radio]:checked");
    if (!checked) {
      return;
    }
    var describedBy = document.getElementById(checked.getAttribute("aria-describedby"));
    var label = fieldset.querySelector("label[for='" + checked.id + "']");
    var chosen = fieldset.querySelector(".eval-chosen");
    if (!chosen) {
      chosen = document.createElement("p");
      chosen.className = "eval-chosen small";
      fieldset.querySelector(".eval-scale").insertAdjacentElement("afterend", chosen);
    }
    var word = label ? label.querySelector(".eval-choice-word") : null;
    var prefix = (word ? word.textContent.trim() : "Level") + " " + checked.value;
    chosen.textContent = prefix + ": " + (describedBy ? describedBy.textContent.trim() : "");
  }

  function update() {
    var n = 0;
    for (var i = 0; i < fieldsets.length; i++) {
      var answered = fieldsets[i].querySelector("input[type=radio]:checked") !== null;
      if (answered) {
        n += 1;
      }
      fieldsets[i].classList.toggle("is-answered", answered);
    }
    if (done) {
      done.textContent = String(n);
    }
    if (bar) {
      bar.value = n;
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.type === "radio") {
      var fieldset = target.closest("fieldset.eval-competency");
      if (fieldset) {
        showChosen(fieldset);
      }
      update();
    }
  });
  update();

  var errors = document.getElementById("kesalahan");
  if (errors) {
    errors.focus();
  }
})();
