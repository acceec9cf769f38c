// Progressive enhancement only: the pages read fully without JavaScript.
// When a reader switches language, keep their place: carry the section they are reading.
(function () {
  "use strict";
  function currentSection() {
    var sections = document.querySelectorAll("section[id]");
    var chosen = null;
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().top <= window.innerHeight * 0.3) chosen = sections[i];
    }
    return chosen;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-keep-place]") : null;
    if (!link) return;
    var section = currentSection();
    if (!section) return;
    var url = link.getAttribute("href").split("#")[0];
    link.setAttribute("href", url + "#" + section.id);
  });
})();

// A photo opens full size in a <dialog> (click, tap, Enter or Space on it); Escape, the close
// button or a click beside the photo closes it and gives the focus back. Without JavaScript the
// photo is a plain link to the same file.
(function () {
  "use strict";
  var dialog = null;
  var opener = null;
  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "lightbox-close";
    close.textContent = /^zh/.test(document.documentElement.lang) ? "关闭" : "Close";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(close);
    dialog.appendChild(document.createElement("img"));
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();  // the backdrop, beside the photo
    });
    dialog.addEventListener("close", function () {
      if (opener) opener.focus();
    });
    document.body.appendChild(dialog);
  }
  function open(link) {
    if (!window.HTMLDialogElement) return false;  // an old browser follows the link instead
    if (!dialog) build();
    var img = dialog.querySelector("img");
    var inner = link.querySelector("img");
    img.src = link.getAttribute("href");
    img.alt = inner ? inner.alt : "";
    img.width = Number(link.getAttribute("data-width")) || 0;
    img.height = Number(link.getAttribute("data-height")) || 0;
    opener = link;
    dialog.showModal();
    dialog.querySelector("button").focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.photo-open") : null;
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && open(link)) {
      event.preventDefault();
    }
  });
  document.addEventListener("keydown", function (event) {
    // Enter on a link is a click already; Space is what a reader tries on a picture.
    var link = event.target.closest ? event.target.closest("a.photo-open") : null;
    if (link && (event.key === " " || event.key === "Spacebar") && open(link)) {
      event.preventDefault();
    }
  });
})();
