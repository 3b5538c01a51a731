import { api, homeOf, remember, showError } from './api.js';
import { safeNext } from './next.js';

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
    const next = safeNext(new URLSearchParams(location.search).get('next'), location.origin);
    location.assign(next ?? homeOf(who.role));
  } catch (failure) {
    showError(error, failure);
  }
});
