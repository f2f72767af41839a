// "Agree to all" on the consent page, as a checkbox that ticks every optional item live, like
// Kakao's consent screen. Progressive enhancement: without JavaScript the page offers a submit
// button instead, which the server reads as every item on the screen; this script swaps the two.
const all = document.getElementById('agree-all');
const row = document.getElementById('agree-all-row');
const button = document.getElementById('agree-all-button');
const items = [...document.querySelectorAll('input[data-optional-item]')];
if (all && row && button && items.length) {
  const sync = () => {
    all.checked = items.every((box) => box.checked);
  };
  all.addEventListener('change', () => {
    for (const box of items) box.checked = all.checked;
  });
  for (const box of items) box.addEventListener('change', sync);
  sync();
  row.hidden = false;
  button.hidden = true;
}
