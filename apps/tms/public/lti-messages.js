// The launch page's side of the tool's client-side messages (LTI Client Side postMessages): the
// answers come from lti-postmessage.js; this carries out what they ask of the page — sizing the
// tool's frame within bounds, scrolling to it — and sends each answer to the origin it came from,
// never to '*'.
/* global document, window, LtiPostMessage */
'use strict';

(function () {
  var frame = document.querySelector('iframe.lti-frame[data-tool-origins]');
  if (!frame || typeof LtiPostMessage === 'undefined') return;
  var context = {
    toolOrigins: frame.getAttribute('data-tool-origins').split(' ').filter(Boolean),
    storageFrame: frame.getAttribute('data-storage-frame') || null,
  };

  function carryOut(action) {
    if (!action) return;
    if (action.type === 'resize') {
      if (action.height !== undefined) frame.style.height = action.height + 'px';
      if (action.width !== undefined) frame.style.width = action.width + 'px';
    } else if (action.type === 'scrollToTop') {
      frame.scrollIntoView({ block: 'start' });
    }
  }

  window.addEventListener('message', function (event) {
    var answer = LtiPostMessage.answerPage(context, event.data, event.origin);
    if (!answer || !event.source) return;
    carryOut(answer.action);
    event.source.postMessage(answer.response, event.origin);
  });
})();
