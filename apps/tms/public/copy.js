// Copy buttons: <button type="button" data-copy="value">Copy</button>; the value is also shown as text.
/* global document, navigator, Element, setTimeout */
'use strict';

document.addEventListener('click', function (event) {
  var button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  var label = button.textContent;
  function done(text) {
    button.textContent = text;
    setTimeout(function () {
      button.textContent = label;
    }, 1500);
  }
  if (!navigator.clipboard) {
    done('Copy not available');
    return;
  }
  navigator.clipboard.writeText(button.getAttribute('data-copy')).then(
    function () {
      done('Copied');
    },
    function () {
      done('Copy failed');
    },
  );
});
