// Every error ends up on the page (never only in the console): a dismissable
// message in the #errors region, which is a live alert for screen readers.
const region = () => document.getElementById('errors');

export function showError(message) {
  const box = document.createElement('div');
  box.className = 'error-toast';
  const text = document.createElement('p');
  text.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => box.remove());
  box.append(text, close);
  region().append(box);
  while (region().children.length > 3) region().firstElementChild.remove();
}

// The browser reports a ResizeObserver callback that changed layout again as
// an "error", though nothing failed: the next frame delivers the rest.
const BENIGN = /^ResizeObserver loop/;

export function catchPageErrors() {
  window.addEventListener('error', (e) => {
    if (BENIGN.test(e.message ?? '')) return;
    showError(`Something went wrong: ${e.message}`);
  });
  window.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    showError(`Something went wrong: ${e.reason?.message ?? e.reason}`);
  });
}
