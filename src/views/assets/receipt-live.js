// Live receipt (progressive enhancement): the page works and refreshes itself without this
// script (a <noscript> refresh); with it, the status is fetched from the page's .json twin every
// few seconds and updated in place, inside an aria-live="polite" list so screen readers hear the
// change. Polling stops for good once every app is told or given up on, or the link stops working.
(() => {
  const root = document.querySelector('[data-receipt-json]');
  if (!root || root.getAttribute('data-final') === 'true') return;
  const url = root.getAttribute('data-receipt-json');
  const EVERY_MS = 3000;

  function show(body) {
    body.apps.forEach((entry, i) => {
      const el = document.getElementById(`receipt-status-${i}`);
      if (!el) return;
      if (el.textContent !== entry.status) el.textContent = entry.status;
      el.setAttribute('data-state', entry.state);
    });
    if (body.final) {
      root.setAttribute('data-final', 'true');
      const note = document.getElementById('receipt-live-note');
      if (note) note.remove();
    }
  }

  async function poll() {
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      // 4xx: signed out or the link ended; the page keeps what it last showed.
      if (res.status >= 400 && res.status < 500) return;
      if (res.ok) {
        const body = await res.json();
        show(body);
        if (body.final) return;
      }
    } catch {
      // offline for a moment: try again on the next round
    }
    setTimeout(poll, EVERY_MS);
  }

  setTimeout(poll, EVERY_MS);
})();
