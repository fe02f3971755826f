// 叫号屏: the board is redrawn from each Server-Sent Event (see yiwang/hall/views/display.py).
// Text only (textContent), never HTML from the feed; the chime is our own static file.
(function () {
  "use strict";
  var root = document.querySelector("[data-board]");
  if (!root) { return; }
  var soundOn = false;
  var lastCall = Number(root.getAttribute("data-last-call") || "0");
  var chime = new Audio(root.getAttribute("data-chime"));
  var soundButton = root.querySelector("[data-sound]");
  var connection = root.querySelector("[data-connection]");
  var clock = root.querySelector("[data-clock]");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function announce(call) {
    if (!soundOn) { return; }
    chime.currentTime = 0;
    var played = chime.play();
    if (played && played.catch) { played.catch(function () {}); }
    if (window.speechSynthesis) {
      var words = new SpeechSynthesisUtterance("请" + call.number.split("").join(" ") + "号到" + call.window + "号窗口");
      words.lang = "zh-CN";
      setTimeout(function () { window.speechSynthesis.speak(words); }, 900);
    }
  }

  function render(board) {
    var latest = root.querySelector("[data-latest]");
    latest.textContent = "";
    var first = board.calls[0];
    if (first) {
      latest.append("请 ", el("strong", "latest-number", first.number), " 号到 ",
                    el("strong", "latest-window", first.window), " 号窗口");
    } else {
      latest.textContent = "暂无叫号";
    }
    var calls = root.querySelector("[data-calls]");
    calls.replaceChildren.apply(calls, board.calls.length ? board.calls.map(function (c) {
      var li = el("li");
      li.append(el("span", "num", c.number), el("span", "to", c.window + " 号窗口"), el("span", "at", c.at));
      return li;
    }) : [el("li", "none", "暂无")]);
    var windows = root.querySelector("[data-windows]");
    windows.replaceChildren.apply(windows, board.windows.map(function (w) {
      var tr = el("tr");
      var state = !w.open ? "暂停服务" : (w.serving ? "办理中" : (w.current ? "请前往" : "空闲"));
      tr.append(el("th", "", w.number + " " + w.name), el("td", "num", w.current || "—"), el("td", "", state));
      tr.firstChild.setAttribute("scope", "row");
      return tr;
    }));
    var queues = root.querySelector("[data-queues]");
    queues.replaceChildren.apply(queues, board.queues.map(function (q) {
      var li = el("li");
      li.append(el("span", "q-code", q.code), " " + q.name + " ", el("span", "q-waiting", "等候 " + q.waiting + " 人"));
      return li;
    }));
    if (first && board.last_call_id > lastCall) {
      latest.classList.remove("flash");
      void latest.offsetWidth;  // restart the highlight
      latest.classList.add("flash");
      announce(first);
    }
    lastCall = board.last_call_id;
    root.setAttribute("data-last-call", String(lastCall));
  }

  soundButton.addEventListener("click", function () {
    soundOn = !soundOn;
    soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false");
    soundButton.textContent = soundOn ? "关闭提示音" : "开启提示音";
    if (soundOn) { chime.play().catch(function () {}); }
  });

  function tick() {
    var now = new Date();
    clock.textContent = now.toLocaleTimeString("zh-CN", {hour12: false});
  }
  tick();
  setInterval(tick, 1000);

  var source = new EventSource(root.getAttribute("data-events"));
  source.addEventListener("board", function (event) {
    render(JSON.parse(event.data));
    connection.textContent = "已连接";
    connection.classList.remove("lost");
  });
  source.addEventListener("error", function () {
    // EventSource reconnects by itself; under WSGI every event ends a request, which is normal.
    if (source.readyState === EventSource.CLOSED) {
      connection.textContent = "连接中断，正在重连";
      connection.classList.add("lost");
    }
  });
}());
