// The platform storage frame of a framed LTI 1.3 launch (LTI Platform Storage): keeps what the
// tool puts in this frame's memory, per tool origin, and answers from lti-postmessage.js. The
// origins it serves are the ones the server rendered into this frame for the launch; it is gone
// with the page.
/* global document, window, LtiPostMessage */
'use strict';

(function () {
  var context = {
    toolOrigins: (document.body.getAttribute('data-tool-origins') || '').split(' ').filter(Boolean),
    storageFrame: window.name,
  };
  var store = LtiPostMessage.createStore();

  window.addEventListener('message', function (event) {
    var response = LtiPostMessage.answerStorage(store, context, event.data, event.origin);
    if (response && event.source) event.source.postMessage(response, event.origin);
  });
  // The launch page waits for this before it posts the login: the tool's first put_data needs an answer.
  window.ltiStorageReady = true;
})();
