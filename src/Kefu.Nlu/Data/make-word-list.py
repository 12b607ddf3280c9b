#!/usr/bin/env python3
"""Builds chinese-words.txt, the word list of Kefu.Nlu's Chinese segmenter.

Usage: make-word-list.py JIEBA_DICT_TXT > chinese-words.txt

Input: dict.txt of jieba (the copy in the jieba.NET 0.42.2 package's Resources folder; MIT licence).
Keeps the TOP most frequent words of 2 to 4 characters, all Han and all in GB2312 (so only simplified
forms: the engine folds traditional characters before segmenting), most frequent first, and puts
Kefu's own customer-service and assistant words (written for this list, below) at rank INSERT_AT,
since a general-news dictionary ranks shop words such as 退货 or 包邮 low or lacks them.
"""
import sys

TOP = 30000
INSERT_AT = 3000
KEFU_WORDS = """退货 退款 换货 包邮 运费 运费险 发货 到货 缺货 补货 库存 现货 预售 签收 揽收 派送 快递 快递员 单号 运单号 物流 订单 订单号
下单 拍错 撤单 优惠券 优惠码 折扣码 满减 红包 积分 会员 权益 发票 抬头 税号 电子发票 专票 花呗 分期 扣款 支付宝 微信 付款 支付
验证码 登录 注册 注销 密码 账号 绑定 解绑 手机号 收货 收货地址 收件人 门牌号 自提 保价 差价 降价 保修 延保 维修 售后 质保 尺码
码数 色差 缩水 材质 正品 说明书 破损 划痕 漏液 少发 发错 错发 赠品 原包装 无理由 上门取件 客服 人工 转人工 闹钟 倒计时 计时器
定时器 提醒 待办 天气 下雨 降温 雾霾 紫外线 播放 单曲循环 笑话 段子 翻译 汇率 换汇 人民币 美元 日元 欧元 港币 导航 路况 打车
地铁 停车场 餐厅 好吃 推荐""".split()


def gb2312(word):
    try:
        word.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def main():
    rows = []
    for line in open(sys.argv[1], encoding="utf-8"):
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        if 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word) and gb2312(word):
            rows.append((-freq, word))
    rows.sort()
    words = [w for _, w in rows[:TOP]]
    extra = [w for w in dict.fromkeys(KEFU_WORDS) if w not in set(words)]
    words = [w for w in words if w not in set(KEFU_WORDS)]
    words = words[:INSERT_AT] + list(dict.fromkeys(KEFU_WORDS)) + words[INSERT_AT:]
    out = sys.stdout
    out.write("# Kefu.Nlu Chinese word list, most frequent first (see make-word-list.py and NOTICE).\n")
    out.write("# Derived from jieba's dict.txt (MIT, Copyright (c) 2013 Sun Junyi; jieba.NET 0.42.2 by Anders Cui),\n")
    out.write(f"# top {TOP} words of 2-4 simplified characters, with {len(extra)} Kefu words inserted at rank {INSERT_AT}.\n")
    for w in words:
        out.write(w + "\n")


if __name__ == "__main__":
    main()
