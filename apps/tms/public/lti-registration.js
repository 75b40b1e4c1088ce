// LTI Dynamic Registration 1.0 §3.3 and §3.7: the tool's registration page opens in a frame of this
// page (or, on request, a window of its own); when the tool is done it posts
// {subject: 'org.imsglobal.lti.close'} to window.opener or window.parent, and this page closes the
// tool's page and shows the registration for review.
/* global document, window */
'use strict';

(function () {
  var root = document.querySelector('[data-registration]');
  if (!root) return;
  var state = root.querySelector('[data-registration-state]');
  var frame = root.querySelector('iframe');
  var toolWindow = null;
  root.querySelector('[data-open-registration]').addEventListener('click', function () {
    // A single-use token: the frame's copy must not be used as well.
    frame.remove();
    frame = null;
    toolWindow = window.open(root.getAttribute('data-tool-url'), 'lti-registration');
    state.textContent = toolWindow ? 'Waiting for the tool to register in its window…' : 'The window was blocked: allow pop-ups here.';
  });
  window.addEventListener('message', function (event) {
    var fromFrame = frame && event.source === frame.contentWindow;
    var fromWindow = toolWindow && event.source === toolWindow;
    if (!fromFrame && !fromWindow) return;
    if (!event.data || event.data.subject !== 'org.imsglobal.lti.close') return;
    if (toolWindow) toolWindow.close();
    if (frame) frame.remove();
    state.textContent = 'The tool has finished; opening the registration for review…';
    window.location.assign(root.getAttribute('data-review-url'));
  });
})();
