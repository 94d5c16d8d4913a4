// What a customer sees of the staff member calling: a short form of address plus the team,
// never the full name (a full name helps impersonators and exposes staff).
//   Chinese names: 小 + surname (王芳 → 小王, 欧阳娜娜 → 小欧阳), the way Chinese customer service
//   staff introduce themselves; names that already are such a form (小王, 阿强, 老李) are kept.
//   Latin names: the given name only ("Alice Smith" → "Alice", "Smith, Alice" → "Alice",
//   "Dr. Jane Doe" → "Jane").
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '令狐',
  '夏侯',
  '轩辕',
  '端木',
  '南宫',
  '独孤',
  '西门',
  '澹台',
  '公冶',
  '赫连',
  '呼延',
  '闻人',
  '申屠',
  '太叔',
  '钟离',
  '宗政',
  '濮阳',
  '淳于',
  '单于',
  '万俟',
]);
const TITLES = /^(mr|mrs|ms|miss|dr|prof|sir|madam)\.?$/i;
const HAN = /\p{Script=Han}/u;

export function staffDisplayName(fullName: string): string {
  const name = fullName.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!name) return '';
  if (HAN.test(name)) {
    const han = name.replace(/[^\p{Script=Han}]/gu, '');
    if (/^[小阿老]/.test(han) && han.length <= 3) return han;
    if (han.length <= 1) return han;
    const two = han.slice(0, 2);
    const surname = han.length > 2 && COMPOUND_SURNAMES.has(two) ? two : han[0]!;
    return '小' + surname;
  }
  let parts: string[];
  if (name.includes(',')) {
    const [family, given] = name.split(',', 2);
    parts = (given ?? family ?? '').trim().split(' ');
  } else {
    parts = name.split(' ');
  }
  const given = parts.find((p) => p && !TITLES.test(p) && !/^[A-Z]\.?$/i.test(p)) ?? parts[0] ?? '';
  return given.slice(0, 30);
}
