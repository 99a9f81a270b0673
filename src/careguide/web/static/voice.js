// The voice page: one button records a turn (MediaRecorder), the server transcribes it, the
// assistant answers, and the answer is shown and played. No inline script (the CSP forbids it);
// every word shown comes from the page's data-text-* attributes, already in the person's language.
"use strict";

(function () {
  const page = document.getElementById("voice");
  if (!page) return;
  const data = page.dataset;
  const lang = data.lang === "zh" ? "zh" : "en";
  const talk = document.getElementById("talk");
  const status = document.getElementById("voice-status");
  const errorBox = document.getElementById("voice-error");
  const heard = document.getElementById("heard");
  const transcript = document.getElementById("transcript");
  const reply = document.getElementById("reply");
  const answer = document.getElementById("answer");
  const hint = document.getElementById("answer-hint");
  const options = document.getElementById("voice-options");
  const player = document.getElementById("answer-audio");
  const typeForm = document.getElementById("voice-type-form");
  const typed = document.getElementById("voice-text");
  const maxMs = (parseInt(data.maxSeconds, 10) || 120) * 1000;
  // Chrome/Firefox record WebM/Opus, Safari on iPhone MP4/AAC; the server decodes all of them.
  const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/mp4", "audio/ogg;codecs=opus"];

  let conversationId = null;
  let recorder = null;
  let chunks = [];
  let stopTimer = null;
  let busy = false;

  function setStatus(text) { if (status) status.textContent = text; }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function setBusy(value) {
    busy = value;
    if (talk) talk.disabled = value;
    document.getElementById("voice-send").disabled = value;
  }

  async function api(path, init) {
    const headers = Object.assign({ "X-CSRF-Token": data.csrf, "Accept": "application/json" }, init.headers || {});
    let response;
    try {
      response = await fetch(path, Object.assign({}, init, { headers: headers, credentials: "same-origin" }));
    } catch (err) {
      throw new Error(data.textConnection);
    }
    if (!response.ok) {
      let message = data.textConnection;
      try { message = (await response.json()).error.message || message; } catch (err) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }

  async function conversation() {
    if (conversationId) return conversationId;
    const response = await api("/api/v1/chat/conversations", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
    });
    conversationId = (await response.json()).id;
    return conversationId;
  }

  function showAnswer(turn) {
    answer.replaceChildren();
    for (const paragraph of (turn.answer || "").split("\n\n")) {
      if (!paragraph.trim()) continue;
      const p = document.createElement("p");
      p.textContent = paragraph;
      answer.appendChild(p);
    }
    reply.classList.toggle("emergency-answer", Boolean(turn.emergency));
    options.replaceChildren();
    const ids = (turn.options || []).map(function (o) { return o.id; });
    hint.hidden = !(ids.includes("yes") && ids.includes("no"));
    for (const option of turn.options || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "primary big option";
      button.textContent = option.label || option.id;
      button.addEventListener("click", function () { sendTyped(option.label || option.id); });
      options.appendChild(button);
    }
    reply.hidden = false;
  }

  function play(blob) {
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(blob);
    player.hidden = false;
    player.play().catch(function () { /* autoplay refused: the controls are there */ });
  }

  function wavFromBase64(text) {
    const bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
    return new Blob([bytes], { type: "audio/wav" });
  }

  async function speakText(text) {
    if (data.canSpeak !== "true" || !text) return;
    try {
      const response = await api("/api/v1/voice/speak", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text.slice(0, 1200), lang: lang }),
      });
      play(await response.blob());
    } catch (err) { /* the answer is on the screen */ }
  }

  async function sendTyped(text) {
    if (busy || !text.trim()) return;
    setBusy(true);
    showError("");
    setStatus(data.textThinking);
    try {
      const id = await conversation();
      const response = await api("/api/v1/chat/conversations/" + id + "/messages", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text, lang: lang }),
      });
      const turn = await response.json();
      transcript.textContent = text;
      heard.hidden = false;
      showAnswer(turn);
      typed.value = "";
      await speakText(turn.answer);
    } catch (err) {
      showError(err.message);
    } finally {
      setBusy(false);
      setStatus(data.textReady);
    }
  }

  async function sendRecording(blob) {
    setBusy(true);
    setStatus(data.textThinking);
    try {
      const id = await conversation();
      const form = new FormData();
      const extension = blob.type.includes("mp4") ? "mp4" : blob.type.includes("ogg") ? "ogg" : "webm";
      form.append("audio", blob, "turn." + extension);
      form.append("language", lang);
      const response = await api("/api/v1/voice/conversations/" + id + "/turn", { method: "POST", body: form });
      const body = await response.json();
      transcript.textContent = body.transcript;
      heard.hidden = false;
      showAnswer(body.turn);
      if (body.audio_wav_base64) play(wavFromBase64(body.audio_wav_base64));
    } catch (err) {
      showError(err.message);
    } finally {
      setBusy(false);
      setStatus(data.textReady);
    }
  }

  async function start() {
    showError("");
    player.pause();  // the microphone must not hear the last answer
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    } catch (err) {
      showError(err && err.name === "NotAllowedError" ? data.textDenied : data.textNoMicrophone);
      return;
    }
    const mimeType = TYPES.find(function (t) { return MediaRecorder.isTypeSupported(t); });
    recorder = mimeType ? new MediaRecorder(stream, { mimeType: mimeType }) : new MediaRecorder(stream);
    chunks = [];
    recorder.addEventListener("dataavailable", function (event) { if (event.data.size) chunks.push(event.data); });
    recorder.addEventListener("stop", function () {
      stream.getTracks().forEach(function (track) { track.stop(); });
      const blob = new Blob(chunks, { type: recorder.mimeType || mimeType || "audio/webm" });
      recorder = null;
      sendRecording(blob);
    });
    recorder.start(250);
    talk.textContent = data.textStop;
    talk.setAttribute("aria-pressed", "true");
    talk.classList.add("listening");
    setStatus(data.textListening);
    stopTimer = setTimeout(stop, maxMs);  // the server refuses longer turns: stop before that
  }

  function stop() {
    clearTimeout(stopTimer);
    talk.textContent = data.textStart;
    talk.setAttribute("aria-pressed", "false");
    talk.classList.remove("listening");
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  typeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    sendTyped(typed.value);
  });

  if (!talk) return;  // no engine listens in this language: the page offers typing only
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
    showError(data.textNoMicrophone);
    return;
  }
  talk.addEventListener("click", function () {
    if (recorder) stop();
    else if (!busy) start();
  });
  talk.disabled = false;
})();
