// The facilitator's remote: big buttons that POST the run screen's own controls, and what
// the room sees now. Uses room.js (loaded first) for the stream, the clock and the times.
"use strict";

(() => {
  const Room = window.SessionRoom;
  const el = Room.el;
  let state = null;
  let busy = false;

  // Which controls the run takes now, as schedule.next_events_allowed decides them; the
  // server checks again, so a stale page gets a one-line refusal, never a wrong change.
  const allowed = () => {
    const can = new Set(["broadcast"]);
    if (!state) return can;
    if (state.broadcast) can.add("clear_broadcast");
    const current = state.agenda.findIndex((item) => item.state === "current");
    if (state.status === "planned") {
      can.add("start");
    } else if (state.status === "finished") {
      if (state.agenda.some((item) => item.state === "done")) can.add("back");
    } else {
      for (const action of ["next", "extend"]) can.add(action);
      can.add(state.status === "running" ? "pause" : "resume");
      if (current > 0) can.add("back");
    }
    return can;
  };

  const render = () => {
    const can = allowed();
    document.body.dataset.status = state.status;
    document.body.dataset.phase = state.clock ? state.clock.phase : "";
    Room.setText(el("title"), state.title);
    const toggle = el("pause-resume");
    const paused = state.status === "paused";
    toggle.dataset.action = paused ? "resume" : "pause";
    Room.setText(toggle, paused ? "Resume" : "Pause");
    for (const button of document.querySelectorAll("button[data-action]")) {
      button.disabled = busy || !can.has(button.dataset.action);
    }

    const item = state.current;
    if (state.status === "planned") {
      Room.setText(el("now-title"), `Not started: starts at ${Room.hhmm(state.starts_at)}`);
    } else if (state.status === "finished") {
      Room.setText(el("now-title"), "Finished");
    } else {
      Room.setText(el("now-title"), item ? item.title : "");
    }
    Room.setText(el("clock-label"), Room.clockLabel(state.clock));
    const words = { planned: "Not started", running: "Running", paused: "Paused",
      finished: "Finished" }[state.status];
    const drift = state.status === "planned" ? "" : ` · ${Room.driftText(state.drift_seconds)}`;
    Room.setText(el("status-line"),
      `${words}${drift} · finishes at ${Room.hhmm(state.finishes_at)}`);
    Room.setText(el("next-line"),
      state.next ? `Next: ${state.next.title} at ${Room.hhmm(state.next.starts_at)}` : "Next: nothing");

    if (state.broadcast) {
      const until = state.broadcast.until
        ? `until ${Room.hhmm(state.broadcast.until)}` : "until cleared";
      Room.setText(el("sees-broadcast"), `“${state.broadcast.text}” (${until})`);
    } else {
      Room.setText(el("sees-broadcast"), "none");
    }
    let ways = "shown, taking turns";
    if (state.ways_hidden) ways = "hidden";
    else if (!state.ways.length) ways = "none in this session";
    else if (state.pinned) ways = `pinned: ${state.pinned}`;
    Room.setText(el("sees-ways"), ways);
    tick();
  };

  const tick = () => {
    if (!state || !state.clock) {
      Room.setText(el("clock-digits"), "");
      return;
    }
    const left = Room.secondsLeft(state.clock.ends_at, state.clock.remaining_seconds);
    document.body.classList.toggle("over", state.status === "running" && left <= 0);
    Room.setDigits(el("clock-digits"), Room.clockText(left));
    // A pairing round: each group size's turn, as the room sees it.
    const turns = state.turns.map((turn) => {
      const who = Room.groupSizeName(turn.group_size);
      if (turn.number > turn.of) return `${who}: every turn done`;
      const turnLeft = Room.clockText(Room.secondsLeft(turn.ends_at, turn.remaining_seconds));
      return `${who}: turn ${turn.number} of ${turn.of}, ${turnLeft}`;
    });
    Room.show(el("turn-line"), turns.length > 0);
    Room.setText(el("turn-line"), turns.length ? `Turns · ${turns.join(" · ")}` : "");
  };

  const showError = (message) => {
    Room.setText(el("error"), message);
  };

  const send = async (body) => {
    busy = true;
    if (state) render();
    try {
      const response = await fetch("/api/control", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        cache: "no-store",
      });
      let reply = null;
      try {
        reply = await response.json();
      } catch (error) {
        reply = null;
      }
      if (!response.ok) {
        const line = reply && reply.error ? reply.error : `the server answered ${response.status}`;
        showError(`Not done: ${line}`);
        return false;
      }
      showError("");
      if (reply && reply.status) {
        state = reply;
        Room.received(state);
      }
      return true;
    } catch (error) {
      showError("Not done: no connection to the server. Try again when it is back.");
      return false;
    } finally {
      busy = false;
      if (state) render();
    }
  };

  for (const button of document.querySelectorAll(".controls button[data-action]")) {
    if (button.type === "submit") continue;
    button.addEventListener("click", () => {
      const body = { action: button.dataset.action };
      if (button.dataset.minutes) body.minutes = Number(button.dataset.minutes);
      send(body);
    });
  }

  el("broadcast-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = el("broadcast-text").value.trim();
    if (!text) {
      showError("Not done: write the message first.");
      el("broadcast-text").focus();
      return;
    }
    const body = { action: "broadcast", text };
    const seconds = el("broadcast-expiry").value;
    if (seconds) body.seconds = Number(seconds);
    if (await send(body)) el("broadcast-text").value = "";
  });

  Room.follow({
    onState: (next) => {
      state = next;
      render();
    },
    onConnection: Room.connectionShower(el("connection")),
    showProblems: true,
  });
  setInterval(tick, 250);
})();
