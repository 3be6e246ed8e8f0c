// Every error ends up on the page (never only in the console): a dismissable
// message in the #errors region, which is a live alert for screen readers.
// The same message twice is one toast with a count; a later success can
// resolve the messages of its topic; at most three toasts show, stacked in
// the bottom corner, and the page gains room below its content so they
// never hide any of it; the last few messages stay readable in a small log.
const region = () => document.getElementById('errors');
const VISIBLE = 3;
const LOGGED = 8;
const log = []; // { text, count, time }, newest first

// The toasts and the log share one corner.
function corner() {
  let box = document.getElementById('messages');
  if (!box) {
    box = document.createElement('div');
    box.id = 'messages';
    box.className = 'messages';
    region().before(box);
    const details = document.createElement('details');
    details.id = 'error-log';
    details.className = 'error-log';
    details.hidden = true;
    details.append(document.createElement('summary'), document.createElement('ol'));
    details.addEventListener('toggle', makeRoom);
    box.append(region(), details);
  }
  return box;
}

function logPanel() {
  corner();
  return document.getElementById('error-log');
}

function renderLog() {
  const details = logPanel();
  details.hidden = log.length === 0;
  details.querySelector('summary').textContent = `Recent messages (${log.length})`;
  details.querySelector('ol').replaceChildren(
    ...log.map((entry) => {
      const li = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = entry.time.toLocaleTimeString('en-GB');
      li.append(time, ` ${entry.text}${entry.count > 1 ? ` (×${entry.count})` : ''}`);
      return li;
    }),
  );
}

// room below the page's content for the toasts, so nothing stays hidden under them
function makeRoom() {
  const box = corner();
  document.body.style.paddingBottom = box.offsetHeight ? `${box.offsetHeight + 16}px` : '';
}

/** Shows a message; topic (optional) lets a later success resolve it (resolveErrors). */
export function showError(message, { topic = '' } = {}) {
  const r = region();
  const entry = log.find((e) => e.text === message);
  if (entry) {
    entry.count += 1;
    entry.time = new Date();
    log.splice(log.indexOf(entry), 1);
    log.unshift(entry);
  } else log.unshift({ text: message, count: 1, time: new Date() });
  log.length = Math.min(log.length, LOGGED);
  renderLog();

  const same = [...r.children].find((b) => b.dataset.text === message);
  if (same) {
    const n = Number(same.dataset.count) + 1;
    same.dataset.count = String(n);
    same.querySelector('.error-count').textContent = `×${n}`;
    r.append(same); // the newest stays nearest the corner
    makeRoom();
    return;
  }
  const box = document.createElement('div');
  box.className = 'error-toast';
  box.dataset.text = message;
  box.dataset.count = '1';
  box.dataset.topic = topic;
  const text = document.createElement('p');
  text.textContent = message;
  const count = document.createElement('span');
  count.className = 'error-count';
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => {
    box.remove();
    makeRoom();
  });
  box.append(text, count, close);
  r.append(box);
  while (r.children.length > VISIBLE) r.firstElementChild.remove();
  makeRoom();
}

/** A success that settles a topic removes its messages (the log keeps them). */
export function resolveErrors(topic) {
  for (const box of [...region().children]) if (box.dataset.topic === topic) box.remove();
  makeRoom();
}

// An error event without an exception is a browser notice, not a failure of the
// page: the ResizeObserver "loop" report is one (a callback changed layout again,
// and the next frame delivers the rest). Every exception a script throws carries its error.
export function catchPageErrors() {
  window.addEventListener('error', (e) => {
    if (e.error == null) return;
    showError(`Something went wrong: ${e.message}`);
  });
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    showError(`Something went wrong: ${e.reason?.message ?? e.reason}`);
  });
}
