import { api, homeOf, remember, showError } from './api.js';

const form = document.querySelector('#sign-in');
const error = document.querySelector('#error');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  try {
    const who = await api('/api/auth/login', {
      method: 'POST',
      body: { email: form.email.value, password: form.password.value },
    });
    remember(who);
    const next = new URLSearchParams(location.search).get('next');
    location.assign(next?.startsWith('/') && !next.startsWith('//') ? next : homeOf(who.role));
  } catch (failure) {
    showError(error, failure);
  }
});
