// What the demo pages share: a postclick Result and the stored click ID in plain words, the
// network's verdict from its report, and "Reset demo". Plain script, no build step.
(function () {
  var TRACKING_LINK_FIRST = ' <a href="/">Open the tracking link first</a> (on the network page), then buy again.';

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return '&#' + c.charCodeAt(0) + ';';
    });
  }

  /** A Result as [kind, HTML]: kind is 'ok' when the sale went out, 'problem' when it did not. */
  function describeResult(result) {
    var error = escapeHtml(result.error || '');
    switch (result.status) {
      case 'sent':
        return [
          'ok',
          '<b>Sent.</b> ' +
            (result.confirmed
              ? 'The shop’s relay answered 2xx once the network took its postback: the conversion is confirmed delivered.'
              : 'The browser took the request to the shop’s relay (' +
                escapeHtml(result.transport || 'transport unknown') +
                ') and nothing dropped it; the network’s verdict is below.'),
        ];
      case 'duplicate':
        return [
          'ok',
          '<b>Not sent again (duplicate).</b> This order (unique_id <code>' +
            escapeHtml(result.uniqueId || '') +
            '</code>) was already reported from this browser, so the sale is counted once. ' +
            '<a href="/product.html">Buy again</a> for a new order.',
        ];
      case 'no_click_id':
        return [
          'problem',
          '<b>Not sent: no click ID.</b> This browser has no click ID from a tracking link, so the network could not ' +
            'attribute the sale.' +
            TRACKING_LINK_FIRST,
        ];
      case 'queued':
        return [
          'problem',
          '<b>Not delivered yet (queued):</b> ' +
            error +
            '. postclick keeps it in its outbox and retries at the next page load and when the browser is back online.',
        ];
      case 'invalid':
        return [
          'problem',
          '<b>Not sent: the call’s data is wrong</b> (' + error + '). Nothing was marked, so a corrected call goes.',
        ];
      case 'refused':
        return [
          'problem',
          '<b>Refused</b> (the relay refuses bad input, and says when the network refused the postback): ' +
            error +
            '. Nothing stays marked: a corrected call goes.',
        ];
      case 'failed':
        return ['problem', '<b>Dropped:</b> ' + error + '.'];
      default:
        return ['problem', '<b>' + escapeHtml(result.status) + '</b> ' + error];
    }
  }

  /** Writes `kind` and `html` into `element` as a state box. */
  function show(element, kind, html) {
    element.className = 'state ' + kind;
    element.innerHTML = html;
  }

  /** The stored click ID, or its absence with the fix. */
  function showClickId(element, clickId) {
    if (clickId)
      show(element, 'ok', 'Click ID stored in this browser: <code class="click-id">' + escapeHtml(clickId) + '</code>');
    else
      show(
        element,
        'problem',
        '<b>No click ID stored in this browser:</b> a sale now would not be attributed. ' +
          '<a href="/">Open the tracking link first</a> (on the network page).',
      );
  }

  /**
   * How a report row reached the network: the demo's relay adds this sub ID to every
   * postback it forwards (RELAY_MARK in scripts/demo-server.mjs).
   */
  function arrivedHow(row) {
    return row.adv5 === 'via-relay'
      ? 'It arrived as the relay’s server-to-server postback (sub ID <code>adv5 via-relay</code> in the report).'
      : 'It arrived straight from a browser, not through the relay.';
  }

  /**
   * The network's verdict on `orderId`, from the collector's report (newest first): polls
   * for a few seconds, since a beacon or keepalive fetch may land after the page has its Result.
   */
  function showVerdict(element, orderId) {
    var deadline = Date.now() + 6000;
    show(element, '', 'Asking the network’s report about order <b>' + escapeHtml(orderId) + '</b>…');
    (function poll() {
      fetch('/reports/conversions', { cache: 'no-store' })
        .then(function (response) {
          return response.json();
        })
        .then(function (rows) {
          var row = (Array.isArray(rows) ? rows : rows.conversions || []).filter(function (r) {
            return r.order_id === orderId;
          })[0];
          if (row) {
            show(
              element,
              row.status === 'approved' ? 'ok' : 'problem',
              'The network’s report for order <b>' +
                escapeHtml(orderId) +
                '</b>: <b id="verdict">' +
                escapeHtml(row.status) +
                '</b>' +
                (row.reason ? ' — ' + escapeHtml(row.reason) : '') +
                '. <span id="arrived-how">' +
                arrivedHow(row) +
                '</span> <a href="/reports">Open the reports</a>.',
            );
          } else if (Date.now() < deadline) setTimeout(poll, 300);
          else show(element, 'problem', 'Order <b>' + escapeHtml(orderId) + '</b> is not in the network’s report.');
        })
        .catch(function () {
          if (Date.now() < deadline) setTimeout(poll, 300);
        });
    })();
  }

  /**
   * "Reset demo": postclick forgets the click ID and its conversion marks, the demo's own
   * storage on this origin is cleared, and the server starts over with an empty database.
   */
  function reset(output) {
    show(output, '', 'Resetting…');
    window.postclick('reset');
    try {
      localStorage.clear();
      sessionStorage.clear();
    } catch (e) {
      // Storage blocked: nothing of ours is in it either.
    }
    var deadline = Date.now() + 10000;
    function ready() {
      return fetch('/healthz', { cache: 'no-store' }).then(
        function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
        },
        function (error) {
          if (Date.now() > deadline) throw error;
          return new Promise(function (resolve) {
            setTimeout(resolve, 150);
          }).then(ready);
        },
      );
    }
    return fetch('/demo/reset', { method: 'POST' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        // The collector restarts: wait for the fresh one.
        return new Promise(function (resolve) {
          setTimeout(resolve, 300);
        }).then(ready);
      })
      .then(
        function () {
          show(
            output,
            'ok',
            '<b>Demo reset.</b> The database is empty, and this browser forgot its click ID and conversions.',
          );
        },
        function (error) {
          show(output, 'problem', '<b>Reset failed:</b> ' + escapeHtml(error.message) + '. Is npm start running?');
        },
      );
  }

  window.demo = {
    describeResult: describeResult,
    show: show,
    showResult: function (element, result) {
      var words = describeResult(result);
      show(element, words[0], words[1]);
    },
    showClickId: showClickId,
    showVerdict: showVerdict,
    reset: reset,
    escapeHtml: escapeHtml,
  };
})();
