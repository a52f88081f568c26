// Transcripts that follow the audio: clicking a line's time plays the recording from there,
// and the line being spoken is marked. Without this script each time links to the recording
// at that moment (a media fragment), and the page works the same otherwise.
(function () {
  "use strict";
  document.querySelectorAll("audio[data-follow]").forEach(function (audio) {
    var list = document.getElementById(audio.getAttribute("data-follow"));
    if (!list) return;
    var lines = Array.prototype.slice.call(list.querySelectorAll("li[data-start]"));
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-seek]");
      if (!link) return;
      event.preventDefault();
      audio.currentTime = Number(link.getAttribute("data-seek")) / 1000;
      audio.play();
    });
    audio.addEventListener("timeupdate", function () {
      var now = audio.currentTime * 1000;
      lines.forEach(function (line) {
        var on = now >= Number(line.dataset.start) && now < Number(line.dataset.end);
        if (on) line.setAttribute("aria-current", "true");
        else line.removeAttribute("aria-current");
      });
    });
  });
})();
