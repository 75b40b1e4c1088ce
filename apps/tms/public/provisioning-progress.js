// An import's page while it runs: polls its progress (kept in the database, so any instance
// answers) and shows it; once the import ends, loads the page again to show the result.
/* global document, fetch, setTimeout, window */
'use strict';

(function () {
  var box = document.getElementById('job-progress');
  if (!box) return;
  var bar = document.getElementById('job-progress-bar');
  var text = document.getElementById('job-progress-text');
  function poll() {
    fetch(box.getAttribute('data-progress-url'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (progress) {
        if (progress) {
          bar.value = progress.processed;
          text.textContent = progress.processed + ' of ' + progress.total + ' rows';
          if (progress.status !== 'running') return window.location.reload();
        }
        setTimeout(poll, 400);
      })
      .catch(function () {
        setTimeout(poll, 2000);
      });
  }
  setTimeout(poll, 200);
})();
