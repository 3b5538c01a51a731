import { api, homeOf, remember, showError } from './api.js';

const params = new URLSearchParams(location.search);
const form = document.querySelector('#sign-up');
const error = document.querySelector('#error');
if (params.get('code')) form.code.value = params.get('code');
if (params.get('setup')) {
  document.querySelector('#title').textContent = 'First-run setup: create the admin account';
  document.querySelector('#household-fields').hidden = true;
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const body = { code: form.code.value.trim(), email: form.email.value, password: form.password.value };
  if (!document.querySelector('#household-fields').hidden && form.alias.value.trim()) {
    body.alias = form.alias.value.trim();
    body.occupants = Number(form.occupants.value);
  }
  try {
    const who = await api('/api/auth/signup', { method: 'POST', body });
    remember(who);
    location.assign(homeOf(who.role));
  } catch (failure) {
    showError(error, failure);
  }
});
