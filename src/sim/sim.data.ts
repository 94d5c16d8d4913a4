// Word lists for realistic Chinese shop data: surnames by frequency, given-name characters,
// provinces with cities and districts, street names, mobile prefixes, and a small catalogue.
import type { Prng } from './prng.ts';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文'.split(
    '',
  );
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯欣怡婷雪琳晨阳佳琪子涵梓轩雨萱博文思远嘉怡俊杰晓东海燕志强丹丹'.split(
  '',
);

export const PLACES: { province: string; cities: { city: string; districts: string[] }[] }[] = [
  {
    province: '广东省',
    cities: [
      { city: '深圳市', districts: ['南山区', '福田区', '宝安区', '龙岗区'] },
      { city: '广州市', districts: ['天河区', '越秀区', '海珠区', '番禺区'] },
      { city: '东莞市', districts: ['南城街道', '东城街道', '虎门镇'] },
    ],
  },
  {
    province: '浙江省',
    cities: [
      { city: '杭州市', districts: ['西湖区', '余杭区', '滨江区', '拱墅区'] },
      { city: '宁波市', districts: ['鄞州区', '海曙区', '江北区'] },
    ],
  },
  {
    province: '江苏省',
    cities: [
      { city: '南京市', districts: ['鼓楼区', '玄武区', '江宁区'] },
      { city: '苏州市', districts: ['姑苏区', '工业园区', '吴中区'] },
    ],
  },
  { province: '北京市', cities: [{ city: '北京市', districts: ['朝阳区', '海淀区', '东城区', '丰台区'] }] },
  { province: '上海市', cities: [{ city: '上海市', districts: ['浦东新区', '徐汇区', '静安区', '闵行区'] }] },
  { province: '四川省', cities: [{ city: '成都市', districts: ['武侯区', '锦江区', '高新区'] }] },
  { province: '湖北省', cities: [{ city: '武汉市', districts: ['洪山区', '江汉区', '武昌区'] }] },
  {
    province: '山东省',
    cities: [
      { city: '济南市', districts: ['历下区', '市中区'] },
      { city: '青岛市', districts: ['市南区', '崂山区', '黄岛区'] },
    ],
  },
  {
    province: '福建省',
    cities: [
      { city: '厦门市', districts: ['思明区', '湖里区'] },
      { city: '福州市', districts: ['鼓楼区', '仓山区'] },
    ],
  },
  { province: '河南省', cities: [{ city: '郑州市', districts: ['金水区', '二七区', '中原区'] }] },
];
const STREETS = ['人民路', '建设路', '中山路', '解放路', '科技园路', '滨河大道', '长江路', '文化路', '新华路', '学府路', '和平街', '光明大道'];
const COMPOUNDS = ['阳光花园', '锦绣华庭', '翠湖苑', '金色家园', '万科城', '碧桂园', '幸福里', '天悦府', '书香门第', '绿地新都会'];

// Mainland mobile prefixes in use (China Mobile, Unicom, Telecom, virtual operators excluded).
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

export interface CatalogueItem {
  sku: string;
  title: string;
  models: string[];
  colors: string[];
  sizes?: string[];
  price: number;
}

export const CATALOGUE: CatalogueItem[] = [
  { sku: 'AP-500', title: '空气净化器', models: ['KJ-500', 'KJ-700'], colors: ['白色', '灰色'], price: 1999 },
  { sku: 'PH-15', title: '智能手机', models: ['X15 128G', 'X15 256G', 'X15 Pro'], colors: ['曜石黑', '冰川蓝', '晨曦金'], price: 3999 },
  { sku: 'EB-2', title: '无线蓝牙耳机', models: ['Air 2', 'Air 2 Pro'], colors: ['白色', '黑色'], price: 599 },
  { sku: 'JK-01', title: '男士羽绒服', models: ['轻薄款', '加厚款'], colors: ['黑色', '藏青', '卡其'], sizes: ['M', 'L', 'XL', 'XXL'], price: 899 },
  { sku: 'DR-22', title: '女士连衣裙', models: ['法式碎花', '简约通勤'], colors: ['米白', '雾霾蓝', '酒红'], sizes: ['S', 'M', 'L'], price: 359 },
  { sku: 'SH-9', title: '跑步鞋', models: ['缓震款', '竞速款'], colors: ['黑白', '荧光绿', '灰色'], sizes: ['39', '40', '41', '42', '43', '44'], price: 649 },
  { sku: 'RC-3', title: '电饭煲', models: ['IH 3L', 'IH 5L'], colors: ['银色', '白色'], price: 459 },
  { sku: 'BS-8', title: '婴儿推车', models: ['轻便折叠', '高景观'], colors: ['灰色', '卡其'], price: 1299 },
  { sku: 'TB-11', title: '平板电脑', models: ['Pad 11 WiFi', 'Pad 11 5G'], colors: ['深空灰', '银色'], price: 2599 },
  { sku: 'SK-4', title: '护肤套装', models: ['补水礼盒', '抗老礼盒'], colors: ['标准装'], price: 499 },
  { sku: 'CF-6', title: '咖啡机', models: ['全自动', '半自动'], colors: ['黑色', '银色'], price: 2299 },
  { sku: 'VC-7', title: '扫地机器人', models: ['T7', 'T7 Max'], colors: ['白色', '黑色'], price: 2799 },
  { sku: 'BK-5', title: '儿童绘本套装', models: ['3-6岁', '6-9岁'], colors: ['标准装'], price: 168 },
  { sku: 'WT-2', title: '智能手表', models: ['GT 4 46mm', 'GT 4 41mm'], colors: ['黑色', '棕色', '白色'], price: 1488 },
];

export function chineseName(r: Prng): string {
  const given = r.chance(0.35) ? r.pick(GIVEN) : r.pick(GIVEN) + r.pick(GIVEN);
  return r.pick(SURNAMES) + given;
}

/** A valid mainland mobile number (11 digits, real prefix), as customers type it. */
export function mobileNumber(r: Prng): string {
  let s = r.pick(MOBILE_PREFIXES);
  for (let i = 0; i < 8; i++) s += String(r.int(0, 10));
  return s;
}

export function address(r: Prng): { province: string; city: string; district: string; line: string } {
  const p = r.pick(PLACES);
  const c = r.pick(p.cities);
  return {
    province: p.province,
    city: c.city,
    district: r.pick(c.districts),
    line: `${r.pick(STREETS)}${r.int(1, 400)}号${r.pick(COMPOUNDS)}${r.int(1, 30)}栋${r.int(1, 4)}单元${r.int(1, 33)}0${r.int(1, 5)}室`,
  };
}

const VENDOR_NAMES = ['华信客服外包', '云联呼叫中心', '佳诚服务外包', '联创客服'];
const COURIERS = ['顺达快递', '中远速运', '韵捷物流', '百汇快运'];
const SELLER_WORDS = ['旗舰店', '专营店', '优选店', '官方店', '数码馆', '服饰馆', '母婴馆'];
const BRAND_WORDS = ['星河', '青禾', '木子', '佳和', '鼎盛', '森屿', '蓝鲸', '花间', '远山', '晨光', '万象', '悦购'];
export const NAMES = { VENDOR_NAMES, COURIERS, SELLER_WORDS, BRAND_WORDS };

export function shopName(r: Prng): string {
  return r.pick(BRAND_WORDS) + r.pick(BRAND_WORDS) + r.pick(SELLER_WORDS);
}
