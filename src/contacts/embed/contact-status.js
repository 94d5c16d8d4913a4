// <fanzha-contact-status> — the official-contact status card for a shop's web and in-app pages.
// Dependency-free. The page never talks to fanzha with a key: it fetches the status from the
// shop's OWN backend (which calls GET /v1/customers/:id/contact-status with its ingest key for the
// signed-in customer and returns the JSON as is). Usage:
//   <script src="https://fanzha.example/embed/contact-status.js" defer></script>
//   <fanzha-contact-status src="/api/me/contact-status" refresh="15"></fanzha-contact-status>
// Attributes: src (URL on the shop's origin, fetched with the customer's cookies), refresh
// (seconds between updates while the page is visible; default 15, 0 = once), lang (zh-CN | en).
// Or set `element.data = {...}` from your own code. All text is inserted as text, never as HTML.
(function () {
  if (typeof customElements === 'undefined' || customElements.get('fanzha-contact-status')) return;

  var TEXT = {
    'zh-CN': {
      title: '官方联系状态',
      calling: '我们正在联系您',
      notCalling: '我们现在没有联系您',
      staff: '客服',
      order: '订单',
      reason: '事由',
      phrase: '口令',
      phraseHint: '对方应说出这个口令。口令不符请挂断。您不需要向对方报出任何信息或验证码。',
      hangUp: '如有人自称客服来电，请挂断。我们不会为退款来电，不会索要银行卡号、身份证号或验证码，也不会发送退款链接。',
      last: '最近一次官方联系',
      error: '暂时无法获取联系状态。任何自称客服的来电都请先挂断，再通过App联系我们。',
      channels: { phone: '电话', sms: '短信', chat: '在线消息' },
    },
    en: {
      title: 'Official contact status',
      calling: 'We are contacting you now',
      notCalling: 'We are not contacting you',
      staff: 'Staff',
      order: 'Order',
      reason: 'About',
      phrase: 'Phrase',
      phraseHint: 'They should say this phrase. If it does not match, hang up. You never need to tell them anything or read out a code.',
      hangUp: 'If someone calls claiming to be our customer service, hang up. We never call about refunds, never ask for card or ID numbers or codes, and never send refund links.',
      last: 'Last official contact',
      error: 'Contact status is unavailable right now. Hang up on anyone claiming to be us and contact us through the app.',
      channels: { phone: 'phone', sms: 'SMS', chat: 'chat' },
    },
  };

  var CSS =
    ':host{display:block;font:14px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif}' +
    '.card{border-radius:10px;padding:12px 14px;border:1px solid #d0d7de;background:#f6f8fa;color:#1f2328}' +
    '.card.calling{border-color:#1a7f37;background:#dafbe1}' +
    '.card.none{border-color:#bf8700;background:#fff8c5}' +
    '.title{font-size:12px;opacity:.75;margin:0 0 4px}' +
    '.head{font-weight:600;font-size:16px;margin:0 0 6px}' +
    '.row{margin:2px 0}' +
    '.phrase{font-size:20px;font-weight:700;letter-spacing:.05em;margin:6px 0}' +
    '.hint{font-size:12px;opacity:.85;margin-top:6px}';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function fmtTime(iso, lang) {
    try {
      return new Date(iso).toLocaleString(lang === 'en' ? 'en' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
    } catch (e) {
      return iso;
    }
  }

  class FanzhaContactStatus extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'refresh', 'lang'];
    }
    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      var style = document.createElement('style');
      style.textContent = CSS;
      this._root.appendChild(style);
      this._box = el('div', 'card', '');
      this._box.setAttribute('role', 'status');
      this._box.setAttribute('aria-live', 'polite');
      this._root.appendChild(this._box);
      this._timer = null;
      this._onVisible = this._onVisible.bind(this);
    }
    connectedCallback() {
      document.addEventListener('visibilitychange', this._onVisible);
      this._load();
    }
    disconnectedCallback() {
      document.removeEventListener('visibilitychange', this._onVisible);
      clearTimeout(this._timer);
    }
    attributeChangedCallback() {
      if (this.isConnected) this._load();
    }
    set data(v) {
      this._data = v;
      this._render();
    }
    get data() {
      return this._data;
    }
    _onVisible() {
      if (document.visibilityState === 'visible') this._load();
    }
    _lang() {
      var l = this.getAttribute('lang') || (this._data && this._data.lang) || document.documentElement.lang || 'zh-CN';
      return /^en/i.test(l) ? 'en' : 'zh-CN';
    }
    _load() {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- ES5 card for any shop page: no arrow functions
      var self = this;
      var src = this.getAttribute('src');
      clearTimeout(this._timer);
      if (!src) {
        this._render();
        return;
      }
      fetch(src, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (d) {
          self._data = d;
          self._error = false;
          self._render();
        })
        .catch(function () {
          self._error = true;
          self._render();
        })
        .then(function () {
          var every = Number(self.getAttribute('refresh') || 15);
          if (every > 0 && document.visibilityState !== 'hidden') self._timer = setTimeout(function () { self._load(); }, every * 1000);
        });
    }
    _render() {
      var t = TEXT[this._lang()];
      var d = this._data;
      var box = this._box;
      while (box.firstChild) box.removeChild(box.firstChild);
      box.appendChild(el('p', 'title', t.title));
      if (this._error || !d) {
        box.className = 'card none';
        box.appendChild(el('p', 'hint', this._error ? t.error : ''));
        return;
      }
      var s = d.session;
      if (d.contacting && s) {
        box.className = 'card calling';
        box.appendChild(el('p', 'head', t.calling + '（' + (t.channels[s.channel] || s.channel) + '）'));
        box.appendChild(el('p', 'row', t.staff + '：' + s.staffName + (s.team ? ' · ' + s.team : '')));
        if (s.orderId) box.appendChild(el('p', 'row', t.order + '：' + s.orderId));
        if (s.reason) box.appendChild(el('p', 'row', t.reason + '：' + s.reason));
        box.appendChild(el('p', 'row', t.phrase + '：'));
        box.appendChild(el('p', 'phrase', s.phrase));
        box.appendChild(el('p', 'hint', t.phraseHint));
      } else {
        box.className = 'card none';
        box.appendChild(el('p', 'head', t.notCalling));
        box.appendChild(el('p', 'hint', t.hangUp));
        if (d.lastContactAt) box.appendChild(el('p', 'row', t.last + '：' + fmtTime(d.lastContactAt, this._lang())));
      }
    }
  }
  customElements.define('fanzha-contact-status', FanzhaContactStatus);
})();
