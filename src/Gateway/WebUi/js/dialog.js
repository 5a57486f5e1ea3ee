// The one confirmation dialog of the page (index.html's <dialog id="confirm">): modal, named by its title, Cancel
// focused first (a destructive action is never one Enter away), Tab and Shift+Tab cycle inside it, Escape cancels,
// and focus goes back to what opened it.

import { counterpart } from './dom.js';

const dialog = document.getElementById('confirm');

function focusable() {
  return [...dialog.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter((node) => !node.disabled && !node.hidden);
}

// The page behind a modal dialog is inert, but Tab past the last button would leave the page (to the browser's own
// controls): keep it inside.
dialog.addEventListener('keydown', (event) => {
  if (event.key !== 'Tab') return;
  const nodes = focusable();
  if (nodes.length === 0) return;
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  const inside = dialog.contains(document.activeElement);
  if (event.shiftKey && (document.activeElement === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
});

// Escape fires "cancel" and closes the dialog with an empty returnValue: the promise below resolves false.
dialog.addEventListener('cancel', () => {
  dialog.returnValue = '';
});

/** Resolves true when the user confirms. */
export function confirmAction(title, message, confirmLabel = 'Delete') {
  dialog.querySelector('[data-testid="confirm-title"]').textContent = title;
  dialog.querySelector('[data-testid="confirm-message"]').textContent = message;
  dialog.querySelector('[data-testid="confirm-ok"]').textContent = confirmLabel;
  dialog.returnValue = '';
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      // The view may have been re-rendered while the dialog was open: focus the control that replaced the opener.
      if (opener instanceof HTMLElement) counterpart(opener)?.focus();
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
    dialog.showModal();
    dialog.querySelector('[data-testid="confirm-cancel"]').focus();
  });
}
