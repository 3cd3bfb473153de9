/* The main menu on a phone (templates/base.html, static/css/sikap.css).
 *
 * Without JavaScript the "Menu" control is a link to #menu and CSS :target opens the list.
 * This script turns it into a toggle button (aria-expanded), closes the list with Escape and
 * marks the link of the current section with aria-current="page". No inline code: the CSP
 * allows scripts from 'self' only. */
(function () {
  "use strict";
  var link = document.querySelector(".menu-toggle");
  var nav = document.getElementById("menu");
  if (!link || !nav) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.setAttribute("aria-controls", "menu");
  button.setAttribute("aria-expanded", "false");
  while (link.firstChild) {
    button.appendChild(link.firstChild);
  }
  link.parentNode.replaceChild(button, link);
  document.documentElement.classList.add("js-menu");

  function setOpen(open) {
    nav.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(!nav.classList.contains("is-open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("is-open")) {
      setOpen(false);
      button.focus();
    }
  });

  // The section we are in: the longest menu path that starts the current path.
  var best = null;
  var here = window.location.pathname;
  nav.querySelectorAll("a[href^='/']").forEach(function (a) {
    var path = a.getAttribute("href");
    if ((path === "/" ? here === "/" : here.indexOf(path) === 0) &&
        (!best || path.length > best.getAttribute("href").length)) {
      best = a;
    }
  });
  if (best) {
    best.setAttribute("aria-current", "page");
  }
})();
