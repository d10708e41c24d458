"""Every candidate-facing notice, with its text per channel, in one place.

SMS in China go out only from approved templates with numbered parameters ({1}, {2}...), so each notice names an
SMS template and the values that fill it; the template texts below are the ones to submit for approval (the ids
come from SMS_TEMPLATE_IDS). `$LINK` is a constant of the approved text: the deployment's PUBLIC_BASE_URL
(providers refuse a URL as a parameter: InvalidParameterValue.ProhibitedUseUrlInTemplateParameter), so only the
link's token is a parameter; `$ZONE` likewise stands for the zone's words (北京时间) after a time. Notice SMS end
with "回T退订" (how to stop). The other channels (status page,
微信客服, external contact, email) share `text`, which may use every value by name and `{link}`.

Length: a text of at most 70 characters (signature 【…】 included) is one SMS; a longer one is sent as several of 67
characters each (Tencent's rule for domestic SMS), and each is billed.
"""
from dataclasses import dataclass

from app.core.localtime import zone_short
from app.core.pipeline import MAIN_LINE, ON_HOLD

LINK = "$LINK"
# A time the candidate reads says its zone, as every page does ("12-08 08:00(北京时间)"): in an SMS the zone's words
# are a constant of the approved text, like the link (the deployment's localtime.zone_short(), 北京时间), so each
# time stays a bare variable (3月12日18:00: what a provider's 时间 variable takes) and no variable grows
ZONE = "$ZONE"
_IN_ZONE = f"({ZONE})"
SINGLE_SEGMENT = 70
LONG_SEGMENT = 67


@dataclass(frozen=True)
class SmsTemplate:
    key: str
    text: str          # as approved: {1}, {2}... and $LINK, $ZONE
    params: tuple      # the value names that fill {1}, {2}... in order
    kind: str = "notice"  # "notice" (通知) or "code" (验证码: ignores unsubscribe and quiet hours)


@dataclass(frozen=True)
class NoticeSpec:
    key: str
    title: str             # what the application's timeline calls it
    text: str              # status page, 微信客服, external contact and email body ({name}, {job}, {link}...)
    sms: str               # SmsTemplate key
    link: str = "status"   # where {link} and the SMS token lead: "interview" (/i/<token>) or "status"
    email_subject: str = ""  # empty: the notice does not suit email
    urgent: bool = False   # sent during quiet hours too (a caller may also mark one notice urgent)
    when_closed: bool = False  # still sent when the application is closed (it announces the closing)
    moot_at: tuple = ()    # not sent once the application is at one of these stages (cancelled when its turn comes)


_STOP = " 回T退订"
# an AI interview's invitation and reminder, held (quiet hours, the daily cap) while the candidate did the interview
AI_INTERVIEW_DONE = tuple(MAIN_LINE[MAIN_LINE.index("ai_completed"):]) + (ON_HOLD,)
SMS_TEMPLATES = {t.key: t for t in (
    SmsTemplate("code", "您的验证码为{1},{2}分钟内有效。如非本人操作,请忽略本短信。", ("code", "minutes"), kind="code"),
    SmsTemplate("invitation", "{1}您好,{2}邀请您参加「{3}」AI面试,请于{4}" + _IN_ZONE + "前完成:" + LINK + "/i/{5}"
                + _STOP, ("name", "company", "job", "deadline", "token")),
    SmsTemplate("reminder", "{1}您好,您的「{2}」AI面试将于{3}" + _IN_ZONE + "截止,请尽快完成:" + LINK + "/i/{4}"
                + _STOP, ("name", "job", "deadline", "token")),
    SmsTemplate("slots_offered", "{1}您好,「{2}」复试可以预约了,请在{3}" + _IN_ZONE + "前选择时间:" + LINK
                + "/i/{4}/status" + _STOP, ("name", "job", "deadline", "token")),
    SmsTemplate("slot_reminder", "{1}您好,「{2}」的复试时间还在等您选择,请选择或告诉我们您方便的时间:" + LINK
                + "/i/{3}/status" + _STOP, ("name", "job", "token")),
    SmsTemplate("interview_soon", "{1}您好,您「{2}」的复试将于{3}" + _IN_ZONE + "开始,地点或入会方式见:" + LINK
                + "/i/{4}/status" + _STOP, ("name", "job", "time", "token")),
    SmsTemplate("booking_moved", "{1}您好,您「{2}」的复试时间改为{3}" + _IN_ZONE + ",详情:" + LINK + "/i/{4}/status"
                + _STOP, ("name", "job", "time", "token")),
    SmsTemplate("booking_cancelled", "{1}您好,您「{2}」{3}" + _IN_ZONE + "的复试已取消,HR会与您另约时间:" + LINK
                + "/i/{4}/status" + _STOP, ("name", "job", "time", "token")),
    SmsTemplate("check_requested", "{1}您好,「{2}」背景调查需要您确认授权并提供材料:" + LINK + "/i/{3}/status" + _STOP,
                ("name", "job", "token")),
    SmsTemplate("offer_sent", "{1}您好,{2}向您发出「{3}」录用通知,请于{4}前查看并答复:" + LINK + "/i/{5}/status"
                + _STOP, ("name", "company", "job", "deadline", "token")),
    SmsTemplate("offer_expiring", "{1}您好,「{2}」录用通知将于{3}到期,请尽快答复:" + LINK + "/i/{4}/status" + _STOP,
                ("name", "job", "deadline", "token")),
    SmsTemplate("onboarding_returned", "{1}您好,您提交的入职材料「{2}」需要补充,请查看:" + LINK + "/i/{3}/status"
                + _STOP, ("name", "item", "token")),
    SmsTemplate("decision", "{1}您好,您应聘「{2}」的结果已更新,请查看:" + LINK + "/i/{3}/status" + _STOP,
                ("name", "job", "token")),
    SmsTemplate("data_request_answered", "{1}您好,您的个人信息{2}申请已处理,请查看:" + LINK + "/i/{3}/status" + _STOP,
                ("name", "request", "token")),
)}

NOTICES = {n.key: n for n in (
    NoticeSpec("invitation", "AI面试邀请",
               "{name}您好,{company}邀请您参加「{job}」AI面试,请于{deadline}({zone})前完成:{link}",
               "invitation", link="interview", email_subject="「{job}」AI面试邀请", moot_at=AI_INTERVIEW_DONE),
    NoticeSpec("reminder", "AI面试提醒",
               "{name}您好,您的「{job}」AI面试将于{deadline}({zone})截止,请尽快完成:{link}",
               "reminder", link="interview", moot_at=AI_INTERVIEW_DONE),
    NoticeSpec("slots_offered", "复试可预约",
               "{name}您好,「{job}」复试可以预约了,请在{deadline}({zone})前选择时间:{link}",
               "slots_offered", email_subject="「{job}」复试预约"),
    NoticeSpec("slot_reminder", "复试预约提醒",
               "{name}您好,「{job}」的复试时间还在等您选择,请选择或告诉我们您方便的时间:{link}", "slot_reminder"),
    NoticeSpec("interview_soon", "复试提醒",
               "{name}您好,您「{job}」的复试将于{time}({zone})开始,地点或入会方式见:{link}",
               "interview_soon", email_subject="「{job}」复试提醒"),
    NoticeSpec("booking_moved", "复试时间变更",
               "{name}您好,您「{job}」的复试时间改为{time}({zone}),详情:{link}",
               "booking_moved", email_subject="「{job}」复试时间变更"),
    NoticeSpec("booking_cancelled", "复试取消",
               "{name}您好,您「{job}」{time}({zone})的复试已取消,HR会与您另约时间:{link}",
               "booking_cancelled"),
    NoticeSpec("check_requested", "背景调查", "{name}您好,「{job}」背景调查需要您确认授权并提供材料:{link}",
               "check_requested", email_subject="「{job}」背景调查授权"),
    NoticeSpec("offer_sent", "录用通知",
               "{name}您好,{company}向您发出「{job}」录用通知,请于{deadline}前查看并答复:{link}",
               "offer_sent", email_subject="「{job}」录用通知"),
    NoticeSpec("offer_expiring", "录用通知即将到期", "{name}您好,「{job}」录用通知将于{deadline}到期,请尽快答复:{link}",
               "offer_expiring"),
    NoticeSpec("onboarding_returned", "入职材料退回", "{name}您好,您提交的入职材料「{item}」需要补充,请查看:{link}",
               "onboarding_returned"),
    NoticeSpec("decision", "应聘结果", "{name}您好,您应聘「{job}」的结果已更新,请查看:{link}", "decision",
               email_subject="「{job}」应聘结果", when_closed=True),
    NoticeSpec("data_request_answered", "个人信息申请答复", "{name}您好,您的个人信息{request}申请已处理,请查看:{link}",
               "data_request_answered", email_subject="个人信息{request}申请的答复", when_closed=True),
)}


# the stages at which some notice is moot: their stage changes cancel such held notices (sending.cancel_moot)
MOOT_STAGES = tuple(dict.fromkeys(stage for spec in NOTICES.values() for stage in spec.moot_at))


def sms_params(template_key, values):
    """The template's parameters {1}, {2}... from named `values` (strings, in order); KeyError names a missing one."""
    return [str(values[name]) for name in SMS_TEMPLATES[template_key].params]


def sms_named_params(template_key, values):
    """{name: value} in the template's order: Tencent sends the values ({1}, {2}...), Aliyun the names (${name})."""
    return dict(zip(SMS_TEMPLATES[template_key].params, sms_params(template_key, values), strict=True))


def sms_text(template_key, params, sign_name, link_base):
    """The SMS exactly as the phone shows it: 【signature】 and the template filled in."""
    text = SMS_TEMPLATES[template_key].text.replace(LINK, link_base.rstrip("/")).replace(ZONE, zone_short())
    for number, value in enumerate(params, start=1):
        text = text.replace(f"{{{number}}}", value)
    return f"【{sign_name}】{text}"


def segments(text):
    """How many SMS `text` (signature included) is sent as: 1 up to 70 characters, else one per 67."""
    length = len(text)
    if length <= SINGLE_SEGMENT:
        return 1
    return -(-length // LONG_SEGMENT)


def notice_text(notice_key, values, link):
    """The notice's text for the status page, 微信客服, external contact and email ({zone}: 北京时间 after a time)."""
    return NOTICES[notice_key].text.format(link=link, **{"zone": zone_short(), **values})
