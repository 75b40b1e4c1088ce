// What a launch page answers to a tool's client-side messages (1EdTech LTI Client Side postMessages
// 0.1, https://www.imsglobal.org/spec/lti-cs-pm/v0p1; LTI Platform Storage 0.1,
// https://www.imsglobal.org/spec/lti-pm-s/v0p1). Pure functions of the message, its origin and the
// launch: the page (lti-messages.js) and the storage frame (lti-storage.js) only wire them to
// window events, and the unit tests call them directly.
/* global module */
'use strict';

(function (factory) {
  var api = factory();
  if (typeof module === 'object' && module.exports) module.exports = api;
  else globalThis.LtiPostMessage = api;
})(function () {
  var SUBJECT = {
    capabilities: 'lti.capabilities',
    putData: 'lti.put_data',
    getData: 'lti.get_data',
    frameResize: 'lti.frameResize',
    scrollToTop: 'lti.scrollToTop',
  };

  // The spec's error codes (cs-pm §"Error responses"; pm-s for storage_exhaustion).
  var ERROR = {
    badRequest: 'bad_request',
    unsupportedSubject: 'unsupported_subject',
    wrongOrigin: 'wrong_origin',
    storageExhaustion: 'storage_exhaustion',
  };

  // Platform storage holds a login's state and nonce, not documents: 4096 characters is what a
  // platform must at least offer a value (pm-s); a tool gets 64 keys and 16384 characters in all.
  var LIMITS = {
    messageIdLength: 256,
    keyLength: 256,
    valueLength: 4096,
    keysPerOrigin: 64,
    charactersPerOrigin: 16384,
    frameMin: 100,
    frameMax: 10000,
  };

  /** What a window may be asked; the storage subjects go to the named storage frame (cs-pm §capabilities). */
  function capabilities(storageFrame) {
    var supported = [{ subject: SUBJECT.capabilities }];
    if (storageFrame) {
      supported.push({ subject: SUBJECT.putData, frame: storageFrame });
      supported.push({ subject: SUBJECT.getData, frame: storageFrame });
    }
    supported.push({ subject: SUBJECT.frameResize }, { subject: SUBJECT.scrollToTop });
    return supported;
  }

  /**
   * The request a message is, or null for what no answer can address: anything but an object with a
   * string subject, or a response (ours or anyone's) coming back.
   */
  function requestOf(data) {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
    if (typeof data.subject !== 'string' || !data.subject || /\.response$/.test(data.subject)) return null;
    return data;
  }

  /** A response echoes the subject with `.response` and the request's message_id (cs-pm §"Response parameters"). */
  function respond(request, fields) {
    var response = { subject: request.subject + '.response' };
    if (request.message_id !== undefined) response.message_id = request.message_id;
    for (var name in fields) response[name] = fields[name];
    return response;
  }

  function fail(request, code, message) {
    return respond(request, { error: { code: code, message: message } });
  }

  function isAllowed(context, origin) {
    return context.toolOrigins.indexOf(origin) !== -1;
  }

  /** Checks common to every request; an error response, or null when it may be answered. */
  function refusal(request, context, origin) {
    if (!isAllowed(context, origin)) {
      return fail(request, ERROR.wrongOrigin, 'Messages from ' + origin + ' are not accepted for this launch');
    }
    var id = request.message_id;
    if (id !== undefined && (typeof id !== 'string' || id.length > LIMITS.messageIdLength)) {
      return fail(request, ERROR.badRequest, 'message_id must be a string of at most ' + LIMITS.messageIdLength);
    }
    return null;
  }

  /** In memory, per tool origin: what one origin puts, no other origin can read. */
  function createStore() {
    var byOrigin = new Map();
    function area(origin) {
      if (!byOrigin.has(origin)) byOrigin.set(origin, new Map());
      return byOrigin.get(origin);
    }
    function size(entries) {
      var total = 0;
      entries.forEach(function (value, key) {
        total += key.length + value.length;
      });
      return total;
    }
    return {
      get: function (origin, key) {
        var entries = byOrigin.get(origin);
        return entries && entries.has(key) ? entries.get(key) : null;
      },
      /** False, storing nothing, when the value would not fit the origin's share. */
      put: function (origin, key, value) {
        var entries = area(origin);
        var others = size(entries) - (entries.has(key) ? key.length + entries.get(key).length : 0);
        var keys = entries.size + (entries.has(key) ? 0 : 1);
        if (keys > LIMITS.keysPerOrigin || others + key.length + value.length > LIMITS.charactersPerOrigin) {
          return false;
        }
        entries.set(key, value);
        return true;
      },
      remove: function (origin, key) {
        var entries = byOrigin.get(origin);
        if (entries) entries.delete(key);
      },
    };
  }

  function storageRequestProblem(request, withValue) {
    if (typeof request.message_id !== 'string' || !request.message_id) return 'message_id is required';
    if (typeof request.key !== 'string' || !request.key) return 'key must be a non-empty string';
    if (request.key.length > LIMITS.keyLength) return 'key must be at most ' + LIMITS.keyLength + ' characters';
    if (withValue && request.value !== null && typeof request.value !== 'string') {
      return 'value must be a string, or null to remove the key';
    }
    return null;
  }

  function putData(store, request, origin) {
    var problem = storageRequestProblem(request, true);
    if (problem) return fail(request, ERROR.badRequest, problem);
    if (request.value === null) {
      store.remove(origin, request.key);
      return respond(request, { key: request.key, value: null });
    }
    if (request.value.length > LIMITS.valueLength || !store.put(origin, request.key, request.value)) {
      return fail(
        request,
        ERROR.storageExhaustion,
        'The value does not fit: ' +
          LIMITS.valueLength +
          ' characters a value, ' +
          LIMITS.charactersPerOrigin +
          ' and ' +
          LIMITS.keysPerOrigin +
          ' keys in all',
      );
    }
    return respond(request, { key: request.key, value: request.value });
  }

  function getData(store, request, origin) {
    var problem = storageRequestProblem(request, false);
    if (problem) return fail(request, ERROR.badRequest, problem);
    return respond(request, { key: request.key, value: store.get(origin, request.key) });
  }

  /**
   * The storage frame's answer (pm-s): put and get for the sending origin only; null when there is
   * nobody to answer (not a request, or an opaque origin a response cannot be addressed to).
   */
  function answerStorage(store, context, data, origin) {
    var request = requestOf(data);
    if (!request || origin === 'null') return null;
    var refused = refusal(request, context, origin);
    if (refused) return refused;
    switch (request.subject) {
      case SUBJECT.capabilities:
        return respond(request, { supported_messages: capabilities(context.storageFrame) });
      case SUBJECT.putData:
        return putData(store, request, origin);
      case SUBJECT.getData:
        return getData(store, request, origin);
      default:
        return fail(request, ERROR.unsupportedSubject, request.subject + ' is not answered by the storage frame');
    }
  }

  /** A whole number of pixels within the bounds, from a number or numeric string; null for anything else. */
  function pixels(value) {
    var number = typeof value === 'string' && /^\s*\d+(\.\d+)?(px)?\s*$/.test(value) ? parseFloat(value) : value;
    if (typeof number !== 'number' || !isFinite(number) || number <= 0) return null;
    return Math.min(LIMITS.frameMax, Math.max(LIMITS.frameMin, Math.round(number)));
  }

  function frameResize(request) {
    var height = request.height === undefined ? undefined : pixels(request.height);
    var width = request.width === undefined ? undefined : pixels(request.width);
    if (height === null || width === null || (height === undefined && width === undefined)) {
      return { response: fail(request, ERROR.badRequest, 'height and width must be positive numbers of pixels') };
    }
    var sizes = {};
    if (height !== undefined) sizes.height = height;
    if (width !== undefined) sizes.width = width;
    return { response: respond(request, sizes), action: { type: 'resize', height: sizes.height, width: sizes.width } };
  }

  /**
   * The launch page's answer to its tool frame: capabilities, sizing (bounded) and scrolling, as
   * `{ response, action }` for the page to carry out; null when there is nobody to answer.
   */
  function answerPage(context, data, origin) {
    var request = requestOf(data);
    if (!request || origin === 'null') return null;
    var refused = refusal(request, context, origin);
    if (refused) return { response: refused };
    switch (request.subject) {
      case SUBJECT.capabilities:
        return { response: respond(request, { supported_messages: capabilities(context.storageFrame) }) };
      case SUBJECT.frameResize:
        return frameResize(request);
      case SUBJECT.scrollToTop:
        return { response: respond(request, {}), action: { type: 'scrollToTop' } };
      case SUBJECT.putData:
      case SUBJECT.getData:
        return {
          response: fail(
            request,
            ERROR.unsupportedSubject,
            context.storageFrame
              ? request.subject + ' goes to the frame named ' + context.storageFrame
              : 'This launch has no platform storage',
          ),
        };
      default:
        // lti.showModal among others: a tool drawing its own page over ours is not offered.
        return { response: fail(request, ERROR.unsupportedSubject, request.subject + ' is not supported') };
    }
  }

  return {
    SUBJECT: SUBJECT,
    ERROR: ERROR,
    LIMITS: LIMITS,
    capabilities: capabilities,
    createStore: createStore,
    answerStorage: answerStorage,
    answerPage: answerPage,
  };
});
