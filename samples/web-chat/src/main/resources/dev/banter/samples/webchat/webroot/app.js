// The Banter web chat page. Every piece of user or model text reaches the page as a text node
// (textContent, append): nothing is ever parsed as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const empty = $('empty');
  const form = $('composer');
  const input = $('message');
  const send = $('send');
  const stop = $('stop');
  const picker = $('persona');
  const description = $('persona-description');
  const reset = $('reset');
  const status = $('status');

  let personas = [];
  let running = null; // {id, source, item, body}

  function say(text) {
    status.textContent = text;
  }

  async function api(method, path, body) {
    const init = {method, credentials: 'same-origin', headers: {}};
    if (method !== 'GET') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body || {});
    }
    const response = await fetch(path, init);
    if (response.status === 204) {
      return null;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(data.error || ('The server answered ' + response.status + '.'));
    }
    return data;
  }

  function personaName(id) {
    const p = personas.find((x) => x.id === id);
    return p ? p.name : 'Banter';
  }

  function addMessage(role, text, who) {
    const item = document.createElement('li');
    item.className = 'message ' + role;
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who;
    const body = document.createElement('p');
    body.className = 'text';
    body.textContent = text;
    item.append(label, body);
    log.append(item);
    empty.hidden = true;
    item.scrollIntoView({block: 'end'});
    return {item, body};
  }

  function addNote(item, text) {
    const note = document.createElement('span');
    note.className = 'note';
    note.textContent = text;
    item.append(note);
  }

  function setBusy(busy) {
    send.disabled = busy;
    reset.disabled = busy;
    stop.hidden = !busy;
    stop.disabled = !busy;
    document.body.classList.toggle('busy', busy);
  }

  function finish(state, note) {
    if (!running) {
      return;
    }
    const {source, item} = running;
    source.close();
    item.dataset.state = state;
    item.removeAttribute('aria-busy');
    if (note) {
      addNote(item, note);
    }
    running = null;
    setBusy(false);
    input.focus();
  }

  function stream(id, item, body) {
    const source = new EventSource('api/stream/' + encodeURIComponent(id));
    running = {id, source, item, body};
    item.dataset.state = 'streaming';
    item.setAttribute('aria-busy', 'true');
    setBusy(true);
    say(personaName(picker.value) + ' is answering…');
    source.addEventListener('delta', (e) => {
      body.append(JSON.parse(e.data).text);
      item.scrollIntoView({block: 'end'});
    });
    source.addEventListener('done', (e) => {
      const finishReason = JSON.parse(e.data).finish;
      if (finishReason === 'cancelled') {
        finish('stopped', 'stopped');
        say('Stopped.');
      } else if (finishReason === 'length') {
        finish('done', 'cut off at the length limit');
        say('Answer complete (cut off at the length limit).');
      } else {
        finish('done', null);
        say('Answer complete.');
      }
    });
    source.addEventListener('failure', (e) => {
      const message = JSON.parse(e.data).message;
      finish('error', 'failed: ' + message);
      say('The answer failed: ' + message);
    });
    source.onerror = () => {
      if (running && running.source === source) {
        finish('error', 'connection lost');
        say('The connection to the server was lost.');
      }
    };
  }

  async function submit() {
    const text = input.value;
    if (!text.trim() || running) {
      return;
    }
    try {
      const {id} = await api('POST', 'api/chat', {message: text});
      input.value = '';
      addMessage('user', text, 'You');
      const {item, body} = addMessage('assistant', '', personaName(picker.value));
      stream(id, item, body);
    } catch (err) {
      say(err.message);
    }
  }

  async function stopAnswer() {
    if (!running) {
      return;
    }
    stop.disabled = true;
    say('Stopping…');
    try {
      await api('POST', 'api/stop/' + encodeURIComponent(running.id));
    } catch (err) {
      say(err.message);
    }
  }

  function showDescription() {
    const p = personas.find((x) => x.id === picker.value);
    description.textContent = p && p.description ? p.description : '';
  }

  async function switchPersona() {
    try {
      const {persona} = await api('POST', 'api/persona', {persona: picker.value});
      picker.value = persona;
      showDescription();
      say('Now talking to ' + personaName(persona) + '.');
    } catch (err) {
      say(err.message);
    }
  }

  async function startOver() {
    try {
      await api('POST', 'api/reset');
      log.replaceChildren();
      empty.hidden = false;
      say('New conversation.');
      input.focus();
    } catch (err) {
      say(err.message);
    }
  }

  async function load() {
    const state = await api('GET', 'api/state');
    personas = state.personas;
    $('model').textContent = state.model ? '· ' + state.model : '';
    input.maxLength = state.maxMessageChars;
    picker.replaceChildren(...personas.map((p) => {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.name;
      return option;
    }));
    if (state.persona) {
      picker.value = state.persona;
    }
    showDescription();
    for (const m of state.history) {
      addMessage(m.role, m.text, m.role === 'user' ? 'You' : personaName(picker.value));
    }
    if (state.running) {
      const {item, body} = addMessage('assistant', '', personaName(picker.value));
      stream(state.running, item, body);
    }
    setBusy(Boolean(state.running));
    document.body.dataset.ready = 'true';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && running) {
      stopAnswer();
    }
  });
  stop.addEventListener('click', stopAnswer);
  picker.addEventListener('change', switchPersona);
  reset.addEventListener('click', startOver);

  load().catch((err) => say('Cannot load the chat: ' + err.message));
})();
