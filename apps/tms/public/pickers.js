// Progressive enhancement of the catalog forms: tabs, the "Choose" pickers (organization, LTI
// provider) and "Add Organizations". Every form works without it: the panels are sections, the
// pickers are selects, and availability is a list of checkboxes.
/* global document, fetch, URLSearchParams, setTimeout, clearTimeout, Option, Event */
'use strict';

(function () {
  function search(url, params) {
    return fetch(url + '?' + new URLSearchParams(params).toString(), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    }).then(function (response) {
      if (!response.ok) throw new Error('search failed');
      return response.json();
    });
  }

  /** Runs `run(text)` once typing pauses. */
  function onQuery(input, run) {
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value);
      }, 200);
    });
  }

  function say(element, found, shown) {
    element.textContent =
      found === 0
        ? 'Nothing matches.'
        : found > shown
          ? 'Showing ' + shown + ' of ' + found + ': type more to narrow.'
          : found === 1
            ? '1 match.'
            : found + ' matches.';
  }

  function option(type, name, value, text, checked) {
    var label = document.createElement('label');
    label.className = 'checkbox';
    var input = document.createElement('input');
    input.type = type;
    input.name = name;
    input.value = value;
    input.checked = Boolean(checked);
    label.appendChild(input);
    label.appendChild(document.createTextNode(' ' + text));
    return label;
  }

  // Tabs: the panel with the first error opens first; a summary link opens its field's panel.
  document.querySelectorAll('[data-tabs]').forEach(function (tabs) {
    var list = tabs.querySelector('[data-tablist]');
    var buttons = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    function select(button, focus) {
      buttons.forEach(function (b) {
        var on = b === button;
        b.setAttribute('aria-selected', on ? 'true' : 'false');
        b.tabIndex = on ? 0 : -1;
        document.getElementById(b.getAttribute('aria-controls')).hidden = !on;
      });
      if (focus) button.focus();
    }
    function panelOf(element) {
      return buttons.filter(function (b) {
        return document.getElementById(b.getAttribute('aria-controls')).contains(element);
      })[0];
    }
    buttons.forEach(function (button, index) {
      button.addEventListener('click', function () {
        select(button, false);
      });
      button.addEventListener('keydown', function (event) {
        var step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (step) select(buttons[(index + step + buttons.length) % buttons.length], true);
      });
    });
    tabs.classList.add('tabs-on');
    list.hidden = false;
    var firstError = tabs.querySelector('.has-error');
    select((firstError && panelOf(firstError)) || buttons[0], false);
    document.querySelectorAll('[data-error-summary] a[href^="#"]').forEach(function (link) {
      link.addEventListener('click', function () {
        var target = document.getElementById(link.getAttribute('href').slice(1));
        var button = target && panelOf(target);
        if (button) select(button, false);
      });
    });
  });

  // "Choose": a dialog that searches on the server and sets the select.
  document.querySelectorAll('[data-picker]').forEach(function (field) {
    var select = field.querySelector('[data-picker-value]');
    var current = field.querySelector('[data-picker-current]');
    var open = field.querySelector('[data-picker-open]');
    var dialog = field.querySelector('[data-picker-dialog]');
    var query = dialog.querySelector('[data-picker-search]');
    var results = dialog.querySelector('[data-picker-results]');
    var status = dialog.querySelector('[data-picker-status]');
    var name = select.id + '-choice';
    function show() {
      var chosen = select.options[select.selectedIndex];
      current.textContent = chosen ? chosen.textContent.trim() : 'None chosen';
    }
    function params(text) {
      var extra = field.getAttribute('data-search-with');
      var other = extra ? document.getElementById(extra) : null;
      var out = { q: text, limit: '20' };
      if (other && other.value) out.organizationId = other.value;
      return out;
    }
    function run(text) {
      search(field.getAttribute('data-search'), params(text))
        .then(function (found) {
          if (!dialog.open) return;
          results.textContent = '';
          found.items.forEach(function (item) {
            results.appendChild(option('radio', name, item.id, item.path || item.name, item.id === select.value));
          });
          say(status, found.total, found.items.length);
        })
        .catch(function () {
          status.textContent = 'Search is not available right now; try again.';
        });
    }
    select.hidden = true;
    current.hidden = false;
    open.hidden = false;
    show();
    // The choices exist only while the dialog is open: they are inputs of the form, never sent.
    dialog.addEventListener('close', function () {
      results.textContent = '';
    });
    open.addEventListener('click', function () {
      query.value = '';
      run('');
      dialog.showModal();
      query.focus();
    });
    onQuery(query, run);
    dialog.querySelector('[data-picker-cancel]').addEventListener('click', function () {
      dialog.close();
    });
    dialog.querySelector('[data-picker-ok]').addEventListener('click', function () {
      var picked = results.querySelector('input:checked');
      if (picked) {
        var text = picked.parentNode.textContent.trim().split(' / ').pop();
        var existing = Array.prototype.filter.call(select.options, function (o) {
          return o.value === picked.value;
        })[0];
        if (!existing) select.add(new Option(text, picked.value));
        select.value = picked.value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        show();
      }
      dialog.close();
      open.focus();
    });
  });

  // "Add Organizations": search, tick several, add them to the list; Remove takes one off.
  document.querySelectorAll('[data-availability]').forEach(function (field) {
    var chosen = field.querySelector('[data-chosen]');
    var note = field.querySelector('[data-default-note]');
    var results = field.querySelector('[data-add-results]');
    var status = field.querySelector('[data-add-status]');
    var details = field.querySelector('[data-add]');
    var owner = document.querySelector('[data-picker="organizationId"] [data-picker-value]');
    function refresh() {
      note.hidden = chosen.querySelector('input:checked') !== null;
      var ownerName = note.querySelector('[data-owner-name]');
      if (owner && ownerName) ownerName.textContent = owner.options[owner.selectedIndex].textContent.trim();
    }
    function addRemove(item) {
      var button = item.querySelector('[data-remove]');
      button.hidden = false;
      button.addEventListener('click', function () {
        item.remove();
        refresh();
      });
    }
    function has(id) {
      return chosen.querySelector('li[data-organization="' + id + '"]') !== null;
    }
    function run(text) {
      search(field.getAttribute('data-search'), { q: text, limit: '20' })
        .then(function (found) {
          results.textContent = '';
          found.items.forEach(function (item) {
            var box = option('checkbox', '', item.id, item.path, false);
            box.querySelector('input').removeAttribute('name');
            box.setAttribute('data-name', item.name);
            if (has(item.id)) box.querySelector('input').disabled = true;
            else box.querySelector('input').checked = ticked.has(item.id);
            results.appendChild(box);
          });
          say(status, found.total, found.items.length);
        })
        .catch(function () {
          status.textContent = 'Search is not available right now; try again.';
        });
    }
    // What is ticked in the results survives a new search, until it is added.
    var ticked = new Set();
    results.addEventListener('change', function (event) {
      if (event.target.checked) ticked.add(event.target.value);
      else ticked.delete(event.target.value);
    });
    field.querySelector('[data-add-static]').remove();
    field.querySelector('[data-add-search]').hidden = false;
    chosen.querySelectorAll('li').forEach(addRemove);
    onQuery(field.querySelector('[data-add-query]'), run);
    run('');
    field.querySelector('[data-add-selected]').addEventListener('click', function () {
      ticked.clear();
      results.querySelectorAll('input:checked').forEach(function (input) {
        if (has(input.value)) return;
        var name = input.parentNode.getAttribute('data-name');
        var item = document.createElement('li');
        item.setAttribute('data-organization', input.value);
        var label = option('checkbox', 'availableOrganizationIds', input.value, name, true);
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'link';
        remove.setAttribute('data-remove', '');
        remove.setAttribute('aria-label', 'Remove ' + name);
        remove.textContent = 'Remove';
        item.appendChild(label);
        item.appendChild(document.createTextNode(' '));
        item.appendChild(remove);
        chosen.appendChild(item);
        addRemove(item);
        input.checked = false;
        input.disabled = true;
      });
      details.open = false;
      refresh();
    });
    chosen.addEventListener('change', refresh);
    if (owner) owner.addEventListener('change', refresh);
    refresh();
  });
})();
