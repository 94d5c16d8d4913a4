// Plausible Chinese customer details for canaries. A canary only works if nobody can tell it from
// a real customer, so names follow the surname frequencies of the population, addresses are real
// city/district pairs, and items are ordinary goods at ordinary prices. Randomness is
// cryptographic: a leaker must not be able to recognise canaries by a predictable pattern.
import { randomInt } from 'node:crypto';

// The most common surnames, roughly by frequency (repeats weight the draw).
const SURNAMES =
  '王王王王李李李李张张张张刘刘刘陈陈陈杨杨赵赵黄黄周周吴吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文'.split(
    '',
  );
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强晓东海燕红梅鹏飞丹宇浩然子涵欣怡梓萱一诺雨彤思远佳琪俊杰文博嘉怡晨阳雪梅玉兰春花国庆建军'.split(
    '',
  );

const PLACES: { province: string; city: string; districts: string[] }[] = [
  { province: '广东省', city: '深圳市', districts: ['南山区', '福田区', '宝安区', '龙岗区', '罗湖区'] },
  { province: '广东省', city: '广州市', districts: ['天河区', '海珠区', '越秀区', '白云区', '番禺区'] },
  { province: '北京市', city: '北京市', districts: ['朝阳区', '海淀区', '丰台区', '东城区', '西城区'] },
  { province: '上海市', city: '上海市', districts: ['浦东新区', '徐汇区', '闵行区', '静安区', '杨浦区'] },
  { province: '浙江省', city: '杭州市', districts: ['西湖区', '拱墅区', '余杭区', '滨江区', '上城区'] },
  { province: '江苏省', city: '南京市', districts: ['鼓楼区', '玄武区', '建邺区', '江宁区', '秦淮区'] },
  { province: '江苏省', city: '苏州市', districts: ['姑苏区', '吴中区', '工业园区', '相城区', '虎丘区'] },
  { province: '四川省', city: '成都市', districts: ['武侯区', '锦江区', '青羊区', '金牛区', '成华区'] },
  { province: '湖北省', city: '武汉市', districts: ['洪山区', '武昌区', '江汉区', '江岸区', '汉阳区'] },
  { province: '陕西省', city: '西安市', districts: ['雁塔区', '碑林区', '未央区', '莲湖区', '长安区'] },
  { province: '山东省', city: '济南市', districts: ['历下区', '市中区', '槐荫区', '天桥区', '历城区'] },
  { province: '河南省', city: '郑州市', districts: ['金水区', '中原区', '二七区', '管城回族区', '惠济区'] },
];
const STREETS = ['人民路', '建设路', '中山路', '解放路', '和平路', '新华路', '文化路', '科技路', '长江路', '黄河路', '学府路', '滨河路'];
const ESTATES = ['花园', '小区', '公寓', '家园', '新村', '苑', '华庭', '雅居'];
const ESTATE_HEADS = ['阳光', '锦绣', '金色', '翠湖', '幸福', '东方', '碧水', '绿城', '紫荆', '世纪'];

const CATALOG: { title: string; models: string[]; colors: string[]; sizes?: string[]; price: [number, number] }[] = [
  { title: '无线蓝牙耳机', models: ['TWS-Pro', 'Air 3', 'BE-200'], colors: ['白色', '黑色'], price: [99, 699] },
  { title: '空气净化器', models: ['KJ-300', 'KJ-500', 'AP-Mini'], colors: ['白色', '灰色'], price: [599, 2999] },
  { title: '男士休闲夹克', models: ['春秋款', '加绒款'], colors: ['藏青', '卡其', '黑色'], sizes: ['M', 'L', 'XL', 'XXL'], price: [159, 499] },
  { title: '女士羊毛大衣', models: ['双面呢', '中长款'], colors: ['驼色', '燕麦', '黑色'], sizes: ['S', 'M', 'L'], price: [399, 1599] },
  { title: '运动跑步鞋', models: ['缓震款', '轻跑款'], colors: ['白蓝', '黑红', '灰色'], sizes: ['39', '40', '41', '42', '43'], price: [199, 899] },
  { title: '儿童保温杯', models: ['316不锈钢 400ml', '吸管款 500ml'], colors: ['粉色', '蓝色'], price: [49, 159] },
  { title: '智能手环', models: ['Band 8', 'Band 9 NFC'], colors: ['曜石黑', '冰川银'], price: [199, 399] },
  { title: '电动牙刷', models: ['声波 S1', '声波 S3'], colors: ['白色', '粉色'], price: [129, 459] },
  { title: '婴儿纸尿裤', models: ['NB码 84片', 'M码 64片', 'L码 54片'], colors: ['标准'], price: [89, 199] },
  { title: '扫地机器人', models: ['T10', 'X20 Pro'], colors: ['白色', '黑色'], price: [1299, 4299] },
  { title: '床上四件套', models: ['纯棉 1.5米', '纯棉 1.8米'], colors: ['灰白格', '浅蓝', '米黄'], price: [199, 699] },
  { title: '破壁料理机', models: ['PB-1', 'PB-Max'], colors: ['白色'], price: [299, 1299] },
];

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)]!;

export function fakeName(): string {
  const given = randomInt(100) < 30 ? pick(GIVEN) : pick(GIVEN) + pick(GIVEN);
  return pick(SURNAMES) + given;
}

export interface FakeAddress {
  province: string;
  city: string;
  district: string;
  line: string;
}

export function fakeAddress(): FakeAddress {
  const p = pick(PLACES);
  const estate = pick(ESTATE_HEADS) + pick(ESTATES);
  const line = `${pick(STREETS)}${randomInt(1, 400)}号${estate}${randomInt(1, 30)}栋${randomInt(1, 4)}单元${randomInt(1, 33)}0${randomInt(1, 5)}室`;
  return { province: p.province, city: p.city, district: pick(p.districts), line };
}

export interface FakeItem {
  sku: string;
  title: string;
  model?: string;
  color?: string;
  size?: string;
  price: number;
  quantity: number;
}

export function fakeItems(): FakeItem[] {
  const n = randomInt(100) < 75 ? 1 : 2;
  const out: FakeItem[] = [];
  for (let i = 0; i < n; i++) {
    const c = pick(CATALOG);
    const [lo, hi] = c.price;
    // Prices end in 9 or 0 like real listings.
    const price = Math.round((lo + randomInt(hi - lo + 1)) / 10) * 10 - (randomInt(2) ? 1 : 0);
    out.push({
      sku: `SKU${randomInt(100000, 999999)}`,
      title: c.title,
      model: pick(c.models),
      color: pick(c.colors),
      ...(c.sizes ? { size: pick(c.sizes) } : {}),
      price: Math.max(price, 9),
      quantity: 1,
    });
  }
  return out;
}

/** A numeric id of the given length, the shape most Chinese shops use for orders and members. */
export function numericId(length: number): string {
  let s = String(randomInt(1, 10));
  while (s.length < length) s += String(randomInt(10));
  return s;
}

const DAY_MS = 86_400_000;

/** A canary customer and its orders, before sealing: what the service stores and the simulator plants. */
export interface CanaryDraft {
  customerId: string;
  name: string;
  address: FakeAddress;
  registeredAt: number;
  orders: { orderId: string; items: FakeItem[]; placedAt: number }[];
}

/**
 * Draws a canary: orders spread over the three days before `at` (or at the given times), the
 * customer registered weeks to months earlier, so it carries the history of an ordinary customer,
 * not one created on the spot. The one generator for the service and the simulator, so the
 * simulated canaries are exactly as indistinguishable as the real ones.
 */
export function draftCanary(o: {
  at: number;
  customerId?: string;
  orderIds?: string[];
  nOrders?: number;
  items?: FakeItem[][];
  placedAt?: number[];
}): CanaryDraft {
  const customerId = o.customerId ?? numericId(12);
  const orderIds = o.orderIds ?? Array.from({ length: o.nOrders ?? o.items?.length ?? 1 }, () => numericId(19));
  const placedAt = orderIds.map((_, k) => o.placedAt?.[k] ?? o.at - randomInt(0, 3 * DAY_MS));
  const registeredAt = Math.min(...placedAt) - randomInt(DAY_MS, 400 * DAY_MS);
  return {
    customerId,
    name: fakeName(),
    address: fakeAddress(),
    registeredAt,
    orders: orderIds.map((orderId, k) => ({ orderId, items: o.items?.[k] ?? fakeItems(), placedAt: placedAt[k]! })),
  };
}
