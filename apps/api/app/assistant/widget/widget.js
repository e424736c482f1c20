/* WISMO order assistant: a chat button any store page embeds with
 *   <script src="https://API/widget.js" data-key="WIDGET_KEY" [data-lang="es"] defer></script>
 * Plain JavaScript, no framework, everything inside a Shadow DOM so the page's styles and
 * the widget's never mix. The conversation id is kept in localStorage, so the chat survives
 * page loads. Keyboard: the button opens the panel and focuses the message box, Esc closes
 * it and gives focus back to the button. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__wismoWidget) return;
  window.__wismoWidget = true;
  var key = script.getAttribute('data-key') || '';
  var api = (script.getAttribute('data-api') || new URL(script.src).origin).replace(/\/$/, '');
  var requested = script.getAttribute('data-lang') || '';
  var storeKey = 'wismo-chat:' + key;

  // Interface words per language (the assistant's replies come from the server).
  var UI = {
    en: ['Chat about your order', 'Order help', 'Close chat', 'Your message', 'Send', 'End chat', 'Rate this conversation', 'Sorry, the message could not be sent. Please try again.', 'Ask where your order is'],
    es: ['Chatea sobre tu pedido', 'Ayuda con tu pedido', 'Cerrar chat', 'Tu mensaje', 'Enviar', 'Terminar chat', 'Valora esta conversación', 'Lo siento, no se pudo enviar el mensaje. Inténtalo de nuevo.', 'Pregunta dónde está tu pedido'],
    fr: ['Discuter de votre commande', 'Aide commande', 'Fermer le chat', 'Votre message', 'Envoyer', 'Terminer', 'Noter cette conversation', "Désolé, le message n'a pas pu être envoyé. Réessayez.", 'Demandez où en est votre commande'],
    de: ['Chat zu Ihrer Bestellung', 'Hilfe zur Bestellung', 'Chat schließen', 'Ihre Nachricht', 'Senden', 'Chat beenden', 'Gespräch bewerten', 'Die Nachricht konnte leider nicht gesendet werden. Bitte erneut versuchen.', 'Fragen Sie, wo Ihre Bestellung ist'],
    it: ["Chatta sul tuo ordine", 'Aiuto ordini', 'Chiudi chat', 'Il tuo messaggio', 'Invia', 'Termina chat', 'Valuta questa conversazione', 'Il messaggio non è stato inviato. Riprova.', 'Chiedi dove si trova il tuo ordine'],
    pt: ['Fale sobre a sua encomenda', 'Ajuda com encomendas', 'Fechar chat', 'A sua mensagem', 'Enviar', 'Terminar chat', 'Avaliar esta conversa', 'Não foi possível enviar a mensagem. Tente novamente.', 'Pergunte onde está a sua encomenda'],
    nl: ['Chat over je bestelling', 'Hulp bij bestellingen', 'Chat sluiten', 'Je bericht', 'Versturen', 'Chat beëindigen', 'Beoordeel dit gesprek', 'Het bericht kon niet worden verstuurd. Probeer het opnieuw.', 'Vraag waar je bestelling is'],
  };
  function pick(lang) {
    var base = String(lang || '').toLowerCase().split(/[-_]/)[0];
    return UI[base] ? base : null;
  }
  var lang = pick(requested) || pick(document.documentElement.lang) || pick(navigator.language) || 'en';
  function t(i) { return UI[lang][i]; }

  var host = document.createElement('div');
  host.setAttribute('data-wismo-widget', '');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif}' +
    '.btn{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 18px;background:#1d4ed8;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.btn:focus-visible,button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}' +
    '.panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(370px,calc(100vw - 40px));height:min(520px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}' +
    '.panel[hidden]{display:none}' +
    'header{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;background:#1d4ed8;color:#fff}' +
    'header h2{margin:0;font-weight:600;font-size:15px}header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer;padding:2px 8px}' +
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}' +
    '.m{max-width:85%;padding:8px 11px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}' +
    '.customer{align-self:flex-end;background:#1d4ed8;color:#fff}.assistant,.agent{align-self:flex-start;background:#e2e8f0;color:#111}' +
    '.m a{color:inherit}.note{align-self:center;color:#b91c1c;font-size:13px}' +
    'form{display:flex;gap:6px;padding:10px;border-top:1px solid #e2e8f0}' +
    'input{flex:1;padding:9px;border:1px solid #94a3b8;border-radius:8px}' +
    'form button,.end{border:0;border-radius:8px;padding:9px 12px;background:#1d4ed8;color:#fff;cursor:pointer}' +
    '.end{background:none;color:#1d4ed8;padding:4px 12px 10px;text-decoration:underline;align-self:flex-start}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
    '</style>' +
    '<button class="btn" type="button" aria-expanded="false" aria-controls="p"></button>' +
    '<section class="panel" id="p" role="dialog" aria-labelledby="h" hidden>' +
    '<header><h2 id="h"></h2><button type="button" class="x">&times;</button></header>' +
    '<div class="log" role="log" aria-live="polite"></div>' +
    '<form><label class="sr" for="i"></label><input id="i" autocomplete="off" maxlength="2000"><button type="submit"></button></form>' +
    '<button type="button" class="end"></button>' +
    '</section>';
  var $ = function (s) { return root.querySelector(s); };
  var button = $('.btn'), panel = $('.panel'), log = $('.log'), form = $('form'), input = $('input');
  var closeButton = $('.x'), endButton = $('.end');

  function label() {
    button.textContent = t(1);
    button.setAttribute('aria-label', t(0));
    $('#h').textContent = t(1);
    closeButton.setAttribute('aria-label', t(2));
    $('label').textContent = t(3);
    input.placeholder = t(8);
    $('form button').textContent = t(4);
    endButton.textContent = t(5);
  }
  label();

  function add(sender, text, links) {
    var el = document.createElement('div');
    el.className = 'm ' + sender;
    el.textContent = text;
    (links || []).forEach(function (link) {
      var a = document.createElement('a');
      a.href = link.url; a.target = '_blank'; a.rel = 'noopener';
      a.textContent = link.label;
      el.appendChild(document.createElement('br'));
      el.appendChild(a);
    });
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    return el;
  }
  function note(text) { add('note', text); }
  function offerSurvey(survey) {
    if (!survey) return;
    var el = add('assistant', '');
    var a = document.createElement('a');
    a.href = api + survey.url; a.target = '_blank'; a.rel = 'noopener';
    a.className = 'survey';
    a.textContent = t(6);
    el.appendChild(a);
  }

  function request(method, path, body) {
    var sep = path.indexOf('?') < 0 ? '?' : '&';
    // The key also rides in the query string: a CORS preflight carries no header values.
    return fetch(api + '/api/v1/chat' + path + sep + 'key=' + encodeURIComponent(key), {
      method: method,
      headers: { 'Content-Type': 'application/json', 'X-Widget-Key': key },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) {
      return r;
    }, function () {
      throw new Error(t(7)); // network failure, or a page whose origin the store does not allow
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { var e = new Error(data.detail || t(7)); e.status = r.status; throw e; }
        return data;
      });
    });
  }
  function setLanguage(value) {
    if (!requested && pick(value) && pick(value) !== lang) { lang = pick(value); label(); }
  }

  var conversation = null;
  try { conversation = localStorage.getItem(storeKey); } catch (e) { /* storage blocked */ }
  function remember(id) {
    conversation = id;
    try { id ? localStorage.setItem(storeKey, id) : localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
  }
  function restore() {
    if (!conversation) return;
    request('GET', '/conversations/' + conversation).then(function (c) {
      if (c.closedAt) { remember(null); return; }
      setLanguage(c.language);
      c.messages.forEach(function (m) { add(m.sender, m.text || ''); });
    }, function () { remember(null); });
  }
  function start() {
    if (conversation) return Promise.resolve(conversation);
    var body = requested ? { lang: requested } : {};
    return request('POST', '/conversations', body).then(function (c) { remember(c.id); return c.id; });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    add('customer', text);
    start().then(function (id) {
      return request('POST', '/conversations/' + id + '/messages', { text: text });
    }).then(function (result) {
      setLanguage(result.language);
      if (result.reply) add('assistant', result.reply.text, result.reply.links);
      offerSurvey(result.survey);
    }).catch(function (error) {
      if (error.status === 404 || error.status === 409) remember(null);
      note(error.message);
    });
  });
  endButton.addEventListener('click', function () {
    if (!conversation) { toggle(false); return; }
    request('POST', '/conversations/' + conversation + '/close').then(function (c) {
      remember(null);
      offerSurvey(c.survey);
    }, function (error) { remember(null); note(error.message); });
  });

  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) input.focus(); else button.focus();
  }
  button.addEventListener('click', function () { toggle(panel.hidden); });
  closeButton.addEventListener('click', function () { toggle(false); });
  root.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) { event.stopPropagation(); toggle(false); }
  });

  (document.body || document.documentElement).appendChild(host);
  restore();
})();
