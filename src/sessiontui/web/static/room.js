// The room's pages: what both share (the stream of states, the clock, times), then the
// participants' page. The server sends a state only when something changes; the page counts
// the seconds itself from the state's end times, corrected by how far this device's clock is
// from the server's, so a thousand phones cost the server nothing per second.
"use strict";

(() => {
  const Room = {};
  window.SessionRoom = Room;

  Room.el = (id) => document.getElementById(id);

  // The server's clock minus this device's, measured at each state's arrival.
  let offsetMs = 0;
  Room.serverNow = () => Date.now() + offsetMs;
  Room.received = (state) => {
    offsetMs = Date.parse(state.now) - Date.now();
  };

  Room.setText = (element, text) => {
    // Only when it changed: the digits are rewritten four times a second otherwise.
    if (element.textContent !== text) element.textContent = text;
  };

  Room.show = (element, visible) => {
    element.hidden = !visible;
  };

  // Times arrive as offset date-times in the session's zone ("2023-02-16T13:30:00Z"), so
  // their own wall-clock digits are the room's time, whatever zone this phone is set to.
  Room.hhmm = (iso) => (iso ? iso.slice(11, 16) : "");

  Room.dateText = (isoDate) => {
    const date = new Date(isoDate + "T12:00:00Z");
    return date.toLocaleDateString("en-GB", {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    });
  };

  const pad = (number) => String(number).padStart(2, "0");

  const clockDigits = (whole) => {
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    const seconds = whole % 60;
    return hours ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
  };

  // As the run screen words it: whole seconds up, "00:00" for five seconds, then "+03:12".
  Room.clockText = (seconds) => {
    if (seconds > 0) return clockDigits(Math.ceil(seconds - 1e-6));
    const over = -seconds;
    return over < 5 ? "00:00" : "+" + clockDigits(Math.floor(over));
  };

  // The digits' size follows their length (see .digits in room.css).
  Room.setDigits = (element, text) => {
    if (element.textContent === text) return;
    element.textContent = text;
    element.style.setProperty("--chars", String(Math.max(text.length, 5)));
  };

  // The clock's caption under the digits: the server's, except in overtime, where its
  // "OVERTIME +03:12" would stand still (the page counts the seconds, not the server).
  Room.clockLabel = (clock) => {
    if (!clock) return "";
    return clock.phase === "overtime" ? "OVERTIME" : clock.label;
  };

  Room.minutesText = (minutes) => (minutes === 1 ? "1 minute" : `${minutes} minutes`);

  // Seconds left on a clock: counted from its end time while it moves, else as sent.
  Room.secondsLeft = (endsAt, remainingSeconds) =>
    endsAt ? (Date.parse(endsAt) - Room.serverNow()) / 1000 : remainingSeconds;

  Room.groupSizeName = (size) =>
    ({ 2: "pairs", 3: "threes", 4: "fours", 5: "fives", 6: "sixes" })[size] || `groups of ${size}`;

  Room.driftText = (seconds) => {
    const minutes = Math.floor(Math.abs(seconds) / 60);
    if (minutes < 1) return "on time";
    const size = minutes >= 60
      ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`
      : `${minutes} min`;
    return `${size} ${seconds > 0 ? "behind" : "ahead"}`;
  };

  // The state the server embedded in the page when it served it (data, never run), or null.
  // Its `now` is the server's time at serving, so the clock is corrected by it as by a
  // streamed state's.
  Room.initialState = () => {
    const element = Room.el("initial-state");
    if (!element) return null;
    try {
      const state = JSON.parse(element.textContent);
      return state && typeof state === "object" && state.status ? state : null;
    } catch (error) {
      return null;
    }
  };

  // Follow the room: the state the page came with at once, then a state at connect and at
  // every change. The browser retries a dropped stream by itself; one the server refused (a
  // restart with new tokens, a full room) it does not, so that is retried here, less and
  // less often.
  //
  // `problem` events (the session file cannot be read; the server keeps its last good state)
  // are shown only where `showProblems` is set: the facilitator can fix the file, the room
  // cannot. The server says a problem once, before that version's state, and a null error
  // when it is fixed; a later state clears it too, for a reconnect that missed the all-clear.
  Room.follow = ({ onState, onConnection, showProblems = false }) => {
    let source = null;
    let retryMs = 1000;
    let timer = null;
    let problem = "";
    let problemJustSaid = false;
    const connected = () => {
      if (problem) onConnection("problem", problem);
      else onConnection("live");
    };

    // Why the server refused the stream, in its one line (or ours for a stale link).
    const why = async () => {
      try {
        const response = await fetch("/api/state", { cache: "no-store" });
        if (response.status === 403) {
          return {
            refused: true,
            text: "This link no longer works: open the link or scan the QR code again.",
          };
        }
        if (!response.ok) {
          const body = await response.json();
          return { refused: false, text: body.error || "" };
        }
      } catch (error) {
        // No answer at all: the server is away, and "Reconnecting…" says so.
      }
      return { refused: false, text: "" };
    };

    const open = () => {
      timer = null;
      source = new EventSource("/api/events");
      source.addEventListener("open", () => {
        retryMs = 1000;
        connected();
      });
      source.addEventListener("state", (event) => {
        let state;
        try {
          state = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        Room.received(state);
        if (!problemJustSaid) problem = "";
        problemJustSaid = false;
        connected();
        onState(state);
      });
      source.addEventListener("problem", (event) => {
        if (!showProblems) return;
        try {
          problem = String(JSON.parse(event.data).error || "");
        } catch (error) {
          problem = "";
        }
        problemJustSaid = Boolean(problem);
        connected();
      });
      source.addEventListener("error", async () => {
        onConnection("reconnecting");
        if (source.readyState !== EventSource.CLOSED || timer !== null) return;
        source.close();
        const reason = await why();
        if (reason.refused) onConnection("refused", reason.text);
        else if (reason.text) onConnection("reconnecting", reason.text);
        timer = setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 30000);
      });
    };

    // Drawn before the stream connects: a phone on a busy network shows the session at once
    // rather than "Connecting…" (which stays until the stream is live, as it is not yet).
    const initial = Room.initialState();
    if (initial) {
      Room.received(initial);
      onState(initial);
    }

    document.addEventListener("visibilitychange", () => {
      // A phone that slept may have lost the stream without telling: reconnect at once.
      if (document.visibilityState !== "visible") return;
      if (source && source.readyState === EventSource.CLOSED) {
        if (timer !== null) clearTimeout(timer);
        retryMs = 1000;
        open();
      }
    });
    open();
  };

  // "Reconnecting…" is shown in the page (a role=status line) for as long as it lasts.
  Room.connectionShower = (element) => (status, detail) => {
    document.body.dataset.connection = status;
    if (status === "live") {
      Room.setText(element, "Live");
    } else if (status === "problem" || status === "refused") {
      Room.setText(element, detail);
    } else {
      Room.setText(element, detail ? `Reconnecting… ${detail}` : "Reconnecting…");
    }
  };

  if (document.body.dataset.page === "room") participantsPage(Room);
})();

function participantsPage(Room) {
  const el = Room.el;
  const NAME_KEY = "sessiontui.room.name";
  let state = null;
  let counters = [];
  let main = null;
  let lastTurns = null;
  let lastItem; // undefined until the first state: nothing is announced on arrival
  let lastBroadcast = null;
  let scrolledTo = null;
  let namesShown = "";
  let flashTimer = null;

  const announce = (text) => {
    // A polite live region: read after what the person is hearing, never every second.
    const region = el("announcer");
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 50);
  };

  const storedName = () => {
    try {
      return localStorage.getItem(NAME_KEY) || "";
    } catch (error) {
      return "";
    }
  };

  const storeName = (name) => {
    try {
      if (name) localStorage.setItem(NAME_KEY, name);
      else localStorage.removeItem(NAME_KEY);
    } catch (error) {
      // Private browsing: the choice lasts until the page is reloaded.
    }
  };

  // The big clock: the turn's during a pairing round (the largest group size's), else the item's.
  const mainClock = () => {
    const turn = state.turns[0];
    if (turn && turn.number <= turn.of) {
      return {
        key: `${state.current && state.current.id}/turn/${turn.group_size}/${turn.number}`,
        turn: true,
        endsAt: turn.ends_at,
        remaining: turn.remaining_seconds,
        caption: `Turn ${turn.number} of ${turn.of} · ${Room.groupSizeName(turn.group_size)}`,
      };
    }
    return {
      key: `${state.current && state.current.id}/item`,
      turn: false,
      endsAt: state.clock ? state.clock.ends_at : null,
      remaining: state.clock ? state.clock.remaining_seconds : 0,
      caption: turn ? "Every turn is done · time left" : "Time left",
    };
  };

  const tick = () => {
    if (!state) return;
    for (const counter of counters) {
      const text = counter.text(Room.secondsLeft(counter.endsAt, counter.remaining));
      if (counter.digits) Room.setDigits(counter.element, text);
      else Room.setText(counter.element, text);
    }
    if (main) {
      const left = Room.secondsLeft(main.endsAt, main.remaining);
      document.body.classList.toggle("over", left <= 0);
      if (!main.turn && main.endsAt) {
        Room.setText(el("clock-caption"), left > 0 ? "Time left" : "Over time");
      }
      // Announced at each minute mark the clock passes, and only then: the digits are not a
      // live region, and a jump (a new state, an extend) is not a minute going by.
      const minute = left > 0 ? Math.ceil(left / 60 - 1e-9) : 0;
      if (main.minute !== null && minute === main.minute - 1 && main.endsAt) {
        if (minute > 0) {
          announce(`${Room.minutesText(minute)} left${main.turn ? " in this turn" : ""}`);
        } else {
          announce(main.turn ? "This turn's time is up" : "Time is up");
        }
      }
      main.minute = minute;
    }
  };

  const flash = (cue) => {
    Room.setText(el("swap"), cue);
    document.body.classList.add("flash");
    if (flashTimer !== null) clearTimeout(flashTimer);
    flashTimer = setTimeout(() => {
      document.body.classList.remove("flash");
      flashTimer = null;
    }, 3000);
    // Browsers allow a vibration only once the person has touched the page; before that the
    // flash is the cue.
    const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) {
      try {
        navigator.vibrate([200, 100, 200]);
      } catch (error) {
        // Refused all the same: the flash is enough.
      }
    }
  };

  const noticeSwaps = () => {
    const itemId = state.current ? state.current.id : null;
    const turns = new Map(state.turns.map((turn) => [turn.group_size, turn]));
    if (lastTurns && itemId === lastItem) {
      for (const [size, turn] of turns) {
        const before = lastTurns.get(size);
        if (before !== undefined && turn.number > before && turn.number <= turn.of) {
          const who = Room.groupSizeName(size);
          flash(`Swap! ${who.charAt(0).toUpperCase()}${who.slice(1)}: turn ${turn.number}`);
          announce(`Swap, ${who}: turn ${turn.number} of ${turn.of}`);
          break;
        }
      }
    } else if (itemId !== lastItem && itemId !== null && lastItem !== undefined) {
      if (state.current) announce(`Now: ${state.current.title}`);
    }
    lastTurns = new Map(state.turns.map((turn) => [turn.group_size, turn.number]));
    lastItem = itemId;
  };

  const renderBroadcast = () => {
    const text = state.broadcast ? state.broadcast.text : "";
    Room.show(el("broadcast"), Boolean(text));
    Room.setText(el("broadcast-text"), text);
    if (text && text !== lastBroadcast && lastBroadcast !== null) announce(`Message: ${text}`);
    lastBroadcast = text;
  };

  const renderWelcome = (visible) => {
    Room.show(el("welcome"), visible);
    if (!visible) return;
    Room.setText(el("welcome-date"), Room.dateText(state.date));
    el("welcome-start").dateTime = state.starts_at;
    Room.setText(el("welcome-start"), Room.hhmm(state.starts_at));
    Room.setText(el("welcome-venue"), state.venue || "");
    Room.show(el("welcome-venue"), Boolean(state.venue));
  };

  const listOf = (list, items, build) => {
    list.replaceChildren(...items.map(build));
    Room.show(list, items.length > 0);
  };

  const textItem = (text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  };

  const renderNow = (visible) => {
    Room.show(el("now"), visible);
    counters = [];
    if (!visible) {
      main = null;
      return;
    }
    const item = state.current;
    Room.setText(el("now-title"), item ? item.title : "");
    const clock = mainClock();
    const keep = main && main.key === clock.key ? main.minute : null;
    main = { ...clock, minute: keep };
    Room.setText(el("clock-caption"), clock.caption);
    Room.setText(el("clock-label"), Room.clockLabel(state.clock));
    counters.push({ element: el("clock-digits"), endsAt: clock.endsAt, remaining: clock.remaining,
      text: Room.clockText, digits: true });
    const itemLeft = el("item-left");
    Room.show(itemLeft, clock.turn && Boolean(state.clock));
    if (clock.turn && state.clock) {
      counters.push({ element: itemLeft, endsAt: state.clock.ends_at,
        remaining: state.clock.remaining_seconds,
        text: (left) => `Whole item: ${Room.clockText(left)} left` });
    }
    const others = state.turns.slice(1);
    listOf(el("other-turns"), others, (turn) => {
      const li = document.createElement("li");
      const groups = turn.groups === 1 ? "1 group" : `${turn.groups} groups`;
      const name = Room.groupSizeName(turn.group_size);
      const title = name.charAt(0).toUpperCase() + name.slice(1);
      if (turn.number > turn.of) {
        li.textContent = `${title} (${groups}): every turn is done`;
      } else {
        counters.push({ element: li, endsAt: turn.ends_at, remaining: turn.remaining_seconds,
          text: (left) => `${title} (${groups}): turn ${turn.number} of ${turn.of}, ` +
            `${Room.clockText(left)} left` });
      }
      return li;
    });
    const where = item && item.where ? `Where: ${item.where}` : "";
    Room.setText(el("now-where"), where);
    Room.show(el("now-where"), Boolean(where));
    const words = item && item.word_limit ? `In up to ${item.word_limit} words` : "";
    Room.setText(el("now-words"), words);
    Room.show(el("now-words"), Boolean(words));
    listOf(el("now-prompts"), item ? item.prompts : [], textItem);
  };

  const renderNext = (visible) => {
    const next = state.next;
    Room.show(el("next"), visible && Boolean(next));
    if (!next) return;
    Room.setText(el("next-title"), next.title);
    el("next-time").dateTime = next.starts_at;
    Room.setText(el("next-time"), Room.hhmm(next.starts_at));
  };

  const renderNames = (names) => {
    const select = el("find-name");
    const joined = names.join("\n");
    if (joined === namesShown) return;
    namesShown = joined;
    const first = select.options[0];
    select.replaceChildren(first, ...names.map((name) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      return option;
    }));
  };

  const renderGroups = (visible) => {
    const groups = visible ? state.groups : [];
    Room.show(el("groups"), groups.length > 0);
    document.body.dataset.grouped = groups.length > 0 ? "yes" : "no";
    if (!groups.length) return;
    const names = [...new Set(groups.flatMap((group) => group.members))]
      .sort((a, b) => a.localeCompare(b));
    renderNames(names);
    const chosen = storedName();
    el("find-name").value = names.includes(chosen) ? chosen : "";
    let mine = null;
    listOf(el("group-list"), groups, (group) => {
      const li = document.createElement("li");
      li.className = "group";
      const heading = document.createElement("h3");
      heading.textContent = group.name;
      li.append(heading);
      if (group.members.includes(chosen)) {
        mine = { group, element: li };
        li.classList.add("mine");
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "Your group";
        heading.append(" ", badge);
      }
      if (group.where) {
        const where = document.createElement("p");
        where.className = "where";
        where.textContent = `Where: ${group.where}`;
        li.append(where);
      }
      const members = document.createElement("ul");
      members.className = "members";
      members.replaceChildren(...group.members.map((name) => {
        const member = textItem(name);
        if (name === chosen) member.className = "me";
        return member;
      }));
      li.append(members);
      return li;
    });
    const result = el("find-result");
    if (mine) {
      const where = mine.group.where ? `, ${mine.group.where}` : "";
      Room.setText(result, `You are in ${mine.group.name}${where}.`);
      const key = `${state.current && state.current.id}/${mine.group.name}/${chosen}`;
      if (key !== scrolledTo) {
        scrolledTo = key;
        mine.element.scrollIntoView({ block: "center" });
      }
    } else {
      Room.setText(result, chosen && names.length ? "" : "Choose your name to see your group.");
    }
  };

  const renderWays = (visible) => {
    const ways = visible && !state.ways_hidden ? state.ways : [];
    Room.show(el("ways"), ways.length > 0);
    listOf(el("ways-list"), ways, (way) => {
      const li = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = way.name;
      li.append(name, " ", way.text);
      if (way.name === state.pinned) {
        li.className = "pinned";
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "Focus now";
        li.prepend(badge, " ");
      }
      return li;
    });
  };

  const STATE_WORDS = { current: "now", done: "done", dropped: "dropped" };

  const renderAgenda = (visible) => {
    Room.show(el("agenda"), visible && state.agenda.length > 0);
    if (!visible) return;
    listOf(el("agenda-list"), state.agenda, (item) => {
      const li = document.createElement("li");
      li.className = `agenda-item ${item.state}`;
      if (item.state === "current") li.setAttribute("aria-current", "step");
      const time = document.createElement("time");
      time.dateTime = item.starts_at;
      time.textContent = Room.hhmm(item.starts_at);
      const title = document.createElement("span");
      title.className = "agenda-title";
      title.textContent = item.title;
      li.append(time, " ", title);
      const notes = [STATE_WORDS[item.state], item.inserted ? "added" : ""].filter(Boolean);
      if (notes.length) {
        const note = document.createElement("span");
        note.className = "agenda-note";
        note.textContent = `(${notes.join(", ")})`;
        li.append(" ", note);
      }
      return li;
    });
  };

  const renderFinished = (visible) => {
    Room.show(el("finished"), visible);
    const coming = visible && Array.isArray(state.upcoming) ? state.upcoming : [];
    Room.show(el("coming-up"), coming.length > 0);
    el("coming-up-list").replaceChildren(...coming.map((session) =>
      textItem(session.date ? `${Room.dateText(session.date)}: ${session.title}` : session.title)));
  };

  const render = () => {
    const status = state.status;
    const running = status === "running" || status === "paused";
    document.body.dataset.status = status;
    document.body.dataset.phase = state.clock ? state.clock.phase : "";
    Room.setText(el("title"), state.title);
    if (document.title !== state.title) document.title = state.title;
    noticeSwaps();
    renderBroadcast();
    renderWelcome(status === "planned");
    renderNow(running);
    renderNext(running);
    renderGroups(running);
    renderWays(status !== "finished");
    renderAgenda(status !== "finished");
    renderFinished(status === "finished");
    tick();
  };

  el("find-name").addEventListener("change", (event) => {
    storeName(event.target.value);
    scrolledTo = null;
    if (state) render();
  });

  // The screen stays on where the browser allows it; the lock is dropped whenever the page
  // is hidden, so it is asked for again each time the page comes back.
  let wakeLock = null;
  const keepAwake = async () => {
    if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    } catch (error) {
      wakeLock = null; // refused (battery saver, not a secure context): the page still works
    }
  };
  document.addEventListener("visibilitychange", keepAwake);

  const showConnection = Room.connectionShower(el("connection"));
  Room.follow({
    onState: (next) => {
      state = next;
      render();
      keepAwake();
    },
    onConnection: showConnection,
  });
  setInterval(tick, 250);
}
