"""Where notices leave the machine: SMS through Tencent Cloud SMS (tencent_sms.py, signed with tc3.py) or Aliyun SMS
(aliyun_sms.py, signed with acs_rpc.py), both answering in sms_base.py's terms, and SMTP email (smtp_email.py). Each
is configured from the settings; nothing here knows about applications or notices."""
