// Demo only: fills two cards with fixed data (a real page uses the src attribute).
document.addEventListener('DOMContentLoaded', function () {
  var none = { customerId: 'demo', contacting: false, session: null, lastContactAt: '2026-11-20T06:30:00Z', lastContactChannel: 'phone', lang: 'zh-CN', message: '' };
  var pay = document.getElementById('payment-card');
  if (pay) pay.data = none;
  var en = document.getElementById('english-card');
  if (en) en.data = { customerId: 'demo', contacting: true, lang: 'en', message: '', lastContactAt: null, lastContactChannel: null, session: { id: 'cs_demo', channel: 'phone', status: 'connected', staffName: 'Alice', team: 'After-sales', orderId: 'D2016071400123', reason: 'Delivery date of your replacement', phrase: 'panda lantern', startedAt: '2026-11-27T08:00:00Z', expiresAt: '2026-11-27T08:30:00Z' } };
});
