// The login form (auth on): POST /auth/login, then the app goes on with the session's CSRF token.
import { login } from '../api.js';
import { el, replace } from '../dom.js';

export function renderLogin(container, message, onLoggedIn) {
  const status = el('p', { class: 'note', testid: 'login-message', role: 'status' }, message ?? '');
  const user = el('input', { name: 'username', autocomplete: 'username', required: true, testid: 'login-user' });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, testid: 'login-password' });
  const submit = el('button', { type: 'submit', class: 'primary', testid: 'login-submit' }, 'Log in');
  const form = el('form', { class: 'card login', testid: 'login-form' },
    el('h1', {}, 'Log in to nscr'),
    el('label', {}, 'User name', user),
    el('label', {}, 'Password', password),
    submit,
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = '';
    try {
      await login(user.value, password.value);
      onLoggedIn();
    } catch (error) {
      status.textContent = error.status === 401 ? 'Wrong user name or password.' : error.message;
      status.classList.add('error');
      submit.disabled = false;
    }
  });
  replace(container, form);
  user.focus();
}
