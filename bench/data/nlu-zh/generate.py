#!/usr/bin/env python3
"""Generates the Chinese NLU development set (dev.csv, test.csv) beside this script.

Deterministic (seeded): running it again gives byte-identical files. See README.md for how the
set was made and what its quirks are. Standard library only.
"""
import csv
import os
import random

SEED = 20261201
rng = random.Random(SEED)

# Slot values: things people mention inside a question.
SLOTS = {
    "order": ["2024112300123", "DD20241188", "1689023345", "订单号77812093", "JD100234556", "7723", "No.5521908"],
    "product": ["连衣裙", "iPhone 15", "蓝牙耳机", "羽绒服", "电饭煲", "跑鞋", "口红", "扫地机器人", "婴儿奶粉", "机械键盘", "T恤", "洗发水", "Switch", "充电宝"],
    "size": ["M码", "XL", "38码", "L号", "均码", "42", "S"],
    "city": ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "厦门", "哈尔滨", "乌鲁木齐"],
    "courier": ["顺丰", "中通", "圆通", "韵达", "京东快递", "EMS", "申通"],
    "pay": ["微信", "支付宝", "花呗", "信用卡", "银联", "Apple Pay", "PayPal"],
    "song": ["周杰伦的晴天", "孤勇者", "稻香", "Shape of You", "一首轻音乐", "邓紫棋的歌", "陈奕迅的十年", "Taylor Swift的歌"],
    "time": ["明天早上7点", "6点半", "早上八点", "下午3点", "七点十五", "5:30", "明早六点"],
    "dur": ["10分钟", "半小时", "5分钟", "25分钟", "一个小时", "3分钟", "90秒"],
    "word": ["苹果", "谢谢", "我爱你", "早上好", "发票", "hello", "how are you", "退货"],
    "lang": ["英文", "日语", "韩语", "法语", "中文", "English", "德语"],
    "money": ["100", "250块", "1999元", "30", "3.5"],
    "cur": ["美元", "日元", "欧元", "港币", "英镑", "韩元"],
    "food": ["火锅", "川菜", "日料", "烧烤", "早茶", "西餐", "小龙虾"],
    "place": ["机场", "火车站", "公司", "最近的地铁站", "人民广场", "医院", "西湖"],
    "remind": ["开会", "吃药", "交房租", "给妈妈打电话", "取快递", "还信用卡"],
    "n": ["2", "3", "两", "三", "好几"],
}

# Hand-written phrasings per intent: different sentence patterns, registers and lengths.
# {slot} placeholders are filled from SLOTS. Every intent's list is split into dev and test
# phrasings, so the test file's sentence patterns are not seen in the dev file.
INTENTS = {
    # ---- online shop ----
    "order_status": [
        "我的订单到哪了", "订单{order}现在什么状态", "查一下订单", "我买的{product}怎么还没到", "帮我看看我的订单进度",
        "下单好几天了一点动静都没有", "订单显示已发货但是一直没更新", "我那个单子处理了没有", "东西发了吗", "请问订单{order}发货了吗",
        "买的东西到哪一步了啊", "订单状态一直是待发货是什么情况", "查询订单", "order status", "where is my order {order}",
        "我前天买的{product}现在到哪儿了", "能帮我查查{order}这单吗", "我的货呢", "为什么我的订单还在处理中", "订单多久能处理好",
        "看不到订单进度怎么办", "我想知道我订的{product}什么时候能收到",
    ],
    "logistics_tracking": [
        "快递单号是多少", "物流信息怎么查", "{courier}的单号给我一下", "物流三天没更新了", "包裹卡在{city}不动了",
        "快递显示已签收但我没收到", "怎么看物流轨迹", "能给我物流单号吗我自己查", "tracking number是多少", "物流停在中转站好几天",
        "快递员电话多少", "为什么物流一直显示揽收", "查一下{courier}到哪了", "包裹被退回了是怎么回事", "物流信息显示异常",
        "我的件是不是丢了", "派送中一整天了还没送到", "给个运单号", "快递到{city}了吗", "物流怎么还停留在昨天",
    ],
    "cancel_order": [
        "我要取消订单", "订单{order}不想要了能取消吗", "拍错了怎么取消", "还没发货可以撤销订单吗", "取消订单",
        "不小心下了两单帮我取消一个", "怎么取消刚下的单", "cancel my order", "我想把{product}那单取消掉", "付完款后悔了能退吗还没发货",
        "下错单了", "取消订单的按钮在哪", "已经付款了可以取消订单吗", "订单取消后钱怎么退", "帮我撤单",
        "我不买了帮我取消", "能不能把订单作废", "取消订单需要多久审核", "地址填错了干脆取消重下",
    ],
    "return_goods": [
        "我要退货", "{product}不合适想退", "怎么申请退货", "七天无理由退货支持吗", "退货流程是什么",
        "收到的{product}不喜欢能退吗", "退货要自己付运费吗", "退货地址在哪", "return this item", "拆封了还能退吗",
        "退货寄回去用什么快递", "申请退货的入口在哪里", "超过七天了还能退货吗", "衣服洗过一次还能退不", "买的{product}和描述不符我要退",
        "退货需要原包装吗", "上门取件退货可以吗", "退货审核多久", "能不能退一部分商品", "赠品也要一起退吗",
    ],
    "refund_status": [
        "退款什么时候到账", "退款进度怎么查", "钱怎么还没退回来", "退款到哪了", "申请退款三天了还没到",
        "退款原路返回吗", "退款退到{pay}了吗", "refund still not received", "商家同意退款了钱呢", "退款显示成功但没收到",
        "我的退款为啥这么慢", "退款多久能到", "退的钱去哪了", "退款金额不对少了", "仅退款怎么申请",
        "退款被拒绝了怎么办", "退款能退到余额吗", "退款状态一直是处理中",
    ],
    "exchange": [
        "我想换货", "{size}小了能换大一码吗", "换个颜色可以吗", "怎么申请换货", "收到的{product}有问题换一个",
        "尺码不对想换", "换货要多久", "exchange for a bigger size", "换货运费谁出", "可以换成别的款式吗",
        "换货和退货哪个快", "换货流程", "想把{size}换成大一号", "收到的颜色发错了给我换", "换货寄回地址是哪",
        "换新的还是维修", "能直接换同款不同色吗",
    ],
    "shipping_fee": [
        "运费多少", "包邮吗", "寄到{city}要运费吗", "满多少包邮", "偏远地区运费怎么算",
        "为什么要收运费", "shipping fee", "运费险有吗", "买两件能包邮吗", "新疆包不包邮",
        "运费可以便宜点吗", "邮费怎么这么贵", "海外运费多少", "顺丰要加钱吗", "快递费谁出",
        "退货运费险怎么理赔",
    ],
    "delivery_time": [
        "多久能发货", "什么时候发货", "下单后几天到", "寄到{city}要几天", "今天下单明天能到吗",
        "能不能加急发货", "发货时间", "how long does delivery take", "预售的什么时候发", "周末发货吗",
        "几点之前下单当天发", "春节期间还发货吗", "{product}现货吗多久发", "从哪个仓发货", "双十一的单什么时候能发",
        "最快多久能收到", "能指定送货时间吗",
    ],
    "change_address": [
        "我想改地址", "收货地址写错了", "能修改收货地址吗", "订单{order}地址要改一下", "电话号码填错了能改吗",
        "已经发货了还能改地址吗", "帮我把地址改成{city}", "change shipping address", "收件人名字写错了", "地址少写了门牌号",
        "怎么修改订单里的地址", "换个收货地址", "搬家了地址要换", "能改成自提吗", "地址能改到公司吗",
    ],
    "invoice": [
        "怎么开发票", "能开增值税专用发票吗", "发票什么时候寄", "我要开电子发票", "发票抬头写错了",
        "公司报销需要发票", "invoice please", "开票信息怎么填", "发票能补开吗", "税号在哪填",
        "电子发票在哪里下载", "发票没收到", "可以开个人抬头吗", "纸质发票还是电子的", "发票内容能写办公用品吗",
        "重新开一张发票",
    ],
    "payment_methods": [
        "能用{pay}付款吗", "支持哪些支付方式", "可以货到付款吗", "能分期吗", "支持信用卡吗",
        "payment options", "可以用{pay}吗", "付款方式有哪些", "能用花呗分期吗", "外币卡能付吗",
        "可以对公转账吗", "有没有先用后付", "能用礼品卡付吗", "支持数字人民币吗",
    ],
    "payment_failed": [
        "付款失败了", "支付不成功怎么回事", "钱扣了订单没生成", "付款一直转圈", "{pay}付不了款",
        "payment failed", "扣了两次钱", "支付的时候提示风控", "银行卡付款失败", "付完钱显示未付款",
        "支付页面打不开", "为什么付款提示超时", "重复扣款怎么处理", "付款显示交易异常",
    ],
    "coupon": [
        "优惠券怎么用", "我的优惠券不能用", "有没有优惠码", "新人券在哪领", "满减券为什么用不了",
        "coupon code not working", "优惠券过期了能补吗", "领的券在哪看", "能叠加使用优惠券吗", "下单忘了用券",
        "有什么优惠活动", "券怎么领取", "折扣码输在哪", "这个{product}能用券吗", "优惠券退款后还能返还吗",
        "双十一有红包吗",
    ],
    "membership_points": [
        "积分怎么用", "我有多少积分", "会员有什么权益", "积分能抵现吗", "怎么升级会员",
        "积分过期了吗", "member benefits", "积分兑换在哪", "VIP怎么开通", "会员生日有福利吗",
        "签到积分怎么没加", "积分怎么获取", "会员等级怎么算", "积分商城", "退货后积分会扣吗",
    ],
    "account_login": [
        "登录不了", "忘记密码了", "账号被锁了", "收不到验证码", "怎么注册账号",
        "can't log in", "密码怎么重置", "提示账号异常", "登录一直说密码错误", "微信登录不上",
        "账号被盗了", "怎么注销账号", "两个账号能合并吗", "登录页面一直加载", "换了手机登不上",
    ],
    "change_phone": [
        "换手机号了怎么改", "绑定的手机号不用了", "怎么更换绑定手机", "手机号停机了收不到验证码", "修改账号手机号",
        "change my phone number", "原来的号码注销了怎么办", "解绑手机号", "怎么换绑邮箱", "账号绑定的手机怎么改",
        "新号码怎么绑定",
    ],
    "product_stock": [
        "{product}有货吗", "什么时候补货", "缺货了吗", "{size}还有吗", "这个还有库存吗",
        "in stock?", "到货通知怎么设置", "断货了多久来货", "{city}仓有货吗", "黑色的还有没有",
        "显示无货是真没了吗", "能预订吗", "限量款还会补吗", "库存紧张是什么意思",
    ],
    "product_info": [
        "{product}是什么材质", "尺码怎么选", "{product}是正品吗", "这个能用多久", "有说明书吗",
        "what material is it", "{size}适合多重的人", "产地是哪里", "保质期多久", "这款和上一代有什么区别",
        "颜色有色差吗", "会不会缩水", "适合几岁孩子", "充电多久能充满", "防水吗", "参数在哪看",
    ],
    "warranty_repair": [
        "保修多久", "{product}坏了怎么修", "可以保修吗", "售后维修怎么申请", "过了保修期还能修吗",
        "warranty", "维修要多少钱", "有没有全国联保", "坏了寄哪里修", "屏幕碎了保修吗",
        "开不了机了", "保修需要发票吗", "用了一个月就坏了", "延保怎么买",
    ],
    "damaged_item": [
        "收到的东西坏了", "{product}到手就是破的", "包装破损了", "少发了一件", "发错货了",
        "item arrived damaged", "收到的是二手的吧", "东西有划痕", "漏液了", "配件少了",
        "打开发现是坏的", "收到的{product}有质量问题", "外箱被压烂了", "和图片不一样",
    ],
    "price_protection": [
        "刚买就降价了能退差价吗", "保价吗", "价格保护怎么申请", "买贵了", "降价补差",
        "price drop refund", "昨天买的今天便宜了{money}", "保价期多久", "别的平台更便宜能便宜点吗", "活动价和我买的价格差好多",
        "能不能给我退个差价",
    ],
    # ---- general assistant ----
    "weather": [
        "今天天气怎么样", "明天会下雨吗", "{city}天气", "外面冷不冷", "周末天气如何",
        "what's the weather like", "要不要带伞", "{city}明天多少度", "今天有雾霾吗", "这周会降温吗",
        "空气质量怎么样", "今晚会不会下雪", "紫外线强不强", "穿短袖还是外套",
    ],
    "set_alarm": [
        "定个闹钟", "{time}叫我起床", "帮我设一个{time}的闹钟", "闹钟设在{time}", "取消明天的闹钟",
        "set an alarm for {time}", "每天{time}提醒我起床", "把闹钟关了", "工作日的闹钟改到{time}", "明早别叫我了",
        "设置起床铃", "再加一个闹钟",
    ],
    "set_timer": [
        "倒计时{dur}", "帮我计时{dur}", "{dur}后提醒我", "开个定时器", "煮鸡蛋计时",
        "set a timer for {dur}", "计时器还剩多久", "停止计时", "泡面三分钟叫我", "设个{dur}的倒计时",
    ],
    "reminder": [
        "提醒我{remind}", "{time}提醒我{remind}", "明天记得提醒我{remind}", "添加一个提醒", "我有哪些提醒",
        "remind me to {remind}", "删除提醒", "每周一提醒我{remind}", "别忘了提醒我{remind}", "下班的时候提醒我{remind}",
        "记一下待办",
    ],
    "play_music": [
        "放首歌", "播放{song}", "来点音乐", "我想听{song}", "下一首",
        "play {song}", "暂停音乐", "声音大一点", "换一首", "随机播放",
        "来首适合跑步的歌", "单曲循环这首", "放点助眠音乐",
    ],
    "tell_joke": [
        "讲个笑话", "给我讲个笑话吧", "说个段子", "来点好笑的", "逗我开心一下",
        "tell me a joke", "有没有冷笑话", "讲个脑筋急转弯", "再来一个笑话", "讲个程序员的笑话",
        "我不开心讲个笑话",
    ],
    "translate": [
        "{word}用{lang}怎么说", "翻译一下{word}", "把这句话翻译成{lang}", "{word}是什么意思", "帮我翻译",
        "translate {word} into {lang}", "{lang}的{word}怎么写", "中译英", "这个单词怎么读", "把下面这段翻成{lang}",
        "{word}翻译成{lang}",
    ],
    "calculate": [
        "{money}乘以{n}等于多少", "帮我算一下{money}加{money}", "3的平方是多少", "计算器", "100除以7",
        "what is 15 times 23", "一百二减去四十五", "算下{money}打八折多少钱", "根号2等于几", "12.5加37.8",
        "每人平摊{money}一共多少",
    ],
    "current_time": [
        "现在几点了", "今天几号", "今天星期几", "现在是几点", "what time is it",
        "纽约现在几点", "今天农历多少", "离春节还有几天", "现在北京时间", "今年是什么年",
    ],
    "exchange_rate": [
        "{money}{cur}等于多少人民币", "今天汇率多少", "{cur}兑人民币汇率", "人民币换{cur}划算吗", "exchange rate USD to CNY",
        "一美元多少钱", "换汇去哪换", "{cur}最近涨了吗", "汇率查询", "帮我换算一下{money}{cur}",
    ],
    "news": [
        "今天有什么新闻", "播报一下新闻", "最近有什么大事", "看看头条", "财经新闻",
        "latest news", "体育新闻", "{city}本地新闻", "热搜是什么", "科技新闻有什么",
    ],
    "restaurant": [
        "附近有什么好吃的", "推荐一家{food}", "{city}哪家{food}好吃", "晚上去哪吃饭", "附近的餐厅",
        "recommend a restaurant nearby", "订个位子", "有没有好吃的{food}推荐", "适合约会的餐厅", "人均一百的饭店",
        "附近有没有咖啡馆",
    ],
    "navigation": [
        "去{place}怎么走", "导航到{place}", "到{place}要多久", "路况怎么样", "最近的加油站在哪",
        "navigate to {place}", "打车去{place}多少钱", "坐地铁去{place}", "附近有停车场吗", "避开拥堵的路线",
        "开车到{city}多远",
    ],
    "greeting": [
        "你好", "在吗", "早上好", "hello", "嗨", "有人吗", "晚上好", "hi there", "你是谁", "你是机器人吗", "哈喽",
    ],
}

# Questions no intent above answers (labelled oos).
OUT_OF_SCOPE = [
    "感冒了吃什么药", "怎么减肥最快", "失眠怎么办", "头疼是什么原因", "孕妇能吃螃蟹吗", "血压高要注意什么",
    "股票明天会涨吗", "买什么基金好", "比特币还能买吗", "房贷利率是多少", "公积金怎么提取", "个税怎么申报",
    "勾股定理是什么", "帮我写一篇作文", "鲁迅是哪里人", "地球到月球多远", "光速是多少", "人为什么会做梦",
    "python怎么安装", "电脑蓝屏了怎么办", "wifi密码忘了", "手机内存不够怎么清理", "excel怎么求和", "怎么学编程",
    "护照怎么办理", "去日本要签证吗", "高铁票怎么改签", "机票退票手续费多少", "酒店能提前入住吗", "去云南旅游几天合适",
    "狗狗不吃饭怎么办", "猫咪掉毛严重", "仓鼠能活多久", "鱼缸水变绿了",
    "世界杯谁赢了", "湖人今天比赛结果", "梅西多少岁", "马拉松怎么训练",
    "人生的意义是什么", "你觉得我帅吗", "我失恋了", "怎么追女孩子", "你喜欢什么颜色", "你会做饭吗",
    "红烧肉怎么做", "蛋糕怎么烤", "米饭煮糊了怎么办", "奶茶热量高吗",
    "驾照怎么考", "车险怎么买", "违章怎么查", "新能源车值得买吗",
    "租房合同要注意什么", "社保断交有什么影响", "离职证明怎么开", "劳动仲裁怎么申请", "结婚证怎么办",
    "宇宙有多大", "恐龙是怎么灭绝的", "黑洞是什么", "为什么天空是蓝色的",
    "帮我起个名字", "写首诗", "猜谜语", "我们来玩成语接龙吧",
    "how do i fix my bike", "who won the election", "what is the meaning of life", "recommend a good book",
    "how to learn guitar", "is coffee bad for you", "what is quantum computing", "write me a poem",
    "植物叶子发黄怎么办", "多肉怎么浇水", "装修选什么地板", "洗衣机有异味",
    "孩子不爱写作业", "幼儿园怎么选", "考研报什么专业好", "四六级什么时候考",
    "你们公司在招人吗", "我想应聘客服", "你们老板是谁", "你们有线下店吗", "能加盟吗", "想跟你们谈合作",
    "明天彩票号码是什么", "星座运势", "属龙的今年运气怎么样", "做梦梦到蛇什么意思",
    "给我讲讲三国演义", "推荐一部电影", "最近有什么好看的电视剧", "演唱会门票怎么买",
    "怎么戒烟", "跑步膝盖疼", "牙齿敏感怎么办", "眼睛干涩用什么眼药水",
]

OPENERS = ["", "", "", "", "你好，", "您好 ", "亲，", "在吗？", "请问", "请问一下，", "麻烦问下", "hello ", "hi，", "客服，", "老板 ", "喂 ", "那个，", "我想问一下", "问下", "小助手，"]
CLOSERS = ["", "", "", "", "", "？", "?", "??", "吗", "呢", "啊", "谢谢", "，谢谢", " thx", "，急", "急急急", "！", "在线等", "～", "。", "哈", "，麻烦快点", " 谢啦", "…"]
# Longer context some visitors add before the real question.
STORIES = ["我上周在你们这买了东西，", "昨天晚上下的单，", "第一次在你们店买，", "刚才打电话没人接，", "我是老顾客了，",
           "朋友推荐来的，", "说实话有点着急，", "之前问过一次没解决，", "我在外地出差，", "帮我妈问一下，"]
# Homophone and input-method slips that real users make.
TYPOS = [("订单", "定单"), ("账号", "帐号"), ("优惠券", "优惠卷"), ("什么", "啥"), ("什么", "神马"), ("怎么", "咋"),
         ("怎么", "肿么"), ("吗", "嘛"), ("的", "得"), ("在", "再"), ("快递", "快第"), ("退款", "退宽"), ("发票", "发漂"),
         ("已经", "以经"), ("收到", "受到"), ("地址", "地止"), ("没有", "木有"), ("这个", "这各"), ("知道", "造"),
         ("可以", "可已"), ("谢谢", "xx"), ("运费", "运废"), ("登录", "登陆"), ("密码", "秘码"), ("换货", "还货")]
# A few hundred common characters, simplified → traditional, for rows written in traditional script.
S2T = dict(zip(
    "订单货发运费号码账户登录设优惠券积会员换尺们这么样还没为时间问题钱给让说请谢实验证买卖东质量坏过关开头书车门马鸟鱼语话读写计记让认识论该详细须乐听难双网页则剧药医师热图书馆边远进选择专业"
    "务处后台统体样长见观现两个务试导钟预价报红决议调节适应态际况级极档输错误传递证严厉复杂备压缩录购递费寄达检测质问诉讯况条约线岁园场满满义气飞机铁电脑视频额库存补赠",
    "訂單貨發運費號碼賬戶登錄設優惠券積會員換尺們這麼樣還沒為時間問題錢給讓說請謝實驗證買賣東質量壞過關開頭書車門馬鳥魚語話讀寫計記讓認識論該詳細須樂聽難雙網頁則劇藥醫師熱圖書館邊遠進選擇專業"
    "務處後臺統體樣長見觀現兩個務試導鐘預價報紅決議調節適應態際況級極檔輸錯誤傳遞證嚴厲復雜備壓縮錄購遞費寄達檢測質問訴訊況條約線歲園場滿滿義氣飛機鐵電腦視頻額庫存補贈"))


def fill(template):
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        key = out[start + 1:end]
        out = out[:start] + rng.choice(SLOTS[key]) + out[end + 1:]
    return out


def typo(text):
    candidates = [(a, b) for a, b in TYPOS if a in text]
    if not candidates:
        return text
    a, b = rng.choice(candidates)
    return text.replace(a, b, 1)


def traditional(text):
    return "".join(S2T.get(c, c) for c in text)


def vary(base):
    """One realistic rendering of a phrasing: slots, politeness, context, slips, script, spacing."""
    text = fill(base)
    r = rng.random()
    if r < 0.12:
        text = rng.choice(STORIES) + text
    elif r < 0.55:
        text = rng.choice(OPENERS) + text
    text = text + rng.choice(CLOSERS)
    if rng.random() < 0.18:
        text = typo(text)
    if rng.random() < 0.08:
        text = traditional(text)
    if rng.random() < 0.05:
        text = text.replace("，", " ").replace("？", "?")
    return text.strip()


def render(phrasings, per_phrasing, label):
    """Each phrasing bare once, then up to per_phrasing distinct variations of it, as (text, group)."""
    rows = []
    seen = set()
    for base in phrasings:
        group = f"{label}/{ALL_BASES[label].index(base):02d}"
        variants = [fill(base)]
        for _ in range(per_phrasing * 4):
            if len(variants) > per_phrasing:
                break
            v = vary(base)
            if v not in variants:
                variants.append(v)
        for v in variants:
            if v not in seen:
                seen.add(v)
                rows.append((v, group))
    return rows


def split_intent(phrasings):
    """About a quarter of an intent's phrasings (at least two) go to the test file only."""
    shuffled = phrasings[:]
    rng.shuffle(shuffled)
    n_test = max(2, len(shuffled) // 4)
    return shuffled[n_test:], shuffled[:n_test]


# The base phrasing a row was made from: rows of one group are variations of one sentence.
ALL_BASES = {**INTENTS, "oos": OUT_OF_SCOPE}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    dev, test = [], []
    for label, phrasings in INTENTS.items():
        dev_bases, test_bases = split_intent(phrasings)
        dev += [(t, label, g) for t, g in render(dev_bases, 6, label)]
        test += [(t, label, g) for t, g in render(test_bases, 4, label)]
    oos = OUT_OF_SCOPE[:]
    rng.shuffle(oos)
    cut = len(oos) // 2
    dev += [(t, "oos", g) for t, g in render(oos[cut:], 2, "oos")]
    test += [(t, "oos", g) for t, g in render(oos[:cut], 2, "oos")]
    for name, rows in (("dev.csv", dev), ("test.csv", test)):
        seen = set()
        unique = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]
        rng.shuffle(unique)
        with open(os.path.join(here, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["text", "label", "group"])
            w.writerows(unique)
        print(name, len(unique), "rows")


if __name__ == "__main__":
    main()
