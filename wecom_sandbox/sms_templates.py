"""The SMS signature's approved templates, as Tencent's console would hold them (id -> kind and text).

`$LINK` stands for the constant link of the approved text (the sandbox's `sms_link_base`, the app's
PUBLIC_BASE_URL), `$ZONE` for the zone's words after a time (`ZONE_WORDS`; the app's localtime.zone_short()). These
are the texts app/notifications/catalogue.py submits for approval; a test checks that the
two agree, the way a real send fails when the app's parameters do not fit the approved text.
"""
import re

CODE, NOTICE = "code", "notice"
ZONE_WORDS = "北京时间"
_STOP = " 回T退订"
APPROVED = {
    "2100001": {"kind": CODE, "text": "您的验证码为{1},{2}分钟内有效。如非本人操作,请忽略本短信。"},
    "2100002": {"kind": NOTICE, "text": "{1}您好,{2}邀请您参加「{3}」AI面试,请于{4}($ZONE)前完成:$LINK/i/{5}" + _STOP},
    "2100003": {"kind": NOTICE, "text": "{1}您好,您的「{2}」AI面试将于{3}($ZONE)截止,请尽快完成:$LINK/i/{4}" + _STOP},
    "2100004": {"kind": NOTICE,
                "text": "{1}您好,「{2}」复试可以预约了,请在{3}($ZONE)前选择时间:$LINK/i/{4}/status" + _STOP},
    "2100005": {"kind": NOTICE, "text": "{1}您好,您「{2}」的复试时间改为{3}($ZONE),详情:$LINK/i/{4}/status" + _STOP},
    "2100006": {"kind": NOTICE,
                "text": "{1}您好,您「{2}」{3}($ZONE)的复试已取消,HR会与您另约时间:$LINK/i/{4}/status" + _STOP},
    "2100007": {"kind": NOTICE, "text": "{1}您好,「{2}」背景调查需要您确认授权并提供材料:$LINK/i/{3}/status" + _STOP},
    "2100008": {"kind": NOTICE,
                "text": "{1}您好,{2}向您发出「{3}」录用通知,请于{4}前查看并答复:$LINK/i/{5}/status" + _STOP},
    "2100009": {"kind": NOTICE, "text": "{1}您好,「{2}」录用通知将于{3}到期,请尽快答复:$LINK/i/{4}/status" + _STOP},
    "2100010": {"kind": NOTICE, "text": "{1}您好,您提交的入职材料「{2}」需要补充,请查看:$LINK/i/{3}/status" + _STOP},
    "2100011": {"kind": NOTICE, "text": "{1}您好,您应聘「{2}」的结果已更新,请查看:$LINK/i/{3}/status" + _STOP},
    "2100012": {"kind": NOTICE, "text": "{1}您好,您的个人信息{2}申请已处理,请查看:$LINK/i/{3}/status" + _STOP},
    "2100013": {"kind": NOTICE, "text": "{1}您好,「{2}」的复试时间还在等您选择,请选择或告诉我们您方便的时间:"
                                        "$LINK/i/{3}/status" + _STOP},
    "2100014": {"kind": NOTICE, "text": "{1}您好,您「{2}」的复试将于{3}($ZONE)开始,地点或入会方式见:"
                                        "$LINK/i/{4}/status" + _STOP},
}


# Aliyun names its variables (${name}): the names of {1}, {2}... per template, as catalogue.py's SmsTemplate.params
# (a test keeps them equal), and the TemplateCode Aliyun's console gave each approved template.
NAMES = {
    "2100001": ("code", "minutes"), "2100002": ("name", "company", "job", "deadline", "token"),
    "2100003": ("name", "job", "deadline", "token"), "2100004": ("name", "job", "deadline", "token"),
    "2100005": ("name", "job", "time", "token"), "2100006": ("name", "job", "time", "token"),
    "2100007": ("name", "job", "token"), "2100008": ("name", "company", "job", "deadline", "token"),
    "2100009": ("name", "job", "deadline", "token"), "2100010": ("name", "item", "token"),
    "2100011": ("name", "job", "token"), "2100012": ("name", "request", "token"), "2100013": ("name", "job", "token"),
    "2100014": ("name", "job", "time", "token"),
}
ALIYUN_CODES = {f"SMS_46{template_id}": template_id for template_id in APPROVED}


def count_params(text):
    """How many parameters an approved text takes (its highest {n})."""
    return max((int(n) for n in re.findall(r"\{(\d+)\}", text)), default=0)
