// "Show password" for new-password fields (NIST SP 800-63B §5.1.1.2: offer to display the secret
// instead of asking for it twice). Progressive enhancement: the switch is rendered hidden and only
// this script reveals it, so without JavaScript the field is a plain password field.
for (const box of document.querySelectorAll('input[data-shows]')) {
  const input = document.getElementById(box.dataset.shows);
  const row = box.parentElement;
  if (!input || !row) continue;
  box.checked = false;
  box.addEventListener('change', () => {
    input.type = box.checked ? 'text' : 'password';
  });
  row.hidden = false;
}
