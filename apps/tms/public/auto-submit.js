// Posts a signed LTI launch form as soon as the page is ready; its submit button stays as the way in
// when scripts are off or a browser blocks the new window.
/* global document */
'use strict';

var form = document.querySelector('form[data-auto-submit]');
if (form) form.submit();
