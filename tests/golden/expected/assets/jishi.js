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
