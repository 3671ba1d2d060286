/**
 * The page's script, served by igflow at /watch.js (no library, no CDN).
 * It reads the live stream at /api/events with fetch (so that a watch token
 * can travel in the Authorization header, never in a URL), draws one card
 * per post, highlights each chart's current states, filters and searches,
 * and counts the waits down every quarter second.
 */
export const pageScript = String.raw`
'use strict';
(function () {
  var posts = new Map();
  var offset = 0; // server clock minus this browser's clock
  var needsToken = document.body.dataset.auth === '1';
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function token() { return sessionStorage.getItem('igflow-watch-token') || ''; }

  function headers() {
    return needsToken ? { Authorization: 'Bearer ' + token() } : {};
  }

  function countdown(until) {
    var left = Math.round((until - (Date.now() + offset)) / 1000);
    if (left <= 0) return 'due now';
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    return 'in ' + (h > 0 ? h + ' h ' : '') + (h > 0 || m > 0 ? m + ' min ' : '') + s + ' s';
  }

  function chart(spec) {
    var template = $('chart-' + spec.machine);
    var figure = el('figure');
    figure.appendChild(el('figcaption', null, spec.machine + ' machine'));
    if (!template) return figure;
    var body = template.content.firstElementChild.cloneNode(true);
    spec.marks.forEach(function (mark) {
      var node = body.querySelector('[data-path="' + CSS.escape(mark.path) + '"]');
      if (!node) return;
      node.classList.add('current');
      for (var up = node.parentElement; up && up !== body; up = up.parentElement) if (up.classList.contains('st')) up.classList.add('on');
      if (mark.badge) node.querySelector('.badges').appendChild(el('span', 'badge', mark.badge));
    });
    figure.appendChild(body);
    return figure;
  }

  function card(post) {
    var root = el('article', 'card ' + post.status);
    root.dataset.postId = post.postId;
    root.dataset.key = post.key || '';
    root.dataset.state = post.state;
    var title = el('h2');
    title.appendChild(el('span', 'key', post.key || post.postId));
    title.appendChild(el('span', 'kind', post.kind));
    title.appendChild(el('span', 'state', post.state));
    root.appendChild(title);
    root.appendChild(el('div', 'meta', 'account ' + post.account + ' · post ' + post.postId + (post.heldBy ? ' · held by ' + post.heldBy : '')));
    if (post.caption) root.appendChild(el('p', 'caption', post.caption));
    root.appendChild(el('div', 'summary', post.summary));
    if (post.wait) {
      var wait = el('div', 'wait', 'waiting until ' + new Date(post.wait.until).toISOString() + ' (' + post.wait.reason + ') ');
      var left = el('span', 'countdown', countdown(post.wait.until));
      left.dataset.until = String(post.wait.until);
      wait.appendChild(left);
      root.appendChild(wait);
    }
    if (post.mediaId) root.appendChild(el('div', 'media', 'published: media ' + post.mediaId));
    if (post.error) {
      root.appendChild(el('div', 'error', 'failed: ' + post.error.message));
      if (post.error.remedy) root.appendChild(el('div', 'remedy', 'remedy: ' + post.error.remedy));
    }
    if (post.parts.length > 0) {
      var table = el('table', 'parts');
      post.parts.forEach(function (part) {
        var row = el('tr', 'part');
        row.dataset.part = part.label;
        row.appendChild(el('td', 'label', part.label));
        row.appendChild(el('td', 'part-state', part.state || '?'));
        row.appendChild(el('td', 'container', part.containerId ? 'container ' + part.containerId : ''));
        var extra = part.mediaId ? 'media ' + part.mediaId : part.upload ? (part.upload.done ? 'uploaded' : 'uploading') + (part.upload.bytes ? ' (' + part.upload.bytes + ' bytes)' : '') : '';
        row.appendChild(el('td', 'extra', extra));
        table.appendChild(row);
      });
      root.appendChild(table);
    }
    var charts = el('div', 'charts');
    post.charts.forEach(function (spec) { charts.appendChild(chart(spec)); });
    root.appendChild(charts);
    var history = el('details', 'history');
    history.appendChild(el('summary', null, 'history (' + post.history.length + ')'));
    var list = el('ol');
    post.history.forEach(function (entry) { list.appendChild(el('li', null, new Date(entry.at).toISOString() + ' ' + entry.text)); });
    history.appendChild(list);
    root.appendChild(history);
    return root;
  }

  function fillSelect(id, values) {
    var select = $(id);
    var chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    Array.from(new Set(values)).sort().forEach(function (v) { select.add(new Option(v, v)); });
    select.value = chosen;
  }

  function render() {
    var all = Array.from(posts.values());
    fillSelect('f-state', all.map(function (p) { return p.state; }));
    fillSelect('f-account', all.map(function (p) { return p.account; }));
    fillSelect('f-kind', all.map(function (p) { return p.kind; }));
    var state = $('f-state').value, account = $('f-account').value, kind = $('f-kind').value;
    var search = $('f-key').value.trim().toLowerCase();
    var shown = all.filter(function (p) {
      return (!state || p.state === state) && (!account || p.account === account) && (!kind || p.kind === kind)
        && (!search || (p.key || '').toLowerCase().indexOf(search) >= 0 || p.postId.toLowerCase().indexOf(search) >= 0);
    });
    var open = new Set(Array.from(document.querySelectorAll('details.history[open]')).map(function (d) { return d.closest('.card').dataset.postId; }));
    var box = $('posts');
    box.replaceChildren.apply(box, shown.map(card));
    open.forEach(function (id) {
      var c = box.querySelector('.card[data-post-id="' + CSS.escape(id) + '"] details.history');
      if (c) c.open = true;
    });
    if (shown.length === 0) box.appendChild(el('p', 'empty', all.length === 0 ? 'No posts in the store yet.' : 'No post matches the filters.'));
    $('count').textContent = shown.length + ' of ' + all.length + ' posts';
  }

  function onMessage(type, data) {
    if (typeof data.now === 'number') offset = data.now - Date.now();
    if (type === 'posts') { posts = new Map(data.posts.map(function (p) { return [p.postId, p]; })); $('problem').textContent = data.problem || ''; render(); }
    else if (type === 'post') { posts.set(data.post.postId, data.post); render(); }
    else if (type === 'gone') { posts.delete(data.postId); render(); }
    else if (type === 'problem') { $('problem').textContent = data.message || ''; }
  }

  function live(on, text) {
    $('live').className = on ? 'on' : '';
    $('live').textContent = text;
  }

  async function connect() {
    try {
      var answer = await fetch('/api/events', { headers: headers(), cache: 'no-store' });
      if (answer.status === 401) { live(false, 'wrong or missing watch token'); askToken(); return; }
      if (!answer.ok || !answer.body) throw new Error('HTTP ' + answer.status);
      live(true, 'live');
      var reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
      var buffer = '';
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value;
        var end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          var frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          var type = 'message', data = '';
          frame.split('\n').forEach(function (line) {
            if (line.indexOf('event: ') === 0) type = line.slice(7);
            else if (line.indexOf('data: ') === 0) data += line.slice(6);
          });
          if (data) onMessage(type, JSON.parse(data));
        }
      }
    } catch (e) {
      // the stream broke: say so and connect again
    }
    live(false, 'reconnecting…');
    setTimeout(connect, 1000);
  }

  function askToken() {
    $('token-form').hidden = false;
  }

  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem('igflow-watch-token', $('token').value);
    $('token').value = '';
    $('token-form').hidden = true;
    connect();
  });
  ['f-state', 'f-account', 'f-kind'].forEach(function (id) { $(id).addEventListener('change', render); });
  $('f-key').addEventListener('input', render);
  setInterval(function () {
    document.querySelectorAll('.countdown').forEach(function (node) { node.textContent = countdown(Number(node.dataset.until)); });
  }, 250);
  if (needsToken && !token()) askToken(); else connect();
})();
`;
