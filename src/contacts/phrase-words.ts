// Curated word lists for spoken check phrases: common, concrete, easy to say and hear over a
// phone line, no digits, nothing sensitive or negative, no near-homophones within a list
// (e.g. only one of 水果/水国-like pairs). Two words from 128 give 16,384 phrases per language;
// a phrase lives only as long as its session, so guessing one is a 1-in-16,384 shot per call.
export const ZH_WORDS = [
  '苹果', '香蕉', '西瓜', '葡萄', '橘子', '草莓', '桃子', '梨子', '樱桃', '菠萝', '柠檬', '芒果', '椰子', '石榴', '柿子', '荔枝',
  '月亮', '太阳', '星星', '白云', '彩虹', '雪花', '春风', '细雨', '海浪', '沙滩', '高山', '河流', '森林', '草原', '湖泊', '小岛',
  '熊猫', '老虎', '狮子', '大象', '长颈鹿', '斑马', '猴子', '兔子', '松鼠', '小狗', '小猫', '金鱼', '海豚', '企鹅', '孔雀', '燕子',
  '书包', '铅笔', '台灯', '书架', '闹钟', '雨伞', '帽子', '围巾', '手套', '毛衣', '皮鞋', '袜子', '眼镜', '钥匙', '茶杯', '饭碗',
  '面条', '饺子', '包子', '米饭', '豆浆', '油条', '馒头', '月饼', '汤圆', '粽子', '蛋糕', '面包', '牛奶', '果汁', '绿茶', '蜂蜜',
  '火车', '轮船', '飞机', '自行车', '公交', '地铁', '风筝', '气球', '积木', '皮球', '跳绳', '秋千', '滑梯', '口琴', '吉他', '钢琴',
  '玫瑰', '荷花', '菊花', '梅花', '兰花', '竹子', '松树', '柳树', '向日葵', '蒲公英', '银杏', '枫叶', '蘑菇', '南瓜', '番茄', '黄瓜',
  '灯笼', '窗户', '花园', '院子', '桥梁', '灯塔', '城堡', '帐篷', '邮筒', '信封', '相册', '画笔', '剪刀', '扇子', '镜子', '枕头',
] as const;

export const EN_WORDS = [
  'apple', 'banana', 'cherry', 'grape', 'lemon', 'mango', 'melon', 'orange', 'peach', 'pear', 'plum', 'berry', 'coconut', 'olive', 'pepper', 'carrot',
  'river', 'ocean', 'island', 'forest', 'meadow', 'valley', 'canyon', 'desert', 'glacier', 'harbor', 'lagoon', 'prairie', 'summit', 'waterfall', 'volcano', 'beach',
  'panda', 'tiger', 'lion', 'zebra', 'giraffe', 'rabbit', 'squirrel', 'dolphin', 'penguin', 'falcon', 'parrot', 'turtle', 'beaver', 'koala', 'otter', 'badger',
  'pencil', 'basket', 'blanket', 'candle', 'compass', 'lantern', 'ladder', 'mirror', 'pillow', 'teapot', 'umbrella', 'wallet', 'whistle', 'violin', 'guitar', 'piano',
  'bread', 'butter', 'cookie', 'muffin', 'noodle', 'pancake', 'pickle', 'pretzel', 'honey', 'cocoa', 'cereal', 'walnut', 'almond', 'popcorn', 'yogurt', 'waffle',
  'rocket', 'bicycle', 'canoe', 'tractor', 'wagon', 'sailboat', 'balloon', 'kite', 'marble', 'puzzle', 'ribbon', 'button', 'feather', 'pebble', 'seashell', 'snowman',
  'rose', 'tulip', 'daisy', 'lily', 'orchid', 'cactus', 'maple', 'willow', 'bamboo', 'clover', 'acorn', 'pumpkin', 'tomato', 'cabbage', 'garlic', 'ginger',
  'castle', 'bridge', 'garden', 'lighthouse', 'tower', 'cottage', 'chimney', 'window', 'doorbell', 'mailbox', 'postcard', 'notebook', 'scissors', 'sweater', 'mitten', 'scarf',
] as const;
