// The one confirmation dialog of the page (index.html's <dialog id="confirm">).

/** Resolves true when the user confirms. */
export function confirmAction(title, message, confirmLabel = 'Delete') {
  const dialog = document.getElementById('confirm');
  dialog.querySelector('[data-testid="confirm-title"]').textContent = title;
  dialog.querySelector('[data-testid="confirm-message"]').textContent = message;
  dialog.querySelector('[data-testid="confirm-ok"]').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}
