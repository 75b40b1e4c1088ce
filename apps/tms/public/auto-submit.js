// Posts a signed LTI launch form as soon as the page is ready. A signed form can be posted once (the
// tool refuses a nonce it has seen), so once it is sent, its button gives way to a link that loads
// the launch page again (a new launch). Without scripts the button is the way in. A new window is
// opened first and the form posted into it only if the browser allowed it; a blocked popup leaves
// the button, whose click is a user gesture the browser lets through. A framed launch with platform
// storage is posted once its storage frame answers: the tool's first message goes there.
/* global document, window */
'use strict';

(function () {
  var form = document.querySelector('form[data-auto-submit]');

  function sent() {
    var button = form.querySelector('button[type="submit"]');
    var again = document.querySelector('[data-launch-again]');
    if (button && again) {
      button.hidden = true;
      again.hidden = false;
    }
  }

  /** Runs `go` once the storage frame (if any) is ready, or after 3 s: without it the tool falls back itself. */
  function whenStorageReady(go) {
    var storage = document.querySelector('iframe[data-lti-storage]');
    var done = false;
    function once() {
      if (done) return;
      done = true;
      go();
    }
    function ready() {
      try {
        return storage.contentWindow.ltiStorageReady === true;
      } catch {
        return false;
      }
    }
    if (!storage || ready()) return once();
    storage.addEventListener('load', function () {
      if (ready()) once();
    });
    window.setTimeout(once, 3000);
  }

  if (form) {
    if (form.target === '_blank') {
      // Not a top-level `var name`: that would be window.name, and the page would find itself.
      var windowName = 'lti-window-' + form.getAttribute('data-launch-id');
      if (window.open('', windowName)) {
        form.target = windowName;
        form.submit();
        sent();
      }
    } else {
      whenStorageReady(function () {
        form.submit();
        if (form.target !== '_self') sent();
      });
    }
    form.addEventListener('submit', function () {
      window.setTimeout(sent, 0);
    });
  }
})();
