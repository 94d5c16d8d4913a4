// A fixed mix of shop events for ingestion benchmarks: customers, principals, orders, refunds,
// accesses and exports in the proportions a shop's event stream has (mostly accesses).
export function* shopEvents(n: number, seed = 1): Generator<Record<string, unknown>> {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚';
  const t0 = Date.UTC(2026, 5, 1);
  let customers = 0;
  let orders = 0;
  for (let i = 0; i < n; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    const r = rnd();
    const id = `bench-${seed}-${i}`;
    if (i < 50 || r < 0.01) {
      yield { id, type: 'principal.upserted', at, principalId: `p${i % 200}`, kind: 'staff', name: '王芳', team: '售后' };
    } else if (r < 0.11 || customers === 0) {
      customers++;
      yield {
        id,
        type: 'customer.upserted',
        at,
        customerId: `c${customers}`,
        name: surnames[customers % 20]! + given[(customers * 7) % 20]!,
        phone: `13${String(100000000 + ((customers * 7919) % 899999999)).padStart(9, '0')}`,
        address: { province: '广东省', city: '深圳市', district: '南山区', line: `科技园${customers}号` },
      };
    } else if (r < 0.3 || orders === 0) {
      orders++;
      yield {
        id,
        type: 'order.placed',
        at,
        orderId: `o${orders}`,
        customerId: `c${1 + Math.floor(rnd() * customers)}`,
        items: [{ sku: 'KJ-500', title: '空气净化器', model: 'KJ-500', color: '白色', price: 1999, quantity: 1 }],
        total: 1999,
      };
    } else if (r < 0.33) {
      yield { id, type: 'refund.requested', at, refundId: `r${i}`, orderId: `o${1 + Math.floor(rnd() * orders)}` };
    } else {
      yield {
        id,
        type: 'data.accessed',
        at,
        principalId: `p${Math.floor(rnd() * 200)}`,
        orderId: `o${1 + Math.floor(rnd() * orders)}`,
        fields: ['name', 'phone', 'items'],
        channel: 'console',
      };
    }
  }
}
