/* The page frame (issue 15): a person's own htmx action (a click, a submit, a changed field) clears the messages
   of the previous one, so an old "İşlem Başarılı" or warning never stands beside the new state. Polls and
   "load" triggers leave them; a message the action itself brings comes back out of band (app/menu.py). */
(function () {
  "use strict";
  var USER_EVENTS = { click: true, submit: true, change: true, input: true, keyup: true };
  document.addEventListener("htmx:beforeRequest", function (e) {
    var trigger = e.detail && e.detail.requestConfig && e.detail.requestConfig.triggeringEvent;
    var area = document.getElementById("flash-area");
    if (area && trigger && USER_EVENTS[trigger.type]) { area.replaceChildren(); }
  });
})();
