// Progressive enhancement for the LTI provider and resource link forms; they work without it.
/* global document */
'use strict';

(function () {
  // Only the fieldset of the chosen LTI version stays visible. A disabled fieldset's inputs are not
  // submitted, so values typed for the other version never reach the server.
  var choices = document.querySelectorAll('input[data-lti-version-choice]');
  var fieldsets = document.querySelectorAll('fieldset[data-lti-version]');

  function showChosenVersion() {
    var chosen = null;
    choices.forEach(function (choice) {
      if (choice.checked) chosen = choice.value;
    });
    fieldsets.forEach(function (fieldset) {
      var other = chosen !== null && fieldset.getAttribute('data-lti-version') !== chosen;
      fieldset.hidden = other;
      fieldset.disabled = other;
    });
  }

  if (choices.length > 0) {
    choices.forEach(function (choice) {
      choice.addEventListener('change', showChosenVersion);
    });
    showChosenVersion();
  }

  // A checkbox that gives meaning to another input (the passing score needs a required score).
  document.querySelectorAll('input[type="checkbox"][data-enables]').forEach(function (box) {
    var target = document.getElementById(box.getAttribute('data-enables'));
    if (!target) return;
    function sync() {
      target.disabled = !box.checked;
    }
    box.addEventListener('change', sync);
    sync();
  });
})();
