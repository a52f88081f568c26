// Recording in the browser with its own recorder (MediaRecorder), no plug-in. The recording
// is put into the form's file field and sent like an uploaded file, so the server treats both
// the same way. Without this script, or without a microphone, the file field still works.
(function () {
  "use strict";
  var form = document.querySelector("form.recorder");
  if (!form || !window.MediaRecorder || !navigator.mediaDevices) return;
  var controls = form.querySelector(".record-controls");
  var input = form.querySelector("input[type=file]");
  var start = form.querySelector("[data-record]");
  var stop = form.querySelector("[data-stop]");
  var elapsed = form.querySelector("[data-elapsed]");
  var preview = form.querySelector("[data-preview]");
  var limit = 600;
  var recorder = null;
  var timer = null;
  controls.hidden = false;

  function clock(seconds) {
    var s = Math.floor(seconds % 60);
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var chunks = [];
      var began = Date.now();
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (event) { chunks.push(event.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        clearInterval(timer);
        var type = recorder.mimeType || "audio/webm";
        var blob = new Blob(chunks, { type: type });
        var name = "recording." + (type.indexOf("ogg") >= 0 ? "ogg" : type.indexOf("mp4") >= 0 ? "m4a" : "webm");
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], name, { type: type }));
        input.files = transfer.files;
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        start.disabled = false;
        stop.disabled = true;
      });
      recorder.start(1000);
      start.disabled = true;
      stop.disabled = false;
      timer = setInterval(function () {
        var seconds = (Date.now() - began) / 1000;
        elapsed.textContent = clock(seconds);
        if (seconds >= limit) recorder.stop();
      }, 500);
    }).catch(function () {
      controls.hidden = true;
    });
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  });
})();
