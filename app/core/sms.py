"""Whether this deployment sends SMS: SMS_PROVIDER is one of the providers app/notifications speaks (Tencent Cloud
SMS or Aliyun SMS) rather than "off". The domains that offer an SMS step (screening's same-phone offer, privacy's
code gate) ask here, below notifications."""
from app.core.extensions import settings

PROVIDERS = ("tencent", "aliyun")


def on():
    return settings.get("SMS_PROVIDER") in PROVIDERS
